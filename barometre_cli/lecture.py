"""Lecture défensive d'un classeur retourné : le seul chemin de lecture de `valider` et `compiler`.

Un classeur vient de l'extérieur : on le classe d'après ses octets et la structure de son
archive ZIP avant d'analyser le moindre XML, on borne tout ce qu'on lit (tailles, taux de
compression, nombre de parties, zone des cellules) et on refuse DTD et entités. Chaque refus
devient un constat en français ; rien ici ne lève d'exception pour un mauvais fichier.

Ordre de lecture, du moins coûteux au plus coûteux :

1. les octets du fichier (taille bornée avant toute lecture complète) ;
2. la signature : vide, conteneur OLE (chiffré ou .xls), ZIP, sinon autre chose (PDF, HTML…) ;
3. l'inventaire ZIP (nombre de parties, tailles déclarées, taux de compression) avant de
   décompresser quoi que ce soit ; puis ODS, macros, .xlsb ;
4. chaque partie XML : décompressée au plus à sa taille déclarée, refusée si elle contient une
   DTD ou une entité, analysée par lxml sans résolution d'entités ni réseau ;
5. seulement les feuilles visées par des noms définis (d'un bloc si la partie est petite, en
   flux sinon), avec arrêt dès qu'une cellule sort de la zone permise.

Limites (constantes ci-dessous) : fichier ≤ 20 Mo ; ≤ 500 parties ; partie ≤ 50 Mo
décompressée ; total ≤ 100 Mo décompressés ; taux ≤ 100:1 pour une partie de plus de 1 Mo ;
cellules lues ≤ 10 000 lignes × 200 colonnes ; feuille lue ≤ 5 Mo et ≤ 100 000 cellules ;
≤ 200 000 chaînes partagées ; nom défini ≤ 20 000 cellules ; ≤ 2 000 noms et ≤ 200 000
cellules nommées au total. Les gabarits réels en sont très loin (< 400 lignes,
< 10 colonnes, taux de compression ≤ 15:1).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from barometre_cli.constats import Constat, constat

# --- Limites ------------------------------------------------------------------------------

#: Taille maximale du fichier, en octets. Un gabarit rempli pèse moins de 100 Ko ; 20 Mo laisse
#: de la marge (images collées) tout en bornant la mémoire : le fichier n'est jamais lu au-delà.
TAILLE_MAX_FICHIER = 20 * 1024 * 1024

#: Nombre maximal de parties dans l'archive. Un gabarit en compte une quinzaine ; une archive
#: de milliers d'entrées ne sert qu'à ralentir la lecture de son répertoire.
MEMBRES_MAX = 500

#: Taille décompressée maximale d'une partie, telle que déclarée dans l'archive.
TAILLE_MAX_MEMBRE = 50 * 1024 * 1024

#: Somme maximale des tailles décompressées déclarées de toutes les parties.
TAILLE_MAX_DECOMPRESSEE = 100 * 1024 * 1024

#: Taux de compression maximal (décompressé / compressé) d'une partie de plus de
#: `SEUIL_TAUX_COMPRESSION` octets. Apache POI applique la même règle ; les gabarits réels
#: mesurés se compressent au plus à 15:1, une bombe de décompression à 1 000:1 et plus.
TAUX_COMPRESSION_MAX = 100

#: Sous cette taille décompressée, le taux n'est pas vérifié (un petit XML répétitif se
#: compresse légitimement très bien).
SEUIL_TAUX_COMPRESSION = 1024 * 1024

#: Dernière ligne permise dans une feuille lue (cellule, `<row r>` ou `<dimension>`). Les
#: gabarits utilisent moins de 400 lignes ; au-delà, des données ont été collées hors gabarit,
#: ou le fichier est fabriqué pour épuiser la mémoire d'un lecteur (cellule en XFD1048576).
LIGNES_MAX = 10_000

#: Dernière colonne permise dans une feuille lue (200 = GR). Les gabarits en utilisent < 10.
COLONNES_MAX = 200

#: Nombre maximal de cellules (`<c>`) d'une feuille lue, même vides : ~25 fois un gabarit
#: rempli. Borne le temps de lecture (≈ 4 µs par cellule) quelle que soit la taille de la partie.
CELLULES_MAX_FEUILLE = 100_000

#: Taille décompressée maximale d'une feuille lue (un gabarit rempli : ~100 Ko ; 100 000
#: cellules : 3 à 4 Mo). Borne aussi la mémoire de l'analyse (≈ 15 fois la taille du XML).
TAILLE_MAX_FEUILLE_LUE = 5 * 1024 * 1024

#: Nombre maximal de chaînes partagées lues (la table est commune à toutes les feuilles).
CHAINES_MAX = 200_000

#: Nombre maximal de cellules d'un nom défini ; au-delà, le nom est rangé dans `noms_brises`.
CELLULES_MAX_PAR_NOM = 20_000

#: Nombre maximal de noms définis de portée classeur (un gabarit en a quelques dizaines).
NOMS_MAX = 2_000

#: Nombre maximal de cellules, tous noms confondus, que la lecture peut avoir à produire.
CELLULES_MAX_NOMS = 200_000

#: Taille sous laquelle une feuille ou la table des chaînes est analysée d'un bloc (deux fois plus
#: rapide) plutôt qu'en flux ; au-delà, la mémoire reste bornée quelle que soit la taille.
TAILLE_ANALYSE_EN_BLOC = 2 * 1024 * 1024


class _FormuleSansValeur:
    """Une formule dont aucun tableur n'a encore calculé la valeur."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FORMULE_SANS_VALEUR"


FORMULE_SANS_VALEUR = _FormuleSansValeur()


@dataclass(frozen=True)
class ErreurCellule:
    """Une valeur d'erreur de tableur (`#DIV/0!`, `#REF!`, `#N/A`…)."""

    texte: str


#: Ce qu'une cellule peut contenir une fois lue. Vide → None ; les nombres sont des float.
Valeur = None | str | float | bool | ErreurCellule | _FormuleSansValeur


