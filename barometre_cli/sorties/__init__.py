"""Les sorties de `compiler`, une par module, derrière une seule liste que la compilation parcourt.

Chaque écrivain reçoit la collecte, la consolidation et un dossier, et rend les chemins qu'il
a écrits. Ajouter une sortie, c'est écrire un module et l'inscrire dans `ECRIVAINS` avec les
noms qu'elle occupe ; les écrivains partagent leurs aides par `sorties.commun`, jamais par les
noms privés d'un autre.

Les sorties forment un ensemble : `ecrire_sorties` les fait écrire dans un brouillon, puis les
publie d'un coup (voir `sorties.ensemble`). Après une compilation, le dossier contient toutes
les nouvelles sorties, ou les précédentes intactes ; jamais un mélange.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation.collecte import Collecte
    from barometre_cli.compilation.consolidation import Consolidation


@dataclass(frozen=True)
class Ecrivain:
    """Une sortie : son nom (pour les messages) et la fonction qui l'écrit."""

    nom: str
    ecrire: Callable[[Collecte, Consolidation, Path], list[Path]]
    #: les fichiers ou dossiers qu'elle occupe dans le dossier de sortie
    noms: tuple[str, ...]
    #: écrite seulement sur demande (option de la commande)
    facultative: bool = False


def _sommaire(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.xlsx import ecrire_classeur

    return [ecrire_classeur(collecte, conso, dossier / "sommaire.xlsx")]


def _donnees_ouvertes(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.csv_ouvert import ecrire_csv

    return ecrire_csv(
        conso.resultats, dossier, collecte.periode, registre_fourni=collecte.registre_fourni
    )


def _journal(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.journal_csv import ecrire_journal

    return [ecrire_journal(collecte, dossier)]


def _page(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.html import NOM_FICHIER, ecrire_html

    return [ecrire_html(collecte, conso, dossier / NOM_FICHIER)]


def _relances(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.relances_csv import ecrire_relances

    return [ecrire_relances(conso.relances, dossier)]


def _historique(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.organisations_csv import ecrire_historique

    return [ecrire_historique(conso.organisations, dossier, collecte.periode)]


def _fiches(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    """Les fiches vont dans `fiches/` ; seul ce dossier figure dans la liste des sorties."""
    from barometre_cli.sorties.fiches import ecrire_fiches

    ecrire_fiches(collecte, conso, dossier / "fiches")
    return [dossier / "fiches"]


ECRIVAINS: tuple[Ecrivain, ...] = (
    Ecrivain("sommaire", _sommaire, ("sommaire.xlsx",)),
    Ecrivain("données ouvertes", _donnees_ouvertes, ("resultats.csv", "datapackage.json")),
    Ecrivain("journal", _journal, ("journal.csv",)),
    Ecrivain("relances", _relances, ("relances.csv",)),
    Ecrivain("historique par organisation", _historique, ("organisations.csv",)),
    Ecrivain("page", _page, ("barometre.html",)),
    Ecrivain("fiches", _fiches, ("fiches",), facultative=True),
)


def _demandes(fiches: bool) -> list[Ecrivain]:
    return [e for e in ECRIVAINS if not e.facultative or (fiches and e.nom == "fiches")]


def noms_sorties(fiches: bool = False) -> list[str]:
    """Les fichiers et dossiers qu'une compilation remplacera dans le dossier de sortie."""
    return [nom for ecrivain in _demandes(fiches) for nom in ecrivain.noms]


def ecrire_sorties(
    collecte: Collecte, conso: Consolidation, dossier: Path, fiches: bool = False
) -> list[Path]:
    """Écrit chaque sortie de `ECRIVAINS` (les fiches seulement si demandées), en un ensemble.

    Toutes sont écrites dans un brouillon, puis publiées d'un coup ; si l'une échoue, ou si
    une sortie existante ne peut pas être remplacée (ouverte dans Excel, lecture seule), le
    dossier reste tel quel (`OSError` ou `BarometreErreur`). Rend les chemins définitifs.
    """
    from barometre_cli.ecriture.ensemble import ecrire_ensemble

    def ecrire(brouillon: Path) -> list[Path]:
        ecrits: list[Path] = []
        for ecrivain in _demandes(fiches):
            ecrits.extend(ecrivain.ecrire(collecte, conso, brouillon))
        return ecrits

    return ecrire_ensemble(dossier, ecrire, "la compilation")
