"""Production des gabarits Excel de collecte, un par cible, à partir du catalogue.

Le gabarit est l'interface publique de la collecte : chaque saisie est une cellule jaune,
déverrouillée, munie d'une validation de données et joignable par un nom défini de portée
classeur (`c5_1_services`, `organisation_code`…). Le reste de la feuille est protégé sans mot de
passe : on évite les accidents, on n'empêche personne de travailler. Des propriétés
personnalisées cachées (version du format, cible, période, organisation destinataire) permettent
à `valider` et à `compiler` de reconnaître le gabarit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from barometre_cli.catalogue import (
    AMBITIONS,
    DEBUT_PERIODE_REFERENCE,
    ECHELLE,
    FEUILLE_INSTRUCTIONS,
    FEUILLE_RETROACTION,
    FEUILLE_SAISIE,
    IDENTIFICATION,
    LEXIQUE,
    NON,
    ORIENTATIONS,
    OUI,
    PROCESSUS_5_2,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    STATUT_SANS_PAPIER,
    STATUTS_5_2,
    VERSION_FORMAT,
    Calcul,
    Cible,
    Type,
)
from barometre_cli.cellules import ecrire_texte
from barometre_cli.registre import Organisation
from barometre_cli.remplissage import remplir

COURRIEL_MCN = "performanceri@mcn.gouv.qc.ca"

#: Date de création et de modification des gabarits de la version du format en vigueur. Un
#: classeur enregistré par un répondant porte ensuite sa propre date de modification.
DATE_GABARIT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

_JAUNE = PatternFill("solid", fgColor="FFF2CC")
_BLEU = PatternFill("solid", fgColor="DCE6F1")
_GRIS = PatternFill("solid", fgColor="F2F2F2")
_TITRE = Font(bold=True, size=14, color="1F3864")
_SOUS_TITRE = Font(bold=True, size=12, color="1F3864")
_GRAS = Font(bold=True)
_TRAIT = Side(style="thin", color="7F7F7F")
_BORDURE = Border(left=_TRAIT, right=_TRAIT, top=_TRAIT, bottom=_TRAIT)
_ENVELOPPE = Alignment(wrap_text=True, vertical="top")

# Disposition de la feuille Saisie (lignes 1-based).
LIGNE_IDENTIFICATION = 5  # première cellule d'identification, colonne C
LIGNE_DONNEES = 13  # premières saisies propres à la cible
COLONNE_SAISIE = 3  # C
LIGNE_ENTETE_TABLEAU = 19  # 5.1 et 6.1 : en-tête du tableau, saisies à la ligne suivante
LIGNE_RETROACTION = 12  # feuille Rétroaction : première question


@dataclass(frozen=True)
class Emplacement:
    """Où se trouve un champ dans la feuille Saisie : coin supérieur gauche et taille."""

    ligne: int
    colonne: int
    lignes: int = 1
    colonnes: int = 1
    feuille: str = FEUILLE_SAISIE

    def reference(self) -> str:
        debut = f"${get_column_letter(self.colonne)}${self.ligne}"
        if self.lignes == 1 and self.colonnes == 1:
            return f"'{self.feuille}'!{debut}"
        fin_col = get_column_letter(self.colonne + self.colonnes - 1)
        return f"'{self.feuille}'!{debut}:${fin_col}${self.ligne + self.lignes - 1}"


def disposition(cible: Cible) -> dict[str, Emplacement]:
    """Nom défini → emplacement, pour tous les champs du gabarit de `cible`."""
    places = {
        champ.nom: Emplacement(LIGNE_IDENTIFICATION + i, COLONNE_SAISIE)
        for i, champ in enumerate(IDENTIFICATION)
    }
    for i, champ in enumerate(cible.champs):
        if champ.colonnes:
            places[champ.nom] = Emplacement(
                LIGNE_ENTETE_TABLEAU + 1, 2, champ.lignes, len(champ.colonnes)
            )
        elif champ.lignes > 1:
            places[champ.nom] = Emplacement(LIGNE_DONNEES + 1, COLONNE_SAISIE, champ.lignes)
        else:
            places[champ.nom] = Emplacement(LIGNE_DONNEES + i, COLONNE_SAISIE)
    for i, champ in enumerate(RETROACTION):
        places[champ.nom] = Emplacement(
            LIGNE_RETROACTION + i, COLONNE_SAISIE, feuille=FEUILLE_RETROACTION
        )
    return places


# --------------------------------------------------------------------------------------------
# Validations de données : une par type de saisie, messages en français.

_NOM_TYPE = {
    Type.ENTIER: "Nombre entier",
    Type.OUI_NON: "Oui ou Non",
    Type.STATUT: "Statut du processus",
    Type.ANNEE: "Année",
    Type.COURRIEL: "Courriel",
    Type.TEXTE: "Texte",
    Type.ECHELLE: "De 1 à 5",
}


def _validation(type_: Type, aide: str) -> DataValidation:
    """La validation de données Excel qui correspond au type d'une saisie."""
    if type_ is Type.ENTIER:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        erreur = "Inscrivez un nombre entier égal ou supérieur à 0, sans décimales ni texte."
    elif type_ is Type.OUI_NON:
        dv = DataValidation(type="list", formula1=f'"{OUI},{NON}"')
        erreur = "Choisissez Oui ou Non dans la liste."
    elif type_ is Type.STATUT:
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUTS_5_2) + '"')
        erreur = "Choisissez un des quatre statuts de la liste."
    elif type_ is Type.ECHELLE:
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
        erreur = "Inscrivez un nombre de 1 (pas du tout d'accord) à 5 (tout à fait d'accord)."
    elif type_ is Type.ANNEE:
        dv = DataValidation(type="whole", operator="between", formula1="2019", formula2="2100")
        erreur = "Inscrivez l'année de la collecte sur quatre chiffres, par exemple 2026."
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="255")
        erreur = "Le texte est limité à 255 caractères."
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Valeur refusée"
    dv.error = erreur
    dv.promptTitle = _NOM_TYPE[type_][:32]
    dv.prompt = aide[:255]
    return dv


