"""L'analyse XML des parties d'un classeur, derrière une seule couture, avec deux moteurs.

lxml quand il est importable (le plus rapide) ; sinon la bibliothèque standard
(`xml.etree.ElementTree`, et `iterparse` pour le flux), qui est ce dont on dispose dans le
navigateur sous Pyodide. La variable d'environnement `BAROMETRE_XML=stdlib` (ou `lxml`) force
un moteur ; `choisir()` en change en cours d'exécution (tests).

Les deux moteurs donnent le même verdict, aux mêmes endroits, avec les mêmes garanties :

- DTD et entités sont refusées dans les octets avant toute analyse (`archive.octets_xml`) ; le
  moteur standard refuse en plus toute déclaration DOCTYPE qui l'atteindrait (`_prologue`).
  Aucun des deux ne lit de fichier ni d'URL externe. Le moteur standard n'utilise pas
  defusedxml (absent de Pyodide) : il n'en a pas besoin, rien de dangereux ne lui parvient.
- Mêmes limites : celles de libxml2 sans `huge_tree` (profondeur ≤ 256, noms ≤ 50 000
  octets), que le moteur standard applique à l'identique ; ses seuils de 10 Mo (texte,
  attribut, commentaire) ne sont jamais atteints, car une partie analysée pèse au plus
  `limites.TAILLE_MAX_XML`.
- libxml2 et expat ne refusent pas exactement les mêmes documents : libxml2 refuse aussi une
  version de déclaration autre que 1.x et un URI d'espace de noms mal formé (le moteur
  standard applique ces deux règles) ; expat refuse des noms non ASCII que libxml2 accepte
  (lxml confie alors la partie au moteur standard).
- Une erreur a la même position sur les deux moteurs : celle du premier problème du document
  selon le moteur standard (`_diagnostic`), en ligne et colonne comptées à partir de 1.

En bloc, une partie est analysée en entier avant d'être parcourue : toute erreur passe avant
le parcours. En flux (grandes parties), les éléments arrivent dans l'ordre du document jusqu'à
la première erreur, levée à cet endroit ; c'est la bibliothèque standard qui lit alors, quel
que soit le moteur, car lxml en flux ne signale les erreurs d'espaces de noms qu'en fin de
document (son verdict dépendrait de l'endroit où la lecture s'arrête).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from xml.parsers import expat

from barometre_cli.domaine.erreurs import BarometreErreur

try:  # pas de lxml sous Pyodide
    from lxml import etree
except ImportError:  # pragma: no cover - dépend de l'environnement
    etree = None

#: Un élément de l'un ou l'autre moteur (`lxml.etree._Element` ou `ElementTree.Element`).
Element = Any

#: Limites de libxml2 sans `huge_tree`, appliquées à l'identique par le moteur standard.
PROFONDEUR_MAX = 256
NOM_MAX_OCTETS = 50_000

_MOTEURS = ("lxml", "stdlib")


class ErreurXml(Exception):
    """Une partie mal formée (`ligne`, `colonne` à partir de 1) ou porteuse d'une DTD."""

    def __init__(self, ligne: int, colonne: int, dtd: bool = False) -> None:
        super().__init__(f"ligne {ligne}, colonne {colonne}" + (" (DTD)" if dtd else ""))
        self.ligne, self.colonne, self.dtd = ligne, colonne, dtd


# --- Choix du moteur ----------------------------------------------------------------------

_moteur = ""


def moteur() -> str:
    """Le moteur en service : « lxml » ou « stdlib »."""
    return _moteur


#: Le choix de BAROMETRE_XML refusé à l'import, redit par `verifier_moteur` et à chaque analyse.
_refus: BarometreErreur | None = None


