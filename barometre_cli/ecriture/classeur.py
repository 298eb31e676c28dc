"""Ce que les écrivains de classeurs partagent : styles, formats de nombre, tables.

Le sommaire, les fiches par organisation et toute autre sortie Excel passent par ces
fonctions ; aucun écrivain n'importe les noms privés d'un autre. Tout texte venu d'un
répondant ou du registre passe par `ecrire_texte` : un nom qui commence par « = » reste un nom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from barometre_cli.ecriture.cellules import ecrire_texte

ENTETE = Font(bold=True, color="FFFFFF")
FOND_ENTETE = PatternFill("solid", fgColor="1F3864")
TITRE = Font(bold=True, size=14, color="1F3864")
BAISSE_STYLE = Font(bold=True, color="C00000")

# Codes de format de nombre, dans la syntaxe d'OOXML, indépendante de la langue : « , » y
# groupe les milliers et « . » marque les décimales ; Excel et LibreOffice les affichent
# ensuite à la manière du poste (« 28 505 123 », « 75,0 % » en français). Une espace
# littérale s'échappe (« \ ») : non échappée, Calc en français la lit comme un séparateur de
# milliers et réenregistre « 0.0 % » en « 0.0,% » (75 % affiché « 0,1% »). Aucun code n'est
# un format intégré d'Excel (« #,##0 », « 0 », « 0% »…) : openpyxl écrirait alors un simple
# numéro de format, que chaque tableur traduit à sa façon ; on écrit le code en entier.

#: Un dénombrement : « 28 505 123 ».
ENTIER = "#,##0;-#,##0"
#: Un nombre sans groupement des milliers (un rang, un nombre de points) : « 50 ».
NOMBRE = "0;-0"
#: Une proportion à une décimale : « 75,0 % ».
POURCENT = r"0.0\ %"
#: Une proportion arrondie à l'unité (valeur visée, taux d'atteinte) : « 75 % ».
POURCENT_ENTIER = r"0\ %"
#: Variation en points, signe toujours affiché : « +3,2 », « -1,5 », « 0,0 ».
FORMAT_POINTS = "+0.0;-0.0;0.0"
#: Une moyenne à une décimale : « 4,1 ».
DECIMAL = "0.0"
#: Format de chaque sorte de nombre d'une colonne déclarée par un type de calcul.
FORMATS = {"entier": ENTIER, "pourcentage": POURCENT, "nombre": NOMBRE, "points": FORMAT_POINTS}

#: Codes écrits par les versions précédentes, ou intégrés à Excel, et leur code explicite.
_EXPLICITES = {
    "0.0 %": POURCENT,
    "0 %": POURCENT_ENTIER,
    "# ##0": ENTIER,
    "#,##0": ENTIER,
    "0": NOMBRE,
    "0%": POURCENT_ENTIER,
    "0.00%": r"0.00\ %",
    "0.00": "0.00;-0.00",
    "#,##0.00": "#,##0.00;-#,##0.00",
}


def format_explicite(code: str) -> str:
    """Le code explicite et indépendant de la langue d'un code de format ; sinon lui-même."""
    return _EXPLICITES.get(code, code)


#: Tendance d'une ligne sans résultat comparable (cible nouvelle, résultat indéterminé).
SANS_COMPARAISON = "Sans comparaison"

#: Une colonne de table : (titre, clé, format de nombre, largeur).
Colonne = tuple[str, str, str | None, int]


def vide(valeur: Any) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


def ecrire_valeur(cellule: Any, valeur: Any, format_: str | None = None) -> None:
    """Une valeur de table : texte toujours littéral, nombre avec son format, vide sinon."""
    if vide(valeur):
        return
    if isinstance(valeur, str):
        ecrire_texte(cellule, valeur)
        return
    if hasattr(valeur, "item"):  # scalaires numpy
        valeur = valeur.item()
    cellule.value = valeur
    if format_:
        cellule.number_format = format_


