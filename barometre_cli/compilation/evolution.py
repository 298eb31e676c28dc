"""L'évolution d'une collecte à l'autre : chaque indicateur est censé progresser.

À chaque ligne (portée, cible) des résultats, on ajoute le résultat de la collecte précédente
(relue par `precedent`) et la variation en points de pourcentage ; avec son historique par
organisation, on fait de même pour chaque organisation. Un résultat absent ou indéterminé d'un
côté ou de l'autre donne NaN, jamais 0.
"""

from __future__ import annotations

import math

import pandas as pd

from barometre_cli.compilation.precedent import NOM_RESULTATS, Precedent
from barometre_cli.domaine.colonnes import COLONNES_EVOLUTION, COLONNES_EVOLUTION_ORGANISATION
from barometre_cli.domaine.registre import cle_code

HAUSSE, BAISSE, STABLE = "En hausse", "En baisse", "Stable"

#: La variation est arrondie à 10 décimales : 0,40 − 0,25 donne 15 points, pas 15,000000000000002.
_DECIMALES_VARIATION = 10


def ajouter_evolution(resultats: pd.DataFrame, precedent: pd.DataFrame) -> pd.DataFrame:
    """Une copie de `resultats` avec `resultat_precedent` (0 à 1) et `variation` (en points).

    L'appariement se fait sur (portée, cible) : une cible ou un réseau absent de la collecte
    précédente, ou un résultat indéterminé d'un côté ou de l'autre, donne NaN, jamais 0.
    """
    evolution = resultats.drop(columns=COLONNES_EVOLUTION, errors="ignore").copy()
    anciens = {
        (str(portee), str(id_cible)): float(valeur)
        for portee, id_cible, valeur in zip(
            precedent["portee"],
            precedent["cible"],
            pd.to_numeric(precedent["resultat"], errors="coerce"),
            strict=True,
        )
    }
    avant = [
        anciens.get((str(portee), str(id_cible)), math.nan)
        for portee, id_cible in zip(evolution["portee"], evolution["cible"], strict=True)
    ]
    evolution["resultat_precedent"] = pd.Series(avant, index=evolution.index, dtype=float)
    ecart = (evolution["resultat"].astype(float) - evolution["resultat_precedent"]) * 100
    evolution["variation"] = ecart.round(_DECIMALES_VARIATION)
    return evolution


def tendance(variation: float | None) -> str | None:
    """« En hausse », « En baisse » ou « Stable » ; None quand il n'y a rien à comparer.

    Stable = la variation s'affiche 0,0 point à une décimale : on ne dit pas « en baisse » d'un
    écart qu'on montre nul.
    """
    if variation is None or (isinstance(variation, float) and math.isnan(variation)):
        return None
    arrondie = round(float(variation), 1)
    if arrondie == 0:
        return STABLE
    return HAUSSE if arrondie > 0 else BAISSE


def a_evolution(resultats: pd.DataFrame) -> bool:
    """Vrai quand les résultats portent les colonnes d'évolution (option de la collecte précédente)."""
    return all(c in resultats.columns for c in COLONNES_EVOLUTION)


def texte_comparaison(periode: str, precedent: Precedent | None) -> str:
    """« collecte 2026 comparée à 2025 » : ce que chaque sortie dit de la comparaison."""
    actuelle = f"collecte {periode or '(période inconnue)'}"
    if precedent is None:
        return f"{actuelle} comparée à la collecte précédente"
    if not precedent.periode:
        return f"{actuelle} comparée à une collecte précédente de période inconnue"
    return f"{actuelle} comparée à {precedent.periode}"


def avis_periode_inconnue(precedent: Precedent | None) -> str | None:
    """L'avertissement à afficher quand la période précédente est inconnue ; None sinon."""
    if precedent is None or precedent.periode:
        return None
    nom = precedent.chemin.name if precedent.chemin else NOM_RESULTATS
    return (
        f"Attention : « {nom} » ne dit pas sa période (fichier d'avant 2026, sans colonne "
        "periode ni datapackage.json à côté) : l'outil ne peut pas vérifier qu'il précède la "
        "collecte compilée. Ajoutez-lui une colonne periode (l'année de cette collecte) pour "
        "que la vérification se fasse."
    )


def ajouter_evolution_organisations(
    organisations: pd.DataFrame, historique: pd.DataFrame
) -> pd.DataFrame:
    """Une copie de la table par organisation avec le résultat précédent et la variation.

    L'appariement se fait sur (code, cible), les codes comparés comme partout (`cle_code`) :
    une organisation ou une cible absente de l'historique, ou un résultat indéterminé d'un côté
    ou de l'autre, donne NaN, jamais 0.
    """
    evolution = organisations.drop(columns=COLONNES_EVOLUTION_ORGANISATION, errors="ignore").copy()
    anciens = {
        (cle_code(str(code)), str(id_cible)): (resultat, respecte)
        for code, id_cible, resultat, respecte in zip(
            historique["organisation_code"],
            historique["cible"],
            historique["resultat"],
            historique["respecte"],
            strict=True,
        )
    }
    avant = [
        anciens.get((cle_code(str(code)), str(id_cible)), (math.nan, None))
        for code, id_cible in zip(evolution["code"], evolution["cible"], strict=True)
    ]
    evolution["resultat_precedent"] = pd.Series(
        [float(r) for r, _ in avant], index=evolution.index, dtype=float
    )
    evolution["respecte_precedent"] = pd.Series(
        [r for _, r in avant], index=evolution.index, dtype=object
    )
    ecart = (evolution["resultat"].astype(float) - evolution["resultat_precedent"]) * 100
    evolution["variation"] = ecart.round(_DECIMALES_VARIATION)
    return evolution


def a_evolution_organisations(organisations: pd.DataFrame) -> bool:
    """Vrai quand la table par organisation porte l'évolution (historique précédent relu)."""
    return all(c in organisations.columns for c in COLONNES_EVOLUTION_ORGANISATION)