def lettres_colonne(colonne: int) -> str:
    """3 → « C », 16 384 → « XFD »."""
    lettres = ""
    while colonne:
        colonne, reste = divmod(colonne - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def adresse(ligne: int, colonne: int) -> str:
    """(7, 3) → « C7 »."""
    return f"{lettres_colonne(colonne)}{ligne}"


@dataclass(frozen=True)
class Plage:
    """Les valeurs d'un nom défini, avec de quoi situer chaque cellule pour les constats."""

    nom: str
    feuille: str
    ligne: int
    colonne: int
    valeurs: tuple[tuple[Valeur, ...], ...]
    #: positions (i, j) relatives des cellules qui contiennent une formule avec valeur en cache
    formules: frozenset[tuple[int, int]] = frozenset()

    def adresse(self, i: int = 0, j: int = 0) -> str:
        return adresse(self.ligne + i, self.colonne + j)

    @property
    def valeur(self) -> Valeur:
        """La valeur d'une plage d'une seule cellule."""
        return self.valeurs[0][0]


@dataclass
class ClasseurLu:
    """Tout ce que l'outil retient d'un classeur ; `constats` non vide d'erreurs = inutilisable."""

    chemin: Path
    sha256: str = ""
    taille: int = 0
    #: propriétés personnalisées du document (docProps/custom.xml), valeurs typées
    proprietes: dict[str, str | int | float | bool] = field(default_factory=dict)
    #: date de dernière modification (docProps/core.xml, dcterms:modified), en UTC
    modifie: datetime | None = None
    #: noms des feuilles dans l'ordre du classeur
    feuilles: tuple[str, ...] = ()
    #: noms définis de portée classeur, résolus et lus
    noms: dict[str, Plage] = field(default_factory=dict)
    #: noms définis présents mais inutilisables : nom → référence brute (« #REF! », …)
    noms_brises: dict[str, str] = field(default_factory=dict)
    constats: list[Constat] = field(default_factory=list)

    @property
    def lisible(self) -> bool:
        return not self.constats


# --- Espaces de noms et motifs ------------------------------------------------------------

_NS_PRINCIPAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_PERSONNALISEES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_NS_DCTERMS = "http://purl.org/dc/terms/"

_P = "{" + _NS_PRINCIPAL + "}"
_C, _LIGNE, _DIMENSION, _DONNEES = _P + "c", _P + "row", _P + "dimension", _P + "sheetData"
_V, _F, _IS, _T, _R, _SI = _P + "v", _P + "f", _P + "is", _P + "t", _P + "r", _P + "si"
_RELATION = "{" + _NS_RELATIONS + "}Relationship"

_SIGNATURE_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FLUX_CHIFFRES = tuple(n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo"))

#: DTD ou entité : jamais présentes dans un classeur OOXML, porte des attaques XXE et
#: « billion laughs ». Cherchées dans les octets bruts, avant toute analyse.
_RE_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_RE_CELLULE = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})")
_RE_REFERENCE = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!:\[\]\s,()\"=]+))!"
    r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?"
)
_RE_ECHAPPEMENT = re.compile(r"_x([0-9A-Fa-f]{4})_")

_REENREGISTRER = (
    "Ouvrez-le dans Excel ou LibreOffice, enregistrez-le au format « Classeur Excel (.xlsx) », "
    "puis validez-le de nouveau."
)


class _Refus(Exception):
    """Interrompt la lecture : le classeur est inutilisable, `constat` dit pourquoi."""

    def __init__(self, refus: Constat) -> None:
        super().__init__(refus.message)
        self.constat = refus


def _refus(code: str, message: str, feuille: str = "", cellule: str = "") -> _Refus:
    return _Refus(constat(code, message, feuille, cellule))


class _Partagee:
    """Indice dans la table des chaînes partagées, résolu une fois les feuilles lues."""

    __slots__ = ("indice",)

    def __init__(self, indice: int) -> None:
        self.indice = indice


# --- Petits outils ------------------------------------------------------------------------


def _mo(octets: int) -> str:
    """1 572 864 → « 1,5 Mo » (Mo = 2**20 octets, comme les limites)."""
    return f"{octets / 1_048_576:,.1f}".replace(",", " ").replace(".", ",") + " Mo"


def _entier(n: int) -> str:
    """10000 → « 10 000 »."""
    return f"{n:,}".replace(",", " ")


_COLONNES: dict[str, int] = {}


def _numero_colonne(lettres: str) -> int:
    """« C » → 3, « XFD » → 16 384 ; mis en cache, car appelé pour chaque cellule lue."""
    numero = _COLONNES.get(lettres)
    if numero is None:
        numero = 0
        for lettre in lettres.upper():
            numero = numero * 26 + ord(lettre) - 64
        if len(_COLONNES) < 50_000:
            _COLONNES[lettres] = numero
    return numero


@lru_cache(maxsize=64)
def _cellules(zones: tuple[tuple, ...]) -> frozenset[tuple[int, int]]:
    """Les positions des cellules d'un jeu de zones (le même pour tout un lot de gabarits)."""
    return frozenset(
        (ligne, colonne)
        for _, ligne1, colonne1, ligne2, colonne2 in zones
        for ligne in range(ligne1, ligne2 + 1)
        for colonne in range(colonne1, colonne2 + 1)
    )


#: « B7 » → (7, 2) : le décodage des références est l'essentiel du coût d'une feuille lue.
_POSITIONS: dict[str, tuple[int, int]] = {}
_POSITIONS_MAX = 100_000


def _position(reference: str) -> tuple[int, int] | None:
    """« XFD1048576 » → (1048576, 16384) ; None si la référence n'en est pas une."""
    correspondance = _RE_CELLULE.fullmatch(reference)
    if correspondance is None:
        return None
    lettres, chiffres = correspondance.groups()
    return int(chiffres), _numero_colonne(lettres)


def _dechapper(texte: str) -> str:
    """Défait l'échappement `_xHHHH_` d'Excel (« _x000D_ » → retour chariot)."""
    if "_x" not in texte:
        return texte

    def caractere(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)

    return _RE_ECHAPPEMENT.sub(caractere, texte)


def _texte_riche(element: etree._Element) -> str:
    """Texte d'un `<si>` ou `<is>` : `<t>` direct et `<t>` des `<r>`, sans la phonétique `<rPh>`."""
    morceaux = []
    for enfant in element:
        if enfant.tag == _T:
            morceaux.append(enfant.text or "")
        elif enfant.tag == _R:
            for t in enfant.iterfind(_T):
                morceaux.append(t.text or "")
    return _dechapper("".join(morceaux))


def _vider(element: etree._Element) -> None:
    """Libère un élément déjà traité et ses frères précédents : mémoire bornée en flux."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _decrire(octets: bytes) -> str:
    """Ce que le contenu semble être, pour dire à la personne ce qu'elle a envoyé."""
    debut = octets[:4096]
    if debut.startswith(b"%PDF"):
        return "un document PDF"
    if debut.startswith(b"{\\rtf"):
        return "un document RTF"
    if debut.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "une archive compressée (RAR, 7z ou gzip)"
    if debut.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "une image"
    texte = debut.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if texte.startswith((b"<!doctype html", b"<html")) or b"<html" in texte[:1024]:
        return "une page Web (HTML)"
    if texte.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in octets[:65536]:
            return "un classeur « Feuille de calcul XML 2003 »"
        return "un fichier XML"
    if b"\x00" not in debut:
        return "du texte (par exemple un fichier CSV exporté)"
    return "un contenu d'un type non reconnu"


