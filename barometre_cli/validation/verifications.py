"""Les vérifications d'un classeur qui ne tiennent à aucune cible, une unité chacune.

Une vérification est une fonction du contexte de validation vers des constats (un générateur),
inscrite dans `VERIFICATIONS` par le décorateur `verification` avec les codes qu'elle peut
produire ; ces codes sont définis juste au-dessus d'elle (`definir` : sens, message et message
court). Ce qu'elle lit (le code de l'organisation, la période…), elle le note dans le rapport.
`regles.valider_classeur` les enchaîne dans l'ordre de ce module ; une vérification
`bloquante` arrête la validation du fichier dès qu'elle trouve une erreur (un classeur qui n'est
pas un gabarit n'a rien d'autre à dire). Les règles propres à une cible sont celles de son type
de calcul (`calculs`), enchaînées par la vérification `cibles`.

Ajouter une vérification : définir ses codes et écrire sa fonction ici, décorée.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.tableau import cellules_sous_tableau
from barometre_cli.calculs.valeurs import (
    CARACTERE_INVISIBLE,
    COURRIEL_DOUTEUX,
    IDENTIFICATION_MANQUANTE,
    NOM_DEFINI_BRISE,
    NOM_DEFINI_MANQUANT,
    PERIODE_DIFFERENTE,
    PERIODE_INVALIDE,
    PERIODE_MANQUANTE,
    TEXTE_TROP_LONG,
    borner,
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
from barometre_cli.domaine.constats import A, Code, Constat, E, I, Severite, constat, definir
from barometre_cli.domaine.formats import COURRIEL_MAX, TEXTE_MAX, sans_invisible
from barometre_cli.domaine.formats import entier as milliers
from barometre_cli.domaine.registre import cle_code, courriel_plausible
from barometre_cli.lecture import ClasseurLu, adresse, limites
from barometre_cli.lecture.references import lire_reference
from barometre_cli.validation.rapport import RapportFichier


@dataclass
class Contexte:
    """Ce qu'une vérification voit : le classeur lu, la cible attendue, le rapport en cours."""

    classeur: ClasseurLu
    rapport: RapportFichier
    cible_attendue: str | None = None
    #: les cibles que le gabarit annonce, une fois reconnu
    cibles: list[Cible] = field(default_factory=list)


Regle = Callable[[Contexte], Iterator[Constat]]


@dataclass(frozen=True)
class Verification:
    """Une vérification inscrite : son nom, sa règle, ses codes."""

    nom: str
    regle: Regle
    codes: tuple[Code, ...]
    #: une erreur de cette vérification arrête la validation du fichier
    bloquante: bool = False


#: Les vérifications, dans l'ordre où elles s'appliquent.
VERIFICATIONS: list[Verification] = []


def verification(*codes: Code, bloquante: bool = False) -> Callable[[Regle], Regle]:
    """Inscrit la règle décorée dans `VERIFICATIONS`, avec les codes qu'elle produit."""

    def inscrire(regle: Regle) -> Regle:
        VERIFICATIONS.append(Verification(regle.__name__, regle, codes, bloquante))
        return regle

    return inscrire


# --- Reconnaître le gabarit ---------------------------------------------------------------

GABARIT_INCONNU = definir(
    "gabarit-inconnu",
    E,
    "Le classeur n'est pas un gabarit du Baromètre numériQc.",
    "« {fichier} » {raison}. Utilisez le gabarit transmis par le Ministère ou produit par "
    "« barometre gabarit ».",
    famille="gabarit",
)
GABARIT_AUTRE_CIBLE = definir(
    "gabarit-autre-cible",
    E,
    "Le gabarit est celui d'une autre cible que celle attendue.",
    "« {fichier} » est le gabarit de la cible {cibles}, pas de la cible {attendue}. Vérifiez "
    "que vous avez rempli le bon gabarit.",
    famille="gabarit",
)
VERSION_PERIMEE = definir(
    "version-perimee",
    E,
    "Le gabarit est d'une autre version du format que celle en vigueur.",
    "« {fichier} » est un gabarit de la version {version} du format ; la version en vigueur "
    "est la version {en_vigueur}. Téléchargez le gabarit de la version en vigueur (barometre "
    "gabarit) et recopiez-y vos données.",
    famille="gabarit",
)


