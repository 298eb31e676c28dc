"""Copie annotée d'un classeur : chaque constat en commentaire sur sa cellule, surligné.

Pour les répondants qui préfèrent corriger dans Excel. On n'écrit jamais sur l'original : la
copie porte le suffixe « -annote ». openpyxl n'est appelé que sur un fichier que la lecture
défensive a déjà accepté (et defusedxml est vérifié au démarrage).
"""

from __future__ import annotations

from pathlib import Path

from barometre_cli.constats import Severite
from barometre_cli.validation import RapportFichier

_COULEURS = {Severite.ERREUR: "FFC7CE", Severite.AVERTISSEMENT: "FFEB9C", Severite.INFO: "DDEBF7"}


def chemin_annote(fichier: Path) -> Path:
    return fichier.with_name(f"{fichier.stem}-annote.xlsx")


def annoter(rapport: RapportFichier) -> Path | None:
    """Écrit la copie annotée et rend son chemin ; None si le fichier n'a pas pu être lu."""
    if not rapport.constats or any(c.code in _ILLISIBLES for c in rapport.constats):
        return None
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    classeur = load_workbook(rapport.fichier)
    par_cellule: dict[tuple[str, str], list] = {}
    for c in rapport.constats:
        feuille = c.feuille if c.feuille in classeur.sheetnames else classeur.sheetnames[-1]
        par_cellule.setdefault((feuille, c.cellule or "A1"), []).append(c)
    for (feuille, cellule), constats in par_cellule.items():
        case = classeur[feuille][cellule]
        texte = "\n\n".join(f"[{c.severite.value}] {c.message}" for c in constats)
        commentaire = Comment(texte, "barometre valider")
        commentaire.width, commentaire.height = 320, 160
        case.comment = commentaire
        pire = min(constats, key=lambda c: list(Severite).index(c.severite)).severite
        case.fill = PatternFill("solid", fgColor=_COULEURS[pire])
    sortie = chemin_annote(rapport.fichier)
    classeur.save(sortie)
    return sortie


#: Constats qui signifient que le fichier n'a pas pu être ouvert comme classeur.
_ILLISIBLES = {
    "fichier-illisible",
    "fichier-vide",
    "pas-un-classeur",
    "zip-corrompu",
    "classeur-chiffre",
    "format-xls",
    "format-ods",
    "macros-refusees",
    "format-strict",
    "xml-dangereux",
    "xml-invalide",
    "zip-bombe",
    "donnees-hors-gabarit",
}
