"""Les règles de validation d'un classeur lu : un seul jeu de règles pour `valider` et `compiler`.

Chaque famille de règles est un petit générateur qui produit des constats ; les valeurs
acceptées sont normalisées (texte « 1 234 » → 1234, « oui » → Oui) en même temps, pour que le
calcul ne voie que des données propres. Une erreur rattachée à une cible n'exclut que cette
cible ; une erreur sans cible (fichier, gabarit, identification) exclut tout le fichier.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from barometre_cli.calcul import (
    Jeu,
    Resultat,
    Saisie,
    Service,
    jeu_haut_potentiel,
    resultat_organisation,
)
from barometre_cli.catalogue import (
    FEUILLE_SAISIE,
    IDENTIFICATION,
    NON,
    OUI,
    PROCESSUS_5_2,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    STATUTS_5_2,
    VERSION_FORMAT,
    Calcul,
    Champ,
    Cible,
    Type,
    cible,
    ids_cibles,
    normaliser_libelle,
)
from barometre_cli.constats import Constat, Severite, constat
from barometre_cli.lecture import FORMULE_SANS_VALEUR, ClasseurLu, ErreurCellule, Plage, Valeur


@dataclass
class RapportFichier:
    """Le verdict sur un fichier : constats, données retenues par cible, résultats du répondant."""

    fichier: Path
    sha256: str = ""
    modifie: datetime | None = None
    organisation_code: str = ""
    organisation_nom: str = ""
    periode: str = ""
    cibles: list[str] = field(default_factory=list)
    constats: list[Constat] = field(default_factory=list)
    #: données validées, seulement pour les cibles sans erreur
    saisies: dict[str, Saisie] = field(default_factory=dict)
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
# Normalisation des valeurs

_ENTIER_TEXTE = re.compile(r"^[+-]?(\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)$")
_DECIMAL_TEXTE = re.compile(r"^[+-]?[\d \u00a0\u202f]*[.,]\d+$")
_COURRIEL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_STATUTS = {normaliser_libelle(s): s for s in STATUTS_5_2}


def _vide(valeur: Valeur) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


def _probleme_formule(valeur: Valeur, plage: Plage, i: int, j: int, cible_id) -> Constat | None:
    """Formule jamais calculée ou erreur de formule : la cellule est inutilisable."""
    lieu = {"feuille": plage.feuille, "cellule": plage.adresse(i, j), "cible": cible_id}
    if valeur is FORMULE_SANS_VALEUR:
        return constat(
            "formule-sans-valeur",
            "Cette cellule contient une formule dont la valeur n'a jamais été calculée. Ouvrez "
            "le classeur dans Excel ou LibreOffice, enregistrez-le, puis validez-le de nouveau.",
            **lieu,
        )
    if isinstance(valeur, ErreurCellule):
        return constat(
            "valeur-erreur",
            f"Cette cellule affiche l'erreur {valeur.texte}. Remplacez-la par une valeur saisie.",
            **lieu,
        )
    return None


class _Normaliseur:
    """Lit et normalise les cellules d'une plage en produisant les constats au passage."""

    def __init__(self, constats: list[Constat], cible_id: str | None) -> None:
        self.constats = constats
        self.cible = cible_id

    def _ajouter(self, code: str, message: str, plage: Plage, i: int, j: int) -> None:
        self.constats.append(constat(code, message, plage.feuille, plage.adresse(i, j), self.cible))

    def _formule(self, plage: Plage, i: int, j: int) -> bool:
        """Signale une formule ; vrai si la cellule est inutilisable."""
        valeur = plage.valeurs[i][j]
        probleme = _probleme_formule(valeur, plage, i, j, self.cible)
        if probleme:
            self.constats.append(probleme)
            return True
        if (i, j) in plage.formules:
            self._ajouter(
                "formule-valeur",
                f"Cette cellule contient une formule ; sa valeur calculée ({valeur}) est celle "
                "qui sera comptée.",
                plage,
                i,
                j,
            )
        return False

    def _saisie(self, plage: Plage, i: int, j: int, libelle: str) -> Valeur:
        """La valeur d'une saisie obligatoire, ou None une fois le constat fait (formule, vide)."""
        if self._formule(plage, i, j):
            return None
        valeur = plage.valeurs[i][j]
        if _vide(valeur):
            self.manquant(plage, i, j, libelle)
            return None
        return valeur

    def manquant(self, plage: Plage, i: int, j: int, libelle: str) -> None:
        self._ajouter(
            "valeur-manquante",
            f"« {libelle} » est vide. Inscrivez une valeur.",
            plage,
            i,
            j,
        )

    def entier(self, plage: Plage, i: int, j: int, libelle: str) -> int | None:
        """Un nombre entier ≥ 0, ou None (constat déjà produit) ; vide → valeur-manquante."""
        valeur = self._saisie(plage, i, j, libelle)
        if valeur is None:
            return None
        texte = None  # le texte saisi, quand un nombre a été tapé comme du texte
        if isinstance(valeur, bool):
            nombre = None
        elif isinstance(valeur, float):
            nombre = valeur if math.isfinite(valeur) else None
        else:
            texte = str(valeur).strip()
            if _ENTIER_TEXTE.match(texte) or _DECIMAL_TEXTE.match(texte):
                nombre = float(re.sub(r"[ \u00a0\u202f+]", "", texte).replace(",", "."))
            else:
                self._ajouter(
                    "valeur-non-numerique",
                    f"« {libelle} » : « {texte[:60]} » n'est pas un nombre. Inscrivez un nombre "
                    "entier, 0 ou plus, sans unité ni symbole.",
                    plage,
                    i,
                    j,
                )
                return None
        if nombre is None:
            self._ajouter(
                "valeur-non-numerique",
                f"« {libelle} » : un nombre entier est attendu. Inscrivez un nombre entier, 0 ou "
                "plus.",
                plage,
                i,
                j,
            )
            return None
        if nombre < 0:
            self._ajouter(
                "nombre-negatif",
                f"« {libelle} » : {_nombre(nombre)} est négatif. Inscrivez un nombre entier, "
                "0 ou plus.",
                plage,
                i,
                j,
            )
            return None
        if nombre != int(nombre):
            self._ajouter(
                "nombre-decimal",
                f"« {libelle} » : {_nombre(nombre)} n'est pas un nombre entier. Inscrivez un "
                "dénombrement sans décimales.",
                plage,
                i,
                j,
            )
            return None
        if texte is not None:
            self._ajouter(
                "nombre-en-texte",
                f"« {libelle} » : le nombre « {texte} » a été saisi comme du texte. Il est "
                f"accepté ({int(nombre)}), mais saisissez-le comme un nombre.",
                plage,
                i,
                j,
            )
        return int(nombre)

    def oui_non(self, plage: Plage, i: int, j: int, libelle: str) -> bool | None:
        valeur = self._saisie(plage, i, j, libelle)
        if valeur is None:
            return None
        texte = normaliser_libelle(str(valeur))
        if texte in (OUI.casefold(), NON.casefold()):
            return texte == OUI.casefold()
        self._ajouter(
            "oui-non-invalide",
            f"« {libelle} » : « {str(valeur)[:60]} » n'est pas une réponse permise. Choisissez "
            "Oui ou Non dans la liste.",
            plage,
            i,
            j,
        )
        return None

    def statut(self, plage: Plage, i: int, libelle: str) -> str | None:
        valeur = self._saisie(plage, i, 0, libelle)
        if valeur is None:
            return None
        canonique = _STATUTS.get(normaliser_libelle(str(valeur)))
        if canonique is None:
            self._ajouter(
                "statut-invalide",
                f"« {libelle} » : « {str(valeur)[:60]} » n'est pas un statut permis. Choisissez "
                f"dans la liste : {' ; '.join(STATUTS_5_2)}.",
                plage,
                i,
                0,
            )
        return canonique

    def texte(self, plage: Plage, i: int, j: int) -> str:
        if self._formule(plage, i, j):
            return ""
        return _texte(plage.valeurs[i][j])


