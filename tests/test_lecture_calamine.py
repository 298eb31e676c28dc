"""La lecture par python-calamine donne exactement ce que donne la lecture détaillée.

calamine ne reçoit une feuille qu'après des vérifications sur ses octets ; pour tout le reste
(formules dans les saisies, dates, cellules lointaines, fichiers piégés), la lecture détaillée
reprend la main. Ces tests comparent les deux voies sur de vrais classeurs et sur les pièges.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli import lecture
from tests import hostiles
from tests.outils import classeur
from tests.test_lecture import CAS_HOSTILES

RACINE = Path(__file__).resolve().parents[1]
CORPUS = [
    p
    for p in sorted((RACINE / "exemples" / "classeurs").rglob("*.xlsx"))[:60]
    if "notes" not in p.name
] + sorted((RACINE / "tests" / "donnees").glob("*.xlsx"))


def _deux_voies(chemin: Path, monkeypatch) -> tuple[lecture.ClasseurLu, lecture.ClasseurLu]:
    rapide = lecture.lire_classeur(chemin)
    monkeypatch.setattr(lecture, "CALAMINE", False)
    detaillee = lecture.lire_classeur(chemin)
    monkeypatch.setattr(lecture, "CALAMINE", True)
    return rapide, detaillee


@pytest.mark.parametrize("chemin", CORPUS, ids=[p.name for p in CORPUS])
def test_classeurs_reels(chemin, monkeypatch):
    rapide, detaillee = _deux_voies(chemin, monkeypatch)
    assert rapide == detaillee
    assert rapide.lisible


@pytest.mark.parametrize(
    ("fabrique", "code"), CAS_HOSTILES, ids=[f.__name__ for f, _ in CAS_HOSTILES]
)
def test_fichiers_hostiles(tmp_path, monkeypatch, fabrique, code):
    chemin = tmp_path / "f.xlsx"
    chemin.write_bytes(fabrique())
    rapide, detaillee = _deux_voies(chemin, monkeypatch)
    assert rapide == detaillee
    assert [c.code for c in rapide.constats] == [code]


@pytest.mark.parametrize(
    "valeurs",
    [
        {"c1_1_numerateur": "=2+3", "c1_1_denominateur": 10},  # formule dans une saisie
        {"c1_1_numerateur": "  douze ", "c1_1_denominateur": 10.5},
        {"c1_1_numerateur": True, "c1_1_denominateur": "_x0041_ texte"},
        {"c1_1_numerateur": None, "c1_1_denominateur": 1e300},
    ],
)
def test_saisies_particulieres(tmp_path, monkeypatch, valeurs):
    chemin = classeur(tmp_path, "c.xlsx", "1.1", valeurs, formules=True)
    rapide, detaillee = _deux_voies(chemin, monkeypatch)
    assert rapide == detaillee


def test_classeur_valide_de_la_fabrique(tmp_path, monkeypatch):
    chemin = tmp_path / "v.xlsx"
    chemin.write_bytes(hostiles.classeur_valide())
    rapide, detaillee = _deux_voies(chemin, monkeypatch)
    assert rapide == detaillee and rapide.noms


# ---- Ce que calamine ne doit jamais recevoir ------------------------------------------------
# Chaque variante cache une cellule en XFD1048576 là où calamine irait la chercher. Si une seule
# l'atteignait, le processus avorterait : on lit donc dans un processus à part.

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
        # La relation vise « sheet%32.xml » : nous lisons sheet2.xml, calamine le membre littéral.
        "pourcent": membres
        | {
            "xl/_rels/workbook.xml.rels": relations.replace(b"sheet2.xml", b"sheet%32.xml"),
            "xl/worksheets/sheet%32.xml": piegee,
        },
        # Un membre au nom Windows que calamine confondrait avec la vraie feuille.
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
def test_calamine_ne_lit_que_les_octets_verifies(tmp_path, variante):
    import subprocess
    import sys

    _, membres = _gabarit(tmp_path)
    chemin = tmp_path / f"{variante}.xlsx"
    _ecrire(chemin, _variantes(membres)[variante])
    code = f"from barometre_cli.lecture import lire_classeur; lire_classeur({str(chemin)!r})"
    fin = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert fin.returncode == 0, fin.stderr[-400:]
