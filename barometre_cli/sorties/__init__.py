"""Les sorties de `compiler`, une par module, derrière une seule liste que la compilation parcourt.

Chaque écrivain reçoit la collecte, la consolidation et le dossier de sortie, et rend les
chemins qu'il a écrits. Ajouter une sortie, c'est écrire un module et l'inscrire dans
`ECRIVAINS` ; les écrivains partagent leurs aides par `sorties.commun`, jamais par les noms
privés d'un autre.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation import Collecte
    from barometre_cli.consolidation import Consolidation


@dataclass(frozen=True)
class Ecrivain:
    """Une sortie : son nom (pour les messages) et la fonction qui l'écrit."""

    nom: str
    ecrire: Callable[[Collecte, Consolidation, Path], list[Path]]
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
    Ecrivain("sommaire", _sommaire),
    Ecrivain("données ouvertes", _donnees_ouvertes),
    Ecrivain("journal", _journal),
    Ecrivain("relances", _relances),
    Ecrivain("historique par organisation", _historique),
    Ecrivain("page", _page),
    Ecrivain("fiches", _fiches, facultative=True),
)


def ecrire_sorties(
    collecte: Collecte, conso: Consolidation, dossier: Path, fiches: bool = False
) -> list[Path]:
    """Écrit chaque sortie de `ECRIVAINS` (les fiches seulement si demandées) ; rend les chemins."""
    demandees = {"fiches"} if fiches else set()
    ecrits: list[Path] = []
    for ecrivain in ECRIVAINS:
        if not ecrivain.facultative or ecrivain.nom in demandees:
            ecrits.extend(ecrivain.ecrire(collecte, conso, dossier))
    return ecrits
