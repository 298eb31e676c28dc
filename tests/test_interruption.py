"""Ctrl+C, SIGTERM, sorties verrouillées et compilations simultanées, de bout en bout.

Chaque scénario lance la vraie commande dans un processus (son propre groupe, comme un
terminal), lui envoie le signal à un moment choisi d'après ce qu'elle a posé sur le disque
(verrou, brouillon), puis vérifie : sortie en 2 s au plus, code 130, la phrase en français,
aucun processus restant dans le groupe, sorties précédentes identiques octet pour octet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.ecriture.verrou import NOM_VERROU
from tests.outils import classeur, octets
from tests.test_ensemble import PRECEDENTES, contenu

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or os.name == "nt", reason="/proc et signaux POSIX"
)
runner = CliRunner()
RACINE = Path(__file__).resolve().parents[1]
NB_CLASSEURS = 300
DELAI_MAX = 2.0


@pytest.fixture(scope="module")
def recus(tmp_path_factory) -> Path:
    """300 petits classeurs de la cible 4.1, une organisation chacun."""
    dossier = tmp_path_factory.mktemp("recus")
    valeurs = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}
    for i in range(NB_CLASSEURS):
        code = f"O{i:03d}"
        (dossier / f"{code}-4.1.xlsx").write_bytes(octets("4.1", valeurs, code=code))
    return dossier


@pytest.fixture
def sortie(tmp_path) -> Path:
    dossier = tmp_path / "resultats"
    for nom, donnees in PRECEDENTES.items():
        (dossier / nom).parent.mkdir(parents=True, exist_ok=True)
        (dossier / nom).write_bytes(donnees)
    return dossier


def _lancer(*arguments: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    return subprocess.Popen(
        [sys.executable, "-m", "barometre_cli", *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # son propre groupe : Ctrl+C d'un terminal atteint tout le groupe
    )


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _groupe(pgid: int) -> list[int]:
    """Les processus vivants (non zombies) du groupe."""
    vivants = []
    for entree in Path("/proc").iterdir():
        champs = _stat(int(entree.name)) if entree.name.isdigit() else None
        if champs and int(champs[2]) == pgid and champs[0] != "Z":
            vivants.append(int(entree.name))
    return vivants


def _enfants(pid: int) -> list[int]:
    return [p for p in _groupe(pid) if (champs := _stat(p)) and int(champs[1]) == pid]


def _attendre(condition, processus: subprocess.Popen, delai: float = 120) -> None:
    fin = time.monotonic() + delai
    while not condition():
        if processus.poll() is not None:
            pytest.fail(f"la commande a fini avant le signal : {processus.communicate()}")
        if time.monotonic() > fin:
            processus.kill()
            pytest.fail("moment du signal jamais atteint")
        time.sleep(0.02)


def _signaler(processus: subprocess.Popen, numero: int, groupe: bool = True) -> tuple[float, str]:
    """Envoie le signal ; rend le temps de sortie et la sortie d'erreur. Rien ne doit rester."""
    debut = time.monotonic()
    if groupe:
        os.killpg(processus.pid, numero)
    else:
        os.kill(processus.pid, numero)
    try:
        _, erreurs = processus.communicate(timeout=30)
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGKILL)
    duree = time.monotonic() - debut
    time.sleep(0.1)
    assert _groupe(processus.pid) == [], "un processus de lecture a survécu"
    return duree, erreurs


def _en_lecture(processus: subprocess.Popen, sortie: Path):
    return lambda: (sortie / NOM_VERROU).exists() and len(_enfants(processus.pid)) >= 2


def _en_ecriture(sortie: Path):
    return lambda: any(sortie.glob(".barometre-ecriture-*/nouveau/fiches/*"))


@pytest.mark.parametrize("moment", ["lecture", "ecriture"])
def test_ctrl_c_pendant_la_compilation(recus, sortie, moment):
    avant = contenu(sortie)
    processus = _lancer("compiler", str(recus), "-o", str(sortie), "-j", "2", "--fiches")
    condition = _en_lecture(processus, sortie) if moment == "lecture" else _en_ecriture(sortie)
    _attendre(condition, processus)
    duree, erreurs = _signaler(processus, signal.SIGINT)
    assert processus.returncode == 130, erreurs
    assert duree <= DELAI_MAX
    assert (
        f"Compilation interrompue (Ctrl+C) : aucun fichier de « {sortie} » n'a été modifié."
        in erreurs
    )
    assert "Traceback" not in erreurs
    assert contenu(sortie) == avant  # ni verrou, ni brouillon, ni fichier neuf


