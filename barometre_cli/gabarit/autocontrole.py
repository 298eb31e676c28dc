"""La feuille de saisie qui se vérifie elle-même : messages, couleurs et bilan, tirés des données.

Chaque type de calcul déclare ses contrôles comme des données (`TypeCalcul.controles_feuille`,
`barometre_cli.calculs.base.ControleFeuille`) ; ce module les pose sur une feuille sans rien
savoir du type : à côté de chaque saisie (ou au bout de chaque ligne d'un tableau), un message
dit ce qui ne va pas dès que la valeur est tapée ou collée ; une mise en forme conditionnelle
colore la cellule fautive ; en haut, un bilan compte les problèmes. `valider` reste l'autorité.

Colonnes masquées, hors de la zone d'impression (ce que `valider` lit comme le gabarit) :
`Z` porte les comptes du bilan et une cellule au format Standard, témoin de `CELL("format")` ;
`AA` les textes des messages, écrits une fois (chaque ligne d'un tableau les désigne, ce qui
garde petites les formules que LibreOffice réécrit en entier sur chaque ligne) ; à partir de
`AB`, la lecture de chaque cellule de dénombrement (`base.lecture_nombre`), sur sa ligne.

Les formules n'emploient que des fonctions présentes dans Excel 2013 et LibreOffice (IF,
IFERROR, ISNUMBER, ISTEXT, TRIM, INT, CELL, UNICHAR, VALUE, TEXT, SUBSTITUTE, SUMPRODUCT,
COUNTA, COUNTIF, INDEX, ROWS) ; les sommes sur une colonne sont des formules matricielles, que
les deux évaluent élément par élément.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.formula import ArrayFormula

from barometre_cli.calculs.base import (
    A_CONFIRMER,
    A_CORRIGER,
    A_REMPLIR,
    A_VERIFIER,
    ControleFeuille,
    lecture_nombre,
)
from barometre_cli.lecture import lettres_colonne

#: Colonne masquée où vivent les comptes du bilan (une ligne par nature, dans l'ordre de
#: `NATURES`), puis la cellule témoin au format Standard.
COLONNE_COMPTES = "Z"
NATURES = (A_CORRIGER, A_REMPLIR, A_CONFIRMER, A_VERIFIER)
CELLULE_STANDARD = f"${COLONNE_COMPTES}${len(NATURES) + 1}"
#: Colonne masquée des textes des messages, puis première colonne des lectures de nombres.
COLONNE_TEXTES = "AA"
PREMIERE_LECTURE = column_index_from_string(COLONNE_TEXTES) + 1
ROUGE = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
AMBRE = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
VERT = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
POLICE_MESSAGE = Font(color="9C0006", italic=True)
#: Le bilan quand la feuille ne voit aucun problème mais ne peut pas tout vérifier.
A_FAIRE_VERIFIER = "Aucun problème visible ici — vérifiez le fichier sur la page avant l'envoi"

_PLACE = re.compile(r"\{(plage_|debut_)?(valeur_)?([a-z0-9_]+)\}")


@dataclass(frozen=True)
class Zone:
    """Les cellules d'une clé de vérification : un champ seul, une liste, une colonne de tableau.

    `matrice` désigne la zone entière dans une formule (le nom défini, ou `INDEX(nom,0,k)`
    pour une colonne de tableau) : elle suit les lignes insérées. Les zones d'un même
    `groupe` partagent leurs lignes (un tableau) ; `message` est la colonne du message ;
    `lecture`, la colonne masquée qui lit chaque cellule d'un dénombrement (0 : aucune).
    """

    cle: str
    libelle: str
    colonne: int
    premiere: int
    derniere: int
    matrice: str
    message: int
    groupe: str = ""
    lecture: int = 0

    def cellule(self, ligne: int | None = None) -> str:
        return f"{lettres_colonne(self.colonne)}{ligne or self.premiere}"


class _Formules:
    """Traduit les conditions des vérifications vers une cellule ou vers une zone entière."""

    def __init__(self, zones: Iterable[Zone]):
        self.zones = {z.cle: z for z in zones}

    def _zone(self, cle: str, valeur: str | None) -> tuple[Zone, str]:
        zone = self.zones[cle]
        if valeur and not zone.lecture:
            raise ValueError(f"« {cle} » n'a pas de lecture de nombre")
        return zone, lettres_colonne(zone.lecture if valeur else zone.colonne)

    @staticmethod
    def _plage(zone: Zone, lettre: str, valeur: str | None) -> str:
        if not valeur:
            return zone.matrice
        if zone.premiere == zone.derniere:
            return f"${lettre}${zone.premiere}"
        return f"${lettre}${zone.premiere}:${lettre}${zone.derniere}"

    def cellule(self, condition: str, ici: Zone, ligne: int) -> str:
        """La condition pour la cellule de `ici` à `ligne` : les voisines de la même ligne."""

        def remplacer(m: re.Match) -> str:
            prefixe, valeur, cle = m.groups()
            zone, lettre = self._zone(cle, valeur)
            if prefixe == "plage_":
                return self._plage(zone, lettre, valeur)
            if prefixe == "debut_":
                return f"${lettre}${zone.premiere}:{lettre}{ligne}"
            if zone.groupe and zone.groupe == ici.groupe:
                return f"{lettre}{ligne}"
            return f"${lettre}${zone.premiere}"

        return _PLACE.sub(remplacer, condition)

    def matrice(self, condition: str) -> str:
        def remplacer(m: re.Match) -> str:
            prefixe, valeur, cle = m.groups()
            if prefixe == "debut_":
                raise ValueError(f"« {m.group(0)} » n'a pas de sens sur une colonne entière")
            zone, lettre = self._zone(cle, valeur)
            return self._plage(zone, lettre, valeur)

        return _PLACE.sub(remplacer, condition)

    def vrai(self, condition: str) -> str:
        """Une condition sûre pour IF et la mise en forme : une erreur (texte dans un calcul)
        ne signale rien ; un nombre non nul vaut vrai."""
        return f"IFERROR({condition},0)"

    def compte(self, v: ControleFeuille) -> str:
        """Combien de cellules la vérification signale, sur toute la hauteur des zones."""
        if v.compte is not None:
            return self.matrice(v.compte)
        if v.premiere_ligne:
            zone = self.zones[v.cle]
            return f"IFERROR(({self.cellule(v.condition, zone, zone.premiere)})*1,0)"
        return f"SUM(IFERROR(({self.matrice(v.condition)})*1,0))"


def _ordonner(verifications: Iterable[ControleFeuille]) -> list[ControleFeuille]:
    """Le plus grave d'abord : le message d'une cellule dit son premier problème."""
    return sorted(verifications, key=lambda v: NATURES.index(v.nature))


class _Textes:
    """Les textes des messages, chacun écrit une fois dans la colonne masquée `COLONNE_TEXTES`.

    Une formule y renvoie (`$AA$3`) plutôt que de répéter le texte : LibreOffice réécrit la
    formule entière de chaque ligne d'un tableau, et les textes en feraient l'essentiel. Chaque
    texte est une formule (="…") : `valider` ne prend pas une formule au-delà du gabarit pour
    une saisie.
    """

    def __init__(self, feuille) -> None:
        self.feuille = feuille
        self.lignes: dict[str, int] = {}

    def __call__(self, texte: str) -> str:
        if texte not in self.lignes:
            ligne = len(self.lignes) + 1
            self.lignes[texte] = ligne
            self.feuille[f"{COLONNE_TEXTES}{ligne}"] = "=" + _chaine(texte)
        return f"${COLONNE_TEXTES}${self.lignes[texte]}"


def _message_cellule(
    formules: _Formules,
    verifs: list[ControleFeuille],
    zone: Zone,
    ligne: int,
    prefixe: str,
    textes: _Textes,
) -> str:
    """IF imbriqués : le message du premier problème de la cellule, ou une chaîne vide."""
    texte = '""'
    for v in reversed(verifs):
        if v.premiere_ligne and ligne != zone.premiere:
            continue
        message = v.message[0].lower() + v.message[1:] if prefixe else v.message
        condition = formules.vrai(formules.cellule(v.condition, zone, ligne))
        texte = f"IF({condition},{textes(prefixe + message)},{texte})"
    return texte


def _chaine(texte: str) -> str:
    return '"' + texte.replace('"', '""') + '"'


def _avec_lectures(zones: list[Zone], verifications: list[ControleFeuille]) -> list[Zone]:
    """Chaque zone lue comme un nombre (`{valeur_cle}`) reçoit sa colonne masquée de lecture :
    une par colonne d'un tableau, la même pour les champs seuls (chacun sur sa ligne)."""
    lues = {
        cle
        for v in verifications
        for texte in (v.condition, v.compte or "")
        for _, valeur, cle in _PLACE.findall(texte)
        if valeur
    }
    suivante: dict[str, int] = {}
    resultat = []
    for zone in zones:
        if zone.cle in lues:
            colonne = (
                suivante.get(zone.groupe, PREMIERE_LECTURE) if zone.groupe else PREMIERE_LECTURE
            )
            if zone.groupe:
                suivante[zone.groupe] = colonne + 1
            zone = replace(zone, lecture=colonne)
        resultat.append(zone)
    return resultat