def choisir(nom: str | None = None) -> str:
    """Met en service un moteur ; sans nom, celui de BAROMETRE_XML, sinon lxml s'il existe.

    Un nom inconnu, ou lxml absent, lève `BarometreErreur` (une phrase en français).
    """
    global _moteur, _refus
    nom = nom or os.environ.get("BAROMETRE_XML", "").strip().lower() or None
    if nom is None:
        nom = "lxml" if etree is not None else "stdlib"
    if nom not in _MOTEURS:
        raise BarometreErreur(
            f"la variable d'environnement BAROMETRE_XML vaut « {nom[:40]} » : les valeurs "
            "permises sont lxml (le plus rapide) et stdlib (la bibliothèque standard de Python, "
            "celle du navigateur). Corrigez-la ou retirez-la, puis relancez la commande."
        )
    if nom == "lxml" and etree is None:
        raise BarometreErreur(
            "BAROMETRE_XML=lxml, mais lxml n'est pas installé : installez-le (python -m pip "
            "install lxml) ou retirez la variable, puis relancez la commande."
        )
    _moteur, _refus = nom, None
    return nom


def verifier_moteur() -> None:
    """Lève `BarometreErreur` si BAROMETRE_XML a été refusé : dit avant de lire quoi que ce soit."""
    if _refus is not None:
        raise _refus


def _choisir_a_l_import() -> None:
    """Au chargement du module : un mauvais BAROMETRE_XML n'empêche pas `--help` ; il est dit
    par `verifier_moteur` (les commandes l'appellent) et par toute analyse."""
    global _refus
    try:
        choisir()
    except BarometreErreur as exc:
        _refus = exc


def analyser(octets: bytes) -> Element:
    """La racine d'une partie analysée d'un bloc ; lève `ErreurXml`."""
    verifier_moteur()
    if _moteur == "lxml" and not _noms_a_confier(octets):
        return _analyser_lxml(octets)
    parcours = _ParcoursStd(octets, frozenset(), en_bloc=True)
    return parcours.racine(None)


def parcourir(octets: bytes, tags: tuple[str, ...], en_bloc: bool) -> Parcours:
    """Les fins des éléments `tags` d'une partie, dans l'ordre du document.

    En bloc, la partie est d'abord analysée en entier (plus rapide, erreurs levées ici). En
    flux, la mémoire reste bornée et une erreur est levée à sa place dans l'itération ; les
    deux moteurs passent alors par la bibliothèque standard, car lxml ne signale certaines
    erreurs (espaces de noms) qu'en fin de document : son verdict dépendrait de l'endroit où
    la lecture s'arrête.
    """
    verifier_moteur()
    if _moteur == "lxml" and en_bloc and not _noms_a_confier(octets):
        return _ParcoursLxml(octets, tags)
    return _ParcoursStd(octets, frozenset(tags), en_bloc)


def espace_et_nom(tag: str) -> tuple[str, str]:
    """« {espace}nom » → (espace, nom) ; (« », nom) sans espace de noms."""
    if tag[:1] == "{":
        espace, _, nom = tag[1:].partition("}")
        return espace, nom
    return "", tag


def textes(racine: Element) -> Iterator[str]:
    """Noms, attributs et textes de tous les nœuds (commentaires compris), pour y chercher."""
    for noeud in racine.iter():
        if isinstance(noeud.tag, str):
            yield noeud.tag
        for cle, valeur in noeud.attrib.items():
            yield cle
            yield valeur
        cible = getattr(noeud, "target", None)  # instruction lxml : cible à part du texte
        if cible is not None:
            yield f"{cible} {noeud.text}" if noeud.text else cible
        else:  # ElementTree écrit « cible texte » dans le texte de l'instruction
            yield noeud.text or ""
        yield noeud.tail or ""


class Parcours:
    """Un parcours d'une partie : itérer donne des paires (« end », élément)."""

    #: vrai si la partie est lue en flux : il faut alors `liberer` les éléments traités
    en_flux = False

    def __iter__(self) -> Iterator[tuple[str, Element]]:
        raise NotImplementedError

    def parent(self, element: Element) -> Element | None:
        """Le parent de l'élément qui vient d'être rendu (seul celui-là)."""
        raise NotImplementedError

    def profondeur(self, element: Element) -> int:
        """La profondeur de l'élément qui vient d'être rendu (seul celui-là) : 1 pour la racine.

        En flux, l'arbre déjà construit peut avoir de l'avance sur les événements rendus : seule
        la profondeur dit où se trouvait l'élément.
        """
        raise NotImplementedError

    def liberer(self, element: Element) -> None:
        """En flux, libère un élément traité et ce qui le précède : mémoire bornée."""

    def racine(self, dernier: Element | None) -> Element | None:
        """La racine du document, une fois le parcours arrêté (`dernier` : élément vu)."""
        raise NotImplementedError


