"""Les résultats gouvernementaux et par réseau, selon la section 3 du guide, avec pandas.

On construit une seule fois des tables de données retenues (une ligne par organisation et
cible, et la table de détail de chaque cible qui en a une : services, processus, jeux) puis
chaque portée (ensemble, réseau) se calcule par regroupement : une nouvelle portée n'est qu'une
clé de plus. Ce que chaque ligne vaut (numérateur, dénominateur, condition respectée, marques
« compte », « haut potentiel »…) vient du type de calcul de la cible (`barometre_cli.calculs`) :
les seuils du guide ne sont écrits qu'à un endroit, le catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.base import proportion, taux_atteinte
from barometre_cli.catalogue import ECHELLE, RESEAUX, RETROACTION, Type, cible, cibles
from barometre_cli.compilation.a_verifier import PointAVerifier, points_a_verifier
from barometre_cli.compilation.collecte import Collecte, EntreeJournal
from barometre_cli.compilation.evolution import ajouter_evolution, ajouter_evolution_organisations
from barometre_cli.compilation.precedent import Precedent
from barometre_cli.compilation.suivi import Relance, relances
from barometre_cli.domaine.colonnes import COLONNES_ORGANISATION, COLONNES_RESULTATS
from barometre_cli.domaine.decisions import texte_absence
from barometre_cli.domaine.registre import cle_code

__all__ = ["COLONNES_RESULTATS", "ENSEMBLE", "Consolidation", "consolider"]

ENSEMBLE = "ensemble"

# Les deux comptes de la réponse, définis une fois pour la console, le sommaire, la page et la
# documentation. Le taux de réponse publié est celui des organisations retenues : la page
# publie des résultats, et ce qui permet d'en juger est la part des organisations ciblées dont
# les données y comptent ; un fichier à corriger n'y apporte rien (comme en enquête, un retour
# inutilisable n'est pas une réponse). L'autre compte dit la participation.
#: Qui compte parmi les organisations ayant transmis.
AYANT_TRANSMIS = "au moins un fichier de la collecte reçu, valide ou non"
#: Qui compte parmi les organisations retenues.
RETENUES = "au moins une cible retenue, donc comptée dans les résultats"
#: Pour ordonner les fichiers sans date de modification avec les autres (dates en UTC).
_SANS_DATE = datetime.min.replace(tzinfo=UTC)


@dataclass
class Consolidation:
    """Les tables produites ; chaque sortie (console, classeur, CSV, JSON) les lit telles quelles."""

    resultats: pd.DataFrame
    #: organisation ciblée × cible, typé : numérateur, dénominateur, résultat, condition
    #: respectée, motif d'absence (`colonnes.COLONNES_ORGANISATION`)
    organisations: pd.DataFrame
    reponses: pd.DataFrame
    #: cible → sa table de détail mise en commun (services, processus, jeux de données)
    details: dict[str, pd.DataFrame]
    #: les organisations ciblées qui n'ont transmis aucun fichier de la collecte
    non_repondants: pd.DataFrame
    #: organisations retenues / organisations ciblées (None sans organisation ciblée)
    taux_reponse: float | None
    #: organisations ciblées qui ont au moins une cible retenue (`RETENUES`)
    organisations_repondantes: int
    organisations_ciblees: int
    #: organisations ciblées qui ont transmis au moins un fichier de la collecte, valide ou non
    #: (`AYANT_TRANSMIS`)
    organisations_ayant_transmis: int = 0
    #: les organisations ciblées qui ont transmis des fichiers dont aucune cible n'est retenue
    a_corriger: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code", "nom", "reseau"])
    )
    #: une ligne par question à échelle : réponses, moyenne, nombre de chaque note
    retroaction: pd.DataFrame | None = None
    #: un commentaire de rétroaction par ligne, avec son organisation et son fichier
    commentaires: pd.DataFrame | None = None
    #: points à vérifier avant publication (`a_verifier`) ; ils ne changent aucun chiffre
    a_verifier: list[PointAVerifier] = field(default_factory=list)
    #: les organisations ciblées qui doivent encore une cible, et à qui écrire (`suivi`)
    relances: list[Relance] = field(default_factory=list)
    #: la collecte précédente comparée (`--precedent`), None sans comparaison
    precedent: Precedent | None = None
    _par_organisation: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def par_organisation(self) -> pd.DataFrame:
        """Une ligne par organisation, une colonne par cible : le chiffre ou la raison de
        l'absence, pour un affichage (le sommaire) ; les scripts lisent `organisations`."""
        if self._par_organisation is None:
            self._par_organisation = _tableau_organisations(self.organisations)
        return self._par_organisation


