"""Lire une cellule de saisie : la valeur normalisée, et les constats qu'elle appelle.

Chaque lecteur est un générateur : il produit ses constats (`yield`) et rend la valeur
normalisée (`return`), si bien qu'une règle s'écrit `n = yield from entier(...)` et qu'aucune
règle n'écrit dans le rapport. La valeur rendue vaut None quand la cellule est inutilisable
(le constat a déjà été produit). Le texte « 1 234 » devient 1234, « oui » devient Oui : le
calcul ne voit que des données propres.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator
from datetime import datetime, timedelta
from typing import TypeVar

from barometre_cli.catalogue import NON, OUI, normaliser_libelle
from barometre_cli.domaine.constats import A, Code, Constat, E, I, constat, definir
from barometre_cli.domaine.formats import TEXTE_MAX, caractere_invisible, sans_invisible
from barometre_cli.lecture import FORMULE_SANS_VALEUR, ErreurCellule, Plage, Valeur, adresse

# --- Les codes des valeurs saisies, définis une fois (sens, message, message de la feuille) ---

FORMULE_SANS_VALEUR_CODE = definir(
    "formule-sans-valeur",
    E,
    "Une cellule de saisie contient une formule jamais calculée (classeur jamais ouvert dans "
    "un tableur).",
    "Cette cellule contient une formule dont la valeur n'a jamais été calculée. Ouvrez le "
    "classeur dans Excel ou LibreOffice, enregistrez-le, puis validez-le de nouveau.",
    famille="valeurs",
)
VALEUR_ERREUR = definir(
    "valeur-erreur",
    E,
    "Une cellule de saisie contient une erreur de formule (#DIV/0!, #REF!…).",
    "Cette cellule affiche l'erreur {erreur}. Remplacez-la par une valeur saisie.",
    famille="valeurs",
)
FORMULE_VALEUR = definir(
    "formule-valeur",
    I,
    "Une cellule de saisie contient une formule ; sa valeur calculée compte.",
    "Cette cellule contient une formule ; sa valeur calculée ({valeur}) est celle qui sera "
    "comptée.",
    famille="valeurs",
)
VALEUR_MANQUANTE = definir(
    "valeur-manquante",
    E,
    "Une valeur obligatoire est vide.",
    "« {libelle} » est vide. Inscrivez une valeur.",
    "À remplir.",
    famille="valeurs",
)
VALEUR_NON_NUMERIQUE = definir(
    "valeur-non-numerique",
    E,
    "Un nombre est attendu, mais la cellule contient du texte.",
    "« {libelle} » : « {texte} » n'est pas un nombre. Inscrivez un nombre entier, 0 ou plus, "
    "sans unité ni symbole.",
    "Nombre attendu, pas du texte.",
    famille="valeurs",
)
NOMBRE_NEGATIF = definir(
    "nombre-negatif",
    E,
    "Un nombre négatif a été saisi ; 0 ou plus est attendu.",
    "« {libelle} » : {nombre} est négatif. Inscrivez un nombre entier, 0 ou plus.",
    "Nombre négatif : 0 ou plus.",
    famille="valeurs",
)
NOMBRE_DECIMAL = definir(
    "nombre-decimal",
    E,
    "Un nombre entier est attendu, pas un nombre décimal.",
    "« {libelle} » : {nombre} n'est pas un nombre entier. Inscrivez un dénombrement sans "
    "décimales.",
    "Nombre entier attendu, sans décimales.",
    famille="valeurs",
)
NOMBRE_EN_TEXTE = definir(
    "nombre-en-texte",
    A,
    "Un nombre a été saisi comme du texte ; il est accepté, mais vérifiez-le.",
    "« {libelle} » : le nombre « {texte} » a été saisi comme du texte (une espace spéciale "
    "entre les chiffres, ou une cellule au format Texte). Il est accepté ({nombre}), mais "
    "retapez-le comme un nombre, sans espace : le résultat affiché dans la feuille ne le "
    "compte pas.",
    "Nombre saisi comme du texte : retapez-le, sans espace.",
    famille="valeurs",
)
VALEUR_ELEVEE = definir(
    "valeur-elevee",
    A,
    "Un nombre dépasse le maximum plausible du champ (un zéro de trop ?) ; il est accepté, "
    "mais vérifiez-le.",
    "« {libelle} » : {nombre}, c'est plus que {maximum}, le maximum plausible pour ce champ. "
    "Le nombre est accepté, mais vérifiez-le (un zéro de trop ?).",
    "Plus de {maximum} : à vérifier.",
    famille="valeurs",
)
#: Comment remettre une cellule au format Standard, dans les deux tableurs : c'est ce qui fait
#: sortir d'un format de date ou de pourcentage resté sur la cellule. Annuler (Ctrl+Z) ne le
#: fait plus sur un fichier rouvert, et Suppr efface la valeur mais garde le format ; ces deux
#: commandes marchent sur la feuille protégée (mesuré dans Calc ; Excel : le gabarit permet le
#: format des cellules).
REMETTRE_STANDARD = (
    "sélectionnez-la, remettez-la au format Standard (LibreOffice : Format > Effacer le "
    "formatage direct, ou Ctrl+M ; Excel : Accueil > Nombre > Standard), puis inscrivez le "
    "nombre"
)
DATE_DANS_NOMBRE = definir(
    "date-dans-nombre",
    E,
    "Une date ou une heure a été saisie dans une cellule qui attend un dénombrement (le "
    "tableur la range comme un nombre, 43619 pour le 3 juin 2019) ; la cellule au format de "
    "date ou d'heure est refusée, quel que soit le nombre qu'elle contient.",
    "« {libelle} » : la cellule montre « {affiche} », {quoi} que le tableur range comme le "
    "nombre {nombre}. Un dénombrement est attendu : un nombre entier, 0 ou plus. La cellule "
    "garde le format de date ou d'heure même quand on y tape un nombre : "
    + REMETTRE_STANDARD
    + ".",
    "Date ou heure saisie : format Standard, puis le nombre.",
    famille="valeurs",
)
POURCENTAGE_DANS_NOMBRE = definir(
    "pourcentage-dans-nombre",
    E,
    "Un pourcentage a été saisi dans une cellule qui attend un dénombrement (« 80 % » est "
    "rangé comme 0,8) ; la cellule au format pourcentage est refusée, quel que soit le nombre "
    "qu'elle contient (990 s'y affiche « 99 000 % »).",
    "« {libelle} » : la cellule montre « {affiche} », un pourcentage, que le tableur range "
    "comme le nombre {nombre}. Un dénombrement est attendu : un nombre entier, 0 ou plus, sans "
    "le symbole %. La cellule garde le format pourcentage même quand on y tape un nombre : "
    + REMETTRE_STANDARD
    + ".",
    "Pourcentage saisi : format Standard, puis le nombre.",
    famille="valeurs",
)
OUI_NON_INVALIDE = definir(
    "oui-non-invalide",
    E,
    "Seules les réponses Oui ou Non sont acceptées.",
    "« {libelle} » : « {vu} » n'est pas une réponse permise. Choisissez "
    + OUI
    + " ou "
    + NON
    + " dans la liste.",
    "Choisissez " + OUI + " ou " + NON + " dans la liste.",
    famille="valeurs",
)
STATUT_INVALIDE = definir(
    "statut-invalide",
    E,
    "Une valeur n'est pas un des statuts permis de sa liste (les statuts d'un processus de la "
    "liste fixe).",
    "« {libelle} » : « {valeur} » n'est pas un statut permis. Choisissez dans la liste : {permis}.",
    "Choisissez un statut dans la liste.",
    famille="valeurs",
)
NOM_DEFINI_MANQUANT = definir(
    "nom-defini-manquant",
    E,
    "Un nom défini de l'interface de saisie a été supprimé.",
    "Le nom défini « {nom} » ({libelle}) a été supprimé du classeur. Recopiez vos données dans "
    "un gabarit neuf.",
    famille="gabarit",
)
NOM_DEFINI_BRISE = definir(
    "nom-defini-brise",
    E,
    "Un nom défini de l'interface pointe vers une plage supprimée ou invalide.",
    "Le nom défini « {nom} » ({libelle}) {probleme}. Recopiez vos données dans un gabarit neuf.",
    famille="gabarit",
)
#: Des codes d'identification qui tiennent au type de la saisie (une année, un courriel) :
#: la feuille les vérifie comme les autres types, `validation` les produit.
IDENTIFICATION_MANQUANTE = definir(
    "identification-manquante",
    E,
    "Le code ou le nom de l'organisation est vide.",
    "« {libelle} » est vide. Inscrivez-le dans la cellule jaune.",
    "À remplir.",
    famille="identification",
)
PERIODE_MANQUANTE = definir(
    "periode-manquante",
    E,
    "L'année de la collecte est vide.",
    "L'année de la collecte est vide. Inscrivez-la sur quatre chiffres, par exemple 2026.",
    "À remplir.",
    famille="identification",
)
PERIODE_INVALIDE = definir(
    "periode-invalide",
    E,
    "L'année de la collecte n'est pas une année sur quatre chiffres.",
    "L'année de la collecte « {annee} » n'est pas une année valide. Inscrivez-la sur quatre "
    "chiffres, par exemple 2026.",
    "Année sur quatre chiffres, par exemple 2026.",
    famille="identification",
)
PERIODE_DIFFERENTE = definir(
    "periode-differente",
    E,
    "L'année saisie diffère de celle du gabarit transmis.",
    "L'année saisie ({annee}) diffère de celle du gabarit transmis ({attendue}). Inscrivez "
    "{attendue}, ou utilisez le gabarit de la collecte {annee}.",
    "Inscrivez {attendue}, l'année de ce gabarit.",
    famille="identification",
)
COURRIEL_DOUTEUX = definir(
    "courriel-douteux",
    A,
    "L'adresse courriel de la personne répondante semble invalide.",
    "L'adresse « {adresse} » ne ressemble pas à une adresse courriel. Vérifiez-la pour que le "
    "Ministère puisse vous joindre.",
    "Adresse courriel douteuse : à vérifier.",
    famille="identification",
)
TEXTE_TROP_LONG = definir(
    "texte-trop-long",
    E,
    "Un texte saisi dépasse la longueur permise (255 caractères pour un nom ou un code, comme "
    "le documente l'interface) ; seul son début est lu.",
    "« {libelle} » compte {longueur} caractères ; {maximum} au plus sont permis. Raccourcissez "
    "le texte (seuls ses {maximum} premiers caractères ont été lus).",
    famille="valeurs",
)
CARACTERE_INVISIBLE = definir(
    "caractere-invisible",
    A,
    "Un texte saisi contient un caractère invisible (contrôle, ou contrôle de direction comme "
    "U+202E) qui le ferait afficher autrement qu'il n'est écrit ; il est retiré.",
    "« {libelle} » contient un caractère invisible ({caractere}) qui ferait afficher le texte "
    "autrement qu'il n'est écrit ; il a été retiré. Vérifiez le texte et retapez-le au besoin.",
    famille="valeurs",
)


T = TypeVar("T")
#: Une règle : elle produit des constats et rend une valeur.
Regle = Generator[Constat, None, T]

#: Les espaces qu'un nombre saisi comme du texte peut porter entre ses chiffres : ordinaire,
#: insécable, fine insécable (U+202F, celle de l'autocorrection française), fine (U+2009).
#: La feuille qui se vérifie les retire aussi (`calculs.base.lecture_nombre`) : un même
#: texte est lu de la même façon par `valider` et par la feuille.
ESPACES_NOMBRE = (" ", "\u00a0", "\u202f", "\u2009")
#: Un entier écrit en chiffres, une fois ces espaces retirées : ce que la feuille reconnaît
#: par « texte = TEXTE(CNUM(texte); "0") » (ni zéro de tête, ni signe +, ni décimales).
_ENTIER_TEXTE = re.compile(r"0|-?[1-9][0-9]{0,17}")
_DECIMAL_TEXTE = re.compile(r"-?[0-9]*[.,][0-9]+")


def sans_espaces(texte: str) -> str:
    """« 1 000 » (toute espace de `ESPACES_NOMBRE`) → « 1000 »."""
    return "".join(c for c in texte if c not in ESPACES_NOMBRE)


#: Au-delà, un texte n'est pas un nombre saisi comme du texte (« 1 000 000 000,5 » en a 15) :
#: la longueur est bornée avant tout motif.
_NOMBRE_TEXTE_MAX = 40


def vide(valeur: Valeur) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


def nombre_fr(x: float) -> str:
    """10.5 → « 10,5 » : un nombre montré au répondant, à la québécoise."""
    return f"{x:g}".replace(".", ",")


def designer_cellules(lieux: list[tuple[int, int]], montrees: int = 10) -> str:
    """« La cellule B320 », « Les cellules B320, C321 et 3 autres » : nommer sans tout énumérer."""
    noms = [adresse(*lieu) for lieu in lieux[:montrees]]
    reste = len(lieux) - len(noms)
    if reste:
        return f"Les cellules {', '.join(noms)} et {reste} autre{'s' if reste > 1 else ''}"
    if len(noms) == 1:
        return f"La cellule {noms[0]}"
    return f"Les cellules {', '.join(noms[:-1])} et {noms[-1]}"


def texte_de(valeur: Valeur) -> str:
    """Le texte d'une cellule ; un code saisi comme nombre (123.0) redevient « 123 »."""
    if vide(valeur) or valeur is FORMULE_SANS_VALEUR or isinstance(valeur, ErreurCellule):
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur).strip()


