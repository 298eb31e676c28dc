"""Une fiche de résultats par organisation : ses chiffres à côté de ceux du gouvernement.

Chaque organisation ciblée reçoit un petit classeur qui répond à ses questions : « où en
sommes-nous par rapport à l'ensemble et à notre réseau, et depuis la collecte précédente ? » et
« que nous reste-t-il à transmettre ou à corriger ? » (feuille Résultats, avec les mêmes mots
que relances.csv), puis « qu'est-il arrivé à chacun de nos fichiers ? » (feuille Fichiers, un
constat par ligne, avec sa cellule).
Elle sert de retour aux répondants ; tout texte de répondant ou du registre passe par
`ecrire_texte`, et chaque fiche est écrite de façon atomique.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from barometre_cli.calculs import methode_portees, type_calcul
from barometre_cli.catalogue import cibles
from barometre_cli.compilation.collecte import Collecte, EntreeJournal
from barometre_cli.compilation.consolidation import ENSEMBLE, Consolidation
from barometre_cli.compilation.evolution import (
    a_evolution,
    a_evolution_organisations,
    avis_periode_inconnue,
    tendance,
    texte_comparaison,
)
from barometre_cli.compilation.suivi import Relance, phrases
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.decisions import NON_RECUE
from barometre_cli.domaine.decisions import texte as texte_decision
from barometre_cli.domaine.formats import NON_APPLICABLE, date_longue, oui_non
from barometre_cli.domaine.registre import Organisation, cle_code, nom_dossier
from barometre_cli.ecriture.atomique import ecrire_atomiquement
from barometre_cli.ecriture.cellules import ecrire_texte
from barometre_cli.ecriture.classeur import (
    ENTIER,
    FORMAT_POINTS,
    POURCENT,
    POURCENT_ENTIER,
    SANS_COMPARAISON,
    TITRE,
    ajuster_hauteur,
    mise_en_page,
    table,
)

FEUILLE_RESULTATS = "Résultats"
FEUILLE_FICHIERS = "Fichiers"
#: Première ligne des tables (en-tête) : au-dessus, l'identification de l'organisation.
DEBUT_RESULTATS = 8
DEBUT_FICHIERS = 4

LIBELLE_GRAVITE = {
    Severite.ERREUR: "Erreur",
    Severite.AVERTISSEMENT: "Avertissement",
    Severite.INFO: "Info",
}

_COLONNES_RESULTATS = [
    ("Cible", "cible", None, 13),  # assez large pour les libellés de l'en-tête
    ("Titre", "titre", None, 55),
    ("Résultat de l'organisation", "organisation", POURCENT, 26),
    ("Numérateur", "numerateur", ENTIER, 12),
    ("Dénominateur", "denominateur", ENTIER, 13),
    ("Valeur visée", "valeur_cible", POURCENT_ENTIER, 10),
    ("Résultat gouvernemental", "ensemble", POURCENT, 15),
    ("Résultat du réseau", "reseau", POURCENT, 13),
    ("Fichier retenu", "fichier", None, 45),
]
_COLONNES_EVOLUTION = [
    ("Variation gouvernementale (points)", "variation", FORMAT_POINTS, 15),
    ("Tendance gouvernementale", "tendance", None, 17),
]
#: Avec l'historique par organisation de la collecte précédente (son organisations.csv).
_COLONNES_EVOLUTION_ORGANISATION = [
    ("Résultat précédent de l'organisation", "precedent_organisation", POURCENT, 26),
    ("Variation de l'organisation (points)", "variation_organisation", FORMAT_POINTS, 15),
]
_COLONNES_FICHIERS = [
    ("Fichier", "fichier", None, 45),
    ("Statut", "statut", None, 10),
    ("Cibles", "cibles", None, 10),
    ("Cibles retenues", "cibles_retenues", None, 12),
    ("Raisons", "raisons", None, 60),
    ("Gravité", "gravite", None, 14),
    ("Feuille", "feuille", None, 12),
    ("Cellule", "cellule", None, 9),
    ("Message", "message", None, 80),
]


@dataclass
class _Index:
    """Les tables de la compilation rangées par clé, bâties une fois pour toutes les fiches."""

    periode: str
    evolution: bool
    #: « collecte 2026 comparée à 2025 », quand il y a une évolution
    comparaison: str = ""
    evolution_organisation: bool = False
    #: code → ce que l'organisation doit encore (absente si elle est à jour)
    relances: dict[str, Relance] = field(default_factory=dict)
    resultats: dict[tuple[str, str], dict] = field(default_factory=dict)
    #: (code, cible) → la ligne typée de `Consolidation.organisations`
    propres: dict[tuple[str, str], dict] = field(default_factory=dict)
    journal: dict[str, list[EntreeJournal]] = field(default_factory=lambda: defaultdict(list))


def _vide(valeur) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


def _indexer(collecte: Collecte, conso: Consolidation) -> _Index:
    index = _Index(collecte.periode, a_evolution(conso.resultats))
    if index.evolution:
        avis = avis_periode_inconnue(conso.precedent)
        index.comparaison = f"Évolution : {texte_comparaison(collecte.periode, conso.precedent)}."
        index.comparaison += f" {avis}" if avis else ""
    index.evolution_organisation = a_evolution_organisations(conso.organisations)
    index.relances = {r.organisation.code: r for r in conso.relances}
    for ligne in conso.resultats.to_dict("records"):
        index.resultats[(str(ligne["portee"]), str(ligne["cible"]))] = ligne
    for ligne in conso.organisations.to_dict("records"):
        index.propres[(str(ligne["code"]), str(ligne["cible"]))] = {
            k: (None if _vide(v) else v) for k, v in ligne.items()
        }
    for entree in collecte.journal:
        if entree.organisation_code:  # fichiers rejetés compris, avec leurs constats
            index.journal[cle_code(entree.organisation_code)].append(entree)
    return index


def _propre(ligne: dict) -> float | str | None:
    """Le chiffre de l'organisation : proportion, condition en mots, ou la raison de l'absence."""
    if ligne.get("absence"):
        return ligne["absence"]
    if ligne.get("respecte") is not None:
        return f"condition respectée : {oui_non(bool(ligne['respecte']))}"
    if ligne.get("resultat") is None:
        return NON_APPLICABLE
    return float(ligne["resultat"])


def _lignes_resultats(organisation: Organisation, index: _Index):
    for c in cibles():
        ensemble = index.resultats.get((ENSEMBLE, c.id), {})
        reseau = index.resultats.get((organisation.reseau, c.id), {}) if organisation.reseau else {}
        propre = index.propres.get((organisation.code, c.id), {"absence": NON_RECUE})
        ratio = type_calcul(c).montre_numerateur
        ligne = {
            "cible": c.id,
            "titre": c.titre,
            "organisation": _propre(propre),
            "numerateur": propre.get("numerateur") if ratio else None,
            "denominateur": propre.get("denominateur") if ratio else None,
            "valeur_cible": c.valeur_visee_pct / 100,
            "ensemble": ensemble.get("resultat"),
            "reseau": reseau.get("resultat"),
            "fichier": propre.get("fichier"),
        }
        if index.evolution:
            variation = ensemble.get("variation")
            ligne["variation"] = variation
            ligne["tendance"] = tendance(None if _vide(variation) else variation) or (
                SANS_COMPARAISON
            )
        if index.evolution_organisation:
            ligne |= _evolution_propre(propre)
        yield {k: (None if _vide(v) else v) for k, v in ligne.items()}


def _evolution_propre(propre: dict) -> dict:
    """Le résultat précédent de l'organisation (une condition en mots) et sa variation."""
    avant = propre.get("respecte_precedent")
    if avant is not None:
        return {"precedent_organisation": f"condition respectée : {oui_non(bool(avant))}"}
    condition = propre.get("respecte") is not None
    return {
        "precedent_organisation": propre.get("resultat_precedent"),
        "variation_organisation": None if condition else propre.get("variation"),
    }


