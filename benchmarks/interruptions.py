"""Expérience : des compilations interrompues à un moment tiré au hasard (Linux, /proc).

    python benchmarks/interruptions.py                 # 20 essais, 300 classeurs, avec --fiches
    python benchmarks/interruptions.py --essais 5 --classeurs 100

Une compilation de référence écrit les sorties précédentes et donne la durée totale T. Chaque
essai relance la même compilation dans son propre groupe de processus et lui envoie SIGINT
(comme Ctrl+C dans un terminal, à tout le groupe) après un délai tiré entre 0 et T. On mesure
le temps jusqu'à la fin du processus, le code de sortie, la phrase affichée, les processus
restés dans le groupe et les sorties précédentes, qui doivent être identiques octet pour octet.
Puis une sortie verrouillée (`chattr +i journal.csv`, comme un journal ouvert dans Excel sous
Windows) : aucune sortie ne doit changer et le message doit nommer le fichier.
Ce n'est pas un test : la suite en garde une version réduite (tests/test_interruption.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))


def fabriquer(dossier: Path, n: int) -> None:
    from tests.outils import octets

    if dossier.is_dir() and len(list(dossier.glob("*.xlsx"))) == n:
        return
    shutil.rmtree(dossier, ignore_errors=True)
    dossier.mkdir(parents=True)
    valeurs = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}
    for i in range(n):
        code = f"O{i:04d}"
        (dossier / f"{code}-4.1.xlsx").write_bytes(octets("4.1", valeurs, code=code))


def empreintes(dossier: Path) -> dict[str, str]:
    return {
        p.relative_to(dossier).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def groupe(pgid: int) -> list[int]:
    vivants = []
    for entree in Path("/proc").iterdir():
        champs = _stat(int(entree.name)) if entree.name.isdigit() else None
        if champs and int(champs[2]) == pgid and champs[0] != "Z":
            vivants.append(int(entree.name))
    return vivants


def phase(pid: int, sortie: Path) -> str:
    """Où en est la compilation, d'après ce qu'elle a posé sur le disque."""
    if any(sortie.glob(".barometre-ecriture-*")):
        return "écriture"
    if not (sortie / ".barometre-verrou").exists():
        return "démarrage"
    if any(p != pid for p in groupe(pid)):
        return "lecture"
    return "calcul"


def lancer(recus: Path, sortie: Path, jobs: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    commande = [sys.executable, "-m", "barometre_cli", "compiler", str(recus), "-o", str(sortie)]
    return subprocess.Popen(
        [*commande, "--fiches", "-j", str(jobs)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def essai(recus: Path, sortie: Path, jobs: int, delai: float, avant: dict) -> dict:
    processus = lancer(recus, sortie, jobs)
    time.sleep(delai)
    if processus.poll() is not None:
        processus.communicate()
        return {"delai": delai, "phase": "terminée avant le signal", "code": processus.returncode}
    ou = phase(processus.pid, sortie)
    debut = time.monotonic()
    os.killpg(processus.pid, signal.SIGINT)
    try:
        _, erreurs = processus.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(processus.pid, signal.SIGKILL)
        _, erreurs = processus.communicate()
    duree = time.monotonic() - debut
    time.sleep(0.1)
    intactes = empreintes(sortie) == avant
    if processus.returncode == 0:  # publiée juste avant le signal : la nouvelle référence
        avant.clear()
        avant.update(empreintes(sortie))
    return {
        "delai": delai,
        "phase": ou,
        "code": processus.returncode,
        "duree": duree,
        "restants": len(groupe(processus.pid)),
        "intactes": intactes,
        "message": "interrompue" in erreurs and "n'a été modifié" in erreurs,
        "trace": "Traceback" in erreurs,
    }


def sortie_verrouillee(recus: Path, sortie: Path, jobs: int) -> dict:
    avant = empreintes(sortie)
    journal = sortie / "journal.csv"
    if subprocess.run(["chattr", "+i", str(journal)], capture_output=True).returncode != 0:
        return {"saute": "chattr +i indisponible"}
    try:
        processus = lancer(recus, sortie, jobs)
        _, erreurs = processus.communicate(timeout=300)
    finally:
        subprocess.run(["chattr", "-i", str(journal)], check=True)
    return {
        "code": processus.returncode,
        "intactes": empreintes(sortie) == avant,
        "message": " ".join(erreurs.split()),
    }


def main() -> None:
    analyse = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyse.add_argument("--classeurs", type=int, default=300)
    analyse.add_argument("--essais", type=int, default=20)
    analyse.add_argument("--jobs", type=int, default=2)
    analyse.add_argument("--graine", type=int, default=12)
    options = analyse.parse_args()

    cache = RACINE / "benchmarks" / "cache"
    recus = cache / f"interruptions-{options.classeurs}"
    fabriquer(recus, options.classeurs)
    sortie = cache / "interruptions-sortie"
    shutil.rmtree(sortie, ignore_errors=True)
    debut = time.monotonic()
    reference = lancer(recus, sortie, options.jobs)
    reference.communicate()
    total = time.monotonic() - debut
    assert reference.returncode == 0, "la compilation de référence a échoué"
    avant = empreintes(sortie)
    print(
        f"{options.classeurs} classeurs, --fiches, -j {options.jobs} : référence en {total:.1f} s"
    )

    hasard = random.Random(options.graine)
    resultats = []
    for i in range(options.essais):
        r = essai(recus, sortie, options.jobs, hasard.uniform(0, total), avant)
        resultats.append(r)
        if "duree" in r:
            print(f"{i + 1:2d}. signal à {r['delai']:5.2f} s ({r['phase']:9s}) : code {r['code']}, "
                  f"fini en {r['duree']:.2f} s, {r['restants']} processus restant(s), sorties "
                  f"{'intactes' if r['intactes'] else 'CHANGÉES'}, message "
                  f"{'oui' if r['message'] else 'NON'}{', TRACE' if r['trace'] else ''}")  # fmt: skip
        else:
            print(f"{i + 1:2d}. signal à {r['delai']:5.2f} s : {r['phase']} (code {r['code']})")

    interrompus = [r for r in resultats if "duree" in r]
    if interrompus:
        durees = [r["duree"] for r in interrompus]
        print(
            f"\n{len(interrompus)} interrompues : fin en {max(durees):.2f} s au plus "
            f"(médiane {statistics.median(durees):.2f} s) ; codes "
            f"{sorted({r['code'] for r in interrompus})} ; processus restants "
            f"{sum(r['restants'] for r in interrompus)} ; sorties intactes "
            f"{sum(r['intactes'] for r in interrompus)}/{len(interrompus)} ; message "
            f"{sum(r['message'] for r in interrompus)}/{len(interrompus)} ; traces "
            f"{sum(r['trace'] for r in interrompus)} ; phases "
            f"{dict(sorted((p, [r['phase'] for r in interrompus].count(p)) for p in {r['phase'] for r in interrompus}))}"
        )
    verrou = sortie_verrouillee(recus, sortie, options.jobs)
    print(f"\njournal.csv verrouillé (chattr +i) : {verrou}")


if __name__ == "__main__":
    main()
