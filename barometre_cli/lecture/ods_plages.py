"""Les feuilles visées par des noms, mises dans le modèle des règles (`Plage`, `HorsNoms`).

Le même modèle qu'un .xlsx : une `Plage` par nom (valeurs, positions des formules, genre du
format de chaque cellule), un `HorsNoms` par feuille pour ce qui est saisi au-delà de la zone
du gabarit. C'est ici, et seulement pour une feuille lue, qu'une cellule lointaine ou une
feuille de trop de cellules est refusée, et qu'une valeur mal formée l'est à sa cellule. Les
blocs répétés sont recoupés avec chaque zone par dichotomie : le coût suit la taille des zones,
jamais le nombre de répétitions.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import partial

from barometre_cli.lecture import limites, refus
from barometre_cli.lecture.modele import FORMULE_SANS_VALEUR, HorsNoms, Plage
from barometre_cli.lecture.ods_cellules import Invalide, cellule
from barometre_cli.lecture.ods_noms import zone_gabarit
from barometre_cli.lecture.ods_tableaux import Tableau
from barometre_cli.lecture.references import Reference, adresse


class _Feuille:
    """Les valeurs utiles d'une feuille : celles des noms, et celles saisies au-delà du gabarit."""

    def __init__(self, tableau: Tableau, nom_fichier: str, partie: str) -> None:
        self.tableau = tableau
        self.nom_fichier = nom_fichier
        self.partie = partie
        self.debuts = [rangee.ligne for rangee in tableau.rangees]
        self.valeurs: dict[tuple[int, int], object] = {}
        self.formules: set[tuple[int, int]] = set()
        self.genres: dict[tuple[int, int], str] = {}

    def garder(self, lieu: tuple[int, int], valeur: object, formule: bool, genre: str | None):
        if isinstance(valeur, Invalide):
            raise refus.cellule_invalide(
                self.nom_fichier, self.partie, self.tableau.nom, lieu, valeur.detail
            )
        self.valeurs[lieu] = valeur
        if formule:
            self.formules.add(lieu)
        if genre is not None:
            self.genres[lieu] = genre

    def lire_zone(self, zone: Reference) -> None:
        """Les blocs qui recoupent la zone, trouvés par dichotomie : le coût suit la zone."""
        rangees = self.tableau.rangees
        i = max(bisect_right(self.debuts, zone.ligne1) - 1, 0)
        while i < len(rangees) and rangees[i].ligne <= zone.ligne2:
            rangee = rangees[i]
            i += 1
            haut = max(rangee.ligne, zone.ligne1)
            bas = min(rangee.ligne + rangee.lignes - 1, zone.ligne2)
            if haut > bas:
                continue
            blocs = rangee.blocs
            j = max(bisect_right(rangee.colonnes, zone.colonne1) - 1, 0)
            while j < len(blocs) and blocs[j].colonne <= zone.colonne2:
                bloc = blocs[j]
                j += 1
                gauche = max(bloc.colonne, zone.colonne1)
                droite = min(bloc.colonne + bloc.colonnes - 1, zone.colonne2)
                if gauche > droite:
                    continue
                valeur, formule, genre = cellule(bloc.element)
                for ligne in range(haut, bas + 1):
                    for colonne in range(gauche, droite + 1):
                        self.garder((ligne, colonne), valeur, formule, genre)

    def hors_noms(
        self, gabarit: tuple[int, int], necessaires: frozenset[tuple[int, int]]
    ) -> tuple[dict[tuple[int, int], object], bool]:
        """Les valeurs saisies au-delà du gabarit, dans l'ordre du document, bornées ; et s'il
        y en avait plus (`HorsNoms.tronque`)."""
        derniere_ligne, derniere_colonne = gabarit
        gardees: dict[tuple[int, int], object] = {}
        for rangee in self.tableau.rangees:
            a_droite = [b for b in rangee.blocs if b.colonne + b.colonnes - 1 > derniere_colonne]
            for ligne in range(rangee.ligne, rangee.ligne + rangee.lignes):
                dessous = ligne > derniere_ligne
                if not dessous and not a_droite:  # toute la rangée est dans le gabarit
                    continue
                premiere = 1 if dessous else derniere_colonne + 1
                for bloc in rangee.blocs if dessous else a_droite:
                    valeur = None
                    for colonne in range(max(bloc.colonne, premiere), bloc.colonne + bloc.colonnes):
                        lieu = (ligne, colonne)
                        if lieu in necessaires:
                            continue
                        if valeur is None:
                            valeur, formule, genre = cellule(bloc.element)
                            if valeur is None:  # un paragraphe vide : rien de saisi
                                break
                        if len(gardees) >= limites.HORS_NOMS_MAX:
                            return gardees, True
                        if formule or valeur is FORMULE_SANS_VALEUR:
                            break
                        self.garder(lieu, valeur, False, genre)
                        gardees[lieu] = valeur
        return gardees, False


