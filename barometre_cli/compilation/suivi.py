"""Le suivi de la collecte : pour chaque organisation ciblée, ce qu'elle doit encore, et à qui écrire.

Pendant une collecte, le travail quotidien des analystes est la relance : qui n'a pas envoyé
quelle cible, quelle cible a été exclue pour une erreur (et laquelle, à quelle cellule), quels
classeurs sont en conflit. Ce module le calcule comme des données (un code par cible à suivre,
les fichiers et les erreurs en cause) à partir de la collecte ; les sorties (relances.csv,
feuille Relances, fiches, console, JSON) n'écrivent les mots qu'à l'affichage, par `phrases`,
`texte` et `details`, une seule fois pour toutes.

Ces mots partent chez les organisations (publipostage, fiches) : ils ne montrent aucun code
interne. Une erreur y est dite par la phrase même que `barometre valider` affiche, avec son
fichier, sa feuille et sa cellule ; les codes restent dans les données (`code`, colonne `codes`
de relances.csv, JSON) pour les scripts.

La personne à joindre est celle du registre (colonnes `contact_nom`, `contact_courriel`) ;
à défaut d'adresse au registre, la personne répondante nommée dans le classeur le plus récent
de l'organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

from barometre_cli.catalogue import cibles
from barometre_cli.compilation.collecte import Collecte, EntreeJournal
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.decisions import ERREURS_CITEES, Motif
from barometre_cli.domaine.formats import en_lettres, enumerer
from barometre_cli.domaine.registre import Organisation, cle_code, courriel_plausible

#: Code d'une cible qu'aucun classeur n'apporte (les autres codes sont ceux de `Motif`).
NON_RECUE = "cible-non-recue"
#: D'où vient la personne à joindre.
SOURCE_REGISTRE, SOURCE_CLASSEUR = "registre", "classeur"

_SANS_DATE = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ErreurCitee:
    """Une erreur qui exclut une cible, là où la corriger, et la phrase de `valider` qui la dit."""

    code: str
    feuille: str
    cellule: str
    message: str = ""
    fichier: str = ""


@dataclass(frozen=True)
class CibleASuivre:
    """Une cible qu'une organisation ciblée doit encore : pourquoi, et les fichiers en cause.

    `motif` : `Motif.EXCLUE` (erreurs dans le classeur retenu), `Motif.CONFLIT` (plusieurs
    classeurs sans date qui les départage), `Motif.PERIODE` (reçue seulement pour une autre
    période), `Motif.HORS_REGISTRE` (reçue sous un code que le registre ne connaît pas),
    `Motif.INUTILISABLE` (reçue dans un fichier qui n'a pas pu être utilisé) ou None (non
    reçue).
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
class FichierInutilisable:
    """Un fichier de l'organisation qui n'a pu servir à aucune cible (ni lu, ni reconnu)."""

    fichier: str
    erreurs: tuple[ErreurCitee, ...] = ()


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
    #: ses fichiers inutilisables qui ne disent pas quelle cible ils portaient
    inutilisables: tuple[FichierInutilisable, ...] = ()

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


def _erreurs(entree: EntreeJournal, id_cible: str | None = None) -> tuple[ErreurCitee, ...]:
    """Les erreurs du fichier (qui touchent la cible, si elle est donnée), dans l'ordre du
    rapport."""
    return tuple(
        ErreurCitee(c.code, c.feuille, c.cellule, c.message, entree.fichier)
        for c in entree.constats
        if c.severite is Severite.ERREUR and (id_cible is None or c.cible == id_cible)
    )


def _inutilisable(entree: EntreeJournal) -> bool:
    return any(d.motif is Motif.INUTILISABLE for d in entree.decisions)


def _a_suivre(id_cible: str, motif: Motif | None, entrees: list[EntreeJournal]) -> CibleASuivre:
    """Le détail d'une cible manquante, d'après les décisions du journal sur ses fichiers."""
    if motif in (Motif.EXCLUE, Motif.CONFLIT):
        en_cause = [
            e for e in entrees if any(d.motif is motif and d.cible == id_cible for d in e.decisions)
        ]
        fichiers = tuple(sorted(e.fichier for e in en_cause))
        if motif is Motif.CONFLIT:
            return CibleASuivre(id_cible, motif, fichiers)
        en_cause.sort(key=lambda e: e.fichier)
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
    illisibles = sorted(
        (e for e in entrees if id_cible in e.cibles and _inutilisable(e)), key=lambda e: e.fichier
    )
    if illisibles:
        return CibleASuivre(
            id_cible,
            Motif.INUTILISABLE,
            tuple(e.fichier for e in illisibles),
            tuple(err for e in illisibles for err in _erreurs(e)),
        )
    return CibleASuivre(id_cible)


