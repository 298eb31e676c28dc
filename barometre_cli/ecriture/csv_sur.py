"""Les CSV destinés à un tableur : UTF-8 avec BOM, aucune case exécutable, aucun caractère de
contrôle ni de direction (un U+202E retournerait le texte qui le suit).

Un tableur exécute une case qui commence par « = », « + », « - », « @ », une tabulation ou un
retour chariot (injection CSV, CWE-1236) : un nom d'organisation ou de répondant ainsi fait
reçoit une apostrophe devant, comme le font les tableurs eux-mêmes. Le BOM fait qu'Excel ouvre
le fichier en UTF-8 sans abîmer les accents. Le journal, les relances et l'historique par
organisation passent tous par ici.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable

from barometre_cli.domaine.formats import sans_controle

_DEBUTS_EXECUTABLES = ("=", "+", "-", "@")


def _executable(texte: str) -> bool:
    """Un tableur en ferait une formule : « = + - @ » en tête, même après des blancs (« =1+1 »
    précédé d'une espace est exécuté par certains tableurs), ou une tabulation, un retour."""
    return texte.startswith(("\t", "\r", "\n")) or texte.lstrip().startswith(_DEBUTS_EXECUTABLES)


def neutraliser(texte: str) -> str:
    """Une case de texte qu'aucun tableur n'interprétera comme une formule.

    L'apostrophe ajoutée se distingue d'une apostrophe saisie : un texte qui commence déjà par
    des apostrophes suivies d'un début exécutable en reçoit une de plus (« '=1+1 » s'écrit
    « ''=1+1 », « =1+1 » s'écrit « '=1+1 ») ; `retablir` rend toujours le texte d'origine.
    """
    return "'" + texte if _executable(texte.lstrip("'")) else texte


def retablir(texte: str) -> str:
    """L'inverse de `neutraliser`, pour relire un CSV que l'outil a écrit."""
    if texte.startswith("'") and _executable(texte.lstrip("'")):
        return texte[1:]
    return texte


def case(valeur: object) -> str:
    """Le texte d'une case : un texte est neutralisé ; un nombre s'écrit à pleine précision avec
    le point (jamais neutralisé : « -20 » reste un nombre), un booléen en `true`/`false` (ceux
    de Frictionless), une valeur absente (None, NaN) en case vide."""
    if isinstance(valeur, str):
        return neutraliser(sans_controle(valeur))
    if hasattr(valeur, "item"):  # scalaires numpy
        valeur = valeur.item()
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    return str(valeur)


def texte_tableur(colonnes: list[str], lignes: Iterable[Iterable[object]]) -> str:
    """Le CSV (virgule, fins de ligne Windows), chaque case écrite par `case`."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\r\n")
    ecrivain.writerow(colonnes)
    for ligne in lignes:
        ecrivain.writerow([case(v) for v in ligne])
    return tampon.getvalue()
