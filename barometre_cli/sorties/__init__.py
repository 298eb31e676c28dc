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
    """Écrit le sommaire, le CSV ouvert et sa description, la page HTML (et les fiches).

    Rend les chemins écrits ; les fiches par organisation sont rangées dans `dossier/fiches/`
    et seul ce dossier figure dans la liste.
    """
    from barometre_cli.sorties.csv_ouvert import ecrire_csv
    from barometre_cli.sorties.html import NOM_FICHIER, ecrire_html
    from barometre_cli.sorties.journal_csv import ecrire_journal
    from barometre_cli.sorties.xlsx import ecrire_classeur

    ecrits = [
        ecrire_classeur(collecte, conso, dossier / "sommaire.xlsx"),
        *ecrire_csv(
            conso.resultats, dossier, collecte.periode, registre_fourni=collecte.registre_fourni
        ),
        ecrire_journal(collecte, dossier),
        ecrire_html(collecte, conso, dossier / NOM_FICHIER),
    ]
    if fiches:
        from barometre_cli.sorties.fiches import ecrire_fiches

        ecrire_fiches(collecte, conso, dossier / "fiches")
        ecrits.append(dossier / "fiches")
    return ecrits
