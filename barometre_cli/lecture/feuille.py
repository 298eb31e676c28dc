"""Les feuilles visées par des noms : parcours borné des cellules, valeurs, chaînes partagées.

Une cellule est un `<c>` d'une `<row>` du `<sheetData>` de la feuille, comme pour Excel et
Calc. Seules les cellules nommées, et celles saisies au-delà de la zone du gabarit, sont
décodées ; les autres ne sont que situées et comptées. Seules les valeurs sont des données : une
ligne ou une cellule vide (un style, une hauteur de ligne, une couleur tirée sur toute une
ligne) ne coûte presque rien et n'arrête rien, et la zone utilisée déclarée (`<dimension>`) est
ignorée ; une cellule AVEC une valeur hors de la zone permise arrête la lecture. La table des
chaînes partagées n'est lue que jusqu'au plus grand indice utile.

Le parcours est la boucle chaude de `compiler` : une partie analysée d'un bloc est parcourue
dans son arbre, ligne par ligne (lxml choisit les enfants `<c>` sans repasser par Python), et
une cellule ordinaire ne coûte qu'une lecture de son `r` et deux recherches dans des tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial

from barometre_cli.lecture import limites, refus, styles, xml
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.modele import FORMULE_SANS_VALEUR, ErreurCellule, HorsNoms, Plage
from barometre_cli.lecture.references import Reference, adresse, position

_P = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_C, _LIGNE, _DONNEES = _P + "c", _P + "row", _P + "sheetData"
_V, _F, _IS, _T, _R, _SI = _P + "v", _P + "f", _P + "is", _P + "t", _P + "r", _P + "si"

#: Une zone nommée, résolue sur une feuille du classeur (voir `parties.resoudre`).
Zone = Reference

#: Ce qui fait d'une cellule `<c>` une donnée : une valeur, une formule, un texte en ligne.
_CONTENUS = frozenset((_V, _F, _IS))

_RE_ECHAPPEMENT = re.compile(r"_x([0-9A-Fa-f]{4})_")

#: « B7 » → (7, 2) : le décodage des références est l'essentiel du coût d'une feuille lue.
_POSITIONS: dict[str, tuple[int, int]] = {}
_POSITIONS_MAX = 100_000
#: « 7 » → 7 : le numéro d'une ligne, tel qu'écrit dans son `r`.
_NUMEROS: dict[str, int] = {}


class _Invalide(ValueError):
    """Une valeur de cellule mal formée ; le message dit en quoi."""


class _Partagee:
    """Indice dans la table des chaînes partagées, résolu une fois les feuilles lues."""

    __slots__ = ("indice",)

    def __init__(self, indice: int) -> None:
        self.indice = indice


@dataclass
class Feuille:
    """Ce qu'on retient d'une feuille lue : valeurs utiles et positions des formules."""

    valeurs: dict[tuple[int, int], object] = field(default_factory=dict)
    formules: set[tuple[int, int]] = field(default_factory=set)
    #: le `s` (indice de style, tel qu'écrit) des cellules gardées qui en ont un autre que « 0 » ;
    #: décodé seulement quand on demande le format d'une cellule (`styles.indice`)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)
    #: positions des valeurs saisies au-delà de la zone du gabarit (leurs valeurs : `valeurs`)
    hors: list[tuple[int, int]] = field(default_factory=list)
    hors_tronque: bool = False


@lru_cache(maxsize=64)
def _cellules(zones: tuple[tuple, ...]) -> frozenset[tuple[int, int]]:
    """Les positions des cellules d'un jeu de zones (le même pour tout un lot de gabarits)."""
    return frozenset(
        (ligne, colonne)
        for _, ligne1, colonne1, ligne2, colonne2 in zones
        for ligne in range(ligne1, ligne2 + 1)
        for colonne in range(colonne1, colonne2 + 1)
    )


# --- Plages -------------------------------------------------------------------------------


