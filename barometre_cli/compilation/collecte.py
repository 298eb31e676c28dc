"""Rassembler un dossier de classeurs retournés : lire, valider, retenir, journaliser.

Chaque fichier passe par le chemin unique de `valider` (lecture défensive puis règles), puis
par les règles de rétention du Baromètre : organisation ciblée, bonne période, un seul classeur
par organisation et par cible. Rien ne se perd : chaque fichier finit au journal, retenu,
écarté ou rejeté, avec ses raisons. Ce module ne fait aucun calcul gouvernemental (voir
`consolidation`) : il prépare des données propres.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from barometre_cli.domaine.constats import A, Constat, E, I, Severite, constat, definir
from barometre_cli.domaine.decisions import CONFLITS_NOMMES, Decision, Motif, Statut, texte
from barometre_cli.domaine.registre import Organisation, cle_code, code_canonique
from barometre_cli.lecture.decouverte import NonLu, ignore, lister_fichiers, non_lu
from barometre_cli.validation.rapport import RapportFichier

__all__ = ["Collecte", "Decision", "EntreeJournal", "Motif", "Retenue", "Statut", "collecter"]


# --- Les codes de la compilation (le journal), définis une fois ----------------------------

FICHIER_IGNORE = definir(
    "fichier-ignore",
    I,
    "Fichier caché ou fichier de verrou d'Office (~$…) : noté au journal, jamais lu.",
    "« {fichier} » est un fichier caché ou un fichier de verrou d'Office (créé pendant qu'un "
    "classeur est ouvert) : il n'est pas lu.",
    famille="compilation",
)
HORS_REGISTRE = definir(
    "organisation-hors-registre",
    E,
    "L'organisation n'est pas dans le registre des organisations ciblées : fichier écarté.",
    "L'organisation « {code} » n'est pas dans le registre.",
    famille="compilation",
)
PERIODE_EXCLUE = definir(
    "periode-exclue",
    E,
    "L'année du classeur n'est pas celle de la compilation.",
    "Le classeur porte sur {periode} ; la compilation porte sur {compilation}.",
    famille="compilation",
)
DOUBLON_REMPLACE = definir(
    "doublon-remplace",
    A,
    "Un classeur plus récent de la même organisation pour la même cible a été retenu.",
    "Cible {cible} : un classeur plus récent de {organisation} a été retenu.",
    famille="compilation",
)
DOUBLON_CONFLIT = definir(
    "doublon-conflit",
    E,
    "Deux classeurs de la même organisation pour la même cible, sans date de modification qui "
    "les départage : les deux sont écartés.",
    "Cible {cible} : plusieurs classeurs de {organisation} sans date qui les départage.",
    famille="compilation",
)
LIEN_IGNORE = definir(
    "lien-ignore",
    I,
    "Un lien du dossier reçu n'est pas suivi (il mène hors du dossier, vers un dossier, ou "
    "nulle part) : rien de ce qu'il désigne n'est lu ni haché.",
    "« {fichier} » est un lien qui n'est pas suivi ({raison}). Déposez le classeur lui-même "
    "dans le dossier reçu.",
    famille="compilation",
)
FICHIER_SPECIAL = definir(
    "fichier-special",
    I,
    "Une entrée du dossier reçu n'est pas un fichier ordinaire (tube nommé, prise, "
    "périphérique) : elle n'est jamais ouverte.",
    "« {fichier} » n'est pas un fichier ordinaire ({nature}) : il n'est pas ouvert.",
    famille="compilation",
)
LECTURE_INTERROMPUE = definir(
    "lecture-interrompue",
    E,
    "La lecture du fichier a fait échouer le processus de lecture ; le fichier est rejeté.",
    "La lecture de « {fichier} » a interrompu le processus de lecture ({detail}). Le fichier "
    "est rejeté ; demandez à l'organisation de l'ouvrir puis de l'enregistrer de nouveau au "
    "format Classeur Excel (.xlsx).",
    famille="compilation",
)


@dataclass
class EntreeJournal:
    """Le sort d'un fichier du dossier, avec ses décisions : la trace de chaque décision."""

    fichier: str
    sha256: str
    #: « xlsx » ou « ods » ; vide pour un fichier qui n'est pas un classeur lisible
    format: str = ""
    organisation_code: str = ""
    organisation_nom: str = ""
    periode: str = ""
    modifie: datetime | None = None
    cibles: list[str] = field(default_factory=list)
    cibles_retenues: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    constats: list[Constat] = field(default_factory=list)
    #: réponses de rétroaction du fichier (facultatives)
    retroaction: dict[str, int | str] = field(default_factory=dict)
    repondant_nom: str = ""
    repondant_courriel: str = ""

    @property
    def statut(self) -> Statut:
        """Retenu s'il apporte une cible ; rejeté s'il porte une erreur à corriger ; sinon écarté."""
        if self.cibles_retenues:
            return Statut.RETENU
        if not self.decisions or any(d.motif.rejette for d in self.decisions):
            return Statut.REJETE
        return Statut.ECARTE

    @property
    def raisons(self) -> list[str]:
        """Les décisions en phrases, pour l'affichage."""
        return [texte(d) for d in self.decisions]

    @property
    def nb_erreurs(self) -> int:
        return sum(c.severite is Severite.ERREUR for c in self.constats)

    @property
    def nb_avertissements(self) -> int:
        return sum(c.severite is Severite.AVERTISSEMENT for c in self.constats)