# --- Moteur lxml --------------------------------------------------------------------------

#: Sans DTD, sans réseau, sans table des identifiants `xml:id` (jamais consultée : 8 % de
#: temps d'analyse en moins sur une feuille).
_analyseur_lxml = (
    etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        collect_ids=False,
        encoding="utf-8",
    )
    if etree is not None
    else None
)


def _analyser_lxml(octets: bytes) -> Element:
    try:
        racine = etree.fromstring(octets, _analyseur_lxml)
    except etree.XMLSyntaxError as exc:
        raise _erreur(octets, exc.position) from None
    if racine is None:  # pragma: no cover - lxml lève avant
        raise ErreurXml(1, 1)
    return racine


class _ParcoursLxml(Parcours):
    """Une partie analysée d'un bloc par lxml, puis parcourue par `iterwalk` (le plus rapide)."""

    def __init__(self, octets: bytes, tags: tuple[str, ...]) -> None:
        self._racine = _analyser_lxml(octets)
        self._iterateur = etree.iterwalk(self._racine, events=("end",), tag=tags)
        self.parent = etree._Element.getparent  # type: ignore[method-assign]  # sans détour

    def __iter__(self) -> Iterator[tuple[str, Element]]:
        return self._iterateur

    def racine(self, dernier: Element | None) -> Element | None:
        return self._racine

    def profondeur(self, element: Element) -> int:
        return 1 + sum(1 for _ in element.iterancestors())


#: Premiers octets UTF-8 des caractères à partir de U+0100 (les autres sont effacés).
_SOUS_U0100 = bytes(range(0xC4))
#: Ĳ ĳ Ŀ ŀ ŉ ſ : les seuls caractères de U+0100 à U+017F qu'expat refuse dans un nom.
_SEQUENCES_LATINES = tuple(c.encode() for c in "\u0132\u0133\u013f\u0140\u0149\u017f")
#: De U+2000 à U+2FFF, ceux qui peuvent être des noms pour libxml2 (pas l'apostrophe « ’ »).
_RE_E2 = re.compile(rb"\xe2(?:\x80[\x8c\x8d\xbf]|\x81[\x80\xb0-\xbf]|[\x82-\x86]|[\xb0-\xbf])")
#: Un octet non ASCII dans une balise, hors des valeurs d'attribut entre guillemets. Un essai
#: s'arrête au « < » suivant (une balise n'en contient pas) : 100 000 « < » dans un commentaire
#: ne font pas relire 100 000 fois la suite.
_NOM_NON_ASCII = rb"<(?:[^<>\"'\x80-\xff]++|\"[^\"]*+\"|'[^']*+')*+[\x80-\xff]"


def _noms_a_confier(octets: bytes) -> bool:
    """Vrai si expat refuse un nom que libxml2 accepte : la partie va au moteur standard.

    Les noms permis par libxml2 (XML 1.0, 5e édition) englobent ceux d'expat (4e édition) ;
    la différence ne touche que des caractères rares (ni les lettres accentuées du français,
    ni sa ponctuation). Un tri rapide sur les octets écarte presque toutes les parties ;
    expat ne tranche que si un tel caractère se trouve dans une balise.
    """
    if octets.isascii():
        return False
    tetes = octets.translate(None, _SOUS_U0100)
    if not tetes:
        return False
    if not tetes.translate(None, b"\xc4\xc5\xe2"):  # seulement U+0100–U+017F et U+2000–U+2FFF
        latines = (b"\xc4" in tetes or b"\xc5" in tetes) and any(
            sequence in octets for sequence in _SEQUENCES_LATINES
        )
        if not latines and (b"\xe2" not in tetes or _RE_E2.search(octets) is None):
            return False
    return re.search(_NOM_NON_ASCII, octets) is not None and _diagnostic(octets) is not None


