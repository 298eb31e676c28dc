"""Écrire le site statique du vérificateur : `barometre validateur --sortie DOSSIER`.

Le site tient dans un dossier à déposer sur n'importe quel hébergement statique :

- `index.html`, `page.js`, `style.css` : la page (française, WCAG 2.1 AA), qui ne charge rien
  hors de son hôte ;
- `verificateur.js` : le Web Worker qui démarre Pyodide et valide chaque fichier ;
- `pyodide-<version>/` : l'environnement Python, copié du paquet npm `pyodide` à la version
  épinglée (le nom du dossier porte la version : jamais un mélange de versions en cache) ; sa
  bibliothèque standard complète n'y sert que de secours ;
- `bibliotheque-standard.zip` : la bibliothèque standard que la page charge, allégée aux
  modules que la validation importe (`modules_navigateur.txt`) et déjà compilée ;
- `barometre_cli.zip` : le code Python du paquet, importé depuis l'archive ; les modules de la
  validation (même liste) y sont déjà compilés, les autres restent en source.

Sous Pyodide, `zipimport` ne garde aucun cache : sans cela, chaque visite recompilait depuis
les sources les quelque 190 modules importés au démarrage et pour valider. La compilation se fait
ici, par le Python même de la page (Pyodide exécuté par Node, `pyodide_node.mjs` et
`precompilation.py`) : même version, même bytecode. Si un classeur fait un jour passer la
validation par un module laissé de côté, la page le remarque (`sentinelle.py`), recharge la
bibliothèque complète et vérifie le fichier de nouveau : jamais un verdict faux.

Les adresses de `page.js`, `style.css`, du worker et des archives portent l'empreinte du
contenu (`?v=…`) : après une reconstruction, un navigateur ne garde pas d'anciennes règles en
cache. Deux constructions des mêmes sources donnent les mêmes octets.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import barometre_cli
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme

#: La version du paquet npm `pyodide` épinglée (la même que package.json à la racine du projet).
VERSION_PYODIDE = "314.0.8"

#: Les fichiers du paquet npm lus pour construire le site.
FICHIERS_PYODIDE = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
#: Ceux que le site sert : le fichier de verrouillage est donné au worker dans son code.
FICHIERS_SERVIS = FICHIERS_PYODIDE[:4]

ICI = Path(__file__).parent
STATIQUE = ICI / "statique"
PAQUET = Path(barometre_cli.__file__).parent
RACINE_PROJET = PAQUET.parent
ARCHIVE = "barometre_cli.zip"
BIBLIOTHEQUE = "bibliotheque-standard.zip"
#: Les modules que la page importe, bibliothèque standard et projet (fichier dérivé, voir son
#: en-tête) : ceux-là sont livrés compilés.
LISTE_MODULES = ICI / "modules_navigateur.txt"
#: Le programme Node qui exécute un programme Python dans Pyodide.
SCRIPT_NODE = ICI / "pyodide_node.mjs"
#: Repère remplacé, dans le code du worker, par le contenu du fichier de verrouillage.
REPERE_VERROU = "/*__VERROU_PYODIDE__*/ null"
#: Au-delà, la compilation par Node est tenue pour bloquée (elle prend quelques secondes).
DELAI_COMPILATION = 600


@dataclass(frozen=True)
class Site:
    """Ce qui a été écrit : le dossier, ses fichiers et leur taille totale en octets."""

    dossier: Path
    fichiers: tuple[Path, ...]
    taille: int


def dossier_pyodide_par_defaut() -> Path:
    return RACINE_PROJET / "node_modules" / "pyodide"


def _installer() -> str:
    return f"npm install pyodide@{VERSION_PYODIDE}"


def verifier_pyodide(dossier: Path | None) -> Path:
    """Le dossier du paquet npm `pyodide`, vérifié (version, fichiers) ; sinon une erreur claire."""
    fourni = dossier is not None
    dossier = dossier if dossier is not None else dossier_pyodide_par_defaut()
    ou = f"« {dossier} »"
    conseil = f"Depuis le dossier du projet, lancez « npm ci » (ou « {_installer()} »)" + (
        ", ou indiquez le dossier du paquet avec --pyodide." if not fourni else "."
    )
    if not dossier.is_dir():
        raise BarometreErreur(
            f"environnement Python du navigateur introuvable : le dossier {ou} n'existe pas. "
            f"{conseil}"
        )
    try:
        description = json.loads((dossier / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BarometreErreur(
            f"le dossier {ou} n'est pas le paquet npm pyodide (package.json absent ou illisible). "
            f"{conseil}"
        ) from None
    nom, version = description.get("name"), description.get("version")
    if nom != "pyodide":
        raise BarometreErreur(
            f"le dossier {ou} contient le paquet npm « {nom} », pas « pyodide ». {conseil}"
        )
    if version != VERSION_PYODIDE:
        raise BarometreErreur(
            f"le paquet pyodide de {ou} est à la version {version} ; le vérificateur est "
            f"construit et testé avec la version {VERSION_PYODIDE} seulement. Lancez « npm ci » "
            f"depuis le dossier du projet (ou « {_installer()} »)."
        )
    manquants = [f for f in FICHIERS_PYODIDE if not (dossier / f).is_file()]
    if manquants:
        raise BarometreErreur(
            f"le paquet pyodide de {ou} est incomplet : il manque {', '.join(manquants)}. "
            f"Réinstallez-le : supprimez node_modules, puis lancez « npm ci »."
        )
    return dossier


def sources_du_paquet() -> list[Path]:
    """Les modules Python du paquet installé (sans caches), dans un ordre stable."""
    return sorted(p for p in PAQUET.rglob("*.py") if "__pycache__" not in p.parts and p.is_file())


def modules_navigateur() -> list[str]:
    """Les modules que la page importe (`modules_navigateur.txt`) : ceux de la bibliothèque
    standard allégée et ceux du projet livrés compilés."""
    lignes = LISTE_MODULES.read_text(encoding="utf-8").splitlines()
    return [ligne.strip() for ligne in lignes if ligne.strip() and not ligne.startswith("#")]


def verrou_en_ligne(source_pyodide: Path) -> str:
    """Le fichier de verrouillage que le worker donne à Pyodide sans le télécharger.

    La page ne charge aucun paquet : seul l'en-tête (`info`, que Pyodide compare à sa propre
    version) est gardé, sans la liste des 350 paquets (120 Ko).
    """
    verrou = json.loads((source_pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": verrou["info"], "packages": {}}, sort_keys=True)


def trouver_node() -> str:
    node = shutil.which("node")
    if node is None:
        raise BarometreErreur(
            "Node.js est introuvable : « barometre validateur » s'en sert pour compiler le "
            "Python de la page avec Pyodide (le même Node qui installe Pyodide avec npm). "
            "Installez Node.js (version 18 ou plus récente), puis relancez la commande."
        )
    return node


def precompiler(source_pyodide: Path, modules: Sequence[str]) -> tuple[bytes, bytes]:
    """(bibliothèque standard allégée, code du projet), compilés par le Python de Pyodide.

    `modules` : les modules de la bibliothèque standard à garder et ceux du projet à compiler.
    """
    node = trouver_node()
    with tempfile.TemporaryDirectory(prefix="barometre-validateur-") as tmp:
        dossier = Path(tmp)
        (dossier / "modules.txt").write_text("\n".join(modules) + "\n", encoding="utf-8")
        for source in sources_du_paquet():
            copie = dossier / "sources" / source.relative_to(RACINE_PROJET)
            copie.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copie)
        commande = [
            node,
            str(SCRIPT_NODE),
            str(source_pyodide.resolve()),
            str(dossier),
            str(ICI / "precompilation.py"),
        ]
        try:
            fin = subprocess.run(
                commande, capture_output=True, text=True, timeout=DELAI_COMPILATION
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BarometreErreur(
                f"la compilation du Python de la page par Node a échoué ({exc})."
            ) from None
        if fin.returncode != 0:
            derniere = (fin.stderr.strip().splitlines() or ["sans message"])[-1][:300]
            raise BarometreErreur(
                f"la compilation du Python de la page par Node a échoué : {derniere}"
            )
        return (dossier / "stdlib.zip").read_bytes(), (dossier / "paquet.zip").read_bytes()


def page_index(empreinte: str) -> str:
    """index.html, avec les versions et l'empreinte du contenu inscrites."""
    modele = (STATIQUE / "index.html").read_text(encoding="utf-8")
    for cle, valeur in {
        "__EMPREINTE__": empreinte,
        "__VERSION_BAROMETRE__": barometre_cli.__version__,
        "__VERSION_PYODIDE__": VERSION_PYODIDE,
        "__DOSSIER_PYODIDE__": f"pyodide-{VERSION_PYODIDE}/",
        "__BIBLIOTHEQUE__": BIBLIOTHEQUE,
    }.items():
        modele = modele.replace(cle, valeur)
    return modele