def _tables(collecte: Collecte) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Les tables de données retenues, bâties une fois à partir de simples listes."""
    reponses: list[dict] = []
    details: dict[str, list[dict]] = {}
    for retenue in collecte.retenues:
        org, saisie = retenue.organisation, retenue.saisie
        c = cible(saisie.cible)
        calcul = type_calcul(c)
        num, den = calcul.numerateur_denominateur(saisie, c)
        base = {"code": org.code, "reseau": org.reseau}
        reponses.append(
            {
                **base,
                "cible": c.id,
                "numerateur": num,
                "denominateur": den,
                "respecte": calcul.respecte(saisie, c),
                "fichier": retenue.fichier,
                "rejete_plus_recent": retenue.rejete_plus_recent,
            }
        )
        lignes = details.setdefault(c.id, [])
        lignes.extend({**base, **ligne} for ligne in calcul.lignes_detail(saisie, c))
    colonnes = ["code", "reseau", "cible", "numerateur", "denominateur", "respecte", "fichier",
                "rejete_plus_recent"]  # fmt: skip
    tables = {
        c.id: pd.DataFrame(details.get(c.id, []), columns=_colonnes_detail(c))
        for c in cibles()
        if type_calcul(c).detail(c) is not None
    }
    return pd.DataFrame(reponses, columns=colonnes), tables


def _colonnes_detail(c) -> list[str]:
    """Les colonnes d'une table de détail, connues même quand elle est vide."""
    return ["code", "reseau", *type_calcul(c).cles_detail]


def _par_portee(table: pd.DataFrame) -> pd.DataFrame:
    """La table répétée pour chaque portée : l'ensemble, puis le réseau de chaque ligne."""
    ensemble = table.assign(portee=ENSEMBLE)
    reseaux = table[table["reseau"] != ""].assign(portee=lambda t: t["reseau"])
    return pd.concat([ensemble, reseaux], ignore_index=True)


def _portees(collecte: Collecte) -> list[str]:
    presents = {o.reseau for o in collecte.organisations if o.reseau}
    return [ENSEMBLE, *(r for r in RESEAUX if r in presents)]


def _ligne_resultat(c, portee: str, groupes: dict, vide: pd.DataFrame, n_ciblees: int) -> dict:
    """Le résultat d'une cible pour une portée : c'est l'unité de son type qui l'agrège."""
    lignes = groupes.get((portee, c.id), vide)
    agregat = type_calcul(c).agreger(lignes, n_ciblees)
    taux = taux_atteinte(agregat.resultat, c)
    return {
        "portee": portee,
        "cible": c.id,
        "indicateur": c.indicateur,
        "valeur_cible": c.valeur_visee_pct / 100,
        "resultat": None if agregat.resultat is None else float(agregat.resultat),
        "taux_atteinte": None if taux is None else float(taux),
        "numerateur": agregat.numerateur,
        "denominateur": agregat.denominateur,
        "organisations_repondantes": int(lignes["code"].nunique()),
        "organisations_ciblees": n_ciblees,
    }


