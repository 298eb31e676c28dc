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
