"""Les feuilles visées par des noms : parcours borné des cellules, valeurs, chaînes partagées.

Seules les cellules nommées, et celles saisies au-delà de la zone du gabarit, sont décodées ;
les autres ne sont que situées et comptées. Seules les valeurs sont des données : une ligne ou
une cellule vide (un style, une hauteur de ligne) hors de la zone permise ne coûte rien et
n'arrête rien, et la zone utilisée déclarée (`<dimension>`) est ignorée ; une cellule AVEC une
valeur hors de la zone permise arrête la lecture. La table des chaînes partagées n'est lue que
jusqu'au plus grand indice utile.
"""

from __future__ import annotations

import math
import re
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
    #: indice du style (`s`) des cellules gardées qui en ont un autre que le premier
    styles: dict[tuple[int, int], int] = field(default_factory=dict)
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
    genres: styles.Genres, indices: dict[tuple[int, int], int], lieu: tuple[int, int]
) -> str | None:
    return genres.genre(indices.get(lieu, 0))


def _plage(nom: str, zone: Zone, feuille: Feuille, genres: styles.Genres | None) -> Plage:
    colonnes = range(zone.colonne1, zone.colonne2 + 1)
    valeurs = tuple(
        tuple(feuille.valeurs.get((ligne, colonne)) for colonne in colonnes)
        for ligne in range(zone.ligne1, zone.ligne2 + 1)
    )
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
    indices: dict[tuple[int, int], int],
    ligne: int,
    colonne: int,
    i: int,
    j: int,
) -> str | None:
    return genres.genre(indices.get((ligne + i, colonne + j), 0))


# --- Parcours d'une feuille ---------------------------------------------------------------


def lire_feuille(
    archive: Archive,
    feuille: str,
    partie: str,
    necessaires: frozenset[tuple[int, int]],
    gabarit: tuple[int, int] | None = None,
) -> Feuille:
    """Lit une feuille ; s'arrête dès qu'une cellule avec une valeur sort de la zone permise.

    Seules les cellules de `necessaires`, et celles au-delà de `gabarit` (dernière ligne,
    dernière colonne du gabarit), sont décodées ; les autres ne sont que situées et comptées.
    En flux, l'analyse s'arrête à la fin de `<sheetData>` : la suite (mises en forme,
    validations) n'est jamais chargée, et chaque ligne lue est libérée.
    """
    lue = Feuille()
    parcours = archive.parcourir(partie, (_C, _LIGNE, _DONNEES), feuille)
    garder_hors = gabarit is not None
    derniere_ligne, derniere_colonne = gabarit or (0, 0)
    lignes_max, colonnes_max = limites.LIGNES_MAX, limites.COLONNES_MAX
    cellules_max = limites.CELLULES_MAX_FEUILLE
    ligne = 0  # numéro de la ligne en cours (ou de la dernière terminée)
    ligne_ouverte = False
    colonne = 0
    cellules_ligne = 0  # une ligne a au plus COLONNES_MAX cellules : mémoire bornée
    cellules = lignes = 0
    positions = _POSITIONS
    element = None
    try:
        for _, element in parcours:
            tag = element.tag
            if tag == _C:
                if not ligne_ouverte:
                    parent = parcours.parent(element)
                    r = parent.get("r") if parent is not None and parent.tag == _LIGNE else None
                    ligne = _numero_ligne(archive, r, ligne, feuille, partie)
                    ligne_ouverte, colonne, cellules_ligne = True, 0, 0
                reference = element.get("r")
                if reference is None:  # position implicite : la colonne suivante
                    colonne += 1
                    lieu = (ligne, colonne)
                else:
                    lieu = positions.get(reference) or _position_cellule(
                        archive, reference, feuille, partie
                    )
                    colonne = lieu[1]
                cellules_ligne += 1
                cellules += 1
                if cellules > cellules_max:
                    raise refus.trop_de_cellules(archive.nom, feuille, adresse(*lieu))
                if cellules_ligne > colonnes_max:  # cellules en double ou hors d'une ligne
                    raise archive.xml_invalide(
                        partie, f"plus de {colonnes_max} cellules dans une ligne", feuille
                    )
                if lieu[0] > lignes_max or lieu[1] > colonnes_max:
                    if any(enfant.tag in _CONTENUS for enfant in element):
                        raise refus.hors_gabarit(archive.nom, feuille, lieu, reference)
                    continue  # une cellule sans valeur (un style) n'est pas une donnée
                if lieu in necessaires:
                    valeur, formule = _valeur(archive, element, feuille, partie, lieu)
                    if valeur is not None:
                        lue.valeurs[lieu] = valeur
                    if formule:
                        lue.formules.add(lieu)
                    style = element.get("s")
                    if style is not None and style != "0":
                        _noter_style(lue, lieu, style)
                elif garder_hors and (lieu[0] > derniere_ligne or lieu[1] > derniere_colonne):
                    _garder_hors(archive, lue, element, feuille, partie, lieu)
                # Pas de libération ici : la ligne entière l'est à sa fin (≤ 200 cellules).
            elif tag == _LIGNE:
                lignes += 1
                ligne = _fin_de_ligne(
                    archive, element, feuille, partie, ligne_ouverte, ligne, lignes
                )
                ligne_ouverte = False
                parcours.liberer(element)
            else:  # fin de <sheetData> : tout ce qui suit est inutile
                break
    except xml.ErreurXml as exc:
        raise archive.erreur_xml(partie, exc, feuille) from None
    racine = parcours.racine(element)
    if racine is None or racine.tag != _P + "worksheet":
        raise archive.xml_invalide(partie, "ce n'est pas une feuille de calcul", feuille)
    return lue


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
        lue.hors_tronque = lue.hors_tronque or any(e.tag in _CONTENUS for e in element)
        return
    valeur, formule = _valeur(archive, element, feuille, partie, lieu)
    if valeur is None or formule or valeur is FORMULE_SANS_VALEUR:
        return
    lue.valeurs[lieu] = valeur
    lue.hors.append(lieu)
    style = element.get("s")
    if style is not None and style != "0":
        _noter_style(lue, lieu, style)


def _noter_style(lue: Feuille, lieu: tuple[int, int], style: str) -> None:
    """Retient l'indice de style d'une cellule nommée ; un `s` invalide est ignoré."""
    style = style.strip()
    if style.isascii() and style.isdigit() and len(style) <= 6:
        lue.styles[lieu] = int(style)


def _fin_de_ligne(
    archive: Archive,
    element: xml.Element,
    feuille: str,
    partie: str,
    ligne_ouverte: bool,
    ligne: int,
    lignes: int,
) -> int:
    """Vérifie une ligne terminée ; rend son numéro (lu ici si elle n'a aucune cellule)."""
    if lignes > limites.LIGNES_MAX:  # plus de lignes que de numéros permis : doublons
        raise archive.xml_invalide(
            partie, f"plus de {refus.entier(limites.LIGNES_MAX)} lignes", feuille
        )
    if not ligne_ouverte:  # ligne sans cellule : une hauteur, un style, rien à lire
        ligne = _numero_ligne(archive, element.get("r"), ligne, feuille, partie)
    return ligne


def _position_cellule(
    archive: Archive, reference: str, feuille: str, partie: str
) -> tuple[int, int]:
    """Décode le `r` d'une cellule (mis en cache pour les positions permises)."""
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
    r = r.strip()
    if not (r.isascii() and r.isdigit()) or int(r[:9]) == 0:
        raise archive.xml_invalide(partie, f"numéro de ligne invalide « {r[:20]} »", feuille)
    return int(r[:9])


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