def lire_plages(
    archive: Archive,
    zones: dict[str, Zone],
    feuilles: dict[str, str | None],
    chaines: str,
    partie_styles: str = "xl/styles.xml",
    gabarit: dict[str, tuple[int, int]] | None = None,
) -> tuple[dict[str, Plage], dict[str, HorsNoms]]:
    """Lit les feuilles visées par les noms ; une `Plage` par nom, un `HorsNoms` par feuille.

    `chaines` et `partie_styles` sont les parties des chaînes partagées et des styles, lues
    seulement si une cellule gardée y renvoie. `gabarit` : feuille → (dernière ligne, dernière
    colonne) de la zone du gabarit (`parties.zones_gabarit`) ; les valeurs saisies au-delà,
    hors des noms, sont gardées. Une feuille sans cette zone n'en garde aucune : sans elle, un
    libellé du gabarit ne se distingue pas d'une saisie.
    """
    gabarit = gabarit or {}
    par_feuille: dict[str, list[Zone]] = {}
    for zone in zones.values():
        par_feuille.setdefault(zone.feuille, []).append(zone)
    lues: dict[str, Feuille] = {}
    for feuille, partie in feuilles.items():
        if feuille not in par_feuille:
            continue
        if partie is None or partie not in archive:
            raise archive.corrompu(f"la partie de la feuille « {feuille} » est absente")
        taille = archive.membres[partie].file_size
        if taille > limites.TAILLE_MAX_FEUILLE_LUE:
            raise refus.feuille_trop_lourde(archive.nom, feuille, taille)
        necessaires = _cellules(tuple(sorted(par_feuille[feuille])))
        lues[feuille] = lire_feuille(archive, feuille, partie, necessaires, gabarit.get(feuille))
    resoudre_partagees(archive, lues, chaines)
    genres = None
    if any(feuille.styles for feuille in lues.values()):
        genres = styles.Genres.depuis(archive, partie_styles)
    plages = {nom: _plage(nom, zone, lues[zone.feuille], genres) for nom, zone in zones.items()}
    hors = {nom: _hors_noms(nom, lue, genres) for nom, lue in lues.items() if nom in gabarit}
    return plages, hors


def _hors_noms(nom: str, feuille: Feuille, genres: styles.Genres | None) -> HorsNoms:
    valeurs = {lieu: feuille.valeurs[lieu] for lieu in feuille.hors if lieu in feuille.valeurs}
    genre = None
    if genres is not None and valeurs:
        genre = partial(_genre, genres, feuille.styles)
    return HorsNoms(nom, valeurs, feuille.hors_tronque, genre)


def _genre(
    genres: styles.Genres, indices: dict[tuple[int, int], str], lieu: tuple[int, int]
) -> str | None:
    return genres.genre(indices.get(lieu))


@lru_cache(maxsize=256)
def _lieux(zone: Zone) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Les positions d'une zone, ligne par ligne (les mêmes pour tout un lot de gabarits)."""
    colonnes = range(zone.colonne1, zone.colonne2 + 1)
    return tuple(
        tuple((ligne, colonne) for colonne in colonnes)
        for ligne in range(zone.ligne1, zone.ligne2 + 1)
    )


def _plage(nom: str, zone: Zone, feuille: Feuille, genres: styles.Genres | None) -> Plage:
    colonnes = range(zone.colonne1, zone.colonne2 + 1)
    trouver = feuille.valeurs.get
    valeurs = tuple(tuple(map(trouver, lieux)) for lieux in _lieux(zone))
    formules = frozenset(
        (ligne - zone.ligne1, colonne - zone.colonne1)
        for ligne, colonne in feuille.formules
        if zone.ligne1 <= ligne <= zone.ligne2 and zone.colonne1 <= colonne <= zone.colonne2
    )
    formats = genre = None
    if genres is not None:
        lignes = range(zone.ligne1, zone.ligne2 + 1)
        formats = partial(genres.formats, feuille.styles, lignes, colonnes)
        genre = partial(_genre_relatif, genres, feuille.styles, zone.ligne1, zone.colonne1)
    return Plage(nom, zone.feuille, zone.ligne1, zone.colonne1, valeurs, formules, formats, genre)  # type: ignore[arg-type]


def _genre_relatif(
    genres: styles.Genres,
    indices: dict[tuple[int, int], str],
    ligne: int,
    colonne: int,
    i: int,
    j: int,
) -> str | None:
    return genres.genre(indices.get((ligne + i, colonne + j)))


