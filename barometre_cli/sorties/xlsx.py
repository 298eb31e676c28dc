"""Le classeur sommaire `sommaire.xlsx` : résultats, réseaux, organisations, détails, journal.

Pour les analystes : pourcentages au format pourcentage, en-têtes figés, filtres, largeurs
lisibles, un graphique du résultat contre la valeur visée. Tout texte venu d'un répondant ou du
registre passe par `ecrire_texte` : un nom qui commence par « = » reste un nom.

Chaque feuille s'imprime telle quelle (`ecriture.classeur.imprimer_table`) : Lettre, en paysage
quand elle est large, une page de large (ou, pour les plus larges, quelques pages dont chacune
répète les colonnes de libellés), l'en-tête répété, un pied de page qui nomme la collecte, la
feuille et la page. La feuille Sommaire tient sur une page, graphique compris.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from barometre_cli.calculs import cibles_dependant_du_registre, type_calcul
from barometre_cli.catalogue import ECHELLE, cible, cibles
from barometre_cli.compilation.collecte import Collecte
from barometre_cli.compilation.consolidation import (
    AYANT_TRANSMIS,
    ENSEMBLE,
    RETENUES,
    Consolidation,
)
from barometre_cli.compilation.evolution import (
    BAISSE,
    a_evolution,
    a_evolution_organisations,
    avis_periode_inconnue,
    tendance,
    texte_comparaison,
)
from barometre_cli.domaine.colonnes import JOURNAL
from barometre_cli.domaine.formats import enumerer, pourcentage
from barometre_cli.ecriture.archive_zip import ArchiveZip
from barometre_cli.ecriture.atomique import ecrire_atomiquement
from barometre_cli.ecriture.cellules import DEBUTS_FORMULE, ecrire_texte, texte_sur
from barometre_cli.ecriture.classeur import (
    BAISSE_STYLE,
    BORDURE,
    DECIMAL,
    ENTETE,
    ENTIER,
    FOND_ENTETE,
    FORMAT_POINTS,
    FORMATS,
    NOMBRE,
    POURCENT,
    POURCENT_ENTIER,
    SANS_COMPARAISON,
    TITRE,
    Colonne,
    ajuster_hauteur,
    ecrire_valeur,
    imprimer_table,
    largeur_entete,
    lignes,
    mise_en_page,
    table,
    vide,
)


def atteinte(taux: float | None) -> str:
    """Le mot d'un taux d'atteinte : la cible est atteinte à 100 % ou plus."""
    if taux is None or (isinstance(taux, float) and math.isnan(taux)):
        return "Indéterminé"
    return "Atteinte" if taux >= 1 else "Non atteinte"


_COLONNES_RESULTATS = [
    ("Cible", "cible", None, 8),
    ("Titre", "titre", None, 50),
    ("Valeur visée", "valeur_cible", POURCENT_ENTIER, 10),
    ("Résultat", "resultat", POURCENT, 11),
    ("Taux d'atteinte", "taux_atteinte", POURCENT_ENTIER, 11),
    ("Atteinte", "atteinte", None, 13),
    ("Numérateur", "numerateur", ENTIER, 12),
    ("Dénominateur", "denominateur", ENTIER, 13),
    ("Organisations retenues", "organisations_repondantes", ENTIER, 13),
    ("Organisations ciblées", "organisations_ciblees", ENTIER, 12),
]


#: Ajoutées après les dix premières colonnes, jamais entre elles : le graphique et les scripts
#: des analystes lisent les colonnes par leur position.
_COLONNES_EVOLUTION = [
    ("Résultat précédent", "resultat_precedent", POURCENT, 11),
    ("Variation (points)", "variation", FORMAT_POINTS, 11),
    ("Tendance", "tendance", None, 17),
]


def colonnes_resultats(resultats: pd.DataFrame) -> list[tuple[str, str, str | None, int]]:
    """Les colonnes d'une table de résultats ; celles de l'évolution seulement si elle est calculée."""
    return _COLONNES_RESULTATS + (_COLONNES_EVOLUTION if a_evolution(resultats) else [])


def _enrichir(resultats: pd.DataFrame) -> pd.DataFrame:
    enrichi = resultats.assign(
        titre=[cible(c).titre for c in resultats["cible"]],
        atteinte=[atteinte(t) for t in resultats["taux_atteinte"]],
    )
    if a_evolution(resultats):
        enrichi["tendance"] = [tendance(v) or SANS_COMPARAISON for v in resultats["variation"]]
    return enrichi


def _marquer_baisses(feuille, colonnes, debut: int, fin: int) -> None:
    """Met en rouge gras la variation et la tendance des baisses ; le mot reste le signal."""
    cles = [cle for _, cle, _, _ in colonnes]
    if "tendance" not in cles:
        return
    j_tendance, j_variation = cles.index("tendance") + 1, cles.index("variation") + 1
    for ligne in range(debut + 1, fin + 1):
        if feuille.cell(ligne, j_tendance).value == BAISSE:
            feuille.cell(ligne, j_tendance).font = BAISSE_STYLE
            feuille.cell(ligne, j_variation).font = BAISSE_STYLE


def _phrase(feuille, ligne: int, colonnes: int, texte: str, police: Font | None = None) -> None:
    """Une phrase d'en-tête sur la largeur de la table, à la ligne au besoin : un texte qui
    déborde à droite élargirait la page imprimée, ou y serait coupé."""
    cellule = feuille.cell(ligne, 1)
    ecrire_texte(cellule, texte)
    if police is not None:
        cellule.font = police
    cellule.alignment = Alignment(wrap_text=True, vertical="top")
    feuille.merge_cells(start_row=ligne, start_column=1, end_row=ligne, end_column=colonnes)
    largeur = sum(
        feuille.column_dimensions[get_column_letter(j)].width or 10 for j in range(1, colonnes + 1)
    )
    feuille.row_dimensions[ligne].height = 15 * math.ceil(len(texte) / (0.8 * largeur))


def texte_reponse(conso: Consolidation) -> str:
    """Les deux comptes de la réponse, définis, contre les organisations ciblées."""
    ciblees = conso.organisations_ciblees
    if not ciblees:
        return "Organisations ciblées : aucune."
    transmis, retenues = conso.organisations_ayant_transmis, conso.organisations_repondantes
    texte = (
        f"Organisations ciblées : {ciblees} ; ayant transmis ({AYANT_TRANSMIS}) : {transmis} "
        f"({pourcentage(transmis / ciblees)}) ; retenues ({RETENUES}) : {retenues} "
        f"({pourcentage(conso.taux_reponse)}, le taux de réponse publié)."
    )
    non_repondants, a_corriger = len(conso.non_repondants), len(conso.a_corriger)
    if non_repondants or a_corriger:
        texte += (
            f" Non-répondants (aucun fichier reçu) : {non_repondants} ; à corriger (fichiers "
            f"reçus, aucune cible retenue) : {a_corriger} (feuille Non-répondants)."
        )
    return texte


def _sommaire(feuille, collecte: Collecte, conso: Consolidation) -> None:
    """Les résultats de l'ensemble, leur graphique dessous : une page imprimée."""
    from barometre_cli.compilation.a_verifier import titre as titre_controles

    colonnes = colonnes_resultats(conso.resultats)
    n = len(colonnes)
    for j, (titre, _, _, largeur) in enumerate(colonnes, 1):  # avant les phrases qui s'y règlent
        feuille.column_dimensions[get_column_letter(j)].width = largeur_entete(titre, largeur)
    feuille.cell(1, 1, "Baromètre numériQc — sommaire de la compilation").font = TITRE
    collecte_texte = f"Collecte {collecte.periode or '(période non précisée)'}."
    if conso.a_verifier:
        collecte_texte += f" {titre_controles(len(conso.a_verifier), 'feuille « À vérifier »')}."
    _phrase(feuille, 2, n, collecte_texte)
    _phrase(feuille, 3, n, texte_reponse(conso))
    if not collecte.registre_fourni:
        touchees = enumerer(cibles_dependant_du_registre())
        _phrase(
            feuille,
            4,
            n,
            "Attention : aucun registre fourni. Les organisations qui ont répondu tiennent lieu "
            "d'organisations ciblées ; "
            + (f"les résultats de {touchees} et " if touchees else "")
            + "les taux de réponse en sont surestimés.",
            Font(bold=True, color="C00000"),
        )
    if a_evolution(conso.resultats):
        comparaison = texte_comparaison(collecte.periode, conso.precedent)
        avis = avis_periode_inconnue(conso.precedent)
        _phrase(
            feuille,
            5,
            n,
            f"Évolution, {comparaison} : résultat de la collecte précédente et variation en "
            "points de pourcentage (résultat moins résultat précédent) ; « En baisse » signale "
            "un recul." + (f" {avis}" if avis else ""),
        )
    ensemble = _enrichir(conso.resultats[conso.resultats["portee"] == ENSEMBLE])
    fin = table(feuille, colonnes, lignes(ensemble), debut=6)
    _marquer_baisses(feuille, colonnes, 6, fin)
    feuille.row_dimensions[6].height = 32
    for ligne in range(7, fin + 1):
        feuille.cell(ligne, 2).alignment = Alignment(wrap_text=True, vertical="top")
        feuille.row_dimensions[ligne].height = 30  # titres sur deux lignes
    for rangee in feuille.iter_rows(min_row=6, max_row=fin, max_col=n):
        for cellule in rangee:  # la page imprimée n'a pas de quadrillage : la table a ses traits
            cellule.border = BORDURE

    graphique = BarChart()
    graphique.type = "bar"
    graphique.title = "Résultat et valeur visée par cible"
    graphique.y_axis.title = "Proportion"
    graphique.y_axis.number_format = POURCENT_ENTIER
    graphique.y_axis.scaling.min = 0
    graphique.y_axis.scaling.max = 1
    donnees = Reference(feuille, min_col=3, max_col=4, min_row=6, max_row=fin)
    graphique.add_data(donnees, titles_from_data=True)
    graphique.set_categories(Reference(feuille, min_col=1, min_row=7, max_row=fin))
    graphique.height, graphique.width = 10, 24
    # openpyxl ≥ 3.1 masque les axes par défaut : on les montre explicitement.
    graphique.x_axis.delete = False
    graphique.y_axis.delete = False
    # Sous la table : la page imprimée garde sa largeur, et le graphique n'est jamais coupé.
    feuille.add_chart(graphique, f"A{fin + 2}")
    mise_en_page(feuille, collecte.periode, pages_de_large=1, pages_de_haut=1, quadrillage=False)


