"""Copie annotée d'un classeur : chaque constat en commentaire sur sa cellule, surlignée.

Pour les répondants qui préfèrent corriger dans Excel. On n'écrit jamais sur l'original : la
copie porte le suffixe « -annote », écrite d'un coup (fichier temporaire puis renommage). Un
classeur .ods reçoit une copie .ods, pour LibreOffice (`annotation_ods`).
openpyxl charge tout le classeur, y compris les feuilles que la lecture défensive n'a pas lues :
on ne lui confie que les octets déjà acceptés par la lecture (même SHA-256), dont chaque
partie XML reste sous les limites de la validation.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import io
import sys
import zipfile
from pathlib import Path

from barometre_cli.catalogue import FEUILLE_SAISIE
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.ecriture.atomique import ecrire_atomiquement
from barometre_cli.ecriture.cellules import texte_sur
from barometre_cli.ecriture.classeur import format_explicite
from barometre_cli.lecture import limites
from barometre_cli.lecture.decouverte import SUFFIXE_ANNOTE
from barometre_cli.validation.rapport import RapportFichier

_COULEURS = {Severite.ERREUR: "FFC7CE", Severite.AVERTISSEMENT: "FFEB9C", Severite.INFO: "DDEBF7"}


def chemin_annote(fichier: Path) -> Path:
    return fichier.with_name(f"{fichier.stem}{SUFFIXE_ANNOTE}.xlsx")


def _octets_valides(rapport: RapportFichier) -> bytes:
    """Les octets mêmes que la validation a lus (même SHA-256), lus une fois, bornés.

    openpyxl relit le fichier en entier : on lui donne ces octets, jamais le chemin, pour qu'un
    fichier remplacé entre la validation et l'annotation ne passe pas sans contrôle.
    """
    fichier = rapport.fichier
    with open(fichier, "rb") as flux:
        octets = flux.read(limites.TAILLE_MAX_FICHIER + 1)
    if hashlib.sha256(octets).hexdigest() != rapport.sha256:
        raise BarometreErreur(
            f"copie annotée de « {fichier.name} » impossible : le fichier a changé depuis sa "
            "vérification. Relancez la vérification."
        )
    return octets


def _verifier_tailles(octets: bytes, nom: str) -> None:
    """Les limites de la validation, appliquées à chaque partie qu'openpyxl analysera.

    La lecture défensive ne lit que les feuilles nommées ; openpyxl les lit toutes, où
    qu'elles soient rangées dans l'archive et quel que soit leur nom (pas seulement sous
    xl/worksheets/, pas seulement en .xml) : chaque partie reste sous la limite d'une feuille
    lue, la table des chaînes sous celle d'une partie XML analysée.
    """
    with zipfile.ZipFile(io.BytesIO(octets)) as archive:
        for info in archive.infolist():
            chaines = info.filename.lower().endswith("sharedstrings.xml")
            maximum = limites.TAILLE_MAX_XML if chaines else limites.TAILLE_MAX_FEUILLE_LUE
            if info.file_size > maximum:
                raise BarometreErreur(
                    f"copie annotée de « {nom} » impossible : la partie « {info.filename[:80]} » "
                    f"est trop volumineuse ({info.file_size // 1024} Ko décompressés, "
                    f"{maximum // 1024} Ko au plus). Corrigez les constats affichés directement "
                    "dans le classeur."
                )


def _formats_explicites(classeur) -> None:
    """Réécrit les formats de nombre en codes explicites et indépendants de la langue.

    openpyxl réécrit « #,##0 » en simple numéro de format intégré, que Calc en français
    traduit mal ; les gabarits d'avant écrivaient « 0.0 % », que Calc lit de travers.
    """
    for feuille in classeur.worksheets:
        for rangee in feuille.iter_rows():
            for cellule in rangee:
                code = cellule.number_format
                if format_explicite(code) != code:
                    cellule.number_format = format_explicite(code)


def annoter(rapport: RapportFichier) -> Path | None:
    """Écrit la copie annotée et rend son chemin ; None si rien à annoter ou fichier illisible.

    Lève `BarometreErreur` quand le classeur est lisible mais trop volumineux pour openpyxl.
    """
    if not rapport.constats or not rapport.lisible:
        return None
    if rapport.format == "ods":
        return _annoter_ods(rapport)
    octets = _octets_valides(rapport)
    _verifier_tailles(octets, rapport.fichier.name)
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    classeur = load_workbook(io.BytesIO(octets))
    _formats_explicites(classeur)
    par_defaut = FEUILLE_SAISIE if FEUILLE_SAISIE in classeur.sheetnames else classeur.sheetnames[0]
    par_cellule: dict[tuple[str, str], list] = {}
    for c in rapport.constats:
        feuille = c.feuille if c.feuille in classeur.sheetnames else par_defaut
        par_cellule.setdefault((feuille, c.cellule or "A1"), []).append(c)
    for (feuille, cellule), constats in par_cellule.items():
        case = classeur[feuille][cellule]
        texte = texte_sur("\n\n".join(f"[{c.severite.value}] {c.message}" for c in constats))
        commentaire = Comment(texte, "barometre valider")
        commentaire.width, commentaire.height = 320, 160
        case.comment = commentaire
        pire = min(constats, key=lambda c: list(Severite).index(c.severite)).severite
        case.fill = PatternFill("solid", fgColor=_COULEURS[pire])
    octets_copie = _enregistrer(classeur)
    return ecrire_atomiquement(
        chemin_annote(rapport.fichier), lambda temporaire: temporaire.write_bytes(octets_copie)
    )


def _enregistrer(classeur) -> bytes:
    """Le classeur enregistré en mémoire ; `OSError` si openpyxl n'y arrive pas.

    Sur un disque plein, openpyxl échoue dans ses propres fichiers temporaires (lxml lève
    `SerialisationError: IO_ENOSPC`), puis ses générateurs laissent une trace Python en se
    refermant. Enregistré ici en mémoire, l'échec devient une `OSError` que l'appelant dit en
    français ; les traces de fermeture sont tues le temps de l'enregistrement.
    """
    tampon = io.BytesIO()
    echec = None
    precedent, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        try:
            classeur.save(tampon)
        except Exception as exc:  # lxml, zipfile, openpyxl : tout échec d'écriture
            echec = str(exc) or type(exc).__name__
        gc.collect()  # les générateurs d'openpyxl se referment ici, en silence
    finally:
        sys.unraisablehook = precedent
    if echec is not None:
        numero = getattr(errno, echec[3:], None) if echec.startswith("IO_E") else None
        raise OSError(numero or errno.EIO, echec)
    return tampon.getvalue()


def _annoter_ods(rapport: RapportFichier) -> Path:
    """La copie annotée d'un .ods, en .ods : ouverte dans LibreOffice comme l'original."""
    from barometre_cli.sorties.annotation_ods import chemin_annote as chemin_ods
    from barometre_cli.sorties.annotation_ods import octets_annotes

    impossible = BarometreErreur(
        f"copie annotée de « {rapport.fichier.name} » impossible : le classeur a changé depuis "
        "sa vérification (ou dépasse les limites de lecture). Corrigez les constats affichés "
        "directement dans le classeur, ou vérifiez-le de nouveau."
    )
    octets = _octets_valides(rapport)  # les octets mêmes que la validation a lus
    par_cellule: dict[tuple[str, str], list] = {}
    for c in rapport.constats:
        par_cellule.setdefault((c.feuille or FEUILLE_SAISIE, c.cellule or "A1"), []).append(c)
    try:
        with zipfile.ZipFile(io.BytesIO(octets)) as archive:
            taille = archive.getinfo("content.xml").file_size
        if taille > limites.TAILLE_MAX_FEUILLE_LUE:
            raise impossible
        copie = octets_annotes(octets, par_cellule, FEUILLE_SAISIE)
    except BarometreErreur:
        raise
    except Exception:  # archive ou XML devenus illisibles depuis la vérification
        raise impossible from None
    return ecrire_atomiquement(
        chemin_ods(rapport.fichier, SUFFIXE_ANNOTE),
        lambda temporaire: temporaire.write_bytes(copie),
    )
