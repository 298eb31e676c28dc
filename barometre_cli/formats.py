"""Nombres à la québécoise : « 33,3 % », « 1 234 », et les mots des cas sans résultat."""

from __future__ import annotations

from fractions import Fraction

INDETERMINE = "indéterminé"
NON_APPLICABLE = "non applicable"


def pourcentage(
    valeur: Fraction | float | None, decimales: int = 1, vide: str = INDETERMINE
) -> str:
    if valeur is None:
        return vide
    texte = f"{float(valeur) * 100:.{decimales}f}".replace(".", ",")
    return f"{texte} %"


def entier(valeur: int | None) -> str:
    if valeur is None:
        return "—"
    return f"{valeur:,}".replace(",", "\u00a0")


def oui_non(valeur: bool | None) -> str:
    return "—" if valeur is None else ("Oui" if valeur else "Non")