def _journal(feuille, collecte: Collecte) -> tuple[str, int]:
    """Le journal, colonnes de `colonnes.JOURNAL` : dates et nombres en vraies valeurs.

    Une ligne par fichier reçu, treize colonnes : 40 000 cellules pour 3 000 fichiers. openpyxl
    n'en écrit que l'en-tête (styles, largeurs, volet figé, filtre) ; les lignes sont écrites
    directement en XML, comme openpyxl les écrirait (une cellule vide en moins), puis glissées
    dans la feuille à l'enregistrement (`_enregistrer`) : dix fois plus rapide. Rend ce XML et
    le nombre de lignes.
    """
    from barometre_cli.sorties.journal_csv import lignes_journal

    _mise_en_page_journal(feuille, collecte)
    formats = {"modifie": "yyyy-mm-dd hh:mm", "erreurs": NOMBRE, "avertissements": NOMBRE}
    colonnes = [(titre, cle, formats.get(cle), largeur) for cle, titre, largeur in JOURNAL]
    separateurs = {"raisons": " ; ", "constats": "\n"}
    table(feuille, colonnes, [])
    styles = {format_: _indice_style(feuille, format_) for format_ in formats.values()}
    citation = _indice_style(feuille, None, citation=True)
    epoque = feuille.parent.epoch
    modeles = [
        (cle, get_column_letter(j), styles.get(format_), separateurs.get(cle, ", "))
        for j, (_, cle, format_, _) in enumerate(colonnes, 1)
    ]
    rangees: list[str] = []
    n = 0
    for n, ligne in enumerate(lignes_journal(collecte), 2):
        cellules = [f'<row r="{n}">']
        for cle, lettre, style, separateur in modeles:
            valeur = ligne[cle]
            if isinstance(valeur, list):
                valeur = separateur.join(valeur)
            elif isinstance(valeur, datetime):
                valeur = valeur.replace(tzinfo=None)
            cellules.append(_cellule_xml(f"{lettre}{n}", valeur, style, citation, epoque))
        cellules.append("</row>")
        rangees.append("".join(cellules))
    derniere = get_column_letter(len(colonnes))
    feuille.auto_filter.ref = f"A1:{derniere}{max(n, 2)}"
    return "".join(rangees), max(n - 1, 0)


