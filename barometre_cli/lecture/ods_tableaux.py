"""Le contenu d'un classeur OpenDocument (`content.xml`) : tableaux, cellules et noms, en un passage.

Toutes les feuilles d'un .ods sont dans une seule partie, et ses plages nommées viennent après
elles : on ne sait quelles cellules servent qu'à la fin. Le parcours garde donc, pour chaque
feuille, ses cellules à contenu par blocs, sans jamais les déplier :
`table:number-rows-repeated` et `table:number-columns-repeated` sont comptés (une ligne répétée
1 048 576 fois est une ligne et un nombre). Les cellules vides ne coûtent qu'un compte ; les
cellules couvertes (`table:covered-table-cell`, sous une fusion) prennent leur place comme les
autres, les lignes d'en-tête (`table:table-header-rows`), de groupe ou masquées aussi. Une
cellule à contenu au-delà de la zone permise, ou une feuille de trop de cellules, est notée à
sa place ; `ods_plages` ne la refuse que si un nom vise la feuille (comme pour un .xlsx, une
feuille non lue n'arrête rien). Les valeurs ne sont décodées qu'à la lecture (`ods_cellules`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from barometre_cli.lecture import limites, xml
from barometre_cli.lecture.archive import Archive
from barometre_cli.lecture.ods_cellules import FORMULE, NS_OFFICE, NS_TABLE, TYPE, a_contenu

NS_SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"

_O, _T = "{" + NS_OFFICE + "}", "{" + NS_TABLE + "}"

CONTENU = _O + "document-content"
_CLASSEUR = _O + "spreadsheet"
_TABLEAU, _LIGNE = _T + "table", _T + "table-row"
_CELLULE, _COUVERTE = _T + "table-cell", _T + "covered-table-cell"
_PLAGE, _EXPRESSION, _NOMS = _T + "named-range", _T + "named-expression", _T + "named-expressions"
_EVENEMENT = "{" + NS_SCRIPT + "}event-listener"
#: Les éléments dont la fin fait avancer le parcours (tout le reste est lu sous une cellule).
TAGS = (_CELLULE, _COUVERTE, _LIGNE, _TABLEAU, _PLAGE, _EXPRESSION, _NOMS, _CLASSEUR, _EVENEMENT)

_REP_LIGNES, _REP_COLONNES = _T + "number-rows-repeated", _T + "number-columns-repeated"
_NOM, _IMPRESSION = _T + "name", _T + "print-ranges"


class Bloc(NamedTuple):
    """Des cellules consécutives d'une ligne (une cellule répétée), avec leur élément XML : la
    valeur n'est décodée que si une règle la lit (`cellule`)."""

    colonne: int
    colonnes: int
    element: xml.Element


class Rangee(NamedTuple):
    """Une ligne répétée `lignes` fois à partir de `ligne`, et ses blocs de cellules à contenu."""

    ligne: int
    lignes: int
    blocs: tuple[Bloc, ...]
    #: la première colonne de chaque bloc, pour une recherche par dichotomie
    colonnes: tuple[int, ...]


@dataclass
class Tableau:
    """Une feuille parcourue : ses rangées à contenu, dans l'ordre, et ce qui l'empêcherait
    d'être lue (notés ici, refusés par `ods_plages` si un nom vise la feuille)."""

    nom: str = ""
    impression: str = ""
    rangees: list[Rangee] = field(default_factory=list)
    cellules: int = 0
    #: première cellule à contenu au-delà de `LIGNES_MAX` × `COLONNES_MAX` (ligne, colonne)
    lointaine: tuple[int, int] | None = None
    #: cellule où le compte a dépassé `CELLULES_MAX_FEUILLE`
    trop_de_cellules: tuple[int, int] | None = None


@dataclass
class Contenu:
    """Ce que `content.xml` apporte : les feuilles dans l'ordre et les noms de portée classeur."""

    tableaux: list[Tableau] = field(default_factory=list)
    #: (nom, adresse de la plage ou None pour une expression nommée, texte de la définition)
    noms: list[tuple[str, str | None, str]] = field(default_factory=list)
    classeur: bool = False
    evenements: bool = False


