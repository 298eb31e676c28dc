"""Écrire du texte venu de l'extérieur dans un classeur, toujours comme du texte.

openpyxl transforme toute chaîne qui commence par « = » en formule et « #N/A » en cellule
d'erreur, et refuse les caractères de contrôle. Un nom d'organisation ou de service saisi par un
répondant ne doit jamais devenir une formule (injection) ni faire échouer l'écriture : tout
texte de répondant ou de registre passe par `ecrire_texte`.
"""

from __future__ import annotations

from typing import Any

from barometre_cli.domaine.formats import sans_controle

_LONGUEUR_MAX = 32_767
#: Premiers caractères qu'un tableur interprète comme le début d'une formule.
DEBUTS_FORMULE = ("=", "+", "-", "@")


def texte_sur(valeur: object) -> str:
    """Le texte sans caractères de contrôle, coupé à la limite d'une cellule Excel."""
    texte = sans_controle(valeur)
    return texte[:_LONGUEUR_MAX]


def ecrire_texte(cellule: Any, valeur: object) -> None:
    """Écrit `valeur` comme texte littéral : jamais une formule, jamais une erreur."""
    texte = texte_sur(valeur)
    cellule.value = texte
    cellule.data_type = "s"
    if texte.startswith(DEBUTS_FORMULE):
        # Le préfixe d'apostrophe empêche Excel d'en refaire une formule à la modification.
        cellule.quotePrefix = True
