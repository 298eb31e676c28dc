"""Refait docs/gabarit-verifications.png : un gabarit 5.1 rempli avec des erreurs dans Calc fr-CA.

`python -m tests.donnees.capture_gabarit` (depuis la racine ; banc UNO et poppler-utils requis).
L'image vient d'un vrai export PDF de Calc (`pdftoppm -png -r 80`), recadré sur le haut de la
feuille Saisie : le bilan, l'identification, le résultat et les premières lignes du tableau.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.donnees.libreoffice_uno import Calc

RACINE = Path(__file__).resolve().parents[2]
IMAGE = RACINE / "docs" / "gabarit-verifications.png"
SAISIES = [
    ("C5", "MTQ01"),
    ("C6", "Ministère des Transports"),
    ("C9", "2026"),
    *(
        (f"{colonne}{20 + i}", valeur)
        for i, rang in enumerate(
            [
                ("Permis de conduire", "915 000", "1 000 000"),
                ("Immatriculation", "80 000", "70 000"),
                ("Vignette", "douze", "400"),
                ("Permis de conduire", "10", "20"),
                ("Transport adapté", "1,5", "3"),
                ("Plaintes", "50", ""),
            ]
        )
        for colonne, valeur in zip("BCD", rang, strict=True)
        if valeur
    ),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as dossier, Calc() as calc:
        pdf = Path(dossier) / "gabarit.pdf"
        with calc.ouvrir(RACINE / "gabarits" / "barometre-cible-5.1.xlsx") as doc:
            for cellule, texte in SAISIES:
                doc.taper("Saisie", cellule, texte)
            doc.recalculer()
            doc.exporter_pdf(pdf)
        # Page 2 : la feuille Saisie (la page 1 est celle des instructions).
        sortie = Path(dossier) / "page"
        page = ["-f", "2", "-l", "2", "-singlefile"]
        cadre = ["-x", "30", "-y", "40", "-W", "830", "-H", "360"]
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", *page, *cadre, str(pdf), str(sortie)], check=True
        )
        IMAGE.write_bytes(sortie.with_suffix(".png").read_bytes())
    print(IMAGE)


if __name__ == "__main__":
    main()
