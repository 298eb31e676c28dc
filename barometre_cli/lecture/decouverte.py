"""Quels fichiers traiter : la seule règle de découverte, pour `valider` comme pour `compiler`.

Un fichier nommé est toujours traité ; un dossier est parcouru en entier (sauf ses dossiers
cachés, comme .git, et les dossiers exclus, comme la sortie de la compilation). Pour
`compiler`, rien ne se perd : chaque entrée trouvée va au journal, classée d'après son contenu
(un .xls ou un .fods déposé par erreur y est signalé avec la marche à suivre, un verrou
d'Office y est noté comme ignoré), ou d'après sa nature quand elle n'est pas un fichier
ordinaire (`non_lu`) : un lien n'est jamais suivi hors du dossier reçu (rien de ce qu'il
désigne n'est lu ni haché), ni vers un dossier ; un tube nommé, une prise ou un périphérique
ne sont jamais ouverts (la lecture d'un tube attendrait sans fin) ; un dossier caché ou exclu
n'est pas parcouru. Pour `valider`, qui parle à un répondant, un dossier ne donne que ses
classeurs à vérifier : pas ses verrous d'Office, ni les copies annotées déjà produites (sinon
on annoterait les annotations), ni ce que `non_lu` écarte.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

#: Ce qui ressemble à un classeur quand on ne retient que les classeurs d'un dossier.
EXTENSIONS_CLASSEUR = {".xlsx", ".xlsm", ".xls", ".ods", ".ots", ".fods"}
#: Suffixe des copies annotées par `valider --annoter`.
SUFFIXE_ANNOTE = "-annote"


class NonLu(NamedTuple):
    """Pourquoi une entrée du dossier n'est pas lue : `genre` (« lien », « special »,
    « ignore ») et la raison, en quelques mots pour le journal."""

    genre: str
    raison: str


def ignore(chemin: Path) -> bool:
    """Fichier caché ou verrou d'Office (« ~$classeur.xlsx », créé tant qu'il est ouvert)."""
    return chemin.name.startswith((".", "~$"))


def _dedans(chemin: str, racine: str) -> bool:
    return chemin == racine or chemin.startswith(racine.rstrip(os.sep) + os.sep)


def _nature(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "prise (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "périphérique"
    return "fichier spécial"


def non_lu(chemin: Path, racine: Path) -> NonLu | None:
    """Pourquoi l'entrée `chemin` du dossier `racine` ne sera pas lue ; None pour un fichier
    ordinaire du dossier (ou un lien vers l'un d'eux), qui sera lu.

    Rien n'est ouvert ici : seuls `lstat` et la résolution du chemin, pour qu'un lien vers
    `/etc/shadow` ou un tube ne soit ni lu ni haché.
    """
    try:
        etat = os.lstat(chemin)
    except OSError:
        return NonLu("special", "entrée disparue pendant la lecture du dossier")
    jonction = getattr(os.path, "isjunction", None)
    if stat.S_ISLNK(etat.st_mode) or (jonction is not None and jonction(chemin)):
        try:
            cible = os.path.realpath(chemin, strict=True)
            etat_cible = os.stat(cible)
        except (OSError, RuntimeError):
            return NonLu("lien", "brisé, ce qu'il désigne n'existe pas")
        if not _dedans(cible, os.path.realpath(racine)):
            return NonLu("lien", "il mène hors du dossier reçu, où rien n'est lu")
        if stat.S_ISDIR(etat_cible.st_mode):
            return NonLu("lien", "il mène à un dossier, qui n'est pas parcouru")
        if not stat.S_ISREG(etat_cible.st_mode):
            return NonLu(
                "lien", f"il ne mène pas à un fichier ordinaire ({_nature(etat_cible.st_mode)})"
            )
        return None  # un lien vers un fichier du dossier : lu comme lui
    if stat.S_ISDIR(etat.st_mode):
        quoi = "dossier caché" if chemin.name.startswith(".") else "dossier exclu (la sortie)"
        return NonLu("ignore", f"{quoi}, non parcouru")
    if not stat.S_ISREG(etat.st_mode):
        return NonLu("special", _nature(etat.st_mode))
    return None


def _a_verifier(chemin: Path) -> bool:
    return (
        chemin.suffix.lower() in EXTENSIONS_CLASSEUR
        and not ignore(chemin)
        and not chemin.stem.endswith(SUFFIXE_ANNOTE)
    )


def _jonction(entree: os.DirEntry) -> bool:
    """Une jonction Windows (Python 3.12+) : un lien vers un dossier, jamais suivi."""
    return bool(getattr(entree, "is_junction", lambda: False)())


def _parcourir(dossier: Path, exclus: list[str]) -> list[Path]:
    """Les entrées du dossier, dans un ordre stable, sans suivre de lien ni descendre dans un
    dossier caché ou exclu (qui figurent eux-mêmes, une fois)."""
    trouves: list[Path] = []
    pile = [dossier]
    while pile:
        courant = pile.pop()
        try:
            entrees = sorted(os.scandir(courant), key=lambda e: e.name)
        except OSError:
            trouves.append(courant)  # illisible : la lecture le dira
            continue
        for entree in entrees:
            chemin = Path(entree.path)
            if entree.is_dir(follow_symlinks=False) and not _jonction(entree):
                absolu = os.path.realpath(chemin)
                if entree.name.startswith(".") or any(_dedans(absolu, e) for e in exclus):
                    trouves.append(chemin)
                else:
                    pile.append(chemin)
            else:
                trouves.append(chemin)
    return sorted(trouves)


def lister_fichiers(
    chemins: Iterable[Path], exclure: Iterable[Path] = (), classeurs_seulement: bool = False
) -> list[Path]:
    """Les entrées à traiter (au journal), dans un ordre stable ; un chemin inexistant est
    ignoré ici (l'appelant le signale avant).

    `classeurs_seulement` (`valider`) : les seuls classeurs lisibles, sans rien de ce que
    `non_lu` écarte.
    """
    exclus = [os.path.realpath(p) for p in exclure]
    fichiers: list[Path] = []
    for chemin in chemins:
        if not chemin.is_dir():
            if os.path.lexists(chemin):
                fichiers.append(chemin)
            continue
        for trouve in _parcourir(chemin, exclus):
            if classeurs_seulement and (not _a_verifier(trouve) or non_lu(trouve, chemin)):
                continue
            fichiers.append(trouve)
    return fichiers