@dataclass(frozen=True)
class Retenue:
    """Les données retenues d'une organisation pour une cible, et le fichier d'où elles viennent.

    `rejete_plus_recent` nomme un classeur plus récent de la même organisation et de la même
    cible qui a été rejeté : l'analyste doit savoir que c'est un envoi antérieur qui compte.
    """

    organisation: Organisation
    saisie: Any
    fichier: str
    rejete_plus_recent: str = ""


@dataclass
class Collecte:
    """Ce que la compilation retient d'un dossier, avant tout calcul."""

    dossier: Path
    periode: str
    periode_deduite: bool
    organisations: list[Organisation]
    registre_fourni: bool
    journal: list[EntreeJournal]
    retenues: list[Retenue]
    #: (code, cible) → motif de l'exclusion, pour les organisations ciblées concernées
    exclusions: dict[tuple[str, str], Motif] = field(default_factory=dict)

    def compte(self, statut: Statut) -> int:
        return sum(e.statut is statut for e in self.journal)


def _relatif(chemin: Path, dossier: Path) -> str:
    try:
        return chemin.relative_to(dossier).as_posix()
    except ValueError:
        return str(chemin)


def _erreurs(rapport: RapportFichier, cible: str | None = None) -> tuple[tuple[str, str], ...]:
    return tuple((c.code, c.cellule) for c in rapport.erreurs if cible is None or c.cible == cible)


def _entree(rapport: RapportFichier, dossier: Path) -> EntreeJournal:
    return EntreeJournal(
        fichier=_relatif(rapport.fichier, dossier),
        sha256=rapport.sha256,
        format=rapport.format,
        organisation_code=rapport.organisation_code,
        organisation_nom=rapport.organisation_nom,
        periode=rapport.periode,
        modifie=rapport.modifie,
        cibles=list(rapport.cibles),
        constats=list(rapport.constats),
        retroaction=dict(rapport.retroaction),
        repondant_nom=rapport.repondant_nom,
        repondant_courriel=rapport.repondant_courriel,
    )


def _periode(identifies: list[RapportFichier], periode: str | None) -> str:
    """La période demandée, sinon la plus fréquente des fichiers (à égalité, la plus récente)."""
    if periode is not None:
        return periode
    frequences = Counter(r.periode for r in identifies if r.periode)
    return max(frequences, key=lambda p: (frequences[p], p)) if frequences else ""


def _organisations(
    candidats: list[RapportFichier], registre: list[Organisation] | None
) -> list[Organisation]:
    """Organisations ciblées : le registre, ou à défaut celles qui ont répondu.

    Sans registre, « ap01 » et « AP01 » sont la même organisation, sous son code canonique
    (« AP01 », `registre.code_canonique`), avec le nom du premier fichier qui en donne un.
    """
    if registre is not None:
        return list(registre)
    vues: dict[str, Organisation] = {}
    for r in candidats:
        code = code_canonique(r.organisation_code)
        vues.setdefault(cle_code(code), Organisation(code, r.organisation_nom))
    return sorted(vues.values(), key=lambda o: o.code)