def _nombre(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _texte(valeur: Valeur) -> str:
    """Le texte d'une cellule ; un code saisi comme nombre (123.0) redevient « 123 »."""
    if _vide(valeur) or valeur is FORMULE_SANS_VALEUR or isinstance(valeur, ErreurCellule):
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur).strip()


# --------------------------------------------------------------------------------------------
# Familles de règles


def _regles_gabarit(
    classeur: ClasseurLu, cible_attendue: str | None
) -> tuple[list[Constat], list[Cible]]:
    """Reconnaître le gabarit : propriétés cachées, version, cible, noms définis."""
    props = classeur.proprietes
    nom = classeur.chemin.name
    if PROP_CIBLE not in props and PROP_VERSION not in props:
        return [
            constat(
                "gabarit-inconnu",
                f"« {nom} » n'est pas un gabarit du Baromètre numériQc (ses propriétés "
                "d'identification sont absentes). Utilisez le gabarit transmis par le Ministère "
                "ou produit par « barometre gabarit ».",
            )
        ], []
    try:
        version = int(float(props.get(PROP_VERSION, "")))
    except (TypeError, ValueError):
        version = None
    if version != VERSION_FORMAT:
        return [
            constat(
                "version-perimee",
                f"« {nom} » est un gabarit de la version {props.get(PROP_VERSION, 'inconnue')} "
                f"du format ; la version en vigueur est la version {VERSION_FORMAT}. "
                "Téléchargez le gabarit de la version en vigueur (barometre gabarit) et "
                "recopiez-y vos données.",
            )
        ], []
    ids = [i.strip() for i in str(props.get(PROP_CIBLE, "")).split(",") if i.strip()]
    inconnues = [i for i in ids if i not in ids_cibles()]
    if not ids or inconnues:
        return [
            constat(
                "gabarit-inconnu",
                f"« {nom} » annonce une cible inconnue ({', '.join(inconnues) or 'aucune'}). "
                "Utilisez un gabarit produit par « barometre gabarit ».",
            )
        ], []
    if cible_attendue and cible_attendue not in ids:
        return [
            constat(
                "gabarit-autre-cible",
                f"« {nom} » est le gabarit de la cible {', '.join(ids)}, pas de la cible "
                f"{cible_attendue}. Vérifiez que vous avez rempli le bon gabarit.",
            )
        ], []
    cibles = [cible(i) for i in ids]
    constats = []
    for champ in (*IDENTIFICATION, *(ch for c in cibles for ch in c.champs)):
        constats.extend(_verifier_nom(classeur, champ))
    return constats, cibles


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
    attendu_simple = champ.lignes == 1 and not champ.colonnes
    if (
        largeur != champ.largeur
        or (attendu_simple and hauteur != 1)
        or (champ.lignes == 12 and hauteur != 12)
    ):
        yield constat(
            "nom-defini-brise",
            f"Le nom défini « {champ.nom} » ({champ.libelle}) ne couvre plus la bonne plage "
            f"({hauteur} × {largeur} cellules). Recopiez vos données dans un gabarit neuf.",
            plage.feuille,
            plage.adresse(),
        )


