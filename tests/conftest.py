"""Réglages communs : une console large et sans couleur, pour des sorties stables ; `immuable`
pour protéger un fichier ou un dossier de sortie (comme un classeur ouvert dans Excel).

Ce qui est long à mettre en place et que les tests ne font que lire est créé une fois par
séance : LibreOffice Calc (`calc`), Chromium (`chromium`), l'exemple livré compilé
(`exemple_compile`) et le site du vérificateur (`site_validateur`). Chaque test qui s'en sert
ouvre ses propres copies (documents, onglets, sorties) et ne modifie pas l'objet partagé.
"""

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


# --- Mis en place une fois par séance ---------------------------------------------------------

RACINE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def calc():
    """Un LibreOffice Calc fr-CA piloté par UNO (banc de tests/donnees/libreoffice_uno.py).

    Les modules qui s'en servent sautent d'eux-mêmes si le banc est indisponible.
    """
    from tests.donnees.libreoffice_uno import Calc, raison_indisponible

    raison = raison_indisponible()
    if raison is not None:
        pytest.skip(f"banc LibreOffice UNO : {raison}")
    with Calc() as c:
        yield c


#: Chromium sans réseau ni services de fond ; la langue de la page du vérificateur.
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=fr-CA",
]


@pytest.fixture(scope="session")
def chromium():
    """Chromium de Debian piloté par Playwright ; sauté avec la raison s'il manque."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright absent : pip install -e '.[test]' l'installe (tests du navigateur sautés)",
    )
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium absent : apt-get install chromium (.ci/run l'installe)")
    with sync_api.sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=executable, args=ARGUMENTS_CHROMIUM)
        yield navigateur
        navigateur.close()


@pytest.fixture(scope="session")
def exemple_compile():
    """L'exemple livré (40 organisations), compilé une fois : (registre, collecte, conso)."""
    from barometre_cli.compilation.consolidation import consolider
    from barometre_cli.domaine.registre import lire_registre

    exemples = RACINE / "exemples"
    registre = lire_registre(exemples / "registre.csv")
    collecte = collecter(exemples / "classeurs", registre, "2026", jobs=2)
    return registre, collecte, consolider(collecte)


@pytest.fixture(scope="session")
def site_validateur(tmp_path_factory):
    """Le site du vérificateur construit une fois (Pyodide de node_modules, compilé par Node)."""
    from barometre_cli.validateur.site import (
        VERSION_PYODIDE,
        construire_site,
        dossier_pyodide_par_defaut,
    )

    if not (dossier_pyodide_par_defaut() / "package.json").is_file():
        pytest.skip(
            f"node_modules/pyodide absent : npm ci (ou npm install pyodide@{VERSION_PYODIDE})"
        )
    if shutil.which("node") is None:
        pytest.skip("Node.js absent : il compile le Python de la page (apt-get install nodejs)")
    return construire_site(tmp_path_factory.mktemp("validateur") / "site")