def verifier_defusedxml() -> None:
    """Vérifie qu'openpyxl analyse le XML par defusedxml, sans quoi il résout les entités.

    openpyxl sert ailleurs à écrire et annoter des classeurs reçus ; sans defusedxml, un
    classeur piégé (« billion laughs », XXE) pourrait épuiser la mémoire ou lire des fichiers.
    """
    import importlib.util
    import sys

    # openpyxl (0,2 s à importer) active defusedxml dès qu'il est importable : tant qu'openpyxl
    # n'est pas chargé, vérifier la présence du module suffit et garde `valider` rapide.
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None:
        actif = getattr(openpyxl, "DEFUSEDXML", False) is True
    else:
        actif = importlib.util.find_spec("defusedxml") is not None
    if not actif:
        from barometre_cli.erreurs import BarometreErreur

        raise BarometreErreur(
            "Le module defusedxml est absent : openpyxl lirait les classeurs sans protection "
            "contre les entités XML piégées. Installez-le (pip install defusedxml), puis "
            "relancez la commande."
        )


# --- Lecture ------------------------------------------------------------------------------


def lire_classeur(chemin: Path | str) -> ClasseurLu:
    """Lit un classeur reçu sans jamais lever d'exception pour un mauvais fichier.

    Le premier problème rencontré arrête la lecture et devient un constat (gravité erreur) dans
    `constats` ; les champs déjà remplis (empreinte, feuilles, propriétés) restent utiles au
    journal, mais un classeur avec constats ne doit pas être utilisé.
    """
    chemin = Path(chemin)
    classeur = ClasseurLu(chemin=chemin)
    try:
        _Lecteur(classeur).lire()
    except _Refus as refus:
        classeur.constats.append(refus.constat)
    except Exception as exc:  # filet : un fichier inattendu ne doit jamais arrêter un lot
        classeur.constats.append(
            constat(
                "xml-invalide",
                f"Le classeur « {chemin.name} » a une structure inattendue que l'outil ne sait "
                f"pas lire ({type(exc).__name__}). {_REENREGISTRER}",
            )
        )
    return classeur


@dataclass
class _Zone:
    """La plage rectangulaire d'un nom défini résolu."""

    feuille: str
    ligne1: int
    colonne1: int
    ligne2: int
    colonne2: int

    @property
    def nombre(self) -> int:
        return (self.ligne2 - self.ligne1 + 1) * (self.colonne2 - self.colonne1 + 1)


@dataclass
class _Feuille:
    """Ce qu'on retient d'une feuille lue : valeurs utiles et positions des formules."""

    valeurs: dict[tuple[int, int], object] = field(default_factory=dict)
    formules: set[tuple[int, int]] = field(default_factory=set)


