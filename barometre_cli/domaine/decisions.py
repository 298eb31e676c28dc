"""Les décisions de la compilation, comme des données : un code, et de quoi l'expliquer.

Le sort d'un fichier (retenu, écarté, rejeté) se déduit de ses décisions, jamais du texte de
ses raisons ; les phrases françaises ne sont écrites qu'à l'affichage (`texte`), une seule
fois pour toutes les sorties (console, journal CSV, classeur, JSON, fiches).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Statut(StrEnum):
    RETENU = "retenu"
    ECARTE = "écarté"
    REJETE = "rejeté"


class Motif(StrEnum):
    """Pourquoi un fichier, ou une cible d'un fichier, n'est pas retenu."""

    IGNORE = "fichier-ignore"  # fichier caché ou verrou d'Office, dossier caché ou exclu
    LIEN = "lien-ignore"  # lien jamais suivi (hors du dossier, vers un dossier, brisé)
    SPECIAL = "fichier-special"  # tube nommé, prise, périphérique : jamais ouvert
    INUTILISABLE = "fichier-inutilisable"  # erreur de lecture, de gabarit ou d'identification
    PERIODE = "periode-exclue"  # autre année que celle de la compilation
    HORS_REGISTRE = "organisation-hors-registre"
    REMPLACE = "doublon-remplace"  # un classeur plus récent de la même organisation l'emporte
    CONFLIT = "doublon-conflit"  # plusieurs classeurs sans date qui les départage
    EXCLUE = "cible-exclue"  # erreurs dans les saisies de cette cible
    COPIE = "copie-identique"  # mêmes octets qu'un autre fichier (« Copie de … »)
    #: note sur un fichier retenu : un classeur plus récent de la même organisation et de la
    #: même cible a été rejeté, c'est donc ce classeur valide, plus ancien, qui compte
    PLUS_RECENT_REJETE = "plus-recent-rejete"

    @property
    def rejette(self) -> bool:
        """Le fichier est rejeté (à corriger) plutôt qu'écarté (rien à corriger en lui)."""
        return self in (Motif.INUTILISABLE, Motif.EXCLUE)


@dataclass(frozen=True)
class Decision:
    """Une décision sur un fichier ; `cible` quand elle ne touche qu'une cible."""

    motif: Motif
    cible: str | None = None
    #: les autres fichiers en cause (le classeur retenu à sa place, ceux en conflit quand ils
    #: sont peu nombreux : voir `CONFLITS_NOMMES`)
    fichiers: tuple[str, ...] = ()
    #: conflit : le nombre de classeurs du groupe (celui-ci compris)
    nombre: int = 0
    #: entrée non lue : pourquoi, en quelques mots (lien, fichier spécial, dossier caché)
    detail: str = ""
    #: (code, cellule) des erreurs en cause, dans l'ordre du rapport
    erreurs: tuple[tuple[str, str], ...] = ()
    #: période du fichier et de la compilation ; organisation hors registre ou en conflit
    periode: str = ""
    periode_compilation: str = ""
    organisation: str = ""


#: Nombre d'erreurs citées dans une raison ; les autres sont comptées (« (+2) »).
ERREURS_CITEES = 3
#: Au-delà de ce nombre d'autres classeurs en conflit, la raison de chacun nomme le groupe
#: (organisation, cible, nombre de classeurs) plutôt que chaque autre fichier : N versions en
#: conflit font N lignes de journal de taille fixe, pas N lignes de N noms.
CONFLITS_NOMMES = 2


def _erreurs(decision: Decision, codes: bool = True) -> str:
    """Les erreurs en cause : leurs codes et cellules pour l'analyste ; sans code, leur nombre
    et leurs cellules, pour l'organisation (ses constats disent le reste)."""
    if not codes:
        n = len(decision.erreurs)
        cellules = [cellule for _, cellule in decision.erreurs[:ERREURS_CITEES] if cellule]
        quoi = "une erreur à corriger" if n == 1 else f"{n} erreurs à corriger"
        if n > len(cellules) and cellules:
            cellules.append("…")
        return quoi + (f" ({', '.join(cellules)})" if cellules else "")
    citees = decision.erreurs[:ERREURS_CITEES]
    texte = " ; ".join(f"{code}{' ' + cellule if cellule else ''}" for code, cellule in citees)
    reste = len(decision.erreurs) - len(citees)
    return texte + (f" (+{reste})" if reste > 0 else "")


def texte(decision: Decision, codes: bool = True) -> str:
    """La raison en français, telle que le journal et la console la montrent ; `codes=False` :
    sans code interne, telle que l'organisation la lit dans sa fiche."""
    m, c = decision.motif, decision.cible
    if m is Motif.IGNORE:
        return decision.detail or "fichier caché ou de verrou d'Office : ignoré"
    if m is Motif.LIEN:
        return f"lien ignoré : {decision.detail}"
    if m is Motif.SPECIAL:
        return f"fichier spécial, {decision.detail} : jamais ouvert"
    if m is Motif.INUTILISABLE:
        return f"fichier inutilisable : {_erreurs(decision, codes)}"
    if m is Motif.PERIODE:
        return (
            f"période {decision.periode or 'absente'} : la compilation porte sur "
            f"{decision.periode_compilation}"
        )
    if m is Motif.HORS_REGISTRE:
        return (
            f"organisation « {decision.organisation} » absente du registre des organisations "
            "ciblées"
        )
    if m is Motif.REMPLACE:
        return f"cible {c} : remplacé par le classeur plus récent {decision.fichiers[0]}"
    if m is Motif.COPIE:
        return f"cible {c} : copie identique de {decision.fichiers[0]} (mêmes octets), écartée"
    if m is Motif.PLUS_RECENT_REJETE:
        return (
            f"cible {c} : retenu, car le classeur plus récent {decision.fichiers[0]} a été rejeté "
            f"({_erreurs(decision, codes)})"
        )
    if m is Motif.CONFLIT:
        if not decision.fichiers:  # un grand groupe : nommé une fois, sans ses membres
            return (
                f"cible {c} : conflit entre {decision.nombre} classeurs de l'organisation "
                f"« {decision.organisation} » (dates de modification égales ou absentes)"
            )
        return (
            f"cible {c} : conflit avec {', '.join(decision.fichiers)} (même organisation, dates "
            "de modification égales ou absentes)"
        )
    return f"cible {c} exclue : {_erreurs(decision, codes)}"


#: Pourquoi une cible manque pour une organisation ciblée, en quelques mots.
ABSENCES = {
    Motif.CONFLIT: "conflit entre plusieurs classeurs",
    Motif.EXCLUE: "erreurs dans les saisies",
}
NON_RECUE = "non reçue"


def texte_absence(motif: Motif | None) -> str:
    """« non reçue », ou « exclue (erreurs dans les saisies) »."""
    return NON_RECUE if motif is None else f"exclue ({ABSENCES[motif]})"
