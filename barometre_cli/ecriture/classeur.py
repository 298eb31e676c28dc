"""Ce que les écrivains de classeurs partagent : styles, formats de nombre, tables.

Le sommaire, les fiches par organisation et toute autre sortie Excel passent par ces
fonctions ; aucun écrivain n'importe les noms privés d'un autre. Tout texte venu d'un
répondant ou du registre passe par `ecrire_texte` : un nom qui commence par « = » reste un nom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
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
