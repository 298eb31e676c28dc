"""Le fichier et son archive, du moins coûteux au plus coûteux, avant d'analyser le moindre XML.

Octets bornés, signature (vide, OLE chiffré ou .xls, autre chose que ZIP), inventaire ZIP
vérifié avant toute décompression, classement de l'archive (.xlsx ou .ods, macros, .xlsb), puis
décompression d'une partie au plus à sa taille déclarée, refus des DTD et entités dans ses
octets, et analyse par le moteur XML en service (`xml`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile

from barometre_cli.lecture import limites, refus, xml
from barometre_cli.lecture.modele import ClasseurLu
from barometre_cli.lecture.refus import Refus

_SIGNATURE_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FLUX_CHIFFRES = tuple(n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo"))

#: DTD ou entité : jamais présentes dans un classeur OOXML, porte des attaques XXE et
#: « billion laughs ». Cherchées dans les octets bruts, avant toute analyse.
_RE_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def lire_octets(classeur: ClasseurLu) -> bytes:
    """Lit le fichier sans jamais dépasser `TAILLE_MAX_FICHIER` + 1 octets."""
    chemin, nom = classeur.chemin, classeur.chemin.name
    maximum = limites.TAILLE_MAX_FICHIER
    try:
        etat = os.stat(chemin)
        if not stat.S_ISREG(etat.st_mode):
            raise refus.pas_un_fichier(nom)
        if etat.st_size > maximum:
            classeur.taille = etat.st_size
            raise refus.trop_gros(nom, etat.st_size)
        with open(chemin, "rb") as fichier:
            octets = fichier.read(maximum + 1)
    except OSError as exc:
        raise refus.fichier_illisible(nom, exc) from None
    if len(octets) > maximum:
        raise refus.trop_gros(nom, len(octets))
    classeur.taille = len(octets)
    classeur.sha256 = hashlib.sha256(octets).hexdigest()
    return octets


def classer_signature(octets: bytes, nom: str) -> None:
    """Trie d'après les octets, jamais d'après l'extension : seul un ZIP va plus loin."""
    if not octets:
        raise refus.fichier_vide(nom)
    if octets.startswith(_SIGNATURE_OLE):  # chiffré par mot de passe, ancien .xls, .doc…
        if any(flux in octets for flux in _FLUX_CHIFFRES):
            raise refus.chiffre(nom)
        if "WordDocument".encode("utf-16-le") in octets:
            raise refus.document_word(nom)
        raise refus.format_xls(nom)
    if not octets.startswith(b"PK"):
        if _ods_a_plat(octets):
            raise refus.fods(nom)
        raise refus.contenu_etranger(nom, octets)


def _ods_a_plat(octets: bytes) -> bool:
    """Un classeur OpenDocument en XML à plat (.fods) : une seule partie XML, sans archive."""
    debut = octets[:65536]
    return (
        b"urn:oasis:names:tc:opendocument:xmlns:office:1.0" in debut
        and b"application/vnd.oasis.opendocument.spreadsheet" in debut
    )


