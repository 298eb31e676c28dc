"""Un petit module par format de sortie : console (rich), JSON, classeur, CSV ouvert."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation import Collecte
    from barometre_cli.consolidation import Consolidation


def ecrire_sorties(
    collecte: Collecte, conso: Consolidation, dossier: Path, fiches: bool = False
) -> list[Path]:
    """Écrit le sommaire, le CSV ouvert et sa description (et les fiches) ; rend les chemins.

    Les fiches par organisation sont rangées dans `dossier/fiches/` ; seul le dossier figure
    dans la liste rendue.
    """
    from barometre_cli.sorties.csv_ouvert import ecrire_csv
    from barometre_cli.sorties.xlsx import ecrire_classeur

    ecrits = [
        ecrire_classeur(collecte, conso, dossier / "sommaire.xlsx"),
        *ecrire_csv(conso.resultats, dossier, collecte.periode),
    ]
    if fiches:
        from barometre_cli.sorties.fiches import ecrire_fiches

        ecrire_fiches(collecte, conso, dossier / "fiches")
        ecrits.append(dossier / "fiches")
    return ecrits
