"""Jeux de données (6.1) : organisations qui diffusent la majorité de leurs jeux à haut
potentiel / organisations ciblées.

Un jeu est à haut potentiel quand ses points à l'axe A passent `Cible.seuil` (« 50 points ou
plus ») ; l'organisation respecte la cible quand la part de ces jeux qu'elle diffuse passe
`Cible.seuil_organisation` (« plus de 50 % »). Sans jeu à haut potentiel, elle ne la
respecte pas.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from barometre_cli.calculs.base import (
    A_VERIFIER,
    ColonneCalculee,
    ColonneDetail,
    ControleFeuille,
    Detail,
    LigneResultat,
    PieceGabarit,
    SurOrganisationsCiblees,
    oui_non,
)
from barometre_cli.calculs.tableau import (
    Ligne,
    controles_tableau,
    definir_double,
    en_erreur,
    parcourir,
    plage_etendue,
)
from barometre_cli.calculs.valeurs import VALEUR_ELEVEE, Regle, collecter
from barometre_cli.catalogue import NON, OUI, Calcul, Cible, Seuil
from barometre_cli.catalogue.cibles import MAX_POINTS
from barometre_cli.domaine.constats import A, constat, definir
from barometre_cli.lecture import ClasseurLu, Plage

if TYPE_CHECKING:
    import pandas as pd

#: Au-delà, un total de points à l'axe A est inhabituel (l'outil en donne de 90 à 100) : la
#: borne de la colonne au catalogue, que la feuille signale aussi « à vérifier ».
POINTS_USUELS_MAX = MAX_POINTS


JEU_EN_DOUBLE = definir_double(
    "jeu-en-double", "Le même jeu de données figure sur plusieurs lignes."
)
POINTS_ELEVES = definir(
    "points-eleves",
    A,
    "Un total de points à l'axe A dépasse le maximum usuel de l'Outil de priorisation.",
    "« {nom} » : {points} points à l'axe A, c'est plus que le maximum usuel de l'Outil de "
    "priorisation (90 à 100 points). Vérifiez le total.",
    "Plus de {maximum} points : à vérifier.",
    famille="calcul",
)
AUCUN_JEU_HAUT_POTENTIEL = definir(
    "aucun-jeu-haut-potentiel",
    A,
    "Aucun jeu n'atteint le seuil de points à l'axe A : l'organisation ne peut pas respecter "
    "la cible.",
    "Aucun jeu de données n'a {seuil} à l'axe A : votre organisation ne peut pas atteindre la "
    "cible {cible}. Si c'est exact, vous pouvez transmettre le fichier.",
    "Aucun jeu à {seuil} : à vérifier.",
    famille="calcul",
)


#: Des noms de jeux de données pour l'exemple livré et le banc d'essai.
JEUX_EXEMPLE = (
    "Liste des établissements", "Indicateurs de performance", "Budget détaillé",
    "Répertoire des programmes", "Statistiques de fréquentation", "Carte des points de service",
    "Contrats octroyés", "Délais de traitement",
)  # fmt: skip


@dataclass(frozen=True)
class Jeu:
    """Une ligne du tableau de la cible 6.1."""

    nom: str
    points_axe_a: int
    diffuse: bool


@dataclass(frozen=True)
class SaisieJeux:
    cible: str
    jeux: tuple[Jeu, ...]


def _seuils(cible: Cible) -> tuple[Seuil, Seuil]:
    if cible.seuil is None or cible.seuil_organisation is None:
        raise ValueError(f"la cible {cible.id} n'a pas ses deux seuils de jeux de données")
    return cible.seuil, cible.seuil_organisation


def jeu_haut_potentiel(cible: Cible, points: int) -> bool:
    """Les points à l'axe A passent le seuil de la cible (50 points ou plus, pour 6.1)."""
    return _seuils(cible)[0].atteint(points)


def diffuse_majorite(cible: Cible, diffuses: int, haut_potentiel: int) -> bool:
    """La part diffusée passe le seuil de l'organisation ; aucun jeu → non."""
    return _seuils(cible)[1].atteint(diffuses, haut_potentiel)


