"""Le genre du format de nombre des cellules nommées : date, heure, pourcentage, texte, nombre.

Un tableur range une date comme un nombre (46085 = 4 mars 2026) : seul le format de la cellule
dit qu'on a tapé une date, une heure ou « 75 % » dans une cellule qui attend un dénombrement.
Le format se lit dans `xl/styles.xml` : l'attribut `s` d'une cellule `<c>` désigne un `<xf>` de
`cellXfs`, dont le `numFmtId` est un format intégré (0 à 49) ou un `<numFmt>` de `numFmts`.

Lecture indulgente et à la demande : les styles n'ont jamais servi à accepter ou refuser un
classeur ; une partie de styles absente, trop grande (limites `STYLES_MAX`, `FORMATS_MAX`) ou
mal formée laisse simplement les genres inconnus (None), sans constat. Ses octets sont lus
avec le classeur, mais analysés seulement quand on demande un format (`Plage.formats`).
"""

from __future__ import annotations

from functools import lru_cache

from barometre_cli.lecture import limites, xml
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.refus import Refus

_P = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

#: Formats intégrés d'Excel (ECMA-376, 18.8.30) dont le genre ne dépend pas de la langue.
GENRES_INTEGRES: dict[int, str] = {
    **dict.fromkeys(
        (1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 37, 38, 39, 40, 41, 42, 43, 44, 48), "nombre"
    ),
    **dict.fromkeys((9, 10), "pourcentage"),
    **dict.fromkeys((14, 15, 16, 17, 22), "date"),
    **dict.fromkeys((18, 19, 20, 21, 45, 46, 47), "heure"),
    49: "texte",
}


def genre_format(code: str) -> str | None:
    """Le genre d'un code de format personnalisé ; None pour « Standard » ou sans repère.

    Seule la première section compte (celle des nombres positifs). Les littéraux entre
    guillemets, les caractères échappés (`\\x`, `_x`, `*x`) et les sections entre crochets
    (couleur, condition, langue) sont ignorés, sauf le temps écoulé (`[h]`, `[mm]`, `[ss]`).
    """
    jetons, ecoule = _premiere_section(code[:1000])
    if jetons.strip() == "general":
        return None
    if "@" in jetons:
        return "texte"
    ampm = "am/pm" in jetons or "a/p" in jetons
    jetons = jetons.replace("am/pm", "").replace("a/p", "")
    date = "y" in jetons or "d" in jetons
    heure = ecoule or ampm or "h" in jetons or "s" in jetons
    if date or ("m" in jetons and not heure):  # « m » seul : le mois ; avec h ou s : minutes
        return "date"
    if heure:
        return "heure"
    if "%" in jetons:
        return "pourcentage"
    if any(c in jetons for c in "0#?") or "general" in jetons:
        return "nombre"
    return None


def _premiere_section(code: str) -> tuple[str, bool]:
    """(caractères significatifs de la première section, en minuscules ; temps écoulé ?)."""
    jetons: list[str] = []
    ecoule = False
    i = 0
    while i < len(code):
        caractere = code[i]
        if caractere == ";":
            break
        if caractere == '"':
            fin = code.find('"', i + 1)
            i = len(code) if fin < 0 else fin + 1
            continue
        if caractere in "\\_*":  # caractère échappé, espace de la largeur de, remplissage
            i += 2
            continue
        if caractere == "[":
            fin = code.find("]", i + 1)
            section = code[i + 1 : len(code) if fin < 0 else fin].lower()
            ecoule = (
                ecoule
                or (section != "" and set(section) <= {"h"})
                or section in ("m", "mm", "s", "ss")
            )
            i = len(code) if fin < 0 else fin + 1
            continue
        jetons.append(caractere.lower())
        i += 1
    return "".join(jetons), ecoule


