"""Les cinq types de calcul du guide, une unité chacun ; `type_calcul(cible)` les distribue.

Ajouter une cible d'un type existant ne touche que le catalogue. Ajouter un type, c'est écrire
une unité (sa saisie, ses règles, son résultat, ses lignes, son détail, ses morceaux de
gabarit) et l'inscrire ici : rien d'autre ne teste le type d'une cible.
"""

from __future__ import annotations

from typing import Any

from barometre_cli.calculs import condition, jeux_donnees, liste_fixe, ratio, taux_utilisation
from barometre_cli.calculs.base import Resultat, TypeCalcul
from barometre_cli.calculs.condition import SaisieCondition
from barometre_cli.calculs.jeux_donnees import Jeu, SaisieJeux
from barometre_cli.calculs.liste_fixe import SaisieListe
from barometre_cli.calculs.ratio import SaisieRatio
from barometre_cli.calculs.taux_utilisation import SaisieServices, Service
from barometre_cli.catalogue import Calcul, Cible

TYPES: dict[Calcul, TypeCalcul] = {
    t.TYPE.calcul: t.TYPE for t in (ratio, condition, taux_utilisation, liste_fixe, jeux_donnees)
}

#: La saisie validée d'une organisation pour une cible : ce qui sera compté.
Saisie = SaisieRatio | SaisieCondition | SaisieServices | SaisieListe | SaisieJeux

__all__ = [
    "TYPES",
    "Jeu",
    "Saisie",
    "SaisieCondition",
    "SaisieJeux",
    "SaisieListe",
    "SaisieRatio",
    "SaisieServices",
    "Service",
    "resultat_organisation",
    "type_calcul",
]


def type_calcul(cible: Cible) -> TypeCalcul:
    """L'unité qui sait calculer `cible`."""
    return TYPES[cible.calcul]


def resultat_organisation(saisie: Any, cible: Cible) -> Resultat:
    """Ce que le répondant verra de sa propre organisation pour `cible`."""
    return type_calcul(cible).resultat(saisie, cible)