# --- Moteur standard ----------------------------------------------------------------------


class _Probleme(Exception):
    """Une règle de libxml2 enfreinte (profondeur, nom, URI, version), ou une DTD."""

    def __init__(self, position: tuple[int, int] = (1, 0), dtd: bool = False) -> None:
        super().__init__(position)
        self.position, self.dtd = position, dtd


class _ParcoursStd(Parcours):
    """`ElementTree.iterparse`, avec les règles de libxml2 vérifiées à chaque événement.

    En bloc, un document sans erreur et sans déclaration d'espace de noms douteuse est
    d'abord analysé d'un trait, puis parcouru : trois fois plus rapide que les événements, qui
    ne servent qu'à situer une erreur.
    """

    def __init__(self, octets: bytes, tags: frozenset[str], en_bloc: bool) -> None:
        self._octets = octets
        self._tags = tags
        self._racine: Element | None = None
        self._parent: Element | None = None
        self._profondeur = 0
        self.en_flux = not en_bloc
        _prologue(octets)
        if not _version_permise(octets):
            raise _situer(octets)
        self._noms = len(octets) > NOM_MAX_OCTETS and _noms_longs_possibles(octets)
        self._liste: list[tuple[Element, Element | None, int]] | None = None
        if en_bloc:  # tout est analysé et vérifié avant le premier élément rendu
            self._liste = self._analyser_d_un_trait()
            if self._liste is None:
                self._liste = list(self._proteger(self._filtrer()))

    def __iter__(self) -> Iterator[tuple[str, Element]]:
        source = iter(self._liste) if self._liste is not None else self._proteger(self._filtrer())
        for element, parent, profondeur in source:
            self._parent, self._profondeur = parent, profondeur
            yield "end", element

    def parent(self, element: Element) -> Element | None:
        return self._parent

    def profondeur(self, element: Element) -> int:
        return self._profondeur

    def liberer(self, element: Element) -> None:
        if self.en_flux:
            element.clear()
            if self._parent is not None:
                del self._parent[:]

    def racine(self, dernier: Element | None) -> Element | None:
        return self._racine

    def _analyser_d_un_trait(self) -> list[tuple[Element, Element | None, int]] | None:
        """(élément, parent, profondeur) des fins de `tags` ; None s'il faut les événements pour
        juger."""
        ET = _elementtree()
        if self._noms or _espaces_douteux(self._octets):
            return None
        constructeur = ET.TreeBuilder(insert_comments=True, insert_pis=True)
        analyseur = ET.XMLParser(target=constructeur, encoding="utf-8")
        try:
            analyseur.feed(self._octets)
            self._racine = analyseur.close()
        except ET.ParseError:  # une règle enfreinte plus tôt passerait avant : on rejuge
            _demonter(constructeur.close())  # l'arbre commencé, peut-être très profond
            return None
        try:
            return _fins(self._racine, self._tags)
        except _Probleme:
            _demonter(self._racine)
            self._racine = None
            raise _situer(self._octets) from None

    def _proteger(
        self, elements: Iterator[tuple[Element, Element | None, int]]
    ) -> Iterator[tuple[Element, Element | None, int]]:
        """Traduit les erreurs d'expat et les règles enfreintes en `ErreurXml`, situées."""
        ET = _elementtree()
        try:
            yield from elements
        except ET.ParseError as exc:  # premier problème : les événements d'avant sont vérifiés
            self._abandonner()
            ligne, colonne = exc.position
            raise ErreurXml(ligne, colonne + 1) from None
        except _Probleme:
            self._abandonner()
            raise _situer(self._octets) from None

    def _abandonner(self) -> None:
        """L'analyse s'arrête sur une erreur : l'arbre déjà construit est défait sans récursion
        (l'analyseur en construit un morceau d'avance, plus profond que la limite peut-être)."""
        _demonter(self._racine)
        self._racine = self._parent = None

    def _filtrer(self) -> Iterator[tuple[Element, Element | None, int]]:
        """(élément, parent, profondeur) des fins de `tags`, en vérifiant profondeur, noms et
        URI."""
        ET = _elementtree()
        evenements = (
            ("start", "end", "start-ns", "pi") if self._noms else ("start", "end", "start-ns")
        )
        analyseur = ET.XMLParser(
            target=ET.TreeBuilder(insert_comments=True, insert_pis=True), encoding="utf-8"
        )
        pile: list[Element] = []
        tags, noms = self._tags, self._noms
        for evenement, element in ET.iterparse(io.BytesIO(self._octets), evenements, analyseur):
            if evenement == "start":
                if not pile:
                    self._racine = element
                elif len(pile) >= PROFONDEUR_MAX:
                    raise _Probleme
                pile.append(element)
                if noms and _noms_trop_longs(element):
                    raise _Probleme
            elif evenement == "end":
                pile.pop()
                if element.tag in tags:
                    yield element, (pile[-1] if pile else None), len(pile) + 1
            elif evenement == "start-ns":
                prefixe, uri = element
                if (uri and not uri_valide(uri)) or (noms and _trop_long(prefixe)):
                    raise _Probleme
            else:  # « pi », demandé seulement pour vérifier la longueur de la cible
                if _trop_long((element.text or "").split(" ", 1)[0]):
                    raise _Probleme