def _indice_style(feuille, format_: str | None, citation: bool = False) -> int | None:
    """L'indice (attribut `s`) du style d'une cellule au format `format_`, tel qu'openpyxl
    l'écrira dans styles.xml ; la cellule sert de modèle et n'est jamais écrite."""
    modele = Cell(feuille)
    if format_:
        modele.number_format = format_
    if citation:
        modele.quotePrefix = True
    return modele.style_id if modele.has_style else None


def _cellule_xml(
    reference: str, valeur: object, style: int | None, citation: int | None, epoque
) -> str:
    """Une cellule de table en XML, comme la cellule qu'écrirait `ecrire_valeur` avec openpyxl
    (un texte vide n'est pas écrit)."""
    if vide(valeur):
        return ""
    if isinstance(valeur, str):
        texte = texte_sur(valeur)
        if not texte:
            return ""
        attributs = f' s="{citation}"' if texte.startswith(DEBUTS_FORMULE) else ""
        espace = ' xml:space="preserve"' if texte != texte.strip() else ""
        return (
            f'<c r="{reference}"{attributs} t="inlineStr"><is><t{espace}>{escape(texte)}</t>'
            "</is></c>"
        )
    if hasattr(valeur, "item"):  # scalaires numpy
        valeur = valeur.item()
    attributs = f' s="{style}"' if style is not None else ""
    if isinstance(valeur, bool):
        return f'<c r="{reference}"{attributs} t="b"><v>{int(valeur)}</v></c>'
    if isinstance(valeur, datetime):
        valeur = to_excel(valeur, epoque)
    return f'<c r="{reference}"{attributs} t="n"><v>{safe_string(valeur)}</v></c>'


