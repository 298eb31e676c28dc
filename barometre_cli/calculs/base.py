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

import random
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from barometre_cli.calculs.valeurs import (
    COURRIEL_DOUTEUX,
    DATE_DANS_NOMBRE,
    ESPACES_NOMBRE,
    NOMBRE_DECIMAL,
    NOMBRE_EN_TEXTE,
    NOMBRE_NEGATIF,
    OUI_NON_INVALIDE,
    PERIODE_DIFFERENTE,
    PERIODE_INVALIDE,
    POURCENTAGE_DANS_NOMBRE,
    STATUT_INVALIDE,
    VALEUR_ELEVEE,
    VALEUR_MANQUANTE,
    VALEUR_NON_NUMERIQUE,
)
from barometre_cli.catalogue import NON, OUI, Calcul, Cible, Type
from barometre_cli.domaine.constats import Code

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
#: du bilan affiché en haut de la feuille. « À confirmer » : la feuille ne peut pas conclure
#: (des lignes insérées dans un tableau, qu'elle ne vérifie pas) ; elle ne dit alors jamais
#: « Prêt à transmettre », mais de faire vérifier le fichier.
A_CORRIGER, A_REMPLIR, A_CONFIRMER, A_VERIFIER = (
    "à corriger",
    "à remplir",
    "à confirmer",
    "à vérifier",
)


@dataclass(frozen=True)
class ControleFeuille:
    """Un contrôle que la feuille de saisie fait seule, écrit une fois comme donnée.

    `cle` : le champ (nom défini) ou la colonne de tableau dont la cellule est signalée.
    `condition` : formule de tableur sans « = », non nulle quand il y a un problème. `{cle}`
    y désigne la cellule d'un champ, ou la cellule de la même ligne pour une colonne ;
    `{plage_cle}` la colonne entière ; `{debut_cle}` la colonne depuis la première ligne du
    tableau jusqu'à la ligne courante ; `{valeur_cle}` (et `{plage_valeur_cle}`) ce que la
    feuille lit d'une cellule de dénombrement (`lecture_nombre`) : le nombre, "" si elle est
    vide, ou `DATE`, `POURCENTAGE`, `TEXTE`. Elle s'écrit sans AND, OR ni IF (des produits et
    des sommes de comparaisons) : ainsi la même condition vaut pour une cellule (message,
    mise en forme) et pour une colonne entière (le bilan compte chaque ligne).
    `code` est le constat de `valider` que le contrôle annonce : son message court (rempli de
    `valeurs`) est ce que la feuille affiche ; `valider` reste l'autorité, la feuille n'en
    montre que ce qu'elle sait calculer.
    `compte` remplace, pour le bilan, la somme de la condition sur la colonne.
    `premiere_ligne` : contrôle d'un tableau entier, montré sur sa première ligne.
    """

    cle: str
    condition: str
    code: Code
    nature: str = A_CORRIGER
    compte: str | None = None
    premiere_ligne: bool = False
    valeurs: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """Le message court du code, tel que la feuille l'affiche."""
        return self.code.texte_court(**dict(self.valeurs))

    @property
    def grave(self) -> bool:
        """Une erreur pour `valider` (à corriger ou à remplir), pas un avertissement."""
        return self.nature in (A_CORRIGER, A_REMPLIR)


#: Ce que `lecture_nombre` rend pour une cellule de dénombrement inutilisable.
DATE, POURCENTAGE, TEXTE = "date", "pourcentage", "texte"


def _caractere(c: str) -> str:
    """Une espace dans une formule ; UNICHAR (Excel 2013) s'écrit `_xlfn.UNICHAR` dans le
    fichier, sans quoi Excel et LibreOffice ne la reconnaissent pas."""
    return f'"{c}"' if c == " " else f"_xlfn.UNICHAR({ord(c)})"