def consolider(
    collecte: Collecte, precedent: Precedent | pd.DataFrame | None = None
) -> Consolidation:
    """Calcule chaque cible pour chaque portée, selon la règle du guide propre à la cible.

    Avec une collecte précédente (`evolution.charger_collecte_precedente`, ou la seule table de
    `evolution.charger_precedent`), chaque ligne porte aussi le résultat précédent et la
    variation en points ; avec son historique par organisation, chaque organisation aussi.
    """
    if isinstance(precedent, pd.DataFrame):
        precedent = Precedent.depuis_table(precedent)
    reponses, details = _tables(collecte)
    organisations = pd.DataFrame(
        [{"code": o.code, "nom": o.nom, "reseau": o.reseau} for o in collecte.organisations],
        columns=["code", "nom", "reseau"],
    )
    ciblees = _par_portee(organisations).groupby("portee")["code"].nunique()
    reponses_portee = _par_portee(reponses)
    groupes = {cle: g for cle, g in reponses_portee.groupby(["portee", "cible"], sort=False)}
    vide = reponses_portee.iloc[0:0]
    lignes = [
        _ligne_resultat(c, portee, groupes, vide, int(ciblees.get(portee, 0)))
        for portee in _portees(collecte)
        for c in cibles()
    ]
    resultats = pd.DataFrame(lignes, columns=COLONNES_RESULTATS).assign(periode=collecte.periode)
    if precedent is not None:
        resultats = ajouter_evolution(resultats, precedent.resultats)
    par_organisation = _organisations_cibles(collecte, reponses)
    if precedent is not None and precedent.organisations is not None:
        par_organisation = ajouter_evolution_organisations(
            par_organisation, precedent.organisations
        )

    repondantes = reponses["code"].nunique()
    n_ciblees = len(organisations)
    transmis = _ayant_transmis(collecte)
    sans_fichier = ~organisations["code"].isin(transmis)
    sans_retenue = ~organisations["code"].isin(reponses["code"])
    retroaction, commentaires = synthese_retroaction(collecte)
    return Consolidation(
        resultats=resultats,
        organisations=par_organisation,
        reponses=reponses,
        details=details,
        non_repondants=organisations[sans_fichier].reset_index(drop=True),
        taux_reponse=repondantes / n_ciblees if n_ciblees else None,
        organisations_repondantes=repondantes,
        organisations_ciblees=n_ciblees,
        organisations_ayant_transmis=len(transmis),
        a_corriger=organisations[~sans_fichier & sans_retenue].reset_index(drop=True),
        retroaction=retroaction,
        commentaires=commentaires,
        a_verifier=points_a_verifier(reponses, par_organisation),
        relances=relances(collecte),
        precedent=precedent,
    )


def _ayant_transmis(collecte: Collecte) -> set[str]:
    """Les codes des organisations ciblées dont au moins un fichier de la collecte est arrivé,
    valide ou non. Un fichier d'une autre période n'en est pas un ; un fichier sans période
    (à corriger) en est un. Une organisation retenue a forcément transmis."""
    ciblees = {cle_code(o.code): o.code for o in collecte.organisations}
    codes = {ciblees[cle_code(r.organisation.code)] for r in collecte.retenues}
    for e in collecte.journal:
        if not e.organisation_code or (e.periode and e.periode != collecte.periode):
            continue
        code = ciblees.get(cle_code(e.organisation_code))
        if code is not None:
            codes.add(code)
    return codes


def _organisations_cibles(collecte: Collecte, reponses: pd.DataFrame) -> pd.DataFrame:
    """Organisation ciblée × cible : son résultat typé, ou le motif de son absence."""
    retenues = {(r.code, r.cible): r for r in reponses.itertuples(index=False)}
    lignes = []
    for org in collecte.organisations:
        for c in cibles():
            r = retenues.get((org.code, c.id))
            ligne = {"code": org.code, "nom": org.nom, "reseau": org.reseau, "cible": c.id}
            if r is None:
                motif = collecte.exclusions.get((org.code, c.id))
                ligne["absence"] = texte_absence(motif)
            else:
                fraction = proportion(int(r.numerateur), int(r.denominateur))
                ligne |= {
                    "numerateur": int(r.numerateur),
                    "denominateur": int(r.denominateur),
                    "resultat": None if fraction is None else float(fraction),
                    "respecte": r.respecte,
                    "fichier": r.fichier,
                    "rejete_plus_recent": r.rejete_plus_recent or None,
                }
            lignes.append(ligne)
    return pd.DataFrame(lignes, columns=COLONNES_ORGANISATION)


def _tableau_organisations(organisations: pd.DataFrame) -> pd.DataFrame:
    """La vue large : le chiffre de chaque cible en colonne, ou ce qui en tient lieu en mots.

    Avec l'évolution par organisation, `precedent_<cible>` (proportion, ou Oui/Non pour une
    condition) et `variation_<cible>` (points ; rien pour une condition) suivent les dix.
    """
    from barometre_cli.compilation.evolution import a_evolution_organisations
    from barometre_cli.domaine.formats import NON_APPLICABLE, oui_non

    ids = [c.id for c in cibles()]
    evolution = a_evolution_organisations(organisations)
    par_code: dict[str, dict] = {}
    for o in organisations.itertuples(index=False):
        ligne = par_code.setdefault(o.code, {"code": o.code, "nom": o.nom, "reseau": o.reseau})
        condition = o.respecte is not None and not pd.isna(o.respecte)
        if isinstance(o.absence, str):
            ligne[o.cible] = o.absence
        elif condition:
            ligne[o.cible] = oui_non(bool(o.respecte))
        elif pd.isna(o.resultat):
            ligne[o.cible] = NON_APPLICABLE
        else:
            ligne[o.cible] = float(o.resultat)
        if evolution:
            avant = o.respecte_precedent
            if avant is not None and not pd.isna(avant):
                ligne[f"precedent_{o.cible}"] = oui_non(bool(avant))
            elif not pd.isna(o.resultat_precedent):
                ligne[f"precedent_{o.cible}"] = float(o.resultat_precedent)
            if not condition and not pd.isna(o.variation):
                ligne[f"variation_{o.cible}"] = float(o.variation)
    colonnes = ["code", "nom", "reseau", *ids]
    if evolution:
        colonnes += [f"{cle}_{i}" for i in ids for cle in ("precedent", "variation")]
    return pd.DataFrame(list(par_code.values()), columns=colonnes)


