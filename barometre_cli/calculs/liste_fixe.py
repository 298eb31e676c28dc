"""Liste fixe (5.2) : éléments d'une liste fixe qui ont le statut qui compte / longueur de la liste.

Pour 5.2, la liste est celle des 12 processus administratifs prioritaires du guide
(`Cible.liste`) et seul le premier statut (« Sans papier de bout en bout ») compte ; le
dénominateur est toujours la longueur de la liste, même pour un processus inexistant.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barometre_cli.calculs.base import (
    ColonneDetail,
    ControleFeuille,
    Detail,
    LigneResultat,
    PieceGabarit,
    TypeCalcul,
    controle_statut,
)
from barometre_cli.calculs.valeurs import NOM_DEFINI_BRISE, Regle, parmi, texte_de
from barometre_cli.catalogue import Calcul, Cible, normaliser_libelle
from barometre_cli.domaine.constats import E, constat, definir
from barometre_cli.lecture import ClasseurLu

if TYPE_CHECKING:
    import pandas as pd


_RECOPIER = "(recopiez le nom d'un gabarit neuf)"
PROCESSUS_INCONNU = definir(
    "processus-inconnu",
    E,
    "Le nom d'un processus de la liste fixe a été changé : son statut ne peut pas être attribué.",
    "« {nom} » n'est pas un des {nombre} processus du guide. Remettez le nom d'origine du "
    "processus " + _RECOPIER + " : le statut de cette ligne ne peut pas être attribué.",
    famille="calcul",
)
PROCESSUS_EN_DOUBLE = definir(
    "processus-en-double",
    E,
    "Un processus de la liste fixe figure sur deux lignes.",
    "Le processus « {nom} » figure deux fois dans la liste. Remettez chaque processus sur une "
    "seule ligne, avec son statut.",
    famille="calcul",
)
PROCESSUS_MANQUANT = definir(
    "processus-manquant",
    E,
    "Un des processus de la liste fixe n'y figure plus.",
    "Le processus « {nom} » ne figure plus dans la liste. Remettez-le sur une ligne, avec son "
    "statut " + _RECOPIER + ".",
    famille="calcul",
)


@dataclass(frozen=True)
class SaisieListe:
    """Un statut par élément de la liste, dans l'ordre du catalogue ("" si inutilisable)."""

    cible: str
    statuts: tuple[str, ...]


def _rangs(classeur: ClasseurLu, cible: Cible) -> Regle[dict[int, int]]:
    """Élément de la liste → sa ligne dans la plage des saisies, d'après le nom écrit à côté.

    Une liste triée ou réordonnée se lit donc juste ; un nom changé ou absent est une erreur à
    sa cellule. Un gabarit d'avant la colonne nommée des éléments se lit dans l'ordre du guide.
    """
    champ = cible.champs[0]
    noms = classeur.noms.get(champ.etiquettes) if champ.etiquettes else None
    if noms is None:
        return {k: k for k in range(len(cible.liste))}
    if len(noms.valeurs) != len(cible.liste):
        yield constat(
            NOM_DEFINI_BRISE,
            noms.feuille,
            noms.adresse(),
            cible.id,
            nom=champ.etiquettes,
            libelle="noms des processus",
            probleme=f"ne couvre plus ses {len(cible.liste)} lignes",
        )
        return {}
    attendus = {normaliser_libelle(e.nom): k for k, e in enumerate(cible.liste)}
    rangs: dict[int, int] = {}
    for i, rang in enumerate(noms.valeurs):
        nom = texte_de(rang[0])
        k = attendus.get(normaliser_libelle(nom))
        if k is None or k in rangs:
            yield constat(
                PROCESSUS_INCONNU if k is None else PROCESSUS_EN_DOUBLE,
                noms.feuille,
                noms.adresse(i, 0),
                cible.id,
                nom=nom[:80],
                nombre=len(cible.liste),
            )
            continue
        rangs[k] = i
    for k, element in enumerate(cible.liste):
        if k not in rangs:
            yield constat(
                PROCESSUS_MANQUANT, noms.feuille, noms.adresse(), cible.id, nom=element.nom
            )
    return rangs


def compte(cible: Cible, statut: str) -> bool:
    """Le statut est celui qui compte au numérateur (le premier de la liste des statuts)."""
    return statut == cible.statuts[0]


class ListeFixe(TypeCalcul):
    calcul = Calcul.LISTE_FIXE
    cles_detail = ("rang", "domaine", "processus", "statut", "sans_papier")

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieListe]:
        champ = cible.champs[0]
        plage = classeur.noms[champ.nom]
        rangs = yield from _rangs(classeur, cible)
        statuts = [""] * len(cible.liste)
        for k, i in rangs.items():
            libelle = f"Statut — {cible.liste[k].nom}"
            statut = yield from parmi(plage, i, 0, libelle, cible.statuts, cible.id)
            statuts[k] = statut or ""
        return SaisieListe(cible.id, tuple(statuts))

    def numerateur_denominateur(self, saisie: SaisieListe, cible: Cible) -> tuple[int, int]:
        return sum(compte(cible, s) for s in saisie.statuts), len(cible.liste)

    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, object]:
        """Le statut qui compte le plus souvent ; les autres, de moins en moins."""
        poids = [0.6, *(0.4 / 2**k for k in range(1, len(cible.statuts)))]
        statuts = [alea.choices(cible.statuts, poids)[0] for _ in cible.liste]
        return {cible.champs[0].nom: statuts}

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

    def controles_feuille(self, cible: Cible) -> tuple[ControleFeuille, ...]:
        nom = cible.champs[0].nom
        return (*super().controles_feuille(cible), controle_statut(nom, cible.statuts))

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
