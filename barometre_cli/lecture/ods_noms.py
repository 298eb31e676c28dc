"""Les noms d'un classeur OpenDocument : feuilles, plages nommées et zones d'impression.

Une plage nommée de portée classeur (`table:named-range` hors d'une feuille) tient lieu de nom
défini ; son adresse s'écrit « $Saisie.$C$4:.$E$303 » (la feuille une fois, « . » devant la
cellule) et se résout avec les mêmes règles et limites que `parties.lire_noms` : hors des
limites, sur plusieurs zones, en double ou sur une feuille inconnue, elle est brisée. Une
expression nommée (une formule, une constante) l'est toujours. La zone d'impression
(`table:print-ranges`) d'une feuille est la zone du gabarit (voir `parties.zones_gabarit`).
"""

from __future__ import annotations

import re

from barometre_cli.lecture import refus
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.ods_tableaux import Contenu, Tableau
from barometre_cli.lecture.parties import NomsLus
from barometre_cli.lecture.references import (
    Reference,
    numero_colonne,
    zone_permise,
)

#: Une adresse de plage OpenDocument : « $Saisie.$C$4:.$E$303 », « 'L''été'.A1 ».
_FEUILLE = r"\$?(?:'((?:[^']|'')+)'|([^'.:\s$][^'.:\s]*))"
_CELLULE = r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})"
_RE_ADRESSE = re.compile(rf"{_FEUILLE}\.{_CELLULE}(?::(?:{_FEUILLE})?\.{_CELLULE})?")


def tableaux(archive: Archive, contenu: Contenu, partie: str) -> dict[str, Tableau]:
    """Les feuilles par nom, dans l'ordre du classeur ; un nom vide ou en double est refusé."""
    tableaux: dict[str, Tableau] = {}
    vus: set[str] = set()
    for tableau in contenu.tableaux:
        if not tableau.nom or tableau.nom.casefold() in vus:
            raise archive.xml_invalide(partie, "une feuille sans nom ou en double")
        vus.add(tableau.nom.casefold())
        tableaux[tableau.nom] = tableau
    if not tableaux:
        raise refus.aucune_feuille(archive.nom, archive.nom_partie(partie))
    return tableaux


def lire_adresse(texte: str) -> Reference | None:
    """« $Saisie.$C$4:.$E$303 » → zone ; None si plusieurs zones, deux feuilles, autre chose."""
    trouve = _RE_ADRESSE.fullmatch(texte.strip())
    if trouve is None:
        return None
    citee, simple, c1, l1, citee2, simple2, c2, l2 = trouve.groups()
    feuille = citee.replace("''", "'") if citee is not None else simple
    if citee2 is not None or simple2 is not None:
        seconde = citee2.replace("''", "'") if citee2 is not None else simple2
        if seconde != feuille:
            return None
    ligne1, colonne1 = int(l1), numero_colonne(c1)
    ligne2, colonne2 = (int(l2), numero_colonne(c2)) if c2 else (ligne1, colonne1)
    ligne1, ligne2 = sorted((ligne1, ligne2))
    colonne1, colonne2 = sorted((colonne1, colonne2))
    return Reference(feuille, ligne1, colonne1, ligne2, colonne2)


def _resoudre(texte: str, par_nom: dict[str, str]) -> Reference | None:
    """Une adresse sur une feuille du classeur, dans les limites de lecture ; sinon None."""
    zone = lire_adresse(texte)
    if zone is None:
        return None
    feuille = par_nom.get(zone.feuille.casefold())
    if feuille is None:
        return None
    return zone_permise(zone._replace(feuille=feuille))


def zones(
    nom_fichier: str, contenu: Contenu, tableaux: dict[str, Tableau], brises: dict[str, str]
) -> dict[str, Reference]:
    """Les plages nommées de portée classeur, comme `parties.lire_noms` pour un .xlsx."""
    par_nom = {nom.casefold(): nom for nom in tableaux}
    noms = NomsLus(nom_fichier, brises)
    for nom, adresse_plage, texte in contenu.noms:
        if not nom:
            continue
        zone = _resoudre(adresse_plage, par_nom) if adresse_plage is not None else None
        noms.inscrire(nom, texte, zone)
    return noms.zones


def zone_gabarit(tableau: Tableau) -> tuple[int, int] | None:
    """(dernière ligne, dernière colonne) de la zone d'impression d'une seule plage, sur la
    feuille elle-même : ce que le gabarit couvre (voir `parties.zones_gabarit`)."""
    zone = lire_adresse(tableau.impression) if tableau.impression else None
    if zone is None or zone.feuille.casefold() != tableau.nom.casefold():
        return None
    return zone.ligne2, zone.colonne2