def probleme_formule(
    valeur: Valeur, plage: Plage, i: int, j: int, cible: str | None
) -> Constat | None:
    """Formule jamais calculée ou erreur de formule : la cellule est inutilisable."""
    lieu = {"feuille": plage.feuille, "cellule": plage.adresse(i, j), "cible": cible}
    if valeur is FORMULE_SANS_VALEUR:
        return constat(FORMULE_SANS_VALEUR_CODE, **lieu)
    if isinstance(valeur, ErreurCellule):
        return constat(VALEUR_ERREUR, **lieu, erreur=valeur.texte)
    return None


def _ici(code: Code, plage: Plage, i: int, j: int, cible: str | None, **valeurs: object) -> Constat:
    return constat(code, plage.feuille, plage.adresse(i, j), cible, **valeurs)


def formule(plage: Plage, i: int, j: int, cible: str | None) -> Regle[bool]:
    """Signale une formule ; rend vrai si la cellule est inutilisable."""
    valeur = plage.valeurs[i][j]
    probleme = probleme_formule(valeur, plage, i, j, cible)
    if probleme:
        yield probleme
        return True
    if (i, j) in plage.formules:
        vue = nombre_fr(valeur) if isinstance(valeur, float) else valeur
        yield _ici(FORMULE_VALEUR, plage, i, j, cible, valeur=vue)
    return False