TABLEAU_TROP_GRAND = definir(
    "tableau-trop-grand",
    E,
    "Un tableau s'étend au-delà de ce que la vérification lit (des milliers de lignes "
    "insérées) : il n'est pas lu.",
    "Le tableau « {libelle} » compte {lignes} lignes (jusqu'à la ligne {derniere}) ; la "
    "vérification lit un tableau jusqu'à la ligne {maximum}. Supprimez les lignes vides du "
    "tableau, ou regroupez des lignes, puis validez le classeur de nouveau.",
    famille="gabarit",
)


@verification(
    GABARIT_INCONNU,
    VERSION_PERIMEE,
    GABARIT_AUTRE_CIBLE,
    NOM_DEFINI_MANQUANT,
    NOM_DEFINI_BRISE,
    TABLEAU_TROP_GRAND,
    bloquante=True,
)
def gabarit(ctx: Contexte) -> Iterator[Constat]:
    """Reconnaître le gabarit : propriétés cachées, version, cible, noms définis."""
    props = ctx.classeur.proprietes
    nom = ctx.classeur.chemin.name
    if PROP_CIBLE not in props and PROP_VERSION not in props:
        raison = (
            "n'est pas un gabarit du Baromètre numériQc (ses propriétés d'identification sont "
            "absentes)"
        )
        yield constat(GABARIT_INCONNU, fichier=nom, raison=raison)
        return
    try:
        version = int(float(props.get(PROP_VERSION, "")))
    except (TypeError, ValueError):
        version = None
    if version != VERSION_FORMAT:
        yield constat(
            VERSION_PERIMEE,
            fichier=nom,
            version=str(props.get(PROP_VERSION, "inconnue"))[:20],
            en_vigueur=VERSION_FORMAT,
        )
        return
    ids = [i.strip() for i in str(props.get(PROP_CIBLE, "")).split(",") if i.strip()]
    inconnues = [i[:20] for i in ids if i not in ids_cibles()]
    if not ids or inconnues:
        raison = f"annonce une cible inconnue ({', '.join(inconnues) or 'aucune'})"
        yield constat(GABARIT_INCONNU, fichier=nom, raison=raison)
        return
    if ctx.cible_attendue and ctx.cible_attendue not in ids:
        yield constat(
            GABARIT_AUTRE_CIBLE, fichier=nom, cibles=", ".join(ids), attendue=ctx.cible_attendue
        )
        return
    ctx.cibles = [cible(i) for i in ids]
    ctx.rapport.cibles = [c.id for c in ctx.cibles]
    for champ in (*IDENTIFICATION, *(ch for c in ctx.cibles for ch in c.champs)):
        yield from _verifier_nom(ctx.classeur, champ)


def _trop_grand(reference: str) -> tuple[int, int] | None:
    """(lignes, dernière ligne) d'une référence valide au-delà des limites de la lecture."""
    zone = lire_reference(reference)
    if zone is None:
        return None
    lignes = zone.ligne2 - zone.ligne1 + 1
    cellules = lignes * (zone.colonne2 - zone.colonne1 + 1)
    if zone.ligne2 > limites.LIGNES_MAX or cellules > limites.CELLULES_MAX_PAR_NOM:
        return lignes, zone.ligne2
    return None


