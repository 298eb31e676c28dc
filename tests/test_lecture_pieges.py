"""Pièges qui font avorter un lecteur natif : la lecture ne doit jamais arrêter le processus.

python-calamine, par exemple, réserve la mémoire de toute l'étendue d'une feuille et fait
avorter le processus devant une cellule en XFD1048576, qu'aucun `try` n'attrape. Chaque
variante ci-dessous cache une telle cellule là où un lecteur moins prudent irait la chercher
(chemin d'archive trompeur, attribut en double, préfixe d'espace de noms) ; la lecture se fait
dans un processus à part, pour qu'un arrêt se voie comme un échec du test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.outils import classeur

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

_LOINTAINE = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'


def _gabarit(tmp_path) -> tuple[Path, dict[str, bytes]]:
    import io
    import zipfile

    chemin = classeur(tmp_path, "base.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})
    archive = zipfile.ZipFile(io.BytesIO(chemin.read_bytes()))
    return chemin, {n: archive.read(n) for n in archive.namelist()}


def _ecrire(chemin: Path, membres: dict[str, bytes]) -> None:
    import zipfile

    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, donnees in membres.items():
            archive.writestr(nom, donnees)


def _variantes(membres: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    feuille = membres["xl/worksheets/sheet2.xml"]
    piegee = feuille.replace(b"</sheetData>", _LOINTAINE + b"</sheetData>")
    relations = membres["xl/_rels/workbook.xml.rels"]
    return {
        # La relation vise « sheet%32.xml » (sheet2.xml une fois décodée) ; un membre porte ce
        # nom littéral.
        "pourcent": membres
        | {
            "xl/_rels/workbook.xml.rels": relations.replace(b"sheet2.xml", b"sheet%32.xml"),
            "xl/worksheets/sheet%32.xml": piegee,
        },
        # Un membre au nom Windows qu'un lecteur pourrait confondre avec la vraie feuille.
        "barre-oblique-inverse": membres | {"xl\\worksheets\\sheet2.xml": piegee},
        # Deux attributs `r` dans la même balise de cellule.
        "double-r": membres
        | {
            "xl/worksheets/sheet2.xml": feuille.replace(
                b"</sheetData>",
                b'<row r="41"><c r="A41" r="XFD1048576"><v>1</v></c></row></sheetData>',
            )
        },
        # Un préfixe d'espace de noms non ASCII sur la cellule.
        "prefixe-non-ascii": membres
        | {
            "xl/worksheets/sheet2.xml": feuille.replace(
                b"</sheetData>",
                '<row r="41"><é:c xmlns:é="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                'main" r="XFD1048576"><é:v>1</é:v></é:c></row></sheetData>'.encode(),
            )
        },
    }


@pytest.mark.parametrize(
    "variante", ["pourcent", "barre-oblique-inverse", "double-r", "prefixe-non-ascii"]
)
def test_lecture_sans_arret_du_processus(tmp_path, variante):
    import subprocess
    import sys

    _, membres = _gabarit(tmp_path)
    chemin = tmp_path / f"{variante}.xlsx"
    _ecrire(chemin, _variantes(membres)[variante])
    code = (
        "from barometre_cli.lecture import lire_classeur\n"
        f"lu = lire_classeur({str(chemin)!r})\n"
        "print([c.code for c in lu.constats])"
    )
    fin = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert fin.returncode == 0, fin.stderr[-400:]
