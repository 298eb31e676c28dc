"""Écrire le site statique du vérificateur : `barometre validateur --sortie DOSSIER`.

Le site tient dans un dossier à déposer sur n'importe quel hébergement statique :

- `index.html`, `page.js`, `style.css` : la page (française, WCAG 2.1 AA), qui ne charge rien
  hors de son hôte ;
- `verificateur.js` : le Web Worker qui démarre Pyodide et valide chaque fichier ;
- `pyodide-<version>/` : l'environnement Python, copié du paquet npm `pyodide` à la version
  épinglée (le nom du dossier porte la version : jamais un mélange de versions en cache) ;
- `barometre_cli.zip` : les sources Python du paquet, prises au moment de la construction.

Les adresses de `page.js`, `style.css`, du worker et de l'archive portent l'empreinte du contenu
(`?v=…`) : après une reconstruction, un navigateur ne garde pas d'anciennes règles en cache.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import barometre_cli
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme

#: La version du paquet npm `pyodide` épinglée (la même que package.json à la racine du projet).
VERSION_PYODIDE = "314.0.8"

#: Les fichiers du paquet npm nécessaires à l'exécution ; rien d'autre n'est copié.
FICHIERS_PYODIDE = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

STATIQUE = Path(__file__).parent / "statique"
PAQUET = Path(barometre_cli.__file__).parent
RACINE_PROJET = PAQUET.parent
ARCHIVE = "barometre_cli.zip"
#: Date fixe des membres de l'archive : deux constructions des mêmes sources sont identiques.
DATE_ZIP = (2020, 1, 1, 0, 0, 0)


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


def archive_du_paquet() -> bytes:
    """Une archive ZIP des sources de `barometre_cli`, reproductible octet pour octet."""
    import io

    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for source in sources_du_paquet():
            nom = (Path(PAQUET.name) / source.relative_to(PAQUET)).as_posix()
            info = zipfile.ZipInfo(nom, DATE_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read_bytes())
    return tampon.getvalue()


def page_index(empreinte: str) -> str:
    """index.html, avec les versions et l'empreinte du contenu inscrites."""
    modele = (STATIQUE / "index.html").read_text(encoding="utf-8")
    for cle, valeur in {
        "__EMPREINTE__": empreinte,
        "__VERSION_BAROMETRE__": barometre_cli.__version__,
        "__VERSION_PYODIDE__": VERSION_PYODIDE,
        "__DOSSIER_PYODIDE__": f"pyodide-{VERSION_PYODIDE}/",
    }.items():
        modele = modele.replace(cle, valeur)
    return modele


def construire_site(sortie: Path, pyodide: Path | None = None) -> Site:
    """Écrit le site du vérificateur dans `sortie` ; `BarometreErreur` si c'est impossible."""
    source_pyodide = verifier_pyodide(pyodide)
    if sortie.exists() and not sortie.is_dir():
        raise BarometreErreur(
            f"la sortie « {sortie} » est un fichier, pas un dossier : choisissez un autre --sortie."
        )
    archive = archive_du_paquet()
    page = (STATIQUE / "page.js").read_bytes()
    worker = (STATIQUE / "verificateur.js").read_bytes()
    style = (STATIQUE / "style.css").read_bytes()
    icone = (STATIQUE / "favicon.svg").read_bytes()
    empreinte = hashlib.sha256(
        b"\0".join([archive, page, worker, style, VERSION_PYODIDE.encode()])
    ).hexdigest()[:16]
    contenus = {
        "index.html": page_index(empreinte).encode("utf-8"),
        "page.js": page,
        "verificateur.js": worker,
        "style.css": style,
        "favicon.svg": icone,
        ARCHIVE: archive,
    }
    dossier_pyodide = sortie / f"pyodide-{VERSION_PYODIDE}"
    ecrits: list[Path] = []
    try:
        dossier_pyodide.mkdir(parents=True, exist_ok=True)
        for nom, octets in contenus.items():
            (sortie / nom).write_bytes(octets)
            ecrits.append(sortie / nom)
        for nom in FICHIERS_PYODIDE:
            shutil.copyfile(source_pyodide / nom, dossier_pyodide / nom)
            ecrits.append(dossier_pyodide / nom)
    except OSError as exc:
        raise BarometreErreur(
            f"impossible d'écrire le vérificateur dans « {sortie} » : {raison_systeme(exc)}."
        ) from None
    return Site(sortie, tuple(ecrits), sum(p.stat().st_size for p in ecrits))
