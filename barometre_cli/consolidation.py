"""Les résultats gouvernementaux et par réseau, selon la section 3 du guide, avec pandas.

On construit une seule fois des tables de données retenues (une ligne par organisation et
cible, par service, par processus, par jeu de données) puis chaque portée (ensemble, réseau)
se calcule par regroupement : une nouvelle portée n'est qu'une clé de plus. Les marques
« compte », « sans papier », « haut potentiel », « respecte » viennent des fonctions de
`calcul` : les seuils du guide ne sont écrits qu'à un endroit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from barometre_cli.calcul import (
    jeu_haut_potentiel,
    numerateur_denominateur,
    proportion,
    resultat_organisation,
    service_compte,
    taux_atteinte,
)
from barometre_cli.catalogue import (
    CIBLES,
    ECHELLE,
    PROCESSUS_5_2,
    RESEAUX,
    RETROACTION,
    STATUT_SANS_PAPIER,
    Calcul,
    Type,
    cible,
)
from barometre_cli.compilation import Collecte, EntreeJournal

ENSEMBLE = "ensemble"
#: Pour ordonner les fichiers sans date de modification avec les autres (dates en UTC).
_SANS_DATE = datetime.min.replace(tzinfo=UTC)

#: Colonnes du fichier de données ouvertes, dans l'ordre publié.
COLONNES_RESULTATS = [
    "portee",
    "cible",
    "indicateur",
    "valeur_cible",
    "resultat",
    "taux_atteinte",
    "numerateur",
    "denominateur",
    "organisations_repondantes",
    "organisations_ciblees",
]


@dataclass
class Consolidation:
    """Les tables produites ; chaque sortie (console, classeur, CSV, JSON) les lit telles quelles."""

    resultats: pd.DataFrame
    par_organisation: pd.DataFrame
    reponses: pd.DataFrame
    services: pd.DataFrame
    processus: pd.DataFrame
    jeux: pd.DataFrame
    non_repondants: pd.DataFrame
    taux_reponse: float | None
    organisations_repondantes: int
    organisations_ciblees: int
    #: une ligne par question à échelle : réponses, moyenne, nombre de chaque note
    retroaction: pd.DataFrame | None = None
    #: un commentaire de rétroaction par ligne, avec son organisation et son fichier
    commentaires: pd.DataFrame | None = None


def _tables(collecte: Collecte) -> tuple[pd.DataFrame, ...]:
    """Les tables de données retenues, bâties une fois à partir de simples listes."""
    reponses, services, processus, jeux = [], [], [], []
    for retenue in collecte.retenues:
        org, saisie = retenue.organisation, retenue.saisie
        c = cible(saisie.cible)
        num, den = numerateur_denominateur(saisie, c)
        respecte = resultat_organisation(saisie, c).respecte
        base = {"code": org.code, "reseau": org.reseau}
        reponses.append(
            {**base, "cible": c.id, "numerateur": num, "denominateur": den, "respecte": respecte}
        )
        for s in saisie.services:
            services.append(
                {
                    **base,
                    "service": s.nom,
                    "utilisations_numeriques": s.utilisations_numeriques,
                    "utilisations_totales": s.utilisations_totales,
                    "taux": (
                        s.utilisations_numeriques / s.utilisations_totales
                        if s.utilisations_totales
                        else None
                    ),
                    "compte": service_compte(s.utilisations_numeriques, s.utilisations_totales),
                }
            )
        for rang, (p, statut) in enumerate(zip(PROCESSUS_5_2, saisie.statuts, strict=False), 1):
            processus.append(
                {
                    **base,
                    "rang": rang,
                    "domaine": p.domaine,
                    "processus": p.nom,
                    "statut": statut,
                    "sans_papier": statut == STATUT_SANS_PAPIER,
                }
            )
        for j in saisie.jeux:
            jeux.append(
                {
                    **base,
                    "jeu": j.nom,
                    "points_axe_a": j.points_axe_a,
                    "diffuse": j.diffuse,
                    "haut_potentiel": jeu_haut_potentiel(j.points_axe_a),
                }
            )
    colonnes = {
        "reponses": ["code", "reseau", "cible", "numerateur", "denominateur", "respecte"],
        "services": ["code", "reseau", "service", "utilisations_numeriques",
                     "utilisations_totales", "taux", "compte"],
        "processus": ["code", "reseau", "rang", "domaine", "processus", "statut", "sans_papier"],
        "jeux": ["code", "reseau", "jeu", "points_axe_a", "diffuse", "haut_potentiel"],
    }  # fmt: skip
    return (
        pd.DataFrame(reponses, columns=colonnes["reponses"]),
        pd.DataFrame(services, columns=colonnes["services"]),
        pd.DataFrame(processus, columns=colonnes["processus"]),
        pd.DataFrame(jeux, columns=colonnes["jeux"]),
    )


def _par_portee(table: pd.DataFrame) -> pd.DataFrame:
    """La table répétée pour chaque portée : l'ensemble, puis le réseau de chaque ligne."""
    ensemble = table.assign(portee=ENSEMBLE)
    reseaux = table[table["reseau"] != ""].assign(portee=lambda t: t["reseau"])
    return pd.concat([ensemble, reseaux], ignore_index=True)


def _portees(collecte: Collecte) -> list[str]:
    presents = {o.reseau for o in collecte.organisations if o.reseau}
    return [ENSEMBLE, *(r for r in RESEAUX if r in presents)]