def manquant(plage: Plage, i: int, j: int, libelle: str, cible: str | None) -> Constat:
    return _ici(VALEUR_MANQUANTE, plage, i, j, cible, libelle=libelle)


def saisie(plage: Plage, i: int, j: int, libelle: str, cible: str | None) -> Regle[Valeur]:
    """La valeur d'une saisie obligatoire, ou None une fois le constat fait (formule, vide)."""
    if (yield from formule(plage, i, j, cible)):
        return None
    valeur = plage.valeurs[i][j]
    if vide(valeur):
        yield manquant(plage, i, j, libelle, cible)
        return None
    return valeur


def entier(
    plage: Plage,
    i: int,
    j: int,
    libelle: str,
    cible: str | None,
    maximum: int | None = None,
) -> Regle[int | None]:
    """Un nombre entier ≥ 0, ou None (constat déjà produit) ; vide → valeur-manquante.

    Un nombre au format date, heure ou pourcentage n'est pas un dénombrement : c'est ce que la
    personne a tapé (« 2019-06-03 », « 80 % ») que le tableur a rangé comme un nombre. Au-delà
    de `maximum` (borne plausible du catalogue), le nombre est gardé mais « à vérifier ».
    """
    valeur = yield from saisie(plage, i, j, libelle, cible)
    if valeur is None:
        return None
    texte = None  # le texte saisi, quand un nombre a été tapé comme du texte
    nombre: float | None = None
    if isinstance(valeur, float):
        trompeur = _format_trompeur(valeur, plage.format(i, j), libelle)
        if trompeur:
            code, valeurs = trompeur
            yield _ici(code, plage, i, j, cible, **valeurs)
            return None
        nombre = valeur if math.isfinite(valeur) else None
    elif not isinstance(valeur, bool):
        texte = str(valeur).strip()
        compact = sans_espaces(str(valeur)[: _NOMBRE_TEXTE_MAX + 1])
        if len(texte) <= _NOMBRE_TEXTE_MAX and _DECIMAL_TEXTE.fullmatch(compact):
            # « 10,5 » ou « 1000,0 » en texte : un décimal
            yield _ici(NOMBRE_DECIMAL, plage, i, j, cible, libelle=libelle, nombre=texte[:60])
            return None
        if len(texte) > _NOMBRE_TEXTE_MAX or not _ENTIER_TEXTE.fullmatch(compact):
            yield _ici(VALEUR_NON_NUMERIQUE, plage, i, j, cible, libelle=libelle, texte=texte[:60])
            return None
        nombre = float(int(compact))
    probleme = _probleme_entier(nombre, valeur)
    if probleme:
        yield _ici(probleme, plage, i, j, cible, libelle=libelle, texte=str(valeur)[:60],
                   nombre=nombre_fr(nombre) if nombre is not None else "")  # fmt: skip
        return None
    assert nombre is not None
    if texte is not None:
        yield _ici(
            NOMBRE_EN_TEXTE, plage, i, j, cible, libelle=libelle, texte=texte, nombre=int(nombre)
        )
    if maximum is not None and nombre > maximum:
        yield _ici(
            VALEUR_ELEVEE,
            plage,
            i,
            j,
            cible,
            libelle=libelle,
            nombre=_milliers(int(nombre)),
            maximum=_milliers(maximum),
        )
    return int(nombre)


