"""Ce que la lecture rend : un classeur lu, ses plages nommées et leurs valeurs.

À part des étapes de lecture pour que chacune puisse les construire sans dépendre des autres.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from barometre_cli.domaine.constats import Constat
from barometre_cli.lecture.references import adresse


class _FormuleSansValeur:
    """Une formule dont aucun tableur n'a encore calculé la valeur."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FORMULE_SANS_VALEUR"


FORMULE_SANS_VALEUR = _FormuleSansValeur()


@dataclass(frozen=True)
class ErreurCellule:
    """Une valeur d'erreur de tableur (`#DIV/0!`, `#REF!`, `#N/A`…)."""

    texte: str


#: Ce qu'une cellule peut contenir une fois lue. Vide → None ; les nombres sont des float.
Valeur = None | str | float | bool | ErreurCellule | _FormuleSansValeur


@dataclass(frozen=True)
class Plage:
    """Les valeurs d'un nom défini, avec de quoi situer chaque cellule pour les constats."""

    nom: str
    feuille: str
    ligne: int
    colonne: int
    valeurs: tuple[tuple[Valeur, ...], ...]
    #: positions (i, j) relatives des cellules qui contiennent une formule avec valeur en cache
    formules: frozenset[tuple[int, int]] = frozenset()
    #: de quoi dire le genre du format des cellules, à la demande seulement (voir `formats`)
    styles: Callable[[], tuple[tuple[str | None, ...], ...]] | None = field(
        default=None, compare=False, repr=False
    )
    #: le genre d'une seule cellule (i, j), sans calculer toute la grille de `formats`
    genre: Callable[[int, int], str | None] | None = field(default=None, compare=False, repr=False)

    def adresse(self, i: int = 0, j: int = 0) -> str:
        return adresse(self.ligne + i, self.colonne + j)

    @cached_property
    def formats(self) -> tuple[tuple[str | None, ...], ...]:
        """Genre du format de nombre de chaque cellule ; vide si aucun n'est connu.

        Calculé à la première demande : la validation ne s'en sert pas encore, et les styles
        du classeur ne sont analysés que si l'on s'en sert.
        """
        return self.styles() if self.styles is not None else ()

    def format(self, i: int = 0, j: int = 0) -> str | None:
        """Genre du format de la cellule (i, j) : « date », « heure », « pourcentage »,
        « texte », « nombre », ou None (Standard, ou inconnu)."""
        if self.genre is not None:
            return self.genre(i, j)
        return self.formats[i][j] if self.formats else None

    @property
    def valeur(self) -> Valeur:
        """La valeur d'une plage d'une seule cellule."""
        return self.valeurs[0][0]


@dataclass(frozen=True)
class HorsNoms:
    """Les valeurs d'une feuille nommée qui sont hors des noms ET au-delà de la zone du gabarit.

    Seules les cellules avec une valeur saisie comptent (ni formule, ni cellule vide) : ce que
    la personne a tapé sous un tableau ou à droite des saisies, que la validation lit comme
    lignes du tableau ou signale. Bornées à `limites.HORS_NOMS_MAX` ; `tronque` dit s'il y en
    avait plus.
    """

    feuille: str
    valeurs: dict[tuple[int, int], Valeur] = field(default_factory=dict)
    tronque: bool = False
    #: (ligne, colonne) → genre du format (voir `Plage.format`), à la demande seulement
    genres: Callable[[tuple[int, int]], str | None] | None = field(
        default=None, compare=False, repr=False
    )

    def format(self, lieu: tuple[int, int]) -> str | None:
        return self.genres(lieu) if self.genres is not None else None


@dataclass
class ClasseurLu:
    """Tout ce que l'outil retient d'un classeur ; `constats` non vide d'erreurs = inutilisable."""

    chemin: Path
    sha256: str = ""
    taille: int = 0
    #: format reconnu d'après le contenu : « xlsx », « ods » ; vide s'il n'est ni l'un ni l'autre
    format: str = ""
    #: propriétés personnalisées du document (docProps/custom.xml), valeurs typées
    proprietes: dict[str, str | int | float | bool] = field(default_factory=dict)
    #: date de dernière modification (docProps/core.xml, dcterms:modified), en UTC
    modifie: datetime | None = None
    #: noms des feuilles dans l'ordre du classeur
    feuilles: tuple[str, ...] = ()
    #: noms définis de portée classeur, résolus et lus
    noms: dict[str, Plage] = field(default_factory=dict)
    #: noms définis présents mais inutilisables : nom → référence brute (« #REF! », …)
    noms_brises: dict[str, str] = field(default_factory=dict)
    #: feuille nommée → ses valeurs saisies au-delà de la zone du gabarit (voir `HorsNoms`)
    hors_noms: dict[str, HorsNoms] = field(default_factory=dict)
    constats: list[Constat] = field(default_factory=list)

    @property
    def lisible(self) -> bool:
        return not self.constats
