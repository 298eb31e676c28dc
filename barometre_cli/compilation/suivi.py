"""Le suivi de la collecte : pour chaque organisation ciblée, ce qu'elle doit encore, et à qui écrire.

Pendant une collecte, le travail quotidien des analystes est la relance : qui n'a pas envoyé
quelle cible, quelle cible a été exclue pour une erreur (et laquelle, à quelle cellule), quels
classeurs sont en conflit. Ce module le calcule comme des données (un code par cible à suivre,
les fichiers et les erreurs en cause) à partir de la collecte ; les sorties (relances.csv,
feuille Relances, fiches, console, JSON) n'écrivent les mots qu'à l'affichage, par `texte` et
`details`, une seule fois pour toutes.

La personne à joindre est celle du registre (colonnes `contact_nom`, `contact_courriel`) ;
à défaut d'adresse au registre, la personne répondante nommée dans le classeur le plus récent
de l'organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from barometre_cli.catalogue import cibles
from barometre_cli.compilation.collecte import Collecte, EntreeJournal
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.decisions import ERREURS_CITEES, Motif
from barometre_cli.domaine.registre import Organisation, cle_code, courriel_plausible

#: Code d'une cible qu'aucun classeur n'apporte (les autres codes sont ceux de `Motif`).
NON_RECUE = "cible-non-recue"
#: D'où vient la personne à joindre.
SOURCE_REGISTRE, SOURCE_CLASSEUR = "registre", "classeur"

_SANS_DATE = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ErreurCitee:
    """Une erreur qui exclut une cible, là où la corriger."""

    code: str
    feuille: str
    cellule: str


@dataclass(frozen=True)
class CibleASuivre:
    """Une cible qu'une organisation ciblée doit encore : pourquoi, et les fichiers en cause.

    `motif` : `Motif.EXCLUE` (erreurs dans le classeur retenu), `Motif.CONFLIT` (plusieurs
    classeurs sans date qui les départage), `Motif.PERIODE` (reçue seulement pour une autre
    période), `Motif.HORS_REGISTRE` (reçue sous un code que le registre ne connaît pas) ou
    None (non reçue).
    """

    cible: str
    motif: Motif | None = None
    fichiers: tuple[str, ...] = ()
    erreurs: tuple[ErreurCitee, ...] = ()
    #: périodes et codes d'organisation des classeurs écartés pour cette cible (motifs PERIODE
    #: et HORS_REGISTRE : un code écrit autrement qu'au registre)
    periodes: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """Le code stable : celui du motif, ou `NON_RECUE`."""
        return NON_RECUE if self.motif is None else self.motif.value


@dataclass(frozen=True)
class Relance:
    """Une organisation ciblée qui doit encore au moins une cible, et qui lui écrire."""

    organisation: Organisation
    cibles: tuple[CibleASuivre, ...]
    contact_nom: str = ""
    contact_courriel: str = ""
    #: `SOURCE_REGISTRE`, `SOURCE_CLASSEUR`, ou "" quand personne n'est connu
    contact_source: str = ""
    #: aucun fichier de cette organisation dans le dossier, toutes périodes confondues
    aucun_fichier: bool = False
    periode: str = ""

    @property
    def ids(self) -> list[str]:
        return [a.cible for a in self.cibles]


def _plus_recent_d_abord(entrees: list[EntreeJournal]) -> list[EntreeJournal]:
    return sorted(
        entrees,
        key=lambda e: (e.modifie is not None, e.modifie or _SANS_DATE, e.fichier),
        reverse=True,
    )


def _contact(org: Organisation, entrees: list[EntreeJournal]) -> tuple[str, str, str]:
    """(nom, courriel, source) : le registre s'il donne une adresse, sinon le classeur le plus
    récent qui en donne une plausible ; à défaut d'adresse, le nom connu."""
    if org.contact_courriel:
        return org.contact_nom, org.contact_courriel, SOURCE_REGISTRE
    recents = _plus_recent_d_abord(entrees)
    for e in recents:
        if e.repondant_courriel and courriel_plausible(e.repondant_courriel):
            return e.repondant_nom, e.repondant_courriel, SOURCE_CLASSEUR
    if org.contact_nom:
        return org.contact_nom, "", SOURCE_REGISTRE
    for e in recents:
        if e.repondant_nom or e.repondant_courriel:
            return e.repondant_nom, e.repondant_courriel, SOURCE_CLASSEUR
    return "", "", ""


def _erreurs(entree: EntreeJournal, id_cible: str) -> tuple[ErreurCitee, ...]:
    """Les erreurs du fichier qui touchent la cible, dans l'ordre du rapport."""
    return tuple(
        ErreurCitee(c.code, c.feuille, c.cellule)
        for c in entree.constats
        if c.severite is Severite.ERREUR and c.cible == id_cible
    )


