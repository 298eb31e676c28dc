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

from barometre_cli.catalogue import NON, OUI, Calcul, Cible, Type

if TYPE_CHECKING:  # la lecture n'est utile qu'aux règles, pandas qu'au détail
    import pandas as pd

    from barometre_cli.calculs.valeurs import Regle
    from barometre_cli.lecture import ClasseurLu


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

    `formule` est une formule de tableur où `{nom}` désigne un champ par son nom défini (la
    cellule, la liste ou le tableau entier), `{plage_cle}` la colonne `cle` d'un tableau sur
    toute la hauteur du nom défini (les lignes insérées dans le tableau comptent), et `{cle}`
    une ligne de résultat précédente ; `format` est « entier », « pourcentage » ou « texte ».
    `matricielle` : formule à évaluer en matrice (une somme sur une colonne entière).
    """

    cle: str
    libelle: str
    formule: str
    format: str
    matricielle: bool = False


@dataclass(frozen=True)
class ColonneCalculee:
    """Une colonne grise d'un tableau, calculée ligne à ligne ; `{cle}` = cellule de la ligne."""

    cle: str
    entete: str
    formule: str
    format: str


#: Ce qu'une vérification dit d'une cellule, du plus grave au moins grave ; c'est aussi l'ordre
#: du bilan affiché en haut de la feuille.
A_CORRIGER, A_REMPLIR, A_VERIFIER = "à corriger", "à remplir", "à vérifier"


@dataclass(frozen=True)
class Verification:
    """Un contrôle que la feuille de saisie fait seule, écrit une fois comme donnée.

    `cle` : le champ (nom défini) ou la colonne de tableau dont la cellule est signalée.
    `condition` : formule de tableur sans « = », non nulle quand il y a un problème. `{cle}`
    y désigne la cellule d'un champ, ou la cellule de la même ligne pour une colonne ;
    `{plage_cle}` la colonne entière ; `{debut_cle}` la colonne depuis la première ligne du
    tableau jusqu'à la ligne courante. Elle s'écrit sans AND, OR ni IF (des produits et des
    sommes de comparaisons) : ainsi la même condition vaut pour une cellule (message, mise en
    forme) et pour une colonne entière (le bilan compte les lignes insérées).
    `compte` remplace, pour le bilan, la somme de la condition sur la colonne.
    `code` est le constat de `valider` que la vérification annonce : `valider` reste
    l'autorité, la feuille n'en montre que ce qu'elle sait calculer.
    `premiere_ligne` : contrôle d'un tableau entier, montré sur sa première ligne.
    """

    cle: str
    condition: str
    message: str
    code: str
    nature: str = A_CORRIGER
    compte: str | None = None
    premiere_ligne: bool = False

    @property
    def grave(self) -> bool:
        """Une erreur pour `valider` (à corriger ou à remplir), pas un avertissement."""
        return self.nature != A_VERIFIER


def verifications_saisie(
    cle: str, type_: Type, obligatoire: bool = True, maximum: int | None = None
) -> tuple[Verification, ...]:
    """Les contrôles qu'impose le type d'une saisie, dans l'ordre où `valeurs` les fait."""
    x = f"{{{cle}}}"
    controles: list[Verification] = []
    if obligatoire:
        controles.append(
            Verification(cle, f'TRIM({x})=""', "À remplir.", "valeur-manquante", A_REMPLIR)
        )
    if type_ is Type.ENTIER:
        controles += [
            Verification(
                cle,
                f'({x}<>"")*NOT(ISNUMBER({x}))',
                "Nombre attendu, pas du texte.",
                "valeur-non-numerique",
            ),
            Verification(
                cle, f"ISNUMBER({x})*({x}<0)", "Nombre négatif : 0 ou plus.", "nombre-negatif"
            ),
            Verification(
                cle,
                f"ISNUMBER({x})*({x}<>INT({x}))",
                "Nombre entier attendu, sans décimales.",
                "nombre-decimal",
            ),
        ]
        if maximum is not None:
            controles.append(
                Verification(
                    cle,
                    f"ISNUMBER({x})*({x}>{maximum})",
                    f"Plus de {maximum:,} : à vérifier.".replace(",", "\u00a0"),
                    "valeur-elevee",
                    A_VERIFIER,
                )
            )
    elif type_ is Type.ANNEE:
        annee = f"IFERROR(VALUE({x}),0)"
        controles.append(
            Verification(
                cle,
                f'(TRIM({x})<>"")*((({annee})<2019)+(({annee})>2099)+(({annee})<>INT({annee}))>0)',
                "Année sur quatre chiffres, par exemple 2026.",
                "periode-invalide",
            )
        )
    elif type_ is Type.COURRIEL:
        controles.append(
            Verification(
                cle,
                f'(TRIM({x})<>"")*ISERROR(FIND(".",{x},FIND("@",{x})+2))',
                "Adresse courriel douteuse : à vérifier.",
                "courriel-douteux",
                A_VERIFIER,
            )
        )
    elif type_ is Type.OUI_NON:
        controles.append(
            Verification(
                cle,
                f'(TRIM({x})<>"")*(TRIM({x})<>"{OUI}")*(TRIM({x})<>"{NON}")',
                f"Choisissez {OUI} ou {NON} dans la liste.",
                "oui-non-invalide",
            )
        )
    return tuple(controles)


def verifications_statut(cle: str, statuts: tuple[str, ...]) -> Verification:
    """Un statut pris dans la liste permise ; l'apostrophe typographique est acceptée."""
    x = f'SUBSTITUTE(TRIM({{{cle}}}),"’","\'")'
    differents = "*".join(f'({x}<>"{s}")' for s in statuts)
    return Verification(
        cle,
        f'(TRIM({{{cle}}})<>"")*{differents}',
        "Choisissez un statut dans la liste.",
        "statut-invalide",
    )


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

    def verifications(self, cible: Cible) -> tuple[Verification, ...]:
        """Les contrôles que la feuille de saisie fait seule : par défaut, ceux des types."""
        controles: list[Verification] = []
        for champ in cible.champs:
            controles += verifications_saisie(
                champ.nom, champ.type, champ.obligatoire, champ.maximum
            )
        return tuple(controles)

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