class Genres:
    """Les genres des styles d'un classeur : octets lus avec la partie, analysés à la demande."""

    def __init__(self, octets: bytes | None) -> None:
        self._octets = octets
        self._genres: tuple[str | None, ...] | None = None
        self._lus = False

    @classmethod
    def depuis(cls, archive: Archive, partie: str) -> Genres:
        """Décompresse la partie des styles, si elle existe et reste dans les limites."""
        if (
            partie not in archive
            or archive.membres[partie].file_size > limites.TAILLE_ANALYSE_EN_BLOC
        ):
            return cls(None)
        try:
            return cls(archive.octets_xml(partie))
        except Refus:  # DTD, partie abîmée… : les styles restent inconnus, sans refus
            return cls(None)

    def liste(self) -> tuple[str | None, ...] | None:
        """Le genre de chaque `<xf>` de `cellXfs`, dans l'ordre ; None si illisibles."""
        if not self._lus:
            self._lus = True
            try:
                self._genres = _analyser(self._octets) if self._octets is not None else None
            except Exception:  # filet : demander un format ne doit jamais lever
                self._genres = None
        return self._genres

    def genre(self, s: str | None) -> str | None:
        """Le genre du style `s` d'une cellule (None : Standard, inconnu ou illisible)."""
        genres = self.liste()
        if not genres:
            return None
        numero = indice(s)
        return genres[numero] if numero < len(genres) else None

    def formats(
        self, indices: dict[tuple[int, int], str], lignes: range, colonnes: range
    ) -> tuple[tuple[str | None, ...], ...]:
        """Les genres des cellules d'une zone, d'après le style `s` de chacune."""
        genres = self.liste()
        if not genres:
            return ()
        return tuple(
            tuple(
                genres[n] if (n := indice(indices.get((ligne, colonne)))) < len(genres) else None
                for colonne in colonnes
            )
            for ligne in lignes
        )


def indice(s: str | None) -> int:
    """Le `s` d'une cellule, tel qu'écrit, en indice de style ; 0 (le premier) s'il manque ou
    s'il est invalide.

    La lecture garde le texte de l'attribut : seul le format des cellules qu'on examine
    coûte un décodage.
    """
    if s is None:
        return 0
    s = s.strip()
    return int(s) if s.isascii() and s.isdigit() and len(s) <= 6 else 0


#: Au-delà, des styles ne sont pas gardés en cache (mémoire bornée : 32 × 64 Kio au plus).
_TAILLE_MAX_CACHE = 64 * 1024


def _analyser(octets: bytes) -> tuple[str | None, ...] | None:
    """Les classeurs d'un même gabarit ont souvent les mêmes styles : analysés une fois."""
    if len(octets) <= _TAILLE_MAX_CACHE:
        return _genres_en_cache(octets, limites.FORMATS_MAX, limites.STYLES_MAX)
    genres = _genres(octets)
    return tuple(genres) if genres is not None else None


@lru_cache(maxsize=32)
def _genres_en_cache(octets: bytes, *limites_lues: int) -> tuple[str | None, ...] | None:
    """La clé compte aussi les limites en vigueur (un test peut les abaisser)."""
    genres = _genres(octets)
    return tuple(genres) if genres is not None else None


def _genres(octets: bytes) -> list[str | None] | None:
    try:
        racine = xml.analyser(octets)
    except xml.ErreurXml:
        return None
    personnalises: dict[int, str | None] = {}
    for numero, element in enumerate(racine.iterfind(f"{_P}numFmts/{_P}numFmt")):
        if numero >= limites.FORMATS_MAX:
            return None
        identifiant = _entier(element.get("numFmtId"))
        if identifiant is not None:
            personnalises[identifiant] = genre_format(element.get("formatCode") or "")
    genres: list[str | None] = []
    for element in racine.iterfind(f"{_P}cellXfs/{_P}xf"):
        if len(genres) >= limites.STYLES_MAX:
            return None
        identifiant = _entier(element.get("numFmtId")) or 0
        if identifiant in personnalises:
            genres.append(personnalises[identifiant])
        else:
            genres.append(GENRES_INTEGRES.get(identifiant))
    return genres


def _entier(texte: str | None) -> int | None:
    """« 164 » → 164 ; None si ce n'est pas un petit entier positif."""
    if texte is None:
        return None
    texte = texte.strip()
    return int(texte) if texte.isascii() and texte.isdigit() and len(texte) <= 6 else None