# --- Parcours d'une feuille ---------------------------------------------------------------


def lire_feuille(
    archive: Archive,
    feuille: str,
    partie: str,
    necessaires: frozenset[tuple[int, int]],
    gabarit: tuple[int, int] | None = None,
) -> Feuille:
    """Lit une feuille ; s'arrête dès qu'une cellule avec une valeur sort de la zone permise.

    Une cellule est un `<c>` enfant d'une `<row>` enfant du `<sheetData>` de la racine : c'est
    ce que lisent Excel et Calc ; un `<c>` ou une `<row>` placés ailleurs ne sont pas des
    cellules. Seules les cellules de `necessaires`, et celles au-delà de `gabarit` (dernière
    ligne, dernière colonne du gabarit), sont décodées ; les autres ne sont que situées et
    comptées. En flux, l'analyse s'arrête à la fin de `<sheetData>` (la suite, mises en forme
    et validations, n'est jamais chargée) et chaque ligne lue est libérée.
    """
    parcours = archive.parcourir(partie, (_LIGNE, _DONNEES), feuille)
    lignes = _lignes_en_flux(parcours) if parcours.en_flux else _lignes_d_un_bloc(parcours)
    try:
        lue = _lire_lignes(archive, feuille, partie, lignes, necessaires, gabarit)
    except xml.ErreurXml as exc:
        raise archive.erreur_xml(partie, exc, feuille) from None
    racine = parcours.racine(None)
    if racine is None or racine.tag != _P + "worksheet":
        raise archive.xml_invalide(partie, "ce n'est pas une feuille de calcul", feuille)
    return lue


#: Une ligne de la feuille et ses cellules, dans l'ordre du document.
_Ligne = tuple[xml.Element, list[xml.Element]]


def _lignes_d_un_bloc(parcours: xml.Parcours) -> Iterator[_Ligne]:
    """Les lignes d'une partie analysée d'un bloc : un parcours de l'arbre, sans événements.

    lxml choisit les enfants d'après leur balise sans repasser par Python (le plus rapide).
    """
    racine = parcours.racine(None)
    donnees = racine.find(_DONNEES) if racine is not None else None
    if donnees is None:
        return
    if hasattr(donnees, "iterchildren"):  # lxml
        for ligne in donnees.iterchildren(_LIGNE):
            yield ligne, list(ligne.iterchildren(_C))
    else:
        for ligne in donnees:
            if ligne.tag == _LIGNE:
                yield ligne, [c for c in ligne if c.tag == _C]


def _lignes_en_flux(parcours: xml.Parcours) -> Iterator[_Ligne]:
    """Les lignes d'une grande partie lue en flux ; chacune est libérée une fois lue.

    Une `<row>` compte si elle est à la profondeur 3, sous le `<sheetData>` de la racine.
    """
    for _, element in parcours:
        profondeur = parcours.profondeur(element)
        if element.tag == _DONNEES:
            if profondeur == 2:  # fin du <sheetData> de la racine : la suite est inutile
                return
        elif profondeur == 3 and parcours.parent(element).tag == _DONNEES:
            yield element, [c for c in element if c.tag == _C]
            parcours.liberer(element)


