"""Ce qu'est un type de calcul, et l'arithmétique exacte commune à tous.

Chacun des cinq types de calcul du guide (ratio, condition, taux d'utilisation, liste fixe,
jeux de données) est une unité de `barometre_cli.calculs` qui dérive de `TypeCalcul` : sa
saisie typée, ses règles sur un classeur lu, le résultat d'une organisation, ses lignes dans
les tables mises en commun, son détail dans le sommaire, ses morceaux de gabarit et ses
formules. Le reste du code passe par cette interface et ne teste jamais le type d'une cible.

Les comparaisons se font en fractions : 75 % pile n'est jamais « supérieur à 75 % » à cause
d'un arrondi. Les seuils eux-mêmes sont des données du catalogue (`Cible.seuil`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from barometre_cli.catalogue import Calcul, Cible

if TYPE_CHECKING:  # la lecture n'est utile qu'aux règles, pandas qu'au détail
    import pandas as pd

    from barometre_cli.lecture import ClasseurLu
    from barometre_cli.valeurs import Regle


@dataclass(frozen=True)
class Resultat:
    """Numérateur, dénominateur et ce qu'on en tire ; `None` quand le dénominateur vaut 0."""

    cible: str
    numerateur: int
    denominateur: int
    proportion: Fraction | None
    taux_atteinte: Fraction | None
    #: pour 4.1 et 6.1 : l'organisation remplit-elle la condition ?
    respecte: bool | None = None


def proportion(numerateur: int, denominateur: int) -> Fraction | None:
    return Fraction(numerateur, denominateur) if denominateur else None


def taux_atteinte(resultat: Fraction | None, cible: Cible) -> Fraction | None:
    """Résultat / valeur visée (25 % sur 75 % → 33 %) ; jamais plafonné."""
    return None if resultat is None else resultat / cible.valeur_visee


# --- Morceaux de gabarit : des données que `gabarit` dispose -------------------------------


@dataclass(frozen=True)
class LigneResultat:
    """Une ligne du bloc « Votre résultat » d'un gabarit.

    `formule` est une formule de tableur où `{nom}` désigne la cellule ou la plage d'un champ
    (nom défini), `{plage_cle}` la colonne `cle` d'un tableau, et `{cle}` une ligne de résultat
    précédente ; `format` est « entier », « pourcentage » ou « texte ».
    """

    cle: str
    libelle: str
    formule: str
    format: str


@dataclass(frozen=True)
class ColonneCalculee:
    """Une colonne grise d'un tableau, calculée ligne à ligne ; `{cle}` = cellule de la ligne."""

    cle: str
    entete: str
    formule: str
    format: str


@dataclass(frozen=True)
class PieceGabarit:
    """Ce qu'un type de calcul ajoute à la feuille Saisie : lignes de résultat et colonnes.

    Avec `proportion`, le bloc se termine par « Votre proportion », la valeur visée et le taux
    d'atteinte (et une note : le Ministère recalcule tout).
    """

    lignes: tuple[LigneResultat, ...] = ()
    proportion: str | None = None
    colonnes: tuple[ColonneCalculee, ...] = ()


@dataclass(frozen=True)
class ColonneDetail:
    """Une colonne d'une feuille de détail du sommaire : titre, clé, format, largeur."""

    titre: str
    cle: str
    format: str | None
    largeur: int


@dataclass(frozen=True)
class Detail:
    """Une feuille de détail du sommaire (services de 5.1, processus de 5.2, jeux de 6.1)."""

    feuille: str
    colonnes: tuple[ColonneDetail, ...]


# --- L'interface d'un type de calcul -------------------------------------------------------


class TypeCalcul(ABC):
    """Un type de calcul du guide ; une instance par type, enregistrée dans `calculs`."""

    calcul: ClassVar[Calcul]
    #: Résultat gouvernemental = organisations qui respectent la condition / organisations
    #: ciblées (4.1, 6.1), plutôt que Σ numérateurs / Σ dénominateurs.
    sur_organisations_ciblees: ClassVar[bool] = False
    #: Le taux d'atteinte a-t-il un sens pour une seule organisation ?
    taux_organisation: ClassVar[bool] = True
    #: Le numérateur et le dénominateur d'une organisation disent-ils quelque chose à côté de
    #: son résultat ? (4.1 : toujours 1 sur 1 ou 0 sur 1, donc non.)
    montre_numerateur: ClassVar[bool] = True
    #: Les clés des lignes de `lignes_detail`, pour une table de détail même vide.
    cles_detail: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[Any]:
        """Produit les constats des saisies de `cible` et rend la saisie normalisée."""

    @abstractmethod
    def numerateur_denominateur(self, saisie: Any, cible: Cible) -> tuple[int, int]:
        """Le couple propre à une organisation."""

    def respecte(self, saisie: Any, cible: Cible) -> bool | None:
        """L'organisation remplit-elle la condition ? None pour un simple ratio."""
        return None

    def resultat(self, saisie: Any, cible: Cible) -> Resultat:
        """Ce que le répondant verra de sa propre organisation pour `cible`."""
        num, den = self.numerateur_denominateur(saisie, cible)
        prop = proportion(num, den)
        taux = taux_atteinte(prop, cible) if self.taux_organisation else None
        return Resultat(cible.id, num, den, prop, taux, self.respecte(saisie, cible))

    @abstractmethod
    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        """Les formules et libellés que le gabarit montre au répondant."""

    def paragraphes(self, cible: Cible) -> tuple[str, ...]:
        """Paragraphes propres au type, ajoutés aux instructions du gabarit."""
        return ()

    def documentation(self, cible: Cible) -> list[str]:
        """Lignes ajoutées à l'interface publique documentée (docs/interface.md)."""
        return []

    def detail(self, cible: Cible) -> Detail | None:
        """La feuille de détail du sommaire, s'il y en a une."""
        return None

    def lignes_detail(self, saisie: Any, cible: Cible) -> Iterator[dict[str, Any]]:
        """Les lignes de la table mise en commun (une par service, processus, jeu…)."""
        return iter(())

    def presenter_detail(self, table: pd.DataFrame, cible: Cible) -> pd.DataFrame:
        """La table mise en commun, prête pour la feuille de détail (mots, regroupements)."""
        return table


def oui_non(valeur: bool) -> str:
    """Un booléen en mot, pour une feuille de détail."""
    from barometre_cli.catalogue import NON, OUI

    return OUI if valeur else NON
