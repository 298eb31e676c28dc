"""L'échange atomique de deux dossiers (Linux) et le reflet d'un dossier par liens physiques.

`renameat2(RENAME_EXCHANGE)` (Linux 3.15, glibc 2.28) échange deux chemins d'un seul appel : à
aucun moment l'un des deux n'est absent ou à moitié rempli. Python ne l'expose pas ; on
l'appelle par ctypes. Ailleurs (Windows, macOS, musl ancien, système de fichiers qui le refuse),
`echange_disponible()` est faux ou `echanger` lève `OSError`, et la publication passe par des
renommages sous manifeste (`ensemble`).

`refleter` prépare le dossier qui prendra la place du dossier de sortie : les mêmes fichiers,
par liens physiques (aucune copie, aucun octet dupliqué, le même fichier des deux côtés), sauf
ceux que l'opération remplace. Le nombre d'éléments reflétés est borné : un dossier de sortie
qui serait tout un dossier personnel se publie par renommages.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path

#: `AT_FDCWD` et `RENAME_EXCHANGE` de <fcntl.h> et <linux/fs.h>.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: Au-delà, un dossier de sortie n'est pas reflété (publication par renommages).
ELEMENTS_MAX = 20_000


class TropFourni(OSError):
    """Le dossier compte trop d'éléments pour être reflété."""


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - libc introuvable
        return None


def _fonction(nom: str) -> Callable[..., int] | None:
    libc = _libc()
    return getattr(libc, nom, None) if libc is not None else None


def echange_disponible() -> bool:
    """Le système offre l'échange atomique de deux dossiers (il peut encore le refuser)."""
    return _fonction("renameat2") is not None


def echanger(a: Path, b: Path) -> None:
    """Échange `a` et `b` d'un seul appel atomique ; `OSError` si le système le refuse."""
    renameat2 = _fonction("renameat2")
    if renameat2 is None:
        raise OSError(38, "renameat2 indisponible")  # ENOSYS
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        numero = ctypes.get_errno()
        raise OSError(numero, os.strerror(numero), str(a), None, str(b))


def synchroniser(dossier: Path) -> None:
    """Force sur le disque ce qui est écrit dans le système de fichiers de `dossier`.

    `syncfs` (un appel pour tout le système de fichiers) plutôt qu'un `fsync` par fichier :
    des centaines de gabarits ou de fiches se synchronisent d'un coup. Sans `syncfs`, un
    `fsync` du dossier seulement.
    """
    descripteur = os.open(dossier, os.O_RDONLY)
    try:
        syncfs = _fonction("syncfs")
        if syncfs is None or syncfs(descripteur) != 0:
            os.fsync(descripteur)
    finally:
        os.close(descripteur)


def synchroniser_dossier(dossier: Path) -> None:
    """`fsync` du dossier : un renommage ou un échange qui y a eu lieu survit à une panne."""
    with contextlib.suppress(OSError):
        descripteur = os.open(dossier, os.O_RDONLY)
        try:
            os.fsync(descripteur)
        finally:
            os.close(descripteur)


def lier(source: Path, destination: Path, compte: list[int]) -> None:
    """Reproduit `source` en `destination` par liens physiques (un dossier, en entier).

    Un lien symbolique est recréé tel quel, jamais suivi ; un dossier est recréé avec ses
    droits. `compte` (un seul élément) borne le nombre d'éléments : `TropFourni` au-delà.
    """
    pile = [(source, destination)]
    while pile:
        de, vers = pile.pop()
        compte[0] += 1
        if compte[0] > ELEMENTS_MAX:
            raise TropFourni(27, "trop d'éléments à refléter")  # EFBIG
        etat = os.lstat(de)
        if stat.S_ISDIR(etat.st_mode):
            vers.mkdir()
            shutil.copystat(de, vers, follow_symlinks=False)
            pile.extend((e, vers / e.name) for e in de.iterdir())
        elif stat.S_ISLNK(etat.st_mode):
            os.symlink(os.readlink(de), vers)
        else:
            os.link(de, vers, follow_symlinks=False)


def refleter(
    source: Path, destination: Path, remplaces: set[Path], exclus: set[str], compte: list[int]
) -> None:
    """Reflète dans `destination` (qui existe) tout `source` sauf les chemins `remplaces` (que
    l'opération publie) et les noms `exclus` (son brouillon). Un dossier qui contient un chemin
    remplacé est parcouru ; les autres sont reflétés en entier."""
    ancetres = {parent for chemin in remplaces for parent in chemin.parents}
    pile = [Path()]
    while pile:
        relatif = pile.pop()
        for entree in os.scandir(source / relatif):
            chemin = relatif / entree.name
            if chemin in remplaces or (relatif == Path() and entree.name in exclus):
                continue
            if chemin in ancetres and entree.is_dir(follow_symlinks=False):
                (destination / chemin).mkdir()
                shutil.copystat(entree.path, destination / chemin, follow_symlinks=False)
                compte[0] += 1
                pile.append(chemin)
            else:
                lier(source / chemin, destination / chemin, compte)
