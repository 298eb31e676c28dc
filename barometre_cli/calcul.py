"""Les règles de calcul du guide, en arithmétique exacte, pour une organisation.

Chaque seuil du guide n'est écrit qu'ici : `valider` s'en sert pour montrer au répondant son
propre résultat, et `compiler` pour marquer chaque service, jeu de données et organisation avant
de tout additionner. Les comparaisons se font en fractions : 75 % pile n'est jamais « supérieur
à 75 % » à cause d'un arrondi.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from barometre_cli.catalogue import (
    SEUIL_DIFFUSION,
    SEUIL_POINTS_AXE_A,
    SEUIL_TAUX_UTILISATION,
    STATUT_SANS_PAPIER,
    Calcul,
    Cible,
)


@dataclass(frozen=True)
class Service:
    """Une ligne du tableau de la cible 5.1."""

    nom: str
    utilisations_numeriques: int
    utilisations_totales: int


@dataclass(frozen=True)
class Jeu:
    """Une ligne du tableau de la cible 6.1."""

    nom: str
    points_axe_a: int
    diffuse: bool


@dataclass(frozen=True)
class Saisie:
    """Les données validées d'une organisation pour une cible : ce qui sera compté."""

    cible: str
    numerateur: int | None = None
    denominateur: int | None = None
    plan_depose: bool | None = None
    initiative_terminee: bool | None = None
    services: tuple[Service, ...] = ()
    statuts: tuple[str, ...] = ()
    jeux: tuple[Jeu, ...] = ()


@dataclass(frozen=True)
class Resultat:
    """Numérateur, dénominateur et ce qu'on en tire ; `None` quand le dénominateur vaut 0."""

    cible: str
    numerateur: int
    denominateur: int
    proportion: Fraction | None
    taux_atteinte: Fraction | None
    #: pour 4.1 et 6.1 : l'organisation remplit-elle la condition ?
    respecte: bool | None = None


def service_compte(numeriques: int, totales: int) -> bool:
    """5.1 : le taux d'utilisation numérique est strictement supérieur à 75 %."""
    return totales > 0 and Fraction(numeriques, totales) > SEUIL_TAUX_UTILISATION


def jeu_haut_potentiel(points: int) -> bool:
    """6.1 : 50 points ou plus à l'axe A de l'Outil de priorisation."""
    return points >= SEUIL_POINTS_AXE_A


def diffuse_majorite(diffuses: int, haut_potentiel: int) -> bool:
    """6.1 : plus de 50 % des jeux à haut potentiel diffusés ; aucun jeu → non."""
    return haut_potentiel > 0 and Fraction(diffuses, haut_potentiel) > SEUIL_DIFFUSION


def respecte_4_1(plan_depose: bool, initiative_terminee: bool) -> bool:
    """4.1 : plan déposé **et** au moins une initiative terminée."""
    return plan_depose and initiative_terminee


def proportion(numerateur: int, denominateur: int) -> Fraction | None:
    return Fraction(numerateur, denominateur) if denominateur else None


def taux_atteinte(resultat: Fraction | None, cible: Cible) -> Fraction | None:
    """Résultat / valeur visée (25 % sur 75 % → 33 %) ; jamais plafonné."""
    return None if resultat is None else resultat / cible.valeur_visee


def numerateur_denominateur(saisie: Saisie, cible: Cible) -> tuple[int, int]:
    """Le couple propre à une organisation, selon le type de calcul de la cible."""
    if cible.calcul is Calcul.RATIO:
        return saisie.numerateur or 0, saisie.denominateur or 0
    if cible.calcul is Calcul.CONDITION:
        ok = respecte_4_1(bool(saisie.plan_depose), bool(saisie.initiative_terminee))
        return int(ok), 1
    if cible.calcul is Calcul.TAUX_UTILISATION:
        comptes = sum(
            service_compte(s.utilisations_numeriques, s.utilisations_totales)
            for s in saisie.services
        )
        return comptes, len(saisie.services)
    if cible.calcul is Calcul.LISTE_FIXE:
        return sum(s == STATUT_SANS_PAPIER for s in saisie.statuts), 12
    haut = [j for j in saisie.jeux if jeu_haut_potentiel(j.points_axe_a)]
    return sum(j.diffuse for j in haut), len(haut)


def resultat_organisation(saisie: Saisie, cible: Cible) -> Resultat:
    """Ce que le répondant verra de sa propre organisation pour `cible`."""
    num, den = numerateur_denominateur(saisie, cible)
    prop = proportion(num, den)
    if cible.calcul is Calcul.CONDITION:
        return Resultat(cible.id, num, den, prop, taux_atteinte(prop, cible), bool(num))
    if cible.calcul is Calcul.JEUX_DONNEES:
        # Au niveau d'une organisation, 6.1 est une condition : le taux d'atteinte n'a de sens
        # qu'à l'échelle gouvernementale.
        return Resultat(cible.id, num, den, prop, None, diffuse_majorite(num, den))
    return Resultat(cible.id, num, den, prop, taux_atteinte(prop, cible))