def consolider(collecte: Collecte, precedent: pd.DataFrame | None = None) -> Consolidation:
    """Calcule chaque cible pour chaque portée, selon la règle du guide propre à la cible.

    Avec les résultats d'une collecte précédente (`evolution.charger_precedent`), chaque ligne
    porte aussi le résultat précédent et la variation en points.
    """
    reponses, services, processus, jeux = _tables(collecte)
    organisations = pd.DataFrame(
        [{"code": o.code, "nom": o.nom, "reseau": o.reseau} for o in collecte.organisations],
        columns=["code", "nom", "reseau"],
    )
    portees = _portees(collecte)
    ciblees = _par_portee(organisations).groupby("portee")["code"].nunique()

    reponses_portee = _par_portee(reponses)
    reponses_portee["respecte_n"] = reponses_portee["respecte"].fillna(False).astype(int)
    sommes = reponses_portee.groupby(["portee", "cible"]).agg(
        numerateur=("numerateur", "sum"),
        denominateur=("denominateur", "sum"),
        respectent=("respecte_n", "sum"),
        organisations_repondantes=("code", "nunique"),
    )

    lignes = []
    for portee in portees:
        n_ciblees = int(ciblees.get(portee, 0))
        for c in CIBLES:
            cle = (portee, c.id)
            repondantes = (
                int(sommes.at[cle, "organisations_repondantes"]) if cle in sommes.index else 0
            )
            if c.calcul in (Calcul.CONDITION, Calcul.JEUX_DONNEES):
                # Organisations qui remplissent la condition / organisations ciblées : une
                # organisation qui n'a pas répondu compte au dénominateur.
                num = int(sommes.at[cle, "respectent"]) if cle in sommes.index else 0
                den = n_ciblees
            else:
                num = int(sommes.at[cle, "numerateur"]) if cle in sommes.index else 0
                den = int(sommes.at[cle, "denominateur"]) if cle in sommes.index else 0
            resultat = proportion(num, den)
            taux = taux_atteinte(resultat, c)
            lignes.append(
                {
                    "portee": portee,
                    "cible": c.id,
                    "indicateur": c.indicateur,
                    "valeur_cible": c.valeur_visee_pct / 100,
                    "resultat": None if resultat is None else float(resultat),
                    "taux_atteinte": None if taux is None else float(taux),
                    "numerateur": num,
                    "denominateur": den,
                    "organisations_repondantes": repondantes,
                    "organisations_ciblees": n_ciblees,
                }
            )
    resultats = pd.DataFrame(lignes, columns=COLONNES_RESULTATS)
    if precedent is not None:
        from barometre_cli.evolution import ajouter_evolution

        resultats = ajouter_evolution(resultats, precedent)

    repondantes = reponses["code"].nunique()
    n_ciblees = len(organisations)
    retroaction, commentaires = synthese_retroaction(collecte)
    return Consolidation(
        resultats=resultats,
        par_organisation=_par_organisation(collecte, organisations, reponses),
        reponses=reponses,
        services=services,
        processus=processus,
        jeux=jeux,
        non_repondants=organisations[~organisations["code"].isin(reponses["code"])].reset_index(
            drop=True
        ),
        taux_reponse=repondantes / n_ciblees if n_ciblees else None,
        organisations_repondantes=repondantes,
        organisations_ciblees=n_ciblees,
        retroaction=retroaction,
        commentaires=commentaires,
    )


def _par_organisation(
    collecte: Collecte, organisations: pd.DataFrame, reponses: pd.DataFrame
) -> pd.DataFrame:
    """Organisation × cible : le résultat propre à l'organisation, ou pourquoi il manque."""
    valeurs = {}
    for ligne in reponses.itertuples(index=False):
        c = cible(ligne.cible)
        if c.calcul in (Calcul.CONDITION, Calcul.JEUX_DONNEES):
            valeurs[(ligne.code, ligne.cible)] = "Oui" if ligne.respecte else "Non"
        else:
            fraction = proportion(int(ligne.numerateur), int(ligne.denominateur))
            valeurs[(ligne.code, ligne.cible)] = (
                "non applicable" if fraction is None else float(fraction)
            )
    lignes = []
    for org in organisations.itertuples(index=False):
        ligne = {"code": org.code, "nom": org.nom, "reseau": org.reseau}
        for c in CIBLES:
            cle = (org.code, c.id)
            if cle in valeurs:
                ligne[c.id] = valeurs[cle]
            elif cle in collecte.exclusions:
                ligne[c.id] = f"exclue ({collecte.exclusions[cle]})"
            else:
                ligne[c.id] = "non reçue"
        lignes.append(ligne)
    return pd.DataFrame(lignes, columns=["code", "nom", "reseau", *(c.id for c in CIBLES)])


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
    hors du registre ou d'une autre période sont ignorés. Un même commentaire répété d'un
    fichier à l'autre ne figure qu'une fois, avec le fichier le plus récent.

    Rend (une ligne par question à échelle, un commentaire par ligne).
    """
    par_code: dict[str, list[EntreeJournal]] = {o.code: [] for o in collecte.organisations}
    for e in collecte.journal:
        if e.organisation_code in par_code and e.periode == collecte.periode:
            par_code[e.organisation_code].append(e)
    echelles = [c for c in RETROACTION if c.type is Type.ECHELLE]
    notes: list[dict] = []
    commentaires: list[dict] = []
    for organisation in collecte.organisations:
        entrees = _plus_recent_d_abord(par_code[organisation.code])
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
