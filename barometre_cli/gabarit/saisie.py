"""La feuille « Saisie » d'un gabarit : identification, données, résultat, vérifications.

La disposition suit la forme des champs (cellules seules, liste fixe, tableau), jamais le type
de calcul : une onzième cible d'un type existant n'a rien à ajouter ici. Les formules du
résultat nomment les champs par leurs noms définis, et les colonnes d'un tableau par
`INDEX(nom,0,k)` : les lignes insérées dans un tableau comptent. Les contrôles viennent du
type de calcul et des types de saisie (`controles_gabarit`) ; `autocontrole` les pose.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.base import ControleFeuille, controle_periode, controles_saisie
from barometre_cli.calculs.valeurs import IDENTIFICATION_MANQUANTE, PERIODE_MANQUANTE
from barometre_cli.catalogue import (
    DEBUT_PERIODE_REFERENCE,
    FEUILLE_RETROACTION,
    FEUILLE_SAISIE,
    IDENTIFICATION,
    NON,
    OUI,
    RETROACTION,
    Champ,
    Cible,
    Type,
)
from barometre_cli.ecriture.classeur import ENTIER, POURCENT, POURCENT_ENTIER
from barometre_cli.gabarit.autocontrole import Zone, poser_controles
from barometre_cli.lecture import lettres_colonne

JAUNE = PatternFill("solid", fgColor="FFF2CC")
BLEU = PatternFill("solid", fgColor="DCE6F1")
GRIS = PatternFill("solid", fgColor="F2F2F2")
TITRE = Font(bold=True, size=14, color="1F3864")
SOUS_TITRE = Font(bold=True, size=12, color="1F3864")
GRAS = Font(bold=True)
NOTE = Font(italic=True, color="595959")
_TRAIT = Side(style="thin", color="7F7F7F")
BORDURE = Border(left=_TRAIT, right=_TRAIT, top=_TRAIT, bottom=_TRAIT)
ENVELOPPE = Alignment(wrap_text=True, vertical="top")

# Disposition de la feuille Saisie (lignes 1-based). Les cellules de saisie ne bougent pas
# d'une version à l'autre : des organisations les remplissent depuis leurs systèmes.
LIGNE_BILAN = 3  # « Vérification de la feuille »
LIGNE_IDENTIFICATION = 5  # première cellule d'identification, colonne C
LIGNE_DONNEES = 13  # premières saisies propres à la cible
COLONNE_SAISIE = 3  # C
LIGNE_ENTETE_TABLEAU = 19  # 5.1 et 6.1 : en-tête du tableau, saisies à la ligne suivante
LIGNE_RETROACTION = 12  # feuille Rétroaction : première question
#: Hauteur (points) du sous-titre et du bilan, figés en haut de la feuille avec le titre.
HAUTEUR_LIGNE_FIGEE = 20
#: Largeurs des colonnes : cellules seules et liste (A à D), tableau (A à G).
LARGEURS_SIMPLES = {"A": 30, "B": 55, "C": 24, "D": 48}
LARGEURS_TABLEAU = {"A": 22, "B": 50, "C": 18, "D": 18, "E": 16, "F": 16, "G": 56}


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


def libelle_champ(champ: Champ) -> str:
    """Le libellé montré à côté d'une saisie ; « (facultatif) » en toutes lettres."""
    return champ.libelle + ("" if champ.obligatoire else " (facultatif)")


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


def _validation(
    type_: Type, aide: str, permis: tuple[str, ...] = (), maximum: int | None = None
) -> DataValidation:
    """La validation de données Excel qui correspond au type d'une saisie."""
    if type_ is Type.ENTIER and maximum is not None:
        dv = DataValidation(type="whole", operator="between", formula1="0", formula2=str(maximum))
        plafond = f"{maximum:,}".replace(",", "\u00a0")  # le nombre seul, pas la phrase
        erreur = f"Inscrivez un nombre entier de 0 à {plafond}, sans décimales ni texte."
    elif type_ is Type.ENTIER:
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