def _lire_lignes(
    archive: Archive,
    feuille: str,
    partie: str,
    lignes: Iterator[_Ligne],
    necessaires: frozenset[tuple[int, int]],
    gabarit: tuple[int, int] | None,
) -> Feuille:
    """Le parcours des cellules, ligne par ligne : la boucle chaude de la lecture.

    Une ligne ordinaire (au plus `COLONNES_MAX` cellules, loin de `CELLULES_MAX_FEUILLE`) ne
    peut enfreindre ni le nombre de cellules ni le nombre de valeurs d'une ligne : sa boucle
    ne vérifie que les positions. Les autres passent par `_ligne_prudente`, cellule par cellule.
    """
    lue = Feuille()
    valeurs, formules, styles_lus = lue.valeurs, lue.formules, lue.styles
    garder_hors = gabarit is not None
    derniere_ligne, derniere_colonne = gabarit or (0, 0)
    lignes_max, colonnes_max = limites.LIGNES_MAX, limites.COLONNES_MAX
    cellules_max = limites.CELLULES_MAX_FEUILLE
    positions = _POSITIONS
    ligne = cellules = 0
    numeros = _NUMEROS
    for rang, (element_ligne, elements) in enumerate(lignes, 1):
        if elements:
            r = element_ligne.get("r")
            numero = numeros.get(r)  # type: ignore[arg-type]
            ligne = numero or _numero_ligne(archive, r, ligne, feuille, partie)
        if len(elements) > colonnes_max or cellules + len(elements) > cellules_max:
            cellules = _ligne_prudente(
                archive, feuille, partie, lue, ligne, elements, cellules, necessaires, gabarit
            )
        else:
            cellules += len(elements)
            colonne = 0
            for element in elements:
                reference = element.get("r")
                lieu = positions.get(reference)  # type: ignore[arg-type]
                if lieu is None:
                    lieu = _position(archive, reference, ligne, colonne, feuille, partie)
                    colonne = lieu[1]
                    if lieu[0] > lignes_max or colonne > colonnes_max:
                        _hors_limites(archive, feuille, element, lieu, reference)
                        continue
                else:
                    colonne = lieu[1]
                if lieu in necessaires:
                    if len(element):  # sans enfant : ni valeur ni formule
                        valeur, formule = _valeur(archive, element, feuille, partie, lieu)
                        if valeur is not None:
                            valeurs[lieu] = valeur
                        if formule:
                            formules.add(lieu)
                    style = element.get("s")
                    if style is not None and style != "0":
                        styles_lus[lieu] = style
                elif garder_hors and (lieu[0] > derniere_ligne or colonne > derniere_colonne):
                    _garder_hors(archive, lue, element, feuille, partie, lieu)
        if rang > lignes_max:  # plus de lignes que de numéros permis : doublons
            raise archive.xml_invalide(
                partie, f"plus de {refus.entier(lignes_max)} lignes", feuille
            )
        if not elements:  # ligne sans cellule : une hauteur, un style, rien à lire
            ligne = _numero_ligne(archive, element_ligne.get("r"), ligne, feuille, partie)
    return lue


def _ligne_prudente(
    archive: Archive,
    feuille: str,
    partie: str,
    lue: Feuille,
    ligne: int,
    elements: list[xml.Element],
    cellules: int,
    necessaires: frozenset[tuple[int, int]],
    gabarit: tuple[int, int] | None,
) -> int:
    """Une ligne longue, cellule par cellule, avec toutes les limites ; rend le compte des
    cellules de la feuille.

    Seules les valeurs sont des données : des cellules sans valeur (une mise en forme tirée
    sur toute la ligne) ne rendent jamais une ligne « mal formée ». Une ligne compte au plus
    `COLONNES_MAX` valeurs ; au-delà, ce sont des cellules en double (une valeur au-delà de
    la colonne `COLONNES_MAX` est refusée avant, à sa cellule, comme toute valeur lointaine).
    """
    lignes_max, colonnes_max = limites.LIGNES_MAX, limites.COLONNES_MAX
    derniere_ligne, derniere_colonne = gabarit or (0, 0)
    colonne = valeurs_ligne = 0
    for element in elements:
        reference = element.get("r")
        lieu = _position(archive, reference, ligne, colonne, feuille, partie)
        colonne = lieu[1]
        cellules += 1
        if cellules > limites.CELLULES_MAX_FEUILLE:
            raise refus.trop_de_cellules(archive.nom, feuille, adresse(*lieu))
        if lieu[0] > lignes_max or colonne > colonnes_max:
            _hors_limites(archive, feuille, element, lieu, reference)
            continue
        if _a_un_contenu(element):
            valeurs_ligne += 1
            if valeurs_ligne > colonnes_max:
                raise archive.xml_invalide(
                    partie, f"plus de {colonnes_max} valeurs dans une ligne", feuille
                )
        if lieu in necessaires:
            valeur, formule = _valeur(archive, element, feuille, partie, lieu)
            if valeur is not None:
                lue.valeurs[lieu] = valeur
            if formule:
                lue.formules.add(lieu)
            style = element.get("s")
            if style is not None and style != "0":
                lue.styles[lieu] = style
        elif gabarit is not None and (lieu[0] > derniere_ligne or colonne > derniere_colonne):
            _garder_hors(archive, lue, element, feuille, partie, lieu)
    return cellules