def _verifier_nom(classeur: ClasseurLu, champ: Champ) -> Iterator[Constat]:
    nommer = {"nom": champ.nom, "libelle": champ.libelle}
    if champ.nom in classeur.noms_brises and (trop := _trop_grand(classeur.noms_brises[champ.nom])):
        lignes, derniere = trop
        yield constat(
            TABLEAU_TROP_GRAND,
            FEUILLE_SAISIE,
            libelle=champ.libelle,
            lignes=milliers(lignes),
            derniere=milliers(derniere),
            maximum=milliers(limites.LIGNES_MAX),
        )
        return
    if champ.nom in classeur.noms_brises:
        probleme = (
            f"pointe vers « {classeur.noms_brises[champ.nom][:60]} », une plage supprimée ou "
            "invalide"
        )
        yield constat(NOM_DEFINI_BRISE, FEUILLE_SAISIE, **nommer, probleme=probleme)
        return
    plage = classeur.noms.get(champ.nom)
    if plage is None:
        yield constat(NOM_DEFINI_MANQUANT, FEUILLE_SAISIE, **nommer)
        return
    hauteur, largeur = len(plage.valeurs), len(plage.valeurs[0]) if plage.valeurs else 0
    # Une cellule seule et une liste fixe ont une hauteur connue ; un tableau peut grandir.
    hauteur_fixe = not champ.colonnes
    if largeur != champ.largeur or (hauteur_fixe and hauteur != champ.lignes):
        probleme = f"ne couvre plus la bonne plage ({hauteur} × {largeur} cellules)"
        yield constat(NOM_DEFINI_BRISE, plage.feuille, plage.adresse(), **nommer, probleme=probleme)


# --- Identification -----------------------------------------------------------------------


@verification(IDENTIFICATION_MANQUANTE, TEXTE_TROP_LONG, CARACTERE_INVISIBLE)
def identification(ctx: Contexte) -> Iterator[Constat]:
    """Le code et le nom de l'organisation, obligatoires ; le nom de la personne répondante.

    Chacun est borné (`TEXTE_MAX`) avant tout usage : un nom de 7 Mo collé dans la cellule
    ne se rend ni aux règles, ni au journal, ni à l'écran.
    """
    noms = ctx.classeur.noms
    lus = []
    for champ in IDENTIFICATION[:2]:
        valeur = yield from texte(noms[champ.nom], 0, 0, None, champ.libelle)
        lus.append(valeur)
    for valeur, champ in zip(lus, IDENTIFICATION[:2], strict=True):
        if not valeur:
            plage = noms[champ.nom]
            yield constat(
                IDENTIFICATION_MANQUANTE, plage.feuille, plage.adresse(), libelle=champ.libelle
            )
    ctx.rapport.organisation_code, ctx.rapport.organisation_nom = lus
    repondant = noms["repondant_nom"]
    ctx.rapport.repondant_nom = yield from borner(
        texte_de(repondant.valeur), repondant, 0, 0, None, _libelle("repondant_nom")
    )


def _libelle(nom: str) -> str:
    return next(champ.libelle for champ in IDENTIFICATION if champ.nom == nom)


@verification(PERIODE_MANQUANTE, PERIODE_INVALIDE, PERIODE_DIFFERENTE)
def periode(ctx: Contexte) -> Iterator[Constat]:
    """L'année de la collecte, sur quatre chiffres, et celle du gabarit transmis."""
    plage = ctx.classeur.noms["periode"]
    valeur = plage.valeur
    lieu = {"feuille": plage.feuille, "cellule": plage.adresse()}
    annee = texte_de(valeur)
    if vide(valeur) or not annee:
        yield constat(PERIODE_MANQUANTE, **lieu)
        return
    if not re.fullmatch(r"20\d\d", annee) or int(annee) < 2019:
        yield constat(PERIODE_INVALIDE, **lieu, annee=annee[:30])
        return
    attendue = str(ctx.classeur.proprietes.get(PROP_PERIODE, "-")).strip()
    attendue = attendue[:-2] if attendue.endswith(".0") else attendue
    if attendue not in ("", "-") and attendue != annee:
        yield constat(PERIODE_DIFFERENTE, **lieu, annee=annee, attendue=attendue[:20])
    ctx.rapport.periode = annee


