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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from barometre_cli.calculs import type_calcul
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
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    VERSION_FORMAT,
    Cible,
    Type,
    cibles,
)
from barometre_cli.cellules import ecrire_texte
from barometre_cli.lecture import lettres_colonne
from barometre_cli.registre import Organisation, nom_dossier
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
        debut = f"${lettres_colonne(self.colonne)}${self.ligne}"
        if self.lignes == 1 and self.colonnes == 1:
            return f"'{self.feuille}'!{debut}"
        fin_col = lettres_colonne(self.colonne + self.colonnes - 1)
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
            if champ.etiquettes:  # les noms des éléments, juste à gauche des saisies
                places[champ.etiquettes] = Emplacement(
                    LIGNE_DONNEES + 1, COLONNE_SAISIE - 1, champ.lignes
                )
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


def _validation(type_: Type, aide: str, permis: tuple[str, ...] = ()) -> DataValidation:
    """La validation de données Excel qui correspond au type d'une saisie."""
    if type_ is Type.ENTIER:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        erreur = "Inscrivez un nombre entier égal ou supérieur à 0, sans décimales ni texte."
    elif type_ is Type.OUI_NON:
        dv = DataValidation(type="list", formula1=f'"{OUI},{NON}"')
        erreur = "Choisissez Oui ou Non dans la liste."
    elif type_ is Type.STATUT:
        dv = DataValidation(type="list", formula1='"' + ",".join(permis) + '"')
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
        self._par_cle: dict[tuple[Type, str, tuple[str, ...]], DataValidation] = {}

    def ajouter(self, type_: Type, aide: str, plage: str, permis: tuple[str, ...] = ()) -> None:
        cle = (type_, aide, permis)
        if cle not in self._par_cle:
            self._par_cle[cle] = _validation(type_, aide, permis)
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


#: Format de nombre de chaque sorte de cellule calculée d'un type de calcul.
_FORMATS = {"entier": "0", "pourcentage": "0.0 %", "texte": "@"}


def _bloc_resultats(feuille, cible: Cible, ligne: int, references: dict[str, str]) -> None:
    """Résultat calculé en direct pour le répondant ; l'outil, lui, recalcule tout.

    Les lignes et la proportion viennent du type de calcul de la cible ; `references` donne
    l'adresse de chaque champ et de chaque colonne de tableau nommés dans leurs formules.
    """
    piece = type_calcul(cible).piece_gabarit(cible)
    _libelle(feuille, ligne, 2, "Votre résultat (calculé automatiquement)", _SOUS_TITRE)
    if piece.proportion:
        _libelle(
            feuille,
            ligne,
            4,
            "À titre indicatif : le Ministère recalcule tout à partir de vos saisies.",
        )
        feuille.cell(ligne, 4).font = Font(italic=True, color="595959")
    references = dict(references)
    for resultat in piece.lignes:
        ligne += 1
        references[resultat.cle] = f"C{ligne}"
        formule = resultat.formule.format(**references)
        _resultat(feuille, ligne, resultat.libelle, formule, _FORMATS[resultat.format])
    if not piece.proportion:
        return
    ligne += 1
    proportion = piece.proportion.format(**references)
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
    # La disposition suit la forme des champs (cellules, liste, tableau), jamais le type de
    # calcul : une onzième cible d'un type existant n'a rien à ajouter ici.
    premier = cible.champs[0]
    if premier.colonnes:
        _ecrire_tableau(feuille, cible, places, validations)
    elif premier.lignes > 1:
        _ecrire_liste(feuille, cible, places, validations)
    else:
        _ecrire_champs_simples(feuille, cible, places, validations)
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
    derniere = max(places[c.nom].ligne for c in cible.champs)
    references = {c.nom: f"C{places[c.nom].ligne}" for c in cible.champs}
    _bloc_resultats(feuille, cible, derniere + 2, references)


def _ecrire_liste(feuille, cible: Cible, places, validations: _Validations) -> None:
    """Une liste fixe (les 12 processus de 5.2) : une ligne par élément, un statut à choisir."""
    champ = cible.champs[0]
    place = places[champ.nom]
    entete = place.ligne - 1
    for colonne, texte in enumerate(
        ("Domaine", "Processus administratif prioritaire", "Statut"), 1
    ):
        _libelle(feuille, entete, colonne, texte, _GRAS)
        feuille.cell(entete, colonne).fill = _BLEU
    feuille.column_dimensions["C"].width = 32
    for i, element in enumerate(cible.liste):
        ligne = place.ligne + i
        _libelle(feuille, ligne, 1, element.domaine)
        _libelle(feuille, ligne, 2, element.nom)
        _saisie(feuille.cell(ligne, place.colonne), "@")
    fin = place.ligne + place.lignes - 1
    plage = f"C{place.ligne}:C{fin}"
    validations.ajouter(champ.type, champ.aide, plage, cible.statuts)
    _bloc_resultats(feuille, cible, fin + 2, {champ.nom: plage})