def _a_suivre(id_cible: str, motif: Motif | None, entrees: list[EntreeJournal]) -> CibleASuivre:
    """Le détail d'une cible manquante, d'après les décisions du journal sur ses fichiers."""
    if motif in (Motif.EXCLUE, Motif.CONFLIT):
        en_cause = [
            e for e in entrees if any(d.motif is motif and d.cible == id_cible for d in e.decisions)
        ]
        fichiers = tuple(sorted(e.fichier for e in en_cause))
        if motif is Motif.CONFLIT:
            return CibleASuivre(id_cible, motif, fichiers)
        erreurs = tuple(err for e in en_cause for err in _erreurs(e, id_cible))
        return CibleASuivre(id_cible, motif, fichiers, erreurs)
    for motif_fichier in (Motif.PERIODE, Motif.HORS_REGISTRE):
        autres = [
            e
            for e in entrees
            if id_cible in e.cibles and any(d.motif is motif_fichier for d in e.decisions)
        ]
        if autres:
            return CibleASuivre(
                id_cible,
                motif_fichier,
                tuple(sorted(e.fichier for e in autres)),
                periodes=tuple(sorted({e.periode or "absente" for e in autres})),
                codes=tuple(sorted({e.organisation_code for e in autres})),
            )
    return CibleASuivre(id_cible)


def relances(collecte: Collecte) -> list[Relance]:
    """Les organisations ciblées qui doivent encore au moins une cible, dans l'ordre du registre.

    Une cible est due quand aucune donnée de l'organisation n'est retenue pour elle : non reçue,
    exclue pour des erreurs, écartée pour un conflit entre classeurs, ou reçue seulement pour
    une autre période. Une organisation à jour n'y figure pas.
    """
    retenues = {(cle_code(r.organisation.code), r.saisie.cible) for r in collecte.retenues}
    par_code: dict[str, list[EntreeJournal]] = {}
    for e in collecte.journal:
        if e.organisation_code:
            par_code.setdefault(cle_code(e.organisation_code), []).append(e)
    ids = [c.id for c in cibles()]
    sortie: list[Relance] = []
    for org in collecte.organisations:
        cle = cle_code(org.code)
        entrees = par_code.get(cle, [])
        dues = tuple(
            _a_suivre(i, collecte.exclusions.get((org.code, i)), entrees)
            for i in ids
            if (cle, i) not in retenues
        )
        if not dues:
            continue
        nom, courriel, source = _contact(org, entrees)
        sortie.append(Relance(org, dues, nom, courriel, source, not entrees, collecte.periode))
    return sortie


def nombre_cibles(suivi: list[Relance]) -> int:
    return sum(len(r.cibles) for r in suivi)


# --- Les mots, écrits une seule fois pour toutes les sorties ---------------------------------


def _fichiers(fichiers: tuple[str, ...]) -> str:
    if len(fichiers) < 2:
        return "".join(fichiers)
    return ", ".join(fichiers[:-1]) + " et " + fichiers[-1]


def _erreurs_texte(erreurs: tuple[ErreurCitee, ...]) -> str:
    citees = erreurs[:ERREURS_CITEES]
    morceaux = []
    for e in citees:
        lieu = ", ".join(x for x in (e.feuille, e.cellule) if x)
        morceaux.append(f"{e.code} ({lieu})" if lieu else e.code)
    reste = len(erreurs) - len(citees)
    return " ; ".join(morceaux) + (f" (+{reste})" if reste > 0 else "")


def texte(a: CibleASuivre) -> str:
    """Une cible due, en une phrase : « 5.1 : exclue, erreurs à corriger dans X : code (Saisie,
    C21) »."""
    if a.motif is Motif.EXCLUE:
        dans = f" dans {_fichiers(a.fichiers)}" if a.fichiers else ""
        erreurs = f" : {_erreurs_texte(a.erreurs)}" if a.erreurs else ""
        return f"{a.cible} : exclue, erreurs à corriger{dans}{erreurs}"
    if a.motif is Motif.CONFLIT:
        return (
            f"{a.cible} : mise de côté, conflit entre {_fichiers(a.fichiers)} (dates de "
            "modification égales ou absentes) ; renvoyer une seule version"
        )
    if a.motif is Motif.PERIODE:
        return (
            f"{a.cible} : non reçue pour cette collecte ; classeur reçu pour la période "
            f"{', '.join(a.periodes)} ({_fichiers(a.fichiers)})"
        )
    if a.motif is Motif.HORS_REGISTRE:
        codes = ", ".join(f"« {c} »" for c in a.codes)
        return (
            f"{a.cible} : non reçue sous le code du registre ; classeur reçu sous le code "
            f"{codes} ({_fichiers(a.fichiers)})"
        )
    return f"{a.cible} : non reçue"


def details(relance: Relance, separateur: str = " | ") -> str:
    """Tout ce que l'organisation doit, sur une ligne (une cellule de publipostage)."""
    if relance.aucun_fichier:
        return f"aucun classeur reçu (cibles {', '.join(relance.ids)})"
    return separateur.join(texte(a) for a in relance.cibles)