def relances(collecte: Collecte) -> list[Relance]:
    """Les organisations ciblées qui doivent encore au moins une cible, dans l'ordre du registre.

    Une cible est due quand aucune donnée de l'organisation n'est retenue pour elle : non reçue,
    exclue pour des erreurs, écartée pour un conflit entre classeurs, reçue seulement pour
    une autre période ou dans un fichier inutilisable. Une organisation à jour n'y figure pas.
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
        inutilisables = tuple(
            FichierInutilisable(e.fichier, _erreurs(e))
            for e in sorted(entrees, key=lambda e: e.fichier)
            if _inutilisable(e) and not e.cibles
        )
        nom, courriel, source = _contact(org, entrees)
        sortie.append(
            Relance(org, dues, nom, courriel, source, not entrees, collecte.periode, inutilisables)
        )
    return sortie


def nombre_cibles(suivi: list[Relance]) -> int:
    return sum(len(r.cibles) for r in suivi)


# --- Les mots, écrits une seule fois pour toutes les sorties ---------------------------------
# Ils partent chez les organisations : aucun code interne, les phrases mêmes de `valider`.


def _noms(fichiers: tuple[str, ...]) -> list[str]:
    """Les fichiers sous le nom que l'organisation leur a donné ; le chemin du dossier de
    l'analyste seulement quand deux fichiers cités portent le même nom."""
    noms = [PurePath(f).name or f for f in fichiers]
    if len(set(noms)) < len(noms):
        return list(fichiers)
    return noms


def _fichiers(fichiers: tuple[str, ...]) -> str:
    return enumerer(_noms(fichiers))


def _lieu(erreur: ErreurCitee) -> str:
    """« feuille Saisie, cellule C13 » ; rien quand l'erreur touche tout le fichier."""
    morceaux = []
    if erreur.feuille:
        morceaux.append(f"feuille {erreur.feuille}")
    if erreur.cellule:
        morceaux.append(f"cellule {erreur.cellule}")
    return ", ".join(morceaux)


def _phrase_erreur(erreur: ErreurCitee) -> str:
    lieu = _lieu(erreur)
    message = erreur.message or "erreur à corriger."
    return f"{lieu[:1].upper()}{lieu[1:]} : {message}" if lieu else message


def _erreurs_texte(erreurs: tuple[ErreurCitee, ...]) -> str:
    """Les premières erreurs, chacune avec son lieu et sa phrase ; les autres comptées."""
    citees = erreurs[:ERREURS_CITEES]
    texte = " ".join(_phrase_erreur(e) for e in citees)
    reste = len(erreurs) - len(citees)
    if reste > 0:
        autres = "une autre erreur" if reste == 1 else f"{reste} autres erreurs"
        texte += (
            f" Et {autres}, que la vérification du classeur montre avec leur feuille et leur "
            "cellule."
        )
    return texte


def _nombre_erreurs(n: int) -> str:
    return "une erreur" if n == 1 else f"{n} erreurs"