class _Lecteur:
    """Une lecture : l'état partagé entre les étapes (octets, archive, parties connues)."""

    def __init__(self, classeur: ClasseurLu) -> None:
        self.classeur = classeur
        self.nom = classeur.chemin.name
        self.octets = b""
        self.archive: zipfile.ZipFile | None = None
        #: nom de partie en minuscules (sans « / » initial) → entrée de l'archive
        self.membres: dict[str, zipfile.ZipInfo] = {}
        self.analyseur = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            encoding="utf-8",
        )

    # -- étapes --------------------------------------------------------------------------

    def lire(self) -> None:
        self._lire_octets()
        self._classer()
        self._inventorier()
        self._classer_archive()
        principale, personnalisees, noyau = self._relations_paquet()
        racine, feuilles, relations = self._lire_classeur_xml(principale)
        self._lire_proprietes(personnalisees, noyau)
        zones = self._lire_noms(racine, feuilles)
        if zones:
            self._lire_plages(zones, feuilles, relations)

    def _lire_octets(self) -> None:
        """Lit le fichier sans jamais dépasser `TAILLE_MAX_FICHIER` + 1 octets."""
        chemin = self.classeur.chemin
        try:
            etat = os.stat(chemin)
            if not stat.S_ISREG(etat.st_mode):
                raise _refus(
                    "fichier-illisible",
                    f"Le chemin « {self.nom} » ne désigne pas un fichier ordinaire (c'est un "
                    "dossier ou un fichier spécial). Indiquez le chemin d'un classeur .xlsx.",
                )
            if etat.st_size > TAILLE_MAX_FICHIER:
                self.classeur.taille = etat.st_size
                raise self._trop_gros(etat.st_size)
            with open(chemin, "rb") as fichier:
                octets = fichier.read(TAILLE_MAX_FICHIER + 1)
        except OSError as exc:
            raise _refus("fichier-illisible", self._message_os(exc)) from None
        if len(octets) > TAILLE_MAX_FICHIER:
            raise self._trop_gros(len(octets))
        self.octets = octets
        self.classeur.taille = len(octets)
        self.classeur.sha256 = hashlib.sha256(octets).hexdigest()

    def _message_os(self, exc: OSError) -> str:
        if isinstance(exc, FileNotFoundError):
            return f"Le fichier « {self.nom} » est introuvable. Vérifiez son chemin."
        if isinstance(exc, PermissionError):
            return (
                f"Le fichier « {self.nom} » ne peut pas être ouvert : accès refusé (droits "
                "insuffisants, ou fichier verrouillé parce qu'il est ouvert dans Excel). "
                "Fermez-le ou copiez-le ailleurs, puis validez-le de nouveau."
            )
        return (
            f"Le fichier « {self.nom} » ne peut pas être lu (erreur du système : "
            f"{exc.strerror or type(exc).__name__}). Copiez-le sur le poste, puis validez-le "
            "de nouveau."
        )

    def _trop_gros(self, taille: int) -> _Refus:
        return _refus(
            "zip-bombe",
            f"Le fichier « {self.nom} » pèse {_mo(taille)}, au-delà de la limite de "
            f"{_mo(TAILLE_MAX_FICHIER)} (un gabarit rempli pèse moins de 1 Mo). Retirez les "
            "images ou les données collées hors du gabarit, enregistrez-le, puis validez-le "
            "de nouveau.",
        )

    def _classer(self) -> None:
        """Trie d'après les octets, jamais d'après l'extension."""
        octets = self.octets
        if not octets:
            raise _refus(
                "fichier-vide",
                f"Le fichier « {self.nom} » est vide (0 octet) : l'enregistrement ou la copie a "
                "sans doute échoué. Enregistrez de nouveau le classeur depuis Excel ou "
                "LibreOffice, puis validez-le de nouveau.",
            )
        if octets.startswith(_SIGNATURE_OLE):
            self._classer_ole()
        if not octets.startswith(b"PK"):
            raise _refus(
                "pas-un-classeur",
                f"Le fichier « {self.nom} » n'est pas un classeur Excel : son contenu est "
                f"{_decrire(octets)}, quel que soit son nom. Remplissez le gabarit transmis "
                "dans Excel ou LibreOffice, enregistrez-le au format « Classeur Excel (.xlsx) », "
                "puis validez-le de nouveau.",
            )

    def _classer_ole(self) -> None:
        """Conteneur OLE : classeur chiffré par mot de passe, ancien .xls, ou autre document."""
        octets = self.octets
        if any(flux in octets for flux in _FLUX_CHIFFRES):
            raise _refus(
                "classeur-chiffre",
                f"Le classeur « {self.nom} » est protégé par un mot de passe à l'ouverture : "
                "l'outil ne peut pas le lire. Ouvrez-le dans Excel, retirez le mot de passe "
                "(Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe, "
                "puis videz le champ), enregistrez-le, puis validez-le de nouveau.",
            )
        if "WordDocument".encode("utf-16-le") in octets:
            raise _refus(
                "pas-un-classeur",
                f"Le fichier « {self.nom} » est un document Word (.doc), pas un classeur. "
                "Remplissez le gabarit Excel transmis, puis validez-le de nouveau.",
            )
        raise _refus(
            "format-xls",
            f"Le fichier « {self.nom} » est un ancien classeur Excel 97-2003 (.xls). "
            f"{_REENREGISTRER}",
        )

    def _inventorier(self) -> None:
        """Ouvre l'archive et vérifie ses limites sur l'inventaire, avant toute décompression."""
        # Le répertoire central d'une archive à des milliers d'entrées est long à lire : on
        # compte d'abord ses signatures (un compte par excès : il ne peut qu'en trouver plus).
        if self.octets.count(b"PK\x01\x02") > MEMBRES_MAX:
            raise self._trop_de_parties()
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.octets))
            entrees = archive.infolist()
        except Exception:  # BadZipFile, NotImplementedError (« zip file version »), ValueError…
            raise self._corrompu() from None
        if len(entrees) > MEMBRES_MAX:
            raise self._trop_de_parties()
        total = 0
        for entree in entrees:
            partie = entree.filename
            if entree.file_size > TAILLE_MAX_MEMBRE:
                raise self._bombe(
                    f"la partie « {partie} » se décompresse en {_mo(entree.file_size)} "
                    f"(limite : {_mo(TAILLE_MAX_MEMBRE)})"
                )
            if (
                entree.file_size > SEUIL_TAUX_COMPRESSION
                and entree.file_size > TAUX_COMPRESSION_MAX * max(entree.compress_size, 1)
            ):
                taux = entree.file_size // max(entree.compress_size, 1)
                raise self._bombe(
                    f"la partie « {partie} » est compressée {_entier(taux)} fois "
                    f"(limite : {TAUX_COMPRESSION_MAX} fois)"
                )
            total += entree.file_size
            if entree.flag_bits & 0x1:
                raise _refus(
                    "classeur-chiffre",
                    f"L'archive « {self.nom} » est protégée par un mot de passe : l'outil ne "
                    "peut pas la lire. Transmettez le classeur sans mot de passe, enregistré "
                    "depuis Excel ou LibreOffice.",
                )
            if entree.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self._corrompu(
                    f"la partie « {partie} » utilise une méthode de compression qu'Excel "
                    "n'emploie pas"
                )
            cle = partie.lstrip("/").lower()
            if cle.endswith("/"):
                continue
            if cle in self.membres:
                raise self._corrompu(f"la partie « {partie} » y figure deux fois")
            self.membres[cle] = entree
        if total > TAILLE_MAX_DECOMPRESSEE:
            raise self._bombe(
                f"ses parties se décompressent en {_mo(total)} au total "
                f"(limite : {_mo(TAILLE_MAX_DECOMPRESSEE)})"
            )
        self.archive = archive

    def _trop_de_parties(self) -> _Refus:
        return self._bombe(f"son archive compte plus de {MEMBRES_MAX} parties")

    def _bombe(self, detail: str) -> _Refus:
        return _refus(
            "zip-bombe",
            f"Le classeur « {self.nom} » dépasse les limites de lecture : {detail}. Un gabarit "
            "rempli n'en approche jamais ; ce fichier peut être une bombe de décompression et "
            "n'a pas été décompressé. Enregistrez de nouveau le gabarit depuis Excel ou "
            "LibreOffice, sans images ni données collées hors gabarit, puis validez-le de "
            "nouveau.",
        )

    def _corrompu(self, detail: str = "") -> _Refus:
        precision = f" : {detail}" if detail else ""
        return _refus(
            "zip-corrompu",
            f"Le classeur « {self.nom} » est tronqué ou endommagé (archive ZIP invalide"
            f"{precision}). Le transfert ou l'enregistrement a peut-être été interrompu. "
            "Enregistrez-le de nouveau depuis Excel ou LibreOffice (ou demandez une nouvelle "
            "copie), puis validez-le de nouveau.",
        )

    def _classer_archive(self) -> None:
        """Une archive ZIP peut être un ODS, un .xlsm, un .xlsb, un .docx… ou un vrai .xlsx."""
        membres = self.membres
        if "mimetype" in membres and membres["mimetype"].file_size <= 200:
            type_mime = self._octets("mimetype").strip()
            if type_mime.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                raise self._ods()
            if type_mime.startswith(b"application/vnd.oasis.opendocument"):
                raise self._pas_un_classeur("un document OpenDocument qui n'est pas un classeur")
        if "[content_types].xml" not in membres:
            if "content.xml" in membres:
                raise self._ods()
            raise self._pas_un_classeur("une archive ZIP qui ne contient pas de classeur")
        if any(self._est_macro(cle) for cle in membres):
            raise self._macros()
        if "xl/workbook.bin" in membres:
            raise _refus(
                "pas-un-classeur",
                f"Le fichier « {self.nom} » est un classeur binaire Excel (.xlsb), un format "
                f"que l'outil ne lit pas. {_REENREGISTRER}",
            )
        types = self._xml("[content_types].xml")
        texte = etree.tostring(types).lower()
        if b"macroenabled" in texte or b"macrosheet" in texte or b"vbaproject" in texte:
            raise self._macros()

    @staticmethod
    def _est_macro(cle: str) -> bool:
        base = cle.rsplit("/", 1)[-1]
        return base.startswith("vbaproject") or "macrosheets/" in cle

    def _ods(self) -> _Refus:
        return _refus(
            "format-ods",
            f"Le fichier « {self.nom} » est un classeur OpenDocument (.ods), même si son nom "
            "dit autre chose. Ouvrez-le dans LibreOffice ou Excel, enregistrez-le au format "
            "« Classeur Excel (.xlsx) » (Fichier > Enregistrer sous), puis validez-le de nouveau.",
        )

    def _macros(self) -> _Refus:
        return _refus(
            "macros-refusees",
            f"Le classeur « {self.nom} » contient des macros (projet VBA ou feuille de macros "
            "Excel 4.0). Par sécurité, il est refusé sans être analysé ; ses macros ne sont "
            "jamais exécutées. Copiez vos réponses dans le gabarit transmis (sans macros) et "
            "enregistrez-le au format « Classeur Excel (.xlsx) », puis validez-le de nouveau.",
        )

    def _pas_un_classeur(self, quoi: str) -> _Refus:
        return _refus(
            "pas-un-classeur",
            f"Le fichier « {self.nom} » n'est pas un classeur Excel : c'est {quoi}. Remplissez "
            "le gabarit transmis dans Excel ou LibreOffice, enregistrez-le au format "
            "« Classeur Excel (.xlsx) », puis validez-le de nouveau.",
        )

    def _relations_paquet(self) -> tuple[str, str, str]:
        """Parties principale, propriétés personnalisées et propriétés de base (`_rels/.rels`)."""
        principale, personnalisees, noyau = (
            "xl/workbook.xml",
            "docprops/custom.xml",
            "docprops/core.xml",
        )
        if "_rels/.rels" in self.membres:
            for type_, cible in self._relations("_rels/.rels", "").values():
                if type_.endswith("/officedocument") and cible in self.membres:
                    principale = cible
                elif type_.endswith("/custom-properties"):
                    personnalisees = cible
                elif type_.endswith("/core-properties"):
                    noyau = cible
        if principale not in self.membres:
            if "word/document.xml" in self.membres:
                raise self._pas_un_classeur("un document Word (.docx)")
            if "ppt/presentation.xml" in self.membres:
                raise self._pas_un_classeur("une présentation PowerPoint (.pptx)")
            raise self._pas_un_classeur("une archive ZIP qui ne contient pas de classeur")
        return principale, personnalisees, noyau

    def _relations(self, partie: str, dossier: str) -> dict[str, tuple[str, str]]:
        """Id → (type en minuscules, partie cible normalisée) d'un fichier de relations."""
        relations: dict[str, tuple[str, str]] = {}
        for relation in self._xml(partie).iter(_RELATION):
            cible = relation.get("Target") or ""
            if relation.get("TargetMode", "").lower() == "external" or not cible:
                continue
            cible = unquote(cible)
            if cible.startswith("/"):
                cible = cible.lstrip("/")
            else:
                cible = posixpath.normpath(posixpath.join(dossier, cible))
            relations[relation.get("Id", "")] = (
                (relation.get("Type") or "").lower(),
                cible.lower(),
            )
        return relations

    def _lire_classeur_xml(
        self, principale: str
    ) -> tuple[etree._Element, dict[str, str | None], dict[str, tuple[str, str]]]:
        """Racine, feuilles (nom → partie, None si ce n'est pas une feuille de calcul), relations."""
        racine = self._xml(principale)
        espace = etree.QName(racine).namespace
        if espace == _NS_STRICT:
            raise _refus(
                "format-strict",
                f"Le classeur « {self.nom} » est enregistré au format « Feuille de calcul Open "
                "XML Strict », que l'outil ne lit pas. Ouvrez-le dans Excel et enregistrez-le "
                "au format « Classeur Excel (.xlsx) » ordinaire (pas « Strict Open XML »), "
                "puis validez-le de nouveau.",
            )
        if etree.QName(racine).localname != "workbook" or espace != _NS_PRINCIPAL:
            raise self._pas_un_classeur("un document Office qui n'est pas un classeur Excel")
        dossier, base = posixpath.split(principale)
        partie_relations = posixpath.join(dossier, "_rels", base + ".rels")
        if partie_relations not in self.membres:
            raise self._corrompu(f"la partie « {partie_relations} » est absente")
        relations = self._relations(partie_relations, dossier)
        if any("macrosheet" in t or "vbaproject" in t for t, _ in relations.values()):
            raise self._macros()
        feuilles: dict[str, str | None] = {}
        vus: set[str] = set()
        for element in racine.iterfind(f"{_P}sheets/{_P}sheet"):
            nom = element.get("name")
            if not nom or nom.casefold() in vus:
                raise self._xml_invalide(principale, "une feuille sans nom ou en double")
            vus.add(nom.casefold())
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            type_, cible = relations.get(rid, ("", ""))
            feuilles[nom] = cible if type_.endswith("/worksheet") else None
        if not feuilles:
            raise _refus(
                "xml-invalide",
                f"Le classeur « {self.nom} » ne déclare aucune feuille dans sa partie "
                f"« {self.membres[principale].filename} » : il a été produit par un logiciel "
                f"non standard ou fabriqué. {_REENREGISTRER}",
            )
        self.classeur.feuilles = tuple(feuilles)
        return racine, feuilles, relations

    def _lire_proprietes(self, personnalisees: str, noyau: str) -> None:
        """Propriétés personnalisées (identité du gabarit) et date de modification, facultatives."""
        if personnalisees in self.membres:
            self.classeur.proprietes = _proprietes(self._xml(personnalisees))
        if noyau in self.membres:
            self.classeur.modifie = _date_modification(self._xml(noyau))

    def _lire_noms(
        self, racine: etree._Element, feuilles: dict[str, str | None]
    ) -> dict[str, _Zone]:
        """Résout les noms de portée classeur ; les inutilisables vont dans `noms_brises`."""
        par_nom = {nom.casefold(): nom for nom in feuilles}
        zones: dict[str, _Zone] = {}
        brises = self.classeur.noms_brises
        vus: set[str] = set()
        total = 0
        for element in racine.iterfind(f"{_P}definedNames/{_P}definedName"):
            nom = element.get("name")
            if not nom or element.get("localSheetId") is not None:
                continue
            if nom.lower().startswith("_xlnm."):
                continue
            if len(vus) >= NOMS_MAX:
                raise _refus(
                    "donnees-hors-gabarit",
                    f"Le classeur « {self.nom} » définit plus de {_entier(NOMS_MAX)} noms, bien "
                    f"au-delà de ceux du gabarit. {_REENREGISTRER}",
                )
            texte = (element.text or "").strip()
            cle = nom.casefold()
            if cle in vus:  # deux définitions d'un même nom : ambiguës, donc inutilisables
                zones.pop(next((n for n in zones if n.casefold() == cle), ""), None)
                brises[nom] = texte
                continue
            vus.add(cle)
            zone = _resoudre(texte, par_nom, feuilles)
            if zone is None:
                brises[nom] = texte
                continue
            zones[nom] = zone
            total += zone.nombre
            if total > CELLULES_MAX_NOMS:
                raise _refus(
                    "donnees-hors-gabarit",
                    f"Les noms définis du classeur « {self.nom} » couvrent plus de "
                    f"{_entier(CELLULES_MAX_NOMS)} cellules, bien au-delà du gabarit. "
                    f"{_REENREGISTRER}",
                )
        return zones

    def _lire_plages(
        self,
        zones: dict[str, _Zone],
        feuilles: dict[str, str | None],
        relations: dict[str, tuple[str, str]],
    ) -> None:
        """Lit les feuilles visées par les noms, puis construit une `Plage` par nom."""
        par_feuille: dict[str, dict[str, _Zone]] = {}
        for nom, zone in zones.items():
            par_feuille.setdefault(zone.feuille, {})[nom] = zone
        lues: dict[str, _Feuille] = {}
        for feuille, partie in feuilles.items():
            if feuille not in par_feuille:
                continue
            if partie is None or partie not in self.membres:
                raise self._corrompu(f"la partie de la feuille « {feuille} » est absente")
            taille = self.membres[partie].file_size
            if taille > TAILLE_MAX_FEUILLE_LUE:
                raise self._feuille_demesuree(
                    feuille,
                    f"pèse {_mo(taille)} une fois décompressée (limite : "
                    f"{_mo(TAILLE_MAX_FEUILLE_LUE)})",
                )
            cle = tuple(sorted(astuple(z) for z in par_feuille[feuille].values()))
            lues[feuille] = self._lire_feuille(feuille, partie, _cellules(cle))
        self._resoudre_partagees(lues, relations)
        for nom, zone in zones.items():
            feuille = lues[zone.feuille]
            valeurs = tuple(
                tuple(
                    feuille.valeurs.get((ligne, colonne))
                    for colonne in range(zone.colonne1, zone.colonne2 + 1)
                )
                for ligne in range(zone.ligne1, zone.ligne2 + 1)
            )
            formules = frozenset(
                (ligne - zone.ligne1, colonne - zone.colonne1)
                for ligne, colonne in feuille.formules
                if zone.ligne1 <= ligne <= zone.ligne2 and zone.colonne1 <= colonne <= zone.colonne2
            )
            self.classeur.noms[nom] = Plage(
                nom,
                zone.feuille,
                zone.ligne1,
                zone.colonne1,
                valeurs,
                formules,  # type: ignore[arg-type]
            )

    def _lire_feuille(
        self, feuille: str, partie: str, necessaires: set[tuple[int, int]]
    ) -> _Feuille:
        """Lit une feuille ; s'arrête dès qu'une cellule sort de la zone permise.

        Seules les cellules de `necessaires` sont décodées ; les autres ne sont que situées et
        comptées. En flux, l'analyse s'arrête à la fin de `<sheetData>` : la suite (mises en
        forme, validations) n'est jamais chargée, et chaque ligne lue est libérée.
        """
        lue = _Feuille()
        racine, contexte = self._evenements(partie, (_C, _LIGNE, _DIMENSION, _DONNEES), feuille)
        en_flux = racine is None
        ligne = 0  # numéro de la ligne en cours (ou de la dernière terminée)
        ligne_ouverte = False
        colonne = 0
        cellules_ligne = 0  # une ligne a au plus COLONNES_MAX cellules : mémoire bornée
        cellules = lignes = 0
        positions = _POSITIONS
        try:
            for _, element in contexte:
                if racine is None:  # `contexte.root` n'est connu qu'en fin d'analyse
                    racine = element.getroottree().getroot()
                tag = element.tag
                if tag == _C:
                    if not ligne_ouverte:
                        parent = element.getparent()
                        r = parent.get("r") if parent is not None and parent.tag == _LIGNE else None
                        ligne = self._numero_ligne(r, ligne, feuille, partie)
                        ligne_ouverte, colonne, cellules_ligne = True, 0, 0
                    reference = element.get("r")
                    if reference is None:  # position implicite : la colonne suivante
                        colonne += 1
                        position = (ligne, colonne)
                    else:
                        position = positions.get(reference) or self._position_cellule(
                            reference, feuille, partie
                        )
                        colonne = position[1]
                    if position[0] > LIGNES_MAX or position[1] > COLONNES_MAX:
                        raise self._hors_gabarit(feuille, position, reference)
                    cellules_ligne += 1
                    cellules += 1
                    if cellules > CELLULES_MAX_FEUILLE:
                        raise self._feuille_demesuree(
                            feuille,
                            f"compte plus de {_entier(CELLULES_MAX_FEUILLE)} cellules",
                            adresse(*position),
                        )
                    if cellules_ligne > COLONNES_MAX:  # cellules en double ou hors d'une ligne
                        raise self._xml_invalide(
                            partie, f"plus de {COLONNES_MAX} cellules dans une ligne", feuille
                        )
                    if position in necessaires:
                        valeur, formule = self._valeur(element, feuille, partie, position)
                        if valeur is not None:
                            lue.valeurs[position] = valeur
                        if formule:
                            lue.formules.add(position)
                    # Pas de libération ici : la ligne entière l'est à sa fin (≤ 200 cellules).
                elif tag == _LIGNE:
                    lignes += 1
                    if lignes > LIGNES_MAX:  # plus de lignes que de numéros permis : doublons
                        raise self._xml_invalide(
                            partie, f"plus de {_entier(LIGNES_MAX)} lignes", feuille
                        )
                    if not ligne_ouverte:  # ligne sans cellule
                        ligne = self._numero_ligne(element.get("r"), ligne, feuille, partie)
                    if ligne > LIGNES_MAX:
                        raise self._hors_gabarit(feuille, (ligne, 1), None, "ligne")
                    ligne_ouverte = False
                    if en_flux:
                        _vider(element)
                elif tag == _DIMENSION:
                    etendue = (element.get("ref") or "").rsplit(":", 1)[-1].strip()
                    position = _position(etendue)
                    if position and (position[0] > LIGNES_MAX or position[1] > COLONNES_MAX):
                        raise self._hors_gabarit(feuille, position, etendue, "dimension")
                else:  # fin de <sheetData> : tout ce qui suit est inutile
                    break
        except etree.XMLSyntaxError as exc:
            raise self._xml_invalide(partie, _detail_syntaxe(exc), feuille) from None
        racine = getattr(contexte, "root", None) if racine is None else racine
        if racine is None or racine.tag != _P + "worksheet":
            raise self._xml_invalide(partie, "ce n'est pas une feuille de calcul", feuille)
        return lue

    def _position_cellule(self, reference: str, feuille: str, partie: str) -> tuple[int, int]:
        """Décode le `r` d'une cellule (mis en cache pour les positions permises)."""
        position = _position(reference)
        if position is None or position[0] == 0 or position[1] == 0:
            raise self._xml_invalide(
                partie, f"référence de cellule invalide « {reference[:20]} »", feuille
            )
        permise = position[0] <= LIGNES_MAX and position[1] <= COLONNES_MAX
        if permise and len(_POSITIONS) < _POSITIONS_MAX:
            _POSITIONS[reference] = position
        return position

    def _numero_ligne(self, r: str | None, precedente: int, feuille: str, partie: str) -> int:
        """Le `r` d'une ligne, ou la ligne suivant la précédente quand il est absent."""
        if r is None:
            return precedente + 1
        r = r.strip()
        if not (r.isascii() and r.isdigit()) or int(r[:9]) == 0:
            raise self._xml_invalide(partie, f"numéro de ligne invalide « {r[:20]} »", feuille)
        return int(r[:9])

    def _hors_gabarit(
        self,
        feuille: str,
        position: tuple[int, int],
        reference: str | None,
        genre: str = "cellule",
    ) -> _Refus:
        """Refus d'une cellule, d'une ligne ou d'une `<dimension>` hors de la zone permise."""
        cellule = (reference or adresse(*position)).replace("$", "").upper()[:20]
        quoi = {
            "cellule": f"contient une cellule en {cellule}",
            "ligne": f"contient une ligne numéro {_entier(position[0])}",
            "dimension": f"déclare une zone utilisée qui s'étend jusqu'à {cellule}",
        }[genre]
        return _refus(
            "donnees-hors-gabarit",
            f"La feuille « {feuille} » du classeur « {self.nom} » {quoi}, très loin de la zone "
            f"du gabarit (lecture limitée à {_entier(LIGNES_MAX)} lignes et {COLONNES_MAX} "
            f"colonnes, soit jusqu'à {adresse(LIGNES_MAX, COLONNES_MAX)}). Supprimez les lignes "
            "et les colonnes inutilisées au-delà des tableaux (ou recopiez vos réponses dans "
            "un gabarit neuf), enregistrez, puis validez le classeur de nouveau.",
            feuille,
            cellule,
        )

    def _feuille_demesuree(self, feuille: str, detail: str, cellule: str = "") -> _Refus:
        return _refus(
            "donnees-hors-gabarit",
            f"La feuille « {feuille} » du classeur « {self.nom} » {detail}, bien au-delà du "
            "gabarit. Supprimez les données collées hors des tableaux (ou recopiez vos réponses "
            "dans un gabarit neuf), enregistrez, puis validez le classeur de nouveau.",
            feuille,
            cellule,
        )

    def _valeur(
        self,
        element: etree._Element,
        feuille: str,
        partie: str,
        position: tuple[int, int],
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
        formule = f is not None
        if type_ == "n":
            try:
                nombre = float(texte)
            except ValueError:
                nombre = math.nan
            if not math.isfinite(nombre):
                raise self._cellule_invalide(partie, feuille, position, "nombre invalide")
            return nombre, formule
        if type_ == "s":
            indice = texte.strip()
            if not (indice.isascii() and indice.isdigit()) or len(indice) > 9:
                raise self._cellule_invalide(partie, feuille, position, "chaîne partagée invalide")
            return _Partagee(int(indice)), formule
        if type_ == "str":
            return _dechapper(texte), formule
        if type_ == "b":
            logique = texte.strip().lower()
            if logique in ("1", "true"):
                return True, formule
            if logique in ("0", "false"):
                return False, formule
            raise self._cellule_invalide(partie, feuille, position, "valeur logique invalide")
        if type_ == "e":
            return ErreurCellule(texte.strip()), formule
        if type_ == "d":  # date ISO 8601 (rare) : gardée telle quelle
            return texte.strip(), formule
        raise self._cellule_invalide(partie, feuille, position, f"type « {type_[:10]} » inconnu")

    def _cellule_invalide(
        self, partie: str, feuille: str, position: tuple[int, int], detail: str
    ) -> _Refus:
        cellule = adresse(*position)
        return _refus(
            "xml-invalide",
            f"La cellule {cellule} de la feuille « {feuille} » du classeur « {self.nom} » est "
            f"mal formée ({detail}, partie « {partie} »). {_REENREGISTRER}",
            feuille,
            cellule,
        )

    def _resoudre_partagees(
        self, lues: dict[str, _Feuille], relations: dict[str, tuple[str, str]]
    ) -> None:
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
        if maximum >= CHAINES_MAX:
            raise _refus(
                "donnees-hors-gabarit",
                f"Le classeur « {self.nom} » renvoie à plus de {_entier(CHAINES_MAX)} textes "
                "différents, bien au-delà du gabarit. Supprimez les données collées hors des "
                f"tableaux. {_REENREGISTRER}",
            )
        partie = next(
            (c for t, c in relations.values() if t.endswith("/sharedstrings")),
            "xl/sharedstrings.xml",
        )
        chaines = self._lire_chaines(partie, maximum) if partie in self.membres else []
        for nom, feuille in lues.items():
            for position, valeur in feuille.valeurs.items():
                if isinstance(valeur, _Partagee):
                    if valeur.indice >= len(chaines):
                        raise self._cellule_invalide(
                            partie, nom, position, "chaîne partagée inexistante"
                        )
                    feuille.valeurs[position] = chaines[valeur.indice]

    def _lire_chaines(self, partie: str, maximum: int) -> list[str]:
        """Les chaînes partagées d'indice 0 à `maximum` (la suite n'est pas décodée)."""
        chaines: list[str] = []
        racine, contexte = self._evenements(partie, (_SI,))
        en_flux = racine is None
        try:
            for _, element in contexte:
                if racine is None:
                    racine = element.getroottree().getroot()
                chaines.append(_texte_riche(element))
                if en_flux:
                    _vider(element)
                if len(chaines) > maximum:
                    break
        except etree.XMLSyntaxError as exc:
            raise self._xml_invalide(partie, _detail_syntaxe(exc)) from None
        racine = getattr(contexte, "root", None) if racine is None else racine
        if racine is None or racine.tag != _P + "sst":
            raise self._xml_invalide(partie, "ce n'est pas une table de chaînes partagées")
        return chaines

    # -- accès aux parties ---------------------------------------------------------------

    def _octets(self, partie: str) -> bytes:
        """Décompresse une partie, jamais au-delà de sa taille déclarée + 1 octet."""
        entree = self.membres[partie]
        assert self.archive is not None
        try:
            with self.archive.open(entree) as flux:
                octets = flux.read(entree.file_size + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise self._corrompu(
                f"la partie « {entree.filename} » ne se décompresse pas correctement"
            ) from None
        except Exception as exc:  # zlib.error, NotImplementedError… : toujours une archive abîmée
            raise self._corrompu(
                f"la partie « {entree.filename} » est illisible ({type(exc).__name__})"
            ) from None
        if len(octets) != entree.file_size:
            raise self._corrompu(f"la partie « {entree.filename} » ne fait pas la taille annoncée")
        return octets

    def _octets_xml(self, partie: str) -> bytes:
        """Les octets d'une partie XML, refusés s'ils portent une DTD ou un autre encodage."""
        octets = self._octets(partie)
        nom = self.membres[partie].filename
        if octets.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in octets[:4]:
            raise self._xml_invalide(
                partie,
                "encodée en UTF-16 ou UTF-32, alors qu'Excel et LibreOffice écrivent en UTF-8",
            )
        if b"<!" in octets and _RE_DTD.search(octets):
            raise _refus(
                "xml-dangereux",
                f"La partie « {nom} » du classeur « {self.nom} » contient une déclaration XML "
                "interdite (DTD ou entité). Excel et LibreOffice n'en écrivent jamais : ce "
                "fichier a été modifié ou fabriqué, et il est refusé par sécurité sans être "
                "analysé. Enregistrez de nouveau le classeur depuis Excel ou LibreOffice au "
                "format « Classeur Excel (.xlsx) », puis validez-le de nouveau.",
            )
        return octets

    def _xml(self, partie: str, octets: bytes | None = None, feuille: str = "") -> etree._Element:
        """Analyse complète d'une petite partie (classeur, relations, propriétés)."""
        if octets is None:
            octets = self._octets_xml(partie)
        try:
            racine = etree.fromstring(octets, self.analyseur)
        except etree.XMLSyntaxError as exc:
            raise self._xml_invalide(partie, _detail_syntaxe(exc), feuille) from None
        if racine is None:
            raise self._xml_invalide(partie, "document vide", feuille)
        return racine

    def _evenements(
        self, partie: str, tags: tuple[str, ...], feuille: str = ""
    ) -> tuple[etree._Element | None, Iterator[tuple[str, etree._Element]]]:
        """Les fins d'éléments `tags` d'une partie, dans l'ordre du document.

        Une petite partie est analysée d'un bloc puis parcourue (`iterwalk`, deux fois plus
        rapide) ; une grande l'est en flux (`iterparse`), pour une mémoire bornée. Rend aussi
        la racine quand elle est déjà connue.
        """
        octets = self._octets_xml(partie)
        if len(octets) <= TAILLE_ANALYSE_EN_BLOC:
            racine = self._xml(partie, octets, feuille)
            return racine, etree.iterwalk(racine, events=("end",), tag=tags)
        flux = etree.iterparse(
            io.BytesIO(octets),
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            encoding="utf-8",
        )
        return None, flux

    def _xml_invalide(self, partie: str, detail: str, feuille: str = "") -> _Refus:
        nom = self.membres[partie].filename if partie in self.membres else partie
        return _refus(
            "xml-invalide",
            f"La partie « {nom} » du classeur « {self.nom} » est mal formée ({detail}). "
            f"{_REENREGISTRER}",
            feuille,
        )


def _detail_syntaxe(exc: etree.XMLSyntaxError) -> str:
    ligne, colonne = exc.position if exc.position else (0, 0)
    return f"XML invalide à la ligne {ligne}, colonne {colonne}"


def _resoudre(texte: str, par_nom: dict[str, str], feuilles: dict[str, str | None]) -> _Zone | None:
    """« 'Saisie'!$C$4:$E$303 » → zone ; None si `#REF!`, plusieurs zones, feuille inconnue…"""
    texte = texte.lstrip("=").strip()
    correspondance = _RE_REFERENCE.fullmatch(texte)
    if correspondance is None:
        return None
    entre_apostrophes, simple, c1, l1, c2, l2 = correspondance.groups()
    nom = entre_apostrophes.replace("''", "'") if entre_apostrophes is not None else simple
    feuille = par_nom.get(nom.casefold())
    if feuille is None or feuilles[feuille] is None:  # feuille inconnue ou feuille graphique
        return None
    ligne1, colonne1 = int(l1), _numero_colonne(c1)
    ligne2, colonne2 = (int(l2), _numero_colonne(c2)) if c2 else (ligne1, colonne1)
    ligne1, ligne2 = sorted((ligne1, ligne2))
    colonne1, colonne2 = sorted((colonne1, colonne2))
    if ligne1 < 1 or colonne1 < 1 or ligne2 > LIGNES_MAX or colonne2 > COLONNES_MAX:
        return None
    zone = _Zone(feuille, ligne1, colonne1, ligne2, colonne2)
    return zone if zone.nombre <= CELLULES_MAX_PAR_NOM else None


def _proprietes(racine: etree._Element) -> dict[str, str | int | float | bool]:
    """Propriétés personnalisées typées ; un contenu illisible reste du texte."""
    proprietes: dict[str, str | int | float | bool] = {}
    for propriete in racine.iterfind(f"{{{_NS_PERSONNALISEES}}}property"):
        nom = propriete.get("name")
        valeur_xml = next((e for e in propriete if isinstance(e.tag, str)), None)
        if not nom or valeur_xml is None:
            continue
        nom_type = etree.QName(valeur_xml)
        type_ = nom_type.localname if nom_type.namespace == _NS_VT else ""
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
        proprietes[nom] = valeur
    return proprietes


def _date_modification(racine: etree._Element) -> datetime | None:
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
