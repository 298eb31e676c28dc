"""Les règles de validation d'un classeur lu : un seul jeu de règles pour `valider` et `compiler`.

Chaque famille de règles est une fonction du classeur lu (et de son contexte) vers des
constats : un générateur qui produit ses constats et rend ce qu'il a lu, sans jamais écrire
dans le rapport ; `valider_classeur` assemble. Les règles propres à une cible sont celles de son
type de calcul (`barometre_cli.calculs`). Une erreur rattachée à une cible n'exclut que cette
cible ; une erreur sans cible (fichier, gabarit, identification) exclut tout le fichier.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from barometre_cli.calculs import resultat_organisation, type_calcul
from barometre_cli.calculs.base import Resultat
from barometre_cli.calculs.tableau import cellules_sous_tableau
from barometre_cli.calculs.valeurs import (
    Regle,
    collecter,
    designer_cellules,
    probleme_formule,
    texte,
    texte_de,
    vide,
)
from barometre_cli.catalogue import (
    FEUILLE_SAISIE,
    IDENTIFICATION,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    VERSION_FORMAT,
    Champ,
    Cible,
    Type,
    cible,
    ids_cibles,
)
from barometre_cli.domaine.constats import Constat, Severite, constat
from barometre_cli.domaine.registre import cle_code, courriel_plausible
from barometre_cli.lecture import ClasseurLu, adresse, limites


@dataclass
class RapportFichier:
    """Le verdict sur un fichier : constats, données retenues par cible, résultats du répondant."""

    fichier: Path
    sha256: str = ""
    modifie: datetime | None = None
    #: format reconnu à la lecture : « xlsx », « ods », ou vide (voir `ClasseurLu.format`)
    format: str = ""
    organisation_code: str = ""
    organisation_nom: str = ""
    periode: str = ""
    cibles: list[str] = field(default_factory=list)
    constats: list[Constat] = field(default_factory=list)
    repondant_nom: str = ""
    repondant_courriel: str = ""
    #: données validées (saisie de son type de calcul), seulement pour les cibles sans erreur
    saisies: dict[str, Any] = field(default_factory=dict)
    resultats: list[Resultat] = field(default_factory=list)
    #: réponses de rétroaction non vides : nom défini → note (1 à 5) ou commentaire
    retroaction: dict[str, int | str] = field(default_factory=dict)
    #: la lecture défensive a accepté le fichier (sinon, aucune copie annotée n'est possible)
    lisible: bool = True

    @property
    def erreurs(self) -> list[Constat]:
        return [c for c in self.constats if c.severite is Severite.ERREUR]

    @property
    def valide(self) -> bool:
        return not self.erreurs

    @property
    def identifie(self) -> bool:
        """Le fichier est utilisable : aucune erreur qui ne soit rattachée à une cible."""
        return not any(c.cible is None for c in self.erreurs)


# --------------------------------------------------------------------------------------------
# Familles de règles


def _regles_gabarit(classeur: ClasseurLu, cible_attendue: str | None) -> Regle[list[Cible]]:
    """Reconnaître le gabarit : propriétés cachées, version, cible, noms définis."""
    props = classeur.proprietes
    nom = classeur.chemin.name
    if PROP_CIBLE not in props and PROP_VERSION not in props:
        yield constat(
            "gabarit-inconnu",
            f"« {nom} » n'est pas un gabarit du Baromètre numériQc (ses propriétés "
            "d'identification sont absentes). Utilisez le gabarit transmis par le Ministère "
            "ou produit par « barometre gabarit ».",
        )
        return []
    try:
        version = int(float(props.get(PROP_VERSION, "")))
    except (TypeError, ValueError):
        version = None
    if version != VERSION_FORMAT:
        yield constat(
            "version-perimee",
            f"« {nom} » est un gabarit de la version {props.get(PROP_VERSION, 'inconnue')} "
            f"du format ; la version en vigueur est la version {VERSION_FORMAT}. "
            "Téléchargez le gabarit de la version en vigueur (barometre gabarit) et "
            "recopiez-y vos données.",
        )
        return []
    ids = [i.strip() for i in str(props.get(PROP_CIBLE, "")).split(",") if i.strip()]
    inconnues = [i for i in ids if i not in ids_cibles()]
    if not ids or inconnues:
        yield constat(
            "gabarit-inconnu",
            f"« {nom} » annonce une cible inconnue ({', '.join(inconnues) or 'aucune'}). "
            "Utilisez un gabarit produit par « barometre gabarit ».",
        )
        return []
    if cible_attendue and cible_attendue not in ids:
        yield constat(
            "gabarit-autre-cible",
            f"« {nom} » est le gabarit de la cible {', '.join(ids)}, pas de la cible "
            f"{cible_attendue}. Vérifiez que vous avez rempli le bon gabarit.",
        )
        return []
    cibles = [cible(i) for i in ids]
    for champ in (*IDENTIFICATION, *(ch for c in cibles for ch in c.champs)):
        yield from _verifier_nom(classeur, champ)
    return cibles


def _verifier_nom(classeur: ClasseurLu, champ: Champ) -> Iterator[Constat]:
    if champ.nom in classeur.noms_brises:
        yield constat(
            "nom-defini-brise",
            f"Le nom défini « {champ.nom} » ({champ.libelle}) pointe vers "
            f"« {classeur.noms_brises[champ.nom]} », une plage supprimée ou invalide. Recopiez "
            "vos données dans un gabarit neuf.",
            FEUILLE_SAISIE,
        )
        return
    plage = classeur.noms.get(champ.nom)
    if plage is None:
        yield constat(
            "nom-defini-manquant",
            f"Le nom défini « {champ.nom} » ({champ.libelle}) a été supprimé du classeur. "
            "Recopiez vos données dans un gabarit neuf.",
            FEUILLE_SAISIE,
        )
        return
    hauteur, largeur = len(plage.valeurs), len(plage.valeurs[0]) if plage.valeurs else 0
    # Une cellule seule et une liste fixe ont une hauteur connue ; un tableau peut grandir.
    hauteur_fixe = not champ.colonnes
    if largeur != champ.largeur or (hauteur_fixe and hauteur != champ.lignes):
        yield constat(
            "nom-defini-brise",
            f"Le nom défini « {champ.nom} » ({champ.libelle}) ne couvre plus la bonne plage "
            f"({hauteur} × {largeur} cellules). Recopiez vos données dans un gabarit neuf.",
            plage.feuille,
            plage.adresse(),
        )


@dataclass(frozen=True)
class Identification:
    """Le bloc d'identification lu : qui répond, pour quelle collecte."""

    organisation_code: str
    organisation_nom: str
    periode: str
    repondant_nom: str
    repondant_courriel: str


