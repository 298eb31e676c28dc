"""Nombres à la québécoise : « 33,3 % », « 1 234 », et les mots des cas sans résultat."""

from __future__ import annotations

import math
import re
from datetime import date
from fractions import Fraction

#: Contrôles de direction du texte (marques, plongements, forçages, isolats d'Unicode) : un
#: U+202E (« right-to-left override ») fait lire « AP01-‮xslx.exe » comme « AP01-exe.xlsx ».
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Caractères de contrôle (C0 sauf tabulation et sauts de ligne, DEL, C1) et contrôles de
#: direction : un texte venu d'un fichier (« _x001B_ ») ne doit ni piloter un terminal, ni
#: casser un XML, ni se montrer autrement qu'il n'est écrit.
_CONTROLE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI}]")
#: Ce qu'un nom ne contient jamais : contrôles (hors tabulation et sauts de ligne, qui sont
#: des blancs), contrôles de direction, espace sans chasse, marque d'ordre des octets.
_INVISIBLE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI}\\u200b\\ufeff]")


def sans_controle(texte: object) -> str:
    """Le texte sans caractère de contrôle ni de direction : la seule règle, pour l'écran comme
    pour Excel."""
    return _CONTROLE.sub("", str(texte))


#: Longueur maximale d'un nom, d'un code ou d'un autre texte saisi (celle que documente
#: l'interface des gabarits et que leur validation de données impose à la saisie).
TEXTE_MAX = 255
#: Longueur maximale d'une adresse courriel (RFC 5321 : un chemin de 256 octets, chevrons compris).
COURRIEL_MAX = 254


def caractere_invisible(texte: str) -> str:
    """« U+202E » : le premier caractère invisible d'un nom (contrôle, direction) ; "" sinon."""
    trouve = _INVISIBLE.search(texte)
    return f"U+{ord(trouve.group()):04X}" if trouve else ""


_BLANCS_DE_CONTROLE = re.compile(r"[\t\n\r]+")


def sans_invisible(texte: str) -> str:
    """Le texte d'un nom sans ses caractères invisibles ; un saut de ligne devient une espace."""
    return _BLANCS_DE_CONTROLE.sub(" ", _INVISIBLE.sub("", texte))


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


def taux_atteinte(taux: Fraction | float | None, vide: str = INDETERMINE) -> str:
    """Le taux d'atteinte en pour cent entiers, sans plafond (« 112 % »).

    Un taux de 99,7 % ne s'affiche jamais « 100 % » : ce serait annoncer une cible atteinte qui
    ne l'est pas ; on tronque alors au dixième (« 99,6 % »).
    """
    if taux is None or (isinstance(taux, float) and math.isnan(taux)):
        return vide
    taux = float(taux)
    texte = pourcentage(taux, 0)
    if taux < 1 and texte == "100 %":
        texte = pourcentage(math.floor(taux * 1000) / 1000, 1)
    return texte


MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def date_longue(jour: date) -> str:
    """« 1er décembre 2026 » : une date en toutes lettres, lisible dans tous les tableurs."""
    return f"{jour.day}{'er' if jour.day == 1 else ''} {MOIS[jour.month - 1]} {jour.year}"


_NOMBRES = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
    "dix-neuf", "vingt",
)  # fmt: skip


def en_lettres(n: int) -> str:
    """10 → « dix » : un petit nombre en toutes lettres, comme dans une phrase ; au-delà de
    vingt, en chiffres."""
    return _NOMBRES[n] if 0 <= n < len(_NOMBRES) else str(n)


def enumerer(elements: list[str] | tuple[str, ...], et: str = "et") -> str:
    """« 4.1 et 6.1 », « 1.1, 1.2 et 1.3 » : une liste dans une phrase."""
    elements = list(elements)
    if len(elements) < 2:
        return "".join(elements)
    return f"{', '.join(elements[:-1])} {et} {elements[-1]}"
