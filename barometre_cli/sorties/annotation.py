"""Copie annotée d'un classeur : chaque constat en commentaire sur sa cellule, surlignée.

Pour les répondants qui préfèrent corriger dans Excel. On n'écrit jamais sur l'original : la
copie porte le suffixe « -annote », écrite d'un coup (fichier temporaire puis renommage). Un
classeur .ods reçoit une copie .ods, pour LibreOffice (`annotation_ods`).
openpyxl charge tout le classeur, y compris les feuilles que la lecture défensive n'a pas lues :
on ne le lui confie qu'un classeur déjà accepté par la lecture, dont chaque feuille reste sous
la limite de taille des feuilles lues.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from barometre_cli.catalogue import FEUILLE_SAISIE
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.ecriture.atomique import ecrire_atomiquement
from barometre_cli.ecriture.cellules import texte_sur
from barometre_cli.ecriture.classeur import format_explicite
from barometre_cli.lecture import TAILLE_MAX_FEUILLE_LUE, TAILLE_MAX_FICHIER
from barometre_cli.lecture.decouverte import SUFFIXE_ANNOTE
from barometre_cli.validation.rapport import RapportFichier

_COULEURS = {Severite.ERREUR: "FFC7CE", Severite.AVERTISSEMENT: "FFEB9C", Severite.INFO: "DDEBF7"}


def chemin_annote(fichier: Path) -> Path:
    return fichier.with_name(f"{fichier.stem}{SUFFIXE_ANNOTE}.xlsx")


def _verifier_tailles(fichier: Path) -> None:
    with zipfile.ZipFile(fichier) as archive:
        for info in archive.infolist():
            if (
                info.filename.startswith("xl/worksheets/")
                and info.file_size > TAILLE_MAX_FEUILLE_LUE
            ):
                raise BarometreErreur(
                    f"copie annotée de « {fichier.name} » impossible : la partie "
                    f"« {info.filename} » est trop volumineuse. Corrigez les constats affichés "
                    "directement dans le classeur."
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
    _verifier_tailles(rapport.fichier)
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    classeur = load_workbook(rapport.fichier)
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
    return ecrire_atomiquement(chemin_annote(rapport.fichier), classeur.save)


def _annoter_ods(rapport: RapportFichier) -> Path:
    """La copie annotée d'un .ods, en .ods : ouverte dans LibreOffice comme l'original."""
    from barometre_cli.sorties.annotation_ods import chemin_annote as chemin_ods
    from barometre_cli.sorties.annotation_ods import octets_annotes

    impossible = BarometreErreur(
        f"copie annotée de « {rapport.fichier.name} » impossible : le classeur a changé depuis "
        "sa vérification (ou dépasse les limites de lecture). Corrigez les constats affichés "
        "directement dans le classeur, ou vérifiez-le de nouveau."
    )
    octets = rapport.fichier.read_bytes()
    par_cellule: dict[tuple[str, str], list] = {}
    for c in rapport.constats:
        par_cellule.setdefault((c.feuille or FEUILLE_SAISIE, c.cellule or "A1"), []).append(c)
    try:
        with zipfile.ZipFile(io.BytesIO(octets)) as archive:
            taille = archive.getinfo("content.xml").file_size
        if len(octets) > TAILLE_MAX_FICHIER or taille > TAILLE_MAX_FEUILLE_LUE:
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
