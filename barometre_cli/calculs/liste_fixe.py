"""Liste fixe (5.2) : éléments d'une liste fixe qui ont le statut qui compte / longueur de la liste.

Pour 5.2, la liste est celle des 12 processus administratifs prioritaires du guide
(`Cible.liste`) et seul le premier statut (« Sans papier de bout en bout ») compte ; le
dénominateur est toujours la longueur de la liste, même pour un processus inexistant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barometre_cli.calcul import (
    ColonneDetail,
    Detail,
    LigneResultat,
    PieceGabarit,
    TypeCalcul,
    Verification,
    verifications_statut,
)
from barometre_cli.catalogue import Calcul, Cible
from barometre_cli.lecture import ClasseurLu
from barometre_cli.valeurs import Regle, parmi

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class SaisieListe:
    """Un statut par élément de la liste, dans l'ordre du catalogue ("" si inutilisable)."""

    cible: str
    statuts: tuple[str, ...]


def compte(cible: Cible, statut: str) -> bool:
    """Le statut est celui qui compte au numérateur (le premier de la liste des statuts)."""
    return statut == cible.statuts[0]


class ListeFixe(TypeCalcul):
    calcul = Calcul.LISTE_FIXE
    cles_detail = ("rang", "domaine", "processus", "statut", "sans_papier")

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieListe]:
        plage = classeur.noms[cible.champs[0].nom]
        statuts = []
        for i, element in enumerate(cible.liste):
            statut = yield from parmi(
                plage, i, 0, f"Statut — {element.nom}", cible.statuts, cible.id
            )
            statuts.append(statut or "")
        return SaisieListe(cible.id, tuple(statuts))

    def numerateur_denominateur(self, saisie: SaisieListe, cible: Cible) -> tuple[int, int]:
        return sum(compte(cible, s) for s in saisie.statuts), len(cible.liste)

    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        plage, statut = f"{{{cible.champs[0].nom}}}", cible.statuts[0]
        nombre = f'COUNTIF({plage},"{statut}")'
        return PieceGabarit(
            lignes=(
                LigneResultat(
                    "comptes", f"Processus {statut[0].lower()}{statut[1:]}", f"={nombre}", "entier"
                ),
            ),
            proportion=f'=IF(COUNTA({plage})=0,"",{nombre}/{len(cible.liste)})',
        )

    def verifications(self, cible: Cible) -> tuple[Verification, ...]:
        nom = cible.champs[0].nom
        return (*super().verifications(cible), verifications_statut(nom, cible.statuts))

    def documentation(self, cible: Cible) -> list[str]:
        return [
            "",
            "Ordre des processus :",
            "",
            *(f"{i}. {p.nom} ({p.domaine})" for i, p in enumerate(cible.liste, 1)),
            "",
            "Statuts permis : " + " ; ".join(f"« {s} »" for s in cible.statuts) + ".",
        ]

    def detail(self, cible: Cible) -> Detail:
        return Detail(
            f"{cible.id} Processus",
            (
                ColonneDetail("Rang", "rang", "nombre", 6),
                ColonneDetail("Domaine", "domaine", None, 34),
                ColonneDetail("Processus", "processus", None, 45),
                ColonneDetail(
                    f"Organisations {cible.statuts[0][0].lower()}{cible.statuts[0][1:]}",
                    "sans_papier",
                    "entier",
                    18,
                ),
                ColonneDetail("Organisations retenues", "organisations", "entier", 14),
                ColonneDetail("Proportion", "proportion", "pourcentage", 11),
            ),
        )

    def lignes_detail(self, saisie: SaisieListe, cible: Cible) -> Iterator[dict[str, Any]]:
        for rang, (element, statut) in enumerate(zip(cible.liste, saisie.statuts, strict=False), 1):
            yield {
                "rang": rang,
                "domaine": element.domaine,
                "processus": element.nom,
                "statut": statut,
                "sans_papier": compte(cible, statut),
            }

    def presenter_detail(self, table: pd.DataFrame, cible: Cible) -> pd.DataFrame:
        """Pour chaque élément de la liste : combien d'organisations ont le statut qui compte."""
        colonnes = ["rang", "domaine", "processus", "sans_papier", "organisations", "proportion"]
        if table.empty:
            return table.reindex(columns=colonnes)
        detail = (
            table.groupby(["rang", "domaine", "processus"], as_index=False)
            .agg(sans_papier=("sans_papier", "sum"), organisations=("code", "nunique"))
            .sort_values("rang")
        )
        detail["proportion"] = detail["sans_papier"] / detail["organisations"]
        return detail[colonnes]


TYPE = ListeFixe()