class _Validations:
    """Regroupe les cellules par validation identique, pour n'en écrire qu'une par type."""

    def __init__(self) -> None:
        self._par_cle: dict[tuple[Type, str], DataValidation] = {}

    def ajouter(self, type_: Type, aide: str, plage: str) -> None:
        cle = (type_, aide)
        if cle not in self._par_cle:
            self._par_cle[cle] = _validation(type_, aide)
        self._par_cle[cle].add(plage)

    def poser(self, feuille) -> None:
        for dv in self._par_cle.values():
            feuille.add_data_validation(dv)


# --------------------------------------------------------------------------------------------
# Écriture


def _saisie(cellule, format_nombre: str | None = None) -> None:
    cellule.fill = _JAUNE
    cellule.border = _BORDURE
    cellule.protection = Protection(locked=False)
    if format_nombre:
        cellule.number_format = format_nombre


def _libelle(feuille, ligne: int, colonne: int, texte: str, police: Font | None = None) -> None:
    cellule = feuille.cell(ligne, colonne, texte)
    cellule.alignment = _ENVELOPPE
    if police:
        cellule.font = police


def _resultat(feuille, ligne: int, libelle: str, formule: str, format_: str) -> None:
    _libelle(feuille, ligne, 2, libelle)
    cellule = feuille.cell(ligne, 3, formule)
    cellule.fill = _GRIS
    cellule.border = _BORDURE
    cellule.number_format = format_
    cellule.font = _GRAS


def _bloc_resultats(feuille, cible: Cible, ligne: int, proportion: str, extra=()) -> None:
    """Résultat calculé en direct pour le répondant ; l'outil, lui, recalcule tout."""
    _libelle(feuille, ligne, 2, "Votre résultat (calculé automatiquement)", _SOUS_TITRE)
    _libelle(
        feuille,
        ligne,
        4,
        "À titre indicatif : le Ministère recalcule tout à partir de vos saisies.",
    )
    feuille.cell(ligne, 4).font = Font(italic=True, color="595959")
    ligne += 1
    for libelle, formule, format_ in extra:
        _resultat(feuille, ligne, libelle, formule, format_)
        ligne += 1
    _resultat(feuille, ligne, "Votre proportion", proportion, "0.0 %")
    _resultat(feuille, ligne + 1, "Valeur visée", f"={cible.valeur_visee_pct}/100", "0 %")
    _resultat(
        feuille,
        ligne + 2,
        "Taux d'atteinte (proportion / valeur visée)",
        f'=IF(ISNUMBER(C{ligne}),C{ligne}/C{ligne + 1},"")',
        "0 %",
    )