def _lignes_fichiers(entrees: list[EntreeJournal]):
    """Un constat par ligne ; un fichier sans constat tient sur une ligne."""
    for e in entrees:
        base = {
            "fichier": e.fichier,
            "statut": e.statut.value,
            "cibles": ", ".join(e.cibles),
            "cibles_retenues": ", ".join(e.cibles_retenues),
            # Sans code interne : la fiche part chez l'organisation.
            "raisons": " ; ".join(texte_decision(d, codes=False) for d in e.decisions),
        }
        if not e.constats:
            yield base
        for c in e.constats:
            yield {
                **base,
                "gravite": LIBELLE_GRAVITE.get(c.severite, str(c.severite)),
                "feuille": c.feuille,
                "cellule": c.cellule,
                "message": c.message,
            }


def _entete(feuille, titre: str, organisation: Organisation, periode: str, jour: date) -> None:
    feuille.cell(1, 1, titre).font = TITRE
    libelles = [
        ("Organisation", organisation.nom),
        ("Code", organisation.code),
        ("Réseau", organisation.reseau or "(aucun réseau au registre)"),
        ("Collecte", periode or "(période non précisée)"),
    ]
    for i, (libelle, valeur) in enumerate(libelles, 2):
        feuille.cell(i, 1, libelle).font = Font(bold=True)
        ecrire_texte(feuille.cell(i, 2), valeur)
    feuille.cell(2 + len(libelles), 1, "Produite le").font = Font(bold=True)
    # En toutes lettres, comme la page HTML : une date Excel s'affiche « 2026-11-22 00:00:00 »
    # dans plus d'un lecteur.
    ecrire_texte(feuille.cell(2 + len(libelles), 2), date_longue(jour))


