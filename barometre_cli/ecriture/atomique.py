"""Écriture atomique : un fichier temporaire dans le même dossier, puis un renommage.

Une compilation interrompue (Ctrl+C, disque plein, panne) ne laisse ainsi jamais de fichier à
moitié écrit et ne détruit pas la sortie précédente : `os.replace` est atomique sur un même
système de fichiers, sous Windows comme ailleurs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from barometre_cli.ecriture import interruption


def ecrire_atomiquement(chemin: Path, ecrire: Callable[[Path], None]) -> Path:
    """Appelle `ecrire(temporaire)` puis remplace `chemin` d'un coup ; rien n'est laissé en cas d'échec.

    Ctrl+C compris : le temporaire est créé et noté d'un seul tenant (`differer`), puis effacé
    quelle que soit l'exception, même si un second Ctrl+C tombe pendant qu'on l'efface.
    """
    chemin.parent.mkdir(parents=True, exist_ok=True)
    temporaire: Path | None = None
    try:
        with interruption.differer():
            descripteur, nom = tempfile.mkstemp(
                prefix=f".{chemin.name}.", suffix=".tmp", dir=chemin.parent
            )
            os.close(descripteur)
            temporaire = Path(nom)
        ecrire(temporaire)
        # mkstemp crée le fichier en 0600 : on rend les droits habituels (umask) d'un fichier.
        with interruption.differer():
            masque = os.umask(0)
            os.umask(masque)
        os.chmod(temporaire, 0o666 & ~masque)
        os.replace(temporaire, chemin)
    except BaseException:
        with interruption.differer():
            if temporaire is not None:
                temporaire.unlink(missing_ok=True)
        raise
    return chemin


def ecrire_texte_atomiquement(chemin: Path, texte: str, encodage: str = "utf-8") -> Path:
    return ecrire_atomiquement(chemin, lambda t: t.write_text(texte, encoding=encodage, newline=""))