def table(feuille: Any, colonnes: list[Colonne], lignes: Iterable[dict], debut: int = 1) -> int:
    """Écrit une table (titre, clé, format, largeur) ; fige l'en-tête et pose un filtre.

    Rend le numéro de la dernière ligne écrite.
    """
    for j, (titre, _, _, largeur) in enumerate(colonnes, 1):
        cellule = feuille.cell(debut, j, titre)
        cellule.font, cellule.fill = ENTETE, FOND_ENTETE
        cellule.alignment = Alignment(wrap_text=True, vertical="center")
        feuille.column_dimensions[get_column_letter(j)].width = largeur_entete(titre, largeur)
    n = 0
    for n, ligne in enumerate(lignes, 1):
        for j, (_, cle, format_, _) in enumerate(colonnes, 1):
            ecrire_valeur(feuille.cell(debut + n, j), ligne.get(cle), format_)
    feuille.row_dimensions[debut].height = 32
    feuille.freeze_panes = feuille.cell(debut + 1, 1)
    derniere = get_column_letter(len(colonnes))
    feuille.auto_filter.ref = f"A{debut}:{derniere}{debut + max(n, 1)}"
    return debut + n


def largeur_entete(titre: str, largeur: int) -> int:
    """Assez large pour le plus long mot de l'en-tête, en gras : jamais coupé en plein mot."""
    mot = max((len(m) for m in titre.split()), default=0)
    return max(largeur, math.ceil(mot * 1.15) + 2)


def lignes(df: Any) -> Iterator[dict]:
    """Les lignes d'un DataFrame, NaN devenus None."""
    for ligne in df.to_dict("records"):
        yield {k: (None if vide(v) else v) for k, v in ligne.items()}


# --- Impression --------------------------------------------------------------------------------
# Ces réglages sont des attributs de la feuille, lus par Excel comme par LibreOffice : aucune
# cellule n'est touchée, si bien qu'ils se posent avant ou après l'écriture des lignes (et sur
# une feuille en écriture seule, avant la première ligne).

#: Papier Lettre (8,5 × 11 po), le format des bureaux du Québec.
PAPIER_LETTRE = "1"
#: Marges en pouces : assez pour le pied de page, pas plus.
MARGES = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6, "header": 0.25, "footer": 0.25}


def mise_en_page(
    feuille: Any,
    collecte: str,
    *,
    paysage: bool = True,
    pages_de_large: int = 1,
    pages_de_haut: int = 0,
    echelle: int | None = None,
    lignes_repetees: str | None = None,
    colonnes_repetees: str | None = None,
    zone: str | None = None,
    sauts_de_colonne: Iterable[int] = (),
    quadrillage: bool = True,
) -> None:
    """Met une feuille de sortie en page pour l'imprimer : Lettre, en paysage si elle est large,
    ajustée à une page de large (ou `pages_de_large` ; `pages_de_haut` 0 : autant qu'il faut),
    ou à une `echelle` fixe en pour cent quand elle se coupe à des colonnes choisies
    (`sauts_de_colonne` : Excel ignore les sauts manuels d'une feuille ajustée) ; l'en-tête et
    les colonnes de libellés répétés sur chaque page, le quadrillage (sauf une feuille qui
    trace ses bordures), et un pied de page : la collecte, le nom de la feuille, « Page 2 de 5 »."""
    from openpyxl.worksheet.pagebreak import Break

    reglage = feuille.page_setup
    reglage.paperSize = PAPIER_LETTRE
    reglage.orientation = "landscape" if paysage else "portrait"
    if echelle is None:
        reglage.fitToWidth, reglage.fitToHeight = pages_de_large, pages_de_haut
        feuille.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        reglage.scale = echelle
    # Plus large qu'une page : la suite des mêmes lignes vient sur la page suivante, pas à la fin.
    reglage.pageOrder = "overThenDown"
    for cote, valeur in MARGES.items():
        setattr(feuille.page_margins, cote, valeur)
    feuille.print_options.gridLines = quadrillage
    if lignes_repetees:
        feuille.print_title_rows = lignes_repetees
    if colonnes_repetees:
        feuille.print_title_cols = colonnes_repetees
    if zone:
        feuille.print_area = zone
    for colonne in sauts_de_colonne:
        feuille.col_breaks.append(Break(id=colonne))
    pied = feuille.oddFooter
    pied.left.text = f"Baromètre numériQc — collecte {collecte or '(période non précisée)'}"
    pied.center.text = "&A"  # le nom de la feuille
    pied.right.text = "Page &P de &N"
    for partie in (pied.left, pied.center, pied.right):
        partie.size = 8


