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


def ecrire_atomiquement(chemin: Path, ecrire: Callable[[Path], None]) -> Path:
    """Appelle `ecrire(temporaire)` puis remplace `chemin` d'un coup ; rien n'est laissé en cas d'échec."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur, nom = tempfile.mkstemp(prefix=f".{chemin.name}.", suffix=".tmp", dir=chemin.parent)
    os.close(descripteur)
    temporaire = Path(nom)
    try:
        ecrire(temporaire)
        # mkstemp crée le fichier en 0600 : on rend les droits habituels (umask) d'un fichier.
        masque = os.umask(0)
        os.umask(masque)
        os.chmod(temporaire, 0o666 & ~masque)
        os.replace(temporaire, chemin)
    except BaseException:
        temporaire.unlink(missing_ok=True)
        raise
    return chemin


def ecrire_texte_atomiquement(chemin: Path, texte: str, encodage: str = "utf-8") -> Path:
    return ecrire_atomiquement(chemin, lambda t: t.write_text(texte, encoding=encodage, newline=""))