def _regles_identification(classeur: ClasseurLu, rapport: RapportFichier) -> Iterator[Constat]:
    noms = classeur.noms
    lecteur = _Normaliseur([], None)
    code = lecteur.texte(noms["organisation_code"], 0, 0)
    nom = lecteur.texte(noms["organisation_nom"], 0, 0)
    yield from lecteur.constats
    rapport.organisation_code, rapport.organisation_nom = code, nom
    for valeur, champ in ((code, IDENTIFICATION[0]), (nom, IDENTIFICATION[1])):
        if not valeur:
            plage = noms[champ.nom]
            yield constat(
                "identification-manquante",
                f"« {champ.libelle} » est vide. Inscrivez-le dans la cellule jaune.",
                plage.feuille,
                plage.adresse(),
            )
    plage = noms["periode"]
    valeur = plage.valeur
    lieu = {"feuille": plage.feuille, "cellule": plage.adresse()}
    texte = _texte(valeur)
    if _vide(valeur) or not texte:
        yield constat(
            "periode-manquante",
            "L'année de la collecte est vide. Inscrivez-la sur quatre chiffres, par exemple 2026.",
            **lieu,
        )
    elif not re.fullmatch(r"20\d\d", texte) or int(texte) < 2019:
        yield constat(
            "periode-invalide",
            f"L'année de la collecte « {texte[:30]} » n'est pas une année valide. Inscrivez-la "
            "sur quatre chiffres, par exemple 2026.",
            **lieu,
        )
    else:
        rapport.periode = texte
        attendue = str(classeur.proprietes.get(PROP_PERIODE, "-")).strip()
        attendue = attendue[:-2] if attendue.endswith(".0") else attendue
        if attendue not in ("", "-") and attendue != texte:
            yield constat(
                "periode-differente",
                f"L'année saisie ({texte}) diffère de celle du gabarit transmis ({attendue}). "
                f"Inscrivez {attendue}, ou utilisez le gabarit de la collecte {texte}.",
                **lieu,
            )
    plage = noms["repondant_courriel"]
    courriel = _texte(plage.valeur)
    if courriel and not _COURRIEL.match(courriel):
        yield constat(
            "courriel-douteux",
            f"L'adresse « {courriel[:80]} » ne ressemble pas à une adresse courriel. Vérifiez-la "
            "pour que le Ministère puisse vous joindre.",
            plage.feuille,
            plage.adresse(),
        )
    destinataire = str(classeur.proprietes.get(PROP_ORGANISATION, "-")).strip()
    if code and destinataire not in ("", "-") and code != destinataire:
        plage = noms["organisation_code"]
        yield constat(
            "organisation-differente",
            f"Ce gabarit a été transmis à l'organisation « {destinataire} », mais le code "
            f"inscrit est « {code} ». Vérifiez que vous remplissez le gabarit de votre "
            "organisation.",
            plage.feuille,
            plage.adresse(),
        )


