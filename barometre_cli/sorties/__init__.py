"""Un petit module par format de sortie : console (rich), JSON, classeur, CSV ouvert."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation import Collecte
    from barometre_cli.consolidation import Consolidation


def ecrire_sorties(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    """Écrit le classeur sommaire, le CSV ouvert et sa description ; rend les chemins écrits."""
    from barometre_cli.sorties.csv_ouvert import ecrire_csv
    from barometre_cli.sorties.xlsx import ecrire_classeur

    return [
        ecrire_classeur(collecte, conso, dossier / "sommaire.xlsx"),
        *ecrire_csv(conso.resultats, dossier, collecte.periode),
    ]
