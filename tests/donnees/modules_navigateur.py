"""Refait `barometre_cli/validateur/modules_navigateur.txt` : les modules que la page importe.

    python -m tests.donnees.modules_navigateur          # environ une minute (Node et Pyodide)

La page du vérificateur charge une bibliothèque standard allégée aux modules que la validation
importe, déjà compilés, et les modules du projet qu'elle importe, compilés eux aussi
(`barometre_cli/validateur/site.py`). La liste est mesurée sur tout le corpus des tests
(l'exemple livré, les classeurs de LibreOffice, les pièges de `tests/hostiles.py`, les
mutations du fuzz, en bloc et en flux), de deux façons dont on garde l'union :

- dans Pyodide sous Node, avec la bibliothèque complète : ce que la page importe vraiment, y
  compris le démarrage de Pyodide lui-même ;
- sous CPython, sans lxml (comme dans la page) : ce que `tests/test_validateur.py` revérifie à
  chaque exécution des tests, pour qu'un nouvel import dans la validation ne passe pas inaperçu.

Un module absent de la liste ne donne jamais un verdict faux (la page recharge alors la
bibliothèque complète, voir `sentinelle.py`) ; il coûte seulement du temps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
LISTE = RACINE / "barometre_cli" / "validateur" / "modules_navigateur.txt"
ENTETE = (
    "# Modules de la bibliothèque standard et du projet compilés pour la page du vérificateur.\n"
    "# Fichier dérivé : refait par « python -m tests.donnees.modules_navigateur » ; ne pas le\n"
    "# modifier à la main (voir tests/donnees/README.md).\n"
)
#: Mutations du fuzz lues en plus des fichiers du dépôt (mêmes graines que tests/test_xml.py).
MUTATIONS = 300
#: Fichiers relus en flux (chaque partie lue par `iterparse`, comme au-delà de 2 Mo).
EN_FLUX = 60


def corpus(dossier: Path, mutations: int = MUTATIONS) -> list[Path]:
    """Tous les classeurs du corpus ; les pièges et les mutations sont écrits dans `dossier`."""
    from tests import hostiles
    from tests.test_lecture import CAS_HOSTILES
    from tests.test_lecture_pieges import _gabarit, _variantes

    fichiers = sorted((RACINE / "exemples" / "classeurs").rglob("*.xlsx"))
    fichiers += sorted((RACINE / "tests" / "donnees").glob("*.xlsx"))
    ecrits: dict[str, bytes] = {f"{f.__name__}.xlsx": f() for f, _ in CAS_HOSTILES}
    ecrits["classeur_valide.xlsx"] = hostiles.classeur_valide()
    ecrits["sans_cache.xlsx"] = hostiles.classeur_valide(valeurs_en_cache=False)
    ecrits["trop_gros.xlsx"] = os.urandom(21 * 1024 * 1024)
    _, membres = _gabarit(dossier)
    for nom, variante in _variantes(membres).items():
        ecrits[f"piege-{nom}.xlsx"] = hostiles.zip_de(variante)
    for i, octets in enumerate(hostiles.mutations_feuille(20261122, mutations)):
        ecrits[f"m{i}.xlsx"] = octets
    for nom, octets in ecrits.items():
        (dossier / nom).write_bytes(octets)
        fichiers.append(dossier / nom)
    return fichiers


def noms_de_la_bibliotheque(pyodide: Path) -> set[str]:
    """Les modules (en Python) de la bibliothèque standard complète de Pyodide."""
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as archive:
        noms = [n for n in archive.namelist() if n.endswith(".py")]
    return {
        (n[: -len("/__init__.py")] if n.endswith("/__init__.py") else n[:-3]).replace("/", ".")
        for n in noms
    }


_PROGRAMME_CPYTHON = """
import json, os, sys
os.environ["BAROMETRE_XML"] = "stdlib"
sys.modules["lxml"] = None  # comme dans la page : pas de lxml
from barometre_cli.lecture import limites
from barometre_cli.validateur import navigateur
fichiers = json.load(open(sys.argv[1], encoding="utf-8"))
for chemin in fichiers:
    navigateur.verifier(chemin)
limites.TAILLE_ANALYSE_EN_BLOC = 0
for chemin in fichiers[: int(sys.argv[2])]:
    navigateur.verifier(chemin)