def parcourir(archive: Archive, partie: str) -> Contenu:
    """Parcourt `content.xml` une fois, en bloc ou en flux selon sa taille (voir `Archive`).

    Les cellules vides ne sont que comptées ; une cellule à contenu est gardée avec son élément
    (une ligne libérée en flux ne libère pas les cellules gardées).
    """
    contenu = Contenu()
    tableau = Tableau()
    parcours = archive.parcourir(partie, TAGS)
    lignes_max, colonnes_max = limites.LIGNES_MAX, limites.COLONNES_MAX
    cellules_max = limites.CELLULES_MAX_FEUILLE
    ligne = colonne = 1  # première ligne de la rangée en cours, colonne de la cellule suivante
    lignes = 0  # répétitions de la rangée en cours ; 0 tant qu'aucune cellule n'en est vue
    blocs: list[Bloc] = []
    noms: list[tuple[str, str | None, str]] = []
    element = None

    def repetition(texte: str) -> int:
        """Un nombre de répétitions : un entier positif, sinon la partie est mal formée."""
        texte = texte.strip()
        if not (texte.isascii() and texte.isdigit()) or len(texte) > 9 or int(texte) == 0:
            raise archive.xml_invalide(
                partie, f"nombre de répétitions invalide « {texte[:20]} »", tableau.nom
            )
        return int(texte)

    try:
        for _, element in parcours:
            tag = element.tag
            if tag in (_CELLULE, _COUVERTE):
                if not lignes:
                    parent = parcours.parent(element)
                    texte = parent.get(_REP_LIGNES) if parent is not None else None
                    lignes = 1 if texte is None else repetition(texte)
                texte = element.get(_REP_COLONNES)
                colonnes = 1 if texte is None else repetition(texte)
                debut, colonne = colonne, colonne + colonnes
                tableau.cellules += 1
                if tableau.cellules > cellules_max and tableau.trop_de_cellules is None:
                    tableau.trop_de_cellules = (ligne, debut)
                if not len(element) and element.get(TYPE) is None and element.get(FORMULE) is None:
                    continue  # cellule vide : un style, une validation, rien à lire
                if ligne + lignes - 1 > lignes_max or colonne - 1 > colonnes_max:
                    if tableau.lointaine is None and a_contenu(element):
                        tableau.lointaine = _premiere_lointaine(ligne, lignes, debut, colonnes)
                elif tableau.trop_de_cellules is None:
                    blocs.append(Bloc(debut, colonnes, element))
            elif tag == _LIGNE:
                texte = element.get(_REP_LIGNES)
                repetees = 1 if texte is None else repetition(texte)
                if blocs:
                    debuts = tuple(bloc.colonne for bloc in blocs)
                    tableau.rangees.append(Rangee(ligne, repetees, tuple(blocs), debuts))
                    blocs = []
                ligne, colonne, lignes = ligne + repetees, 1, 0
                parcours.liberer(element)
            elif tag == _TABLEAU:
                parent = parcours.parent(element)
                if parent is None or parent.tag != _CLASSEUR:
                    raise archive.xml_invalide(
                        partie, "une feuille dans une cellule, ce que Calc n'écrit pas", tableau.nom
                    )
                tableau.nom = element.get(_NOM) or ""
                tableau.impression = element.get(_IMPRESSION) or ""
                contenu.tableaux.append(tableau)
                tableau = Tableau()
                ligne, colonne, lignes, blocs = 1, 1, 0, []
                parcours.liberer(element)
            elif tag == _PLAGE:
                adresse = element.get(_T + "cell-range-address")
                noms.append((element.get(_NOM) or "", adresse, adresse or ""))
            elif tag == _EXPRESSION:
                noms.append((element.get(_NOM) or "", None, element.get(_T + "expression") or ""))
            elif tag == _NOMS:  # les noms d'une feuille (portée locale) sont ignorés
                parent = parcours.parent(element)
                if parent is not None and parent.tag == _CLASSEUR:
                    contenu.noms.extend(noms[: limites.NOMS_MAX + 1 - len(contenu.noms)])
                noms = []
            elif tag == _CLASSEUR:
                contenu.classeur = True
            else:  # script:event-listener : un événement relié à une macro
                contenu.evenements = True
    except xml.ErreurXml as exc:
        raise archive.erreur_xml(partie, exc, tableau.nom) from None
    racine = parcours.racine(element)
    if racine is None or racine.tag != CONTENU:
        raise archive.xml_invalide(partie, "ce n'est pas le contenu d'un document OpenDocument")
    return contenu


def _premiere_lointaine(ligne: int, lignes: int, colonne: int, colonnes: int) -> tuple[int, int]:
    """La première cellule d'un bloc répété qui sort de la zone permise."""
    lignes_max, colonnes_max = limites.LIGNES_MAX, limites.COLONNES_MAX
    if ligne + lignes - 1 > lignes_max:
        ligne = max(ligne, lignes_max + 1)
    if colonne + colonnes - 1 > colonnes_max:
        colonne = max(colonne, colonnes_max + 1)
    return ligne, colonne