def lecture_nombre(x: str, standard: str) -> str:
    """La formule qui lit la cellule `x` comme `valeurs.entier` : le nombre, "" si elle est vide,
    `DATE` ou `POURCENTAGE` si un nombre y porte un format de date, d'heure ou de pourcentage,
    `TEXTE` pour un texte qui n'est pas un entier.

    Le format se voit par CELL("format") : « P… » pour un pourcentage, « D… » pour une date ou
    une heure dans les deux tableurs. LibreOffice rend « G » pour un format de date qu'il ne
    classe pas (celui d'une date tapée « 2024-03-15 » en fr-CA) et « F0 » pour Standard, alors
    qu'Excel rend « G » pour Standard : « G » n'est une date que si la cellule `standard` (au
    format Standard) ne rend pas « G » elle-même. Un texte est un entier quand, ses espaces
    retirées (`ESPACES_NOMBRE`), il s'écrit comme TEXT(VALUE(texte);"0") : la règle de
    `valeurs.entier` (ni zéro de tête, ni signe +, ni décimales).
    """
    compact = x
    for espace in ESPACES_NOMBRE:
        compact = f'SUBSTITUTE({compact},{_caractere(espace)},"")'
    format_ = f'CELL("format",{x})'
    date = f'(LEFT({format_},1)="D")+({format_}="G")*(CELL("format",{standard})<>"G")'
    nombre = f'IF(LEFT({format_},1)="P","{POURCENTAGE}",IF({date},"{DATE}",{x}))'
    texte = (
        f'IF({compact}="","",IF({compact}=TEXT(VALUE({compact}),"0"),VALUE({compact}),"{TEXTE}"))'
    )
    return f'IFERROR(IF(ISNUMBER({x}),{nombre},{texte}),"{TEXTE}")'


def controles_saisie(
    cle: str,
    type_: Type,
    obligatoire: bool = True,
    maximum: int | None = None,
    manquant: Code | None = None,
) -> tuple[ControleFeuille, ...]:
    """Les contrôles qu'impose le type d'une saisie, dans l'ordre où `valeurs` les fait.

    `manquant` : le constat d'une saisie obligatoire vide, quand ce n'est pas valeur-manquante
    (l'identification a les siens)."""
    x = f"{{{cle}}}"
    controles: list[ControleFeuille] = []
    if obligatoire:
        vide = manquant or VALEUR_MANQUANTE
        controles.append(ControleFeuille(cle, f'TRIM({x})=""', vide, A_REMPLIR))
    if type_ is Type.ENTIER:
        v = f"{{valeur_{cle}}}"
        controles += [
            ControleFeuille(cle, f'{v}="{DATE}"', DATE_DANS_NOMBRE),
            ControleFeuille(cle, f'{v}="{POURCENTAGE}"', POURCENTAGE_DANS_NOMBRE),
            ControleFeuille(cle, f'{v}="{TEXTE}"', VALEUR_NON_NUMERIQUE),
            ControleFeuille(cle, f"ISNUMBER({v})*({v}<0)", NOMBRE_NEGATIF),
            ControleFeuille(cle, f"ISNUMBER({v})*({v}<>INT({v}))", NOMBRE_DECIMAL),
            ControleFeuille(cle, f"ISTEXT({x})*ISNUMBER({v})", NOMBRE_EN_TEXTE, A_VERIFIER),
        ]
        if maximum is not None:
            controles.append(
                ControleFeuille(
                    cle,
                    f"ISNUMBER({v})*({v}>{maximum})",
                    VALEUR_ELEVEE,
                    A_VERIFIER,
                    valeurs=(("maximum", f"{maximum:,}".replace(",", "\u00a0")),),
                )
            )
    elif type_ is Type.ANNEE:
        annee = f"IFERROR(VALUE({x}),0)"
        controles.append(
            ControleFeuille(
                cle,
                f'(TRIM({x})<>"")*((({annee})<2019)+(({annee})>2099)+(({annee})<>INT({annee}))>0)',
                PERIODE_INVALIDE,
            )
        )
    elif type_ is Type.COURRIEL:
        controles.append(
            ControleFeuille(
                cle,
                f'(TRIM({x})<>"")*ISERROR(FIND(".",{x},FIND("@",{x})+2))',
                COURRIEL_DOUTEUX,
                A_VERIFIER,
            )
        )
    elif type_ is Type.OUI_NON:
        controles.append(
            ControleFeuille(
                cle,
                f'(TRIM({x})<>"")*(TRIM({x})<>"{OUI}")*(TRIM({x})<>"{NON}")',
                OUI_NON_INVALIDE,
            )
        )
    return tuple(controles)


def controle_periode(periode: str) -> ControleFeuille:
    """L'année d'un gabarit transmis pour une collecte : une autre année est refusée."""
    x = "{periode}"
    return ControleFeuille(
        "periode",
        f'(TRIM({x})<>"")*(TRIM({x})<>"{periode}")',
        PERIODE_DIFFERENTE,
        valeurs=(("attendue", periode),),
    )


def controle_statut(cle: str, statuts: tuple[str, ...]) -> ControleFeuille:
    """Un statut pris dans la liste permise ; l'apostrophe typographique est acceptée."""
    x = f'SUBSTITUTE(TRIM({{{cle}}}),"’","\'")'
    differents = "*".join(f'({x}<>"{s}")' for s in statuts)
    return ControleFeuille(cle, f'(TRIM({{{cle}}})<>"")*{differents}', STATUT_INVALIDE)


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