def _enregistrer(classeur, journal, rangees: str, nombre: int, chemin: Path) -> None:
    """Enregistre le classeur, les lignes du journal glissées dans sa feuille Journal."""
    tampon = io.BytesIO()
    classeur.save(tampon)
    archive = ArchiveZip(tampon.getvalue())
    partie = journal.path.lstrip("/")
    xml = archive.lire(partie).decode("utf-8")
    derniere = get_column_letter(len(JOURNAL))
    # La zone déclarée est celle qu'openpyxl a vue (l'en-tête, peut-être une ligne de plus pour
    # la mise en page) : elle devient celle des lignes glissées, que les lecteurs en flux suivent.
    debut = xml.index("<dimension ")
    fin = xml.index("/>", debut) + 2
    xml = f'{xml[:debut]}<dimension ref="A1:{derniere}{nombre + 1}"/>{xml[fin:]}'
    # openpyxl n'a écrit que l'en-tête (ligne 1), et parfois une ligne 2 vide pour la mise en
    # page : seule la ligne 1 est gardée, pour que chaque numéro de ligne ne paraisse qu'une fois.
    debut = xml.index("<sheetData>") + len("<sheetData>")
    fin_entete = xml.index("</row>", debut) + len("</row>")
    fin = xml.index("</sheetData>", fin_entete)
    xml = xml[:fin_entete] + rangees + xml[fin:]
    chemin.write_bytes(archive.remplacer({partie: xml.encode("utf-8")}))