def _fins(racine: Element, tags: frozenset[str]) -> list[tuple[Element, Element | None, int]]:
    """Les (élément, parent, profondeur) de `tags` dans l'ordre des fins, comme `iterwalk` ;
    `_Probleme` si un élément est plus profond que libxml2 ne le permet.

    Sans récursion : une pile explicite, bornée par `PROFONDEUR_MAX`, quel que soit l'arbre
    (Pyodide, dont la pile est courte, tombait sur un arbre de 3 000 niveaux).
    """
    fins: list[tuple[Element, Element | None, int]] = []
    pile: list[tuple[Element, Element | None, Iterator[Element]]] = [(racine, None, iter(racine))]
    if PROFONDEUR_MAX <= 1 and any(isinstance(e.tag, str) for e in racine):
        raise _Probleme
    while pile:
        element, parent, enfants = pile[-1]
        for enfant in enfants:
            if len(enfant):
                if len(pile) + 1 >= PROFONDEUR_MAX and any(isinstance(e.tag, str) for e in enfant):
                    raise _Probleme  # un petit-enfant serait plus profond que la limite
                pile.append((enfant, element, iter(enfant)))
                break
            if enfant.tag in tags:
                fins.append((enfant, element, len(pile) + 1))
        else:
            pile.pop()
            if element.tag in tags:
                fins.append((element, parent, len(pile) + 1))
    return fins


def _demonter(racine: Element | None) -> None:
    """Défait un arbre des feuilles vers la racine, sans récursion.

    Libérer d'un coup un arbre de milliers de niveaux fait descendre la libération de niveau en
    niveau dans la pile C ; sous Pyodide, dont la pile est petite, le navigateur s'arrête
    (« Maximum call stack size exceeded ») et Python est perdu pour les fichiers suivants. Une
    liste garde chaque élément en vie pendant qu'on vide les enfants de chacun : à la fin,
    chaque élément se libère seul.
    """
    if racine is None:
        return
    elements = list(racine.iter())  # itératif (pile interne de l'itérateur)
    for element in reversed(elements):
        del element[:]


#: Une déclaration d'espace de noms. Elle suit toujours un blanc (XML sépare les attributs par
#: des blancs) : exiger ce blanc devant `xmlns` fait commencer chaque essai à un endroit où
#: aucun autre essai n'a lu, et les quantificateurs possessifs ne reviennent jamais en
#: arrière. Le balayage reste linéaire même sur 100 Ko de « xmlns:!xmlns:!… » dans un texte
#: (il était quadratique : 37 s au lieu d'une).
_RE_XMLNS = re.compile(
    rb"(?<![^ \t\r\n])xmlns(?::[^\s=/>]*+)?[ \t\r\n]*+=[ \t\r\n]*+(?:\"([^\"]*+)\"|'([^']*+)')"
)


