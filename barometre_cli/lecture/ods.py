"""Lire un classeur OpenDocument (.ods, et son modèle .ots) par le même chemin défensif qu'un .xlsx.

Les étapes communes restent celles de `lecture` : octets bornés, signature, inventaire ZIP (tailles,
taux de compression, nombre de parties) et classement de l'archive par `archive.classer_archive`,
qui reconnaît un .ods à son `mimetype` (ou, sans lui, à `content.xml`). Ensuite, ici :

1. le manifeste (`META-INF/manifest.xml`) : un contenu chiffré (`manifest:encryption-data`,
   ou une clé OpenPGP) est refusé comme un .xlsx chiffré, un autre document OpenDocument (texte,
   présentation) n'est pas un classeur ; les macros LibreOffice Basic ou les scripts le sont
   comme celles d'un .xlsm, sans être lus ;
2. les métadonnées (`meta.xml`) : propriétés personnalisées (`meta:user-defined`, où les
   gabarits gardent leur cible et leur version) et date de modification (`dc:date`) ;
3. le contenu (`content.xml`, toutes les feuilles) en un passage, par la même couture XML que le
   .xlsx (DTD et entités refusées, mêmes limites, même verdict sur les deux moteurs) :
   `ods_tableaux` ;
4. les plages nommées de portée classeur résolues comme des noms définis, et les feuilles
   qu'elles visent mises dans le même modèle (`Plage`, `HorsNoms`) que celles d'un .xlsx ;
   la zone d'impression (`table:print-ranges`) y tient lieu de zone du gabarit.

Un .fods (XML à plat, sans archive) est refusé avant tout ceci (`refus.fods`) : les répondants
ne l'emploient pas, et une archive ZIP garde à un .ods les mêmes limites qu'un .xlsx.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from barometre_cli.lecture import limites, ods_noms, ods_plages, refus, xml
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.modele import ClasseurLu
from barometre_cli.lecture.ods_tableaux import parcourir

FORMAT = "ods"

#: Types de média OpenDocument d'un classeur et de son modèle (.ots, lu de la même façon).
TYPES_CLASSEUR = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)
_NS_MANIFESTE = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_NS_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_NS_DC = "http://purl.org/dc/elements/1.1/"
_M, _META = "{" + _NS_MANIFESTE + "}", "{" + _NS_META + "}"

_CONTENU, _META_XML, _MANIFESTE = "content.xml", "meta.xml", "meta-inf/manifest.xml"
#: Un contenu chiffré par mot de passe (AES) ou par une clé OpenPGP.
_CHIFFREMENT = frozenset((_M + "encryption-data", _M + "keyinfo"))


def lire(classeur: ClasseurLu, archive: Archive) -> None:
    """Les étapes propres à OpenDocument ; chacune lève `Refus` au premier problème."""
    nom = archive.nom
    classeur.format = FORMAT
    _verifier_manifeste(archive)
    _refuser_macros(archive)
    if _CONTENU not in archive:
        raise archive.corrompu("la partie « content.xml », qui porte les feuilles, est absente")
    if _META_XML in archive:
        racine = archive.xml(_META_XML)
        classeur.proprietes = proprietes(racine)
        classeur.modifie = date_modification(racine)
    taille = archive.membres[_CONTENU].file_size
    if taille > limites.TAILLE_MAX_FEUILLE_LUE:
        raise refus.contenu_ods_trop_lourd(nom, archive.nom_partie(_CONTENU), taille)
    contenu = parcourir(archive, _CONTENU)
    if contenu.evenements:
        raise refus.macros_ods(nom)
    if not contenu.classeur:
        raise refus.pas_un_classeur(nom, "un document OpenDocument qui n'est pas un classeur")
    tableaux = ods_noms.tableaux(archive, contenu, _CONTENU)
    classeur.feuilles = tuple(tableaux)
    zones = ods_noms.zones(nom, contenu, tableaux, classeur.noms_brises)
    if zones:
        plages, hors = ods_plages.lire_plages(nom, archive.nom_partie(_CONTENU), zones, tableaux)
        classeur.noms.update(plages)
        classeur.hors_noms.update(hors)


# --- Manifeste et macros ------------------------------------------------------------------


def _verifier_manifeste(archive: Archive) -> None:
    """Chiffrement et type du document, d'après le manifeste, avant de lire le contenu."""
    if "encrypted-package" in archive:  # chiffrement OpenPGP de LibreOffice
        raise refus.chiffre_ods(archive.nom)
    if _MANIFESTE not in archive:
        return
    for element in archive.xml(_MANIFESTE).iter():
        if element.tag in _CHIFFREMENT:
            raise refus.chiffre_ods(archive.nom)
        if element.tag == _M + "file-entry" and element.get(_M + "full-path") == "/":
            _verifier_type(archive, element.get(_M + "media-type") or "")


def _verifier_type(archive: Archive, type_: str) -> None:
    if type_.strip() not in (*TYPES_CLASSEUR, ""):
        raise refus.opendocument_autre(archive.nom, type_)


#: Fichiers d'une bibliothèque Basic qui ne contiennent pas de code (index des bibliothèques).
_INDEX_BASIC = ("script-lc.xml", "dialog-lc.xml", "script-lb.xml", "dialog-lb.xml")


def _refuser_macros(archive: Archive) -> None:
    """Modules LibreOffice Basic (`Basic/…`) ou scripts (`Scripts/…`) : refusés sans être lus."""
    for partie in archive.membres:
        if partie.startswith("scripts/") or (
            partie.startswith("basic/") and not partie.endswith(_INDEX_BASIC)
        ):
            raise refus.macros_ods(archive.nom)


# --- Métadonnées ----------------------------------------------------------------------------


def proprietes(racine: xml.Element) -> dict[str, str | int | float | bool]:
    """Les `meta:user-defined`, typées ; un contenu illisible reste du texte."""
    lues: dict[str, str | int | float | bool] = {}
    for element in racine.iter(_META + "user-defined"):
        nom = element.get(_META + "name")
        if not nom:
            continue
        brut = element.text or ""
        type_ = (element.get(_META + "value-type") or "string").strip()
        valeur: str | int | float | bool = brut
        texte = brut.strip()
        if type_ == "float":
            try:
                nombre = float(texte)
            except ValueError:
                nombre = math.nan
            if math.isfinite(nombre):
                valeur = nombre
        elif type_ == "boolean" and texte.lower() in ("true", "false"):
            valeur = texte.lower() == "true"
        lues[nom] = valeur
    return lues


def date_modification(racine: xml.Element) -> datetime | None:
    """`dc:date` en UTC ; sans fuseau, l'heure est prise comme UTC, comme Calc l'écrit aussi
    dans un .xlsx (mesuré : la même heure, marquée « Z »). None si absente ou illisible."""
    element = next(racine.iter("{" + _NS_DC + "}date"), None)
    if element is None or not element.text:
        return None
    try:
        date = datetime.fromisoformat(element.text.strip())
    except ValueError:
        return None
    return date.replace(tzinfo=UTC) if date.tzinfo is None else date.astimezone(UTC)
