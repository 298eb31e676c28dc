"""Condition (4.1) : organisations qui répondent Oui à chaque question / organisations ciblées.

Pour 4.1, les deux questions sont le plan de transformation déposé et au moins une initiative
terminée : l'organisation respecte la cible seulement si les deux réponses sont Oui.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from barometre_cli.calculs.base import LigneResultat, PieceGabarit, SurOrganisationsCiblees
from barometre_cli.calculs.valeurs import Regle, oui_non
from barometre_cli.catalogue import NON, OUI, Calcul, Cible
from barometre_cli.lecture import ClasseurLu


@dataclass(frozen=True)
class SaisieCondition:
    """Une réponse par question, dans l'ordre du catalogue ; None si inutilisable."""

    cible: str
    reponses: tuple[bool | None, ...]


class Condition(SurOrganisationsCiblees):
    calcul = Calcul.CONDITION
    montre_numerateur = False

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieCondition]:
        reponses = []
        for champ in cible.champs:
            reponse = yield from oui_non(classeur.noms[champ.nom], 0, 0, champ.libelle, cible.id)
            reponses.append(reponse)
        return SaisieCondition(cible.id, tuple(reponses))

    def respecte(self, saisie: SaisieCondition, cible: Cible) -> bool:
        return all(r is True for r in saisie.reponses)

    def numerateur_denominateur(self, saisie: SaisieCondition, cible: Cible) -> tuple[int, int]:
        return int(self.respecte(saisie, cible)), 1

    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, object]:
        """Oui le plus souvent, un peu moins à chaque question suivante."""
        return {
            champ.nom: OUI if alea.random() < 0.9 - 0.15 * k else NON
            for k, champ in enumerate(cible.champs)
        }

    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        toutes = ",".join(f'TRIM({{{champ.nom}}})="{OUI}"' for champ in cible.champs)
        return PieceGabarit(
            lignes=(
                LigneResultat(
                    "respecte",
                    "Votre organisation respecte la cible",
                    f'=IF(AND({toutes}),"{OUI}","{NON}")',
                    "texte",
                ),
            )
        )

    def paragraphes(self, cible: Cible) -> tuple[str, ...]:
        return (
            "Pour cette cible, le résultat gouvernemental est la proportion des organisations "
            "ciblées qui respectent la condition : une organisation qui ne répond pas compte "
            "au dénominateur sans compter au numérateur.",
        )


TYPE = Condition()