class Validations:
    """Regroupe les cellules par validation identique, pour n'en écrire qu'une par type."""

    def __init__(self) -> None:
        self._par_cle: dict[tuple, DataValidation] = {}

    def ajouter(
        self,
        type_: Type,
        aide: str,
        plage: str,
        permis: tuple[str, ...] = (),
        maximum: int | None = None,
    ) -> None:
        cle = (type_, aide, permis, maximum)
        if cle not in self._par_cle:
            self._par_cle[cle] = _validation(type_, aide, permis, maximum)
        self._par_cle[cle].add(plage)

    def poser(self, feuille) -> None:
        for dv in self._par_cle.values():
            feuille.add_data_validation(dv)


# --------------------------------------------------------------------------------------------
# Écriture


def saisie(cellule, format_nombre: str | None = None) -> None:
    """Une cellule jaune, déverrouillée. Un nombre n'a pas de format : voir `_ecrire_saisie`."""
    cellule.fill = JAUNE
    cellule.border = BORDURE
    cellule.protection = Protection(locked=False)
    if format_nombre:
        cellule.number_format = format_nombre


def libelle(feuille, ligne: int, colonne: int, texte: str, police: Font | None = None):
    cellule = feuille.cell(ligne, colonne, texte)
    cellule.alignment = ENVELOPPE
    if police:
        cellule.font = police
    return cellule


def _fusion(feuille, ligne: int, debut: int, fin: int) -> None:
    feuille.merge_cells(start_row=ligne, end_row=ligne, start_column=debut, end_column=fin)


#: Format de nombre de chaque sorte de cellule calculée d'un type de calcul.
_FORMATS = {"entier": ENTIER, "pourcentage": POURCENT, "texte": "@"}


def _resultat(feuille, ligne: int, texte: str, formule: str, format_: str, matrice=False):
    libelle(feuille, ligne, 2, texte)
    cellule = feuille.cell(ligne, 3)
    cellule.value = ArrayFormula(cellule.coordinate, formule) if matrice else formule
    cellule.fill = GRIS
    cellule.border = BORDURE
    cellule.number_format = format_
    cellule.font = GRAS


def _bloc_resultats(
    feuille, cible: Cible, ligne: int, references: dict[str, str], fin_note: int
) -> int:
    """Le résultat calculé en direct pour le répondant ; rend la dernière ligne écrite.

    Les lignes et la proportion viennent du type de calcul de la cible ; `references` donne
    ce qui remplace chaque `{nom}` de leurs formules (nom défini, colonne d'un tableau).
    """
    piece = type_calcul(cible).piece_gabarit(cible)
    libelle(feuille, ligne, 2, "Votre résultat (calculé automatiquement)", SOUS_TITRE)
    note = libelle(
        feuille,
        ligne,
        4,
        "À titre indicatif : le Ministère recalcule tout à partir de vos saisies.",
        NOTE,
    )
    note.alignment = ENVELOPPE
    _fusion(feuille, ligne, 4, fin_note)
    feuille.row_dimensions[ligne].height = 32
    references = dict(references)
    for resultat in piece.lignes:
        ligne += 1
        references[resultat.cle] = f"C{ligne}"
        formule = resultat.formule.format(**references)
        _resultat(
            feuille,
            ligne,
            resultat.libelle,
            formule,
            _FORMATS[resultat.format],
            resultat.matricielle,
        )
    if not piece.proportion:
        return ligne
    ligne += 1
    proportion = piece.proportion.format(**references)
    _resultat(feuille, ligne, "Votre proportion", proportion, POURCENT)
    _resultat(feuille, ligne + 1, "Valeur visée", f"={cible.valeur_visee_pct}/100", POURCENT_ENTIER)
    _resultat(
        feuille,
        ligne + 2,
        "Taux d'atteinte (proportion / valeur visée)",
        f'=IF(ISNUMBER(C{ligne}),C{ligne}/C{ligne + 1},"")',
        POURCENT_ENTIER,
    )
    return ligne + 2