def _regles_identification(classeur: ClasseurLu) -> Regle[Identification]:
    noms = classeur.noms
    code = yield from texte(noms["organisation_code"], 0, 0, None)
    nom = yield from texte(noms["organisation_nom"], 0, 0, None)
    for valeur, champ in ((code, IDENTIFICATION[0]), (nom, IDENTIFICATION[1])):
        if not valeur:
            plage = noms[champ.nom]
            yield constat(
                "identification-manquante",
                f"« {champ.libelle} » est vide. Inscrivez-le dans la cellule jaune.",
                plage.feuille,
                plage.adresse(),
            )
    periode = yield from _regle_periode(classeur)
    plage = noms["repondant_courriel"]
    courriel = texte_de(plage.valeur)
    if courriel and not courriel_plausible(courriel):
        yield constat(
            "courriel-douteux",
            f"L'adresse « {courriel[:80]} » ne ressemble pas à une adresse courriel. Vérifiez-la "
            "pour que le Ministère puisse vous joindre.",
            plage.feuille,
            plage.adresse(),
        )
    destinataire = str(classeur.proprietes.get(PROP_ORGANISATION, "-")).strip()
    if code and destinataire not in ("", "-") and cle_code(code) != cle_code(destinataire):
        plage = noms["organisation_code"]
        yield constat(
            "organisation-differente",
            f"Ce gabarit a été transmis à l'organisation « {destinataire} », mais le code "
            f"inscrit est « {code} ». Vérifiez que vous remplissez le gabarit de votre "
            "organisation.",
            plage.feuille,
            plage.adresse(),
        )
    repondant = texte_de(noms["repondant_nom"].valeur)
    return Identification(code, nom, periode, repondant, courriel)


def _regle_periode(classeur: ClasseurLu) -> Regle[str]:
    """L'année de la collecte, sur quatre chiffres, et celle du gabarit transmis."""
    plage = classeur.noms["periode"]
    valeur = plage.valeur
    lieu = {"feuille": plage.feuille, "cellule": plage.adresse()}
    annee = texte_de(valeur)
    if vide(valeur) or not annee:
        yield constat(
            "periode-manquante",
            "L'année de la collecte est vide. Inscrivez-la sur quatre chiffres, par exemple 2026.",
            **lieu,
        )
        return ""
    if not re.fullmatch(r"20\d\d", annee) or int(annee) < 2019:
        yield constat(
            "periode-invalide",
            f"L'année de la collecte « {annee[:30]} » n'est pas une année valide. Inscrivez-la "
            "sur quatre chiffres, par exemple 2026.",
            **lieu,
        )
        return ""
    attendue = str(classeur.proprietes.get(PROP_PERIODE, "-")).strip()
    attendue = attendue[:-2] if attendue.endswith(".0") else attendue
    if attendue not in ("", "-") and attendue != annee:
        yield constat(
            "periode-differente",
            f"L'année saisie ({annee}) diffère de celle du gabarit transmis ({attendue}). "
            f"Inscrivez {attendue}, ou utilisez le gabarit de la collecte {annee}.",
            **lieu,
        )
    return annee