def retenir(
    dossier: Path,
    rapports: list[RapportFichier],
    registre: list[Organisation] | None,
    periode: str | None,
) -> Collecte:
    """Applique les règles de rétention aux rapports de validation d'un dossier."""
    journal = {id(r): _entree(r, dossier) for r in rapports}
    identifies = []
    for r in rapports:
        if r.identifie and r.cibles:
            identifies.append(r)
        elif isinstance(r, RapportNonLu):
            journal[id(r)].decisions.append(Decision(r.motif, detail=r.raison))
        elif any(c.code == "fichier-ignore" for c in r.constats):
            journal[id(r)].decisions.append(Decision(Motif.IGNORE))
        else:
            journal[id(r)].decisions.append(Decision(Motif.INUTILISABLE, erreurs=_erreurs(r)))

    periode_deduite = periode is None
    periode = _periode(identifies, periode)
    candidats = []
    for r in identifies:
        if r.periode == periode:
            candidats.append(r)
            continue
        entree = journal[id(r)]
        entree.decisions.append(
            Decision(Motif.PERIODE, periode=r.periode, periode_compilation=periode)
        )
        entree.constats.append(
            constat(PERIODE_EXCLUE, periode=r.periode or "une période absente", compilation=periode)
        )

    organisations = _organisations(candidats, registre)
    par_code = {cle_code(o.code): o for o in organisations}
    # Un seul code par organisation partout : celui du registre, quelle que soit la casse tapée
    # (« ap14 » range le fichier sous « AP14 » au journal, dans la fiche, la rétroaction…).
    # Les fichiers rejetés aussi : la fiche de l'organisation les montre, avec leurs constats.
    for r in rapports:
        if r.organisation_code.strip():
            journal[id(r)].organisation_code = code_canonique(r.organisation_code, par_code)
    groupes: dict[tuple[str, str], list[RapportFichier]] = defaultdict(list)
    for r in candidats:
        if cle_code(r.organisation_code) in par_code:
            for c in r.cibles:
                groupes[(cle_code(r.organisation_code), c)].append(r)
            continue
        entree = journal[id(r)]
        entree.decisions.append(Decision(Motif.HORS_REGISTRE, organisation=r.organisation_code))
        entree.constats.append(constat(HORS_REGISTRE, code=r.organisation_code))

    retenues: list[Retenue] = []
    exclusions: dict[tuple[str, str], Motif] = {}
    for (cle, c), groupe in sorted(groupes.items()):
        organisation = par_code[cle]
        motif = _departager_groupe(organisation, c, groupe, journal, retenues)
        if motif is not None:
            exclusions[(organisation.code, c)] = motif
    return Collecte(
        dossier=dossier,
        periode=periode,
        periode_deduite=periode_deduite,
        organisations=organisations,
        registre_fourni=registre is not None,
        journal=[journal[id(r)] for r in rapports],
        retenues=retenues,
        exclusions=exclusions,
    )


def _departager_groupe(
    organisation: Organisation,
    c: str,
    groupe: list[RapportFichier],
    journal: dict[int, EntreeJournal],
    retenues: list[Retenue],
) -> Motif | None:
    """Les classeurs d'une organisation pour une cible : un seul compte. Rend le motif d'absence.

    Les copies identiques (mêmes octets) sont mises de côté ; parmi les autres, le plus récent
    classeur **valide** compte, et un classeur plus récent rejeté est nommé à côté de lui. Des
    dates égales ou absentes entre classeurs valides différents restent un conflit.
    """
    nom = {id(r): journal[id(r)].fichier for r in groupe}
    distincts = _sans_copies(c, groupe, journal)
    valides = [r for r in distincts if c in r.saisies]
    candidats = valides or distincts
    gagnant = _departager(candidats)
    if gagnant is None:
        _conflit(organisation, c, candidats, nom, journal)
        en_conflit = {id(r) for r in candidats}
        for r in distincts:
            if id(r) not in en_conflit:
                _exclure(r, c, journal)
        return Motif.CONFLIT
    ids_valides = {id(r) for r in valides}
    plus_recents_rejetes = [
        r for r in distincts if id(r) not in ids_valides and _plus_recent(r, gagnant)
    ]
    ids_rejetes = {id(r) for r in plus_recents_rejetes}
    for r in distincts:
        if r is gagnant:
            continue
        if id(r) in ids_rejetes:
            _exclure(r, c, journal)
            continue
        journal[id(r)].decisions.append(Decision(Motif.REMPLACE, c, fichiers=(nom[id(gagnant)],)))
        journal[id(r)].constats.append(
            constat(DOUBLON_REMPLACE, cible=c, organisation=organisation.code)
        )
    if c not in gagnant.saisies:
        _exclure(gagnant, c, journal)
        return Motif.EXCLUE
    entree = journal[id(gagnant)]
    entree.cibles_retenues.append(c)
    rejete = max(plus_recents_rejetes, key=lambda r: r.modifie, default=None)
    if rejete is not None:
        entree.decisions.append(
            Decision(
                Motif.PLUS_RECENT_REJETE,
                c,
                fichiers=(nom[id(rejete)],),
                erreurs=_erreurs(rejete, c),
            )
        )
    retenues.append(
        Retenue(organisation, gagnant.saisies[c], entree.fichier, nom[id(rejete)] if rejete else "")
    )
    return None


