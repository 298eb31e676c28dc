"""Contrôles pour l'analyste : des chiffres plausibles mais à vérifier, jamais corrigés.

Ces contrôles ne changent aucun résultat : ils signalent ce qu'un œil humain doit regarder avant
publication (console, feuille « À vérifier » du sommaire, JSON). Chacun porte un code stable :
- `contribution-dominante` : une organisation apporte plus de la moitié du numérateur ou du
  dénominateur regroupé d'une cible retenue pour au moins 3 organisations (une saisie erronée y
  déplacerait le résultat gouvernemental) ;
- `compte-date` : un dénombrement dans la plage des numéros de série des dates de la collecte
  (du 3 juin 2019 à 2030) : une date tapée dans une cellule de nombre y devient 43 619 ou plus ;
- `variation-forte` (avec `--precedent` et l'historique par organisation) : le résultat propre
  d'une organisation bouge de `VARIATION_FORTE` points de pourcentage ou plus depuis la
  collecte précédente ; pour un type à condition (`TypeCalcul.variation_en_points` faux), la
  condition n'est plus respectée ou l'est maintenant. Un vrai progrès se reconnaît vite ; une
  erreur de saisie (un dénominateur oublié, une colonne inversée) aussi.

Les phrases ne disent « points » que pour des points de pourcentage ; le décompte de la
console et du sommaire compte des « éléments » (`titre`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.base import (
    POINT_COMPTE_DATE,
    POINT_PART_DOMINANTE,
    POINT_VARIATION_FORTE,
)
from barometre_cli.catalogue import cible

if TYPE_CHECKING:
    import pandas as pd

#: Une organisation qui pèse plus que cette part d'un total regroupé est signalée.
PART_DOMINANTE = Fraction(1, 2)
#: Nombre minimal d'organisations retenues pour que la part d'une seule ait un sens.
ORGANISATIONS_MIN = 3
#: Numéros de série (calendrier 1900 d'Excel et de LibreOffice) des dates plausibles d'une
#: saisie : du début de la période de référence à la fin de 2030.
_ORIGINE = date(1899, 12, 30)
SERIE_MIN = (date(2019, 6, 3) - _ORIGINE).days
SERIE_MAX = (date(2030, 12, 31) - _ORIGINE).days
#: Variation, en points de pourcentage, au-delà de laquelle le résultat d'une organisation est
#: signalé : 25 points, c'est le quart de l'échelle, rarement gagné ou perdu en un an.
VARIATION_FORTE = 25


@dataclass(frozen=True)
class PointAVerifier:
    """Un point à vérifier : quoi (code), où (cible, organisation) et les chiffres en cause."""

    code: str
    cible: str
    organisation: str
    valeur: int
    total: int = 0
    fichier: str = ""
    #: pour une condition qui a changé : respectée maintenant (True) ou plus (False)
    respecte: bool | None = None


def points_a_verifier(
    reponses: pd.DataFrame, organisations: pd.DataFrame | None = None
) -> list[PointAVerifier]:
    """Les contrôles sur les réponses retenues (une ligne par organisation et cible) et, avec
    l'historique, sur l'évolution de chaque organisation (`Consolidation.organisations`)."""
    controles: list[PointAVerifier] = []
    for id_cible, groupe in reponses.groupby("cible", sort=False):
        c = cible(str(id_cible))
        points = type_calcul(c).points_a_verifier  # le type dit ce qui a un sens pour lui
        if POINT_PART_DOMINANTE in points and groupe["code"].nunique() >= ORGANISATIONS_MIN:
            controles.extend(_dominantes(c.id, groupe))
        if POINT_COMPTE_DATE not in points:
            continue
        for ligne in groupe.itertuples(index=False):
            for valeur in (int(ligne.numerateur), int(ligne.denominateur)):
                if SERIE_MIN <= valeur <= SERIE_MAX:
                    controles.append(
                        PointAVerifier(
                            POINT_COMPTE_DATE, c.id, ligne.code, valeur, 0, ligne.fichier
                        )
                    )
                    break
    if organisations is not None and "variation" in organisations.columns:
        controles.extend(_variations(organisations))
    return controles


def _variations(organisations: pd.DataFrame) -> list[PointAVerifier]:
    """Une organisation dont le résultat propre a beaucoup bougé depuis la collecte précédente :
    en points de pourcentage pour une proportion, par la condition pour un type à condition."""
    import math

    trouves = []
    for o in organisations.itertuples(index=False):
        calcul = type_calcul(cible(str(o.cible)))
        if POINT_VARIATION_FORTE not in calcul.points_a_verifier:
            continue
        if not calcul.variation_en_points:
            avant, maintenant = _booleen(o.respecte_precedent), _booleen(o.respecte)
            if avant is not None and maintenant is not None and avant != maintenant:
                trouves.append(
                    PointAVerifier(
                        POINT_VARIATION_FORTE, o.cible, o.code, 0, 0, o.fichier, maintenant
                    )
                )
            continue
        variation = o.variation
        if (
            isinstance(variation, float)
            and not math.isnan(variation)
            and abs(round(variation, 1)) >= VARIATION_FORTE
        ):
            points = round(variation)
            trouves.append(
                PointAVerifier(POINT_VARIATION_FORTE, o.cible, o.code, points, 0, o.fichier)
            )
    return trouves


def _booleen(valeur: object) -> bool | None:
    """Une condition de la table (bool Python ou NumPy) ; None si elle est inconnue."""
    import numpy as np

    return bool(valeur) if isinstance(valeur, bool | np.bool_) else None


def _dominantes(id_cible: str, groupe: pd.DataFrame) -> list[PointAVerifier]:
    trouves = []
    for colonne in ("numerateur", "denominateur"):
        total = int(groupe[colonne].sum())
        if total <= 0:
            continue
        for ligne in groupe.itertuples(index=False):
            part = int(getattr(ligne, colonne))
            if Fraction(part, total) > PART_DOMINANTE:
                trouves.append(
                    PointAVerifier(
                        POINT_PART_DOMINANTE, id_cible, ligne.code, part, total, ligne.fichier
                    )
                )
    return trouves


def titre(nombre: int, lieu: str = "feuille « À vérifier » du sommaire") -> str:
    """Le décompte de la console et du sommaire : des éléments, pas des « points »."""
    return (
        f"À vérifier avant publication : {nombre} élément{'s' if nombre >= 2 else ''} "
        f"({lieu} ; aucun chiffre n'en est changé)"
    )


def texte(controle: PointAVerifier) -> str:
    """Le contrôle en français, pour la console et le sommaire."""
    from barometre_cli.domaine.formats import entier, pourcentage

    if controle.code == POINT_COMPTE_DATE:
        return (
            f"Cible {controle.cible}, {controle.organisation} : le nombre "
            f"{entier(controle.valeur)} correspond au numéro de série d'une date ; vérifiez "
            f"qu'une date n'a pas été tapée dans une cellule de nombre ({controle.fichier})."
        )
    if controle.code == POINT_VARIATION_FORTE:
        if controle.respecte is not None:
            changement = (
                "la condition est maintenant respectée ; elle ne l'était pas"
                if controle.respecte
                else "la condition n'est plus respectée ; elle l'était"
            )
            changement += " à la collecte précédente"
        else:
            changement = (
                f"son résultat a {'gagné' if controle.valeur > 0 else 'perdu'} "
                f"{abs(controle.valeur)} points de pourcentage depuis la collecte précédente"
            )
        return (
            f"Cible {controle.cible}, {controle.organisation} : {changement} ; vérifiez que ce "
            f"n'est pas une erreur de saisie ({controle.fichier})."
        )
    part = Fraction(controle.valeur, controle.total)
    return (
        f"Cible {controle.cible}, {controle.organisation} : {entier(controle.valeur)} sur "
        f"{entier(controle.total)} ({pourcentage(part, 0)}) du total regroupé ; une erreur de "
        f"saisie y changerait le résultat gouvernemental ({controle.fichier})."
    )