def _ecrire_saisie(feuille, cible: Cible, periode: str) -> None:
    places = disposition(cible)
    validations = _Validations()
    feuille.column_dimensions["A"].width = 30
    feuille.column_dimensions["B"].width = 55
    for lettre in "CDEF":
        feuille.column_dimensions[lettre].width = 22

    _libelle(feuille, 1, 1, f"Baromètre numériQc — Cible {cible.id}", _TITRE)
    _libelle(feuille, 2, 1, cible.titre, _SOUS_TITRE)
    _libelle(
        feuille,
        3,
        1,
        "Remplissez les cellules jaunes. Les autres cellules sont protégées (sans mot de passe) "
        "pour éviter de briser le gabarit.",
    )
    feuille.merge_cells("A3:F3")

    _libelle(feuille, LIGNE_IDENTIFICATION - 1, 1, "Identification", _SOUS_TITRE)
    for champ in IDENTIFICATION:
        place = places[champ.nom]
        _libelle(feuille, place.ligne, 2, champ.libelle + ("" if champ.obligatoire else " *"))
        cellule = feuille.cell(place.ligne, place.colonne)
        _saisie(cellule, "0" if champ.type is Type.ANNEE else "@")
        validations.ajouter(champ.type, champ.aide, cellule.coordinate)
    _libelle(feuille, LIGNE_IDENTIFICATION + len(IDENTIFICATION), 2, "* facultatif")
    if periode:
        feuille.cell(places["periode"].ligne, 3, int(periode))

    _libelle(feuille, LIGNE_DONNEES - 1, 1, "Données à fournir", _SOUS_TITRE)
    _libelle(
        feuille,
        LIGNE_DONNEES - 1,
        2,
        f"Données cumulées depuis le {DEBUT_PERIODE_REFERENCE}.",
    )
    if cible.calcul in (Calcul.RATIO, Calcul.CONDITION):
        _ecrire_champs_simples(feuille, cible, places, validations)
    elif cible.calcul is Calcul.LISTE_FIXE:
        _ecrire_processus(feuille, cible, places, validations)
    else:
        _ecrire_tableau(feuille, cible, places, validations)
    validations.poser(feuille)
    feuille.protection.sheet = True
    feuille.protection.formatColumns = False  # False = permis : élargir une colonne
    feuille.protection.formatRows = False


def _ecrire_champs_simples(feuille, cible: Cible, places, validations: _Validations) -> None:
    for champ in cible.champs:
        place = places[champ.nom]
        _libelle(feuille, place.ligne, 1, champ.libelle)
        feuille.merge_cells(
            start_row=place.ligne, end_row=place.ligne, start_column=1, end_column=2
        )
        feuille.row_dimensions[place.ligne].height = 32
        cellule = feuille.cell(place.ligne, place.colonne)
        _saisie(cellule, "# ##0" if champ.type is Type.ENTIER else "@")
        validations.ajouter(champ.type, champ.aide, cellule.coordinate)
    a, b = (places[c.nom].ligne for c in cible.champs)
    ligne = b + 2
    if cible.calcul is Calcul.RATIO:
        proportion = f'=IF(AND(ISNUMBER(C{a}),ISNUMBER(C{b}),C{b}>0),C{a}/C{b},"")'
        _bloc_resultats(feuille, cible, ligne, proportion)
    else:
        respect = f'=IF(AND(TRIM(C{a})="{OUI}",TRIM(C{b})="{OUI}"),"{OUI}","{NON}")'
        _libelle(feuille, ligne, 2, "Votre résultat (calculé automatiquement)", _SOUS_TITRE)
        _resultat(feuille, ligne + 1, "Votre organisation respecte la cible", respect, "@")


def _ecrire_processus(feuille, cible: Cible, places, validations: _Validations) -> None:
    place = places["c5_2_statuts"]
    entete = place.ligne - 1
    for colonne, texte in enumerate(
        ("Domaine", "Processus administratif prioritaire", "Statut"), 1
    ):
        _libelle(feuille, entete, colonne, texte, _GRAS)
        feuille.cell(entete, colonne).fill = _BLEU
    feuille.column_dimensions["C"].width = 32
    for i, processus in enumerate(PROCESSUS_5_2):
        ligne = place.ligne + i
        _libelle(feuille, ligne, 1, processus.domaine)
        _libelle(feuille, ligne, 2, processus.nom)
        _saisie(feuille.cell(ligne, place.colonne), "@")
    fin = place.ligne + place.lignes - 1
    plage = f"C{place.ligne}:C{fin}"
    validations.ajouter(Type.STATUT, cible.champs[0].aide, plage)
    proportion = f'=IF(COUNTA({plage})=0,"",COUNTIF({plage},"{STATUT_SANS_PAPIER}")/12)'
    extra = (
        (
            "Processus sans papier de bout en bout",
            f'=COUNTIF({plage},"{STATUT_SANS_PAPIER}")',
            "0",
        ),
    )
    _bloc_resultats(feuille, cible, fin + 2, proportion, extra)


