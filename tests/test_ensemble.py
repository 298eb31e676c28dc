"""Les sorties publiées comme un tout, le verrou du dossier, et Ctrl+C dans la bibliothèque."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.ecriture import echange as module_echange
from barometre_cli.ecriture import ensemble as module_ensemble
from barometre_cli.ecriture import interruption
from barometre_cli.ecriture.ensemble import (
    Ensemble,
    ecrire_ensemble,
    message_irremplacable,
    verifier_remplacables,
)
from barometre_cli.ecriture.interruption import Interrompu, differer, interruptible
from barometre_cli.ecriture.verrou import NOM_VERROU, verrouiller
from tests.outils import classeur

runner = CliRunner()
RACINE = Path(__file__).resolve().parents[1]
PRECEDENTES = {
    "sommaire.xlsx": b"sommaire precedent",
    "resultats.csv": b"resultats precedents",
    "journal.csv": b"journal precedent",
    "fiches/fiche-A.xlsx": b"fiche A precedente",
    "fiches/fiche-Z.xlsx": b"fiche Z d'une organisation qui n'est plus au registre",
}


def contenu(dossier: Path) -> dict[str, bytes]:
    """Tout le dossier, octet pour octet (fichiers cachés compris : rien ne doit traîner)."""
    return {
        p.relative_to(dossier).as_posix(): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(params=["echange", "renommages"])
def mode(request, monkeypatch) -> str:
    """Les deux façons de publier : par échange de dossiers (Linux) et par renommages sous
    manifeste (Windows, macOS, ou là où l'échange est impossible)."""
    if request.param == "echange" and not module_echange.echange_disponible():
        pytest.skip("pas d'échange atomique de dossiers sur ce système")
    monkeypatch.setattr(Ensemble, "echange", request.param == "echange")
    return request.param


@pytest.fixture
def renommages(monkeypatch) -> None:
    """Publier par renommages, comme sous Windows."""
    monkeypatch.setattr(Ensemble, "echange", False)


@pytest.fixture
def sortie(tmp_path) -> Path:
    dossier = tmp_path / "resultats"
    for nom, octets in PRECEDENTES.items():
        (dossier / nom).parent.mkdir(parents=True, exist_ok=True)
        (dossier / nom).write_bytes(octets)
    return dossier


def _ecrire_nouvelles(brouillon: Path) -> list[Path]:
    (brouillon / "fiches").mkdir()
    (brouillon / "fiches" / "fiche-A.xlsx").write_bytes(b"fiche A neuve")
    for nom in ("sommaire.xlsx", "resultats.csv", "journal.csv"):
        (brouillon / nom).write_bytes(f"{nom} neuf".encode())
    return [brouillon / n for n in ("sommaire.xlsx", "resultats.csv", "journal.csv", "fiches")]


def test_publication_remplace_tout_d_un_coup_et_ne_laisse_rien(mode, sortie):
    (sortie / "notes.txt").write_text("à l'analyste", encoding="utf-8")
    ecrits = ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert ecrits == [
        sortie / n for n in ("sommaire.xlsx", "resultats.csv", "journal.csv", "fiches")
    ]
    assert contenu(sortie) == {
        "fiches/fiche-A.xlsx": b"fiche A neuve",  # fiches/ remplacé en entier : Z est parti
        "journal.csv": b"journal.csv neuf",
        "notes.txt": "à l'analyste".encode(),  # ce que l'opération n'écrit pas reste
        "resultats.csv": b"resultats.csv neuf",
        "sommaire.xlsx": b"sommaire.xlsx neuf",
    }
    assert sorted(p.name for p in sortie.iterdir()) == [
        "fiches", "journal.csv", "notes.txt", "resultats.csv", "sommaire.xlsx"]  # fmt: skip


def test_un_ecrivain_qui_echoue_en_chemin_ne_change_rien(mode, sortie):
    avant = contenu(sortie)

    def echoue(brouillon: Path) -> list[Path]:
        (brouillon / "sommaire.xlsx").write_bytes(b"neuf")
        (brouillon / "journal.csv").write_bytes(b"neuf")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        ecrire_ensemble(sortie, echoue)
    assert contenu(sortie) == avant  # ni brouillon, ni verrou, ni fichier neuf


def test_un_renommage_qui_echoue_en_chemin_est_defait(renommages, sortie, monkeypatch):
    """Le troisième remplacement échoue : les deux premiers reprennent leur version précédente."""
    avant = contenu(sortie)
    vrai = os.rename
    places: list[str] = []

    def renommer(source, destination):
        if Path(source).parent.name == "nouveau":  # une nouvelle sortie prend sa place
            if len(places) == 2:
                raise PermissionError(13, "Permission denied")
            places.append(Path(destination).name)
        return vrai(source, destination)

    monkeypatch.setattr(module_ensemble.os, "rename", renommer)
    with pytest.raises(BarometreErreur) as erreur:
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert places == ["sommaire.xlsx", "resultats.csv"]
    assert "« journal.csv »" in str(erreur.value)
    assert f"Rien n'a été modifié dans « {sortie} »" in str(erreur.value)
    assert contenu(sortie) == avant


def test_une_remise_en_place_ratee_garde_les_versions_precedentes(renommages, sortie, monkeypatch):
    """Pire cas : ni publier ni défaire. Les versions précédentes restent, et on dit où."""
    vrai = os.rename

    def renommer(source, destination):
        if Path(source).parent.name == "anciens" or "journal" in str(destination):
            raise PermissionError(13, "Permission denied")
        return vrai(source, destination)

    monkeypatch.setattr(module_ensemble.os, "rename", renommer)
    with pytest.raises(BarometreErreur) as erreur:
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    message = str(erreur.value)
    assert "n'ont pas pu être remis en place" in message and "anciens" in message
    gardes = next(sortie.glob(".barometre-ecriture-*")) / "anciens"
    assert (gardes / "sommaire.xlsx").read_bytes() == PRECEDENTES["sommaire.xlsx"]


def test_une_sortie_protegee_est_nommee_et_rien_ne_change(mode, sortie, immuable):
    avant = contenu(sortie)
    immuable(sortie / "journal.csv")
    with pytest.raises(BarometreErreur) as erreur:
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    message = str(erreur.value)
    assert message.startswith("« journal.csv » est en lecture seule ou protégé")
    assert "Fermez journal.csv s'il est ouvert dans Excel" in message
    assert "puis relancez la compilation" in message
    assert contenu(sortie) == avant


def test_une_fiche_protegee_bloque_tout_l_ensemble(mode, sortie, immuable):
    avant = contenu(sortie)
    immuable(sortie / "fiches" / "fiche-Z.xlsx")
    with pytest.raises(BarometreErreur, match=r"« fiches/fiche-Z\.xlsx »"):
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert contenu(sortie) == avant


def test_un_dossier_de_sortie_protege_est_refuse_avant_tout(sortie, immuable):
    avant = contenu(sortie)
    immuable(sortie)
    with pytest.raises(BarometreErreur, match="impossible d'écrire dans le dossier"):
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert contenu(sortie) == avant


def test_ouvert_dans_excel_sous_windows():
    """Sous Windows, un fichier ouvert dans Excel refuse l'écriture : violation de partage (32)."""
    exc = PermissionError(13, "Le processus ne peut pas accéder au fichier")
    exc.winerror = 32  # ce que Python met sous Windows
    message = message_irremplacable(Path("r/journal.csv"), Path("r"), exc)
    assert message.startswith("« journal.csv » est ouvert dans un autre programme")
    assert "Fermez journal.csv dans Excel" in message and "relancez la compilation" in message


def test_verifier_remplacables_ignore_ce_qui_n_existe_pas(tmp_path):
    verifier_remplacables(tmp_path, ["sommaire.xlsx", "fiches"])


def test_brouillon_abandonne_par_une_operation_tombee_est_efface(mode, sortie):
    abandonne = sortie / ".barometre-ecriture-vieux" / "nouveau"
    abandonne.mkdir(parents=True)
    (abandonne / "sommaire.xlsx").write_bytes(b"moitie")
    ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert not list(sortie.glob(".barometre-*"))


# --- Le verrou du dossier -----------------------------------------------------------------


def _tenir_verrou(dossier: Path) -> subprocess.Popen:
    """Un autre processus qui tient le verrou du dossier jusqu'à ce qu'on l'arrête."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from barometre_cli.ecriture.verrou import verrouiller\n"
        f"with verrouiller(Path({str(dossier)!r}), 'la compilation'):\n"
        "    print('tenu', flush=True)\n"
        "    time.sleep(60)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    processus = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )
    assert processus.stdout.readline().strip() == "tenu"
    return processus


def test_verrou_tenu_par_un_autre_processus_refuse_avec_son_numero(sortie):
    avant = contenu(sortie)
    autre = _tenir_verrou(sortie)
    try:
        with pytest.raises(BarometreErreur) as erreur:
            ecrire_ensemble(sortie, _ecrire_nouvelles)
        message = str(erreur.value)
        assert message.startswith(f"une autre opération écrit déjà dans « {sortie} »")
        assert f"processus {autre.pid}" in message and "lancée le" in message
        assert "Attendez qu'elle se termine" in message
        assert contenu(sortie) == {**avant, NOM_VERROU: (sortie / NOM_VERROU).read_bytes()}
    finally:
        autre.kill()
        autre.wait()
    # Tué sans rien rendre (kill -9) : le système a rendu le verrou, le dossier est libre.
    ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert not (sortie / NOM_VERROU).exists()


def test_verrou_laisse_par_un_processus_mort_est_repris(sortie):
    mort = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    (sortie / NOM_VERROU).write_text(
        json.dumps({"operation": "la compilation", "pid": int(mort.stdout), "machine": "x",
                    "debut": "2026-05-01T14:02:11"}), encoding="utf-8")  # fmt: skip
    ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert (sortie / "journal.csv").read_bytes() == b"journal.csv neuf"
    assert not (sortie / NOM_VERROU).exists()


def test_sans_verrous_du_systeme_on_publie_quand_meme(sortie, monkeypatch):
    """Un ancien partage réseau sans verrous (ENOLCK) : travailler, pas refuser."""
    import errno

    from barometre_cli.ecriture import verrou

    def sans_verrou(fichier):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(verrou, "_poser_verrou", sans_verrou)
    ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert (sortie / "journal.csv").read_bytes() == b"journal.csv neuf"
    assert not (sortie / NOM_VERROU).exists()


def test_verrou_reentrant_dans_le_meme_fil_refuse_a_un_autre_fil(tmp_path):
    erreurs: list[BaseException] = []

    def ailleurs() -> None:
        try:
            with verrouiller(tmp_path, "la compilation"):
                pass
        except BarometreErreur as exc:
            erreurs.append(exc)

    with verrouiller(tmp_path, "la compilation"), verrouiller(tmp_path, "la compilation"):
        fil = threading.Thread(target=ailleurs)
        fil.start()
        fil.join()
    assert len(erreurs) == 1 and "de ce programme" in str(erreurs[0])
    assert list(tmp_path.iterdir()) == []


def test_dossier_cree_pour_rien_est_retire(tmp_path):
    nouveau = tmp_path / "neuf"

    def echoue(brouillon: Path) -> list[Path]:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        ecrire_ensemble(nouveau, echoue)
    assert not nouveau.exists()


# --- Ctrl+C dans la bibliothèque ----------------------------------------------------------


def _signal_dans(secondes: float, numero: int = signal.SIGINT) -> threading.Timer:
    minuterie = threading.Timer(secondes, os.kill, (os.getpid(), numero))
    minuterie.start()
    return minuterie


def test_interruptible_leve_interrompu_et_rend_les_gestionnaires():
    avant = signal.getsignal(signal.SIGINT)
    with pytest.raises(Interrompu) as exc, interruptible("Compilation", "rien n'a changé."):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert (
        str(exc.value)
        == "Compilation interrompue (arrêt demandé par le système) : rien n'a changé."
    )
    assert signal.getsignal(signal.SIGINT) is avant


def test_un_signal_recu_ignore_reste_ignore():
    """Tâche de fond d'un script, `nohup` : le Ctrl+C du terminal ne la concerne pas."""
    avant = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interruptible("Compilation", "rien."):
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
    finally:
        signal.signal(signal.SIGINT, avant)


def test_section_critique_va_au_bout_puis_s_arrete():
    etapes = []
    with pytest.raises(Interrompu), interruptible("Compilation", "rien."):
        with differer():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            etapes.append("fin de la section")
        etapes.append("après")  # jamais atteint
    assert etapes == ["fin de la section"]


def test_signal_pendant_la_publication_defait_tout(renommages, sortie, monkeypatch):
    """Ctrl+C tombé entre deux renommages : la publication est défaite, puis `Interrompu`."""
    avant = contenu(sortie)
    vrai = os.rename

    def renommer(source, destination):
        if Path(destination).name == "resultats.csv" and Path(destination).parent == sortie:
            os.kill(os.getpid(), signal.SIGINT)
        return vrai(source, destination)

    monkeypatch.setattr(module_ensemble.os, "rename", renommer)
    with pytest.raises(Interrompu), interruptible("Compilation", "rien."):
        ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert contenu(sortie) == avant


def test_signal_apres_la_publication_arrive_trop_tard(mode, sortie, monkeypatch):
    vrai = shutil.rmtree

    def effacer(chemin, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # pendant l'effacement des versions précédentes
        return vrai(chemin, *args, **kwargs)

    monkeypatch.setattr(module_ensemble.shutil, "rmtree", effacer)
    with interruptible("Compilation", "rien."):
        ecrire_ensemble(sortie, _ecrire_nouvelles)
        assert not interruption.demandee()
    assert (sortie / "journal.csv").read_bytes() == b"journal.csv neuf"


def _lire_lentement(lot: list[int]) -> list[int]:
    time.sleep(30)
    return lot


def _enfants() -> list[int]:
    moi, enfants = os.getpid(), []
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                stat = (entree / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == moi:
                enfants.append(int(entree.name))
    return enfants


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="/proc requis")
def test_processus_de_lecture_arretes_a_ctrl_c():
    from barometre_cli.compilation.processus import repartir

    minuterie = _signal_dans(0.5)
    debut = time.monotonic()
    with pytest.raises(Interrompu), interruptible("Compilation", "rien."):
        repartir([[1], [2], [3]], 2, _lire_lentement, lambda e, c: -e, lambda n: None)
    minuterie.join()
    assert time.monotonic() - debut < 2.5
    assert multiprocessing.active_children() == []
    assert _enfants() == []


def test_annoter_interrompu_ne_laisse_aucun_temporaire(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from barometre_cli.commandes import valider

    fichier = classeur(tmp_path, "a.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2})
    vrai = Workbook.save

    def enregistrer(self, chemin):
        vrai(self, chemin)  # le temporaire est écrit en entier…
        os.kill(os.getpid(), signal.SIGINT)  # … puis Ctrl+C avant le renommage
        time.sleep(0.05)

    monkeypatch.setattr(Workbook, "save", enregistrer)
    with pytest.raises(Interrompu) as exc:
        valider([fichier], annoter=True)
    assert "aucun classeur n'a été modifié" in str(exc.value)
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]

    resultat = runner.invoke(app, ["valider", str(fichier), "--annoter"])
    assert resultat.exit_code == 130, resultat.output
    assert "Vérification interrompue (Ctrl+C) : aucun classeur n'a été modifié" in resultat.output
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_ensemble_hors_bloc_with_refuse():
    with pytest.raises(AssertionError):
        _ = Ensemble(Path(".")).brouillon


# --- Publication qui survit à une panne (issue 19) ---------------------------------------------


def _echange_requis() -> None:
    if not module_echange.echange_disponible():
        pytest.skip("pas d'échange atomique de dossiers sur ce système")


def test_echange_garde_les_fichiers_non_ecrits_et_le_verrou(sortie):
    """Le dossier est échangé d'un coup avec son reflet : les fichiers que l'opération n'écrit
    pas sont les mêmes fichiers (liens physiques), et le verrou reste tenu jusqu'au bout."""
    _echange_requis()
    (sortie / "notes.txt").write_text("à l'analyste", encoding="utf-8")
    notes, dossier = (sortie / "notes.txt").stat().st_ino, sortie.stat().st_ino
    with verrouiller(sortie, "la compilation"):
        ecrire_ensemble(sortie, _ecrire_nouvelles)
        assert sortie.stat().st_ino != dossier  # échangé
        assert (sortie / "notes.txt").stat().st_ino == notes  # le même fichier
        autre = subprocess.run(
            [sys.executable, "-c", "from pathlib import Path\n"
             "from barometre_cli.ecriture.verrou import verrouiller\n"
             f"with verrouiller(Path({str(sortie)!r}), 'la compilation'): pass"],
            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(RACINE)),
        )  # fmt: skip
        assert "une autre opération écrit déjà" in autre.stderr
    assert contenu(sortie)["journal.csv"] == b"journal.csv neuf"
    assert not list(sortie.parent.glob(".resultats.barometre-echange-*"))
    assert not list(sortie.glob(".barometre-*"))


def test_dossier_de_travail_publie_par_renommages(sortie, monkeypatch):
    """Le shell qui a lancé la commande ne doit pas se retrouver dans un dossier effacé."""
    _echange_requis()
    monkeypatch.chdir(sortie)
    dossier = sortie.stat().st_ino
    ecrire_ensemble(sortie, _ecrire_nouvelles)
    assert sortie.stat().st_ino == dossier and Path.cwd().samefile(sortie)
    assert contenu(sortie)["sommaire.xlsx"] == b"sommaire.xlsx neuf"


def test_reflet_abandonne_efface_et_dit(sortie):
    """Un reflet laissé par un échange tué : effacé, et l'avis dit quel ensemble est en place."""
    from barometre_cli.ecriture.ensemble import reprendre

    (sortie.parent / ".resultats.barometre-echange-abc_1-xyz").mkdir()
    (sortie.parent / ".resultats.barometre-echange-abc_1-xyz" / "journal.csv").write_bytes(b"x")
    (sortie.parent / ".resultats.barometre-echange-def_2-uvw").mkdir()
    (sortie / ".barometre-ecriture-def_2" / "nouveau").mkdir(parents=True)
    avis = reprendre(sortie)
    assert [a.split(" : ", 1)[1][:34] for a in avis] == [
        "le dossier contient ses nouvelles ",  # échange fait : le brouillon est parti avec
        "le dossier contient les sorties pr",  # brouillon encore là : échange jamais fait
    ]
    assert sorted(p.name for p in sortie.parent.iterdir()) == ["resultats"]
    assert contenu(sortie) == PRECEDENTES


def test_remise_en_place_impossible_arrete_tout_et_le_dit(renommages, sortie, monkeypatch):
    """Une version précédente qui ne peut pas reprendre sa place (ouverte dans Excel) : rien
    d'autre ne se fait, le message nomme le fichier ; la reprise suivante finit le travail."""
    from barometre_cli.ecriture.ensemble import MANIFESTE, reprendre

    racine = sortie / ".barometre-ecriture-tue"
    (racine / "anciens").mkdir(parents=True)
    (racine / "nouveau").mkdir()
    os.rename(sortie / "journal.csv", racine / "anciens" / "journal.csv")
    (sortie / "journal.csv").write_bytes(b"journal neuf")  # placé avant la panne
    (racine / MANIFESTE).write_text(json.dumps({"elements": ["journal.csv"], "crees": []}))
    vrai = os.rename

    def renommer(source, destination):
        if Path(source).name == "journal.csv" and Path(source).parent.name == "anciens":
            raise PermissionError(13, "Permission denied")
        return vrai(source, destination)

    monkeypatch.setattr(module_ensemble.os, "rename", renommer)
    with pytest.raises(BarometreErreur) as erreur:
        reprendre(sortie)
    assert "« journal.csv » ne peut pas retrouver sa version précédente" in str(erreur.value)
    assert (racine / MANIFESTE).exists()
    monkeypatch.setattr(module_ensemble.os, "rename", vrai)
    assert "1 élément(s) ont retrouvé leur version précédente" in reprendre(sortie)[0]
    assert contenu(sortie) == PRECEDENTES


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork requis")
@pytest.mark.parametrize("publication", ["echange", "renommages"])
def test_compilation_tuee_apres_chaque_operation_de_sa_publication(tmp_path, publication):
    """SIGKILL après chaque opération de la publication (renommage, échange, lien, création,
    effacement) d'une vraie compilation, `--fiches` comprise (tests/panne_publication.py).

    Par échange (Linux), le dossier montre à chaque fois l'ensemble ancien entier ou le nouveau
    entier. Par renommages (comme sous Windows), il peut montrer un mélange juste après la mort,
    mais la compilation suivante le remet, avant toute chose, à l'ensemble ancien. Dans les deux
    cas, elle efface les restes et le dit ; `barometre compiler` relancé l'affiche."""
    if publication == "echange":
        _echange_requis()
    fin = subprocess.run(
        [sys.executable, "-m", "tests.panne_publication", str(tmp_path), publication],
        cwd=RACINE, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=str(RACINE)),
    )  # fmt: skip
    assert fin.returncode == 0, fin.stderr[-2000:]
    rapport = json.loads(fin.stdout)
    essais = rapport["essais"]
    assert len(essais) > 20 and not essais[-1]["tue"] and all(e["tue"] for e in essais[:-1])
    for e in essais:
        if publication == "echange":
            assert e["apres_mort"] in ("ancien", "nouveau"), e
        assert e["apres_reprise"] in ("ancien", "nouveau"), e
        if publication == "echange":
            assert e["apres_reprise"] == e["apres_mort"], e  # rien à défaire : déjà entier
        elif e["apres_mort"] == "melange":
            assert e["apres_reprise"] == "ancien", e  # renommages défaits
        assert e["restes_apres_reprise"] == [], e
        assert bool(e["avis"]) == bool(e["restes"]), e
    vus = [e["apres_mort"] for e in essais]
    assert vus[0] == "ancien" and vus[-1] == "nouveau"
    assert ("melange" in vus) is (publication == "renommages")
    cli = rapport["cli"]
    assert cli["restes"] and cli["code"] == 0, cli
    assert cli["erreur"].startswith("Reprise : Une opération précédente sur « "), cli
    assert cli["apres"] == "nouveau" and cli["restes_apres"] == []
