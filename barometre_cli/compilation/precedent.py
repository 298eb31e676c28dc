"""La collecte précédente relue : son `resultats.csv`, sa période et son `organisations.csv`.

Le fichier vient souvent d'un autre poste ou d'un tableur : toute anomalie devient une
`BarometreErreur` qui nomme le fichier, la ligne et quoi faire, jamais une trace Python ni une
comparaison silencieusement fausse. Une collecte « précédente » de la même période ou d'une
période postérieure est refusée (elle donnerait « 0,0 point » partout). Le format est décrit
dans docs/suivi.md ; `evolution` calcule ensuite les variations.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from barometre_cli.domaine import csv_strict
from barometre_cli.domaine.colonnes import (
    COLONNES_HISTORIQUE_REQUISES,
    COLONNES_RESULTATS,
    COLONNES_RESULTATS_REQUISES,
)
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.domaine.registre import cle_code
from barometre_cli.ecriture.csv_sur import retablir

#: Colonnes numériques du fichier ouvert ; une case vide veut dire « indéterminé ».
_NUMERIQUES = tuple(
    c for c in COLONNES_RESULTATS if c not in ("portee", "cible", "indicateur", "periode")
)
#: Une période : une année sur quatre chiffres.
_ANNEE = re.compile(r"^\d{4}$")
#: Une proportion publiée est une décimale de 0 à 1 : « 62,7 » trahit un fichier retouché.
_PROPORTIONS = ("valeur_cible", "resultat")


def _lire_csv(chemin: Path, attendu: str = "resultats.csv") -> csv_strict.Csv:
    """Le CSV lu sans indulgence (`csv_strict`) : un guillemet isolé, une ligne qui n'a pas
    autant de champs que l'en-tête, un fichier qui mêle deux encodages arrêtent la lecture en
    nommant la ligne, plutôt que de fausser une comparaison en silence."""
    try:
        octets = chemin.read_bytes()
    except OSError as exc:
        raise BarometreErreur(
            f"Impossible de lire le fichier de la collecte précédente « {chemin} » : "
            f"{raison_systeme(exc)}. Vérifiez le chemin : c'est le {attendu} produit par "
            "la compilation précédente."
        ) from None
    if octets[:2] == b"PK" or octets.startswith(b"\xd0\xcf\x11\xe0"):
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » n'est pas un fichier CSV. "
            f"Donnez le {attendu} de la compilation précédente (et non sommaire.xlsx)."
        )
    try:
        return csv_strict.lire(octets)
    except csv_strict.CsvInvalide as exc:
        lieu = f"Ligne {exc.ligne} du fichier" if exc.ligne else "Le fichier"
        raise BarometreErreur(
            f"{lieu} de la collecte précédente « {chemin.name} » : {exc.detail} Reprenez le "
            f"{attendu} d'origine, tel que la compilation précédente l'a écrit."
        ) from None


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
    lu = _lire_csv(chemin)
    separateur = lu.separateur
    entete = [c.strip() for c in lu.entete]
    if not any(entete):
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » est vide. Donnez le "
            "resultats.csv produit par la compilation précédente."
        )
    manquantes = [c for c in COLONNES_RESULTATS_REQUISES if c not in entete]
    if manquantes:
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » n'a pas les colonnes "
            f"{', '.join(manquantes)}. Donnez le resultats.csv tel que la compilation "
            "précédente l'a écrit (colonnes " + ", ".join(COLONNES_RESULTATS) + ")."
        )
    position = {nom: entete.index(nom) for nom in entete if nom}
    lignes: list[dict[str, object]] = []
    vues: dict[tuple[str, str], int] = {}
    for rangee in lu.rangees:
        numero, cases = rangee.numero, rangee.champs
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
                ligne[nom] = _nombre(str(ligne[nom]), separateur != ",")
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
        _verifier_periode_ligne(ligne, lignes, numero, chemin)
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
    precedent["periode"] = precedent["periode"].fillna("").astype(str)
    return precedent


def _verifier_periode_ligne(ligne: dict, avant: list[dict], numero: int, chemin: Path) -> None:
    """Une année sur quatre chiffres (ou rien), la même sur chaque ligne : une seule collecte."""
    periode = str(ligne.get("periode") or "").removesuffix(".0")  # 2025 relu « 2025.0 »
    ligne["periode"] = periode
    if periode and not _ANNEE.match(periode):
        raise BarometreErreur(
            f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} », colonne "
            f"periode : « {periode} » n'est pas une année. Reprenez le resultats.csv d'origine."
        )
    premiere = avant[0]["periode"] if avant else periode
    if periode != premiere:
        raise BarometreErreur(
            f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} » : période "
            f"« {periode or 'vide'} » alors que la première ligne porte sur "
            f"« {premiere or 'vide'} ». Le fichier doit porter sur une seule collecte : donnez "
            "le resultats.csv d'une compilation, tel qu'elle l'a écrit."
        )


NOM_HISTORIQUE = "organisations.csv"
NOM_RESULTATS = "resultats.csv"
#: Origines possibles de la période de la collecte précédente.
ORIGINE_COLONNE, ORIGINE_DATAPACKAGE = "colonne periode", "datapackage.json"
_NOM_PAQUET = re.compile(r"^barometre-numeriqc-(\d{4})$")


@dataclass
class Precedent:
    """Une collecte précédente relue : ses résultats, sa période, ses résultats par organisation."""

    resultats: pd.DataFrame
    #: le resultats.csv lu (None quand la table est donnée telle quelle, par un script)
    chemin: Path | None = None
    #: "" quand le fichier ne la dit pas (resultats.csv d'avant 2026, sans datapackage.json)
    periode: str = ""
    #: `ORIGINE_COLONNE`, `ORIGINE_DATAPACKAGE` ou "" (période inconnue)
    origine_periode: str = ""
    #: l'`organisations.csv` voisin, s'il existe (sinon, pas d'évolution par organisation)
    organisations: pd.DataFrame | None = None
    chemin_organisations: Path | None = None

    @classmethod
    def depuis_table(cls, resultats: pd.DataFrame) -> Precedent:
        """Une collecte précédente réduite à sa table (un script qui a lu le CSV lui-même)."""
        periodes = resultats["periode"] if "periode" in resultats.columns else []
        periode = next((str(p) for p in periodes if isinstance(p, str) and p), "")
        return cls(resultats, periode=periode, origine_periode=ORIGINE_COLONNE if periode else "")


def _periode_du_paquet(dossier: Path) -> str:
    """La période que le `datapackage.json` voisin porte dans son nom ; "" sinon."""
    try:
        paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    trouve = _NOM_PAQUET.match(str(paquet.get("name", ""))) if isinstance(paquet, dict) else None
    return trouve.group(1) if trouve else ""


def charger_collecte_precedente(chemin: Path) -> Precedent:
    """La collecte précédente d'après son `resultats.csv`, ou le dossier de sortie qui le contient.

    La période vient de la colonne `periode` ; à défaut (fichier d'avant 2026), du
    `datapackage.json` écrit à côté ; à défaut, elle reste inconnue (`periode` vide) et les
    sorties le disent. L'`organisations.csv` voisin, s'il existe, donne l'évolution de chaque
    organisation.
    """
    chemin = Path(chemin)
    fichier = chemin / NOM_RESULTATS if chemin.is_dir() else chemin
    if chemin.is_dir() and not fichier.is_file():
        raise BarometreErreur(
            f"Le dossier de la collecte précédente « {chemin} » ne contient pas de "
            f"{NOM_RESULTATS}. Donnez le dossier de sortie de la compilation précédente, ou "
            "directement son resultats.csv."
        )
    resultats = charger_precedent(fichier)
    periode = next((p for p in resultats["periode"] if p), "")
    origine = ORIGINE_COLONNE if periode else ""
    if not periode and (periode := _periode_du_paquet(fichier.parent)):
        origine = ORIGINE_DATAPACKAGE
    precedent = Precedent(resultats, fichier, periode, origine)
    historique = fichier.parent / NOM_HISTORIQUE
    if historique.is_file():
        precedent.organisations = charger_historique(historique, periode)
        precedent.chemin_organisations = historique
    return precedent


#: Valeurs de la colonne `respecte` : ce que l'outil écrit, et ce qu'un tableur en fait.
_BOOLEENS = {"true": True, "vrai": True, "1": True, "false": False, "faux": False, "0": False}


def _ligne_historique(ligne: dict, numero: int, chemin: Path, periode: str) -> dict:
    """Une ligne de l'historique, vérifiée : code, cible, résultat de 0 à 1, condition."""

    def refuser(detail: str) -> BarometreErreur:
        return BarometreErreur(
            f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} » : {detail} "
            f"Reprenez l'{NOM_HISTORIQUE} d'origine, ou retirez-le pour comparer sans "
            "l'évolution par organisation."
        )

    code = retablir(str(ligne.get("organisation_code", "")).strip())
    id_cible = str(ligne.get("cible", "")).strip().replace(",", ".")
    if not code or not id_cible:
        raise refuser("le code de l'organisation ou la cible est vide.")
    periode_ligne = str(ligne.get("periode") or "").strip()
    if periode and periode_ligne and periode_ligne != periode:
        raise refuser(
            f"période {periode_ligne}, alors que le resultats.csv voisin porte sur {periode}."
        )
    try:
        resultat = _nombre(str(ligne.get("resultat", "")), decimale_virgule=True)
    except ValueError:
        raise refuser(
            f"« {ligne.get('resultat')} » n'est pas un nombre (colonne resultat)."
        ) from None
    if not math.isnan(resultat) and not 0 <= resultat <= 1:
        raise refuser(f"{resultat:g} n'est pas une proportion de 0 à 1 (colonne resultat).")
    texte = str(ligne.get("respecte") or "").strip().casefold()
    if texte and texte not in _BOOLEENS:
        raise refuser(f"« {ligne.get('respecte')} » n'est ni true ni false (colonne respecte).")
    return {
        "organisation_code": code,
        "cible": id_cible,
        "resultat": resultat,
        "respecte": _BOOLEENS.get(texte),
    }


