"""Le fichier de données ouvertes `resultats.csv` et sa description `datapackage.json`.

Format pensé pour Données Québec : UTF-8, virgule, une ligne par cible et par portée, les
proportions en décimales de 0 à 1 à pleine précision, une case vide quand le résultat est
indéterminé. Le `datapackage.json` (Frictionless Table Schema) décrit chaque colonne.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd

from barometre_cli.calculs import cibles_dependant_du_registre, methode_portees, nombre_cibles
from barometre_cli.catalogue import ids_cibles
from barometre_cli.compilation.evolution import a_evolution
from barometre_cli.domaine.colonnes import COLONNES_EVOLUTION, COLONNES_RESULTATS
from barometre_cli.domaine.formats import enumerer
from barometre_cli.ecriture.atomique import ecrire_texte_atomiquement

_DESCRIPTIONS = {
    "portee": ("string", "Portée", "« ensemble » pour tout le gouvernement, ou le nom du réseau."),
    "cible": (
        "string",
        "Cible",
        "Numéro de la cible de la Stratégie TNG ({premiere} à {derniere}).",
    ),
    "indicateur": ("string", "Indicateur", "Nom de l'indicateur selon le guide d'interprétation."),
    "valeur_cible": ("number", "Valeur visée", "Valeur visée par la cible, de 0 à 1."),
    "resultat": (
        "number",
        "Résultat",
        "Résultat de l'indicateur, de 0 à 1, calculé selon le guide : {methode} ; vide si le "
        "dénominateur est nul (indéterminé).",
    ),
    "taux_atteinte": (
        "number",
        "Taux d'atteinte",
        "Résultat / valeur visée ; 1 ou plus quand la cible est atteinte ; vide si indéterminé.",
    ),
    "numerateur": ("integer", "Numérateur", "Numérateur de l'indicateur, selon le guide."),
    "denominateur": ("integer", "Dénominateur", "Dénominateur de l'indicateur, selon le guide."),
    "organisations_repondantes": (
        "integer",
        "Organisations répondantes",
        "Organisations dont les données de cette cible ont été retenues.",
    ),
    "organisations_ciblees": (
        "integer",
        "Organisations ciblées",
        "Organisations publiques ciblées par la collecte dans cette portée.",
    ),
    "periode": (
        "year",
        "Période",
        "Année de la collecte, la même sur chaque ligne : elle permet de réunir plusieurs "
        "collectes dans un même tableau, et à la compilation suivante (--precedent) de vérifier "
        "qu'elle compare bien à une collecte antérieure. Absente des fichiers d'avant 2026.",
    ),
    "resultat_precedent": (
        "number",
        "Résultat précédent",
        "Résultat de la même cible et de la même portée à la collecte précédente, de 0 à 1 ; "
        "vide s'il était indéterminé ou si la cible ou la portée n'existait pas.",
    ),
    "variation": (
        "number",
        "Variation (points)",
        "Résultat moins résultat précédent, en points de pourcentage (de -100 à 100) ; "
        "négative quand l'indicateur a baissé ; vide si l'un des deux est indéterminé.",
    ),
}


def _colonnes(resultats: pd.DataFrame) -> list[str]:
    """Les colonnes publiées, puis celles de l'évolution si elles sont là : l'ordre ne bouge pas."""
    return COLONNES_RESULTATS + (COLONNES_EVOLUTION if a_evolution(resultats) else [])


def _cellule(valeur) -> str:
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return ""
    if isinstance(valeur, float):
        return repr(valeur)
    return str(valeur)


def texte_csv(resultats: pd.DataFrame) -> str:
    colonnes = _colonnes(resultats)
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\n")
    ecrivain.writerow(colonnes)
    # `reindex` : une table bâtie à la main, sans `periode`, s'écrit avec une case vide.
    for ligne in resultats.reindex(columns=colonnes).itertuples(index=False):
        ecrivain.writerow([_cellule(v) for v in ligne])
    return tampon.getvalue()


def sans_registre() -> str:
    """Ajouté à la description quand la compilation s'est faite sans registre : les cibles dont
    le dénominateur compte les organisations ciblées viennent de leur type de calcul."""
    touchees = cibles_dependant_du_registre()
    texte = (
        " Attention : aucun registre des organisations ciblées n'a été fourni ; les "
        "organisations répondantes tiennent lieu d'organisations ciblées. Une organisation qui "
        "n'a pas répondu n'est donc comptée nulle part : la colonne organisations_ciblees ne "
        "compte que les répondantes (elle sous-estime les organisations ciblées)"
    )
    if not touchees:
        return texte + "."
    quelles = "de la cible" if len(touchees) == 1 else "des cibles"
    return (
        f"{texte}, et les résultats {quelles} {enumerer(touchees)}, dont le dénominateur est "
        "le nombre d'organisations ciblées, sont surestimés."
    )


def datapackage(periode: str, evolution: bool = False, *, registre_fourni: bool = True) -> dict:
    """La description Frictionless ; `evolution` ajoute les deux colonnes de la comparaison.

    Sans registre, la description le dit : un lecteur des données ouvertes n'a que ce texte
    pour savoir quels résultats et quels comptes d'organisations en sont faussés.
    """
    champs = []
    for nom in COLONNES_RESULTATS + (COLONNES_EVOLUTION if evolution else []):
        type_, titre, description = _DESCRIPTIONS[nom]
        ids = ids_cibles()
        description = description.format(
            premiere=ids[0], derniere=ids[-1], methode=methode_portees("le résultat d'une portée")
        )
        if nom == "organisations_ciblees" and not registre_fourni:
            description += " Sans registre fourni : les organisations répondantes seulement."
        champ = {"name": nom, "type": type_, "title": titre, "description": description}
        if nom in ("valeur_cible", "resultat", "resultat_precedent"):
            champ["constraints"] = {"minimum": 0, "maximum": 1}
        if nom == "variation":
            champ["constraints"] = {"minimum": -100, "maximum": 100}
        if nom in ("portee", "cible", "indicateur", "valeur_cible", "numerateur"):
            champ.setdefault("constraints", {})["required"] = True
        champs.append(champ)
    return {
        "profile": "tabular-data-package",
        "name": f"barometre-numeriqc-{periode or 'collecte'}",
        "title": f"Baromètre numériQc — résultats de la collecte {periode}".strip(),
        "description": (
            f"Résultats des {nombre_cibles()} cibles de la Stratégie de transformation numérique "
            "gouvernementale, pour l'ensemble du gouvernement et par réseau, calculés selon le "
            "Guide d'interprétation des indicateurs du Baromètre numériQc."
            + ("" if registre_fourni else sans_registre())
        ),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": [
            {
                "name": "resultats",
                "path": "resultats.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {
                    "fields": champs,
                    "primaryKey": ["portee", "cible"],
                    "missingValues": [""],
                },
            }
        ],
    }


def ecrire_csv(
    resultats: pd.DataFrame, dossier: Path, periode: str, *, registre_fourni: bool = True
) -> list[Path]:
    """Écrit `resultats.csv` et `datapackage.json` ; rend leurs chemins."""
    return [
        ecrire_texte_atomiquement(dossier / "resultats.csv", texte_csv(resultats)),
        ecrire_texte_atomiquement(
            dossier / "datapackage.json",
            json.dumps(
                datapackage(
                    periode, evolution=a_evolution(resultats), registre_fourni=registre_fourni
                ),
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
        ),
    ]
