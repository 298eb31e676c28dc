"""Refaire, d'une seule commande, chaque fichier du dépôt que le code produit.

    python -m barometre_cli.regenerer             # réécrit ce qui a changé
    python -m barometre_cli.regenerer --verifier  # n'écrit rien ; code 1 et la liste si périmé

Les fichiers dérivés : les gabarits publiés (`gabarits/`), la documentation produite
(`docs/constats.md`, `docs/interface.md`, `docs/feuille.md`), l'exemple livré (`exemples/`, par
`exemples/fabriquer.py`) et les séances du README, dont chaque sortie est celle d'une vraie
commande lancée sur l'exemple fraîchement refait. La CI lance `--verifier` : un changement du
catalogue (un seuil, une cible) qui ne serait pas reporté dans un de ces fichiers la fait
échouer en nommant le fichier.

Dans le README, un bloc est refait quand un commentaire le précède :

- `<!-- regenerer: seance -->` (ou `seance dossier=tests/donnees`) : le bloc de code qui suit
  commence par `$ barometre …` ; la commande est relancée (console de 100 colonnes, sans
  couleur) dans un dossier de travail où `exemples/` est l'exemple refait et `tests/donnees/` une
  copie de celui du dépôt, et sa sortie remplace le reste du bloc. Les séances s'enchaînent dans le même dossier :
  une séance peut relire les sorties d'une précédente.
- `<!-- regenerer: extrait CHEMIN N -->` : le bloc qui suit devient les N premières lignes
  d'un fichier écrit par une séance précédente.
- `<!-- regenerer: sorties -->` … `<!-- /regenerer -->` : la liste des sorties de `compiler`,
  tirée de `sorties.ECRIVAINS`.

Ce module est un outil du dépôt (il a besoin de `exemples/` et du README) : lancé depuis une
installation sans le dépôt, il le dit et s'arrête.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
#: Largeur de la console des séances du README.
COLONNES = 100


@dataclass
class Chantier:
    """Le dossier de travail d'une régénération : l'exemple y est refait avant les séances."""

    dossier: Path
    fichiers: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Derive:
    """Un ensemble de fichiers dérivés : ce qui les fabrique, et les dossiers qu'il possède en
    entier (un fichier de ces dossiers qu'il ne fabrique plus est périmé)."""

    nom: str
    fabriquer: Callable[[Chantier], dict[str, bytes]]
    dossiers: tuple[str, ...] = ()


# --- Les fabriques ----------------------------------------------------------------------------


def _gabarits(chantier: Chantier) -> dict[str, bytes]:
    from barometre_cli.catalogue import cibles
    from barometre_cli.gabarit.classeur import nom_fichier, octets_gabarit

    return {f"gabarits/{nom_fichier(c)}": octets_gabarit(c) for c in cibles()}


def modules_des_constats() -> None:
    """Importe chaque module qui définit des codes de constats : la table est alors complète."""
    import barometre_cli.compilation.collecte
    import barometre_cli.lecture.refus
    import barometre_cli.validation.verifications  # noqa: F401  (et, par eux, `calculs`)


def _docs(chantier: Chantier) -> dict[str, bytes]:
    from barometre_cli.domaine.constats import documentation_markdown
    from barometre_cli.gabarit.classeur import documentation_interface
    from barometre_cli.gabarit.documentation import documentation_feuille

    modules_des_constats()
    return {
        "docs/constats.md": documentation_markdown().encode("utf-8"),
        "docs/interface.md": documentation_interface().encode("utf-8"),
        "docs/feuille.md": documentation_feuille().encode("utf-8"),
    }


def _module_exemple():
    chemin = RACINE / "exemples" / "fabriquer.py"
    spec = importlib.util.spec_from_file_location("exemples_fabriquer", chemin)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exemple(chantier: Chantier) -> dict[str, bytes]:
    dossier = chantier.dossier / "exemples"
    dossier.mkdir(parents=True, exist_ok=True)
    _module_exemple().fabriquer(dossier)
    fichiers = {
        f"exemples/{p.relative_to(dossier).as_posix()}": p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }
    chantier.fichiers.update(fichiers)
    return fichiers


_MARQUE = re.compile(r"^<!-- regenerer: (.+?) -->$")


def _seance(chantier: Chantier, commande: str, dossier: str) -> str:
    """La sortie d'une commande, telle qu'une console de 100 colonnes l'affiche."""
    mots = shlex.split(commande)
    if not mots or mots[0] != "barometre":
        raise ValueError(f"une séance commence par « $ barometre » : {commande!r}")
    environnement = {
        **os.environ,
        "COLUMNS": str(COLONNES),
        "TERMINAL_WIDTH": str(COLONNES),
        "NO_COLOR": "1",
        "PYTHONPATH": str(RACINE),
        "PYTHONIOENCODING": "utf-8",
    }
    environnement.pop("FORCE_COLOR", None)
    fini = subprocess.run(
        [sys.executable, "-m", "barometre_cli", *mots[1:]],
        cwd=chantier.dossier / dossier,
        env=environnement,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return "\n".join(ligne.rstrip() for ligne in fini.stdout.rstrip().split("\n"))


def _preparer_seances(chantier: Chantier) -> None:
    """Le dossier des séances : l'exemple refait (déjà là) et une copie des classeurs de test du
    dépôt, pour qu'une séance qui écrit (`--annoter`) n'écrive jamais dans le dépôt."""
    import shutil

    donnees = chantier.dossier / "tests" / "donnees"
    if not donnees.exists():
        shutil.copytree(
            RACINE / "tests" / "donnees",
            donnees,
            ignore=shutil.ignore_patterns("cache", "__pycache__", "*.py"),
        )


def refaire_markdown(texte: str, chantier: Chantier) -> str:
    """Le Markdown avec chaque bloc marqué refait (voir l'en-tête du module)."""
    lignes = texte.split("\n")
    sortie: list[str] = []
    i = 0
    while i < len(lignes):
        ligne = lignes[i]
        sortie.append(ligne)
        i += 1
        marque = _MARQUE.match(ligne.strip())
        if not marque:
            continue
        sorte, *options = shlex.split(marque.group(1))
        if sorte == "sorties":
            fin = lignes.index("<!-- /regenerer -->", i)
            sortie += [*_liste_sorties(), "<!-- /regenerer -->"]
            i = fin + 1
            continue
        if i >= len(lignes) or not lignes[i].startswith("```"):
            raise ValueError(f"après « {ligne} », un bloc de code est attendu")
        fin = lignes.index("```", i + 1)
        bloc = lignes[i + 1 : fin]
        if sorte == "seance":
            reglages = dict(o.split("=", 1) for o in options)
            commande = bloc[0].removeprefix("$ ")
            contenu = [bloc[0], _seance(chantier, commande, reglages.get("dossier", "."))]
        elif sorte == "extrait":
            chemin, nombre = options
            octets = (chantier.dossier / chemin).read_text(encoding="utf-8-sig")
            contenu = octets.split("\n")[: int(nombre)]
        else:
            raise ValueError(f"marque inconnue : {ligne}")
        sortie += [lignes[i], *contenu, "```"]
        i = fin + 1
    return "\n".join(sortie)


def _liste_sorties() -> list[str]:
    from barometre_cli.sorties import ECRIVAINS

    return [ligne for ecrivain in ECRIVAINS for ligne in ecrivain.puce()]


def _readme(chantier: Chantier) -> dict[str, bytes]:
    _preparer_seances(chantier)
    texte = (RACINE / "README.md").read_text(encoding="utf-8")
    return {"README.md": refaire_markdown(texte, chantier).encode("utf-8")}


#: Dans l'ordre : l'exemple avant les séances qui le compilent.
DERIVES: tuple[Derive, ...] = (
    Derive("gabarits publiés", _gabarits, ("gabarits",)),
    Derive("documentation produite", _docs),
    Derive("exemple livré", _exemple, ("exemples/classeurs",)),
    Derive("séances du README", _readme),
)


# --- Comparer, écrire ---------------------------------------------------------------------


def attendus() -> tuple[dict[str, bytes], set[str]]:
    """Tous les fichiers dérivés tels que le code les produit, et les dossiers possédés."""
    fichiers: dict[str, bytes] = {}
    dossiers: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="barometre-regenerer-") as tmp:
        chantier = Chantier(Path(tmp))
        for derive in DERIVES:
            fichiers.update(derive.fabriquer(chantier))
            dossiers.update(derive.dossiers)
    return fichiers, dossiers


def perimes(fichiers: dict[str, bytes], dossiers: set[str]) -> tuple[list[str], list[str]]:
    """(fichiers à écrire, fichiers en trop) par rapport au dépôt."""
    a_ecrire = [
        nom
        for nom, octets in fichiers.items()
        if not (RACINE / nom).is_file() or (RACINE / nom).read_bytes() != octets
    ]
    en_trop = sorted(
        p.relative_to(RACINE).as_posix()
        for d in dossiers
        for p in (RACINE / d).rglob("*")
        if p.is_file() and p.relative_to(RACINE).as_posix() not in fichiers
    )
    return a_ecrire, en_trop


def _compte(n: int, un: str, plusieurs: str) -> str:
    """« 1 fichier écrit », « 0 fichier écrit », « 3 fichiers écrits » (accord du français)."""
    return f"{n} {un if n < 2 else plusieurs}"


def main(arguments: list[str] | None = None) -> int:
    analyse = argparse.ArgumentParser(
        prog="python -m barometre_cli.regenerer",
        description="Refaire les fichiers dérivés du code (gabarits, docs, exemple, README).",
    )
    analyse.add_argument(
        "--verifier",
        action="store_true",
        help="ne rien écrire ; code 1 et la liste des fichiers périmés s'il y en a",
    )
    options = analyse.parse_args(arguments)
    if not (RACINE / "README.md").is_file() or not (RACINE / "exemples" / "fabriquer.py").is_file():
        print(
            f"Erreur : « {RACINE} » n'est pas un dépôt de barometre (README.md ou "
            "exemples/fabriquer.py introuvable) ; lancez la commande depuis un clone.",
            file=sys.stderr,
        )
        return 2
    fichiers, dossiers = attendus()
    a_ecrire, en_trop = perimes(fichiers, dossiers)
    if options.verifier:
        for nom in a_ecrire:
            print(f"périmé : {nom}")
        for nom in en_trop:
            print(f"en trop : {nom}")
        if a_ecrire or en_trop:
            n = len(a_ecrire) + len(en_trop)
            print(
                f"{_compte(n, 'fichier dérivé', 'fichiers dérivés')} à refaire : lancez "
                "python -m barometre_cli.regenerer"
            )
            return 1
        print(f"Fichiers dérivés à jour ({len(fichiers)}).")
        return 0
    for nom in a_ecrire:
        chemin = RACINE / nom
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(fichiers[nom])
        print(f"écrit : {nom}")
    for nom in en_trop:
        (RACINE / nom).unlink()
        print(f"retiré : {nom}")
    print(
        f"{_compte(len(a_ecrire), 'fichier écrit', 'fichiers écrits')}, "
        f"{_compte(len(en_trop), 'retiré', 'retirés')} ; {len(fichiers)} fichiers dérivés à jour."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
