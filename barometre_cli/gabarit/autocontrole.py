"""La feuille de saisie qui se vérifie elle-même : messages, couleurs et bilan, tirés des données.

Chaque type de calcul déclare ses contrôles comme des données (`TypeCalcul.verifications`,
`barometre_cli.calculs.base.ControleFeuille`) ; ce module les pose sur une feuille sans rien savoir du
type : à côté de chaque saisie (ou au bout de chaque ligne d'un tableau), un message dit ce qui
ne va pas dès que la valeur est tapée ou collée ; une mise en forme conditionnelle colore la
cellule fautive ; en haut, un bilan compte les problèmes sur les plages nommées entières, si
bien que les lignes insérées dans un tableau comptent aussi. `valider` reste l'autorité.

Les formules n'emploient que des fonctions présentes dans Excel 2010 et LibreOffice (IF,
IFERROR, ISNUMBER, TRIM, INT, SUMPRODUCT, COUNTA, COUNTIF, INDEX) ; les sommes sur une colonne
sont des formules matricielles, que les deux évaluent élément par élément.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula

from barometre_cli.calculs.base import A_CORRIGER, A_REMPLIR, A_VERIFIER, ControleFeuille
from barometre_cli.lecture import lettres_colonne

#: Colonne masquée où vivent les trois comptes du bilan (à corriger, à remplir, à vérifier).
COLONNE_COMPTES = "Z"
NATURES = (A_CORRIGER, A_REMPLIR, A_VERIFIER)
ROUGE = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
AMBRE = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
VERT = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
POLICE_MESSAGE = Font(color="9C0006", italic=True)

_PLACE = re.compile(r"\{(plage_|debut_)?([a-z0-9_]+)\}")


@dataclass(frozen=True)
class Zone:
    """Les cellules d'une clé de vérification : un champ seul, une liste, une colonne de tableau.

    `matrice` désigne la zone entière dans une formule (le nom défini, ou `INDEX(nom,0,k)`
    pour une colonne de tableau) : elle suit les lignes insérées. Les zones d'un même
    `groupe` partagent leurs lignes (un tableau) ; `message` est la colonne du message.
    """

    cle: str
    libelle: str
    colonne: int
    premiere: int
    derniere: int
    matrice: str
    message: int
    groupe: str = ""

    def cellule(self, ligne: int | None = None) -> str:
        return f"{lettres_colonne(self.colonne)}{ligne or self.premiere}"


class _Formules:
    """Traduit les conditions des vérifications vers une cellule ou vers une zone entière."""

    def __init__(self, zones: Iterable[Zone]):
        self.zones = {z.cle: z for z in zones}

    def cellule(self, condition: str, ici: Zone, ligne: int) -> str:
        """La condition pour la cellule de `ici` à `ligne` : les voisines de la même ligne."""

        def remplacer(m: re.Match) -> str:
            prefixe, cle = m.groups()
            zone = self.zones[cle]
            lettre = lettres_colonne(zone.colonne)
            if prefixe == "plage_":
                return zone.matrice
            if prefixe == "debut_":
                return f"${lettre}${zone.premiere}:{lettre}{ligne}"
            if zone.groupe and zone.groupe == ici.groupe:
                return f"{lettre}{ligne}"
            return f"${lettre}${zone.premiere}"

        return _PLACE.sub(remplacer, condition)

    def matrice(self, condition: str) -> str:
        def remplacer(m: re.Match) -> str:
            prefixe, cle = m.groups()
            if prefixe == "debut_":
                raise ValueError(f"« {m.group(0)} » n'a pas de sens sur une colonne entière")
            return self.zones[cle].matrice

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


def _message_cellule(
    formules: _Formules, verifs: list[ControleFeuille], zone: Zone, ligne: int, prefixe: str
) -> str:
    """IF imbriqués : le message du premier problème de la cellule, ou une chaîne vide."""
    texte = '""'
    for v in reversed(verifs):
        if v.premiere_ligne and ligne != zone.premiere:
            continue
        message = v.message[0].lower() + v.message[1:] if prefixe else v.message
        message = _chaine(prefixe + message)
        condition = formules.vrai(formules.cellule(v.condition, zone, ligne))
        texte = f"IF({condition},{message},{texte})"
    return texte


def _chaine(texte: str) -> str:
    return '"' + texte.replace('"', '""') + '"'


def poser_controles(
    feuille,
    zones: list[Zone],
    verifications: Iterable[ControleFeuille],
    bilan: str,
) -> None:
    """Messages, mises en forme et bilan (dans la cellule `bilan`) pour toutes les zones."""
    formules = _Formules(zones)
    verifications = _ordonner(verifications)
    par_cle: dict[str, list[ControleFeuille]] = {}
    for v in verifications:
        par_cle.setdefault(v.cle, []).append(v)
    _messages(feuille, formules, zones, par_cle)
    _couleurs(feuille, formules, zones, par_cle)
    _bilan(feuille, formules, verifications, bilan)


def _messages(feuille, formules: _Formules, zones: list[Zone], par_cle) -> None:
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


def _couleurs(feuille, formules: _Formules, zones: list[Zone], par_cle) -> None:
    """Rouge : à corriger ; ambre : à vérifier. Une cellule vide à remplir reste jaune."""
    for zone in zones:
        for nature, fond in ((A_CORRIGER, ROUGE), (A_VERIFIER, AMBRE)):
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
    """Trois comptes en colonne masquée, puis une phrase : « 2 problèmes à corriger »."""
    comptes = {}
    for i, nature in enumerate(NATURES, 1):
        termes = [formules.compte(v) for v in verifications if v.nature == nature]
        adresse = f"{COLONNE_COMPTES}{i}"
        feuille[adresse] = ArrayFormula(adresse, "=" + ("+".join(termes) or "0"))
        comptes[nature] = f"${COLONNE_COMPTES}${i}"
    feuille.column_dimensions[COLONNE_COMPTES].hidden = True
    c, r, v = (comptes[n] for n in NATURES)

    def nombre(ref: str, mot: str, suite: str) -> str:
        return f'IF({ref}>0,", "&{ref}&" {mot}"&IF({ref}>1,"s","")&" {suite}","")'

    a_faire = (
        f"MID({nombre(c, 'problème', 'à corriger')}&{nombre(r, 'cellule', 'à remplir')},3,200)"
    )
    verifier = f'IF({v}>0," ; "&{v}&" point"&IF({v}>1,"s","")&" à vérifier","")'
    suite = f'IF({c}+{r}+{v}>0," — voir les messages à droite des cellules","")'
    feuille[bilan] = f'=IF({c}+{r}=0,"Prêt à transmettre",{a_faire})&{verifier}&{suite}'
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{c}+{r}=0"], fill=VERT, stopIfTrue=True)
    )
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{c}>0"], fill=ROUGE, stopIfTrue=True)
    )
    feuille.conditional_formatting.add(
        bilan, FormulaRule(formula=[f"{r}>0"], fill=AMBRE, stopIfTrue=True)
    )
