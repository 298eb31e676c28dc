"""Les trois opérations de l'outil, une fonction chacune : ce que la CLI affiche, un carnet
(notebook) ou un script peut l'appeler directement.

    from barometre_cli.commandes import compiler
    compilation = compiler(Path("exemples/classeurs"), registre=Path("exemples/registre.csv"))
    compilation.conso.resultats  # DataFrame : une ligne par cible et portée

Chaque fonction rend un enregistrement typé et lève `BarometreErreur` (une phrase en
français) seulement quand elle ne peut pas s'exécuter : option invalide, fichier introuvable,
registre illisible, sortie verrouillée. Un mauvais classeur n'est jamais une exception : c'est
un constat. Ctrl+C ou SIGTERM pendant une opération lèvent `interruption.Interrompu`, dont la
phrase dit ce qui reste intact.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from barometre_cli.catalogue import Cible, cible, cibles, ids_cibles
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.domaine.registre import Organisation

if TYPE_CHECKING:  # pandas ne doit pas se charger pour `valider`
    from barometre_cli.compilation.collecte import Collecte
    from barometre_cli.compilation.consolidation import Consolidation
    from barometre_cli.validateur.site import Site
    from barometre_cli.validation.rapport import RapportFichier


def choisir_cibles(ids: list[str] | None) -> list[Cible]:
    """Les cibles demandées (toutes par défaut), sans doublon ; une cible inconnue est refusée."""
    if not ids:
        return list(cibles())
    inconnues = [i for i in ids if i not in ids_cibles()]
    if inconnues:
        raise BarometreErreur(
            f"cible inconnue : {', '.join(inconnues)}. Cibles permises : {', '.join(ids_cibles())}."
        )
    return [cible(i) for i in dict.fromkeys(ids)]


def verifier_periode(periode: str | None) -> str:
    """L'année sur quatre chiffres, de 2019 à 2100 ; "" quand elle n'est pas donnée."""
    if periode is None:
        return ""
    periode = periode.strip()
    if not (len(periode) == 4 and periode.isdigit() and 2019 <= int(periode) <= 2100):
        raise BarometreErreur(
            f"période « {periode} » invalide : inscrivez une année sur quatre chiffres, "
            "par exemple 2026."
        )
    return periode


# --- gabarit ---------------------------------------------------------------------------------


@dataclass
class Gabarits:
    """Les gabarits écrits : pour quelles cibles et quelles organisations."""

    cibles: list[Cible]
    organisations: list[Organisation] | None
    ecrits: list[Path]
    #: ce qu'une opération tuée avait laissé dans la sortie, repris avant tout (`ensemble`)
    avis: list[str] = field(default_factory=list)


def _reprendre(sortie: Path, operation: str, signaler: Callable[[str], None] | None) -> list[str]:
    """Sous le verrou, avant toute chose : ce qu'une opération tuée a laissé dans la sortie
    est défait ou effacé ; chaque avis est signalé tout de suite (il doit se lire même si la
    suite échoue) et rendu."""
    from barometre_cli.ecriture.ensemble import reprendre

    avis = reprendre(sortie, operation) if sortie.exists() else []
    for texte in avis:
        if signaler is not None:
            signaler(texte)
    return avis


def produire_gabarits(
    sortie: Path,
    *,
    cibles_demandees: list[str] | None = None,
    periode: str | None = None,
    registre: Path | None = None,
    organisation: str | None = None,
    nom: str | None = None,
    validateur: str | None = None,
    signaler: Callable[[str], None] | None = None,
) -> Gabarits:
    """Écrit les gabarits vierges, ou préremplis pour les organisations du registre ou pour une.

    `validateur` : l'adresse de la page Web qui vérifie un classeur, nommée dans les
    instructions (par défaut, `catalogue.modele.ADRESSE_VALIDATEUR`). `signaler` reçoit
    chaque avis de reprise (une production précédente tuée en pleine publication).
    """
    from barometre_cli.catalogue.modele import adresse_validateur
    from barometre_cli.domaine.registre import cle_code, lire_registre, nom_dossier, verifier_chemin
    from barometre_cli.gabarit.classeur import generer_gabarits

    choisies = choisir_cibles(cibles_demandees)
    annee = verifier_periode(periode)
    organisations = None
    if registre is not None:
        organisations = lire_registre(registre)
        if organisation is not None:
            organisations = [o for o in organisations if cle_code(o.code) == cle_code(organisation)]
            if not organisations:
                raise BarometreErreur(
                    f"l'organisation « {organisation} » n'est pas dans le registre « {registre} »."
                )
    elif organisation is not None:
        if not organisation.strip():
            raise BarometreErreur("le code d'organisation est vide.")
        organisations = [Organisation(organisation.strip(), (nom or "").strip())]
    if validateur is not None and not re.fullmatch(r"https?://[^\s\"<>]+", validateur.strip()):
        raise BarometreErreur(
            f"adresse du validateur « {validateur} » invalide : donnez l'adresse complète de "
            "la page, par exemple https://www.quebec.ca/barometre-verifier."
        )
    from barometre_cli.ecriture.interruption import interruptible
    from barometre_cli.ecriture.verrou import verrouiller
    from barometre_cli.gabarit.classeur import nom_fichier

    for destinataire in organisations or []:
        for c in choisies:
            chemin = sortie / nom_dossier(destinataire) / nom_fichier(c, annee, destinataire)
            verifier_chemin(destinataire, chemin)
    # Écrits dans un brouillon puis publiés d'un coup : tous les gabarits, ou aucun changé.
    operation = "la production des gabarits"
    with interruptible(
        "Production des gabarits", f"aucun fichier de « {sortie} » n'a été modifié."
    ):
        try:
            with verrouiller(sortie, operation):
                avis = _reprendre(sortie, operation, signaler)
                with adresse_validateur(validateur.strip() if validateur else None):
                    ecrits = generer_gabarits(choisies, sortie, annee, organisations)
        except OSError as exc:
            raise BarometreErreur(
                f"impossible d'écrire dans « {sortie} » : {raison_systeme(exc)}. Rien n'a été "
                "modifié."
            ) from None
    return Gabarits(choisies, organisations, ecrits, avis)


# --- valider ---------------------------------------------------------------------------------


@dataclass
class Validation:
    """Les rapports des fichiers vérifiés, et ce que --annoter a pu écrire ou non."""

    rapports: list[RapportFichier]
    #: fichier → copie annotée écrite
    copies: dict[Path, Path] = field(default_factory=dict)
    #: fichier → pourquoi la copie annotée n'a pas pu être écrite
    echecs_copie: dict[Path, str] = field(default_factory=dict)

    @property
    def valide(self) -> bool:
        return all(r.valide for r in self.rapports)


def valider(
    chemins: list[Path],
    *,
    cible_attendue: str | None = None,
    annoter: bool = False,
    progres: Callable[[int], Callable[[], None]] | None = None,
) -> Validation:
    """Vérifie chaque classeur (un dossier est parcouru) ; --annoter écrit les copies annotées."""
    from barometre_cli.ecriture.interruption import interruptible
    from barometre_cli.lecture import verifier_defusedxml
    from barometre_cli.lecture.decouverte import lister_fichiers
    from barometre_cli.lecture.xml import verifier_moteur
    from barometre_cli.validation.regles import valider_fichier

    if cible_attendue is not None:
        choisir_cibles([cible_attendue])
    absents = [c for c in chemins if not c.exists()]
    if absents:
        raise BarometreErreur(f"fichier introuvable : « {absents[0]} ».")
    fichiers = lister_fichiers(chemins, classeurs_seulement=True)
    if not fichiers:
        raise BarometreErreur("aucun classeur (.xlsx ou .ods) trouvé dans les chemins donnés.")
    verifier_defusedxml()
    verifier_moteur()
    avancer = progres(len(fichiers)) if progres else None
    bilan = "aucun classeur n'a été modifié" + (
        " ; chaque copie annotée déjà écrite est complète, aucune n'est restée à moitié écrite."
        if annoter
        else "."
    )
    with interruptible("Vérification", bilan):
        rapports = []
        for chemin in fichiers:
            rapports.append(valider_fichier(chemin, cible_attendue))
            if avancer:
                avancer()
        validation = Validation(rapports)
        if annoter:
            _annoter(validation)
    return validation


def _annoter(validation: Validation) -> None:
    """Une copie annotée par fichier à constats ; un échec d'écriture n'efface pas le rapport."""
    from barometre_cli.sorties.annotation import annoter

    for rapport in validation.rapports:
        try:
            copie = annoter(rapport)
        except BarometreErreur as exc:
            validation.echecs_copie[rapport.fichier] = str(exc)
            continue
        except OSError as exc:
            validation.echecs_copie[rapport.fichier] = (
                f"copie annotée de « {rapport.fichier.name} » impossible à écrire dans "
                f"« {rapport.fichier.parent} » : {raison_systeme(exc)}. Copiez le classeur dans "
                "un dossier où vous pouvez écrire (par exemple vos Documents), puis relancez."
            )
            continue
        if copie is not None:
            validation.copies[rapport.fichier] = copie


# --- compiler --------------------------------------------------------------------------------


@dataclass
class Compilation:
    """Ce que `compiler` a lu, retenu, calculé et écrit.

    Quand aucun fichier n'a été retenu (`vide`), seul le journal a été écrit : les résultats
    précédents du dossier de sortie restent intacts.
    """

    collecte: Collecte
    conso: Consolidation
    sorties: list[Path]
    #: ce qu'une compilation tuée avait laissé dans la sortie, repris avant tout (`ensemble`)
    avis: list[str] = field(default_factory=list)

    @property
    def vide(self) -> bool:
        return not self.collecte.retenues


def verifier_dossiers(dossier: Path, sortie: Path) -> None:
    """Le dossier des classeurs existe et la sortie ne peut ni le contenir ni être un fichier."""
    if not dossier.exists():
        raise BarometreErreur(f"dossier introuvable : « {dossier} ».")
    if not dossier.is_dir():
        raise BarometreErreur(
            f"« {dossier} » est un fichier, pas un dossier : compiler lit un dossier de "
            "classeurs. Pour vérifier un seul classeur, utilisez « barometre valider "
            f"{dossier} » ; sinon, indiquez le dossier qui le contient."
        )
    if sortie.resolve() == dossier.resolve() or dossier.resolve().is_relative_to(sortie.resolve()):
        raise BarometreErreur(
            f"la sortie « {sortie} » contient le dossier des classeurs reçus : choisissez un "
            "autre --sortie (par exemple resultats/)."
        )
    if sortie.exists() and not sortie.is_dir():
        raise BarometreErreur(
            f"la sortie « {sortie} » est un fichier, pas un dossier : choisissez un autre --sortie."
        )


def prechauffer() -> threading.Thread:
    """Charge pandas et openpyxl dans un fil pendant que les processus lisent les classeurs.

    Ces imports coûtent près d'une seconde ; le processus principal n'a rien d'autre à faire
    pendant la lecture. Appelé seulement une fois les processus de lecture créés. Fil
    « daemon » : une compilation interrompue ne l'attend pas (voir `cli._quitter_apres_interruption`).
    """

    def charger() -> None:
        import barometre_cli.compilation.consolidation
        import barometre_cli.sorties.xlsx  # noqa: F401

    fil = threading.Thread(target=charger, daemon=True)
    fil.start()
    return fil


def compiler(
    dossier: Path,
    *,
    registre: Path | None = None,
    periode: str | None = None,
    sortie: Path = Path("resultats"),
    precedent: Path | None = None,
    avec: Collection[str] = (),
    jobs: int | None = None,
    progres: Callable[[int], Callable[[], None]] | None = None,
    pendant: Callable[[], threading.Thread | None] | None = prechauffer,
    signaler: Callable[[str], None] | None = None,
) -> Compilation:
    """Lit, valide et retient chaque fichier du dossier, calcule, puis publie toutes les sorties.

    `precedent` : le resultats.csv d'une collecte antérieure, ou son dossier de sortie (son
    organisations.csv donne alors aussi l'évolution de chaque organisation) ; une collecte de
    la même période ou d'une période postérieure est refusée. `avec` : les clés des sorties
    facultatives à écrire aussi (`sorties.ECRIVAINS`, par exemple « fiches »).

    Les sorties sont publiées d'un coup, sous un verrou du dossier de sortie tenu du début à
    la fin : une seconde compilation vers ce dossier est refusée (`BarometreErreur`), une
    sortie impossible à remplacer (ouverte dans Excel, en lecture seule) est nommée et rien
    ne change. Ctrl+C ou SIGTERM lèvent `interruption.Interrompu`, à tout moment, sans rien
    changer au dossier ni laisser de processus de lecture.

    `progres(total)` rend la fonction à appeler après chaque fichier lu ; `pendant` est appelé
    une fois les processus de lecture lancés (pour préparer la suite dans un fil). Une
    compilation précédente tuée en pleine publication est reprise avant tout (l'ensemble
    précédent remis en place, ses restes effacés) : `signaler` reçoit chaque avis qui le dit.
    """
    from barometre_cli.compilation.collecte import collecter
    from barometre_cli.domaine.registre import lire_registre
    from barometre_cli.ecriture.ensemble import verifier_remplacables, verrouiller
    from barometre_cli.ecriture.interruption import interruptible
    from barometre_cli.lecture import verifier_defusedxml
    from barometre_cli.lecture.decouverte import lister_fichiers
    from barometre_cli.lecture.xml import verifier_moteur
    from barometre_cli.sorties import demandees, noms_sorties

    # Ctrl+C ou SIGTERM, à tout moment : `Interrompu`, et le dossier de sortie tel qu'avant.
    with interruptible("Compilation", f"aucun fichier de « {sortie} » n'a été modifié."):
        verifier_dossiers(dossier, sortie)
        demandees(avec)  # une sortie inconnue se dit avant de lire quoi que ce soit
        annee = verifier_periode(periode) or None
        verifier_defusedxml()
        verifier_moteur()
        organisations = lire_registre(registre) if registre is not None else None
        precedents = None
        if precedent is not None:
            from barometre_cli.compilation.precedent import (
                charger_collecte_precedente,
                verifier_anteriorite,
            )

            precedents = charger_collecte_precedente(precedent)
            if annee:  # avant de lire des milliers de classeurs, quand la période est donnée
                verifier_anteriorite(precedents, annee)
        # Le verrou est tenu de la lecture à la publication : une seconde compilation vers
        # le même dossier est refusée tout de suite, pas après avoir tout lu.
        with verrouiller(sortie, "la compilation"):
            avis = _reprendre(sortie, "la compilation", signaler)
            # Une sortie ouverte dans Excel se dit avant de lire des milliers de classeurs ;
            # elle est vérifiée de nouveau juste avant la publication.
            verifier_remplacables(sortie, noms_sorties(avec), "la compilation")
            fichiers = lister_fichiers([dossier], [sortie])
            collecte = collecter(
                dossier,
                organisations,
                annee,
                jobs=jobs or os.cpu_count() or 1,
                exclure=[sortie],
                progres=progres(len(fichiers)) if progres else None,
                pendant=pendant,
                fichiers=fichiers,
            )
            if precedents is not None:  # la période déduite des fichiers, cette fois
                verifier_anteriorite(precedents, collecte.periode)
            from barometre_cli.compilation.consolidation import consolider

            if "fiches" in avec:  # un code trop long pour un nom de fiche se dit avant d'écrire
                from barometre_cli.domaine.registre import verifier_chemin
                from barometre_cli.sorties.fiches import nom_fiche

                for organisation in collecte.organisations:
                    verifier_chemin(organisation, sortie / "fiches" / nom_fiche(organisation))
            conso = consolider(collecte, precedents)
            return Compilation(collecte, conso, _publier(collecte, conso, sortie, avec), avis)


def _publier(
    collecte: Collecte, conso: Consolidation, sortie: Path, avec: Collection[str]
) -> list[Path]:
    """Toutes les sorties d'un coup ; sans rien de retenu, le journal seul (les résultats
    précédents restent intacts)."""
    from barometre_cli.ecriture.ensemble import ecrire_ensemble
    from barometre_cli.sorties import ecrire_sorties
    from barometre_cli.sorties.journal_csv import ecrire_journal

    try:
        if not collecte.retenues:
            return ecrire_ensemble(
                sortie, lambda brouillon: [ecrire_journal(collecte, brouillon)], "la compilation"
            )
        return ecrire_sorties(collecte, conso, sortie, avec)
    except OSError as exc:
        quoi = "le journal" if not collecte.retenues else "les résultats"
        raise BarometreErreur(
            f"impossible d'écrire {quoi} dans « {sortie} » : {raison_systeme(exc)}. Rien n'a "
            "été modifié."
        ) from None


# --- validateur ------------------------------------------------------------------------------


def construire_validateur(sortie: Path, pyodide: Path | None = None) -> Site:
    """Écrit le site statique du vérificateur Web (`validateur.site`) ; `BarometreErreur` sinon."""
    from barometre_cli.validateur.site import construire_site

    return construire_site(sortie, pyodide)