def _espaces_douteux(octets: bytes) -> bool:
    """Vrai si une déclaration d'espace de noms pourrait avoir un URI que libxml2 refuse."""
    for declaration in _RE_XMLNS.finditer(octets):
        brut = declaration.group(1) if declaration.group(1) is not None else declaration.group(2)
        if b"&" in brut or not uri_valide(brut.decode("utf-8", "replace")):
            return True
    return False


def _elementtree() -> Any:
    """`xml.etree.ElementTree`, importé au premier usage : lxml s'en passe (démarrage)."""
    import xml.etree.ElementTree as ET

    return ET


def _trop_long(nom: str) -> bool:
    return len(nom) > NOM_MAX_OCTETS // 4 and len(nom.encode("utf-8")) > NOM_MAX_OCTETS


def _nom_trop_long(nom_expat: str) -> bool:
    """« uri}local}préfixe » (ou « local ») : libxml2 borne chaque partie séparément."""
    parties = nom_expat.split("}")
    return any(map(_trop_long, parties[1:] if len(parties) > 1 else parties))


def _noms_trop_longs(element: Element) -> bool:
    if _trop_long(espace_et_nom(element.tag)[1]):
        return True
    return any(_trop_long(espace_et_nom(cle)[1]) for cle in element.attrib)


#: Octets qui peuvent faire partie d'un nom XML (lettres, chiffres, « ._:- », non ASCII).
_OCTETS_DE_NOM = bytes(
    0x61 if (chr(o).isascii() and (chr(o).isalnum() or chr(o) in "._:-")) or o >= 0x80 else 0x20
    for o in range(256)
)


def _noms_longs_possibles(octets: bytes) -> bool:
    """Vrai s'il y a une suite de plus de `NOM_MAX_OCTETS` octets de nom (repérage rapide)."""
    return b"a" * (NOM_MAX_OCTETS + 1) in octets.translate(_OCTETS_DE_NOM)


_RE_DECLARATION = re.compile(
    rb"(?:\xef\xbb\xbf)?<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"]*)\"|'([^']*)')"
)
_RE_VERSION = re.compile(r"1\.[0-9]*")


def _version_permise(octets: bytes) -> bool:
    """libxml2 refuse une déclaration XML de version autre que « 1.x »."""
    declaration = _RE_DECLARATION.match(octets)
    if declaration is None:
        return True
    version = (declaration.group(1) or declaration.group(2) or b"").decode("latin-1")
    return _RE_VERSION.fullmatch(version) is not None


class _Dtd(Exception):
    pass


class _Racine(Exception):
    pass


def _prologue(octets: bytes) -> None:
    """Refuse une DOCTYPE ou une entité qui atteindrait expat, avant la racine du document."""
    analyseur = expat.ParserCreate(encoding="utf-8")
    analyseur.StartDoctypeDeclHandler = _lever(_Dtd)
    analyseur.EntityDeclHandler = _lever(_Dtd)
    analyseur.StartElementHandler = _lever(_Racine)
    try:
        for debut in range(0, len(octets), 4096):
            analyseur.Parse(octets[debut : debut + 4096], False)
    except _Dtd:
        raise ErreurXml(
            analyseur.CurrentLineNumber, analyseur.CurrentColumnNumber + 1, True
        ) from None
    except (_Racine, expat.ExpatError):  # la suite est l'affaire de l'analyse complète
        pass


def _lever(exception: type[Exception]) -> Callable[..., None]:
    def gestionnaire(*_: object) -> None:
        raise exception

    return gestionnaire


# --- Diagnostic commun --------------------------------------------------------------------


def _erreur(octets: bytes, position: tuple[int, int] | None) -> ErreurXml:
    """L'erreur à signaler pour une partie que lxml refuse : le diagnostic du moteur standard.

    Si le moteur standard l'acceptait (ce que les tests n'ont jamais trouvé), la position de
    lxml est gardée : la partie reste refusée.
    """
    diagnostic = _diagnostic(octets)
    if diagnostic is not None:
        return diagnostic
    ligne, colonne = position or (1, 0)
    return ErreurXml(ligne, colonne + 1)


def _diagnostic(octets: bytes) -> ErreurXml | None:
    """Le premier problème du document selon le moteur standard ; None s'il n'y en a pas."""
    try:
        _ParcoursStd(octets, frozenset(), en_bloc=True)
    except ErreurXml as exc:
        return exc
    return None


