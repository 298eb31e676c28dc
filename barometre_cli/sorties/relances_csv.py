"""`relances.csv` : à qui écrire, et pour quoi, une ligne par organisation qui doit encore une cible.

Pensé pour le publipostage : UTF-8 avec BOM (Excel l'ouvre avec ses accents), virgule, une
ligne par organisation ciblée qui doit quelque chose (les organisations à jour n'y sont pas),
l'appel du courriel, ses cibles à suivre et le détail en phrases (les mêmes que la feuille
Relances et les fiches, sans aucun code interne ; les codes ont leur colonne, pour les
scripts). Chaque case de texte est neutralisée contre l'injection CSV. Colonnes :
`colonnes.COLONNES_RELANCES`.
"""

from __future__ import annotations

from pathlib import Path

from barometre_cli.compilation.suivi import Relance, cibles_dues, codes, details, salutation
from barometre_cli.domaine.colonnes import COLONNES_RELANCES
from barometre_cli.ecriture.atomique import ecrire_texte_atomiquement
from barometre_cli.ecriture.csv_sur import texte_tableur

NOM_FICHIER = "relances.csv"


def ligne_relance(relance: Relance, separateur: str = " ") -> dict[str, str]:
    """Une relance telle que le CSV et la feuille Relances la montrent ; `separateur` entre
    les phrases du détail (une espace dans le CSV, que le publipostage de Word lit ligne à
    ligne ; un saut de ligne dans une cellule de classeur)."""
    org = relance.organisation
    return {
        "organisation_code": org.code,
        "organisation_nom": " ".join(org.nom.split()),
        "reseau": org.reseau,
        "contact_nom": relance.contact_nom,
        "contact_courriel": relance.contact_courriel,
        "contact_source": relance.contact_source,
        "cibles_a_suivre": ", ".join(relance.ids),
        "details": details(relance, separateur),
        "periode": relance.periode,
        "salutation": salutation(relance),
        "cibles_dues": cibles_dues(relance),
        "codes": codes(relance),
    }


def texte_relances(relances: list[Relance]) -> str:
    lignes = (ligne_relance(r) for r in relances)
    return texte_tableur(
        COLONNES_RELANCES, ([ligne[c] for c in COLONNES_RELANCES] for ligne in lignes)
    )


def ecrire_relances(relances: list[Relance], dossier: Path) -> Path:
    """Écrit `relances.csv`, même vide (l'en-tête seul dit qu'il n'y a personne à relancer)."""
    return ecrire_texte_atomiquement(
        dossier / NOM_FICHIER, texte_relances(relances), encodage="utf-8-sig"
    )