def test_sigterm_pendant_la_lecture(recus, sortie):
    avant = contenu(sortie)
    processus = _lancer("compiler", str(recus), "-o", str(sortie), "-j", "2")
    _attendre(_en_lecture(processus, sortie), processus)
    duree, erreurs = _signaler(processus, signal.SIGTERM, groupe=False)  # au seul parent
    assert processus.returncode == 130 and duree <= DELAI_MAX, erreurs
    assert "Compilation interrompue (arrêt demandé par le système)" in erreurs
    assert contenu(sortie) == avant


def test_deux_compilations_vers_le_meme_dossier(recus, sortie):
    avant = contenu(sortie)
    premiere = _lancer("compiler", str(recus), "-o", str(sortie), "-j", "2")
    _attendre(_en_lecture(premiere, sortie), premiere)
    seconde = _lancer("compiler", str(recus), "-o", str(sortie), "-j", "2")
    _, erreurs = seconde.communicate(timeout=60)
    assert seconde.returncode == 2, erreurs
    assert f"une autre opération écrit déjà dans « {sortie} »" in " ".join(erreurs.split())
    assert f"processus {premiere.pid}" in erreurs
    assert premiere.poll() is None  # la première continue, intacte
    _, erreurs = _signaler(premiere, signal.SIGINT)
    assert premiere.returncode == 130, erreurs
    assert contenu(sortie) == avant


def test_compilation_tuee_ne_bloque_pas_le_dossier(recus, sortie, tmp_path):
    processus = _lancer("compiler", str(recus), "-o", str(sortie), "-j", "2")
    _attendre(_en_lecture(processus, sortie), processus)
    _signaler(processus, signal.SIGKILL)  # rien ne peut l'attraper : le verrou reste sur le disque
    assert (sortie / NOM_VERROU).exists()
    petit = tmp_path / "petit"
    classeur(petit, "a.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"})
    resultat = runner.invoke(app, ["compiler", str(petit), "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    assert not (sortie / NOM_VERROU).exists()
    assert (sortie / "journal.csv").read_bytes() != PRECEDENTES["journal.csv"]


def _petit_dossier(tmp_path: Path, retenu: bool = True) -> Path:
    dossier = tmp_path / "recus"
    valeur = "Oui" if retenu else "Peut-être"
    classeur(
        dossier, "a.xlsx", "4.1", {"c4_1_plan_depose": valeur, "c4_1_initiative_terminee": "Oui"}
    )
    return dossier


@pytest.mark.parametrize("retenu", [True, False], ids=["ensemble", "journal-seul"])
def test_journal_verrouille_rien_ne_change_et_le_fichier_est_nomme(
    tmp_path, sortie, immuable, retenu
):
    """Comme un journal.csv ouvert dans Excel sous Windows (simulé par chattr +i)."""
    dossier = _petit_dossier(tmp_path, retenu)
    avant = contenu(sortie)
    immuable(sortie / "journal.csv")
    resultat = runner.invoke(app, ["compiler", str(dossier), "-o", str(sortie)])
    assert resultat.exit_code == 2, resultat.output
    message = " ".join(resultat.output.split())
    assert "« journal.csv » est en lecture seule ou protégé" in message
    assert "Fermez journal.csv s'il est ouvert dans Excel" in message
    assert "puis relancez la compilation" in message
    assert contenu(sortie) == avant


def test_gabarits_interrompus_puis_verrouilles(tmp_path, immuable):
    registre = tmp_path / "registre.csv"
    registre.write_text(
        "code,nom,reseau\n"
        + "".join(f"O{i:02d},Organisation {i},Administration publique\n" for i in range(40)),
        encoding="utf-8",
    )
    gabarits = tmp_path / "gabarits"
    precedent = gabarits / "O00" / "barometre-2026-cible-1.1-O00.xlsx"
    precedent.parent.mkdir(parents=True)
    precedent.write_bytes(b"gabarit precedent")
    avant = contenu(gabarits)

    processus = _lancer("gabarit", "-r", str(registre), "-p", "2026", "-o", str(gabarits))
    _attendre(
        lambda: len(list(gabarits.glob(".barometre-ecriture-*/nouveau/*/*.xlsx"))) >= 30,
        processus,
    )
    duree, erreurs = _signaler(processus, signal.SIGINT)
    assert processus.returncode == 130 and duree <= DELAI_MAX, erreurs
    assert f"Production des gabarits interrompue (Ctrl+C) : aucun fichier de « {gabarits} »" in (
        " ".join(erreurs.split())
    )
    assert contenu(gabarits) == avant

    immuable(precedent)
    resultat = runner.invoke(
        app, ["gabarit", "-r", str(registre), "-p", "2026", "-o", str(gabarits)]
    )
    assert resultat.exit_code == 2, resultat.output
    message = " ".join(resultat.output.split())
    assert "« O00/barometre-2026-cible-1.1-O00.xlsx » est en lecture seule" in message
    assert "relancez la production des gabarits" in message
    assert contenu(gabarits) == avant