COURRIEL_TROP_LONG = definir(
    "courriel-trop-long",
    A,
    "L'adresse courriel de la personne répondante dépasse 254 caractères, la longueur maximale "
    "d'une adresse (RFC 5321) : elle n'est pas gardée.",
    "L'adresse courriel compte {longueur} caractères ; une adresse en compte au plus "
    "{maximum}. Inscrivez l'adresse de la personne répondante pour que le Ministère puisse "
    "vous joindre.",
    famille="identification",
)


@verification(COURRIEL_TROP_LONG, COURRIEL_DOUTEUX)
def courriel(ctx: Contexte) -> Iterator[Constat]:
    """Une adresse qui n'a pas la forme d'un courriel : le Ministère ne pourrait pas écrire.

    La longueur se juge d'abord (RFC 5321) : une adresse démesurée n'est ni examinée ni gardée.
    """
    plage = ctx.classeur.noms["repondant_courriel"]
    adresse_lue = texte_de(plage.valeur)
    if len(adresse_lue) > COURRIEL_MAX:
        yield constat(
            COURRIEL_TROP_LONG,
            plage.feuille,
            plage.adresse(),
            longueur=milliers(len(adresse_lue)),
            maximum=COURRIEL_MAX,
        )
        adresse_lue = ""
    elif adresse_lue and not courriel_plausible(adresse_lue):
        yield constat(COURRIEL_DOUTEUX, plage.feuille, plage.adresse(), adresse=adresse_lue[:80])
    ctx.rapport.repondant_courriel = adresse_lue


ORGANISATION_DIFFERENTE = definir(
    "organisation-differente",
    A,
    "Le code d'organisation diffère de celui à qui le gabarit a été transmis.",
    "Ce gabarit a été transmis à l'organisation « {destinataire} », mais le code inscrit est "
    "« {code} ». Vérifiez que vous remplissez le gabarit de votre organisation.",
    famille="identification",
)


CODE_AUTRE_CASSE = definir(
    "code-autre-casse",
    I,
    "Le code d'organisation est celui du gabarit transmis, écrit dans une autre casse ; il est "
    "lu sous le code du gabarit.",
    "Le code « {code} » sera lu comme « {destinataire} », le code de l'organisation à qui ce "
    "gabarit a été transmis.",
    famille="identification",
)


@verification(ORGANISATION_DIFFERENTE, CODE_AUTRE_CASSE)
def destinataire(ctx: Contexte) -> Iterator[Constat]:
    """Le code inscrit est celui de l'organisation à qui le gabarit a été transmis ; écrit dans
    une autre casse (« ap14 »), il est lu sous celui du gabarit, et une info le dit."""
    code = ctx.rapport.organisation_code
    dest = str(ctx.classeur.proprietes.get(PROP_ORGANISATION, "-")).strip()
    if not code or dest in ("", "-"):
        return
    plage = ctx.classeur.noms["organisation_code"]
    lieu = (plage.feuille, plage.adresse())
    if cle_code(code) != cle_code(dest):
        yield constat(ORGANISATION_DIFFERENTE, *lieu, destinataire=dest[:60], code=code[:60])
    elif code.strip() != dest:
        yield constat(CODE_AUTRE_CASSE, *lieu, destinataire=dest[:60], code=code[:60])


# --- Rétroaction facultative --------------------------------------------------------------

RETROACTION_INVALIDE = definir(
    "retroaction-invalide",
    A,
    "Une réponse de rétroaction n'est pas sur l'échelle de 1 à 5 ; elle est ignorée.",
    "Rétroaction : « {reponse} » n'est pas une note de 1 à 5 ; la réponse est ignorée. "
    "Inscrivez un nombre de 1 (pas du tout d'accord) à 5 (tout à fait d'accord), ou laissez la "
    "cellule vide.",
    famille="retroaction",
)
COMMENTAIRE_TROP_LONG = definir(
    "commentaire-trop-long",
    A,
    "Le commentaire de rétroaction dépasse 255 caractères ; seul son début est gardé.",
    "Rétroaction : le commentaire compte {longueur} caractères ; seuls les {maximum} premiers "
    "sont gardés. Raccourcissez-le, ou écrivez le reste au Ministère.",
    famille="retroaction",
)


