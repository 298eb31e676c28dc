"""Lire sans indulgence un CSV de l'analyste : le registre, les résultats d'une collecte précédente.

Le module `csv` de Python est indulgent : un guillemet isolé au début d'un nom lui fait lire la
suite du fichier comme un seul champ, une ligne séparée par des virgules sous un en-tête à
points-virgules passe pour une colonne unique, un fichier mi-UTF-8 mi-Windows-1252 se lit avec
des accents abîmés. Chacun de ces cas retirerait en silence des organisations du dénominateur.
Ici, chacun est une `CsvInvalide` qui nomme la ligne ; l'appelant dit quoi faire.

Ce qui est accepté, c'est ce que les tableurs écrivent : virgule, point-virgule ou tabulation
(le séparateur est celui de l'en-tête), champs entre guillemets avec guillemets doublés, fins de
ligne Windows, Unix ou Mac ; UTF-8 avec ou sans BOM, UTF-16 avec BOM (« Texte Unicode »
d'Excel), Windows-1252 (« CSV » d'Excel sous Windows). Tout se fait en un passage : le temps
reste proportionnel à la taille du fichier, quel qu'il soit.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: Séparateurs reconnus, du plus usuel au moins usuel : à égalité, le premier l'emporte.
SEPARATEURS = (",", ";", "\t")
#: Un fichier de l'analyste plus gros que cela n'est pas un registre ni un resultats.csv.
TAILLE_MAX = 20 * 1024 * 1024

_NOMS_SEPARATEURS = {",": "des virgules", ";": "des points-virgules", "\t": "des tabulations"}
_FINS = re.compile(r"\r\n|\r|\n")
_FINS_OCTETS = re.compile(rb"\r\n|\r|\n")


class CsvInvalide(Exception):
    """Un CSV qu'on ne peut pas lire sans deviner : `ligne` (à partir de 1, 0 si aucune) et
    `detail`, une phrase qui dit ce qui cloche à cette ligne."""

    def __init__(self, ligne: int, detail: str) -> None:
        super().__init__(f"ligne {ligne} : {detail}" if ligne else detail)
        self.ligne, self.detail = ligne, detail


@dataclass(frozen=True)
class Rangee:
    """Une ligne du fichier : son numéro (celui qu'un éditeur de texte affiche) et ses champs."""

    numero: int
    champs: list[str]


@dataclass(frozen=True)
class Csv:
    """Un CSV lu : son séparateur, son encodage, son en-tête et ses rangées (lignes vides omises)."""

    separateur: str
    encodage: str
    entete: list[str]
    rangees: list[Rangee]


def nom_separateur(separateur: str) -> str:
    """« des points-virgules » : le séparateur dans une phrase."""
    return _NOMS_SEPARATEURS.get(separateur, f"des « {separateur} »")


# --- Encodage ---------------------------------------------------------------------------------


def _ligne_de(octets: bytes, position: int) -> int:
    """Le numéro de la ligne où tombe l'octet `position` (fins de ligne Windows, Unix ou Mac)."""
    return len(_FINS_OCTETS.findall(octets, 0, position)) + 1


def decoder(octets: bytes) -> tuple[str, str]:
    """(texte, encodage) ; `CsvInvalide` pour un fichier qui mêle les encodages ou n'en a aucun.

    Sans BOM, UTF-8 d'abord ; s'il échoue, Windows-1252, à condition qu'aucune ligne ne soit
    en UTF-8 : un fichier complété dans un autre programme que celui qui l'a créé a des lignes
    des deux sortes, et le lire d'une seule façon abîmerait les accents de l'autre en silence.
    """
    if octets.startswith(codecs.BOM_UTF16_LE) or octets.startswith(codecs.BOM_UTF16_BE):
        try:
            return octets.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise CsvInvalide(
                0,
                "le fichier s'annonce en UTF-16 (« Texte Unicode ») mais ses octets ne le sont "
                f"pas tous (octet {exc.start + 1}).",
            ) from None
    if octets.startswith(codecs.BOM_UTF8):
        try:
            return octets[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            ligne = _ligne_de(octets, exc.start + 3)
            raise CsvInvalide(
                ligne,
                "le fichier s'annonce en UTF-8 (il commence par une marque d'ordre des octets) "
                "mais cette ligne est dans un autre encodage (Windows-1252 ?) : le fichier mêle "
                "deux encodages.",
            ) from None
    if b"\x00" in octets:
        raise CsvInvalide(0, "le fichier contient des octets nuls : ce n'est pas un texte CSV.")
    try:
        return octets.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        premiere_autre = _ligne_de(octets, exc.start)
    premiere_utf8 = _premiere_ligne_utf8(octets)
    if premiere_utf8:
        raise CsvInvalide(
            premiere_autre,
            f"cette ligne est en Windows-1252 alors que la ligne {premiere_utf8} est en UTF-8 : "
            "le fichier mêle deux encodages et ses accents seraient lus de travers.",
        )
    try:
        return octets.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise CsvInvalide(
            _ligne_de(octets, exc.start),
            f"l'octet 0x{octets[exc.start]:02X} n'est ni de l'UTF-8 ni du Windows-1252.",
        ) from None


#: Une suite UTF-8 bien formée de deux à quatre octets (un caractère non ASCII).
_SUITE_UTF8 = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _premiere_ligne_utf8(octets: bytes) -> int:
    """Le numéro de la première ligne entièrement en UTF-8 qui a un caractère non ASCII ; 0 sinon."""
    for numero, ligne in enumerate(_FINS_OCTETS.split(octets), start=1):
        if ligne.isascii() or _SUITE_UTF8.search(ligne) is None:
            continue
        try:
            ligne.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return numero
    return 0


# --- Champs -----------------------------------------------------------------------------------


def _separateur(entete: str) -> str:
    """Le séparateur le plus fréquent de l'en-tête, hors guillemets ; la virgule à défaut."""
    hors_guillemets = "".join(entete.split('"')[::2])
    return max(SEPARATEURS, key=hors_guillemets.count)


class _Lecteur:
    """Les rangées d'un texte CSV, lues en un passage ; toute ambiguïté lève `CsvInvalide`."""

    def __init__(self, texte: str, separateur: str) -> None:
        self.lignes = _FINS.split(texte)
        if self.lignes and self.lignes[-1] == "":
            self.lignes.pop()  # la fin de ligne de la dernière ligne
        self.separateur = separateur

    def rangees(self) -> list[Rangee]:
        rangees = []
        for i, ligne in enumerate(self.lignes):
            if '"' in ligne:
                rangees.append(Rangee(i + 1, self._entre_guillemets(i)))
            else:
                rangees.append(Rangee(i + 1, ligne.split(self.separateur)))
        return rangees

    def _entre_guillemets(self, i: int) -> list[str]:
        """Les champs d'une ligne qui a des guillemets, tels qu'un tableur les écrit."""
        ligne, sep, numero = self.lignes[i], self.separateur, i + 1
        champs: list[str] = []
        position, fin = 0, len(ligne)
        while True:
            rang = len(champs) + 1
            if position < fin and ligne[position] == '"':
                morceaux = []
                debut = position + 1
                while True:
                    fermant = ligne.find('"', debut)
                    if fermant < 0:
                        raise self._non_referme(i, rang)
                    morceaux.append(ligne[debut:fermant])
                    if ligne.startswith('""', fermant):
                        morceaux.append('"')
                        debut = fermant + 2
                        continue
                    position = fermant + 1
                    break
                champs.append("".join(morceaux))
                if position == fin:
                    return champs
                if ligne[position] != sep:
                    raise CsvInvalide(
                        numero,
                        f"le champ {rang} se ferme par un guillemet suivi de « "
                        f"{ligne[position : position + 10]} » au lieu du séparateur : un "
                        "guillemet y est de trop, ou le champ n'est pas entouré de guillemets "
                        "en entier.",
                    )
                position += 1
                continue
            suivant = ligne.find(sep, position)
            brut = ligne[position:] if suivant < 0 else ligne[position:suivant]
            if '"' in brut:
                raise CsvInvalide(
                    numero,
                    f'le champ {rang} (« {brut[:40]} ») contient un guillemet (") isolé. Un '
                    "champ qui contient un guillemet doit être entre guillemets, le guillemet "
                    'doublé : « "Bureau du ""Nord""" ».',
                )
            champs.append(brut)
            if suivant < 0:
                return champs
            position = suivant + 1

    def _non_referme(self, i: int, rang: int) -> CsvInvalide:
        """Un guillemet ouvert et pas refermé sur sa ligne : saut de ligne dans un champ, ou
        guillemet isolé qui avalerait la suite du fichier."""
        for j in range(i + 1, len(self.lignes)):
            if self.lignes[j].count('"') % 2:
                return CsvInvalide(
                    i + 1,
                    f"le champ {rang} commence par un guillemet et se poursuit jusqu'à la ligne "
                    f"{j + 1} : un champ ne peut pas contenir de saut de ligne. Remettez ce texte "
                    "sur une seule ligne.",
                )
        return CsvInvalide(
            i + 1,
            f"le champ {rang} commence par un guillemet (\") qui n'est jamais refermé : tout "
            "le reste du fichier serait lu comme un seul champ. Retirez ce guillemet, ou "
            "fermez-le à la fin du champ.",
        )


def lire(octets: bytes) -> Csv:
    """Lit un CSV strictement : chaque rangée a exactement autant de champs que l'en-tête.

    Un en-tête sans séparateur (une seule colonne) est permis ; ses rangées ne doivent alors
    contenir aucun séparateur hors guillemets.
    """
    if len(octets) > TAILLE_MAX:
        raise CsvInvalide(
            0,
            f"le fichier pèse {len(octets) // (1024 * 1024)} Mo, plus que les "
            f"{TAILLE_MAX // (1024 * 1024)} Mo permis.",
        )
    texte, encodage = decoder(octets)
    lecteur = _Lecteur(texte, _separateur(_FINS.split(texte, 1)[0] if texte else ""))
    rangees = lecteur.rangees()
    if not rangees:
        return Csv(lecteur.separateur, encodage, [], [])
    entete, largeur = rangees[0], len(rangees[0].champs)
    gardees = []
    for rangee in rangees[1:]:
        if not any(c.strip() for c in rangee.champs):
            continue  # ligne vide (ou faite de séparateurs) : un tableur en ajoute à la fin
        if len(rangee.champs) != largeur:
            raise _largeur(rangee, largeur, lecteur.separateur)
        if largeur == 1:
            hors_guillemets = "".join(lecteur.lignes[rangee.numero - 1].split('"')[::2])
            autre = next((s for s in SEPARATEURS if s in hors_guillemets), None)
            if autre is not None:
                raise _une_colonne(rangee.numero, autre)
        gardees.append(rangee)
    return Csv(lecteur.separateur, encodage, entete.champs, gardees)


def _une_colonne(numero: int, separateur: str) -> CsvInvalide:
    return CsvInvalide(
        numero,
        f"cette ligne est séparée par {nom_separateur(separateur)} alors que l'en-tête n'a "
        "qu'une colonne : l'en-tête et les données doivent utiliser le même séparateur.",
    )


def _largeur(rangee: Rangee, largeur: int, separateur: str) -> CsvInvalide:
    """Une rangée qui n'a pas autant de champs que l'en-tête, et la raison probable."""
    if largeur == 1:
        return _une_colonne(rangee.numero, separateur)
    brut = separateur.join(rangee.champs)
    autre = next(
        (s for s in SEPARATEURS if s != separateur and len(brut.split(s)) == largeur), None
    )
    if autre is not None:
        return CsvInvalide(
            rangee.numero,
            f"cette ligne est séparée par {nom_separateur(autre)} alors que l'en-tête l'est par "
            f"{nom_separateur(separateur)} : l'en-tête et les données doivent utiliser le même "
            "séparateur.",
        )
    n = len(rangee.champs)
    return CsvInvalide(
        rangee.numero,
        f"{n} champ{'s' if n > 1 else ''} au lieu des {largeur} de l'en-tête (séparés par "
        f"{nom_separateur(separateur)}) : un séparateur de trop ou manquant, ou un texte qui "
        "contient le séparateur sans être entre guillemets.",
    )