def charger_historique(chemin: Path, periode: str = "") -> pd.DataFrame:
    """Les résultats par organisation d'une collecte précédente, lus de son `organisations.csv`.

    Rend une table (organisation_code, cible, resultat, respecte) ; une ligne par organisation
    et cible retenue. Accepte un BOM, des colonnes en plus, point-virgule et virgule décimale.
    """
    chemin = Path(chemin)
    lu = _lire_csv(chemin, NOM_HISTORIQUE)
    entete = [c.strip() for c in lu.entete]
    manquantes = [c for c in COLONNES_HISTORIQUE_REQUISES if c not in entete]
    if manquantes:
        raise BarometreErreur(
            f"Le fichier de la collecte précédente « {chemin.name} » n'a pas les colonnes "
            f"{', '.join(manquantes)}. Donnez l'{NOM_HISTORIQUE} tel que la compilation "
            "précédente l'a écrit, ou retirez-le pour comparer sans l'évolution par organisation."
        )
    lignes: list[dict] = []
    vues: dict[tuple[str, str], int] = {}
    for rangee in lu.rangees:
        numero, cases = rangee.numero, rangee.champs
        brute = dict(zip(entete, cases, strict=True))
        ligne = _ligne_historique(brute, numero, chemin, periode)
        cle = (cle_code(ligne["organisation_code"]), ligne["cible"])
        if cle in vues:
            raise BarometreErreur(
                f"Ligne {numero} du fichier de la collecte précédente « {chemin.name} » : "
                f"l'organisation {ligne['organisation_code']} et la cible {cle[1]} figurent déjà "
                f"à la ligne {vues[cle]}. Reprenez l'{NOM_HISTORIQUE} d'origine."
            )
        vues[cle] = numero
        lignes.append(ligne)
    return pd.DataFrame(lignes, columns=["organisation_code", "cible", "resultat", "respecte"])


def verifier_anteriorite(precedent: Precedent, periode: str) -> None:
    """Refuse une collecte « précédente » de la même période ou d'une période postérieure."""
    avant, apres = precedent.periode, periode
    if not (_ANNEE.match(avant) and _ANNEE.match(apres)) or avant < apres:
        return
    nom = str(precedent.chemin) if precedent.chemin else NOM_RESULTATS
    if avant == apres:
        relation = (
            f"la même période que la compilation ({apres}). Une comparaison avec elle-même "
            "donnerait 0,0 point partout"
        )
    else:
        relation = (
            f"une période postérieure à la compilation ({apres}). Une évolution se mesure "
            "depuis une collecte antérieure, jamais depuis une collecte plus récente"
        )
    raise BarometreErreur(
        f"--precedent : « {nom} » porte sur la collecte {avant} ({precedent.origine_periode}), "
        f"{relation} : donnez les résultats d'une collecte antérieure, par exemple le "
        f"resultats.csv (ou le dossier de sortie) de la collecte {int(apres) - 1}."
    )