def _milliers(n: int) -> str:
    """1000000 → « 1 000 000 » (espace insécable, à la québécoise)."""
    return f"{n:,}".replace(",", "\u00a0")


def _nombre(x: float) -> str:
    """43619.0 → « 43 619 » ; 0.8 → « 0,8 »."""
    return _milliers(int(x)) if x.is_integer() and abs(x) < 1e15 else nombre_fr(x)


#: Le jour 0 des numéros de série de dates d'Excel et de LibreOffice (système 1900) : le
#: 30 décembre 1899, pour que les dates depuis mars 1900 tombent juste malgré le faux
#: 29 février 1900 d'Excel.
_EPOQUE = datetime(1899, 12, 30)
_SERIE_MAX = 2_958_465  # 9999-12-31


def affiche(nombre: float, genre: str | None) -> str:
    """Ce que la cellule montre à la personne : 43619 au format date → « 2019-06-03 »,
    0,354166… au format heure → « 08:30 », 0,8 au format pourcentage → « 80 % »."""
    if genre == "pourcentage":
        return f"{_nombre(round(nombre * 100, 10))}\u00a0%"  # « 99 000 % », « 80,5 % »
    if genre not in ("date", "heure") or not 0 <= nombre <= _SERIE_MAX:
        return nombre_fr(nombre)
    secondes = round(nombre * 86_400)
    jours, reste = divmod(secondes, 86_400)
    heures, reste = divmod(reste, 3_600)
    minutes, secondes = divmod(reste, 60)
    if genre == "heure":  # une durée peut dépasser 24 heures (format [h]:mm)
        heures += 24 * jours
        jours = 0
    heure = f"{heures:02d}:{minutes:02d}" + (f":{secondes:02d}" if secondes else "")
    if genre == "heure":
        return heure
    date = (_EPOQUE + timedelta(days=jours)).strftime("%Y-%m-%d")
    return date if heures == minutes == secondes == 0 else f"{date} {heure}"


