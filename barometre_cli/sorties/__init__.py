"""Les sorties de `compiler`, une par module, derrière une seule liste que la compilation parcourt.

Chaque écrivain reçoit la collecte, la consolidation et un dossier, et rend les chemins qu'il
a écrits. Ajouter une sortie, c'est écrire un module et l'inscrire dans `ECRIVAINS` (sa clé,
les noms qu'elle occupe, sa description, facultative ou non) : l'aide de `compiler`, la liste
des sorties du README (`regenerer`) et l'option `--avec` en sont tirées. Les écrivains
partagent leurs aides par `ecriture.classeur`, jamais par les noms privés d'un autre.

Les sorties forment un ensemble : `ecrire_sorties` les fait écrire dans un brouillon, puis les
publie d'un coup (voir `ecriture.ensemble`). Après une compilation, le dossier contient toutes
les nouvelles sorties, ou les précédentes intactes ; jamais un mélange.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation.collecte import Collecte
    from barometre_cli.compilation.consolidation import Consolidation


@dataclass(frozen=True)
class Ecrivain:
    """Une sortie de `compiler`, déclarée comme une donnée.

    `cle` la nomme pour `--avec` et les scripts ; `noms` sont les fichiers ou dossiers qu'elle
    occupe dans le dossier de sortie ; `description` est la phrase que l'aide de `compiler` et
    la liste des sorties du README en donnent. Une sortie `facultative` n'est écrite que sur
    demande (`--avec CLE`, ou l'`option` qui lui est propre) ; `module_requis` nomme le module
    Python sans lequel elle ne peut pas s'écrire (la demande est alors refusée en le disant).
    """

    cle: str
    ecrire: Callable[[Collecte, Consolidation, Path], list[Path]]
    noms: tuple[str, ...]
    description: str
    facultative: bool = False
    option: str = ""
    module_requis: str = ""

    def puce(self) -> list[str]:
        """La puce Markdown de la liste des sorties du README (largeur 100)."""
        import textwrap

        noms = ", ".join(f"`{n}`" if "." in n else f"`{n}/`" for n in self.noms)
        demande = (
            f" Sur demande : `{self.option or '--avec ' + self.cle}`." if self.facultative else ""
        )
        return textwrap.wrap(
            f"- {noms} : {self.description}{demande}",
            width=100,
            subsequent_indent="  ",
            break_on_hyphens=False,
        )


def _sommaire(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.xlsx import ecrire_classeur

    return [ecrire_classeur(collecte, conso, dossier / "sommaire.xlsx")]


def _donnees_ouvertes(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.csv_ouvert import ecrire_csv

    return ecrire_csv(
        conso.resultats, dossier, collecte.periode, registre_fourni=collecte.registre_fourni
    )


def _resultats_xlsx(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.resultats_xlsx import ecrire_resultats_xlsx

    return [ecrire_resultats_xlsx(conso.resultats, dossier, collecte.periode)]


def _journal(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.journal_csv import ecrire_journal

    return [ecrire_journal(collecte, dossier)]


def _page(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.html import NOM_FICHIER, ecrire_html

    return [ecrire_html(collecte, conso, dossier / NOM_FICHIER)]


def _relances(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.relances_csv import ecrire_relances

    return [ecrire_relances(conso.relances, dossier)]


def _historique(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    from barometre_cli.sorties.organisations_csv import ecrire_historique

    return [ecrire_historique(conso.organisations, dossier, collecte.periode)]


def _fiches(collecte: Collecte, conso: Consolidation, dossier: Path) -> list[Path]:
    """Les fiches vont dans `fiches/` ; seul ce dossier figure dans la liste des sorties."""
    from barometre_cli.sorties.fiches import ecrire_fiches

    ecrire_fiches(collecte, conso, dossier / "fiches")
    return [dossier / "fiches"]


ECRIVAINS: tuple[Ecrivain, ...] = (
    Ecrivain(
        "sommaire",
        _sommaire,
        ("sommaire.xlsx",),
        "le classeur des analystes : feuilles Sommaire (résultat, valeur visée, taux "
        "d'atteinte, numérateur, dénominateur, organisations retenues et ciblées, graphique), "
        "Par réseau, Par organisation, une feuille de détail par cible qui en a une (services, "
        "processus, jeux de données), Non-répondants (aucun fichier reçu ; dessous, les "
        "organisations à corriger : fichiers reçus, aucune cible retenue), Relances (les lignes "
        "de relances.csv), À vérifier (les éléments que l'analyste regarde avant de publier ; "
        "aucun chiffre n'en est changé), Rétroaction et Journal (chaque fichier : retenu, écarté "
        "ou rejeté, avec ses raisons, son organisation, ses cibles et son empreinte SHA-256). "
        "Chaque feuille s'imprime telle quelle : une page de large (les plus larges sur quelques "
        "pages, code et nom répétés sur chacune), en-tête répété, pied de page avec la collecte "
        "et le numéro de page (docs/impression.md).",
    ),
    Ecrivain(
        "donnees-ouvertes",
        _donnees_ouvertes,
        ("resultats.csv", "datapackage.json"),
        "le fichier de données ouvertes (UTF-8, virgule, une ligne par cible et par portée ; "
        "proportions en décimales de 0 à 1, vide si indéterminé ; la dernière colonne, "
        "`periode`, donne l'année de la collecte) et sa description Frictionless, prête pour "
        "Données Québec. Un tableur réglé en français l'ouvre mal (« 0.6299 » y reste du texte) : "
        "les mêmes chiffres sont en vrais nombres dans `resultats.xlsx` et dans le sommaire.",
    ),
    Ecrivain(
        "resultats-xlsx",
        _resultats_xlsx,
        ("resultats.xlsx",),
        "la table de `resultats.csv` dans un classeur, à ouvrir dans Excel ou Calc en français "
        "sans rien régler : mêmes colonnes, mêmes lignes, chaque nombre en vrai nombre "
        "(proportions au format pourcentage, toute leur précision gardée), la cible en texte.",
    ),
    Ecrivain(
        "journal",
        _journal,
        ("journal.csv",),
        "le journal de chaque fichier en CSV (écrit même quand rien n'a pu être compilé), prêt "
        "à filtrer ou à transmettre aux organisations concernées.",
    ),
    Ecrivain(
        "relances",
        _relances,
        ("relances.csv",),
        "qui doit encore quoi, et à qui écrire : une ligne par organisation ciblée qui doit au "
        "moins une cible (non reçue, exclue pour une erreur, mise de côté pour un conflit entre "
        "classeurs), avec la personne à joindre (celle du registre, sinon la personne "
        "répondante de son classeur le plus récent), l'appel du courriel et le détail en "
        "phrases, celles que `valider` affiche, avec fichier, feuille et cellule (aucun code "
        "interne : les codes ont leur colonne) ; UTF-8 avec BOM, prêt pour un publipostage. La "
        "console le résume en une ligne (« À relancer : … »).",
    ),
    Ecrivain(
        "organisations",
        _historique,
        ("organisations.csv",),
        "les résultats de chaque organisation (une ligne par organisation et cible retenue : "
        "numérateur, dénominateur, résultat, condition respectée), que la collecte suivante "
        "relit avec `--precedent`. Fichier de travail, pas une donnée ouverte.",
    ),
    Ecrivain(
        "page",
        _page,
        ("barometre.html",),
        "le baromètre visuel, une page autonome (aucune ressource externe : elle s'ouvre hors "
        "ligne ou depuis un courriel) et accessible (WCAG 2.1 AA, vérifiée par axe-core dans "
        "Chromium) : les cibles groupées par orientation et ambition, avec leur effet "
        "recherché, le résultat, la valeur visée, le taux d'atteinte en barre et en chiffres, "
        "la couverture des réponses et une vue par réseau.",
    ),
    Ecrivain(
        "fiches",
        _fiches,
        ("fiches",),
        "une fiche de résultats par organisation (son résultat par cible contre la valeur "
        "visée, le résultat gouvernemental et celui de son réseau, ce qu'il lui reste à "
        "transmettre ou à corriger, ses fichiers avec leur statut et leurs constats) : ce que "
        "chaque organisation reçoit après la collecte.",
        facultative=True,
        option="--fiches",
    ),
)


def facultatives() -> list[Ecrivain]:
    return [e for e in ECRIVAINS if e.facultative]


def demandees(avec: Collection[str] = ()) -> list[Ecrivain]:
    """Les sorties à écrire : toutes les obligatoires, et les facultatives demandées.

    Une clé inconnue, ou une sortie dont le module requis manque, est refusée en le disant.
    """
    from importlib.util import find_spec

    from barometre_cli.domaine.erreurs import BarometreErreur

    cles = {e.cle: e for e in facultatives()}
    inconnues = [c for c in avec if c not in cles]
    if inconnues:
        permises = ", ".join(cles) or "aucune"
        raise BarometreErreur(
            f"sortie facultative inconnue : {', '.join(inconnues)}. Sorties facultatives : "
            f"{permises}."
        )
    for cle in avec:
        module = cles[cle].module_requis
        if module and find_spec(module) is None:
            raise BarometreErreur(
                f"la sortie « {cle} » demande le module Python « {module} », absent de cette "
                f"installation : installez-le (python -m pip install {module}) ou retirez "
                f"--avec {cle}."
            )
    return [e for e in ECRIVAINS if not e.facultative or e.cle in avec]


def noms_sorties(avec: Collection[str] = ()) -> list[str]:
    """Les fichiers et dossiers qu'une compilation remplacera dans le dossier de sortie."""
    return [nom for ecrivain in demandees(avec) for nom in ecrivain.noms]


def aide_sorties() -> str:
    """Ce que `compiler --help` dit des sorties, tiré de la liste."""
    obligatoires = ", ".join(" et ".join(e.noms) for e in ECRIVAINS if not e.facultative)
    texte = f"Écrit dans le dossier de sortie : {obligatoires}."
    for e in facultatives():
        texte += f" Avec {e.option or '--avec ' + e.cle} : {', '.join(e.noms)}."
    return texte


def ecrire_sorties(
    collecte: Collecte, conso: Consolidation, dossier: Path, avec: Collection[str] = ()
) -> list[Path]:
    """Écrit chaque sortie demandée de `ECRIVAINS`, en un ensemble.

    Toutes sont écrites dans un brouillon, puis publiées d'un coup ; si l'une échoue, ou si
    une sortie existante ne peut pas être remplacée (ouverte dans Excel, lecture seule), le
    dossier reste tel quel (`OSError` ou `BarometreErreur`). Rend les chemins définitifs.
    """
    from barometre_cli.ecriture.ensemble import ecrire_ensemble

    ecrivains = demandees(avec)

    def ecrire(brouillon: Path) -> list[Path]:
        ecrits: list[Path] = []
        for ecrivain in ecrivains:
            ecrits.extend(ecrivain.ecrire(collecte, conso, brouillon))
        return ecrits

    return ecrire_ensemble(dossier, ecrire, "la compilation")
