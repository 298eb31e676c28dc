"""Publier les sorties d'une opération comme un tout : toutes les nouvelles, ou rien de changé.

Les analystes recompilent souvent un dossier pendant la collecte, les sorties précédentes
ouvertes dans Excel. Écrire les fichiers un à un à leur place laisserait, au premier fichier
qui résiste, un dossier mêlant deux compilations (un sommaire neuf à côté d'un journal ancien).
Ici, chaque écrivain écrit dans un brouillon, un dossier caché créé dans le dossier de sortie
(même système de fichiers : un renommage y est immédiat et ne copie rien). Puis :

1. on vérifie que chaque sortie existante peut être remplacée, en l'ouvrant en écriture sans
   rien y écrire ; si l'une résiste, on la nomme avec ce qu'il faut faire et rien ne change ;
2. chaque sortie précédente est mise de côté dans le brouillon, puis la nouvelle prend sa
   place, par renommages ; si un renommage échoue en chemin, ceux déjà faits sont défaits et
   les versions précédentes reprennent leur place ;
3. une fois tout en place (le point de publication), les versions précédentes sont effacées.

Sous Windows, Excel ouvre un classeur ou un CSV sans partager l'écriture ni la suppression :
tant qu'il est ouvert, l'ouvrir en écriture, le renommer ou le remplacer échoue par une
violation de partage (`PermissionError`, `winerror` 32). Un fichier en lecture seule (attribut
Windows, droits POSIX, `chattr +i` sous Linux) échoue de la même façon, avec un autre code. Les
deux cas se traitent pareil : rien n'est touché et le fichier est nommé. Sous Linux et macOS,
rien n'empêche de remplacer un fichier ouvert : le programme qui l'affiche garde l'ancien.

Un lecteur du dossier ne voit ainsi jamais un mélange une fois l'opération finie, réussie,
refusée ou interrompue ; pendant les quelques millisecondes des renommages, un fichier peut
être déjà neuf et le suivant encore ancien. Un dossier (`fiches/`) se remplace en entier.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.ecriture import interruption
from barometre_cli.ecriture.verrou import verrouiller

#: Préfixe des brouillons : caché (point), ignoré par la découverte des fichiers.
PREFIXE_BROUILLON = ".barometre-ecriture-"
#: Violations de partage et de verrou sous Windows (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION).
_OUVERT_AILLEURS = {32, 33}


def message_irremplacable(
    chemin: Path, dossier: Path, exc: OSError, operation: str = "la compilation"
) -> str:
    """Pourquoi une sortie ne peut pas être remplacée, et quoi faire, en une phrase."""
    nom = chemin.relative_to(dossier).as_posix() if chemin.is_relative_to(dossier) else chemin.name
    rien = f"Rien n'a été modifié dans « {dossier} »."
    if getattr(exc, "winerror", None) in _OUVERT_AILLEURS:
        return (
            f"« {nom} » est ouvert dans un autre programme et ne peut pas être remplacé. "
            f"Fermez {chemin.name} dans Excel (ou le programme qui l'affiche), puis relancez "
            f"{operation}. {rien}"
        )
    if isinstance(exc, PermissionError):  # EACCES, EPERM, ou winerror 5 (lecture seule)
        return (
            f"« {nom} » est en lecture seule ou protégé ({raison_systeme(exc)}) et ne peut pas "
            f"être remplacé. Fermez {chemin.name} s'il est ouvert dans Excel, ou retirez sa "
            f"protection en lecture seule, puis relancez {operation}. {rien}"
        )
    return f"« {nom} » ne peut pas être remplacé ({raison_systeme(exc)}). {rien}"


def _fichiers(chemin: Path) -> Iterable[Path]:
    if chemin.is_dir() and not chemin.is_symlink():
        return sorted(p for p in chemin.rglob("*") if p.is_file())
    return [chemin]


def verifier_remplacables(
    dossier: Path, noms: Iterable[str | Path], operation: str = "la compilation"
) -> None:
    """Lève `BarometreErreur` si une sortie existante ne peut pas être remplacée.

    Ouvrir en écriture (en ajout, sans rien écrire) échoue exactement quand le remplacement
    échouerait sous Windows (ouvert dans Excel, lecture seule) ; sous Linux, un fichier
    `chattr +i` échoue aussi. Appelée tôt (avant de lire des milliers de classeurs) puis
    juste avant la publication.
    """
    for nom in noms:
        cible = dossier / nom
        if not os.path.lexists(cible):
            continue
        for fichier in _fichiers(cible):
            try:
                with open(fichier, "ab"):
                    pass
            except OSError as exc:
                raise BarometreErreur(
                    message_irremplacable(fichier, dossier, exc, operation)
                ) from None


class Ensemble:
    """Un brouillon dans `dossier`, publié d'un coup par `publier`, effacé sinon.

    À utiliser sous le verrou du dossier (`ecrire_ensemble` le prend) : les brouillons
    abandonnés par une opération tombée sont effacés à l'entrée.
    """

    def __init__(self, dossier: Path, operation: str = "la compilation") -> None:
        self.dossier = dossier
        self.operation = operation
        self.racine: Path | None = None
        self.publie = False
        #: une remise en place a échoué : les versions précédentes restent dans le brouillon
        self.garder = False

    @property
    def brouillon(self) -> Path:
        assert self.racine is not None, "Ensemble s'utilise dans un bloc with"
        return self.racine / "nouveau"

    @property
    def anciens(self) -> Path:
        assert self.racine is not None
        return self.racine / "anciens"

    def __enter__(self) -> Ensemble:
        with interruption.differer():
            self.dossier.mkdir(parents=True, exist_ok=True)
            _effacer_abandonnes(self.dossier)
            self.racine = Path(tempfile.mkdtemp(prefix=PREFIXE_BROUILLON, dir=self.dossier))
            self.brouillon.mkdir()
        return self

    def __exit__(self, *exc) -> None:
        with interruption.differer():
            if self.racine is not None and not self.publie and not self.garder:
                shutil.rmtree(self.racine, ignore_errors=True)

    def publier(self, chemins: list[Path]) -> list[Path]:
        """Met en place les `chemins` écrits dans le brouillon ; rend leurs chemins définitifs."""
        relatifs = _elements([Path(p).relative_to(self.brouillon) for p in chemins])
        verifier_remplacables(self.dossier, relatifs, self.operation)
        with interruption.differer():
            faits = self._deplacer(relatifs)
            if interruption.demandee():  # arrivé pendant les renommages : on défait tout
                self._annuler(faits)
                interruption.verifier()
            self.publie = True  # point de publication
            interruption.trop_tard()
            shutil.rmtree(self.racine, ignore_errors=True)  # type: ignore[arg-type]
        return [self.dossier / Path(p).relative_to(self.brouillon) for p in chemins]

    def _deplacer(self, relatifs: list[Path]) -> list[tuple[str, Path, Path]]:
        """Les renommages, notés pour pouvoir les défaire ; défaits tous si l'un échoue."""
        faits: list[tuple[str, Path, Path]] = []
        cible = self.dossier
        try:
            for relatif in relatifs:
                cible, nouveau, ancien = (
                    self.dossier / relatif,
                    self.brouillon / relatif,
                    self.anciens / relatif,
                )
                for parent in _parents_a_creer(cible.parent):
                    parent.mkdir()
                    faits.append(("cree", parent, parent))
                if os.path.lexists(cible):
                    ancien.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(cible, ancien)
                    faits.append(("ecarte", cible, ancien))
                os.rename(nouveau, cible)
                faits.append(("place", cible, nouveau))
        except OSError as exc:
            restes = self._annuler(faits)
            raise BarometreErreur(
                message_irremplacable(cible, self.dossier, exc, self.operation) + restes
            ) from None
        return faits

    def _annuler(self, faits: list[tuple[str, Path, Path]]) -> str:
        """Défait les renommages à rebours ; rend un avertissement si l'un n'a pas pu l'être."""
        echecs = []
        for action, chemin, autre in reversed(faits):
            try:
                if action == "cree":
                    chemin.rmdir()
                elif action == "ecarte":
                    os.rename(autre, chemin)
                else:
                    os.rename(chemin, autre)
            except OSError:
                echecs.append(chemin)
        if not echecs:
            return ""
        self.garder = True
        return (
            f" Attention : {len(echecs)} élément(s) n'ont pas pu être remis en place ; les "
            f"versions précédentes sont conservées dans « {self.anciens} »."
        )


