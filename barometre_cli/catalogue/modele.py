"""Le vocabulaire du catalogue : cibles, champs, seuils, types de saisie et de calcul.

Ces types ne contiennent que des données ; les règles qui s'en servent vivent dans
`barometre_cli.calculs` (une unité par type de calcul). Un seuil du guide est une donnée de
la cible (`Seuil`) : le calcul, les formules des gabarits et les libellés en sont tirés.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

#: Version du format des gabarits. Elle change quand l'interface publique (noms définis,
#: types, valeurs permises) change ; `valider` refuse un gabarit d'une autre version.
VERSION_FORMAT = 1

#: Feuilles des gabarits.
FEUILLE_INSTRUCTIONS = "Instructions"
FEUILLE_SAISIE = "Saisie"
FEUILLE_RETROACTION = "Rétroaction"

#: Propriétés personnalisées du document qui identifient un gabarit (métadonnées cachées).
PROP_VERSION = "barometre_version_format"
PROP_CIBLE = "barometre_cible"
PROP_PERIODE = "barometre_periode"
PROP_ORGANISATION = "barometre_organisation"

#: Début de la période de référence : l'annonce de la Stratégie TNG.
DEBUT_PERIODE_REFERENCE = "3 juin 2019"

#: Adresse de la page Web du Ministère qui vérifie un classeur (le validateur en ligne). Tant
#: qu'elle est None, les gabarits nomment la commande `barometre valider` et annoncent la page ;
#: `barometre gabarit --validateur URL` la donne pour une production. Lue à l'appel.
ADRESSE_VALIDATEUR: str | None = None


@contextmanager
def adresse_validateur(adresse: str | None) -> Iterator[None]:
    """Le temps d'une production de gabarits, `ADRESSE_VALIDATEUR` vaut `adresse` (si donnée)."""
    global ADRESSE_VALIDATEUR
    avant = ADRESSE_VALIDATEUR
    if adresse is not None:
        ADRESSE_VALIDATEUR = adresse
    try:
        yield
    finally:
        ADRESSE_VALIDATEUR = avant


def texte_verification(adresse: str | None = None) -> str:
    """Comment vérifier son fichier avant l'envoi : le seul endroit où ce texte est écrit.

    `adresse` vaut par défaut `ADRESSE_VALIDATEUR` ; avec une adresse, le texte nomme la page.
    """
    adresse = ADRESSE_VALIDATEUR if adresse is None else adresse
    if adresse:
        return (
            f"Avant l'envoi, faites vérifier votre fichier (.xlsx ou .ods) sur la page du "
            f"Ministère {adresse} : elle signale chaque problème avec la feuille et la cellule à "
            "corriger, et affiche le résultat qui sera compté. Rien à installer."
        )
    return (
        "Avant l'envoi, faites vérifier votre fichier (.xlsx ou .ods) : le Ministère vous "
        "donnera l'adresse d'une page Web qui le vérifie, sans rien à installer. Si vous avez "
        "l'outil du Ministère, la commande « barometre valider nom-du-fichier.xlsx » fait la même "
        "vérification : elle signale chaque problème avec la feuille et la cellule à corriger, "
        "et affiche le résultat qui sera compté."
    )


RESEAUX: tuple[str, ...] = (
    "Administration publique",
    "Santé et services sociaux",
    "Éducation et enseignement supérieur",
)


class Calcul(StrEnum):
    """Les cinq façons de calculer un indicateur (section 3 du guide)."""

    RATIO = "ratio"  # Σ numérateurs / Σ dénominateurs
    CONDITION = "condition"  # organisations qui remplissent une condition / organisations ciblées
    TAUX_UTILISATION = "taux_utilisation"  # services dont le taux numérique dépasse un seuil
    LISTE_FIXE = "liste_fixe"  # processus sans papier sur une liste fixe de 12
    JEUX_DONNEES = "jeux_donnees"  # organisations qui diffusent plus de la moitié de leurs jeux


class Type(StrEnum):
    """Type d'une valeur saisie ; il décide de la validation de données et des règles."""

    TEXTE = "texte"
    COURRIEL = "courriel"
    ANNEE = "annee"
    ENTIER = "entier"
    OUI_NON = "oui_non"
    STATUT = "statut"
    ECHELLE = "echelle"


@dataclass(frozen=True)
class Colonne:
    """Une colonne d'un tableau de saisie (services de 5.1, jeux de données de 6.1).

    `maximum` : borne plausible d'un nombre (voir `Champ.maximum`) ; `court` : le libellé
    abrégé qui précède un message de vérification au bout de la ligne.
    """

    cle: str
    libelle: str
    type: Type
    aide: str
    maximum: int | None = None
    court: str = ""

    @property
    def nom_court(self) -> str:
        return self.court or self.libelle


@dataclass(frozen=True)
class Champ:
    """Une entrée de l'interface publique : un nom défini du classeur et ce qu'il contient.

    `lignes` vaut 1 pour une cellule seule ; pour une liste ou un tableau, c'est le nombre de
    lignes de saisie. `colonnes` n'est rempli que pour un tableau.

    `maximum` borne un nombre entier bien au-delà de toute valeur réelle (un compte de
    services, des employés, des utilisations, des points) : la validation de données du
    gabarit refuse de taper plus, et une valeur collée au-delà est « à vérifier » (une faute
    de frappe probable, jamais un refus du calcul). None : aucune borne.
    """

    nom: str
    libelle: str
    type: Type
    aide: str
    lignes: int = 1
    colonnes: tuple[Colonne, ...] = ()
    obligatoire: bool = True
    #: pour une liste fixe : le nom défini de la colonne des noms de ses éléments (verrouillée),
    #: qui permet de lire chaque saisie avec son élément même si la liste a été triée
    etiquettes: str = ""
    maximum: int | None = None

    @property
    def largeur(self) -> int:
        return len(self.colonnes) or 1


