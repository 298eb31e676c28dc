"""Remplir un gabarit par ses noms définis, comme le ferait un système d'une organisation.

L'interface publique des gabarits est faite de noms définis : une organisation peut donc
préremplir son classeur depuis ses propres systèmes. Ce module en est l'exemple exécutable ; il
sert aussi à fabriquer l'exemple livré, les données des tests et celles du banc d'essai.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from barometre_cli.cellules import ecrire_texte


def _cellules(classeur, nom: str):
    """La feuille et la grille de cellules (lignes × colonnes) d'un nom défini."""
    feuille, plage = next(iter(classeur.defined_names[nom].destinations))
    zone = classeur[feuille][plage.replace("$", "")]
    if not isinstance(zone, tuple):
        return ((zone,),)
    if zone and not isinstance(zone[0], tuple):
        return tuple((c,) for c in zone)
    return zone


def _ecrire(cellule, valeur, formules: bool) -> None:
    if isinstance(valeur, str) and not (formules and valeur.startswith("=")):
        ecrire_texte(cellule, valeur)
    else:
        cellule.value = valeur


def remplir(
    gabarit: bytes,
    valeurs: Mapping[str, object],
    modifie: datetime | None = None,
    formules: bool = False,
) -> bytes:
    """Le gabarit rempli : une valeur par nom simple, une liste de lignes par tableau.

    `modifie` fixe la date de modification du document (celle qui départage deux envois) ;
    `formules=True` laisse passer les chaînes « =… » comme formules (pour les tests).
    """
    from openpyxl import load_workbook

    classeur = load_workbook(io.BytesIO(gabarit))
    for nom, valeur in valeurs.items():
        grille = _cellules(classeur, nom)
        if isinstance(valeur, Sequence) and not isinstance(valeur, str):
            lignes = [
                v if isinstance(v, Sequence) and not isinstance(v, str) else [v] for v in valeur
            ]
            if len(lignes) > len(grille):
                raise ValueError(f"{nom} : {len(lignes)} lignes pour {len(grille)} places")
            for ligne, cellules in zip(lignes, grille, strict=False):
                for v, cellule in zip(ligne, cellules, strict=False):
                    _ecrire(cellule, v, formules)
        else:
            _ecrire(grille[0][0], valeur, formules)
    tampon = io.BytesIO()
    classeur.save(tampon)
    octets = tampon.getvalue()
    return octets if modifie is None else dater(octets, modifie)


def dater(octets: bytes, modifie: datetime) -> bytes:
    """Réécrit dcterms:created et dcterms:modified (openpyxl y met l'heure de l'enregistrement)."""
    horodatage = modifie.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(octets))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == "docProps/core.xml":
                texte = donnees.decode("utf-8")
                for balise in ("created", "modified"):
                    texte = re.sub(
                        rf"(<dcterms:{balise}[^>]*>)[^<]*(</dcterms:{balise}>)",
                        rf"\g<1>{horodatage}\g<2>",
                        texte,
                    )
                donnees = texte.encode("utf-8")
            info_copie = zipfile.ZipInfo(info.filename, date_time=modifie.timetuple()[:6])
            info_copie.compress_type = zipfile.ZIP_DEFLATED
            cible.writestr(info_copie, donnees)
    return tampon.getvalue()


def maintenant() -> datetime:
    return datetime.now(UTC)
