"""La valeur d'une cellule OpenDocument, décodée seulement quand une règle la lit.

Le type d'une cellule est écrit dans le fichier (`office:value-type`) : une date, une heure ou
un pourcentage tapés dans un dénombrement se voient sans rien déduire d'un format. Une date
devient le nombre de jours depuis le 30 décembre 1899 et une heure une fraction de jour, comme
dans un .xlsx : les règles et les messages (« rangé comme le nombre 43 619 ») sont les mêmes.
Le texte suit les règles d'OpenDocument : paragraphes joints par des sauts de ligne, blancs du
XML réduits à une espace, espaces voulues écrites `text:s`, tabulations `text:tab`, sauts
`text:line-break` ; commentaires, notes et objets posés dans la cellule n'en font pas partie.
"""

from __future__ import annotations

import math
import re
from datetime import date

from barometre_cli.lecture import limites, xml
from barometre_cli.lecture.modele import FORMULE_SANS_VALEUR, ErreurCellule

NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
NS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

_O, _X = "{" + NS_OFFICE + "}", "{" + NS_TEXT + "}"
TYPE, FORMULE = _O + "value-type", "{" + NS_TABLE + "}formula"
_CALCEXT_TYPE = "{" + NS_CALCEXT + "}value-type"

_PARAGRAPHES = frozenset((_X + "p", _X + "h"))
_ESPACE, _TABULATION, _SAUT = _X + "s", _X + "tab", _X + "line-break"
_HORS_TEXTE = frozenset((_O + "annotation", _O + "annotation-end", _X + "note", _X + "ruby-text"))
#: Espaces de noms des objets posés dans une cellule (formes, images, graphiques, contrôles).
_OBJETS = tuple(
    "{urn:oasis:names:tc:opendocument:xmlns:" + espace
    for espace in ("drawing:", "svg-compatible:", "chart:", "dr3d:", "form:")
)
_RE_BLANCS = re.compile(r"[ \t\n\r]+")

#: Genre de format (voir `Plage.format`) d'après le type de valeur. « float » ne dit pas si la
#: cellule est au format Standard : son genre reste inconnu, comme celui d'une cellule Standard.
GENRES = {"percentage": "pourcentage", "date": "date", "time": "heure", "currency": "nombre"}

_ORIGINE = date(1899, 12, 30).toordinal()
_RE_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d{1,12})?)?(?:Z|[+-]\d{2}:\d{2})?"
)
_RE_DUREE = re.compile(
    r"(-)?P(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9}(?:\.\d{1,12})?)S)?)?"
)


class Invalide:
    """Une valeur mal formée, refusée seulement si une règle doit la lire (`detail` : en quoi)."""

    __slots__ = ("detail",)

    def __init__(self, detail: str) -> None:
        self.detail = detail


def a_contenu(element: xml.Element) -> bool:
    """Une valeur, une formule ou un paragraphe : ce qui fait d'une cellule une donnée (un
    commentaire seul n'en fait pas une)."""
    if element.get(TYPE) is not None or element.get(FORMULE) is not None:
        return True
    return any(enfant.tag in _PARAGRAPHES for enfant in element)


def cellule(element: xml.Element) -> tuple[object, bool, str | None]:
    """(valeur, porte une formule avec valeur, genre du format) d'une cellule gardée."""
    valeur, formule = valeur_cellule(element)
    return valeur, formule, GENRES.get(element.get(TYPE) or "")


def valeur_cellule(element: xml.Element) -> tuple[object, bool]:
    """(valeur, porte une formule avec valeur) d'une cellule ; `Invalide` si mal formée.

    Une formule sans type de valeur est une formule qui rend une chaîne vide si Calc en a
    écrit le paragraphe (`<text:p/>`), et une formule jamais calculée sinon.
    """
    type_ = element.get(TYPE)
    formule = element.get(FORMULE) is not None
    if element.get(_CALCEXT_TYPE) == "error":  # Calc : « #DIV/0! » est le texte affiché
        return ErreurCellule(texte_cellule(element).strip()), formule
    if type_ is None:
        paragraphes = any(enfant.tag in _PARAGRAPHES for enfant in element)
        if formule:
            return (texte_cellule(element), True) if paragraphes else (FORMULE_SANS_VALEUR, False)
        texte = texte_cellule(element) if paragraphes else ""
        return (texte or None), False
    if type_ == "string":
        chaine = element.get(_O + "string-value")
        return (chaine if chaine is not None else texte_cellule(element)), formule
    return _decoder(element, type_), formule


def _decoder(element: xml.Element, type_: str) -> object:
    if type_ in ("float", "percentage", "currency"):
        texte = element.get(_O + "value")
        try:
            nombre = float(texte) if texte is not None else math.nan
        except ValueError:
            nombre = math.nan
        return nombre if math.isfinite(nombre) else Invalide("nombre invalide")
    if type_ == "date":
        return _date(element.get(_O + "date-value") or "")
    if type_ == "time":
        return _duree(element.get(_O + "time-value") or "")
    if type_ == "boolean":
        logique = (element.get(_O + "boolean-value") or "").strip().lower()
        if logique in ("true", "1"):
            return True
        if logique in ("false", "0"):
            return False
        return Invalide("valeur logique invalide")
    return Invalide(f"type « {type_[:10]} » inconnu")