#: Largeur d'une page Lettre entre les marges, en unités de largeur de colonne, à 100 % : mesurée
#: dans Calc fr-CA (dix colonnes de largeur 10 en paysage, sept en portrait, quand la police
#: Calibri des classeurs y est remplacée par DejaVu Sans, plus large) ; Excel, ou Calc avec
#: Calibri ou Carlito, en fait tenir davantage.
LARGEUR_PAYSAGE, LARGEUR_PORTRAIT = 104, 76
#: Échelle (pour cent) sous laquelle une table ne se réduit plus à une page de large : elle
#: s'imprime alors sur quelques pages de large, ses colonnes de libellés répétées sur chacune.
ECHELLE_MIN = 50


def pages_de_large(largeurs: list[float], libelles: int = 1) -> int:
    """Combien de pages de large il faut à une table dont les `libelles` premières colonnes se
    répètent sur chaque page, à l'échelle minimale, en paysage (1 si elle tient sur une)."""
    capacite = LARGEUR_PAYSAGE * 100 / ECHELLE_MIN
    if sum(largeurs) <= capacite:
        return 1
    repetees = sum(largeurs[:libelles])
    pages, place = 1, capacite
    for largeur in largeurs:
        if largeur > place:
            pages, place = pages + 1, capacite - repetees
        place -= largeur
    return pages


def imprimer_table(
    feuille: Any,
    collecte: str,
    colonnes: list[Colonne],
    *,
    debut: int = 1,
    libelles: int = 1,
    zone: str | None = None,
) -> None:
    """La mise en page d'une feuille faite d'une table (`table`) : en portrait si elle tient dans
    la largeur d'une page, sinon en paysage ; une page de large tant que l'échelle reste
    lisible, sinon quelques pages de large, les `libelles` premières colonnes (code,
    organisation…) répétées sur chacune ; l'en-tête de la table répété sur chaque page."""
    largeurs = [largeur_entete(titre, largeur) for titre, _, _, largeur in colonnes]
    pages = pages_de_large(largeurs, libelles)
    mise_en_page(
        feuille,
        collecte,
        paysage=sum(largeurs) > LARGEUR_PORTRAIT,
        pages_de_large=pages,
        lignes_repetees=f"{debut}:{debut}",
        colonnes_repetees=f"A:{get_column_letter(libelles)}" if pages > 1 else None,
        zone=zone,
    )


#: Le trait des tables d'une feuille imprimée sans quadrillage (la feuille Sommaire).
TRAIT = Side(style="thin", color="A6A6A6")
BORDURE = Border(left=TRAIT, right=TRAIT, top=TRAIT, bottom=TRAIT)


#: Caractères par unité de largeur de colonne, au plus juste : DejaVu Sans (Calc sans Calibri)
#: en met 1,1 ; on compte 1 pour laisser aux mots la place de passer à la ligne entiers.
_CARACTERES_PAR_UNITE = 1.0
#: Hauteur d'une ligne de texte (points), police de 11 points.
HAUTEUR_LIGNE = 15


def ajuster_hauteur(feuille: Any, ligne: int, colonnes: Iterable[int]) -> None:
    """Donne à une ligne la hauteur de ses cellules qui vont à la ligne (`wrap_text`).

    Calc ne la calcule pas à l'ouverture d'un classeur : sans elle, le texte enveloppé déborde
    sur les lignes voisines, à l'écran comme sur papier. Excel garde la hauteur donnée.
    """
    plus_haute = 1
    for j in colonnes:
        valeur = feuille.cell(ligne, j).value
        if not isinstance(valeur, str) or not valeur:
            continue
        largeur = feuille.column_dimensions[get_column_letter(j)].width or 10
        par_ligne = max(1, int(largeur * _CARACTERES_PAR_UNITE))
        n = sum(max(1, math.ceil(len(morceau) / par_ligne)) for morceau in valeur.split("\n"))
        plus_haute = max(plus_haute, n)
    feuille.row_dimensions[ligne].height = HAUTEUR_LIGNE * plus_haute