def _regles_retroaction(classeur: ClasseurLu) -> Regle[dict[str, int | str]]:
    """La rétroaction est facultative : une réponse douteuse est ignorée avec un avertissement.

    Un gabarit d'avant la feuille « Rétroaction » n'en a pas les noms : rien à lire.
    """
    reponses: dict[str, int | str] = {}
    for champ in RETROACTION:
        plage = classeur.noms.get(champ.nom)
        if plage is None or not plage.valeurs or not plage.valeurs[0]:
            continue
        valeur = plage.valeur
        if probleme_formule(valeur, plage, 0, 0, None) or vide(valeur):
            continue
        reponse = texte_de(valeur)
        if champ.type is Type.TEXTE:
            reponses[champ.nom] = reponse
        elif reponse.isdigit() and 1 <= int(reponse) <= 5:
            reponses[champ.nom] = int(reponse)
        else:
            yield constat(
                "retroaction-invalide",
                f"Rétroaction : « {reponse[:40]} » n'est pas une note de 1 à 5 ; la réponse est "
                "ignorée. Inscrivez un nombre de 1 (pas du tout d'accord) à 5 (tout à fait "
                "d'accord), ou laissez la cellule vide.",
                plage.feuille,
                plage.adresse(),
            )
    return reponses


def _regles_hors_gabarit(classeur: ClasseurLu, cibles: list[Cible]) -> Iterator[Constat]:
    """Les valeurs saisies au-delà de la zone du gabarit que rien n'a lues : un avertissement
    par feuille, qui nomme les cellules.

    La zone du gabarit est sa zone d'impression (`lecture.parties.zones_gabarit`), qui couvre
    tous ses libellés et formules : ce qui est au-delà ne peut être qu'une saisie. Les lignes
    saisies sous un tableau sont lues par le tableau (`calculs.tableau.lignes_sous_tableau`) et
    ne sont pas signalées ici. Une valeur tapée à l'intérieur de la zone, hors des cellules
    jaunes, exige d'ôter la protection de la feuille ; elle n'est pas recherchée.
    """
    lues: set[tuple[int, int]] = set()
    for c in cibles:
        for champ in c.champs:
            if champ.colonnes and champ.nom in classeur.noms:
                lues |= cellules_sous_tableau(classeur, classeur.noms[champ.nom])
    for feuille, hors in classeur.hors_noms.items():
        autres = sorted(
            lieu for lieu, v in hors.valeurs.items() if lieu not in lues and not vide(v)
        )
        if not autres and not hors.tronque:
            continue
        trop = (
            f" (plus de {limites.HORS_NOMS_MAX:,} valeurs : seules les premières sont "
            "nommées)".replace(",", "\u00a0")
            if hors.tronque
            else ""
        )
        yield constat(
            "valeur-hors-gabarit",
            f"{designer_cellules(autres) if autres else 'Des cellules'}{trop} : contenu saisi "
            "au-delà de la zone du gabarit ; il n'est pas lu et ne compte pas. Si ce sont des "
            "réponses, inscrivez-les dans les cellules jaunes ou dans le tableau ; sinon, "
            "effacez-les.",
            feuille,
            adresse(*autres[0]) if autres else "",
        )


# --------------------------------------------------------------------------------------------


def valider_classeur(classeur: ClasseurLu, cible_attendue: str | None = None) -> RapportFichier:
    """Toutes les règles sur un classeur déjà lu ; ne lève jamais pour un mauvais classeur."""
    rapport = RapportFichier(classeur.chemin, classeur.sha256, classeur.modifie, classeur.format)
    rapport.constats.extend(classeur.constats)
    rapport.lisible = classeur.lisible
    if classeur.constats:
        return rapport
    constats, cibles = collecter(_regles_gabarit(classeur, cible_attendue))
    rapport.constats.extend(constats)
    rapport.cibles = [c.id for c in cibles]
    if not cibles or any(c.severite is Severite.ERREUR for c in constats):
        return rapport
    constats, qui = collecter(_regles_identification(classeur))
    rapport.constats.extend(constats)
    rapport.organisation_code, rapport.organisation_nom = (
        qui.organisation_code,
        qui.organisation_nom,
    )
    rapport.periode = qui.periode
    rapport.repondant_nom, rapport.repondant_courriel = qui.repondant_nom, qui.repondant_courriel
    constats, rapport.retroaction = collecter(_regles_retroaction(classeur))
    rapport.constats.extend(constats)
    for c in cibles:
        constats, saisie = collecter(type_calcul(c).regles(classeur, c))
        rapport.constats.extend(constats)
        if not any(k.severite is Severite.ERREUR for k in constats):
            rapport.saisies[c.id] = saisie
    rapport.constats.extend(_regles_hors_gabarit(classeur, cibles))
    if rapport.valide:
        rapport.resultats = [resultat_organisation(s, cible(i)) for i, s in rapport.saisies.items()]
    return rapport


def valider_fichier(chemin: Path | str, cible_attendue: str | None = None) -> RapportFichier:
    """Lit puis valide un fichier : le chemin unique de `valider` et de `compiler`."""
    from barometre_cli.lecture import lire_classeur

    return valider_classeur(lire_classeur(Path(chemin)), cible_attendue)