@dataclass(frozen=True)
class Processus:
    """Un des douze processus administratifs prioritaires de la cible 5.2."""

    domaine: str
    nom: str


OUI, NON = "Oui", "Non"


@dataclass(frozen=True)
class Seuil:
    """Un seuil du guide, écrit une seule fois : « supérieur à 75 % », « 50 points ou plus ».

    `strict` distingue « supérieur à » / « plus de » (>) de « ou plus » (≥). Une proportion se
    compare en fractions exactes (75 % pile n'est jamais « supérieur à 75 % ») ; dans une
    formule de tableur, elle se compare en produits d'entiers (`a*4>b*3`) pour la même raison.
    """

    valeur: Fraction
    strict: bool
    #: « % » pour une proportion, « points » pour un total de points
    unite: str = "%"

    def atteint(self, numerateur: int, denominateur: int = 1) -> bool:
        """Vrai si numérateur / dénominateur passe le seuil ; un dénominateur nul ne passe pas."""
        if denominateur <= 0:
            return False
        rapport = Fraction(numerateur, denominateur)
        return rapport > self.valeur if self.strict else rapport >= self.valeur

    @property
    def nombre(self) -> str:
        """La valeur du seuil en mots : « 75 % », « 50 points »."""
        if self.unite == "%":
            return f"{_chiffre(self.valeur * 100)} %"
        return f"{_chiffre(self.valeur)} {self.unite}"

    @property
    def symbole(self) -> str:
        """« > 75 % », « ≥ 50 points » : pour les en-têtes courts."""
        return f"{'>' if self.strict else '≥'} {self.nombre}"

    @property
    def libelle(self) -> str:
        """« plus de 75 % », « 50 points ou plus » : pour les phrases."""
        return f"plus de {self.nombre}" if self.strict else f"{self.nombre} ou plus"

    @property
    def part(self) -> str:
        """Une part en mots : « plus de la moitié » pour 50 %, sinon « plus de 60 % »."""
        if self.unite == "%" and self.valeur == Fraction(1, 2):
            return "plus de la moitié" if self.strict else "la moitié ou plus"
        return self.libelle

    @property
    def superieur(self) -> str:
        """« supérieur à 75 % », « de 50 points ou plus » : après un nom (« un taux … »)."""
        return f"supérieur à {self.nombre}" if self.strict else f"de {self.nombre} ou plus"

    def formule(self, numerateur: str, denominateur: str | None = None) -> str:
        """La comparaison en syntaxe de tableur : `C20*4>D20*3`, `C20>=50`, `C15*2>C14`."""
        operateur = ">" if self.strict else ">="
        p, q = self.valeur.numerator, self.valeur.denominator
        if denominateur is None:
            if q != 1:
                return f"{numerateur}*{q}{operateur}{p}"
            return f"{numerateur}{operateur}{p}"
        gauche = numerateur if q == 1 else f"{numerateur}*{q}"
        droite = denominateur if p == 1 else f"{denominateur}*{p}"
        return f"{gauche}{operateur}{droite}"


def _chiffre(valeur: Fraction) -> str:
    """Une valeur de seuil à la québécoise : 75 → « 75 », 62,5 → « 62,5 »."""
    if valeur.denominator == 1:
        return str(valeur.numerator)
    return f"{float(valeur):g}".replace(".", ",")


@dataclass(frozen=True)
class Cible:
    """Une cible de transformation et tout ce qu'il faut pour la collecter et la calculer.

    `seuil` s'applique à chaque élément (service de 5.1, jeu de données de 6.1) ;
    `seuil_organisation` à l'organisation (6.1 : plus de 50 % de ses jeux diffusés).
    `liste` et `statuts` décrivent une liste fixe (les 12 processus de 5.2) : seul le premier
    statut compte au numérateur, et le dénominateur est la longueur de la liste.
    """

    id: str
    orientation: int
    ambition: int
    titre: str
    valeur_visee_pct: int
    indicateur: str
    numerateur: str
    denominateur: str
    effet_recherche: str
    termes: tuple[str, ...]
    calcul: Calcul
    champs: tuple[Champ, ...]
    quoi_compter: str
    seuil: Seuil | None = None
    seuil_organisation: Seuil | None = None
    liste: tuple[Processus, ...] = ()
    statuts: tuple[str, ...] = ()

    @property
    def valeur_visee(self) -> Fraction:
        return Fraction(self.valeur_visee_pct, 100)

    @property
    def prefixe(self) -> str:
        """Préfixe des noms définis de la cible : `c1_1`, `c5_2`…"""
        return "c" + self.id.replace(".", "_")


def normaliser_libelle(texte: str) -> str:
    """Forme de comparaison d'un libellé saisi : casse, espaces et forme de l'apostrophe ignorés.

    Les répondants tapent « l'organisation » avec ' ou ’, en majuscules ou non ; on compare
    donc sur une forme canonique plutôt que sur le texte exact.
    """
    texte = texte.replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    texte = unicodedata.normalize("NFC", texte).casefold()
    return " ".join(texte.split())
