"""Remplacer quelques parties d'une archive ZIP sans décompresser ni recompresser les autres.

Un gabarit prérempli pour une organisation ne diffère du gabarit de base que par deux parties
(la feuille de saisie et les propriétés) ; le classeur sommaire, que par sa feuille Journal
écrite à part. Recompresser les dix autres parties coûtait l'essentiel du temps : elles sont
ici recopiées telles quelles (en-tête local, données compressées, entrée du répertoire
central), et seules les parties remplacées sont écrites, par `zipfile`, avec la même date.

Le résultat est, octet pour octet, l'archive que `zipfile` écrirait en réécrivant toutes les
parties une à une (`ZipInfo(nom, date)`, compression deflate par défaut) : les tests des
gabarits le vérifient.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

#: Une entrée du répertoire central (APPNOTE 4.3.12) ; le décalage de l'en-tête local est son
#: dernier champ de 4 octets avant les noms.
_CENTRALE = "<4s4B4HL2L5H2L"
_DECALAGE = struct.calcsize(_CENTRALE) - 4


class ArchiveZip:
    """Une archive lue une fois : ses parties, dans l'ordre, prêtes à être recopiées."""

    def __init__(self, octets: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(octets))
        fin = struct.unpack(zipfile.structEndArchive, octets[-zipfile.sizeEndCentDir :])
        if fin[0] != zipfile.stringEndArchive or fin[-1]:  # commentaire, zip64 : pas les nôtres
            raise ValueError("archive ZIP inattendue (commentaire final ou ZIP64)")
        position = fin[6]  # début du répertoire central
        self._parties: list[tuple[zipfile.ZipInfo, bytes, bytes]] = []
        for info in self.zip.infolist():
            debut = info.header_offset
            noms, extra = struct.unpack("<2H", octets[debut + 26 : debut + 30])
            locale = octets[debut : debut + 30 + noms + extra + info.compress_size]
            taille = 46 + sum(struct.unpack("<3H", octets[position + 28 : position + 34]))
            self._parties.append((info, locale, octets[position : position + taille]))
            position += taille

    def lire(self, partie: str) -> bytes:
        return self.zip.read(partie)

    def remplacer(self, nouvelles: dict[str, bytes]) -> bytes:
        """L'archive avec `nouvelles` (partie → contenu) à la place des parties du même nom."""
        inconnues = set(nouvelles) - {info.filename for info, _, _ in self._parties}
        if inconnues:
            raise KeyError(f"parties absentes de l'archive : {', '.join(sorted(inconnues))}")
        locales, centrales, position = [], [], 0
        for info, locale, centrale in self._parties:
            if info.filename in nouvelles:
                locale, centrale = _enregistrement(info, locale, centrale, nouvelles[info.filename])
            locales.append(locale)
            centrales.append(
                centrale[:_DECALAGE] + struct.pack("<L", position) + centrale[_DECALAGE + 4 :]
            )
            position += len(locale)
        repertoire = b"".join(centrales)
        fin = struct.pack(
            zipfile.structEndArchive,
            zipfile.stringEndArchive,
            0,
            0,
            len(centrales),
            len(centrales),
            len(repertoire),
            position,
            0,
        )
        return b"".join(locales) + repertoire + fin


def _enregistrement(info: zipfile.ZipInfo, locale: bytes, centrale: bytes, donnees: bytes):
    """(enregistrement local, entrée du répertoire central) d'une partie aux nouvelles données.

    Exactement ce qu'écrirait `zipfile` pour une partie neuve du même nom, de la même date et
    des mêmes attributs (`ZipInfo(nom, date)`, deflate au niveau par défaut) : les en-têtes de la
    partie d'origine, qui ne diffèrent que par l'empreinte CRC-32 et les tailles, sont repris et
    corrigés ; les données sont compressées comme `zipfile` le fait, d'un seul appel.
    """
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x08 or info.extra:
        # Une partie que `zipfile` n'écrirait pas ainsi (autre méthode, descripteur, extra).
        return _enregistrement_zipfile(info, donnees)
    compresseur = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    compresse = compresseur.compress(donnees) + compresseur.flush()
    if len(donnees) >= zipfile.ZIP64_LIMIT or len(compresse) >= zipfile.ZIP64_LIMIT:
        return _enregistrement_zipfile(info, donnees)  # pragma: no cover - jamais si gros
    noms, extra = struct.unpack("<2H", locale[26:30])
    if extra:
        return _enregistrement_zipfile(info, donnees)
    champs = struct.pack("<3L", zlib.crc32(donnees), len(compresse), len(donnees))
    return (
        locale[:14] + champs + locale[26 : 30 + noms] + compresse,
        centrale[:16] + champs + centrale[28:],
    )


def _enregistrement_zipfile(info: zipfile.ZipInfo, donnees: bytes) -> tuple[bytes, bytes]:
    """Le même enregistrement, écrit par `zipfile` lui-même (cas rares : autre méthode, extra)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible:
        copie = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        copie.compress_type = zipfile.ZIP_DEFLATED
        copie.external_attr = info.external_attr
        cible.writestr(copie, donnees)
    octets = tampon.getvalue()
    repertoire = struct.unpack(zipfile.structEndArchive, octets[-zipfile.sizeEndCentDir :])[6]
    return octets[:repertoire], octets[repertoire : -zipfile.sizeEndCentDir]
