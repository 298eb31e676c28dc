"""Le catalogue : les dix cibles du Baromètre numériQc et leur vocabulaire, comme des données.

Tout le reste (gabarits, validation, calcul, rapports) lit ce paquet. Ajouter une cible d'un
type de calcul existant, c'est ajouter une entrée à `CIBLES` ; changer un seuil, c'est changer
une ligne de `cibles.py`. Le code lit toujours les cibles par `cibles()` et `cible(id)` à
l'appel, jamais par une copie faite à l'import : un catalogue étendu (une onzième cible)
est vu partout.
"""

from __future__ import annotations

from barometre_cli.catalogue.cibles import (
    CIBLES,
    LIGNES_TABLEAU,
    PROCESSUS_5_2,
    SEUIL_DIFFUSION,
    SEUIL_POINTS_AXE_A,
    SEUIL_TAUX_UTILISATION,
    STATUT_SANS_PAPIER,
    STATUTS_5_2,
)
from barometre_cli.catalogue.lexique import (
    AMBITIONS,
    ECHELLE,
    IDENTIFICATION,
    LEXIQUE,
    ORIENTATIONS,
    RETROACTION,
)
from barometre_cli.catalogue.modele import (
    ADRESSE_VALIDATEUR,
    DEBUT_PERIODE_REFERENCE,
    FEUILLE_INSTRUCTIONS,
    FEUILLE_RETROACTION,
    FEUILLE_SAISIE,
    NON,
    OUI,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RESEAUX,
    VERSION_FORMAT,
    Calcul,
    Champ,
    Cible,
    Colonne,
    Processus,
    Seuil,
    Type,
    normaliser_libelle,
    texte_verification,
)

__all__ = [
    "ADRESSE_VALIDATEUR",
    "AMBITIONS",
    "CIBLES",
    "DEBUT_PERIODE_REFERENCE",
    "ECHELLE",
    "FEUILLE_INSTRUCTIONS",
    "FEUILLE_RETROACTION",
    "FEUILLE_SAISIE",
    "IDENTIFICATION",
    "LEXIQUE",
    "LIGNES_TABLEAU",
    "NON",
    "ORIENTATIONS",
    "OUI",
    "PROCESSUS_5_2",
    "PROP_CIBLE",
    "PROP_ORGANISATION",
    "PROP_PERIODE",
    "PROP_VERSION",
    "RESEAUX",
    "RETROACTION",
    "SEUIL_DIFFUSION",
    "SEUIL_POINTS_AXE_A",
    "SEUIL_TAUX_UTILISATION",
    "STATUTS_5_2",
    "STATUT_SANS_PAPIER",
    "VERSION_FORMAT",
    "Calcul",
    "Champ",
    "Cible",
    "Colonne",
    "Processus",
    "Seuil",
    "Type",
    "cible",
    "cibles",
    "ids_cibles",
    "normaliser_libelle",
    "texte_verification",
]


def cibles() -> tuple[Cible, ...]:
    """Les cibles du catalogue, dans l'ordre du guide (lues à l'appel : voir plus haut)."""
    return CIBLES


def cible(id: str) -> Cible:
    """La cible `id` (« 5.1 »), ou KeyError si elle n'existe pas."""
    for c in CIBLES:
        if c.id == id:
            return c
    raise KeyError(id)


def ids_cibles() -> tuple[str, ...]:
    return tuple(c.id for c in CIBLES)