def texte(a: CibleASuivre) -> str:
    """Une cible due, en français, pour l'organisation : « Cible 1.2 : exclue, une erreur à
    corriger dans X.xlsx. Feuille Saisie, cellule C13 : <la phrase de valider> »."""
    cible = f"Cible {a.cible}"
    if a.motif is Motif.EXCLUE:
        dans = f" dans {_fichiers(a.fichiers)}" if a.fichiers else ""
        if not a.erreurs:
            return f"{cible} : exclue, des erreurs sont à corriger{dans}."
        quoi = _nombre_erreurs(len(a.erreurs))
        return f"{cible} : exclue, {quoi} à corriger{dans}. {_erreurs_texte(a.erreurs)}"
    if a.motif is Motif.CONFLIT:
        return (
            f"{cible} : mise de côté, car plusieurs classeurs ont été reçus ({_fichiers(a.fichiers)}) "
            "sans date de modification qui permette de retenir le plus récent. Renvoyez une "
            "seule version."
        )
    if a.motif is Motif.PERIODE:
        connues = [p for p in a.periodes if p != "absente"]
        porte = (
            f"porte sur la période {enumerer(connues)}"
            if connues
            else "ne précise pas la période de la collecte"
        )
        return (
            f"{cible} : non reçue pour cette collecte ; le classeur reçu ({_fichiers(a.fichiers)}) "
            f"{porte}. Transmettez le classeur de cette collecte."
        )
    if a.motif is Motif.HORS_REGISTRE:
        codes = enumerer([f"« {c} »" for c in a.codes])
        return (
            f"{cible} : non reçue sous le code de votre organisation ; le classeur reçu "
            f"({_fichiers(a.fichiers)}) porte le code {codes}, que le registre des organisations "
            "ciblées ne connaît pas. Inscrivez le code de votre organisation dans le classeur "
            "et renvoyez-le."
        )
    if a.motif is Motif.INUTILISABLE:
        suite = f" {_erreurs_texte(a.erreurs)}" if a.erreurs else ""
        return (
            f"{cible} : le fichier reçu ({_fichiers(a.fichiers)}) n'a pas pu être utilisé.{suite}"
        )
    return f"{cible} : non reçue."


def _texte_inutilisable(f: FichierInutilisable) -> str:
    suite = f" {_erreurs_texte(f.erreurs)}" if f.erreurs else ""
    return f"Le fichier {_fichiers((f.fichier,))} n'a pas pu être utilisé.{suite}"


def cibles_dues(relance: Relance) -> str:
    """Les cibles dues, dans une phrase : « la cible 1.2 », « les cibles 1.2 et 5.1 », « les
    dix cibles »."""
    ids = relance.ids
    if len(ids) == 1:
        return f"la cible {ids[0]}"
    if len(ids) == len(cibles()):
        return f"les {en_lettres(len(ids))} cibles"
    return f"les cibles {enumerer(ids)}"


def salutation(relance: Relance) -> str:
    """L'appel du courriel : « Bonjour Sophie Bouchard, », ou « Bonjour, » sans nom connu."""
    nom = " ".join(relance.contact_nom.split())
    return f"Bonjour {nom}," if nom else "Bonjour,"


def phrases(relance: Relance) -> list[str]:
    """Ce que l'organisation doit, une phrase par point : d'abord ce qui est à corriger, cible
    par cible, puis, en une phrase, les cibles qui ne sont pas arrivées."""
    if relance.aucun_fichier:
        ids = relance.ids
        toutes = len(ids) == len(cibles())
        quoi = f"les {en_lettres(len(ids))} cibles" if toutes else f"les cibles {enumerer(ids)}"
        return [f"Aucun classeur reçu : {quoi} sont à transmettre ({enumerer(ids)})."]
    sortie = [_texte_inutilisable(f) for f in relance.inutilisables]
    sortie += [texte(a) for a in relance.cibles if a.motif is not None]
    non_recues = [a.cible for a in relance.cibles if a.motif is None]
    if len(non_recues) == 1:
        sortie.append(f"Cible {non_recues[0]} : non reçue, à transmettre.")
    elif non_recues:
        sortie.append(f"Cibles {enumerer(non_recues)} : non reçues, à transmettre.")
    return sortie


def details(relance: Relance, separateur: str = " ") -> str:
    """Tout ce que l'organisation doit, en un texte (une cellule de publipostage)."""
    return separateur.join(phrases(relance))


def codes(relance: Relance) -> str:
    """Les codes de chaque cible due, pour les scripts : « 1.2 cible-exclue :
    numerateur-superieur (Saisie!C13) | 1.3 cible-non-recue »."""
    morceaux = []
    for a in relance.cibles:
        erreurs = ", ".join(
            f"{e.code} ({e.feuille}!{e.cellule})" if e.cellule else e.code for e in a.erreurs
        )
        morceaux.append(f"{a.cible} {a.code}" + (f" : {erreurs}" if erreurs else ""))
    for f in relance.inutilisables:
        erreurs = ", ".join(e.code for e in f.erreurs)
        morceaux.append(f"{Motif.INUTILISABLE.value}" + (f" : {erreurs}" if erreurs else ""))
    return " | ".join(morceaux)
