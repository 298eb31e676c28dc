"""Une seule opération à la fois par dossier de sortie.

Deux compilations vers le même dossier se marcheraient dessus : la dernière à publier
gagnerait, en silence. La première pose un verrou ; la seconde est refusée, avec un message
qui dit qui le tient.

Le verrou est un verrou du système d'exploitation (`fcntl.lockf` sous Linux et macOS,
`msvcrt.locking` sous Windows) posé sur le fichier `.barometre-verrou` du dossier, plutôt qu'un
fichier dont la seule présence, avec un numéro de processus, vaudrait verrou. Le système rend
de lui-même le verrou quand le processus meurt, de quelque façon que ce soit (plantage,
`kill -9`, session fermée) : aucune compilation tombée ne bloque le dossier pour de bon, et il
n'y a pas à deviner si le numéro noté appartient encore à la même compilation (les numéros de
processus se réutilisent). Le fichier contient tout de même le numéro, l'heure de début et la
machine, pour le message. `lockf` (verrou POSIX, propre au processus) plutôt que `flock` : un
verrou `flock` passerait aux processus de lecture créés par fork et survivrait à un processus
principal tué tant qu'ils vivent. Revers de `lockf` : fermer n'importe quel descripteur du
fichier dans le même processus rend le verrou ; ce module est le seul à l'ouvrir, une fois.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.ecriture import interruption

NOM_VERROU = ".barometre-verrou"
#: Sous Windows, l'octet verrouillé est loin après le texte, que l'autre processus doit lire
#: (un verrou Windows interdit la lecture de la zone verrouillée).
_OCTET_WINDOWS = 1 << 20

#: Verrous tenus par ce processus : chemin réel → (fil, profondeur). Une compilation tient le
#: verrou pendant la lecture, puis le reprend pour publier ses sorties.
_tenus: dict[str, tuple[int, int]] = {}


#: Ce que rend une demande de verrou quand un autre processus le tient (EDEADLOCK : Windows).
_DEJA_TENU = {errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def _poser_verrou(fichier: IO[bytes]) -> None:
    """Verrou exclusif, sans attendre ; `OSError` s'il est déjà tenu."""
    if os.name == "nt":
        import msvcrt

        fichier.seek(_OCTET_WINDOWS)
        msvcrt.locking(fichier.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.lockf(fichier, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _rendre_verrou(fichier: IO[bytes]) -> None:
    if os.name == "nt":
        import msvcrt

        with contextlib.suppress(OSError):
            fichier.seek(_OCTET_WINDOWS)
            msvcrt.locking(fichier.fileno(), msvcrt.LK_UNLCK, 1)
    fichier.close()  # POSIX : fermer rend le verrou


def _meme_fichier(fichier: IO[bytes], chemin: Path) -> bool:
    """Le fichier verrouillé est-il encore celui du dossier (pas un fichier qu'on vient d'effacer) ?"""
    try:
        ouvert, present = os.fstat(fichier.fileno()), os.stat(chemin)
    except OSError:
        return False
    return (ouvert.st_dev, ouvert.st_ino) == (present.st_dev, present.st_ino)


def _detenteur(chemin: Path) -> str:
    """« (la compilation, processus 4242 sur POSTE-01, lancée le 2026-05-01 à 14:02:11) »."""
    try:
        infos = json.loads(chemin.read_text(encoding="utf-8"))
        debut = datetime.fromisoformat(infos["debut"])
        return (
            f" ({infos['operation']}, processus {int(infos['pid'])} sur {infos['machine']}, "
            f"lancée le {debut:%Y-%m-%d à %H:%M:%S})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return ""  # illisible, ou écrit à l'instant : le message reste juste sans détail


def _ouvrir(dossier: Path, operation: str) -> IO[bytes]:
    chemin = dossier / NOM_VERROU
    for _ in range(10):
        descripteur = os.open(chemin, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        fichier = os.fdopen(descripteur, "r+b")
        try:
            _poser_verrou(fichier)
        except OSError as exc:
            if exc.errno not in _DEJA_TENU:
                # Système de fichiers sans verrous (ancien partage réseau) : écrire sans
                # verrou plutôt que refuser de travailler ; les autres garanties tiennent.
                break
            fichier.close()
            raise BarometreErreur(
                f"une autre opération écrit déjà dans « {dossier} »{_detenteur(chemin)}. "
                f"Attendez qu'elle se termine, ou choisissez un autre dossier (--sortie), puis "
                f"relancez {operation}. Rien n'a été modifié."
            ) from None
        if _meme_fichier(fichier, chemin):
            break
        fichier.close()  # le détenteur l'effaçait en partant : on recommence
    else:
        raise BarometreErreur(f"impossible de verrouiller « {dossier} » : réessayez.")
    infos = {
        "operation": operation,
        "pid": os.getpid(),
        "machine": socket.gethostname(),
        "debut": datetime.now().isoformat(timespec="seconds"),
    }
    fichier.seek(0)
    fichier.truncate()
    fichier.write(json.dumps(infos, ensure_ascii=False).encode("utf-8"))
    fichier.flush()
    return fichier


def _poser(dossier: Path, operation: str) -> IO[bytes]:
    try:
        dossier.mkdir(parents=True, exist_ok=True)
        return _ouvrir(dossier, operation)
    except OSError as exc:
        raise BarometreErreur(
            f"impossible d'écrire dans le dossier « {dossier} » ({raison_systeme(exc)}) : il "
            "est peut-être en lecture seule ou protégé. Retirez la protection ou choisissez un "
            f"autre dossier (--sortie), puis relancez {operation}. Rien n'a été modifié."
        ) from None


def _lever(fichier: IO[bytes], dossier: Path, cree: bool) -> None:
    chemin = dossier / NOM_VERROU
    if os.name != "nt":  # effacé verrou tenu : qui l'ouvre ensuite ouvre un nouveau fichier
        with contextlib.suppress(OSError):
            chemin.unlink()
    _rendre_verrou(fichier)
    if os.name == "nt":  # Windows n'efface pas un fichier ouvert ; ouvert ailleurs, il reste
        with contextlib.suppress(OSError):
            chemin.unlink()
    if cree:  # dossier créé pour rien (opération refusée ou interrompue) : on le retire
        with contextlib.suppress(OSError):
            dossier.rmdir()


@contextlib.contextmanager
def verrouiller(dossier: Path, operation: str) -> Iterator[None]:
    """Tient le verrou du dossier (créé au besoin) pendant le bloc ; `BarometreErreur` s'il
    est déjà tenu. `operation` (« la compilation ») sert aux messages.

    Réentrant dans un même fil : la compilation le prend pour tout son travail, la
    publication des sorties le reprend.
    """
    cle = os.path.realpath(dossier)
    fil = threading.get_ident()
    if cle in _tenus:
        detenteur, profondeur = _tenus[cle]
        if detenteur != fil:
            raise BarometreErreur(
                f"une autre opération de ce programme écrit déjà dans « {dossier} » : "
                f"attendez qu'elle se termine, puis relancez {operation}."
            )
        _tenus[cle] = (fil, profondeur + 1)
        try:
            yield
        finally:
            _tenus[cle] = (fil, profondeur)
        return
    fichier, cree = None, not dossier.exists()
    try:
        with interruption.differer():  # pas de verrou à moitié posé
            fichier = _poser(dossier, operation)
            _tenus[cle] = (fil, 1)
        yield
    finally:
        with interruption.differer():
            _tenus.pop(cle, None)
            if fichier is not None:
                _lever(fichier, dossier, cree)
            elif cree:
                with contextlib.suppress(OSError):
                    dossier.rmdir()