class Archive:
    """L'archive ZIP d'un classeur, inventoriée : de quoi en lire les parties avec prudence."""

    def __init__(self, nom: str, zip_: zipfile.ZipFile, membres: dict[str, zipfile.ZipInfo]):
        self.nom = nom
        self.zip = zip_
        #: nom de partie en minuscules (sans « / » initial) → entrée de l'archive
        self.membres = membres

    def __contains__(self, partie: str) -> bool:
        return partie in self.membres

    def nom_partie(self, partie: str) -> str:
        """Le nom de la partie tel qu'écrit dans l'archive (la clé est en minuscules)."""
        return self.membres[partie].filename if partie in self.membres else partie

    def octets(self, partie: str) -> bytes:
        """Décompresse une partie, jamais au-delà de sa taille déclarée + 1 octet."""
        entree = self.membres[partie]
        nom = entree.filename
        try:
            with self.zip.open(entree) as flux:
                octets = flux.read(entree.file_size + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise refus.corrompu(
                self.nom, f"la partie « {nom} » ne se décompresse pas correctement"
            ) from None
        except Exception as exc:  # zlib.error, NotImplementedError… : toujours une archive abîmée
            raise refus.corrompu(
                self.nom, f"la partie « {nom} » est illisible ({type(exc).__name__})"
            ) from None
        if len(octets) != entree.file_size:
            raise refus.corrompu(self.nom, f"la partie « {nom} » ne fait pas la taille annoncée")
        return octets

    def octets_xml(self, partie: str) -> bytes:
        """Les octets d'une partie XML, refusés s'ils portent une DTD ou un autre encodage."""
        taille = self.membres[partie].file_size
        if taille > limites.TAILLE_MAX_XML:
            raise refus.partie_xml_trop_lourde(self.nom, self.nom_partie(partie), taille)
        octets = self.octets(partie)
        if octets.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in octets[:4]:
            raise self.xml_invalide(
                partie,
                "encodée en UTF-16 ou UTF-32, alors qu'Excel et LibreOffice écrivent en UTF-8",
            )
        if b"<!" in octets and _RE_DTD.search(octets):
            raise refus.xml_dangereux(self.nom, self.nom_partie(partie))
        return octets

    def xml(self, partie: str, octets: bytes | None = None) -> xml.Element:
        """Analyse complète d'une petite partie (classeur, relations, propriétés)."""
        if octets is None:
            octets = self.octets_xml(partie)
        try:
            return xml.analyser(octets)
        except xml.ErreurXml as exc:
            raise self.erreur_xml(partie, exc) from None

    def parcourir(self, partie: str, tags: tuple[str, ...], feuille: str = "") -> xml.Parcours:
        """Les fins d'éléments `tags` d'une partie, dans l'ordre du document.

        Une petite partie est analysée d'un bloc puis parcourue (deux fois plus rapide) ; une
        grande l'est en flux, pour une mémoire bornée.
        """
        octets = self.octets_xml(partie)
        en_bloc = len(octets) <= limites.TAILLE_ANALYSE_EN_BLOC
        try:
            return xml.parcourir(octets, tags, en_bloc)
        except xml.ErreurXml as exc:
            raise self.erreur_xml(partie, exc, feuille) from None

    def erreur_xml(self, partie: str, exc: xml.ErreurXml, feuille: str = "") -> Refus:
        """Le refus d'une partie que le moteur XML n'a pas pu analyser."""
        if exc.dtd:
            return refus.xml_dangereux(self.nom, self.nom_partie(partie))
        return self.xml_invalide(partie, refus.detail_syntaxe(exc.ligne, exc.colonne), feuille)

    def xml_invalide(self, partie: str, detail: str, feuille: str = "") -> Refus:
        return refus.xml_invalide(self.nom, self.nom_partie(partie), detail, feuille)

    def corrompu(self, detail: str = "") -> Refus:
        return refus.corrompu(self.nom, detail)


def inventorier(octets: bytes, nom: str) -> Archive:
    """Ouvre l'archive et vérifie ses limites sur l'inventaire, avant toute décompression."""
    # Le répertoire central d'une archive à des milliers d'entrées est long à lire : on
    # compte d'abord ses signatures (un compte par excès : il ne peut qu'en trouver plus).
    if octets.count(b"PK\x01\x02") > limites.MEMBRES_MAX:
        raise refus.trop_de_parties(nom)
    try:
        zip_ = zipfile.ZipFile(io.BytesIO(octets))
        entrees = zip_.infolist()
    except Exception:  # BadZipFile, NotImplementedError (« zip file version »), ValueError…
        raise refus.corrompu(nom) from None
    if len(entrees) > limites.MEMBRES_MAX:
        raise refus.trop_de_parties(nom)
    membres: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for entree in entrees:
        _verifier_entree(entree, nom)
        total += entree.file_size
        cle = entree.filename.lstrip("/").lower()
        if cle.endswith("/"):
            continue
        if cle in membres:
            raise refus.corrompu(nom, f"la partie « {entree.filename} » y figure deux fois")
        membres[cle] = entree
    if total > limites.TAILLE_MAX_DECOMPRESSEE:
        raise refus.archive_trop_grande(nom, total)
    return Archive(nom, zip_, membres)


def _verifier_entree(entree: zipfile.ZipInfo, nom: str) -> None:
    """Taille déclarée, taux de compression, chiffrement et méthode d'une entrée."""
    partie, taille = entree.filename, entree.file_size
    if taille > limites.TAILLE_MAX_MEMBRE:
        raise refus.partie_trop_grande(nom, partie, taille)
    compresse = max(entree.compress_size, 1)
    if (
        taille > limites.SEUIL_TAUX_COMPRESSION
        and taille > limites.TAUX_COMPRESSION_MAX * compresse
    ):
        raise refus.partie_trop_compressee(nom, partie, taille // compresse)
    if entree.flag_bits & 0x1:
        raise refus.archive_chiffree(nom)
    if entree.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refus.corrompu(
            nom, f"la partie « {partie} » utilise une méthode de compression qu'Excel n'emploie pas"
        )


def classer_archive(archive: Archive) -> str:
    """Une archive ZIP peut être un .xlsx, un .ods, un .xlsm, un .xlsb, un .docx… : rend le
    format à lire (« xlsx » ou « ods », lu par `ods`), refuse les autres."""
    membres, nom = archive.membres, archive.nom
    if "mimetype" in membres and membres["mimetype"].file_size <= 200:
        type_mime = archive.octets("mimetype").strip()
        if type_mime.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if type_mime.startswith(b"application/vnd.oasis.opendocument"):
            raise refus.opendocument_autre(nom, type_mime.decode("ascii", "replace"))
    if "[content_types].xml" not in membres:
        if "content.xml" in membres:  # un .ods sans `mimetype` : son manifeste dira ce qu'il est
            return "ods"
        raise refus.pas_un_classeur(nom, "une archive ZIP qui ne contient pas de classeur")
    if any(_est_macro(cle) for cle in membres):
        raise refus.macros(nom)
    if "xl/workbook.bin" in membres:
        raise refus.xlsb(nom)
    octets = archive.octets_xml("[content_types].xml")
    racine = archive.xml("[content_types].xml", octets)
    texte = octets.lower()
    if b"&#" in texte:  # un mot peut se cacher derrière des références de caractères
        texte += "\n".join(xml.textes(racine)).lower().encode()
    if b"macrosheet" in texte or b"vbaproject" in texte:
        raise refus.macros(nom)
    if b"macroenabled" in texte:  # un .xlsm : le format permet les macros, sans en avoir
        raise refus.macros(nom, contient=False)
    return "xlsx"


def _est_macro(cle: str) -> bool:
    base = cle.rsplit("/", 1)[-1]
    return base.startswith("vbaproject") or "macrosheets/" in cle
