"""La voie rapide de lecture donne exactement ce que donne la lecture détaillée."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli import lecture
from tests import hostiles
from tests.test_lecture import CAS_HOSTILES

RACINE = Path(__file__).resolve().parents[1]
CORPUS = [
    p
    for p in sorted((RACINE / "exemples" / "classeurs").rglob("*.xlsx"))[:60]
    if "notes" not in p.name
] + sorted((RACINE / "tests" / "donnees").glob("*.xlsx"))


def _deux_voies(chemin: Path, monkeypatch) -> tuple[lecture.ClasseurLu, lecture.ClasseurLu]:
    rapide = lecture.lire_classeur(chemin)
    monkeypatch.setattr(lecture, "VOIE_RAPIDE", False)
    detaillee = lecture.lire_classeur(chemin)
    monkeypatch.setattr(lecture, "VOIE_RAPIDE", True)
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


def test_classeur_valide_de_la_fabrique(tmp_path, monkeypatch):
    chemin = tmp_path / "v.xlsx"
    chemin.write_bytes(hostiles.classeur_valide())
    rapide, detaillee = _deux_voies(chemin, monkeypatch)
    assert rapide == detaillee and rapide.noms