def _format_trompeur(
    nombre: float, genre: str | None, libelle: str
) -> tuple[Code, dict[str, object]] | None:
    """(code, valeurs du message) quand le format de la cellule montre autre chose qu'un nombre."""
    valeurs = {"libelle": libelle, "affiche": affiche(nombre, genre), "nombre": _nombre(nombre)}
    if genre in ("date", "heure"):
        return DATE_DANS_NOMBRE, {**valeurs, "quoi": "une date" if genre == "date" else "une heure"}
    if genre == "pourcentage":
        return POURCENTAGE_DANS_NOMBRE, valeurs
    return None


def _probleme_entier(nombre: float | None, valeur: object) -> Code | None:
    """Le code du problème quand `nombre` n'est pas un entier ≥ 0 (None : pas un nombre fini)."""
    if nombre is None:
        return VALEUR_NON_NUMERIQUE
    if nombre < 0:
        return NOMBRE_NEGATIF
    if nombre != int(nombre):
        return NOMBRE_DECIMAL
    return None


def oui_non(plage: Plage, i: int, j: int, libelle: str, cible: str | None) -> Regle[bool | None]:
    """Oui ou Non ; tout le reste est une erreur qui montre ce que la cellule affiche."""
    valeur = yield from saisie(plage, i, j, libelle, cible)
    if valeur is None:
        return None
    texte = normaliser_libelle(str(valeur))
    if texte in (OUI.casefold(), NON.casefold()):
        return texte == OUI.casefold()
    # Une date, une heure ou un nombre : tel que la cellule l'affiche.
    vu = affiche(valeur, plage.format(i, j)) if isinstance(valeur, float) else str(valeur)[:60]
    yield _ici(OUI_NON_INVALIDE, plage, i, j, cible, libelle=libelle, vu=vu)
    return None