def _fiche(organisation: Organisation, index: _Index, jour: date) -> Workbook:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = FEUILLE_RESULTATS
    _entete(feuille, "Baromètre numériQc — fiche de résultats", organisation, index.periode, jour)
    colonnes = _COLONNES_RESULTATS + (_COLONNES_EVOLUTION if index.evolution else [])
    colonnes += _COLONNES_EVOLUTION_ORGANISATION if index.evolution_organisation else []
    if index.comparaison:
        ecrire_texte(feuille.cell(DEBUT_RESULTATS - 1, 1), index.comparaison)
        feuille.cell(DEBUT_RESULTATS - 1, 1).font = Font(italic=True)
    fin = table(feuille, colonnes, _lignes_resultats(organisation, index), debut=DEBUT_RESULTATS)
    for ligne in range(DEBUT_RESULTATS + 1, fin + 1):
        for j in range(1, len(colonnes) + 1):
            feuille.cell(ligne, j).alignment = Alignment(wrap_text=j == 2, vertical="top")
        feuille.row_dimensions[ligne].height = 30  # titres sur deux lignes
    note = feuille.cell(fin + 2, 1)
    methode = methode_portees("chaque résultat, gouvernemental ou du réseau,")
    ecrire_texte(
        note,
        f"{methode[0].upper()}{methode[1:]}. Une cible "
        "« non reçue » ou « exclue » ne compte pas pour votre organisation : voir la feuille "
        "Fichiers.",
    )
    note.font = Font(italic=True)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    # Sur la largeur de la table : un texte qui déborde élargirait la page imprimée.
    feuille.merge_cells(start_row=fin + 2, start_column=1, end_row=fin + 2, end_column=9)
    feuille.row_dimensions[fin + 2].height = 45
    feuille.row_dimensions[DEBUT_RESULTATS].height = 45
    _a_suivre(feuille, index.relances.get(organisation.code), fin + 4)

    fichiers = classeur.create_sheet(FEUILLE_FICHIERS)
    fichiers.cell(1, 1, "Fichiers reçus et constats").font = TITRE
    ecrire_texte(
        fichiers.cell(2, 1), f"{organisation.nom} ({organisation.code}) — un constat par ligne"
    )
    entrees = index.journal.get(cle_code(organisation.code), [])
    fin = table(fichiers, _COLONNES_FICHIERS, _lignes_fichiers(entrees), debut=DEBUT_FICHIERS)
    if not entrees:
        ecrire_texte(
            fichiers.cell(DEBUT_FICHIERS + 1, 1), "Aucun fichier reçu de cette organisation."
        )
    for ligne in range(DEBUT_FICHIERS + 1, fin + 1):
        for j in range(1, len(_COLONNES_FICHIERS) + 1):
            fichiers.cell(ligne, j).alignment = Alignment(wrap_text=j in (5, 9), vertical="top")
        ajuster_hauteur(fichiers, ligne, (5, 9))
    # La fiche s'imprime : paysage, une page de large, l'en-tête de la table sur chaque page.
    for f, debut in ((feuille, DEBUT_RESULTATS), (fichiers, DEBUT_FICHIERS)):
        mise_en_page(f, index.periode, lignes_repetees=f"{debut}:{debut}")
    return classeur