def _a_un_contenu(element: xml.Element) -> bool:
    """Une valeur, une formule ou un texte en ligne : ce qui fait d'une cellule une donnée."""
    return any(enfant.tag in _CONTENUS for enfant in element)


def _hors_limites(
    archive: Archive,
    feuille: str,
    element: xml.Element,
    lieu: tuple[int, int],
    reference: str | None,
) -> None:
    """Une cellule au-delà des limites : refusée si elle porte une valeur, ignorée sinon."""
    if _a_un_contenu(element):
        raise refus.hors_gabarit(archive.nom, feuille, lieu, reference)


def _garder_hors(
    archive: Archive,
    lue: Feuille,
    element: xml.Element,
    feuille: str,
    partie: str,
    lieu: tuple[int, int],
) -> None:
    """Garde une valeur saisie au-delà du gabarit (ni formule, ni cellule vide), bornée."""
    if len(lue.hors) >= limites.HORS_NOMS_MAX:
        lue.hors_tronque = lue.hors_tronque or _a_un_contenu(element)
        return
    valeur, formule = _valeur(archive, element, feuille, partie, lieu)
    if valeur is None or formule or valeur is FORMULE_SANS_VALEUR:
        return
    lue.valeurs[lieu] = valeur
    lue.hors.append(lieu)
    style = element.get("s")
    if style is not None and style != "0":
        lue.styles[lieu] = style


def _position(
    archive: Archive, reference: str | None, ligne: int, colonne: int, feuille: str, partie: str
) -> tuple[int, int]:
    """La position d'une cellule : son `r`, ou la colonne suivante de sa ligne sans `r`.

    Le décodage d'un `r` est mis en cache pour les positions permises.
    """
    if reference is None:
        return ligne, colonne + 1
    lieu = _POSITIONS.get(reference)
    if lieu is not None:
        return lieu
    lieu = position(reference)
    if lieu is None or lieu[0] == 0 or lieu[1] == 0:
        raise archive.xml_invalide(
            partie, f"référence de cellule invalide « {reference[:20]} »", feuille
        )
    permise = lieu[0] <= limites.LIGNES_MAX and lieu[1] <= limites.COLONNES_MAX
    if permise and len(_POSITIONS) < _POSITIONS_MAX:
        _POSITIONS[reference] = lieu
    return lieu


def _numero_ligne(
    archive: Archive, r: str | None, precedente: int, feuille: str, partie: str
) -> int:
    """Le `r` d'une ligne, ou la ligne suivant la précédente quand il est absent."""
    if r is None:
        return precedente + 1
    numero = _NUMEROS.get(r)
    if numero is not None:
        return numero
    lu = r.strip()
    if not (lu.isascii() and lu.isdigit()) or int(lu[:9]) == 0:
        raise archive.xml_invalide(partie, f"numéro de ligne invalide « {lu[:20]} »", feuille)
    numero = int(lu[:9])
    if numero <= limites.LIGNES_MAX and len(_NUMEROS) < _POSITIONS_MAX:
        _NUMEROS[r] = numero
    return numero


# --- Valeur d'une cellule -----------------------------------------------------------------


def _valeur(
    archive: Archive,
    element: xml.Element,
    feuille: str,
    partie: str,
    lieu: tuple[int, int],
) -> tuple[object, bool]:
    """(valeur, porte une formule avec valeur en cache) d'une cellule `<c>`."""
    v = f = en_ligne = None
    for enfant in element:
        tag = enfant.tag
        if tag == _V:
            v = enfant
        elif tag == _F:
            f = enfant
        elif tag == _IS:
            en_ligne = enfant
    type_ = element.get("t", "n")
    if type_ == "inlineStr":
        if en_ligne is None:
            return (FORMULE_SANS_VALEUR, False) if f is not None else (None, False)
        return _texte_riche(en_ligne), f is not None
    texte = v.text if v is not None else None
    if f is not None:
        if type_ == "str" and v is not None:  # formule qui rend une chaîne, vide ou non
            return _dechapper(texte or ""), True
        if not texte:
            return FORMULE_SANS_VALEUR, False
    elif not texte:
        return None, False
    assert texte is not None
    try:
        return _decoder(type_, texte), f is not None
    except _Invalide as exc:
        raise refus.cellule_invalide(archive.nom, partie, feuille, lieu, str(exc)) from None


