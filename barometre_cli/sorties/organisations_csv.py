"""`organisations.csv` : les résultats de chaque organisation, que la collecte suivante relira.

Une ligne par organisation ciblée et par cible retenue : numérateur, dénominateur, résultat
(proportion de 0 à 1, vide si indéterminée) et, pour 4.1 et 6.1, la condition respectée
(`true`/`false`). Avec `--precedent`, le résultat précédent et la variation en points suivent.
C'est un fichier de travail du Ministère, pas une donnée ouverte : `datapackage.json` ne le
décrit pas ; son format est dans docs/suivi.md. UTF-8 avec BOM, texte neutralisé contre
l'injection CSV (la relecture retire l'apostrophe, `csv_sur.retablir`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometre_cli.compilation.evolution import a_evolution_organisations
from barometre_cli.compilation.precedent import NOM_HISTORIQUE
from barometre_cli.domaine.colonnes import COLONNES_EVOLUTION_ORGANISATION, COLONNES_HISTORIQUE
from barometre_cli.ecriture.atomique import ecrire_texte_atomiquement
from barometre_cli.ecriture.csv_sur import texte_tableur


def colonnes_historique(organisations: pd.DataFrame) -> list[str]:
    evolution = a_evolution_organisations(organisations)
    return COLONNES_HISTORIQUE + (COLONNES_EVOLUTION_ORGANISATION if evolution else [])


def texte_historique(organisations: pd.DataFrame, periode: str) -> str:
    """Les lignes retenues de `Consolidation.organisations`, aux colonnes de l'historique."""
    colonnes = colonnes_historique(organisations)
    retenues = organisations[organisations["absence"].isna()]

    def lignes():
        for o in retenues.to_dict("records"):
            ligne = {
                **o,
                "periode": periode,
                "organisation_code": o["code"],
                "organisation_nom": o["nom"],
            }
            yield [ligne.get(c) for c in colonnes]

    return texte_tableur(colonnes, lignes())


def ecrire_historique(organisations: pd.DataFrame, dossier: Path, periode: str) -> Path:
    return ecrire_texte_atomiquement(
        dossier / NOM_HISTORIQUE, texte_historique(organisations, periode), encodage="utf-8-sig"
    )