#: Les colonnes du journal qu'on imprime : jusqu'aux raisons. Les constats (leurs phrases
#: entières, aussi dans journal.csv et les fiches) et l'empreinte SHA-256 ne se lisent pas sur
#: papier ; ils doubleraient la largeur de la page.
_JOURNAL_IMPRIME = "raisons"


def _mise_en_page_journal(feuille, collecte: Collecte) -> None:
    """L'impression du journal : ses colonnes d'après `colonnes.JOURNAL`, une ligne par fichier
    (`collecte.journal`) ; aucune cellule n'est lue, si bien que l'écriture des lignes peut
    changer sans elle."""
    cles = [cle for cle, _, _ in JOURNAL]
    imprimees = JOURNAL[: cles.index(_JOURNAL_IMPRIME) + 1]
    colonnes: list[Colonne] = [(titre, cle, None, largeur) for cle, titre, largeur in imprimees]
    zone = f"A1:{get_column_letter(len(colonnes))}{len(collecte.journal) + 1}"
    imprimer_table(feuille, collecte.periode, colonnes, libelles=1, zone=zone)


def ecrire_classeur(collecte: Collecte, conso: Consolidation, chemin: Path) -> Path:
    periode = collecte.periode
    classeur = Workbook()
    classeur.active.title = "Sommaire"  # avant le graphique, qui cite la feuille par son nom
    _sommaire(classeur.active, collecte, conso)

    par_reseau = _enrichir(conso.resultats[conso.resultats["portee"] != ENSEMBLE])
    feuille_reseau = classeur.create_sheet("Par réseau")
    colonnes_reseau = [("Réseau", "portee", None, 34), *colonnes_resultats(conso.resultats)]
    fin = table(feuille_reseau, colonnes_reseau, lignes(par_reseau))
    _marquer_baisses(feuille_reseau, colonnes_reseau, 1, fin)
    for ligne in range(2, fin + 1):
        feuille_reseau.cell(ligne, 3).alignment = Alignment(wrap_text=True, vertical="top")
        feuille_reseau.row_dimensions[ligne].height = 30  # titres sur deux lignes
    imprimer_table(feuille_reseau, periode, colonnes_reseau, libelles=2)
    colonnes_org = [("Code", "code", None, 12), ("Organisation", "nom", None, 40),
                    ("Réseau", "reseau", None, 30)]  # fmt: skip
    _par_organisation(classeur.create_sheet("Par organisation"), colonnes_org, conso, periode)
    for c in cibles():
        calcul = type_calcul(c)
        detail = calcul.detail(c)
        if detail is not None:
            colonnes = [
                (k.titre, k.cle, FORMATS.get(k.format or ""), k.largeur) for k in detail.colonnes
            ]
            feuille = classeur.create_sheet(detail.feuille)
            table(feuille, colonnes, lignes(calcul.presenter_detail(conso.details[c.id], c)))
            imprimer_table(feuille, periode, colonnes)
    _non_repondants(classeur.create_sheet("Non-répondants"), colonnes_org, conso, periode)
    _relances(classeur.create_sheet("Relances"), conso, periode)
    _a_verifier(classeur.create_sheet("À vérifier"), conso, periode)
    _retroaction(classeur.create_sheet("Rétroaction"), conso, periode)
    journal = classeur.create_sheet("Journal")
    rangees, nombre = _journal(journal, collecte)
    return ecrire_atomiquement(
        chemin, lambda temporaire: _enregistrer(classeur, journal, rangees, nombre, temporaire)
    )