def _format_saisie(type_: Type) -> str | None:
    """Aucun format pour un nombre : une date ou un pourcentage tapé par erreur y laisse alors
    sa marque (le tableur pose un format de date ou de pourcentage), que `valider` peut voir."""
    return "@" if type_ in (Type.TEXTE, Type.COURRIEL, Type.STATUT) else None


def ecrire_saisie(feuille, cible: Cible, periode: str) -> None:
    """La feuille Saisie entière : en-tête, bilan, identification, données, mise en page."""
    places = disposition(cible)
    validations = Validations()
    tableau = bool(cible.champs[0].colonnes)
    largeurs = LARGEURS_TABLEAU if tableau else LARGEURS_SIMPLES
    for lettre, largeur in largeurs.items():
        feuille.column_dimensions[lettre].width = largeur
    derniere_col = len(largeurs)
    message = derniere_col  # la colonne des messages est la dernière

    libelle(feuille, 1, 1, f"Baromètre numériQc — Cible {cible.id}", TITRE).alignment = Alignment(
        vertical="center"
    )
    _fusion(feuille, 1, 1, derniere_col)
    feuille.row_dimensions[1].height = 22
    libelle(feuille, 2, 1, cible.titre, SOUS_TITRE)
    _fusion(feuille, 2, 1, derniere_col)
    feuille.row_dimensions[2].height = HAUTEUR_LIGNE_FIGEE
    libelle(feuille, LIGNE_BILAN, 1, "Vérification de la feuille", GRAS).alignment = Alignment(
        wrap_text=True, vertical="center"
    )
    bilan = libelle(feuille, LIGNE_BILAN, 2, "", GRAS)
    bilan.alignment = Alignment(wrap_text=True, vertical="center")
    _fusion(feuille, LIGNE_BILAN, 2, derniere_col)
    feuille.row_dimensions[LIGNE_BILAN].height = HAUTEUR_LIGNE_FIGEE
    # Seuls le titre et le bilan restent à l'écran pendant qu'on descend : le bilan suit la
    # saisie, et plus de vingt lignes de données restent visibles sur un portable (1366 × 768).
    feuille.freeze_panes = f"A{LIGNE_BILAN + 1}"

    libelle(feuille, LIGNE_IDENTIFICATION - 1, 1, "Identification", SOUS_TITRE)
    libelle(
        feuille,
        LIGNE_IDENTIFICATION - 1,
        2,
        "Remplissez les cellules jaunes. Une saisie à revoir se colore et un message "
        "s'affiche à droite. Les autres cellules sont protégées, sans mot de passe.",
        NOTE,
    )
    _fusion(feuille, LIGNE_IDENTIFICATION - 1, 2, derniere_col)
    feuille.row_dimensions[LIGNE_IDENTIFICATION - 1].height = 32
    zones: list[Zone] = []
    for champ in IDENTIFICATION:
        place = places[champ.nom]
        libelle(feuille, place.ligne, 2, libelle_champ(champ))
        cellule = feuille.cell(place.ligne, place.colonne)
        saisie(cellule, _format_saisie(champ.type))
        # Un long nom ou une longue adresse passe à la ligne plutôt que d'être coupé (à
        # l'écran comme à l'impression) par le message de la colonne voisine.
        cellule.alignment = ENVELOPPE
        validations.ajouter(champ.type, champ.aide, cellule.coordinate)
        zones.append(
            Zone(champ.nom, champ.libelle, 3, place.ligne, place.ligne, champ.nom, message)
        )
    if periode:
        feuille.cell(places["periode"].ligne, 3, int(periode))

    libelle(feuille, LIGNE_DONNEES - 1, 1, "Données à fournir", SOUS_TITRE)
    note = f"Données cumulées depuis le {DEBUT_PERIODE_REFERENCE}."
    if tableau:
        note += (
            f" Le tableau compte {cible.champs[0].lignes} lignes ; s'il vous en faut plus, "
            "voyez « Plus de lignes » dans la feuille Instructions."
        )
    libelle(feuille, LIGNE_DONNEES - 1, 2, note, NOTE)
    _fusion(feuille, LIGNE_DONNEES - 1, 2, derniere_col)
    premier = cible.champs[0]
    if premier.colonnes:
        fin = _ecrire_tableau(feuille, cible, places, validations, zones)
    elif premier.lignes > 1:
        fin = _ecrire_liste(feuille, cible, places, validations, zones)
    else:
        fin = _ecrire_champs_simples(feuille, cible, places, validations, zones)
    poser_controles(feuille, zones, controles_gabarit(cible, periode), bilan.coordinate)
    validations.poser(feuille)
    mise_en_page(feuille, f"A1:{lettres_colonne(derniere_col)}{fin}", paysage=True)
    if tableau:
        feuille.print_title_rows = f"{LIGNE_ENTETE_TABLEAU}:{LIGNE_ENTETE_TABLEAU}"
        feuille.page_setup.fitToHeight = 0
    feuille.protection.sheet = True
    feuille.protection.formatColumns = False  # False = permis : élargir une colonne
    feuille.protection.formatRows = False
    # Permis aussi : remettre une cellule au format Standard (Excel : Accueil > Nombre), ce qui
    # sort d'une date ou d'un pourcentage tapé par erreur. Insérer des lignes reste interdit :
    # une ligne insérée n'aurait ni ses formules ni son message.
    feuille.protection.formatCells = False