#: Titre de la section de la fiche qui dit ce que l'organisation doit encore.
TITRE_A_SUIVRE = "À transmettre ou à corriger"


def _a_suivre(feuille, relance: Relance | None, debut: int) -> None:
    """Ce que l'organisation doit encore, une phrase par ligne, avec les mots de relances.csv."""
    feuille.cell(debut, 1, TITRE_A_SUIVRE).font = Font(bold=True)
    lignes = ["Rien : chacune de vos cibles est reçue et retenue."]
    if relance is not None:
        lignes = phrases(relance)
    for i, phrase in enumerate(lignes, debut + 1):
        ecrire_texte(feuille.cell(i, 1), phrase)
        feuille.cell(i, 1).alignment = Alignment(wrap_text=True, vertical="top")
        feuille.merge_cells(start_row=i, start_column=1, end_row=i, end_column=9)
        feuille.row_dimensions[i].height = 15 * (1 + len(phrase) // 150)


def fiche_organisation(
    collecte: Collecte,
    conso: Consolidation,
    organisation: Organisation,
    jour: date | None = None,
) -> Workbook:
    """La fiche d'une organisation, en mémoire (pour l'inspecter sans écrire sur le disque)."""
    return _fiche(organisation, _indexer(collecte, conso), jour or date.today())


def nom_fiche(organisation: Organisation) -> str:
    """`fiche-AP01.xlsx` : le code rendu sûr pour un nom de fichier (comme les dossiers de gabarits)."""
    return f"fiche-{nom_dossier(organisation)}.xlsx"


def ecrire_fiches(
    collecte: Collecte, conso: Consolidation, dossier: Path, jour: date | None = None
) -> list[Path]:
    """Une fiche par organisation ciblée dans `dossier` ; rend les chemins écrits.

    Deux codes qui deviennent le même nom de fichier (« A/B » et « A_B ») reçoivent un suffixe
    plutôt que de s'écraser l'un l'autre.
    """
    index = _indexer(collecte, conso)
    jour = jour or date.today()
    ecrits: list[Path] = []
    pris: set[str] = set()
    for organisation in collecte.organisations:
        nom = nom_fiche(organisation)
        base, n = nom.removesuffix(".xlsx"), 2
        while nom.casefold() in pris:  # Windows et macOS ignorent la casse
            nom, n = f"{base}-{n}.xlsx", n + 1
        pris.add(nom.casefold())
        classeur = _fiche(organisation, index, jour)
        ecrits.append(ecrire_atomiquement(dossier / nom, classeur.save))
    return ecrits