def _date(texte: str) -> object:
    """« 2019-06-03 » → 43619.0 (jours depuis le 30 décembre 1899, heure en fraction)."""
    trouve = _RE_DATE.fullmatch(texte.strip())
    if trouve is None:
        return Invalide("date invalide")
    annee, mois, jour, h, m, s, fraction = trouve.groups()
    try:
        jours = date(int(annee), int(mois), int(jour)).toordinal() - _ORIGINE
    except ValueError:
        return Invalide("date invalide")
    if h is None:
        return float(jours)
    secondes = int(h) * 3600 + int(m) * 60 + int(s) + float(fraction or 0)
    return _quinze_chiffres(jours + secondes / 86400)


def _duree(texte: str) -> object:
    """« PT08H30M00S » → 0.354166… (fraction de jour, comme une heure dans un .xlsx)."""
    trouve = _RE_DUREE.fullmatch(texte.strip())
    if trouve is None or not any(trouve.groups()[1:]):
        return Invalide("heure invalide")
    signe, jours, heures, minutes, secondes = trouve.groups()
    total = (
        int(jours or 0)
        + int(heures or 0) / 24
        + int(minutes or 0) / 1440
        + float(secondes or 0) / 86400
    )
    return _quinze_chiffres(-total if signe else total)


def _quinze_chiffres(nombre: float) -> float:
    """Arrondi à 15 chiffres significatifs, comme Calc écrit ce nombre dans un .xlsx (8:30 →
    0.354166666666667) : une heure lue d'un .ods donne la même valeur que du .xlsx."""
    return float(f"{nombre:.15g}")


# --- Texte d'une cellule ------------------------------------------------------------------


class _Texte:
    """Le texte d'une cellule, borné à `limites.TEXTE_MAX` caractères (une espace `text:s`
    peut en annoncer des milliards), avec les blancs traités comme OpenDocument le prévoit."""

    def __init__(self) -> None:
        self.morceaux: list[str] = []
        self.longueur = 0
        self.blanc = True  # début de paragraphe : les blancs du XML y sont ignorés

    @property
    def reste(self) -> int:
        return limites.TEXTE_MAX - self.longueur

    def ajouter(self, texte: str) -> None:
        reste = self.reste
        if reste <= 0 or not texte:
            return
        texte = texte[:reste]
        self.morceaux.append(texte)
        self.longueur += len(texte)

    def brut(self, texte: str | None) -> None:
        """Du texte du XML : tabulations et sauts de ligne y sont des blancs, et une suite de
        blancs compte pour une seule espace (les espaces voulues sont écrites `text:s`)."""
        if not texte:
            return
        if _a_normaliser(texte) or (self.blanc and texte[0] == " "):
            texte = _RE_BLANCS.sub(" ", texte)
            if self.blanc and texte.startswith(" "):
                texte = texte[1:]
            if not texte:
                return
        self.ajouter(texte)
        self.blanc = texte.endswith(" ")

    def paragraphe(self, element: xml.Element) -> None:
        self.brut(element.text)
        for enfant in element:
            tag = enfant.tag
            if isinstance(tag, str) and tag not in _HORS_TEXTE and not tag.startswith(_OBJETS):
                if tag == _ESPACE:
                    nombre = min(_nombre_espaces(enfant.get(_X + "c")), self.reste)
                    self.ajouter(" " * nombre)
                    self.blanc = False
                elif tag == _TABULATION:
                    self.ajouter("\t")
                    self.blanc = False
                elif tag == _SAUT:
                    self.ajouter("\n")
                    self.blanc = True
                else:  # text:span, text:a, champs : leur texte compte
                    self.paragraphe(enfant)
            self.brut(enfant.tail)


def _a_normaliser(texte: str) -> bool:
    return "  " in texte or "\t" in texte or "\n" in texte or "\r" in texte


def _nombre_espaces(texte: str | None) -> int:
    if texte is None:
        return 1
    texte = texte.strip()
    if not (texte.isascii() and texte.isdigit()):
        return 1
    return min(int(texte[:9]), limites.TEXTE_MAX)


def texte_cellule(element: xml.Element) -> str:
    """Les paragraphes d'une cellule, joints par des sauts de ligne (comme Alt+Entrée)."""
    paragraphes = [enfant for enfant in element if enfant.tag in _PARAGRAPHES]
    if len(paragraphes) == 1 and not len(paragraphes[0]):  # le cas courant, sans détour
        texte = paragraphes[0].text or ""
        if not _a_normaliser(texte) and texte[:1] != " ":
            return texte[: limites.TEXTE_MAX]
    texte = _Texte()
    for numero, paragraphe in enumerate(paragraphes):
        if numero:
            texte.ajouter("\n")
            texte.blanc = True
        texte.paragraphe(paragraphe)
    return "".join(texte.morceaux)