def construire_site(
    sortie: Path, pyodide: Path | None = None, modules: Sequence[str] | None = None
) -> Site:
    """Écrit le site du vérificateur dans `sortie` ; `BarometreErreur` si c'est impossible.

    `modules` : les modules que la page importe (par défaut, `modules_navigateur.txt`) ; la
    bibliothèque standard allégée n'a qu'eux.
    """
    source_pyodide = verifier_pyodide(pyodide)
    if sortie.exists() and not sortie.is_dir():
        raise BarometreErreur(
            f"la sortie « {sortie} » est un fichier, pas un dossier : choisissez un autre --sortie."
        )
    bibliotheque, archive = precompiler(
        source_pyodide, modules_navigateur() if modules is None else modules
    )
    page = (STATIQUE / "page.js").read_bytes()
    worker = (
        (STATIQUE / "verificateur.js")
        .read_text(encoding="utf-8")
        .replace(REPERE_VERROU, verrou_en_ligne(source_pyodide))
        .encode("utf-8")
    )
    style = (STATIQUE / "style.css").read_bytes()
    icone = (STATIQUE / "favicon.svg").read_bytes()
    empreinte = hashlib.sha256(
        b"\0".join([archive, bibliotheque, page, worker, style, VERSION_PYODIDE.encode()])
    ).hexdigest()[:16]
    contenus = {
        "index.html": page_index(empreinte).encode("utf-8"),
        "page.js": page,
        "verificateur.js": worker,
        "style.css": style,
        "favicon.svg": icone,
        ARCHIVE: archive,
        BIBLIOTHEQUE: bibliotheque,
    }
    dossier_pyodide = sortie / f"pyodide-{VERSION_PYODIDE}"
    ecrits: list[Path] = []
    try:
        dossier_pyodide.mkdir(parents=True, exist_ok=True)
        for nom, octets in contenus.items():
            (sortie / nom).write_bytes(octets)
            ecrits.append(sortie / nom)
        for nom in FICHIERS_SERVIS:
            shutil.copyfile(source_pyodide / nom, dossier_pyodide / nom)
            ecrits.append(dossier_pyodide / nom)
    except OSError as exc:
        raise BarometreErreur(
            f"impossible d'écrire le vérificateur dans « {sortie} » : {raison_systeme(exc)}."
        ) from None
    return Site(sortie, tuple(ecrits), sum(p.stat().st_size for p in ecrits))