#: Le constat que `valider` fait d'une saisie d'identification vide (les autres : valeur-manquante).
_MANQUANTS = {
    "organisation_code": IDENTIFICATION_MANQUANTE,
    "organisation_nom": IDENTIFICATION_MANQUANTE,
    "periode": PERIODE_MANQUANTE,
}


def controles_gabarit(cible: Cible, periode: str = "") -> list[ControleFeuille]:
    """Tous les contrôles que la feuille Saisie du gabarit de `cible` fait seule : ceux de
    l'identification, l'année du gabarit s'il est transmis pour une collecte, ceux du type de
    calcul. Chacun annonce le constat que `valider` ferait à la même cellule."""
    controles: list[ControleFeuille] = []
    for champ in IDENTIFICATION:
        controles += controles_saisie(
            champ.nom, champ.type, champ.obligatoire, manquant=_MANQUANTS.get(champ.nom)
        )
    if periode:
        controles.append(controle_periode(periode))
    return controles + list(type_calcul(cible).controles_feuille(cible))


def mise_en_page(feuille, zone: str, paysage: bool = False) -> None:
    """Zone d'impression, lettre US, une page de large (et de haut, sauf un tableau)."""
    feuille.print_area = zone
    feuille.page_setup.paperSize = feuille.PAPERSIZE_LETTER
    feuille.page_setup.orientation = "landscape" if paysage else "portrait"
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 1
    feuille.sheet_properties.pageSetUpPr.fitToPage = True
    feuille.print_options.horizontalCentered = True
    feuille.page_margins.left = feuille.page_margins.right = 0.5
    feuille.page_margins.top = feuille.page_margins.bottom = 0.6


def _zone_simple(champ: Champ, ligne: int, message: int) -> Zone:
    return Zone(champ.nom, champ.libelle, COLONNE_SAISIE, ligne, ligne, champ.nom, message)


def _ecrire_champs_simples(feuille, cible: Cible, places, validations, zones) -> int:
    for champ in cible.champs:
        place = places[champ.nom]
        libelle(feuille, place.ligne, 1, champ.libelle)
        _fusion(feuille, place.ligne, 1, 2)
        feuille.row_dimensions[place.ligne].height = 32
        cellule = feuille.cell(place.ligne, place.colonne)
        saisie(cellule, _format_saisie(champ.type))
        validations.ajouter(champ.type, champ.aide, cellule.coordinate, maximum=champ.maximum)
        zones.append(_zone_simple(champ, place.ligne, 4))
    derniere = max(places[c.nom].ligne for c in cible.champs)
    references = {c.nom: c.nom for c in cible.champs}
    return _bloc_resultats(feuille, cible, derniere + 2, references, 4)