def _elements(relatifs: list[Path]) -> list[Path]:
    """Sans doublon ni chemin contenu dans un autre (un dossier se publie en entier)."""
    uniques = list(dict.fromkeys(relatifs))
    presents = set(uniques)  # un ensemble : des milliers de gabarits restent linéaires
    return [p for p in uniques if not any(a in presents for a in p.parents)]


def _parents_a_creer(dossier: Path) -> list[Path]:
    manquants = []
    while not dossier.exists():
        manquants.append(dossier)
        dossier = dossier.parent
    return list(reversed(manquants))


def _effacer_abandonnes(dossier: Path) -> None:
    """Les brouillons d'une opération tombée (le verrou est à nous : personne ne s'en sert).

    Un brouillon qui garde des versions précédentes (remise en place ratée) n'est pas effacé.
    """
    for brouillon in dossier.glob(PREFIXE_BROUILLON + "*"):
        anciens = brouillon / "anciens"
        if brouillon.is_dir() and not (anciens.is_dir() and any(anciens.iterdir())):
            shutil.rmtree(brouillon, ignore_errors=True)


def ecrire_ensemble(
    dossier: Path,
    ecrire: Callable[[Path], list[Path]],
    operation: str = "la compilation",
) -> list[Path]:
    """Verrouille `dossier`, appelle `ecrire(brouillon)`, puis publie ce qu'il rend, d'un coup.

    Ce que `ecrire` rend (fichiers ou dossiers du brouillon) remplace les éléments de même
    nom du dossier ; rien d'autre n'est touché. Si `ecrire` échoue, ou si une sortie ne peut
    pas être remplacée, le dossier reste tel quel.
    """
    with verrouiller(dossier, operation), Ensemble(dossier, operation) as ensemble:
        return ensemble.publier(ecrire(ensemble.brouillon))


__all__ = [
    "Ensemble",
    "ecrire_ensemble",
    "message_irremplacable",
    "verifier_remplacables",
    "verrouiller",
]
