"""Les parties du paquet autour des feuilles : relations, classeur, propriétés, noms définis.

Chacune est petite et analysée d'un bloc ; on n'en retient que ce dont la validation a besoin
(feuilles, identité du gabarit, date de modification, zones des noms de portée classeur).
"""

from __future__ import annotations

import math
import posixpath
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import unquote

from barometre_cli.lecture import limites, refus, xml
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.references import (
    Reference,
    lire_reference,
    nombre_cellules,
    zone_permise,
)

_NS_PRINCIPAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_PERSONNALISEES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_NS_DCTERMS = "http://purl.org/dc/terms/"

_P = "{" + _NS_PRINCIPAL + "}"
_RELATION = "{" + _NS_RELATIONS + "}Relationship"

#: Une zone résolue : la feuille est celle du classeur (nom exact), les coins sont permis.
Zone = Reference

#: Id de relation → (type en minuscules, partie cible normalisée).
Relations = dict[str, tuple[str, str]]


class Paquet(NamedTuple):
    """Les parties que désigne `_rels/.rels` (ou leurs emplacements habituels)."""

    principale: str
    personnalisees: str
    noyau: str


class Classeur(NamedTuple):
    """`xl/workbook.xml` lu : sa racine, ses feuilles (nom → partie) et ses relations."""

    racine: xml.Element
    #: nom → partie de la feuille ; None si ce n'est pas une feuille de calcul (graphique…)
    feuilles: dict[str, str | None]
    relations: Relations


#: Longueur maximale d'un nom de feuille lu (Excel en permet 31, LibreOffice un peu plus) : un
#: nom démesuré n'atteint ni les constats, ni l'écran.
NOM_FEUILLE_MAX = 255


def relations_paquet(archive: Archive) -> Paquet:
    """Parties principale, propriétés personnalisées et propriétés de base (`_rels/.rels`)."""
    principale, personnalisees, noyau = (
        "xl/workbook.xml",
        "docprops/custom.xml",
        "docprops/core.xml",
    )
    if "_rels/.rels" in archive:
        for type_, cible in relations(archive, "_rels/.rels", "").values():
            if type_.endswith("/officedocument") and cible in archive:
                principale = cible
            elif type_.endswith("/custom-properties"):
                personnalisees = cible
            elif type_.endswith("/core-properties"):
                noyau = cible
    if principale not in archive:
        if "word/document.xml" in archive:
            raise refus.pas_un_classeur(archive.nom, "un document Word (.docx)")
        if "ppt/presentation.xml" in archive:
            raise refus.pas_un_classeur(archive.nom, "une présentation PowerPoint (.pptx)")
        raise refus.pas_un_classeur(archive.nom, "une archive ZIP qui ne contient pas de classeur")
    return Paquet(principale, personnalisees, noyau)


def relations(archive: Archive, partie: str, dossier: str) -> Relations:
    """Id → (type en minuscules, partie cible normalisée) d'un fichier de relations."""
    lues: Relations = {}
    for relation in archive.xml(partie).iter(_RELATION):
        cible = relation.get("Target") or ""
        if relation.get("TargetMode", "").lower() == "external" or not cible:
            continue
        cible = unquote(cible)
        if cible.startswith("/"):
            cible = cible.lstrip("/")
        else:
            cible = posixpath.normpath(posixpath.join(dossier, cible))
        lues[relation.get("Id", "")] = ((relation.get("Type") or "").lower(), cible.lower())
    return lues


def lire_classeur_xml(archive: Archive, principale: str) -> Classeur:
    """Racine, feuilles et relations de la partie principale ; refuse Strict et macros."""
    nom = archive.nom
    racine = archive.xml(principale)
    espace, nom_racine = xml.espace_et_nom(racine.tag)
    if espace == _NS_STRICT:
        raise refus.format_strict(nom)
    if nom_racine != "workbook" or espace != _NS_PRINCIPAL:
        raise refus.pas_un_classeur(nom, "un document Office qui n'est pas un classeur Excel")
    dossier, base = posixpath.split(principale)
    partie_relations = posixpath.join(dossier, "_rels", base + ".rels")
    if partie_relations not in archive:
        raise archive.corrompu(f"la partie « {partie_relations} » est absente")
    lues = relations(archive, partie_relations, dossier)
    if any("macrosheet" in t or "vbaproject" in t for t, _ in lues.values()):
        raise refus.macros(nom)
    feuilles: dict[str, str | None] = {}
    vus: set[str] = set()
    for element in racine.iterfind(f"{_P}sheets/{_P}sheet"):
        nom_feuille = element.get("name")
        if not nom_feuille or nom_feuille.casefold() in vus:
            raise archive.xml_invalide(principale, "une feuille sans nom ou en double")
        if len(nom_feuille) > NOM_FEUILLE_MAX:  # Excel en permet 31 ; borné avant tout usage
            raise archive.xml_invalide(
                principale, f"une feuille au nom de {len(nom_feuille)} caractères"
            )
        vus.add(nom_feuille.casefold())
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
        type_, cible = lues.get(rid, ("", ""))
        feuilles[nom_feuille] = cible if type_.endswith("/worksheet") else None
    if not feuilles:
        raise refus.aucune_feuille(nom, archive.nom_partie(principale))
    return Classeur(racine, feuilles, lues)


def partie_chaines(classeur: Classeur) -> str:
    """La table des chaînes partagées que désignent les relations du classeur."""
    return next(
        (c for t, c in classeur.relations.values() if t.endswith("/sharedstrings")),
        "xl/sharedstrings.xml",
    )


def partie_styles(classeur: Classeur) -> str:
    """La partie des styles que désignent les relations du classeur."""
    return next(
        (c for t, c in classeur.relations.values() if t.endswith("/styles")),
        "xl/styles.xml",
    )