def _ecrire_tableau(feuille, cible: Cible, places, validations: _Validations) -> None:
    champ = cible.champs[0]
    place = places[champ.nom]
    premiere, derniere = place.ligne, place.ligne + place.lignes - 1
    entete = premiere - 1
    lettres = [get_column_letter(place.colonne + j) for j in range(len(champ.colonnes))]
    calculees = (
        ("Taux d'utilisation numérique", "Compte (> 75 %)")
        if cible.calcul is Calcul.TAUX_UTILISATION
        else ("Haut potentiel (50 points ou plus)", "Diffusé et à haut potentiel")
    )
    for j, texte in enumerate([c.libelle for c in champ.colonnes] + list(calculees)):
        cellule = feuille.cell(entete, place.colonne + j, texte)
        cellule.font = _GRAS
        cellule.fill = _BLEU if j < len(champ.colonnes) else _GRIS
        cellule.alignment = _ENVELOPPE
        cellule.border = _BORDURE
    feuille.row_dimensions[entete].height = 45
    _libelle(feuille, entete, 1, champ.aide)
    b, c, d = lettres
    e, f = get_column_letter(place.colonne + 3), get_column_letter(place.colonne + 4)
    for ligne in range(premiere, derniere + 1):
        for j, colonne in enumerate(champ.colonnes):
            _saisie(
                feuille.cell(ligne, place.colonne + j),
                "# ##0" if colonne.type is Type.ENTIER else "@",
            )
        if cible.calcul is Calcul.TAUX_UTILISATION:
            taux = f'=IF(AND(ISNUMBER({c}{ligne}),ISNUMBER({d}{ligne}),{d}{ligne}>0),{c}{ligne}/{d}{ligne},"")'
            compte = f'=IF({b}{ligne}="","",IF(AND(ISNUMBER({e}{ligne}),{c}{ligne}*4>{d}{ligne}*3),"{OUI}","{NON}"))'
            formats = ("0.0 %", "@")
        else:
            taux = f'=IF({b}{ligne}="","",IF(AND(ISNUMBER({c}{ligne}),{c}{ligne}>=50),"{OUI}","{NON}"))'
            compte = f'=IF({e}{ligne}="{OUI}",IF(TRIM({d}{ligne})="{OUI}","{OUI}","{NON}"),"")'
            formats = ("@", "@")
        for colonne, formule, format_ in ((e, taux, formats[0]), (f, compte, formats[1])):
            cellule = feuille[f"{colonne}{ligne}"]
            cellule.value = formule
            cellule.number_format = format_
            cellule.fill = _GRIS
    for j, colonne in enumerate(champ.colonnes):
        validations.ajouter(
            colonne.type, colonne.aide, f"{lettres[j]}{premiere}:{lettres[j]}{derniere}"
        )
    feuille.freeze_panes = f"A{premiere}"

    col_e = f"{e}{premiere}:{e}{derniere}"
    col_f = f"{f}{premiere}:{f}{derniere}"
    col_b = f"{b}{premiere}:{b}{derniere}"
    ligne = LIGNE_DONNEES
    if cible.calcul is Calcul.TAUX_UTILISATION:
        extra = (
            ("Services inscrits", f"=COUNTA({col_b})", "0"),
            ("Services dont le taux numérique dépasse 75 %", f'=COUNTIF({col_f},"{OUI}")', "0"),
        )
        proportion = f'=IF(C{ligne + 1}>0,C{ligne + 2}/C{ligne + 1},"")'
        _bloc_resultats(feuille, cible, ligne, proportion, extra)
    else:
        extra = (
            ("Jeux à haut potentiel (50 points ou plus)", f'=COUNTIF({col_e},"{OUI}")', "0"),
            ("… dont diffusés sur Données Québec", f'=COUNTIF({col_f},"{OUI}")', "0"),
        )
        _libelle(feuille, ligne, 2, "Votre résultat (calculé automatiquement)", _SOUS_TITRE)
        for i, (libelle, formule, format_) in enumerate(extra, 1):
            _resultat(feuille, ligne + i, libelle, formule, format_)
        _resultat(
            feuille,
            ligne + 3,
            "Proportion diffusée",
            f'=IF(C{ligne + 1}>0,C{ligne + 2}/C{ligne + 1},"")',
            "0.0 %",
        )
        _resultat(
            feuille,
            ligne + 4,
            "Votre organisation respecte la cible (plus de 50 % diffusés)",
            f'=IF(AND(C{ligne + 1}>0,C{ligne + 2}*2>C{ligne + 1}),"{OUI}","{NON}")',
            "@",
        )


