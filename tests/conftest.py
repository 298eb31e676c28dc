"""Réglages communs : une console large et sans couleur, pour des sorties stables ; `immuable`
pour protéger un fichier ou un dossier de sortie (comme un classeur ouvert dans Excel)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from barometre_cli.compilation.collecte import collecter
from barometre_cli.domaine.registre import Organisation
from tests.outils import classeur

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


# --- Une collecte avec rétroaction, doublons et fichiers écartés (consolidation, CSV, fiches) ---

AP = "Administration publique"
MARS = datetime(2026, 3, 1, tzinfo=UTC)
AVRIL = datetime(2026, 4, 1, tzinfo=UTC)
MAI = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def collecte_retroaction(tmp_path):
    d = tmp_path / "recus"
    ratio = {"c1_1_numerateur": 1, "c1_1_denominateur": 2}
    # A répond dans trois fichiers ; le plus récent (mai) porte la note 2 au formulaire, mais
    # aucune note au processus : celle d'avril (3) compte.
    classeur(d, "A/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 5,
             "retroaction_processus": 4, "retroaction_commentaire": "Trop long"},
             code="A", modifie=MARS)  # fmt: skip
    classeur(d, "A/1.2.xlsx", "1.2", {"c1_2_numerateur": 1, "c1_2_denominateur": 2,
             "retroaction_formulaire": 5, "retroaction_processus": 3,
             "retroaction_commentaire": "  trop   LONG "}, code="A", modifie=AVRIL)  # fmt: skip
    classeur(d, "A/4.2.xlsx", "4.2", {"c4_2_numerateur": 1, "c4_2_denominateur": 2,
             "retroaction_formulaire": 2, "retroaction_commentaire": "Merci"},
             code="A", modifie=MAI)  # fmt: skip
    # B : un doublon remplacé (mars, note 1) et le classeur retenu (mai, note 4).
    classeur(d, "B/ancien.xlsx", "1.1", {**ratio, "retroaction_formulaire": 1},
             code="B", modifie=MARS)  # fmt: skip
    classeur(d, "B/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 4},
             code="B", modifie=AVRIL)  # fmt: skip
    # Écartés : hors registre, et une autre période (plus récente) de B.
    classeur(d, "Z/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 1,
             "retroaction_commentaire": "Hors registre"}, code="Z", modifie=MAI)  # fmt: skip
    classeur(d, "B/2025.xlsx", "4.2", {"periode": 2025, "c4_2_numerateur": 1,
             "c4_2_denominateur": 2, "retroaction_formulaire": 1,
             "retroaction_commentaire": "Autre période"}, code="B", modifie=MAI,
             periode_gabarit="2025")  # fmt: skip
    registre = [Organisation("A", "Agence A", AP), Organisation("B", "Bureau B", AP),
                Organisation("C", "Centre C", AP)]  # fmt: skip
    return collecter(d, registre, "2026")


@pytest.fixture(params=["lxml", "stdlib"])
def moteur_xml(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Fait tourner un test sur chacun des deux moteurs XML de la lecture.

    Les modules qui le veulent le demandent pour tous leurs tests (`pytestmark`) ; la variable
    d'environnement suit, pour les lectures faites dans un processus à part.
    """
    from barometre_cli.lecture import xml

    ancien = xml.moteur()
    monkeypatch.setenv("BAROMETRE_XML", request.param)
    xml.choisir(request.param)
    yield request.param
    xml.choisir(ancien)
