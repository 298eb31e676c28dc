"""Le sommaire imprimé par Calc fr-CA : combien de pages par feuille, et les libellés de chacune.

`python -m tests.donnees.impression` compile l'exemple livré, ouvre son `sommaire.xlsx` dans
le banc UNO (Calc fr-CA), l'exporte en PDF (Fichier > Exporter en PDF, tout le classeur), puis
lit chaque page avec `pdftotext` : le pied de page nomme la feuille (« Baromètre numériQc —
collecte 2026 · Par organisation · Page 6 de 37 »). Il affiche la table des pages par feuille
de docs/impression.md et dit quelles pages n'ont aucun libellé de ligne.

`tests/test_xlsx_impression.py` s'en sert pour vérifier que chaque page porte ses libellés.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path

from openpyxl import load_workbook

RACINE = Path(__file__).resolve().parents[2]
EXEMPLES = RACINE / "exemples"

#: « Baromètre numériQc — collecte 2026   Par organisation   Page 6 de 37 » (mise en page de
#: pdftotext -layout : les trois parties du pied séparées par au moins deux espaces).
_PIED = re.compile(
    r"Baromètre numériQc — collecte \S+\s{2,}(?P<feuille>\S.*?)\s{2,}Page \d+ de \d+"
)

#: Les colonnes de libellés de chaque feuille (celles que chaque page doit montrer) ; une
#: feuille absente d'ici a ses libellés en colonne A.
LIBELLES = {
    "Par réseau": "AB",
    "Par organisation": "AB",
    "5.2 Processus": "BC",
    "Relances": "AB",
    "À vérifier": "ABC",
}


def texte_des_pages(pdf: Path) -> list[str]:
    """Le texte de chaque page du PDF, dans l'ordre (pdftotext -layout)."""
    texte = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = texte.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pages_par_feuille(pdf: Path) -> OrderedDict[str, list[str]]:
    """Feuille → texte de chacune de ses pages, d'après le pied de page."""
    feuilles: OrderedDict[str, list[str]] = OrderedDict()
    for numero, page in enumerate(texte_des_pages(pdf), 1):
        pied = next((m for m in map(_PIED.search, reversed(page.splitlines())) if m), None)
        if pied is None:
            raise AssertionError(f"page {numero} sans pied de page lisible :\n{page[-300:]}")
        feuilles.setdefault(pied["feuille"], []).append(page)
    return feuilles


def _normal(texte: str) -> str:
    return " ".join(texte.split())


def libelles(classeur: Path) -> dict[str, set[str]]:
    """Feuille → les libellés de ses lignes (le début de chaque valeur de ses colonnes de
    libellés, sous l'en-tête de sa table), tels qu'on doit les lire sur chaque page."""
    sortie: dict[str, set[str]] = {}
    for feuille in load_workbook(classeur, read_only=True).worksheets:
        colonnes = [ord(c) - ord("A") for c in LIBELLES.get(feuille.title, "A")]
        debut = 7 if feuille.title == "Sommaire" else 2
        valeurs = set()
        for rangee in feuille.iter_rows(min_row=debut, values_only=True):
            for j in colonnes:
                if j < len(rangee) and isinstance(rangee[j], str) and rangee[j].strip():
                    valeurs.add(_normal(rangee[j])[:12])
        sortie[feuille.title] = valeurs
    return sortie


def pages_sans_libelle(classeur: Path, pdf: Path) -> list[tuple[str, int]]:
    """(feuille, rang de la page dans la feuille) de chaque page qui ne montre aucun libellé."""
    attendus = libelles(classeur)
    manquantes = []
    for feuille, pages in pages_par_feuille(pdf).items():
        for rang, page in enumerate(pages, 1):
            if not any(v in _normal(page) for v in attendus[feuille]):
                manquantes.append((feuille, rang))
    return manquantes


def compiler_exemple(sortie: Path) -> Path:
    """Le sommaire de l'exemple livré, compilé dans `sortie`."""
    from barometre_cli.commandes import compiler

    compiler(
        EXEMPLES / "classeurs",
        registre=EXEMPLES / "registre.csv",
        periode="2026",
        sortie=sortie,
        jobs=1,
    )
    return sortie / "sommaire.xlsx"


def main() -> int:
    from tests.donnees.libreoffice_uno import Calc, raison_indisponible

    if (raison := raison_indisponible()) is not None or shutil.which("pdftotext") is None:
        print(f"banc indisponible : {raison or 'pdftotext absent (poppler-utils)'}")
        return 2
    with tempfile.TemporaryDirectory() as dossier:
        classeur = compiler_exemple(Path(dossier) / "resultats")
        pdf = Path(dossier) / "sommaire.pdf"
        with Calc() as calc, calc.ouvrir(classeur) as doc:
            total = doc.exporter_pdf(pdf)
        feuilles = pages_par_feuille(pdf)
        print("| feuille | pages |\n| --- | --- |")
        for feuille, pages in feuilles.items():
            print(f"| {feuille} | {len(pages)} |")
        print(f"| **total** | **{total}** |")
        manquantes = pages_sans_libelle(classeur, pdf)
        print(f"Pages sans libellé de ligne : {manquantes or 'aucune'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