def _decoder(type_: str, texte: str) -> object:
    """La valeur d'un `<v>` non vide selon le type `t` ; `_Invalide` dit ce qui cloche."""
    if type_ == "n":
        try:
            nombre = float(texte)
        except ValueError:
            nombre = math.nan
        if not math.isfinite(nombre):
            raise _Invalide("nombre invalide")
        return nombre
    if type_ == "s":
        indice = texte.strip()
        if not (indice.isascii() and indice.isdigit()) or len(indice) > 9:
            raise _Invalide("chaîne partagée invalide")
        return _Partagee(int(indice))
    if type_ == "str":
        return _dechapper(texte)
    if type_ == "b":
        logique = texte.strip().lower()
        if logique in ("1", "true"):
            return True
        if logique in ("0", "false"):
            return False
        raise _Invalide("valeur logique invalide")
    if type_ == "e":
        return ErreurCellule(texte.strip())
    if type_ == "d":  # date ISO 8601 (rare) : gardée telle quelle
        return texte.strip()
    raise _Invalide(f"type « {type_[:10]} » inconnu")


def _dechapper(texte: str) -> str:
    """Défait l'échappement `_xHHHH_` d'Excel (« _x000D_ » → retour chariot)."""
    if "_x" not in texte:
        return texte

    def caractere(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)

    return _RE_ECHAPPEMENT.sub(caractere, texte)


def _texte_riche(element: xml.Element) -> str:
    """Texte d'un `<si>` ou `<is>` : `<t>` direct et `<t>` des `<r>`, sans la phonétique `<rPh>`."""
    morceaux = []
    for enfant in element:
        if enfant.tag == _T:
            morceaux.append(enfant.text or "")
        elif enfant.tag == _R:
            for t in enfant.iterfind(_T):
                morceaux.append(t.text or "")
    return _dechapper("".join(morceaux))


# --- Chaînes partagées --------------------------------------------------------------------


def resoudre_partagees(archive: Archive, lues: dict[str, Feuille], partie: str) -> None:
    """Remplace les indices de chaînes partagées par leur texte.

    La table n'est lue que jusqu'au plus grand indice utile : les chaînes des feuilles
    non lues (souvent collées en masse) ne coûtent rien.
    """
    maximum = -1
    for feuille in lues.values():
        for valeur in feuille.valeurs.values():
            if isinstance(valeur, _Partagee) and valeur.indice > maximum:
                maximum = valeur.indice
    if maximum < 0:
        return
    if maximum >= limites.CHAINES_MAX:
        raise refus.trop_de_chaines(archive.nom)
    chaines = _lire_chaines(archive, partie, maximum) if partie in archive else []
    for nom, feuille in lues.items():
        for lieu, valeur in feuille.valeurs.items():
            if isinstance(valeur, _Partagee):
                if valeur.indice >= len(chaines):
                    raise refus.cellule_invalide(
                        archive.nom, partie, nom, lieu, "chaîne partagée inexistante"
                    )
                feuille.valeurs[lieu] = chaines[valeur.indice]


def _lire_chaines(archive: Archive, partie: str, maximum: int) -> list[str]:
    """Les chaînes partagées d'indice 0 à `maximum` (la suite n'est pas décodée)."""
    chaines: list[str] = []
    parcours = archive.parcourir(partie, (_SI,))
    element = None
    try:
        for _, element in parcours:
            chaines.append(_texte_riche(element))
            parcours.liberer(element)
            if len(chaines) > maximum:
                break
    except xml.ErreurXml as exc:
        raise archive.erreur_xml(partie, exc) from None
    racine = parcours.racine(element)
    if racine is None or racine.tag != _P + "sst":
        raise archive.xml_invalide(partie, "ce n'est pas une table de chaînes partagées")
    return chaines