@dataclass(frozen=True)
class Agregat:
    """Le résultat d'une cible pour une portée (l'ensemble, un réseau) ; `resultat` est None
    quand il est indéterminé (dénominateur nul)."""

    numerateur: int
    denominateur: int
    resultat: Fraction | None


#: Les points « À vérifier » de l'analyste (`compilation.a_verifier`), par code.
POINT_PART_DOMINANTE, POINT_COMPTE_DATE, POINT_VARIATION_FORTE = (
    "contribution-dominante",
    "compte-date",
    "variation-forte",
)


class TypeCalcul(ABC):
    """Un type de calcul du guide ; une instance par type, enregistrée dans `calculs`.

    Tout ce qui dépend du type vit ici : la saisie et ses règles, le résultat d'une
    organisation, celui d'une portée (`agreger`) et ses mots (`regle_portee`), les points à
    vérifier qui ont un sens, le détail du sommaire, les morceaux du gabarit et ses contrôles.
    Le reste du code demande à l'unité ; il ne teste jamais le type d'une cible.
    """

    calcul: ClassVar[Calcul]
    #: Comment se calcule le résultat d'une portée, en mots (méthodologie des sorties).
    regle_portee: ClassVar[str] = (
        "la somme des numérateurs sur la somme des dénominateurs des organisations retenues"
    )
    #: Le dénominateur d'une portée compte les organisations ciblées : sans registre, les
    #: répondantes en tiennent lieu et le résultat est surestimé.
    depend_du_registre: ClassVar[bool] = False
    #: Les points « À vérifier » qui ont un sens pour ce type (`compilation.a_verifier`).
    points_a_verifier: ClassVar[frozenset[str]] = frozenset(
        {POINT_PART_DOMINANTE, POINT_COMPTE_DATE, POINT_VARIATION_FORTE}
    )
    #: Le mouvement d'une organisation d'une collecte à l'autre se mesure-t-il en points de
    #: pourcentage (une proportion) ? Sinon, c'est la condition, respectée ou non, qui change
    #: (`compilation.a_verifier`).
    variation_en_points: ClassVar[bool] = True
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

    def agreger(self, lignes: pd.DataFrame, ciblees: int) -> Agregat:
        """Le résultat d'une portée, d'après les lignes retenues (une par organisation :
        `numerateur`, `denominateur`, `respecte`) et le nombre d'organisations ciblées."""
        num, den = int(lignes["numerateur"].sum()), int(lignes["denominateur"].sum())
        return Agregat(num, den, proportion(num, den))

    def resultat(self, saisie: Any, cible: Cible) -> Resultat:
        """Ce que le répondant verra de sa propre organisation pour `cible`."""
        num, den = self.numerateur_denominateur(saisie, cible)
        prop = proportion(num, den)
        taux = taux_atteinte(prop, cible) if self.taux_organisation else None
        return Resultat(cible.id, num, den, prop, taux, self.respecte(saisie, cible))

    @abstractmethod
    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        """Les formules et libellés que le gabarit montre au répondant."""

    def controles_feuille(self, cible: Cible) -> tuple[ControleFeuille, ...]:
        """Les contrôles que la feuille de saisie fait seule : par défaut, ceux des types."""
        controles: list[ControleFeuille] = []
        for champ in cible.champs:
            controles += controles_saisie(champ.nom, champ.type, champ.obligatoire, champ.maximum)
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

    @abstractmethod
    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, Any]:
        """Des saisies plausibles (nom défini → valeur), autour de la valeur visée : l'exemple
        livré et le banc d'essai en remplissent leurs gabarits."""


class SurOrganisationsCiblees(TypeCalcul):
    """Un type dont le résultat d'une portée est : organisations qui respectent la condition /
    organisations ciblées. Une organisation qui n'a pas répondu compte au dénominateur ; chacune
    pèse 1, si bien que la part d'une seule dans un total n'a rien à signaler."""

    regle_portee = (
        "le nombre d'organisations qui remplissent la condition sur le nombre d'organisations "
        "ciblées"
    )
    depend_du_registre = True
    points_a_verifier = frozenset({POINT_VARIATION_FORTE})
    variation_en_points = False

    def agreger(self, lignes: pd.DataFrame, ciblees: int) -> Agregat:
        respectent = int(sum(v is True for v in lignes["respecte"]))
        return Agregat(respectent, ciblees, proportion(respectent, ciblees))


def oui_non(valeur: bool) -> str:
    """Un booléen en mot, pour une feuille de détail."""
    from barometre_cli.catalogue import NON, OUI

    return OUI if valeur else NON
