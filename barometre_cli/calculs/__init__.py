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
from barometre_cli.catalogue import Calcul, Cible, cibles
from barometre_cli.domaine.formats import en_lettres, enumerer

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
    "cibles_dependant_du_registre",
    "methode_portees",
    "nombre_cibles",
    "resultat_organisation",
    "type_calcul",
]


def type_calcul(cible: Cible) -> TypeCalcul:
    """L'unité qui sait calculer `cible`."""
    return TYPES[cible.calcul]


def resultat_organisation(saisie: Any, cible: Cible) -> Resultat:
    """Ce que le répondant verra de sa propre organisation pour `cible`."""
    return type_calcul(cible).resultat(saisie, cible)


# --- Ce que les types disent d'eux-mêmes, pour les phrases des sorties ---------------------


def nombre_cibles() -> str:
    """Le nombre de cibles du catalogue, en lettres (« dix ») : aucune phrase ne l'écrit."""
    return en_lettres(len(cibles()))


def cibles_dependant_du_registre() -> list[str]:
    """Les cibles dont le dénominateur compte les organisations ciblées : sans registre, leur
    résultat est surestimé (les répondantes tiennent lieu de ciblées)."""
    return [c.id for c in cibles() if type_calcul(c).depend_du_registre]


def methode_portees(sujet: str = "le résultat d'une portée") -> str:
    """Comment se calcule le résultat d'une portée, cible par cible, en une phrase.

    La règle la plus fréquente est dite d'abord, sans nommer ses cibles ; chaque autre règle
    nomme les siennes : « Le résultat est la somme des numérateurs […] ; pour les cibles 4.1 et
    6.1, c'est le nombre d'organisations […]. »
    """
    par_regle: dict[str, list[str]] = {}
    for c in cibles():
        par_regle.setdefault(type_calcul(c).regle_portee, []).append(c.id)
    regles = sorted(par_regle.items(), key=lambda r: -len(r[1]))
    phrase = f"{sujet} est {regles[0][0]}"
    for regle, ids in regles[1:]:
        quelles = f"la cible {ids[0]}" if len(ids) == 1 else f"les cibles {enumerer(ids)}"
        phrase += f" ; pour {quelles}, c'est {regle}"
    return phrase