def _non_repondants(feuille, colonnes_org: list[Colonne], conso: Consolidation, periode) -> None:
    """Les organisations ciblées qui n'ont rien transmis ; dessous, celles qui ont transmis des
    fichiers dont aucune cible n'est retenue : elles ne sont pas non répondantes, elles ont à
    corriger (leur détail est dans la feuille Relances)."""
    fin = table(feuille, colonnes_org, lignes(conso.non_repondants))
    if conso.non_repondants.empty:
        ecrire_texte(
            feuille.cell(2, 1), "Aucune : chaque organisation ciblée a transmis un fichier."
        )
        fin = 2
    debut = fin + 3
    titre = feuille.cell(debut - 1, 1, "À corriger : fichiers reçus, aucune cible retenue")
    titre.font = TITRE
    for j, (entete, _, _, _) in enumerate(colonnes_org, 1):
        cellule = feuille.cell(debut, j, entete)
        cellule.font, cellule.fill = ENTETE, FOND_ENTETE
    for i, ligne in enumerate(lignes(conso.a_corriger), 1):
        for j, (_, cle, _, _) in enumerate(colonnes_org, 1):
            ecrire_valeur(feuille.cell(debut + i, j), ligne.get(cle))
    if conso.a_corriger.empty:
        ecrire_texte(feuille.cell(debut + 1, 1), "Aucune.")
    imprimer_table(feuille, periode, colonnes_org)


def _par_organisation(feuille, colonnes_org, conso: Consolidation, periode: str) -> None:
    """Une ligne par organisation ciblée ; pour chaque cible, son résultat (ou ce qui en tient
    lieu : non reçue, exclue, condition Oui/Non) à côté de son numérateur et de son dénominateur ;
    avec l'historique précédent, son résultat d'alors et sa variation, en fin de ligne."""
    propres = {
        (str(ligne["code"]), str(ligne["cible"])): ligne for ligne in lignes(conso.organisations)
    }
    colonnes = list(colonnes_org)
    for c in cibles():
        colonnes += [
            (f"Cible {c.id}", c.id, POURCENT, 11),
            (f"{c.id} numérateur", f"{c.id}_n", FORMATS["entier"], 12),
            (f"{c.id} dénominateur", f"{c.id}_d", FORMATS["entier"], 13),
        ]
    if a_evolution_organisations(conso.organisations):
        for c in cibles():
            colonnes += [
                (f"{c.id} précédent", f"precedent_{c.id}", POURCENT, 11),
                (f"{c.id} variation (points)", f"variation_{c.id}", FORMAT_POINTS, 11),
            ]

    def rangees():
        for ligne in lignes(conso.par_organisation):
            for c in cibles():
                propre = propres.get((str(ligne["code"]), c.id), {})
                ligne[f"{c.id}_n"] = propre.get("numerateur")
                ligne[f"{c.id}_d"] = propre.get("denominateur")
            yield ligne

    fin = table(feuille, colonnes, rangees())
    for j, (_, cle, _, _) in enumerate(colonnes, 1):
        if not cle.startswith("variation_"):
            continue
        for ligne in range(2, fin + 1):
            valeur = feuille.cell(ligne, j).value
            if isinstance(valeur, float) and round(valeur, 1) < 0:  # le signe reste le signal
                feuille.cell(ligne, j).font = BAISSE_STYLE
    # Trop large pour une page : chaque page répète le code et le nom de l'organisation.
    imprimer_table(feuille, periode, colonnes, libelles=2)


def _a_verifier(feuille, conso: Consolidation, periode: str) -> None:
    """Les contrôles de l'analyste : rien n'y change un chiffre, tout y est à regarder."""
    from barometre_cli.compilation.a_verifier import texte as texte_controle

    colonnes = [
        ("Contrôle", "code", None, 24),
        ("Cible", "cible", None, 8),
        ("Organisation", "organisation", None, 14),
        ("Valeur", "valeur", FORMATS["entier"], 14),
        ("Total regroupé", "total", FORMATS["entier"], 14),
        ("Fichier", "fichier", None, 30),
        ("À vérifier", "message", None, 70),
    ]
    rangees = [
        {
            **vars(k),
            # une condition qui a changé n'a pas de valeur chiffrée à montrer
            "valeur": None if k.respecte is not None else k.valeur,
            "total": k.total or None,
            "message": texte_controle(k),
        }
        for k in conso.a_verifier
    ]
    fin = table(feuille, colonnes, rangees)
    if not rangees:
        ecrire_texte(feuille.cell(fin + 1, 1), "Aucun élément à vérifier.")
    for ligne in range(2, fin + 1):
        for j in range(1, len(colonnes) + 1):
            feuille.cell(ligne, j).alignment = Alignment(wrap_text=j in (6, 7), vertical="top")
        ajuster_hauteur(feuille, ligne, (6, 7))
    imprimer_table(feuille, periode, colonnes, libelles=3)