def _paragraphes(cible: Cible, periode: str):
    """Le texte de la feuille Instructions : (style, texte) dans l'ordre de lecture."""
    collecte = f"collecte {periode}" if periode else "collecte"
    yield "titre", f"Baromètre numériQc — {collecte} — Cible {cible.id}"
    yield "sous-titre", cible.titre
    yield "texte", f"Orientation {cible.orientation} : {ORIENTATIONS[cible.orientation]}."
    yield "texte", f"Ambition {cible.ambition} : {AMBITIONS[cible.ambition]}."
    yield "sous-titre", "Ce que mesure l'indicateur"
    yield "texte", f"{cible.indicateur}."
    yield "texte", f"Numérateur : {cible.numerateur}."
    yield "texte", f"Dénominateur : {cible.denominateur}."
    yield "texte", f"Valeur visée : {cible.valeur_visee_pct} %."
    yield "texte", f"Effet recherché : {cible.effet_recherche}"
    yield "sous-titre", "Quoi compter"
    yield "texte", cible.quoi_compter
    yield (
        "texte",
        f"Toutes les données sont cumulées depuis l'annonce de la Stratégie de transformation "
        f"numérique gouvernementale, le {DEBUT_PERIODE_REFERENCE}, jusqu'à la date de la "
        "collecte.",
    )
    if cible.calcul is Calcul.CONDITION:
        yield (
            "texte",
            "Pour cette cible, le résultat gouvernemental est la proportion des organisations "
            "ciblées qui respectent la condition : une organisation qui ne répond pas compte "
            "au dénominateur sans compter au numérateur.",
        )
    if cible.calcul is Calcul.JEUX_DONNEES:
        yield (
            "texte",
            "Pour cette cible, le résultat gouvernemental est la proportion des organisations "
            "ciblées qui diffusent plus de 50 % de leurs jeux à haut potentiel : une "
            "organisation qui ne répond pas compte au dénominateur sans compter au numérateur.",
        )
    yield "sous-titre", "Définitions utiles"
    for terme in cible.termes:
        yield "texte", f"{terme} : {LEXIQUE[terme]}"
    yield "sous-titre", "Comment remplir le gabarit"
    yield (
        "texte",
        "1. Dans la feuille « Saisie », remplissez l'identification puis les cellules jaunes. "
        "Un message apparaît quand vous sélectionnez une cellule ; les listes se déroulent avec "
        "la flèche à droite de la cellule.",
    )
    yield (
        "texte",
        "2. Inscrivez des nombres entiers (sans décimales, sans texte ni symbole). Une valeur "
        "de 0 est permise ; laissez vide seulement ce qui est facultatif.",
    )
    yield (
        "texte",
        "3. Ne renommez pas les feuilles et ne déplacez pas les cellules : le Ministère lit le "
        "classeur par ses noms définis. Les cellules grises se calculent seules et vous "
        "montrent votre résultat à titre indicatif ; le Ministère recalcule tout.",
    )
    yield (
        "texte",
        "4. Facultatif : la feuille « Rétroaction » recueille votre avis sur le formulaire, le "
        "processus de collecte et l'accompagnement reçu, pour améliorer les prochaines "
        "collectes.",
    )
    yield "sous-titre", "Vérifier puis transmettre"
    yield (
        "texte",
        "Avant l'envoi, vérifiez le classeur avec la commande « barometre valider "
        "nom-du-fichier.xlsx » : elle signale chaque problème avec la feuille et la cellule à "
        "corriger, et affiche le résultat qui sera compté.",
    )
    yield (
        "texte",
        "Enregistrez le fichier au format Classeur Excel (.xlsx), sans mot de passe et sans "
        f"macros, puis transmettez-le au Ministère de la Cybersécurité et du Numérique "
        f"({COURRIEL_MCN}).",
    )


