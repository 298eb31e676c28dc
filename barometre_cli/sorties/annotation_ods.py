"""Copie annotée d'un classeur OpenDocument (.ods) : chaque constat en commentaire sur sa cellule,
surlignée, comme `annotation` le fait pour un .xlsx.

Un répondant qui travaille dans LibreOffice reçoit une copie qu'il ouvre dans LibreOffice : le
même classeur, son `content.xml` seul réécrit. Les autres parties (styles, réglages, métadonnées,
vignette) sont recopiées octet pour octet, `mimetype` en premier et non compressé. On ne le fait
que pour un classeur déjà accepté par la lecture défensive (taille de `content.xml` bornée, sans
DTD ni entité, sans macro ni chiffrement), analysé par lxml sans résolution d'entités ni réseau.

Une ligne ou une cellule répétée (`table:number-rows-repeated`, `number-columns-repeated`) est
scindée autour de la cellule annotée seulement : une ligne vide répétée un million de fois reste
trois éléments. Le surlignage est un style automatique tiré du style de la cellule (format de
nombre et protection gardés), avec la couleur de fond de la gravité.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from barometre_cli.domaine.constats import Constat, Severite
from barometre_cli.ecriture.cellules import texte_sur
from barometre_cli.lecture.references import position

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_O, _T, _X = (f"{{{NS[p]}}}" for p in ("office", "table", "text"))
_S, _FO, _DC = (f"{{{NS[p]}}}" for p in ("style", "fo", "dc"))
_LIGNE, _CELLULE, _COUVERTE = _T + "table-row", _T + "table-cell", _T + "covered-table-cell"
_REP_LIGNES, _REP_COLONNES = _T + "number-rows-repeated", _T + "number-columns-repeated"
_STYLE = _T + "style-name"

_COULEURS = {
    Severite.ERREUR: "#FFC7CE",
    Severite.AVERTISSEMENT: "#FFEB9C",
    Severite.INFO: "#DDEBF7",
}
AUTEUR = "barometre valider"


def octets_annotes(
    octets: bytes, par_cellule: dict[tuple[str, str], list[Constat]], feuille_par_defaut: str
) -> bytes:
    """Les octets de la copie annotée d'un .ods ; `par_cellule` : (feuille, « C14 ») → constats."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(octets))
    analyseur = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    racine = etree.fromstring(source.read("content.xml"), analyseur)
    feuilles = {
        t.get(_T + "name"): t
        for t in racine.iterfind(f"{_O}body/{_O}spreadsheet/{_T}table")
        if t.get(_T + "name")
    }
    styles = _Styles(racine)
    for (feuille, cellule), constats in par_cellule.items():
        nom = feuille if feuille in feuilles else feuille_par_defaut
        if nom not in feuilles:
            nom = next(iter(feuilles))
        ligne, colonne = position(cellule) or (1, 1)
        case = _cellule(feuilles[nom], ligne, colonne)
        _commenter(case, constats)
        pire = min(constats, key=lambda c: list(Severite).index(c.severite)).severite
        case.set(_STYLE, styles.surligne(_style_de(case, feuilles[nom], colonne), _COULEURS[pire]))
    contenu = etree.tostring(racine, xml_declaration=True, encoding="UTF-8")
    return _archive(source, contenu)


def _archive(source: zipfile.ZipFile, contenu: bytes) -> bytes:
    """Les parties d'origine dans le même ordre, `mimetype` d'abord et non compressé."""
    tampon = io.BytesIO()
    entrees = sorted(source.infolist(), key=lambda e: e.filename != "mimetype")
    with zipfile.ZipFile(tampon, "w") as copie:
        for entree in entrees:
            donnees = contenu if entree.filename == "content.xml" else source.read(entree)
            methode = zipfile.ZIP_STORED if entree.filename == "mimetype" else zipfile.ZIP_DEFLATED
            copie.writestr(zipfile.ZipInfo(entree.filename, entree.date_time), donnees, methode)
    return tampon.getvalue()


# --- Trouver la cellule, en scindant les répétitions ---------------------------------------------


def _repetition(element, attribut: str) -> int:
    texte = (element.get(attribut) or "1").strip()
    return int(texte) if texte.isdigit() and int(texte) > 0 else 1


def _scinder(element, attribut: str, avant: int, apres: int) -> None:
    """Fait de `element` une seule ligne (ou cellule) : ses répétitions d'avant et d'après
    deviennent des copies placées de part et d'autre."""
    for nombre, cote in ((avant, "avant"), (apres, "apres")):
        if nombre <= 0:
            continue
        double = copy.deepcopy(element)
        if nombre > 1:
            double.set(attribut, str(nombre))
        else:
            double.attrib.pop(attribut, None)
        if cote == "avant":
            element.addprevious(double)
        else:
            element.addnext(double)
    element.attrib.pop(attribut, None)


