"""Ratio de dénombrements (1.1, 1.2, 1.3, 2.1, 3.1, 4.2) : Σ numérateurs / Σ dénominateurs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from barometre_cli.calculs.base import ControleFeuille, PieceGabarit, TypeCalcul
from barometre_cli.calculs.valeurs import Regle, entier
from barometre_cli.catalogue import Calcul, Cible
from barometre_cli.domaine.constats import E, I, constat, definir
from barometre_cli.lecture import ClasseurLu

NUMERATEUR_SUPERIEUR = definir(
    "numerateur-superieur",
    E,
    "Le numérateur dépasse le dénominateur.",
    "Le numérateur ({numerateur}) dépasse le dénominateur ({denominateur}) : il compte une "
    "partie du dénominateur et ne peut pas le dépasser. Corrigez l'un ou l'autre.",
    "Dépasse le dénominateur, dont il compte une partie.",
    famille="calcul",
)
NON_APPLICABLE = definir(
    "non-applicable",
    I,
    "Numérateur et dénominateur valent 0 : la cible est non applicable.",
    "Numérateur et dénominateur valent 0 : la cible sera « non applicable » pour votre "
    "organisation (rien à compter).",
    famille="calcul",
)


@dataclass(frozen=True)
class SaisieRatio:
    """Les deux dénombrements d'une organisation ; None quand la cellule est inutilisable."""

    cible: str
    numerateur: int | None
    denominateur: int | None


class Ratio(TypeCalcul):
    calcul = Calcul.RATIO

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieRatio]:
        champ_num, champ_den = cible.champs
        p_num, p_den = classeur.noms[champ_num.nom], classeur.noms[champ_den.nom]
        num = yield from entier(p_num, 0, 0, champ_num.libelle, cible.id, champ_num.maximum)
        den = yield from entier(p_den, 0, 0, champ_den.libelle, cible.id, champ_den.maximum)
        if num is not None and den is not None:
            lieu = (p_num.feuille, p_num.adresse(), cible.id)
            if num > den:
                yield constat(NUMERATEUR_SUPERIEUR, *lieu, numerateur=num, denominateur=den)
            elif num == den == 0:
                yield constat(NON_APPLICABLE, *lieu)
        return SaisieRatio(cible.id, num, den)

    def numerateur_denominateur(self, saisie: SaisieRatio, cible: Cible) -> tuple[int, int]:
        return saisie.numerateur or 0, saisie.denominateur or 0

    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, object]:
        champ_num, champ_den = cible.champs
        # Un grand maximum (des employés) appelle de grands nombres ; sinon, des services.
        grand = (champ_den.maximum or 0) > 10_000
        den = alea.randint(200, 4000) if grand else alea.randint(2, 40)
        part = min(1.0, max(0.0, alea.gauss(float(cible.valeur_visee) * 0.85, 0.2)))
        return {champ_num.nom: round(den * part), champ_den.nom: den}

    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        num, den = (f"{{{champ.nom}}}" for champ in cible.champs)
        return PieceGabarit(
            proportion=f'=IF(AND(ISNUMBER({num}),ISNUMBER({den}),{den}>0),{num}/{den},"")'
        )

    def controles_feuille(self, cible: Cible) -> tuple[ControleFeuille, ...]:
        champ_num, champ_den = cible.champs
        num, den = f"{{valeur_{champ_num.nom}}}", f"{{valeur_{champ_den.nom}}}"
        return (
            *super().controles_feuille(cible),
            ControleFeuille(
                champ_num.nom,
                f"ISNUMBER({num})*ISNUMBER({den})*({num}>{den})",
                NUMERATEUR_SUPERIEUR,
            ),
        )


TYPE = Ratio()