def parmi(
    plage: Plage, i: int, j: int, libelle: str, permis: tuple[str, ...], cible: str | None
) -> Regle[str | None]:
    """Une valeur d'une liste permise (statut de 5.2), comparée sans casse ni apostrophe."""
    valeur = yield from saisie(plage, i, j, libelle, cible)
    if valeur is None:
        return None
    canonique = {normaliser_libelle(p): p for p in permis}.get(normaliser_libelle(str(valeur)))
    if canonique is None:
        yield _ici(
            STATUT_INVALIDE,
            plage,
            i,
            j,
            cible,
            libelle=libelle,
            valeur=str(valeur)[:60],
            permis=" ; ".join(permis),
        )
    return canonique


def texte(
    plage: Plage,
    i: int,
    j: int,
    cible: str | None,
    libelle: str = "Ce texte",
    maximum: int = TEXTE_MAX,
) -> Regle[str]:
    """Un texte saisi, borné à `maximum` caractères et sans caractère invisible."""
    if (yield from formule(plage, i, j, cible)):
        return ""
    return (yield from borner(texte_de(plage.valeurs[i][j]), plage, i, j, cible, libelle, maximum))


def borner(
    lu: str,
    plage: Plage,
    i: int,
    j: int,
    cible: str | None,
    libelle: str,
    maximum: int = TEXTE_MAX,
) -> Regle[str]:
    """Le texte coupé à `maximum` caractères (erreur à la cellule au-delà), puis sans caractère
    invisible (avertissement) : la longueur se juge avant tout autre traitement, pour qu'aucun
    texte démesuré ne se rende aux règles, aux sorties ni à l'écran."""
    if len(lu) > maximum:
        yield _ici(
            TEXTE_TROP_LONG,
            plage,
            i,
            j,
            cible,
            libelle=libelle,
            longueur=_milliers(len(lu)),
            maximum=maximum,
        )
        lu = lu[:maximum].strip()
    invisible = caractere_invisible(lu)
    if invisible:
        yield _ici(CARACTERE_INVISIBLE, plage, i, j, cible, libelle=libelle, caractere=invisible)
    return sans_invisible(lu)


def collecter(regle: Regle[T]) -> tuple[list[Constat], T]:
    """Exécute une règle jusqu'au bout : (ses constats, sa valeur)."""
    constats: list[Constat] = []
    while True:
        try:
            constats.append(next(regle))
        except StopIteration as fin:
            return constats, fin.value
