"""Réglages communs : une console large et sans couleur, pour des sorties stables ; `immuable`
pour protéger un fichier ou un dossier de sortie (comme un classeur ouvert dans Excel)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("COLUMNS", "200")
os.environ["NO_COLOR"] = "1"
os.environ.setdefault("TERMINAL_WIDTH", "200")


def _chattr(option: str, chemin: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", option, str(chemin)], capture_output=True).returncode == 0


@pytest.fixture
def immuable():
    """Rend un fichier ou un dossier impossible à remplacer, puis le rend à la fin du test.

    `chattr +i` arrête même root (les tests tournent souvent en root, que chmod n'arrête pas) ;
    sans lui, hors root, les droits en lecture seule suffisent.
    """
    poses: list[tuple[Path, int | None]] = []

    def poser(chemin: Path) -> None:
        if _chattr("+i", chemin):
            poses.append((chemin, None))
        elif hasattr(os, "geteuid") and os.geteuid() != 0:
            poses.append((chemin, chemin.stat().st_mode))
            chemin.chmod(0o555 if chemin.is_dir() else 0o444)
        else:
            pytest.skip("ni chattr +i, ni droits qui arrêtent cet utilisateur")

    yield poser
    for chemin, mode in poses:
        if mode is None:
            _chattr("-i", chemin)
        else:
            chemin.chmod(mode)