class JeuxDonnees(SurOrganisationsCiblees):
    calcul = Calcul.JEUX_DONNEES
    cles_detail = ("jeu", "points_axe_a", "diffuse", "haut_potentiel")
    #: Pour une organisation, 6.1 est une condition : le taux d'atteinte n'a de sens qu'à
    #: l'échelle gouvernementale.
    taux_organisation = False

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieJeux]:
        champ = cible.champs[0]
        plage = yield from plage_etendue(classeur, classeur.noms[champ.nom], cible)

        def retenir(ligne: Ligne, i: int) -> Regle[Jeu]:
            return (yield from self._ligne(plage, ligne, i, cible))

        # Le maximum des points (100) est contrôlé par `_ligne`, avec un message propre à
        # l'Outil de priorisation (`points-eleves`), plutôt que par `valeur-elevee`.
        constats, jeux = collecter(
            parcourir(plage, champ, cible, JEU_EN_DOUBLE, retenir, ("points_axe_a",))
        )
        yield from constats
        if not en_erreur(constats) and not any(
            jeu_haut_potentiel(cible, j.points_axe_a) for j in jeux
        ):
            yield constat(
                AUCUN_JEU_HAUT_POTENTIEL,
                plage.feuille,
                plage.adresse(),
                cible.id,
                seuil=_seuils(cible)[0].libelle,
            )
        return SaisieJeux(cible.id, tuple(jeux))

    @staticmethod
    def _ligne(plage: Plage, ligne: Ligne, i: int, cible: Cible) -> Regle[Jeu]:
        nom, points = ligne["jeu"], ligne["points_axe_a"]
        if points > POINTS_USUELS_MAX:
            yield constat(
                POINTS_ELEVES,
                plage.feuille,
                plage.adresse(i, 1),
                cible.id,
                nom=nom[:80],
                points=points,
            )
        return Jeu(nom, points, ligne["diffuse"])

    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, object]:
        lignes = [
            [nom, alea.choice([20, 35, 45, 50, 60, 70, 90]), alea.choice([OUI, NON])]
            for nom in alea.sample(JEUX_EXEMPLE, alea.randint(0, 6))
        ]
        return {cible.champs[0].nom: lignes}

    def numerateur_denominateur(self, saisie: SaisieJeux, cible: Cible) -> tuple[int, int]:
        haut = [j for j in saisie.jeux if jeu_haut_potentiel(cible, j.points_axe_a)]
        return sum(j.diffuse for j in haut), len(haut)

    def respecte(self, saisie: SaisieJeux, cible: Cible) -> bool:
        return diffuse_majorite(cible, *self.numerateur_denominateur(saisie, cible))

    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        points, diffusion = _seuils(cible)
        haut = ColonneCalculee(
            "haut",
            f"Haut potentiel ({points.libelle})",
            f'=IF({{jeu}}="","",IF(AND(ISNUMBER({{points_axe_a}}),'
            f'{points.formule("{points_axe_a}")}),"{OUI}","{NON}"))',
            "texte",
        )
        diffuse = ColonneCalculee(
            "diffuse_haut",
            "Diffusé et à haut potentiel",
            f'=IF({{haut}}="{OUI}",IF(TRIM({{diffuse}})="{OUI}","{OUI}","{NON}"),"")',
            "texte",
        )
        p = "{plage_points_axe_a}"
        haut_potentiel = f'(TRIM({{plage_jeu}})<>"")*ISNUMBER({p})*({points.formule(p)})'
        return PieceGabarit(
            lignes=(
                LigneResultat(
                    "haut",
                    f"Jeux à haut potentiel ({points.libelle})",
                    f"=SUM(IFERROR({haut_potentiel},0))",
                    "entier",
                    matricielle=True,
                ),
                LigneResultat(
                    "diffuses",
                    "… dont diffusés sur Données Québec",
                    f'=SUM(IFERROR({haut_potentiel}*(TRIM({{plage_diffuse}})="{OUI}"),0))',
                    "entier",
                    matricielle=True,
                ),
                LigneResultat(
                    "part",
                    "Proportion diffusée",
                    '=IF({haut}>0,{diffuses}/{haut},"")',
                    "pourcentage",
                ),
                LigneResultat(
                    "respecte",
                    f"Votre organisation respecte la cible ({diffusion.libelle} diffusés)",
                    f"=IF(AND({{haut}}>0,{diffusion.formule('{diffuses}', '{haut}')}),"
                    f'"{OUI}","{NON}")',
                    "texte",
                ),
            ),
            colonnes=(haut, diffuse),
        )

    def controles_feuille(self, cible: Cible) -> tuple[ControleFeuille, ...]:
        points = _seuils(cible)[0]
        p = "{plage_valeur_points_axe_a}"
        # Les points au-delà du maximum : `valider` le dit par son propre constat.
        communs = (
            replace(v, code=POINTS_ELEVES, valeurs=(("maximum", str(POINTS_USUELS_MAX)),))
            if v.code is VALEUR_ELEVEE and v.cle == "points_axe_a"
            else v
            for v in controles_tableau(cible.champs[0], JEU_EN_DOUBLE)
        )
        return (
            *communs,
            ControleFeuille(
                "jeu",
                f"SUMPRODUCT(ISNUMBER({p})*({points.formule(p)}))=0",
                AUCUN_JEU_HAUT_POTENTIEL,
                A_VERIFIER,
                premiere_ligne=True,
                valeurs=(("seuil", points.libelle),),
            ),
        )

    def paragraphes(self, cible: Cible) -> tuple[str, ...]:
        return (
            "Pour cette cible, le résultat gouvernemental est la proportion des organisations "
            f"ciblées qui diffusent {_seuils(cible)[1].libelle} de leurs jeux à haut potentiel "
            ": une organisation qui ne répond pas compte au dénominateur sans compter au "
            "numérateur.",
        )

    def detail(self, cible: Cible) -> Detail:
        return Detail(
            f"{cible.id} Jeux de données",
            (
                ColonneDetail("Code", "code", None, 12),
                ColonneDetail("Réseau", "reseau", None, 30),
                ColonneDetail("Jeu de données", "jeu", None, 50),
                ColonneDetail("Points à l'axe A", "points_axe_a", "nombre", 10),
                ColonneDetail("Haut potentiel", "haut_potentiel_texte", None, 10),
                ColonneDetail("Diffusé sur Données Québec", "diffuse_texte", None, 12),
            ),
        )

    def lignes_detail(self, saisie: SaisieJeux, cible: Cible) -> Iterator[dict[str, Any]]:
        for j in saisie.jeux:
            yield {
                "jeu": j.nom,
                "points_axe_a": j.points_axe_a,
                "diffuse": j.diffuse,
                "haut_potentiel": jeu_haut_potentiel(cible, j.points_axe_a),
            }

    def presenter_detail(self, table: pd.DataFrame, cible: Cible) -> pd.DataFrame:
        return table.assign(
            haut_potentiel_texte=[oui_non(v) for v in table["haut_potentiel"]],
            diffuse_texte=[oui_non(v) for v in table["diffuse"]],
        )


TYPE = JeuxDonnees()
