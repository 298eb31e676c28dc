"""`resultats.xlsx` : les chiffres de `resultats.csv`, prêts pour Excel et Calc en français.

Le fichier de données ouvertes reste au format standard (virgule, point décimal, Table Schema).
Ouvert tel quel par un tableur réglé en français, il se lit mal : « 0.6299 » y reste du texte,
et lu à l'anglaise, la cible « 1.1 » devient le nombre 1,1. Ce classeur donne la même table,
mêmes colonnes (`colonnes.COLONNES_RESULTATS`, puis l'évolution) et mêmes lignes, sans réglage
d'importation : chaque nombre est un vrai nombre (proportions au format pourcentage, valeur
entière gardée en entier), la cible et la portée du texte. Les proportions gardent toute leur
précision : seul l'affichage est arrondi.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from barometre_cli.domaine.colonnes import COLONNES_EVOLUTION, COLONNES_RESULTATS
from barometre_cli.ecriture.atomique import ecrire_atomiquement
from barometre_cli.ecriture.classeur import (
    ENTIER,
    FORMAT_POINTS,
    NOMBRE,
    POURCENT,
    POURCENT_ENTIER,
    Colonne,
    imprimer_table,
    lignes,
    table,
)

NOM_FICHIER = "resultats.xlsx"

#: Format et largeur de chaque colonne ; le titre de la colonne est son nom dans le CSV.
_FORMATS: dict[str, tuple[str | None, int]] = {
    "portee": (None, 34),
    "cible": (None, 7),
    "indicateur": (None, 60),
    "valeur_cible": (POURCENT_ENTIER, 13),
    "resultat": (POURCENT, 10),
    "taux_atteinte": (POURCENT_ENTIER, 14),
    "numerateur": (ENTIER, 12),
    "denominateur": (ENTIER, 13),
    "organisations_repondantes": (ENTIER, 26),
    "organisations_ciblees": (ENTIER, 22),
    "periode": (NOMBRE, 9),
    "resultat_precedent": (POURCENT, 19),
    "variation": (FORMAT_POINTS, 10),
}


def _periode(valeur: object) -> int | str | None:
    """L'année en nombre (« 2026 » → 2026), comme le type `year` du CSV ; autre chose tel quel."""
    if valeur is None or (isinstance(valeur, float) and pd.isna(valeur)) or valeur == "":
        return None
    texte = str(valeur)
    return int(texte) if texte.isdigit() else texte


def ecrire_resultats_xlsx(resultats: pd.DataFrame, dossier: Path, periode: str) -> Path:
    cles = COLONNES_RESULTATS + [c for c in COLONNES_EVOLUTION if c in resultats.columns]
    colonnes: list[Colonne] = [(cle, cle, *_FORMATS[cle]) for cle in cles]
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "resultats"

    def rangees():
        for ligne in lignes(resultats):
            yield {**ligne, "periode": _periode(ligne.get("periode"))}

    table(feuille, colonnes, rangees())
    imprimer_table(feuille, periode, colonnes, libelles=2)
    return ecrire_atomiquement(dossier / NOM_FICHIER, classeur.save)
