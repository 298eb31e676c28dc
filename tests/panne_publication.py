"""Tuer la compilation (SIGKILL) après chaque opération de sa publication, puis relancer.

Le programme compile une première collecte (l'ensemble « ancien »), puis, pour chaque k, copie
ce dossier de sortie, lance dans un processus enfant la compilation d'une collecte plus
complète (l'ensemble « nouveau ») et la tue juste après la k-ième opération de sa publication
(renommage, échange, lien, création ou effacement, vus par un crochet d'audit de Python).
Après chaque mort, il regarde le dossier : l'ensemble ancien entier, le nouveau entier, ou un
mélange ; puis il fait ce que fait la compilation suivante avant toute chose (`reprendre`, sous
le verrou) et regarde de nouveau, et cherche les restes cachés. Il écrit un rapport JSON.

    python -m tests.panne_publication DOSSIER [echange|renommages]

`renommages` publie comme sous Windows (pas d'échange de dossiers) : un mélange est alors
permis juste après la mort, pas après la reprise.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
#: Les opérations comptées : chacune change le disque (audit de Python, PEP 578).
OPERATIONS = {
    "os.rename",
    "os.link",
    "os.symlink",
    "os.mkdir",
    "os.remove",
    "os.rmdir",
    "barometre.echanger",
}


def _preparer(dossier: Path) -> tuple[Path, Path, Path]:
    """Deux collectes : l'ancienne (A seule), la nouvelle (A corrigée et B) ; un registre."""
    from tests.outils import classeur

    ancien, nouveau = dossier / "recus-ancien", dossier / "recus-nouveau"
    ratio = {"c1_1_numerateur": 1, "c1_1_denominateur": 4}
    classeur(ancien, "A/1.1.xlsx", "1.1", ratio, code="A")
    classeur(nouveau, "A/1.1.xlsx", "1.1", {**ratio, "c1_1_numerateur": 3}, code="A")
    classeur(nouveau, "B/1.1.xlsx", "1.1", ratio, code="B")
    classeur(nouveau, "B/4.2.xlsx", "4.2", {"c4_2_numerateur": 2, "c4_2_denominateur": 3}, code="B")
    registre = dossier / "registre.csv"
    registre.write_text(
        "code;nom;reseau\nA;Agence A;Administration publique\nB;Bureau B;Administration publique\n",
        encoding="utf-8",
    )
    return ancien, nouveau, registre


def _compiler(recus: Path, registre: Path, sortie: Path) -> list[str]:
    from barometre_cli.commandes import compiler

    return compiler(
        recus, registre=registre, periode="2026", sortie=sortie, avec=["fiches"], jobs=1,
        pendant=None,
    ).avis  # fmt: skip


def _visibles(sortie: Path) -> dict[str, str]:
    """Les sorties qu'un analyste voit : fichiers non cachés, avec leur SHA-256."""
    vus = {}
    for chemin in sorted(sortie.rglob("*")):
        relatif = chemin.relative_to(sortie)
        if chemin.is_file() and not any(p.startswith(".") for p in relatif.parts):
            vus[relatif.as_posix()] = hashlib.sha256(chemin.read_bytes()).hexdigest()
    return vus


def _restes(sortie: Path) -> list[str]:
    """Ce qu'une publication laisse quand elle est tuée : brouillon, reflet (dossier frère)."""
    return sorted(
        [p.name for p in sortie.glob(".barometre-ecriture-*")]
        + [p.name for p in sortie.parent.glob(f".{sortie.name}.barometre-echange-*")]
    )


class _Juge:
    """Dit si un dossier montre l'ensemble ancien, le nouveau, ou un mélange."""

    def __init__(self, ancien: dict[str, str], nouveau: dict[str, str], stables: set[str]):
        self.ancien, self.nouveau, self.stables = ancien, nouveau, stables

    def __call__(self, vus: dict[str, str]) -> str:
        if vus == self.ancien:
            return "ancien"
        if vus.keys() == self.nouveau.keys() and all(
            (h == self.nouveau[k]) if k in self.stables else (h != self.ancien.get(k))
            for k, h in vus.items()
        ):
            return "nouveau"
        return "melange"


def _tuer_apres(k: int, publication: list[bool], compte: list[int]):
    def crochet(evenement: str, _args: tuple) -> None:
        if publication[0] and evenement in OPERATIONS:
            compte[0] += 1
            if compte[0] > k:
                os.kill(os.getpid(), signal.SIGKILL)

    return crochet