def _ecrire_instructions(feuille, cible: Cible, periode: str) -> None:
    feuille.column_dimensions["A"].width = 110
    polices = {"titre": _TITRE, "sous-titre": _SOUS_TITRE}
    ligne = 1
    for style, texte in _paragraphes(cible, periode):
        if style == "sous-titre" and ligne > 1:
            ligne += 1
        cellule = feuille.cell(ligne, 1)
        ecrire_texte(cellule, texte)
        cellule.alignment = _ENVELOPPE
        if style in polices:
            cellule.font = polices[style]
        # Les tableurs ne recalculent pas toujours la hauteur d'un texte replié : on la fixe.
        lignes_de_texte = -(-len(texte) // 115)
        feuille.row_dimensions[ligne].height = 16 * max(1, lignes_de_texte) + 4
        ligne += 1
    feuille.protection.sheet = True


def _ecrire_retroaction(feuille, cible: Cible) -> None:
    """Feuille facultative de rétroaction sur la collecte (section 2.6 du guide)."""
    places = disposition(cible)
    validations = _Validations()
    feuille.column_dimensions["A"].width = 4
    feuille.column_dimensions["B"].width = 70
    feuille.column_dimensions["C"].width = 40
    _libelle(feuille, 1, 2, "Rétroaction sur la collecte (facultatif)", _TITRE)
    _libelle(
        feuille,
        2,
        2,
        "Vos réponses aident le Ministère à améliorer le formulaire, le processus de collecte "
        "et l'accompagnement offert. Elles ne changent rien à vos résultats et peuvent rester "
        "vides.",
    )
    feuille.row_dimensions[2].height = 48
    _libelle(feuille, 4, 2, "Échelle de réponse", _SOUS_TITRE)
    for i, (note, texte) in enumerate(ECHELLE.items()):
        _libelle(feuille, 5 + i, 2, f"{note} = {texte}")
    _libelle(feuille, LIGNE_RETROACTION - 1, 2, "Énoncé", _GRAS)
    _libelle(feuille, LIGNE_RETROACTION - 1, 3, "Votre réponse", _GRAS)
    for champ in RETROACTION:
        place = places[champ.nom]
        _libelle(feuille, place.ligne, 2, champ.libelle)
        cellule = feuille.cell(place.ligne, place.colonne)
        _saisie(cellule, "0" if champ.type is Type.ECHELLE else "@")
        if champ.type is Type.TEXTE:
            cellule.alignment = _ENVELOPPE
            feuille.row_dimensions[place.ligne].height = 120
        else:
            feuille.row_dimensions[place.ligne].height = 32
        validations.ajouter(champ.type, champ.aide, cellule.coordinate)
    validations.poser(feuille)
    feuille.protection.sheet = True
    feuille.protection.formatColumns = False
    feuille.protection.formatRows = False


def construire_gabarit(cible: Cible, periode: str = "") -> Workbook:
    """Le classeur de collecte de `cible`, avec la période préremplie si elle est donnée."""
    classeur = Workbook()
    instructions = classeur.active
    instructions.title = FEUILLE_INSTRUCTIONS
    saisie = classeur.create_sheet(FEUILLE_SAISIE)
    _ecrire_instructions(instructions, cible, periode)
    _ecrire_saisie(saisie, cible, periode)
    _ecrire_retroaction(classeur.create_sheet(FEUILLE_RETROACTION), cible)
    classeur.active = 1
    for nom, place in disposition(cible).items():
        classeur.defined_names[nom] = DefinedName(nom, attr_text=place.reference())
    proprietes = classeur.custom_doc_props
    proprietes.append(IntProperty(name=PROP_VERSION, value=VERSION_FORMAT))
    proprietes.append(StringProperty(name=PROP_CIBLE, value=cible.id))
    proprietes.append(StringProperty(name=PROP_PERIODE, value=periode or "-"))
    proprietes.append(StringProperty(name=PROP_ORGANISATION, value="-"))
    classeur.properties.title = f"Baromètre numériQc — Cible {cible.id}"
    classeur.properties.subject = cible.titre
    classeur.properties.creator = "Ministère de la Cybersécurité et du Numérique"
    classeur.properties.language = "fr-CA"
    return classeur


@lru_cache(maxsize=64)
def _octets_base(cible: Cible, periode: str) -> bytes:
    """Le gabarit en octets, identique d'une exécution à l'autre.

    openpyxl date le document et les membres de l'archive de l'heure d'enregistrement ; on les
    fixe à `DATE_GABARIT`, pour que régénérer les gabarits publiés ne change aucun octet.
    """
    tampon = io.BytesIO()
    construire_gabarit(cible, periode).save(tampon)
    return remplir(tampon.getvalue(), {}, modifie=DATE_GABARIT)


def octets_gabarit(
    cible: Cible, periode: str = "", organisation: Organisation | None = None
) -> bytes:
    """Le gabarit en octets ; prérempli pour `organisation` par ses noms définis.

    Le gabarit d'une cible et d'une période n'est construit qu'une fois ; chaque organisation
    n'y ajoute que son code et son nom (quelques millisecondes), ce qui permet de préparer des
    milliers de gabarits en quelques secondes.
    """
    base = _octets_base(cible, periode)
    if organisation is None:
        return base
    return remplir(
        base,
        {"organisation_code": organisation.code, "organisation_nom": organisation.nom},
        proprietes={PROP_ORGANISATION: organisation.code},
    )


def nom_fichier(cible: Cible, periode: str = "", organisation: Organisation | None = None) -> str:
    """« barometre-2026-cible-5.1-ORG.xlsx » : lisible, triable, sans caractère interdit."""
    morceaux = ["barometre"]
    if periode:
        morceaux.append(periode)
    morceaux.append(f"cible-{cible.id}")
    if organisation is not None:
        morceaux.append(nom_dossier(organisation))
    return "-".join(morceaux) + ".xlsx"


def nom_dossier(organisation: Organisation) -> str:
    """Le code de l'organisation, réduit aux caractères sûrs dans un nom de fichier Windows."""
    return re.sub(r"[^\w.-]+", "_", organisation.code).strip("._") or "organisation"


def _verifier_dossiers_distincts(organisations: list[Organisation]) -> None:
    """Refuse les codes qui deviennent le même nom de dossier (« A B » et « A_B », « abc » et
    « ABC » : Windows et macOS ignorent la casse des noms de fichiers)."""
    from barometre_cli.erreurs import BarometreErreur

    par_dossier: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        par_dossier.setdefault(nom_dossier(organisation).casefold(), []).append(organisation)
    collisions = [groupe for groupe in par_dossier.values() if len(groupe) > 1]
    if not collisions:
        return
    details = " ; ".join(
        " et ".join(f"« {o.code} »" for o in groupe) + f" (dossier « {nom_dossier(groupe[0])} »)"
        for groupe in collisions
    )
    raise BarometreErreur(
        f"Ces codes d'organisation donnent le même nom de dossier et de fichier : {details}. "
        "Les noms de fichiers ne distinguent pas les majuscules des minuscules et remplacent "
        "les espaces et les caractères spéciaux par « _ » : rendez ces codes uniques dans le "
        "registre, puis relancez. Aucun gabarit n'a été écrit."
    )


def generer_gabarits(
    cibles: Iterable[Cible],
    sortie: Path,
    periode: str = "",
    organisations: Iterable[Organisation] | None = None,
) -> list[Path]:
    """Écrit les gabarits dans `sortie` (un dossier par organisation s'il y en a) ; rend les chemins.

    Deux codes qui donnent le même dossier sont refusés avant toute écriture : sinon les
    gabarits de l'une écraseraient en silence ceux de l'autre.
    """
    cibles = list(cibles)
    destinataires: list[Organisation | None] = (
        list(organisations) if organisations is not None else [None]
    )
    _verifier_dossiers_distincts([o for o in destinataires if o is not None])
    ecrits: list[Path] = []
    for organisation in destinataires:
        dossier = sortie if organisation is None else sortie / nom_dossier(organisation)
        dossier.mkdir(parents=True, exist_ok=True)
        for cible in cibles:
            chemin = dossier / nom_fichier(cible, periode, organisation)
            chemin.write_bytes(octets_gabarit(cible, periode, organisation))
            ecrits.append(chemin)
    return ecrits


_TYPES_DOC = {
    Type.TEXTE: "texte (255 caractères au plus)",
    Type.COURRIEL: "texte : adresse courriel",
    Type.ANNEE: "nombre entier de 2019 à 2100",
    Type.ENTIER: "nombre entier ≥ 0",
    Type.OUI_NON: "« Oui » ou « Non » (casse et espaces ignorés)",
    Type.STATUT: "un des quatre statuts (casse, espaces et forme de l'apostrophe ignorés)",
    Type.ECHELLE: "nombre entier de 1 à 5",
}


def documentation_interface() -> str:
    """L'interface publique des gabarits en Markdown ; `docs/interface.md` en est la copie."""
    from barometre_cli.catalogue import CIBLES

    lignes = [
        "# Interface publique des gabarits",
        "",
        f"Version du format : **{VERSION_FORMAT}**. Chaque saisie d'un gabarit est joignable par",
        "un nom défini de portée classeur : une organisation peut préremplir le gabarit depuis",
        "ses propres systèmes (voir `barometre_cli.remplissage.remplir`), et l'outil lit chaque",
        "saisie par son nom, jamais par sa position. Insérer des lignes dans un tableau ne change",
        "donc rien à la lecture : Excel et LibreOffice déplacent le nom avec les cellules.",
        "",
        "Métadonnées cachées (propriétés personnalisées du document) : "
        f"`{PROP_VERSION}` (version du format), `{PROP_CIBLE}` (cible), `{PROP_PERIODE}` "
        f"(année, « - » si non préremplie), `{PROP_ORGANISATION}` (code de l'organisation "
        "destinataire, « - » sinon).",
        "",
        "Ce fichier est produit par `python -m barometre_cli.gabarit` ; un test vérifie qu'il",
        "est à jour.",
        "",
        "## Tous les gabarits",
        "",
        "| nom défini | cellule | contenu | type | obligatoire |",
        "| --- | --- | --- | --- | --- |",
    ]
    places = disposition(CIBLES[0])
    for champ in IDENTIFICATION:
        lignes.append(
            f"| `{champ.nom}` | {places[champ.nom].reference()} | {champ.libelle} | "
            f"{_TYPES_DOC[champ.type]} | {'oui' if champ.obligatoire else 'non'} |"
        )
    lignes += ["", "## Rétroaction (facultative, tous les gabarits)", ""]
    lignes += ["| nom défini | cellule | contenu | type |", "| --- | --- | --- | --- |"]
    for champ in RETROACTION:
        lignes.append(
            f"| `{champ.nom}` | {places[champ.nom].reference()} | {champ.libelle} | "
            f"{_TYPES_DOC[champ.type]} |"
        )
    lignes += [
        "",
        "Échelle : " + " ; ".join(f"{n} = {t}" for n, t in ECHELLE.items()) + ".",
        "Une réponse hors échelle donne un avertissement, jamais une erreur.",
    ]
    for cible in CIBLES:
        places = disposition(cible)
        lignes += ["", f"## Cible {cible.id} — {cible.titre}", ""]
        lignes += ["| nom défini | plage | contenu | type |", "| --- | --- | --- | --- |"]
        for champ in cible.champs:
            if champ.colonnes:
                contenu = (
                    "tableau de "
                    + f"{champ.lignes} lignes : "
                    + " ; ".join(
                        f"colonne {i + 1} « {c.libelle} » ({_TYPES_DOC[c.type]})"
                        for i, c in enumerate(champ.colonnes)
                    )
                )
                type_ = "une ligne est vide ou complète"
            elif champ.lignes > 1:
                contenu = f"{champ.lignes} cellules, une par processus, dans l'ordre du guide"
                type_ = _TYPES_DOC[champ.type]
            else:
                contenu, type_ = champ.libelle, _TYPES_DOC[champ.type]
            lignes.append(
                f"| `{champ.nom}` | {places[champ.nom].reference()} | {contenu} | {type_} |"
            )
        if cible.calcul is Calcul.LISTE_FIXE:
            lignes += ["", "Ordre des processus :", ""]
            lignes += [f"{i}. {p.nom} ({p.domaine})" for i, p in enumerate(PROCESSUS_5_2, 1)]
            lignes += ["", "Statuts permis : " + " ; ".join(f"« {s} »" for s in STATUTS_5_2) + "."]
    return "\n".join(lignes) + "\n"


if __name__ == "__main__":
    print(documentation_interface(), end="")