def lire_plages(
    nom_fichier: str, partie: str, zones: dict[str, Reference], tableaux: dict[str, Tableau]
) -> tuple[dict[str, Plage], dict[str, HorsNoms]]:
    """Les feuilles visées par les noms, dans l'ordre du classeur, refusées au premier problème."""
    par_feuille: dict[str, list[Reference]] = {}
    for zone in zones.values():
        par_feuille.setdefault(zone.feuille, []).append(zone)
    lues: dict[str, _Feuille] = {}
    hors: dict[str, HorsNoms] = {}
    for nom, tableau in tableaux.items():
        if nom not in par_feuille:
            continue
        if tableau.lointaine is not None:
            raise refus.hors_gabarit(nom_fichier, nom, tableau.lointaine, None)
        if tableau.trop_de_cellules is not None:
            raise refus.trop_de_cellules(nom_fichier, nom, adresse(*tableau.trop_de_cellules))
        feuille = lues[nom] = _Feuille(tableau, nom_fichier, partie)
        for zone in par_feuille[nom]:
            feuille.lire_zone(zone)
        gabarit = zone_gabarit(tableau)
        if gabarit is not None:
            necessaires = _cellules(tuple(sorted(par_feuille[nom])))
            valeurs, tronque = feuille.hors_noms(gabarit, necessaires)
            genres = partial(_genre_hors, feuille.genres) if valeurs else None
            hors[nom] = HorsNoms(nom, valeurs, tronque, genres)
    plages = {nom: _plage(nom, zone, lues[zone.feuille]) for nom, zone in zones.items()}
    return plages, hors


def _cellules(zones: tuple[Reference, ...]) -> frozenset[tuple[int, int]]:
    return frozenset(
        (ligne, colonne)
        for _, ligne1, colonne1, ligne2, colonne2 in zones
        for ligne in range(ligne1, ligne2 + 1)
        for colonne in range(colonne1, colonne2 + 1)
    )


def _genre_hors(genres: dict[tuple[int, int], str], lieu: tuple[int, int]) -> str | None:
    return genres.get(lieu)


def _plage(nom: str, zone: Reference, feuille: _Feuille) -> Plage:
    lignes = range(zone.ligne1, zone.ligne2 + 1)
    colonnes = range(zone.colonne1, zone.colonne2 + 1)
    valeurs = tuple(
        tuple(feuille.valeurs.get((ligne, colonne)) for colonne in colonnes) for ligne in lignes
    )
    formules = frozenset(
        (ligne - zone.ligne1, colonne - zone.colonne1)
        for ligne, colonne in feuille.formules
        if zone.ligne1 <= ligne <= zone.ligne2 and zone.colonne1 <= colonne <= zone.colonne2
    )
    genres = feuille.genres
    formats = partial(_formats, genres, lignes, colonnes) if genres else None
    genre = partial(_genre_relatif, genres, zone.ligne1, zone.colonne1) if genres else None
    return Plage(nom, zone.feuille, zone.ligne1, zone.colonne1, valeurs, formules, formats, genre)


def _formats(
    genres: dict[tuple[int, int], str], lignes: range, colonnes: range
) -> tuple[tuple[str | None, ...], ...]:
    return tuple(tuple(genres.get((ligne, colonne)) for colonne in colonnes) for ligne in lignes)


def _genre_relatif(
    genres: dict[tuple[int, int], str], ligne: int, colonne: int, i: int, j: int
) -> str | None:
    return genres.get((ligne + i, colonne + j))