def poser_controles(
    feuille,
    zones: list[Zone],
    verifications: Iterable[ControleFeuille],
    bilan: str,
) -> None:
    """Lectures, messages, mises en forme et bilan (dans la cellule `bilan`) pour les zones."""
    verifications = _ordonner(verifications)
    zones = _avec_lectures(zones, verifications)
    formules = _Formules(zones)
    par_cle: dict[str, list[ControleFeuille]] = {}
    for v in verifications:
        par_cle.setdefault(v.cle, []).append(v)
    _lectures(feuille, zones)
    _messages(feuille, formules, zones, par_cle, _Textes(feuille))
    _couleurs(feuille, formules, zones, par_cle)
    _bilan(feuille, formules, verifications, bilan)
    for colonne in range(column_index_from_string(COLONNE_COMPTES), _derniere_lecture(zones) + 1):
        feuille.column_dimensions[lettres_colonne(colonne)].hidden = True


def _derniere_lecture(zones: list[Zone]) -> int:
    return max((z.lecture for z in zones), default=0) or PREMIERE_LECTURE - 1


def _lectures(feuille, zones: list[Zone]) -> None:
    """Sur la ligne de chaque cellule de dénombrement, ce que la feuille en lit."""
    for zone in zones:
        if not zone.lecture:
            continue
        lettre = lettres_colonne(zone.colonne)
        for ligne in range(zone.premiere, zone.derniere + 1):
            formule = lecture_nombre(f"{lettre}{ligne}", CELLULE_STANDARD)
            feuille.cell(ligne, zone.lecture, "=" + formule)


