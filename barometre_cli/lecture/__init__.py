"""Lecture défensive d'un classeur retourné : le seul chemin de lecture de `valider` et `compiler`.

Un classeur vient de l'extérieur : on le classe d'après ses octets et la structure de son
archive ZIP avant d'analyser le moindre XML, on borne tout ce qu'on lit (tailles, taux de
compression, nombre de parties, zone des cellules) et on refuse DTD et entités. Chaque refus
devient un constat en français ; rien ici ne lève d'exception pour un mauvais fichier.

Ordre de lecture, du moins coûteux au plus coûteux (un module par étape) :

1. les octets du fichier (taille bornée avant toute lecture complète) — `archive` ;
2. la signature : vide, conteneur OLE (chiffré ou .xls), ZIP, sinon autre chose (PDF, HTML…) ;
3. l'inventaire ZIP (nombre de parties, tailles déclarées, taux de compression) avant de
   décompresser quoi que ce soit ; puis macros, .xlsb ; un classeur OpenDocument (.ods) suit
   ensuite son propre chemin, vers le même modèle et sous les mêmes limites — `ods` ;
4. chaque partie XML : décompressée au plus à sa taille déclarée, refusée si elle contient une
   DTD ou une entité, analysée sans résolution d'entités ni réseau par le moteur en service
   (lxml, ou la bibliothèque standard sous Pyodide : même verdict, voir `xml`) ; relations,
   classeur, propriétés et noms définis — `parties` ;
5. seulement les feuilles visées par des noms définis (d'un bloc si la partie est petite, en
   flux sinon), avec arrêt dès qu'une cellule AVEC une valeur sort de la zone permise (une
   ligne ou une cellule vide n'est pas une donnée) ; les valeurs saisies au-delà de la zone
   du gabarit (sa zone d'impression) sont gardées dans `hors_noms` — `feuille`.

Les limites (tailles, nombre de parties, taux de compression, zone lue) sont toutes dans
`limites`, chacune avec sa raison ; les gabarits réels en sont très loin. Les phrases des refus sont toutes dans `refus` ; les références
A1 dans `references` ; l'analyse XML, derrière une seule couture à deux moteurs, dans `xml`.
"""

from __future__ import annotations

from pathlib import Path

from barometre_cli.lecture import archive, feuille, ods, parties
from barometre_cli.lecture.limites import (
    CELLULES_MAX_FEUILLE,
    CELLULES_MAX_NOMS,
    CELLULES_MAX_PAR_NOM,
    CHAINES_MAX,
    COLONNES_MAX,
    FORMATS_MAX,
    HORS_NOMS_MAX,
    LIGNES_MAX,
    MEMBRES_MAX,
    NOMS_MAX,
    SEUIL_TAUX_COMPRESSION,
    STYLES_MAX,
    TAILLE_ANALYSE_EN_BLOC,
    TAILLE_MAX_DECOMPRESSEE,
    TAILLE_MAX_FEUILLE_LUE,
    TAILLE_MAX_FICHIER,
    TAILLE_MAX_MEMBRE,
    TAILLE_MAX_XML,
    TAUX_COMPRESSION_MAX,
)
from barometre_cli.lecture.modele import (
    FORMULE_SANS_VALEUR,
    ClasseurLu,
    ErreurCellule,
    HorsNoms,
    Plage,
    Valeur,
)
from barometre_cli.lecture.references import adresse, lettres_colonne
from barometre_cli.lecture.refus import Refus, structure_inattendue