def _conflit(
    organisation: Organisation,
    c: str,
    candidats: list[RapportFichier],
    nom: dict[int, str],
    journal: dict[int, EntreeJournal],
) -> None:
    """Chaque classeur du conflit le note, une fois. Peu nombreux, chacun nomme les autres ;
    au-delà de `CONFLITS_NOMMES`, chacun nomme le groupe : N versions coûtent O(N) en temps,
    en mémoire et en journal (5 000 versions : 452 Mo de journal quand chacune nommait les
    autres)."""
    noter = constat(DOUBLON_CONFLIT, cible=c, organisation=organisation.code)
    nombre = len(candidats)
    for r in candidats:
        autres = (
            tuple(nom[id(a)] for a in candidats if a is not r)
            if nombre - 1 <= CONFLITS_NOMMES
            else ()
        )
        journal[id(r)].decisions.append(
            Decision(
                Motif.CONFLIT, c, fichiers=autres, nombre=nombre, organisation=organisation.code
            )
        )
        journal[id(r)].constats.append(noter)


def _sans_copies(
    c: str, groupe: list[RapportFichier], journal: dict[int, EntreeJournal]
) -> list[RapportFichier]:
    """Les classeurs distincts ; une copie identique d'un autre (même SHA-256) est écartée."""
    gardes: dict[str, RapportFichier] = {}
    distincts = []
    for r in sorted(groupe, key=lambda r: journal[id(r)].fichier):
        original = gardes.get(r.sha256) if r.sha256 else None
        if original is None:
            gardes[r.sha256] = r
            distincts.append(r)
            continue
        journal[id(r)].decisions.append(
            Decision(Motif.COPIE, c, fichiers=(journal[id(original)].fichier,))
        )
    return distincts


def _exclure(r: RapportFichier, c: str, journal: dict[int, EntreeJournal]) -> None:
    journal[id(r)].decisions.append(Decision(Motif.EXCLUE, c, erreurs=_erreurs(r, c)))


def _plus_recent(r: RapportFichier, gagnant: RapportFichier) -> bool:
    """`r` est plus récent que le gagnant (sans date, il ne l'est pas)."""
    return r.modifie is not None and gagnant.modifie is not None and r.modifie > gagnant.modifie


def _departager(groupe: list[RapportFichier]) -> RapportFichier | None:
    """Le classeur le plus récemment modifié ; None si les dates ne départagent pas (en un
    passage)."""
    if len(groupe) == 1:
        return groupe[0]
    if any(r.modifie is None for r in groupe):
        return None
    plus_recent = max(groupe, key=lambda r: r.modifie)
    ex_aequo = sum(r.modifie == plus_recent.modifie for r in groupe)
    return plus_recent if ex_aequo == 1 else None


@dataclass
class RapportNonLu(RapportFichier):
    """Le rapport d'une entrée ni lue ni hachée (`decouverte.non_lu`) : sa raison, au journal."""

    motif: Motif = Motif.IGNORE
    raison: str = ""


def rapport_non_lu(chemin: Path, non_lu_: NonLu) -> RapportNonLu:
    """Le rapport d'une entrée qui n'est ni lue ni hachée : lien, fichier spécial, dossier."""
    if non_lu_.genre == "lien":
        code, motif, valeurs = LIEN_IGNORE, Motif.LIEN, {"raison": non_lu_.raison}
    elif non_lu_.genre == "special":
        code, motif, valeurs = FICHIER_SPECIAL, Motif.SPECIAL, {"nature": non_lu_.raison}
    else:
        code, motif, valeurs = FICHIER_IGNORE, Motif.IGNORE, {}
    return RapportNonLu(
        chemin,
        constats=[constat(code, fichier=chemin.name, **valeurs)],
        motif=motif,
        raison=non_lu_.raison,
    )