def _regles_retroaction(classeur: ClasseurLu, rapport: RapportFichier) -> Iterator[Constat]:
    """La rétroaction est facultative : une réponse douteuse est ignorée avec un avertissement.

    Un gabarit d'avant la feuille « Rétroaction » n'en a pas les noms : rien à lire.
    """
    for champ in RETROACTION:
        plage = classeur.noms.get(champ.nom)
        if plage is None or not plage.valeurs or not plage.valeurs[0]:
            continue
        valeur = plage.valeur
        if _probleme_formule(valeur, plage, 0, 0, None) or _vide(valeur):
            continue
        if champ.type is Type.TEXTE:
            rapport.retroaction[champ.nom] = _texte(valeur)
            continue
        texte = _texte(valeur)
        if texte.isdigit() and 1 <= int(texte) <= 5:
            rapport.retroaction[champ.nom] = int(texte)
        else:
            yield constat(
                "retroaction-invalide",
                f"Rétroaction : « {texte[:40]} » n'est pas une note de 1 à 5 ; la réponse est "
                "ignorée. Inscrivez un nombre de 1 (pas du tout d'accord) à 5 (tout à fait "
                "d'accord), ou laissez la cellule vide.",
                plage.feuille,
                plage.adresse(),
            )


def _regles_cible(classeur: ClasseurLu, cible: Cible, constats: list[Constat]) -> Saisie:
    """Valide les saisies de `cible` et rend les données normalisées."""
    lecteur = _Normaliseur(constats, cible.id)
    noms = classeur.noms
    if cible.calcul is Calcul.RATIO:
        p_num, p_den = (noms[c.nom] for c in cible.champs)
        num = lecteur.entier(p_num, 0, 0, cible.champs[0].libelle)
        den = lecteur.entier(p_den, 0, 0, cible.champs[1].libelle)
        if num is not None and den is not None:
            if num > den:
                constats.append(
                    constat(
                        "numerateur-superieur",
                        f"Le numérateur ({num}) dépasse le dénominateur ({den}) : il compte une "
                        "partie du dénominateur et ne peut pas le dépasser. Corrigez l'un ou "
                        "l'autre.",
                        p_num.feuille,
                        p_num.adresse(),
                        cible.id,
                    )
                )
            elif num == den == 0:
                constats.append(
                    constat(
                        "non-applicable",
                        "Numérateur et dénominateur valent 0 : la cible sera « non "
                        "applicable » pour votre organisation (rien à compter).",
                        p_num.feuille,
                        p_num.adresse(),
                        cible.id,
                    )
                )
        return Saisie(cible.id, numerateur=num, denominateur=den)
    if cible.calcul is Calcul.CONDITION:
        p_plan, p_init = (noms[c.nom] for c in cible.champs)
        return Saisie(
            cible.id,
            plan_depose=lecteur.oui_non(p_plan, 0, 0, cible.champs[0].libelle),
            initiative_terminee=lecteur.oui_non(p_init, 0, 0, cible.champs[1].libelle),
        )
    if cible.calcul is Calcul.LISTE_FIXE:
        plage = noms[cible.champs[0].nom]
        statuts = tuple(
            lecteur.statut(plage, i, f"Statut — {p.nom}") or "" for i, p in enumerate(PROCESSUS_5_2)
        )
        return Saisie(cible.id, statuts=statuts)
    return _regles_tableau(noms[cible.champs[0].nom], cible, lecteur, constats)