def _instrumenter(publication: list[bool]) -> None:
    """Le crochet ne compte que pendant la publication ; l'échange (ctypes) s'annonce à l'audit."""
    from barometre_cli.ecriture import echange, ensemble

    vrai_publier, vrai_echanger = ensemble.Ensemble.publier, echange.echanger

    def publier(self, chemins):
        publication[0] = True
        return vrai_publier(self, chemins)

    def echanger(a, b):
        sys.audit("barometre.echanger", a, b)
        return vrai_echanger(a, b)

    ensemble.Ensemble.publier = publier
    echange.echanger = echanger


def _enfant(k: int, recus: Path, registre: Path, sortie: Path, fin: int) -> None:
    """Dans l'enfant : compiler, tué après la k-ième opération ; écrit le compte sur `fin`."""
    publication, compte = [False], [0]
    _instrumenter(publication)
    sys.addaudithook(_tuer_apres(k, publication, compte))
    try:
        _compiler(recus, registre, sortie)
    finally:
        os.write(fin, str(compte[0]).encode())
        os._exit(0)


def executer(dossier: Path, mode: str) -> dict:
    from barometre_cli.ecriture import ensemble
    from barometre_cli.ecriture.verrou import verrouiller

    ensemble.Ensemble.echange = mode == "echange"
    ancien_recus, nouveau_recus, registre = _preparer(dossier)
    modele = dossier / "modele" / "resultats"
    _compiler(ancien_recus, registre, modele)
    references = []
    for i in range(2):  # deux fois : les fichiers qui ne changent pas d'une fois à l'autre
        time.sleep(1.1 * i)  # (un classeur porte l'heure de son écriture, à la seconde)
        _compiler(nouveau_recus, registre, dossier / f"reference-{i}" / "resultats")
        references.append(_visibles(dossier / f"reference-{i}" / "resultats"))
    stables = {k for k, h in references[0].items() if references[1].get(k) == h}
    juge = _Juge(_visibles(modele), references[0], stables)
    essais, k = [], 0
    while True:
        sortie = dossier / f"essai-{k}" / "resultats"
        shutil.copytree(modele, sortie)
        lecture, ecriture = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - l'enfant
            os.close(lecture)
            _enfant(k, nouveau_recus, registre, sortie, ecriture)
        os.close(ecriture)
        _, statut = os.waitpid(pid, 0)
        compte = os.read(lecture, 64).decode() or "?"
        os.close(lecture)
        tue = os.WIFSIGNALED(statut) and os.WTERMSIG(statut) == signal.SIGKILL
        apres_mort, restes = juge(_visibles(sortie)), _restes(sortie)
        with verrouiller(sortie, "la compilation"):
            avis = ensemble.reprendre(sortie)
        essais.append(
            {
                "k": k,
                "tue": tue,
                "operations": compte,
                "apres_mort": apres_mort,
                "restes": restes,
                "apres_reprise": juge(_visibles(sortie)),
                "restes_apres_reprise": _restes(sortie),
                "avis": avis,
            }
        )
        if not tue:
            break
        shutil.rmtree(dossier / f"essai-{k}")
        k += 1
    return {
        "mode": mode,
        "stables": sorted(stables),
        "essais": essais,
        "cli": _cli_apres_panne(dossier, len(essais) // 2, nouveau_recus, registre, modele, juge),
    }


def _cli_apres_panne(
    dossier: Path, k: int, recus: Path, registre: Path, modele: Path, juge: _Juge
) -> dict:
    """Tuée à mi-chemin, puis relancée comme un analyste le ferait : `barometre compiler`."""
    import subprocess

    sortie = dossier / "cli" / "resultats"
    shutil.copytree(modele, sortie)
    lecture, ecriture = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - l'enfant
        os.close(lecture)
        _enfant(k, recus, registre, sortie, ecriture)
    os.close(ecriture)
    os.waitpid(pid, 0)
    os.close(lecture)
    restes = _restes(sortie)
    arguments = [str(recus), "-r", str(registre), "-p", "2026", "--fiches", "-o", str(sortie)]
    fin = subprocess.run(
        [sys.executable, "-m", "barometre_cli", "compiler", *arguments],
        capture_output=True,
        text=True,
        env=dict(os.environ, COLUMNS="1000", PYTHONPATH=str(RACINE)),
        timeout=300,
    )
    return {
        "k": k,
        "restes": restes,
        "code": fin.returncode,
        "erreur": fin.stderr,
        "apres": juge(_visibles(sortie)),
        "restes_apres": _restes(sortie),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(RACINE))
    travail = Path(sys.argv[1])
    print(json.dumps(executer(travail, sys.argv[2] if len(sys.argv) > 2 else "echange")))