@verification(RETROACTION_INVALIDE, COMMENTAIRE_TROP_LONG)
def retroaction(ctx: Contexte) -> Iterator[Constat]:
    """La rétroaction est facultative : une réponse douteuse est ignorée avec un avertissement.

    Un gabarit d'avant la feuille « Rétroaction » n'en a pas les noms : rien à lire.
    """
    reponses: dict[str, int | str] = {}
    for champ in RETROACTION:
        plage = ctx.classeur.noms.get(champ.nom)
        if plage is None or not plage.valeurs or not plage.valeurs[0]:
            continue
        valeur = plage.valeur
        if probleme_formule(valeur, plage, 0, 0, None) or vide(valeur):
            continue
        reponse = texte_de(valeur)
        if champ.type is Type.TEXTE:
            if len(reponse) > TEXTE_MAX:
                yield constat(
                    COMMENTAIRE_TROP_LONG,
                    plage.feuille,
                    plage.adresse(),
                    longueur=milliers(len(reponse)),
                    maximum=TEXTE_MAX,
                )
            reponses[champ.nom] = sans_invisible(reponse[:TEXTE_MAX].strip())
        elif reponse.isdigit() and 1 <= int(reponse) <= 5:
            reponses[champ.nom] = int(reponse)
        else:
            yield constat(
                RETROACTION_INVALIDE, plage.feuille, plage.adresse(), reponse=reponse[:40]
            )
    ctx.rapport.retroaction = reponses


# --- Les cibles : les règles de leur type de calcul ----------------------------------------


@verification()
def cibles(ctx: Contexte) -> Iterator[Constat]:
    """Les règles de chaque cible du gabarit, celles de son type de calcul (`calculs`).

    Une erreur n'exclut que sa cible : la saisie d'une cible sans erreur est retenue.
    """
    for c in ctx.cibles:
        constats, saisie = collecter(type_calcul(c).regles(ctx.classeur, c))
        yield from constats
        if not any(k.severite is Severite.ERREUR for k in constats):
            ctx.rapport.saisies[c.id] = saisie


# --- Hors des champs du gabarit -----------------------------------------------------------

VALEUR_HORS_GABARIT = definir(
    "valeur-hors-gabarit",
    A,
    "Une valeur est saisie au-delà de la zone du gabarit (à droite des saisies, sous les "
    "tableaux) : elle n'est pas lue.",
    "{cellules}{trop} : contenu saisi au-delà de la zone du gabarit ; il n'est pas lu et ne "
    "compte pas. Si ce sont des réponses, inscrivez-les dans les cellules jaunes ou dans le "
    "tableau ; sinon, effacez-les.",
    famille="hors-gabarit",
)


@verification(VALEUR_HORS_GABARIT)
def hors_gabarit(ctx: Contexte) -> Iterator[Constat]:
    """Les valeurs saisies au-delà de la zone du gabarit que rien n'a lues : un avertissement
    par feuille, qui nomme les cellules.

    La zone du gabarit est sa zone d'impression (`lecture.parties.zones_gabarit`), qui couvre
    tous ses libellés et formules : ce qui est au-delà ne peut être qu'une saisie. Les lignes
    saisies sous un tableau sont lues par le tableau (`calculs.tableau.lignes_sous_tableau`) et
    ne sont pas signalées ici. Une valeur tapée à l'intérieur de la zone, hors des cellules
    jaunes, exige d'ôter la protection de la feuille ; elle n'est pas recherchée.
    """
    classeur = ctx.classeur
    lues: set[tuple[int, int]] = set()
    for c in ctx.cibles:
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
            f" (plus de {milliers(limites.HORS_NOMS_MAX)} valeurs : seules les premières sont "
            "nommées)"
            if hors.tronque
            else ""
        )
        yield constat(
            VALEUR_HORS_GABARIT,
            feuille,
            adresse(*autres[0]) if autres else "",
            cellules=designer_cellules(autres) if autres else "Des cellules",
            trop=trop,
        )