def _regles_tableau(
    plage: Plage, cible: Cible, lecteur: _Normaliseur, constats: list[Constat]
) -> Saisie:
    """5.1 et 6.1 : chaque ligne est vide ou complète ; doublons et cas limites signalés."""
    champ = cible.champs[0]
    services: list[Service] = []
    jeux: list[Jeu] = []
    vus: dict[str, str] = {}
    est_51 = cible.calcul is Calcul.TAUX_UTILISATION

    def ajouter(code: str, message: str, i: int, j: int) -> None:
        constats.append(constat(code, message, plage.feuille, plage.adresse(i, j), cible.id))

    for i, ligne in enumerate(plage.valeurs):
        if all(_vide(v) for v in ligne):
            continue
        manquantes = [j for j, v in enumerate(ligne) if _vide(v)]
        if manquantes:
            colonnes = ", ".join(f"« {champ.colonnes[j].libelle} »" for j in manquantes)
            ajouter(
                "ligne-incomplete",
                f"La ligne {plage.ligne + i} est incomplète : {colonnes} "
                f"{'manquent' if len(manquantes) > 1 else 'manque'}. Remplissez "
                "toute la ligne ou videz-la entièrement.",
                i,
                manquantes[0],
            )
            continue
        nom = lecteur.texte(plage, i, 0)
        a = lecteur.entier(plage, i, 1, champ.colonnes[1].libelle)
        if est_51:
            b = lecteur.entier(plage, i, 2, champ.colonnes[2].libelle)
        else:
            diffuse = lecteur.oui_non(plage, i, 2, champ.colonnes[2].libelle)
        cle = normaliser_libelle(nom)
        if cle in vus:
            ajouter(
                "service-en-double" if est_51 else "jeu-en-double",
                f"« {nom[:80]} » figure déjà à la cellule {vus[cle]}. Regroupez les deux lignes "
                "ou distinguez leurs noms.",
                i,
                0,
            )
        else:
            vus[cle] = plage.adresse(i, 0)
        if est_51:
            if a is None or b is None:
                continue
            if a > b:
                ajouter(
                    "utilisations-incoherentes",
                    f"« {nom[:80]} » : les utilisations numériques ({a}) dépassent les "
                    f"utilisations totales ({b}), qui incluent tous les modes. Corrigez l'une ou "
                    "l'autre.",
                    i,
                    1,
                )
                continue
            if b == 0:
                ajouter(
                    "service-sans-utilisation",
                    f"« {nom[:80]} » n'a aucune utilisation : il compte au dénominateur sans "
                    "pouvoir compter au numérateur. Vérifiez les nombres.",
                    i,
                    2,
                )
            services.append(Service(nom, a, b))
        else:
            if a is None or diffuse is None:
                continue
            if a > 100:
                ajouter(
                    "points-eleves",
                    f"« {nom[:80]} » : {a} points à l'axe A, c'est plus que le maximum usuel de "
                    "l'Outil de priorisation (90 à 100 points). Vérifiez le total.",
                    i,
                    1,
                )
            jeux.append(Jeu(nom, a, diffuse))
    en_erreur = any(c.cible == cible.id and c.severite is Severite.ERREUR for c in constats)
    if est_51 and not services and not en_erreur:
        ajouter(
            "tableau-vide",
            "Le tableau des services numériques est vide. Inscrivez au moins un service, avec "
            "ses utilisations numériques et totales.",
            0,
            0,
        )
    if not est_51 and not en_erreur and not any(jeu_haut_potentiel(j.points_axe_a) for j in jeux):
        ajouter(
            "aucun-jeu-haut-potentiel",
            "Aucun jeu de données n'a 50 points ou plus à l'axe A : votre organisation ne peut "
            "pas atteindre la cible 6.1. Si c'est exact, vous pouvez transmettre le fichier.",
            0,
            0,
        )
    return Saisie(cible.id, services=tuple(services), jeux=tuple(jeux))


# --------------------------------------------------------------------------------------------


def valider_classeur(classeur: ClasseurLu, cible_attendue: str | None = None) -> RapportFichier:
    """Toutes les règles sur un classeur déjà lu ; ne lève jamais pour un mauvais classeur."""
    rapport = RapportFichier(classeur.chemin, classeur.sha256, classeur.modifie)
    rapport.constats.extend(classeur.constats)
    rapport.lisible = classeur.lisible
    if classeur.constats:
        return rapport
    constats, cibles = _regles_gabarit(classeur, cible_attendue)
    rapport.constats.extend(constats)
    rapport.cibles = [c.id for c in cibles]
    if not cibles or any(c.severite is Severite.ERREUR for c in constats):
        return rapport
    rapport.constats.extend(_regles_identification(classeur, rapport))
    rapport.constats.extend(_regles_retroaction(classeur, rapport))
    for c in cibles:
        saisie = _regles_cible(classeur, c, rapport.constats)
        if not any(k.cible == c.id and k.severite is Severite.ERREUR for k in rapport.constats):
            rapport.saisies[c.id] = saisie
    if rapport.valide:
        rapport.resultats = [resultat_organisation(s, cible(i)) for i, s in rapport.saisies.items()]
    return rapport


def valider_fichier(chemin: Path | str, cible_attendue: str | None = None) -> RapportFichier:
    """Lit puis valide un fichier : le chemin unique de `valider` et de `compiler`."""
    from barometre_cli.lecture import lire_classeur

    return valider_classeur(lire_classeur(Path(chemin)), cible_attendue)