def _cellule(feuille, ligne: int, colonne: int):
    """L'élément de la cellule (ligne, colonne), seul de sa répétition ; créé s'il manque."""
    from lxml import etree

    rangee, debut, derniere = None, 1, None
    for element in feuille.iter(_LIGNE):
        n = _repetition(element, _REP_LIGNES)
        if debut <= ligne < debut + n:
            _scinder(element, _REP_LIGNES, ligne - debut, debut + n - 1 - ligne)
            rangee = element
            break
        debut, derniere = debut + n, element
    if rangee is None:  # sous la dernière ligne écrite : des lignes ajoutées à sa suite
        rangee = etree.Element(_LIGNE)
        nouvelles = [rangee]
        if ligne > debut:
            vide = etree.Element(_LIGNE, {_REP_LIGNES: str(ligne - debut)})
            etree.SubElement(vide, _CELLULE)
            nouvelles.insert(0, vide)
        for nouvelle in nouvelles:
            if derniere is not None:
                derniere.addnext(nouvelle)
            else:
                feuille.append(nouvelle)
            derniere = nouvelle
    debut = 1
    for element in rangee:
        if element.tag not in (_CELLULE, _COUVERTE):
            continue
        n = _repetition(element, _REP_COLONNES)
        if debut <= colonne < debut + n:
            _scinder(element, _REP_COLONNES, colonne - debut, debut + n - 1 - colonne)
            return element
        debut += n
    if colonne > debut:
        etree.SubElement(rangee, _CELLULE, {_REP_COLONNES: str(colonne - debut)})
    return etree.SubElement(rangee, _CELLULE)


# --- Le commentaire et le surlignage -----------------------------------------------------------


def _commenter(case, constats: list[Constat]) -> None:
    """Un commentaire (`office:annotation`, premier enfant de la cellule), un paragraphe par
    constat ; un commentaire déjà là reçoit les nôtres à la suite."""
    from lxml import etree

    annotation = case.find(_O + "annotation")
    if annotation is None:
        annotation = etree.Element(_O + "annotation")
        case.insert(0, annotation)
        etree.SubElement(annotation, _DC + "creator").text = AUTEUR
    for numero, constat in enumerate(constats):
        if numero or len(annotation.findall(_X + "p")):
            etree.SubElement(annotation, _X + "p")
        paragraphe = etree.SubElement(annotation, _X + "p")
        paragraphe.text = texte_sur(f"[{constat.severite.value}] {constat.message}")


def _style_de(case, feuille, colonne: int) -> str:
    """Le style de la cellule, sinon celui que sa colonne donne à ses cellules."""
    if case.get(_STYLE):
        return case.get(_STYLE)
    debut = 1
    for element in feuille.iter(_T + "table-column"):
        n = _repetition(element, _REP_COLONNES)
        if debut <= colonne < debut + n:
            return element.get(_T + "default-cell-style-name") or "Default"
        debut += n
    return "Default"


class _Styles:
    """Les styles automatiques de cellule du contenu, et ceux créés pour surligner."""

    def __init__(self, racine) -> None:
        from lxml import etree

        automatiques = racine.find(_O + "automatic-styles")
        if automatiques is None:
            automatiques = etree.Element(_O + "automatic-styles")
            racine.find(_O + "body").addprevious(automatiques)
        self.automatiques = automatiques
        self.existants = {
            s.get(_S + "name"): s
            for s in automatiques.iterfind(_S + "style")
            if s.get(_S + "family") == "table-cell"
        }
        self.crees: dict[tuple[str, str], str] = {}

    def surligne(self, nom: str, couleur: str) -> str:
        """Un style comme `nom`, au fond de `couleur` ; un style automatique est recopié (il
        porte le format de nombre et la protection), un style nommé devient le parent."""
        from lxml import etree

        cle = (nom, couleur)
        if cle in self.crees:
            return self.crees[cle]
        nouveau_nom = f"barometre{len(self.crees) + 1}"
        while nouveau_nom in self.existants:
            nouveau_nom += "b"
        modele = self.existants.get(nom)
        if modele is not None:
            style = copy.deepcopy(modele)
        else:
            style = etree.Element(
                _S + "style", {_S + "family": "table-cell", _S + "parent-style-name": nom}
            )
        style.set(_S + "name", nouveau_nom)
        proprietes = style.find(_S + "table-cell-properties")
        if proprietes is None:
            proprietes = etree.Element(_S + "table-cell-properties")
            style.insert(0, proprietes)
        proprietes.set(_FO + "background-color", couleur)
        self.automatiques.append(style)
        self.existants[nouveau_nom] = style
        self.crees[cle] = nouveau_nom
        return nouveau_nom


def chemin_annote(fichier: Path, suffixe: str) -> Path:
    return fichier.with_name(f"{fichier.stem}{suffixe}.ods")
