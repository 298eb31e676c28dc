"""Quels fichiers traiter : la seule règle de découverte, pour `valider` comme pour `compiler`.

Un fichier nommé est toujours traité ; un dossier est parcouru en entier (sauf ses dossiers
cachés, comme .git, et les dossiers exclus, comme la sortie de la compilation). Pour
`compiler`, rien ne se perd : chaque fichier trouvé va au journal, classé d'après son contenu
(un .xls ou un .fods déposé par erreur y est signalé avec la marche à suivre, un verrou
d'Office y est noté comme ignoré). Pour `valider`, qui parle à un répondant, un dossier ne
donne que ses classeurs à vérifier : pas ses verrous d'Office, ni les copies annotées déjà
produites (sinon on annoterait les annotations).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: Ce qui ressemble à un classeur quand on ne retient que les classeurs d'un dossier.
EXTENSIONS_CLASSEUR = {".xlsx", ".xlsm", ".xls", ".ods", ".ots", ".fods"}
#: Suffixe des copies annotées par `valider --annoter`.
SUFFIXE_ANNOTE = "-annote"


def ignore(chemin: Path) -> bool:
    """Fichier caché ou verrou d'Office (« ~$classeur.xlsx », créé tant qu'il est ouvert)."""
    return chemin.name.startswith((".", "~$"))


def _a_verifier(chemin: Path) -> bool:
    return (
        chemin.suffix.lower() in EXTENSIONS_CLASSEUR
        and not ignore(chemin)
        and not chemin.stem.endswith(SUFFIXE_ANNOTE)
    )


def lister_fichiers(
    chemins: Iterable[Path], exclure: Iterable[Path] = (), classeurs_seulement: bool = False
) -> list[Path]:
    """Les fichiers à traiter, dans un ordre stable ; un chemin inexistant est ignoré ici
    (l'appelant le signale avant)."""
    exclus = [os.path.realpath(p) for p in exclure]
    fichiers: list[Path] = []
    for chemin in chemins:
        if not chemin.is_dir():
            if chemin.exists():
                fichiers.append(chemin)
            continue
        for trouve in sorted(chemin.rglob("*")):
            relatif = trouve.relative_to(chemin)
            if any(partie.startswith(".") for partie in relatif.parts[:-1]):
                continue
            absolu = os.path.realpath(trouve)  # un lien symbolique vers la sortie y reste
            if any(absolu == e or absolu.startswith(e + os.sep) for e in exclus):
                continue
            if trouve.is_file() and (not classeurs_seulement or _a_verifier(trouve)):
                fichiers.append(trouve)
    return fichiers
