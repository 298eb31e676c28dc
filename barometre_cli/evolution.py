"""L'évolution d'une collecte à l'autre : chaque indicateur est censé progresser.

On relit le `resultats.csv` publié à la collecte précédente (le fichier de données ouvertes,
pas le classeur) et on ajoute à chaque ligne (portée, cible) le résultat d'alors et la
variation en points de pourcentage. Le fichier vient souvent d'un autre poste ou d'un
tableur : toute anomalie devient une `BarometreErreur` qui nomme le fichier, la ligne et quoi
faire, jamais une trace Python ni une comparaison silencieusement fausse.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from barometre_cli.colonnes import COLONNES_EVOLUTION, COLONNES_RESULTATS
from barometre_cli.erreurs import BarometreErreur, raison_systeme

#: Colonnes numériques du fichier ouvert ; une case vide veut dire « indéterminé ».
_NUMERIQUES = tuple(c for c in COLONNES_RESULTATS if c not in ("portee", "cible", "indicateur"))
#: Une proportion publiée est une décimale de 0 à 1 : « 62,7 » trahit un fichier retouché.
_PROPORTIONS = ("valeur_cible", "resultat")
#: La variation est arrondie à 10 décimales : 0,40 − 0,25 donne 15 points, pas 15,000000000000002.
_DECIMALES_VARIATION = 10

HAUSSE, BAISSE, STABLE = "En hausse", "En baisse", "Stable"


def _lire_texte(chemin: Path) -> str:
    try:
        octets = chemin.read_bytes()
    except OSError as exc:
        raise BarometreErreur(
            f"Impossible de lire le fichier de la collecte précédente « {chemin} » : "
            f"{raison_systeme(exc)}. Vérifiez le chemin : c'est le resultats.csv produit par "
            "la compilation précédente."
        ) from None
    if octets[:2] == b"PK" or b"\x00" in octets[:4096]:
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » n'est pas un fichier CSV. "
            "Donnez le resultats.csv de la compilation précédente (et non sommaire.xlsx)."
        )
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Un CSV rouvert puis enregistré par Excel sous Windows : Windows-1252.
        return octets.decode("cp1252", errors="replace")


def _nombre(texte: str, decimale_virgule: bool) -> float:
    """Le nombre d'une case ; NaN si elle est vide ; ValueError si ce n'est pas un nombre."""
    texte = texte.strip()
    if not texte:
        return math.nan
    if decimale_virgule:
        texte = texte.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    valeur = float(texte)
    if not math.isfinite(valeur):
        raise ValueError(texte)
    return valeur


def charger_precedent(chemin: Path) -> pd.DataFrame:
    """Les résultats d'une collecte précédente, lus de son `resultats.csv`, vérifiés ligne par ligne.

    Accepte un BOM, des colonnes en plus (un fichier qui porte lui-même une évolution) et un
    CSV réenregistré par un tableur francophone (point-virgule, virgule décimale).
    """
    chemin = Path(chemin)
    texte = _lire_texte(chemin)
    premiere = texte.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") > premiere.count(",") else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    entete = [c.strip() for c in next(lecteur, [])]
    if not any(entete):
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » est vide. Donnez le "
            "resultats.csv produit par la compilation précédente."
        )
    manquantes = [c for c in COLONNES_RESULTATS if c not in entete]
    if manquantes:
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » n'a pas les colonnes "
            f"{', '.join(manquantes)}. Donnez le resultats.csv tel que la compilation "
            "précédente l'a écrit (colonnes " + ", ".join(COLONNES_RESULTATS) + ")."
        )
    position = {nom: entete.index(nom) for nom in entete if nom}
    lignes: list[dict[str, object]] = []
    vues: dict[tuple[str, str], int] = {}
    for lecteur_ligne in lecteur:
        numero = lecteur.line_num
        if not any(c.strip() for c in lecteur_ligne):
            continue
        cases = lecteur_ligne + [""] * (len(entete) - len(lecteur_ligne))
        ligne: dict[str, object] = {nom: cases[i].strip() for nom, i in position.items()}
        # Un tableur francophone réécrit la cible 1.1 en « 1,1 » : c'est la même cible.
        ligne["cible"] = str(ligne["cible"]).replace(",", ".")
        if not ligne["portee"] or not ligne["cible"]:
            raise BarometreErreur(
                f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} » : la "
                "portée ou la cible est vide. Corrigez la ligne ou reprenez le resultats.csv "
                "d'origine."
            )
        for nom in _NUMERIQUES:
            try:
                ligne[nom] = _nombre(str(ligne[nom]), separateur == ";")
            except ValueError:
                raise BarometreErreur(
                    f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} », "
                    f"colonne {nom} : « {ligne[nom]} » n'est pas un nombre. Les proportions "
                    "s'écrivent en décimales de 0 à 1 (0.25), une case vide voulant dire "
                    "indéterminé ; reprenez le resultats.csv d'origine."
                ) from None
        for nom in _PROPORTIONS:
            valeur = ligne[nom]
            if isinstance(valeur, float) and not math.isnan(valeur) and not 0 <= valeur <= 1:
                raise BarometreErreur(
                    f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} », "
                    f"colonne {nom} : {ligne[nom]:g} n'est pas une proportion de 0 à 1. Le "
                    "fichier a peut-être été converti en pourcentages dans un tableur ; "
                    "reprenez le resultats.csv d'origine."
                )
        cle = (str(ligne["portee"]), str(ligne["cible"]))
        if cle in vues:
            raise BarometreErreur(
                f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} » : la "
                f"cible {cle[1]} de la portée « {cle[0]} » figure déjà à la ligne {vues[cle]}. "
                "Chaque cible ne doit paraître qu'une fois par portée ; reprenez le "
                "resultats.csv d'origine."
            )
        vues[cle] = numero
        lignes.append(ligne)
    if not lignes:
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » ne contient aucun "
            "résultat, seulement l'en-tête. Donnez le resultats.csv d'une compilation complète."
        )
    colonnes = [*COLONNES_RESULTATS, *(c for c in position if c not in COLONNES_RESULTATS)]
    precedent = pd.DataFrame(lignes, columns=colonnes)
    for nom in _NUMERIQUES:
        precedent[nom] = precedent[nom].astype(float)
    return precedent


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