def _situer(octets: bytes) -> ErreurXml:
    """Situe le premier problème dans l'ordre de lecture, règles de libxml2 comprises.

    Lent (un appel Python par élément) : ne sert qu'une fois une règle enfreinte constatée,
    car `ElementTree` ne donne la position que des erreurs de syntaxe.
    """
    analyseur = expat.ParserCreate(encoding="utf-8", namespace_separator="}")
    analyseur.namespace_prefixes = True
    profondeur = [0]

    def probleme(dtd: bool = False) -> _Probleme:
        return _Probleme((analyseur.CurrentLineNumber, analyseur.CurrentColumnNumber), dtd)

    def debut(nom: str, attributs: dict[str, str]) -> None:
        profondeur[0] += 1
        if profondeur[0] > PROFONDEUR_MAX or any(map(_nom_trop_long, (nom, *attributs))):
            raise probleme()

    def fin(_: str) -> None:
        profondeur[0] -= 1

    def espace(prefixe: str | None, uri: str | None) -> None:
        if (uri and not uri_valide(uri)) or _trop_long(prefixe or ""):
            raise probleme()

    def instruction(cible: str, _: str) -> None:
        if _trop_long(cible):
            raise probleme()

    def declaration(version: str, *_: object) -> None:
        if _RE_VERSION.fullmatch(version or "") is None:
            raise probleme()

    def doctype(*_: object) -> None:
        raise probleme(dtd=True)

    analyseur.StartElementHandler, analyseur.EndElementHandler = debut, fin
    analyseur.StartNamespaceDeclHandler = espace
    analyseur.ProcessingInstructionHandler = instruction
    analyseur.XmlDeclHandler = declaration
    analyseur.StartDoctypeDeclHandler = analyseur.EntityDeclHandler = doctype
    try:
        analyseur.Parse(octets, True)
    except _Probleme as exc:
        ligne, colonne = exc.position
        return ErreurXml(ligne, colonne + 1, exc.dtd)
    except expat.ExpatError as exc:
        return ErreurXml(exc.lineno, exc.offset + 1)
    return ErreurXml(1, 1)  # pragma: no cover - une règle enfreinte est toujours retrouvée


# --- URI d'espace de noms -----------------------------------------------------------------

_NR = r"A-Za-z0-9\-._~"
_SD = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_NR}{_SD}:@]|{_PCT})"
_SEGMENT = rf"{_PCHAR}*"
_AUTORITE = rf"(?:(?:[{_NR}{_SD}:]|{_PCT})*@)?(?:\[[^\]]*\]|(?:[{_NR}{_SD}]|{_PCT})*)(?::([0-9]+))?"
_SUITE = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?\[\]])*)?"
_CHEMINS = rf"//{_AUTORITE}(?:/{_SEGMENT})*|/(?:{_PCHAR}+(?:/{_SEGMENT})*)?"
_URI = rf"[A-Za-z][A-Za-z0-9+\-.]*:(?:{_CHEMINS}|{_PCHAR}+(?:/{_SEGMENT})*|){_SUITE}"
_URI_RELATIF = rf"(?:{_CHEMINS}|(?:[{_NR}{_SD}@]|{_PCT})+(?:/{_SEGMENT})*|){_SUITE}"


@cache
def _motifs_uri() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compilés au premier usage (quelques millisecondes) : lxml vérifie les URI lui-même."""
    return re.compile(_URI), re.compile(_URI_RELATIF)


def uri_valide(uri: str) -> bool:
    """Un URI que libxml2 accepte comme espace de noms (RFC 3986, avec ses écarts).

    Écarts de libxml2 reproduits : crochets permis dans le fragment, contenu libre entre
    crochets pour l'hôte, port non vide et d'au plus 2 147 483 647.
    """
    for motif in _motifs_uri():
        correspondance = motif.fullmatch(uri)
        if correspondance is not None:
            port = correspondance.group(1)
            if port is None or int(port) <= 2**31 - 1:
                return True
    return False


_choisir_a_l_import()