def collecter(
    dossier: Path,
    registre: list[Organisation] | None = None,
    periode: str | None = None,
    jobs: int = 1,
    exclure: Iterable[Path] = (),
    progres: Callable[[], None] | None = None,
    pendant: Callable[[], threading.Thread | None] | None = None,
    fichiers: list[Path] | None = None,
) -> Collecte:
    """Lit et valide chaque fichier du dossier (ou `fichiers`, déjà listés), puis retient."""
    if fichiers is None:
        fichiers = lister_fichiers([dossier], exclure)
    # Liens, fichiers spéciaux, dossiers cachés : jugés ici, sans rien ouvrir ; jamais confiés
    # aux processus de lecture. Chacun a sa ligne au journal.
    non_lus = {f: raison for f in fichiers if (raison := non_lu(f, dossier)) is not None}
    lus = iter(valider_tous([f for f in fichiers if f not in non_lus], jobs, progres, pendant))
    rapports = []
    for f in fichiers:
        if f in non_lus:
            rapports.append(rapport_non_lu(f, non_lus[f]))
            if progres:
                progres()
        else:
            rapports.append(next(lus))
    return retenir(dossier, rapports, registre, periode)


#: En deçà, démarrer des processus coûte plus cher que lire les fichiers un à un.
SEUIL_PARALLELE = 40
#: Fichiers confiés d'un coup à un processus : assez pour amortir l'envoi, assez peu pour
#: qu'une panne n'oblige à relire qu'un petit lot.
TAILLE_LOT = 25


def _valider_lot(chemins: list[Path]) -> list[RapportFichier]:
    from barometre_cli.validation.regles import valider_fichier

    return [
        _rapport_ignore(chemin) if ignore(chemin) else valider_fichier(chemin) for chemin in chemins
    ]


def _rapport_ignore(chemin: Path) -> RapportFichier:
    return RapportFichier(
        chemin,
        constats=[constat(FICHIER_IGNORE, fichier=chemin.name)],
    )


def rapport_interrompu(chemin: Path, detail: str) -> RapportFichier:
    """Le rapport d'un fichier dont la lecture a fait tomber un processus (mémoire, plantage)."""
    return RapportFichier(
        chemin,
        constats=[constat(LECTURE_INTERROMPUE, fichier=chemin.name, detail=detail)],
    )


def _en_parallele(
    fichiers: list[Path],
    jobs: int,
    avancer: Callable[[int], None],
    pendant: Callable[[], threading.Thread | None] | None = None,
) -> dict[Path, RapportFichier]:
    """Répartit les fichiers, par lots, sur `jobs` processus que la compilation contrôle.

    Un processus qui tombe (plantage natif, mémoire épuisée) n'arrête pas la lecture : son
    lot est relu un fichier à la fois, pour isoler le coupable et le rejeter au journal. Ctrl+C
    arrête tout sans attendre les lots en cours (voir `processus`).
    """
    import barometre_cli.validation.regles  # noqa: F401  (hérité tel quel par les processus « fork »)
    from barometre_cli.compilation.processus import repartir

    lots = [fichiers[i : i + TAILLE_LOT] for i in range(0, len(fichiers), TAILLE_LOT)]
    return repartir(lots, jobs, _valider_lot, rapport_interrompu, avancer, pendant)


def valider_tous(
    fichiers: list[Path],
    jobs: int = 1,
    progres: Callable[[], None] | None = None,
    pendant: Callable[[], threading.Thread | None] | None = None,
) -> list[RapportFichier]:
    """Valide chaque fichier et rend les rapports dans l'ordre donné.

    `jobs` > 1 répartit la lecture sur plusieurs processus (chaque fichier se lit seul : le
    travail se partage sans coordination). `pendant` est appelé une fois la lecture lancée :
    le processus principal, sinon inoccupé, peut s'en servir pour préparer la suite dans un
    fil, qu'il rend pour qu'on l'attende avant de créer un autre processus.
    """

    def avancer(n: int) -> None:
        if progres:
            for _ in range(n):
                progres()

    if jobs > 1 and len(fichiers) >= SEUIL_PARALLELE:
        rapports = _en_parallele(fichiers, jobs, avancer, pendant)
        return [rapports[f] for f in fichiers]
    resultats = []
    for rapport in map(_valider_lot, ([f] for f in fichiers)):
        resultats.extend(rapport)
        avancer(1)
    return resultats