__all__ = [
    "CELLULES_MAX_FEUILLE",
    "CELLULES_MAX_NOMS",
    "CELLULES_MAX_PAR_NOM",
    "CHAINES_MAX",
    "COLONNES_MAX",
    "FORMATS_MAX",
    "FORMULE_SANS_VALEUR",
    "HORS_NOMS_MAX",
    "LIGNES_MAX",
    "MEMBRES_MAX",
    "NOMS_MAX",
    "SEUIL_TAUX_COMPRESSION",
    "STYLES_MAX",
    "TAILLE_ANALYSE_EN_BLOC",
    "TAILLE_MAX_DECOMPRESSEE",
    "TAILLE_MAX_FEUILLE_LUE",
    "TAILLE_MAX_FICHIER",
    "TAILLE_MAX_MEMBRE",
    "TAILLE_MAX_XML",
    "TAUX_COMPRESSION_MAX",
    "ClasseurLu",
    "ErreurCellule",
    "HorsNoms",
    "Plage",
    "Valeur",
    "adresse",
    "lettres_colonne",
    "lire_classeur",
    "verifier_defusedxml",
]


def lire_classeur(chemin: Path | str) -> ClasseurLu:
    """Lit un classeur reçu sans jamais lever d'exception pour un mauvais fichier.

    Le premier problème rencontré arrête la lecture et devient un constat (gravité erreur) dans
    `constats` ; les champs déjà remplis (empreinte, feuilles, propriétés) restent utiles au
    journal, mais un classeur avec constats ne doit pas être utilisé.
    """
    chemin = Path(chemin)
    classeur = ClasseurLu(chemin=chemin)
    try:
        _lire(classeur)
    except Refus as refus:
        classeur.constats.append(refus.constat)
    except Exception as exc:  # filet : un fichier inattendu ne doit jamais arrêter un lot
        classeur.constats.append(structure_inattendue(chemin.name, exc))
    return classeur


def _lire(classeur: ClasseurLu) -> None:
    """Les étapes dans l'ordre ; chacune lève `Refus` au premier problème."""
    nom = classeur.chemin.name
    octets = archive.lire_octets(classeur)
    archive.classer_signature(octets, nom)
    paquet = archive.inventorier(octets, nom)
    if archive.classer_archive(paquet) == ods.FORMAT:
        ods.lire(classeur, paquet)  # OpenDocument : même modèle, mêmes limites (voir `ods`)
        return
    classeur.format = "xlsx"
    principale, personnalisees, noyau = parties.relations_paquet(paquet)
    lu = parties.lire_classeur_xml(paquet, principale)
    classeur.feuilles = tuple(lu.feuilles)
    if personnalisees in paquet:
        classeur.proprietes = parties.proprietes(paquet.xml(personnalisees))
    if noyau in paquet:
        classeur.modifie = parties.date_modification(paquet.xml(noyau))
    zones = parties.lire_noms(nom, lu, classeur.noms_brises)
    if zones:
        plages, hors_noms = feuille.lire_plages(
            paquet,
            zones,
            lu.feuilles,
            parties.partie_chaines(lu),
            parties.partie_styles(lu),
            parties.zones_gabarit(lu),
        )
        classeur.noms.update(plages)
        classeur.hors_noms.update(hors_noms)


def verifier_defusedxml() -> None:
    """Vérifie qu'openpyxl analyse le XML par defusedxml, sans quoi il résout les entités.

    openpyxl sert ailleurs à écrire et annoter des classeurs reçus ; sans defusedxml, un
    classeur piégé (« billion laughs », XXE) pourrait épuiser la mémoire ou lire des fichiers.
    """
    import importlib.util
    import sys

    # openpyxl (0,2 s à importer) active defusedxml dès qu'il est importable : tant qu'openpyxl
    # n'est pas chargé, vérifier la présence du module suffit et garde `valider` rapide.
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None:
        actif = getattr(openpyxl, "DEFUSEDXML", False) is True
    else:
        actif = importlib.util.find_spec("defusedxml") is not None
    if not actif:
        from barometre_cli.domaine.erreurs import BarometreErreur

        raise BarometreErreur(
            "Le module defusedxml est absent : openpyxl lirait les classeurs sans protection "
            "contre les entités XML piégées. Installez-le (pip install defusedxml), puis "
            "relancez la commande."
        )