def _plus_recent_d_abord(entrees: list[EntreeJournal]) -> list[EntreeJournal]:
    """Du fichier le plus récemment modifié au plus ancien ; sans date, en dernier."""
    return sorted(
        entrees,
        key=lambda e: (e.modifie is not None, e.modifie or _SANS_DATE, e.fichier),
        reverse=True,
    )


def _une_voix(texte: str) -> str:
    """Deux commentaires qui ne diffèrent que par les espaces ou la casse sont le même."""
    return " ".join(texte.split()).casefold()


def synthese_retroaction(collecte: Collecte) -> tuple[pd.DataFrame, pd.DataFrame]:
    """La rétroaction des organisations ciblées : une voix par organisation, pas par fichier.

    Une organisation qui remplit les dix gabarits ne doit pas peser dix fois plus qu'une autre.
    Pour chaque organisation ciblée et chaque question à échelle, on garde la réponse de son
    fichier le plus récemment modifié qui en porte une, qu'il ait été retenu ou non (la
    rétroaction porte sur la collecte, pas sur les données). Les fichiers d'une organisation
    hors du registre ou d'une autre période sont ignorés ; un code tapé dans une autre casse que
    celle du registre (« ap14 ») compte pour son organisation. Un même commentaire répété d'un
    fichier à l'autre ne figure qu'une fois, avec le fichier le plus récent.

    Rend (une ligne par question à échelle, un commentaire par ligne).
    """
    par_code: dict[str, list[EntreeJournal]] = {
        cle_code(o.code): [] for o in collecte.organisations
    }
    for e in collecte.journal:
        cle = cle_code(e.organisation_code)
        if cle in par_code and e.periode == collecte.periode:
            par_code[cle].append(e)
    echelles = [c for c in RETROACTION if c.type is Type.ECHELLE]
    notes: list[dict] = []
    commentaires: list[dict] = []
    for organisation in collecte.organisations:
        entrees = _plus_recent_d_abord(par_code[cle_code(organisation.code)])
        for c in echelles:
            note = next(
                (e.retroaction[c.nom] for e in entrees if e.retroaction.get(c.nom) in ECHELLE),
                None,
            )
            if note is not None:
                notes.append({"question": c.nom, "note": note})
        vus: set[str] = set()
        for e in entrees:
            texte = e.retroaction.get("retroaction_commentaire")
            if not isinstance(texte, str) or not texte.strip() or _une_voix(texte) in vus:
                continue
            vus.add(_une_voix(texte))
            commentaires.append(
                {
                    "code": organisation.code,
                    "organisation": organisation.nom or e.organisation_nom,
                    "cibles": ", ".join(e.cibles),
                    "fichier": e.fichier,
                    "commentaire": texte,
                }
            )
    table_notes = pd.DataFrame(notes, columns=["question", "note"])
    lignes = []
    for c in echelles:
        sien = table_notes.loc[table_notes["question"] == c.nom, "note"]
        compte = sien.value_counts()
        lignes.append(
            {
                "question": c.libelle,
                "reponses": int(sien.size),
                "moyenne": float(sien.mean()) if sien.size else None,
                **{f"note_{n}": int(compte.get(n, 0)) for n in ECHELLE},
            }
        )
    synthese = pd.DataFrame(
        lignes, columns=["question", "reponses", "moyenne", *(f"note_{n}" for n in ECHELLE)]
    )
    return synthese, pd.DataFrame(
        commentaires, columns=["code", "organisation", "cibles", "fichier", "commentaire"]
    )
