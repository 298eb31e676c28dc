"""Nombres affichés : jamais « 100 % » pour une cible qui n'est pas atteinte."""

from __future__ import annotations

from fractions import Fraction

import pytest

from barometre_cli.domaine.formats import INDETERMINE, entier, pourcentage, taux_atteinte
from barometre_cli.sorties.console import _barre


@pytest.mark.parametrize(
    ("taux", "attendu"),
    [
        (Fraction(299, 300), "99,6 %"),  # 99,67 % : arrondi, il annoncerait 100 %
        (Fraction(1, 3), "33 %"),  # l'exemple du guide : 25 % sur 75 %
        (1.0, "100 %"),
        (1.12, "112 %"),  # jamais plafonné
        (None, INDETERMINE),
        (float("nan"), INDETERMINE),
    ],
)
def test_taux_atteinte(taux, attendu):
    assert taux_atteinte(taux) == attendu


def test_barre_pleine_seulement_a_cent_pour_cent():
    assert "░" in _barre(0.9967, 20).plain
    assert "░" not in _barre(1.0, 20).plain


def test_pourcentage_et_entier_a_la_quebecoise():
    assert pourcentage(Fraction(627, 1000)) == "62,7 %"
    assert entier(36214) == "36\u00a0214"