def _ecrire_tableau(feuille, cible: Cible, places, validations: _Validations) -> None:
    """Un tableau de saisie (5.1, 6.1) : colonnes jaunes à remplir, colonnes grises calculées."""
    champ = cible.champs[0]
    place = places[champ.nom]
    premiere, derniere = place.ligne, place.ligne + place.lignes - 1
    entete = premiere - 1
    piece = type_calcul(cible).piece_gabarit(cible)
    cles = [c.cle for c in champ.colonnes] + [c.cle for c in piece.colonnes]
    lettres = {cle: lettres_colonne(place.colonne + j) for j, cle in enumerate(cles)}
    entetes = [c.libelle for c in champ.colonnes] + [c.entete for c in piece.colonnes]
    for j, texte in enumerate(entetes):
        cellule = feuille.cell(entete, place.colonne + j, texte)
        cellule.font = _GRAS
        cellule.fill = _BLEU if j < len(champ.colonnes) else _GRIS
        cellule.alignment = _ENVELOPPE
        cellule.border = _BORDURE
    feuille.row_dimensions[entete].height = 45
    _libelle(feuille, entete, 1, champ.aide)
    for ligne in range(premiere, derniere + 1):
        for j, colonne in enumerate(champ.colonnes):
            _saisie(
                feuille.cell(ligne, place.colonne + j),
                "# ##0" if colonne.type is Type.ENTIER else "@",
            )
        cellules = {cle: f"{lettre}{ligne}" for cle, lettre in lettres.items()}
        for calculee in piece.colonnes:
            cellule = feuille[cellules[calculee.cle]]
            cellule.value = calculee.formule.format(**cellules)
            cellule.number_format = _FORMATS[calculee.format]
            cellule.fill = _GRIS
    for colonne in champ.colonnes:
        lettre = lettres[colonne.cle]
        validations.ajouter(colonne.type, colonne.aide, f"{lettre}{premiere}:{lettre}{derniere}")
    feuille.freeze_panes = f"A{premiere}"
    references = {
        f"plage_{cle}": f"{lettre}{premiere}:{lettre}{derniere}" for cle, lettre in lettres.items()
    }
    _bloc_resultats(feuille, cible, LIGNE_DONNEES, references)


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
    for paragraphe in type_calcul(cible).paragraphes(cible):
        yield "texte", paragraphe
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
    gabarits de l'une écraseraient en silence ceux de l'autre. Les gabarits (des centaines
    avec un registre) sont écrits dans un brouillon puis publiés d'un coup : une écriture
    interrompue ou refusée (un gabarit ouvert dans Excel) ne change aucun fichier de `sortie`.
    """
    from barometre_cli.sorties.ensemble import ecrire_ensemble

    cibles = list(cibles)
    destinataires: list[Organisation | None] = (
        list(organisations) if organisations is not None else [None]
    )
    _verifier_dossiers_distincts([o for o in destinataires if o is not None])

    def ecrire(brouillon: Path) -> list[Path]:
        ecrits: list[Path] = []
        for organisation in destinataires:
            dossier = brouillon if organisation is None else brouillon / nom_dossier(organisation)
            dossier.mkdir(parents=True, exist_ok=True)
            for cible in cibles:
                chemin = dossier / nom_fichier(cible, periode, organisation)
                chemin.write_bytes(octets_gabarit(cible, periode, organisation))
                ecrits.append(chemin)
        return ecrits

    return ecrire_ensemble(sortie, ecrire, "la production des gabarits")


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
    places = disposition(cibles()[0])
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
    for cible in cibles():
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
                contenu = (
                    f"{champ.lignes} cellules, une par processus, lues avec le nom du processus "
                    "écrit sur la même ligne"
                )
                type_ = _TYPES_DOC[champ.type]
            else:
                contenu, type_ = champ.libelle, _TYPES_DOC[champ.type]
            lignes.append(
                f"| `{champ.nom}` | {places[champ.nom].reference()} | {contenu} | {type_} |"
            )
            if champ.etiquettes:
                lignes.append(
                    f"| `{champ.etiquettes}` | {places[champ.etiquettes].reference()} | noms des "
                    f"processus, préremplis et verrouillés (une liste triée reste lisible) | "
                    "texte |"
                )
        lignes += type_calcul(cible).documentation(cible)
    return "\n".join(lignes) + "\n"


if __name__ == "__main__":
    print(documentation_interface(), end="")