def _ecrire_liste(feuille, cible: Cible, places, validations, zones) -> int:
    """Une liste fixe (les 12 processus de 5.2) : une ligne par élément, un statut à choisir."""
    champ = cible.champs[0]
    place = places[champ.nom]
    entete = place.ligne - 1
    titres = ("Domaine", "Processus administratif prioritaire", "Statut", "Vérification")
    for colonne, texte in enumerate(titres, 1):
        libelle(feuille, entete, colonne, texte, GRAS)
        feuille.cell(entete, colonne).fill = BLEU
    for i, element in enumerate(cible.liste):
        ligne = place.ligne + i
        libelle(feuille, ligne, 1, element.domaine)
        libelle(feuille, ligne, 2, element.nom)
        saisie(feuille.cell(ligne, place.colonne), "@")
    fin = place.ligne + place.lignes - 1
    plage = f"C{place.ligne}:C{fin}"
    validations.ajouter(champ.type, champ.aide, plage, cible.statuts)
    zones.append(
        Zone(champ.nom, champ.libelle, COLONNE_SAISIE, place.ligne, fin, champ.nom, 4, champ.nom)
    )
    return _bloc_resultats(feuille, cible, fin + 2, {champ.nom: champ.nom}, 4)


def _ecrire_tableau(feuille, cible: Cible, places, validations, zones) -> int:
    """Un tableau de saisie (5.1, 6.1) : colonnes jaunes à remplir, colonnes grises calculées."""
    champ = cible.champs[0]
    place = places[champ.nom]
    premiere, derniere = place.ligne, place.ligne + place.lignes - 1
    entete = premiere - 1
    piece = type_calcul(cible).piece_gabarit(cible)
    cles = [c.cle for c in champ.colonnes] + [c.cle for c in piece.colonnes]
    lettres = {cle: lettres_colonne(place.colonne + j) for j, cle in enumerate(cles)}
    message = place.colonne + len(cles)
    entetes = [c.libelle for c in champ.colonnes] + [c.entete for c in piece.colonnes]
    for j, texte in enumerate([*entetes, "Vérification"]):
        cellule = feuille.cell(entete, place.colonne + j, texte)
        cellule.font = GRAS
        cellule.fill = BLEU if j < len(champ.colonnes) else GRIS
        cellule.alignment = ENVELOPPE
        cellule.border = BORDURE
    feuille.row_dimensions[entete].height = 45
    libelle(feuille, entete, 1, champ.aide)
    for ligne in range(premiere, derniere + 1):
        for j, colonne in enumerate(champ.colonnes):
            saisie(feuille.cell(ligne, place.colonne + j), _format_saisie(colonne.type))
        cellules = {cle: f"{lettre}{ligne}" for cle, lettre in lettres.items()}
        for calculee in piece.colonnes:
            cellule = feuille[cellules[calculee.cle]]
            cellule.value = calculee.formule.format(**cellules)
            cellule.number_format = _FORMATS[calculee.format]
            cellule.fill = GRIS
    for j, colonne in enumerate(champ.colonnes):
        lettre = lettres[colonne.cle]
        validations.ajouter(
            colonne.type,
            colonne.aide,
            f"{lettre}{premiere}:{lettre}{derniere}",
            maximum=colonne.maximum,
        )
        zones.append(
            Zone(
                colonne.cle,
                colonne.nom_court,
                place.colonne + j,
                premiere,
                derniere,
                f"INDEX({champ.nom},0,{j + 1})",
                message,
                champ.nom,
            )
        )
    references = {
        f"plage_{c.cle}": f"INDEX({champ.nom},0,{j + 1})" for j, c in enumerate(champ.colonnes)
    }
    _bloc_resultats(feuille, cible, LIGNE_DONNEES, references, message)
    return derniere
