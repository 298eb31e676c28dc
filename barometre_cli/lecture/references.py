"""Les références A1 : un seul analyseur pour la lecture, le remplissage et les gabarits.

« C7 » ↔ (7, 3), « C » ↔ 3, « 'L''été'!$A$1:$C$4 » → (feuille, coins). Lire et écrire avec le
même code garantit qu'une référence écrite dans un gabarit se relit à l'identique.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Dernière colonne d'une feuille Excel (XFD).
COLONNE_MAX_EXCEL = 16_384

_RE_CELLULE = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})")
_RE_REFERENCE = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!:\[\]\s,()\"=]+))!"
    r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?"
)

_COLONNES: dict[str, int] = {}


class Reference(NamedTuple):
    """Une zone rectangulaire nommée par sa feuille et ses coins (ligne1 ≤ ligne2, etc.)."""

    feuille: str
    ligne1: int
    colonne1: int
    ligne2: int
    colonne2: int


def numero_colonne(lettres: str) -> int:
    """« C » → 3, « XFD » → 16 384 ; mis en cache, car appelé pour chaque cellule lue."""
    numero = _COLONNES.get(lettres)
    if numero is None:
        numero = 0
        for lettre in lettres.upper():
            numero = numero * 26 + ord(lettre) - 64
        if len(_COLONNES) < 50_000:
            _COLONNES[lettres] = numero
    return numero


def _lettres(colonne: int) -> str:
    lettres = ""
    while colonne > 0:
        colonne, reste = divmod(colonne - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def lettres_colonne(colonne: int) -> str:
    """3 → « C », 16 384 → « XFD » ; refuse une colonne hors d'une feuille Excel.

    Le pendant de `openpyxl.utils.get_column_letter`, pour écrire un gabarit sans openpyxl.
    """
    if not 1 <= colonne <= COLONNE_MAX_EXCEL:
        raise ValueError(f"colonne hors d'une feuille Excel : {colonne}")
    return _lettres(colonne)


def adresse(ligne: int, colonne: int) -> str:
    """(7, 3) → « C7 »."""
    return f"{_lettres(colonne)}{ligne}"


def position(reference: str) -> tuple[int, int] | None:
    """« XFD1048576 » → (1048576, 16384) ; None si la référence n'en est pas une."""
    correspondance = _RE_CELLULE.fullmatch(reference)
    if correspondance is None:
        return None
    lettres, chiffres = correspondance.groups()
    return int(chiffres), numero_colonne(lettres)


def lire_reference(texte: str) -> Reference | None:
    """« ='L''été'!$C$4:$A$2 » → Reference(« L'été », 2, 1, 4, 3) ; None si ce n'en est pas une.

    Une seule zone, sur une feuille nommée : `#REF!`, plusieurs zones, colonnes entières et
    constantes rendent None. Les coins sont remis dans l'ordre.
    """
    correspondance = _RE_REFERENCE.fullmatch(texte.lstrip("=").strip())
    if correspondance is None:
        return None
    entre_apostrophes, simple, c1, l1, c2, l2 = correspondance.groups()
    feuille = entre_apostrophes.replace("''", "'") if entre_apostrophes is not None else simple
    ligne1, colonne1 = int(l1), numero_colonne(c1)
    ligne2, colonne2 = (int(l2), numero_colonne(c2)) if c2 else (ligne1, colonne1)
    ligne1, ligne2 = sorted((ligne1, ligne2))
    colonne1, colonne2 = sorted((colonne1, colonne2))
    return Reference(feuille, ligne1, colonne1, ligne2, colonne2)


def nombre_cellules(zone: Reference) -> int:
    """Le nombre de cellules d'une zone rectangulaire."""
    return (zone.ligne2 - zone.ligne1 + 1) * (zone.colonne2 - zone.colonne1 + 1)


def zone_permise(zone: Reference) -> Reference | None:
    """La zone d'un nom défini (ou plage nommée) si elle reste dans la zone lue et sous la
    limite de cellules par nom ; sinon None (le nom est alors « brisé »). La même règle pour
    les .xlsx et les .ods."""
    from barometre_cli.lecture import limites

    if (
        zone.ligne1 < 1
        or zone.colonne1 < 1
        or zone.ligne2 > limites.LIGNES_MAX
        or zone.colonne2 > limites.COLONNES_MAX
    ):
        return None
    return zone if nombre_cellules(zone) <= limites.CELLULES_MAX_PAR_NOM else None