def _messages(feuille, formules: _Formules, zones: list[Zone], par_cle, textes: _Textes) -> None:
    groupes: dict[str, list[Zone]] = {}
    for zone in zones:
        groupes.setdefault(zone.groupe or zone.cle, []).append(zone)
    for membres in groupes.values():
        etiquettes = len(membres) > 1
        premiere = membres[0]
        for ligne in range(premiere.premiere, premiere.derniere + 1):
            morceaux = [
                _message_cellule(
                    formules,
                    par_cle.get(z.cle, []),
                    z,
                    ligne,
                    f" ; {z.libelle} : " if etiquettes else "",
                    textes,
                )
                for z in membres
                if par_cle.get(z.cle)
            ]
            if not morceaux:
                continue
            formule = "&".join(morceaux)
            if etiquettes:
                formule = f"MID({formule},4,1000)"
            cellule = feuille.cell(ligne, premiere.message, f"={formule}")
            cellule.font = POLICE_MESSAGE
            # Replié dans sa colonne : un message long ne déborde pas au-delà de la page.
            cellule.alignment = Alignment(wrap_text=True)


#: La couleur d'une cellule selon la nature de son problème ; une cellule vide à remplir reste
#: jaune.
_FONDS = ((A_CORRIGER, ROUGE), (A_CONFIRMER, AMBRE), (A_VERIFIER, AMBRE))


def _couleurs(feuille, formules: _Formules, zones: list[Zone], par_cle) -> None:
    """Rouge : à corriger ; ambre : à confirmer ou à vérifier."""
    for zone in zones:
        for nature, fond in _FONDS:
            for premiere_ligne in (False, True):
                verifs = [
                    v
                    for v in par_cle.get(zone.cle, [])
                    if v.nature == nature and v.premiere_ligne == premiere_ligne
                ]
                if not verifs:
                    continue
                conditions = [
                    formules.vrai(formules.cellule(v.condition, zone, zone.premiere))
                    for v in verifs
                ]
                formule = conditions[0] if len(conditions) == 1 else f"OR({','.join(conditions)})"
                fin = zone.premiere if premiere_ligne else zone.derniere
                plage = f"{zone.cellule()}:{lettres_colonne(zone.colonne)}{fin}"
                feuille.conditional_formatting.add(
                    plage, FormulaRule(formula=[formule], fill=fond, stopIfTrue=False)
                )


def _bilan(feuille, formules: _Formules, verifications: list[ControleFeuille], bilan: str) -> None:
    """Un compte par nature en colonne masquée, puis une phrase : « 2 problèmes à corriger ».

    Sans problème à corriger ni cellule à remplir, le bilan dit « Prêt à transmettre », sauf
    si la feuille sait qu'elle n'a pas tout vu (« à confirmer ») : elle renvoie alors à la
    vérification du fichier, sans jamais se dire prête.
    """
    comptes = {}
    for i, nature in enumerate(NATURES, 1):
        termes = [formules.compte(v) for v in verifications if v.nature == nature]
        adresse = f"{COLONNE_COMPTES}{i}"
        feuille[adresse] = ArrayFormula(adresse, "=" + ("+".join(termes) or "0"))
        comptes[nature] = f"${COLONNE_COMPTES}${i}"
    c, r, u, v = (comptes[n] for n in NATURES)

    def nombre(ref: str, mot: str, suite: str) -> str:
        return f'IF({ref}>0,", "&{ref}&" {mot}"&IF({ref}>1,"s","")&" {suite}","")'

    a_faire = (
        f"MID({nombre(c, 'problème', 'à corriger')}&{nombre(r, 'cellule', 'à remplir')},3,200)"
    )
    verifier = f'IF({v}>0," ; "&{v}&" point"&IF({v}>1,"s","")&" à vérifier","")'
    suite = f'IF({c}+{r}+{v}>0," — voir les messages à droite des cellules","")'
    pret = f'IF({u}>0,{_chaine(A_FAIRE_VERIFIER)},"Prêt à transmettre")'
    feuille[bilan] = f"=IF({c}+{r}=0,{pret},{a_faire})&{verifier}&{suite}"
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{c}+{r}+{u}=0"], fill=VERT, stopIfTrue=True)
    )
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{c}>0"], fill=ROUGE, stopIfTrue=True)
    )
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{r}+{u}>0"], fill=AMBRE, stopIfTrue=True)
    )
