"""Les seuils du guide, en arithmétique exacte : les cas limites de chaque règle."""

from __future__ import annotations

from fractions import Fraction

import pytest

from barometre_cli.calculs import (
    Jeu,
    SaisieCondition,
    SaisieJeux,
    SaisieListe,
    SaisieServices,
    Service,
    resultat_organisation,
    type_calcul,
)
from barometre_cli.calculs.base import taux_atteinte
from barometre_cli.calculs.jeux_donnees import diffuse_majorite, jeu_haut_potentiel
from barometre_cli.calculs.taux_utilisation import service_compte
from barometre_cli.catalogue import cible


def respecte_4_1(plan: bool, initiative: bool) -> bool:
    return type_calcul(cible("4.1")).respecte(
        SaisieCondition("4.1", (plan, initiative)), cible("4.1")
    )


@pytest.mark.parametrize(
    ("numeriques", "totales", "compte"),
    [(76, 100, True), (75, 100, False), (3, 4, False), (751, 1000, True), (0, 0, False)],
)
def test_5_1_strictement_superieur_a_75_pour_cent(numeriques, totales, compte):
    assert service_compte(cible("5.1"), numeriques, totales) is compte


@pytest.mark.parametrize(("points", "haut"), [(49, False), (50, True), (90, True)])
def test_6_1_cinquante_points_ou_plus(points, haut):
    assert jeu_haut_potentiel(cible("6.1"), points) is haut


@pytest.mark.parametrize(
    ("diffuses", "haut_potentiel", "respecte"),
    [(2, 4, False), (3, 4, True), (1, 1, True), (0, 0, False), (1, 2, False)],
)
def test_6_1_plus_de_la_moitie(diffuses, haut_potentiel, respecte):
    assert diffuse_majorite(cible("6.1"), diffuses, haut_potentiel) is respecte


@pytest.mark.parametrize(
    ("plan", "initiative", "respecte"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_4_1_table_du_guide(plan, initiative, respecte):
    assert respecte_4_1(plan, initiative) is respecte


def test_taux_d_atteinte_exemple_du_guide():
    assert taux_atteinte(Fraction(25, 100), cible("1.1")) == Fraction(1, 3)
    assert taux_atteinte(None, cible("1.1")) is None


def test_resultats_d_une_organisation():
    services = (Service("a", 76, 100), Service("b", 75, 100), Service("c", 0, 0))
    assert resultat_organisation(SaisieServices("5.1", services), cible("5.1")).numerateur == 1
    jeux = (Jeu("a", 50, True), Jeu("b", 60, False), Jeu("c", 10, True))
    resultat = resultat_organisation(SaisieJeux("6.1", jeux), cible("6.1"))
    assert (resultat.numerateur, resultat.denominateur, resultat.respecte) == (1, 2, False)
    statuts = ("Sans papier de bout en bout",) * 3 + ("Papier de bout en bout",) * 9
    resultat = resultat_organisation(SaisieListe("5.2", statuts), cible("5.2"))
    assert (resultat.numerateur, resultat.denominateur) == (3, 12)