print(json.dumps(sorted(sys.modules)))
"""


def modules_cpython(fichiers: list[Path], en_flux: int = EN_FLUX) -> set[str]:
    """Les modules chargés par CPython pour valider `fichiers` comme la page (sans lxml)."""
    with tempfile.TemporaryDirectory() as tmp:
        liste = Path(tmp) / "fichiers.json"
        liste.write_text(json.dumps([str(f) for f in fichiers]), encoding="utf-8")
        fin = subprocess.run(
            [sys.executable, "-c", _PROGRAMME_CPYTHON, str(liste), str(en_flux)],
            cwd=RACINE,
            capture_output=True,
            text=True,
            check=True,
        )
    return set(json.loads(fin.stdout.strip().splitlines()[-1]))


_PROGRAMME_PYODIDE = """
import json, sys
en_flux = int(sys.argv[1])
sys.path.insert(0, "/travail/projet")
from barometre_cli.lecture import limites
from barometre_cli.validateur import navigateur
fichiers = json.load(open("/travail/fichiers.json", encoding="utf-8"))
for chemin in fichiers:
    navigateur.verifier("/travail/" + chemin)
limites.TAILLE_ANALYSE_EN_BLOC = 0
for chemin in fichiers[:en_flux]:
    navigateur.verifier("/travail/" + chemin)
bibliotheque = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
charges = sorted(
    nom for nom, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(bibliotheque)
    or nom.split(".")[0] == "barometre_cli"
)
with open("/travail/modules.json", "w", encoding="utf-8") as f:
    json.dump(charges, f)
"""


def modules_pyodide(fichiers: list[Path], pyodide: Path, en_flux: int = EN_FLUX) -> set[str]:
    """Les modules de la bibliothèque standard chargés par Pyodide (sous Node) pour démarrer et
    valider `fichiers` (copiés, avec le projet, dans le dossier de travail de Pyodide)."""
    import shutil

    from barometre_cli.validateur.site import PAQUET, SCRIPT_NODE

    with tempfile.TemporaryDirectory() as tmp:
        travail = Path(tmp)
        shutil.copytree(
            PAQUET, travail / "projet" / PAQUET.name, ignore=shutil.ignore_patterns("__pycache__")
        )
        noms = []
        for i, fichier in enumerate(fichiers):
            nom = f"corpus/{i:04d}/{fichier.name}"
            (travail / nom).parent.mkdir(parents=True)
            shutil.copyfile(fichier, travail / nom)
            noms.append(nom)
        (travail / "fichiers.json").write_text(json.dumps(noms), encoding="utf-8")
        programme = travail / "programme.py"
        programme.write_text(_PROGRAMME_PYODIDE, encoding="utf-8")
        subprocess.run(
            ["node", str(SCRIPT_NODE), str(pyodide), str(travail), str(programme), str(en_flux)],
            check=True,
        )
        return set(json.loads((travail / "modules.json").read_text(encoding="utf-8")))


def retenir(modules: set[str], bibliotheque: set[str]) -> set[str]:
    """Les modules de la bibliothèque standard de Pyodide et ceux du projet."""
    return {m for m in modules if m in bibliotheque or m.split(".")[0] == "barometre_cli"}


def main() -> None:
    from barometre_cli.validateur.site import verifier_pyodide

    pyodide = verifier_pyodide(None)
    bibliotheque = noms_de_la_bibliotheque(pyodide)
    with tempfile.TemporaryDirectory() as tmp:
        fichiers = corpus(Path(tmp))
        vus_pyodide = retenir(modules_pyodide(fichiers, pyodide), bibliotheque)
        vus_cpython = retenir(modules_cpython(fichiers), bibliotheque)
    modules = sorted(vus_pyodide | vus_cpython)
    LISTE.write_text(ENTETE + "".join(f"{m}\n" for m in modules), encoding="utf-8")
    print(
        f"{len(modules)} modules ({len(vus_pyodide)} vus par Pyodide, {len(vus_cpython)} par "
        f"CPython) sur {len(bibliotheque)}, {len(fichiers)} classeurs : {LISTE}"
    )


if __name__ == "__main__":
    main()