def proprietes(racine: xml.Element) -> dict[str, str | int | float | bool]:
    """Propriétés personnalisées typées ; un contenu illisible reste du texte."""
    lues: dict[str, str | int | float | bool] = {}
    for propriete in racine.iterfind(f"{{{_NS_PERSONNALISEES}}}property"):
        nom = propriete.get("name")
        valeur_xml = next((e for e in propriete if isinstance(e.tag, str)), None)
        if not nom or valeur_xml is None:
            continue
        espace, nom_type = xml.espace_et_nom(valeur_xml.tag)
        type_ = nom_type if espace == _NS_VT else ""
        texte = (valeur_xml.text or "").strip()
        valeur: str | int | float | bool = valeur_xml.text or ""
        try:
            if type_ in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
                valeur = int(texte)
            elif type_ in ("r4", "r8", "decimal"):
                nombre = float(texte)
                if math.isfinite(nombre):
                    valeur = nombre
            elif type_ == "bool" and texte.lower() in ("true", "1", "false", "0"):
                valeur = texte.lower() in ("true", "1")
        except ValueError:
            pass
        lues[nom] = valeur
    return lues


def date_modification(racine: xml.Element) -> datetime | None:
    """`dcterms:modified` en UTC ; None si absente ou illisible."""
    element = racine.find(f"{{{_NS_DCTERMS}}}modified")
    if element is None or not element.text:
        return None
    try:
        date = datetime.fromisoformat(element.text.strip())
    except ValueError:
        return None
    if date.tzinfo is None:
        return date.replace(tzinfo=UTC)
    return date.astimezone(UTC)


class NomsLus:
    """Les noms définis d'un classeur, inscrits un à un : la même règle pour .xlsx et .ods.

    Au plus `NOMS_MAX` noms et `CELLULES_MAX_NOMS` cellules nommées (sinon refus) ; un nom défini
    deux fois est ambigu, donc inutilisable ; un nom sans zone permise est « brisé ».
    """

    def __init__(self, nom_fichier: str, brises: dict[str, str]) -> None:
        self.nom_fichier, self.brises = nom_fichier, brises
        self.zones: dict[str, Zone] = {}
        self._vus: set[str] = set()
        self._total = 0

    def inscrire(self, nom: str, texte: str, zone: Zone | None) -> None:
        if len(self._vus) >= limites.NOMS_MAX:
            raise refus.trop_de_noms(self.nom_fichier)
        cle = nom.casefold()
        if cle in self._vus:  # deux définitions d'un même nom : ambiguës, donc inutilisables
            self.zones.pop(next((n for n in self.zones if n.casefold() == cle), ""), None)
            self.brises[nom] = texte
            return
        self._vus.add(cle)
        if zone is None:
            self.brises[nom] = texte
            return
        self.zones[nom] = zone
        self._total += nombre_cellules(zone)
        if self._total > limites.CELLULES_MAX_NOMS:
            raise refus.noms_trop_etendus(self.nom_fichier)


def lire_noms(nom_fichier: str, classeur: Classeur, brises: dict[str, str]) -> dict[str, Zone]:
    """Résout les noms de portée classeur ; les inutilisables vont dans `brises`."""
    par_nom = {nom.casefold(): nom for nom in classeur.feuilles}
    noms = NomsLus(nom_fichier, brises)
    for element in classeur.racine.iterfind(f"{_P}definedNames/{_P}definedName"):
        nom = element.get("name")
        if not nom or element.get("localSheetId") is not None:
            continue
        if nom.lower().startswith("_xlnm."):
            continue
        texte = (element.text or "").strip()
        noms.inscrire(nom, texte, resoudre(texte, par_nom, classeur.feuilles))
    return noms.zones


def zones_gabarit(classeur: Classeur) -> dict[str, tuple[int, int]]:
    """Feuille → (dernière ligne, dernière colonne) de sa zone d'impression.

    Le gabarit pose la zone d'impression de chaque feuille sur tout son contenu (libellés,
    saisies, formules) ; Excel et Calc la suivent quand on insère ou supprime des lignes à
    l'intérieur. C'est ainsi que la validation sait, sans le gabarit d'origine, ce qui est au
    gabarit et ce qui a été saisi au-delà (voir `feuille.lire_plages`). Une zone absente, en
    plusieurs morceaux ou illisible : rien pour cette feuille.
    """
    noms = list(classeur.feuilles)
    par_nom = {nom.casefold(): nom for nom in noms}
    zones: dict[str, tuple[int, int]] = {}
    for element in classeur.racine.iterfind(f"{_P}definedNames/{_P}definedName"):
        if (element.get("name") or "").casefold() != "_xlnm.print_area":
            continue
        indice = (element.get("localSheetId") or "").strip()
        if not (indice.isascii() and indice.isdigit()) or int(indice[:6]) >= len(noms):
            continue
        zone = resoudre((element.text or "").strip(), par_nom, classeur.feuilles)
        if zone is not None and zone.feuille == noms[int(indice)]:
            zones[zone.feuille] = (zone.ligne2, zone.colonne2)
    return zones


def resoudre(texte: str, par_nom: dict[str, str], feuilles: dict[str, str | None]) -> Zone | None:
    """« 'Saisie'!$C$4:$E$303 » → zone ; None si `#REF!`, plusieurs zones, feuille inconnue…"""
    reference = lire_reference(texte)
    if reference is None:
        return None
    feuille = par_nom.get(reference.feuille.casefold())
    if feuille is None or feuilles[feuille] is None:  # feuille inconnue ou feuille graphique
        return None
    return zone_permise(reference._replace(feuille=feuille))