_COLONNES_RELANCES = [
    ("Code", "organisation_code", None, 10),
    ("Organisation", "organisation_nom", None, 30),
    ("Réseau", "reseau", None, 20),
    ("Personne à joindre", "contact_nom", None, 20),
    ("Courriel", "contact_courriel", None, 30),
    ("Source du contact", "contact_source", None, 11),
    ("Cibles à suivre", "cibles_a_suivre", None, 16),
    ("Détail", "details", None, 90),
    ("Période", "periode", None, 9),
    ("Salutation", "salutation", None, 24),
    ("Cibles dues", "cibles_dues", None, 24),
    ("Codes", "codes", None, 40),
]


def _relances(feuille, conso: Consolidation, periode: str) -> None:
    """Qui doit encore quoi, et à qui écrire : les lignes de relances.csv, une phrase par ligne
    dans la case Détail (un publipostage peut partir de cette feuille)."""
    from barometre_cli.sorties.relances_csv import ligne_relance

    fin = table(feuille, _COLONNES_RELANCES, (ligne_relance(r, "\n") for r in conso.relances))
    if not conso.relances:
        ecrire_texte(feuille.cell(2, 1), "Aucune organisation à relancer.")
    enveloppees = (2, 8, 11, 12)
    for ligne in range(2, fin + 1):
        for j in range(1, len(_COLONNES_RELANCES) + 1):
            feuille.cell(ligne, j).alignment = Alignment(wrap_text=j in enveloppees, vertical="top")
        ajuster_hauteur(feuille, ligne, enveloppees)
    imprimer_table(feuille, periode, _COLONNES_RELANCES, libelles=2)


def _retroaction(feuille, conso: Consolidation, periode: str) -> None:
    """Synthèse des réponses de rétroaction, puis les commentaires tels quels (texte)."""
    colonnes = [
        ("Énoncé", "question", None, 70),
        ("Réponses", "reponses", NOMBRE, 10),
        ("Moyenne (1 à 5)", "moyenne", DECIMAL, 12),
        *((f"{n} — {texte}", f"note_{n}", NOMBRE, 14) for n, texte in ECHELLE.items()),
    ]
    synthese = conso.retroaction if conso.retroaction is not None else pd.DataFrame()
    fin = table(feuille, colonnes, lignes(synthese))
    commentaires = conso.commentaires if conso.commentaires is not None else pd.DataFrame()
    debut = fin + 3
    feuille.cell(debut - 1, 1, "Commentaires").font = TITRE
    for j, (titre, _, _, _) in enumerate(
        [("Code", "", None, 0), ("Organisation", "", None, 0), ("Cibles", "", None, 0),
         ("Fichier", "", None, 0), ("Commentaire", "", None, 0)], 1
    ):  # fmt: skip
        cellule = feuille.cell(debut, j, titre)
        cellule.font, cellule.fill = ENTETE, FOND_ENTETE
    for i, ligne in enumerate(lignes(commentaires), 1):
        for j, cle in enumerate(("code", "organisation", "cibles", "fichier", "commentaire"), 1):
            ecrire_valeur(feuille.cell(debut + i, j), ligne.get(cle))
            feuille.cell(debut + i, j).alignment = Alignment(wrap_text=True, vertical="top")
        ajuster_hauteur(feuille, debut + i, range(1, 6))
    if commentaires.empty:
        ecrire_texte(feuille.cell(debut + 1, 1), "Aucun commentaire reçu.")
    imprimer_table(feuille, periode, colonnes)
