"""La ligne de commande `barometre` : lire les options, appeler la bibliothèque, afficher, sortir.

Codes de sortie communs : 0 tout va bien, 1 au moins un fichier en erreur (ou rien à compiler),
2 mauvaise utilisation (option invalide, fichier introuvable, registre illisible). Les imports
lourds (openpyxl, pandas) se font dans les commandes qui en ont besoin, pour que `--help` et
`valider` démarrent vite.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from barometre_cli import francais
from barometre_cli.erreurs import BarometreErreur, raison_systeme

francais.installer()

app = typer.Typer(
    name="barometre",
    help="Collecte et compilation du Baromètre numériQc : produire les gabarits de collecte, "
    "vérifier un classeur rempli, compiler les résultats gouvernementaux.",
    add_completion=False,
    no_args_is_help=True,
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    texte = "texte"
    json = "json"


def _console(stderr: bool = False) -> Console:
    """Une console sans balisage : un texte de répondant comme « [/] » s'affiche tel quel."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def _echec_utilisation(message: str) -> typer.Exit:
    """Affiche une erreur d'utilisation en français ; le code 2 suit la convention Unix."""
    _console(stderr=True).print(f"[bold red]Erreur :[/] {escape(message)}", markup=True)
    return typer.Exit(2)


def _verifier_cibles(ids: list[str]) -> list:
    from barometre_cli.catalogue import cible, cibles, ids_cibles

    if not ids:
        return list(cibles())
    inconnues = [i for i in ids if i not in ids_cibles()]
    if inconnues:
        raise _echec_utilisation(
            f"cible inconnue : {', '.join(inconnues)}. Cibles permises : {', '.join(ids_cibles())}."
        )
    return [cible(i) for i in dict.fromkeys(ids)]


def _verifier_periode(periode: str | None) -> str:
    if periode is None:
        return ""
    periode = periode.strip()
    if not (len(periode) == 4 and periode.isdigit() and 2019 <= int(periode) <= 2100):
        raise _echec_utilisation(
            f"période « {periode} » invalide : inscrivez une année sur quatre chiffres, "
            "par exemple 2026."
        )
    return periode


@app.command()
def gabarit(
    cibles: Annotated[
        list[str] | None,
        typer.Option(
            "--cible",
            "-c",
            metavar="ID",
            help="Cible à produire (ex. 5.1) ; répétez l'option pour plusieurs. Par défaut : "
            "les dix.",
            show_default=False,
        ),
    ] = None,
    periode: Annotated[
        str | None,
        typer.Option(
            "--periode", "-p", metavar="AAAA", help="Année de la collecte à préremplir (ex. 2026)."
        ),
    ] = None,
    sortie: Annotated[
        Path,
        typer.Option("--sortie", "-o", metavar="DOSSIER", help="Dossier où écrire les gabarits."),
    ] = Path("gabarits"),
    registre: Annotated[
        Path | None,
        typer.Option(
            "--registre",
            "-r",
            metavar="FICHIER.csv",
            help="Registre CSV des organisations (code,nom,reseau) : un dossier prérempli "
            "par organisation.",
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            metavar="CODE",
            help="Code d'une organisation : gabarits préremplis pour elle seule (avec "
            "--registre, son nom vient du registre).",
        ),
    ] = None,
    nom: Annotated[
        str | None,
        typer.Option(
            "--nom", metavar="NOM", help="Nom de l'organisation, avec --organisation sans registre."
        ),
    ] = None,
) -> None:
    """Produire les gabarits Excel de collecte, un par cible.

    Sans option, écrit les dix gabarits vierges dans gabarits/. Avec --registre ou --organisation, écrit un dossier par organisation, son code et son nom préremplis.
    """
    from barometre_cli.registre import Organisation, lire_registre

    choisies = _verifier_cibles(cibles or [])
    annee = _verifier_periode(periode)
    organisations = None
    try:
        if registre is not None:
            organisations = lire_registre(registre)
            if organisation is not None:
                organisations = [o for o in organisations if o.code == organisation]
                if not organisations:
                    raise BarometreErreur(
                        f"l'organisation « {organisation} » n'est pas dans le registre "
                        f"« {registre} »."
                    )
        elif organisation is not None:
            if not organisation.strip():
                raise BarometreErreur("le code d'organisation est vide.")
            organisations = [Organisation(organisation.strip(), (nom or "").strip())]
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None

    from barometre_cli.gabarit import generer_gabarits

    try:
        ecrits = generer_gabarits(choisies, sortie, annee, organisations)
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None
    except OSError as exc:
        raise _echec_utilisation(
            f"impossible d'écrire dans « {sortie} » : {raison_systeme(exc)}."
        ) from None
    console = _console()
    qui = f" pour {len(organisations)} organisation(s)" if organisations else ""
    console.print(
        f"{len(ecrits)} gabarit(s) écrit(s) dans « {sortie} »{qui} : cibles "
        f"{', '.join(c.id for c in choisies)}."
    )
    if len(ecrits) <= 12:
        for chemin in ecrits:
            console.print(f"  {chemin}")


def _prechauffer() -> threading.Thread:
    """Charge pandas et openpyxl dans un fil pendant que les processus lisent les classeurs.

    Ces imports coûtent près d'une seconde ; le processus principal n'a rien d'autre à faire
    pendant la lecture. Appelé seulement une fois les processus de lecture créés.
    """

    def charger() -> None:
        import barometre_cli.consolidation
        import barometre_cli.sorties.xlsx  # noqa: F401

    fil = threading.Thread(target=charger, daemon=True)
    fil.start()
    return fil


#: Dans un dossier, ce qui ressemble à un classeur : un .xls ou un .ods déposé par erreur doit
#: être signalé (avec la marche à suivre), pas ignoré.
_EXTENSIONS_CLASSEUR = {".xlsx", ".xlsm", ".xls", ".ods"}


def _fichiers(chemins: list[Path]) -> list[Path]:
    """Les classeurs à traiter : fichiers donnés, et les classeurs des dossiers donnés.

    Dans un dossier, on écarte les fichiers cachés, les verrous d'Office (~$…) et les copies
    annotées produites par --annoter (sinon on annoterait les annotations).
    """
    from barometre_cli.annotation import SUFFIXE

    fichiers: list[Path] = []
    for chemin in chemins:
        if chemin.is_dir():
            fichiers.extend(
                p
                for p in sorted(chemin.rglob("*"))
                if p.suffix.lower() in _EXTENSIONS_CLASSEUR
                and p.is_file()
                and not p.name.startswith((".", "~$"))
                and not p.stem.endswith(SUFFIXE)
            )
        elif chemin.exists():
            fichiers.append(chemin)
        else:
            raise _echec_utilisation(f"fichier introuvable : « {chemin} ».")
    return fichiers


@app.command()
def valider(
    fichiers: Annotated[
        list[Path],
        typer.Argument(
            help="Classeur(s) rempli(s) à vérifier ; un dossier est parcouru en entier.",
            show_default=False,
            metavar="FICHIER",
        ),
    ],
    format_: Annotated[
        Format,
        typer.Option("--format", "-f", help="texte (tableau lisible) ou json (pour les scripts)."),
    ] = Format.texte,
    annoter: Annotated[
        bool,
        typer.Option(
            "--annoter",
            metavar="",
            help="Écrire une copie « -annote.xlsx » où chaque constat est un commentaire sur "
            "sa cellule (l'original n'est jamais modifié).",
        ),
    ] = False,
    cible_attendue: Annotated[
        str | None,
        typer.Option(
            "--cible",
            "-c",
            metavar="ID",
            help="Vérifier aussi que le classeur est le gabarit de cette cible.",
        ),
    ] = None,
) -> None:
    """Vérifier un classeur rempli avant de le transmettre au Ministère.

    Signale chaque problème avec sa feuille et sa cellule, et dit quoi corriger. Quand le classeur est sans erreur, affiche les résultats qui seront comptés pour l'organisation.

    Code de sortie : 0 sans erreur (avertissements permis), 1 s'il reste une erreur.
    """
    from barometre_cli.lecture import verifier_defusedxml
    from barometre_cli.validation import valider_fichier

    if cible_attendue is not None:
        _verifier_cibles([cible_attendue])
    a_traiter = _fichiers(fichiers)
    if not a_traiter:
        raise _echec_utilisation("aucun classeur .xlsx trouvé dans les chemins donnés.")
    try:
        verifier_defusedxml()
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None

    rapports = []
    console = _console()
    if format_ is Format.texte and len(a_traiter) > 3:
        from rich.progress import Progress

        with Progress(console=_console(stderr=True), transient=True) as progres:
            tache = progres.add_task("Vérification", total=len(a_traiter))
            for chemin in a_traiter:
                rapports.append(valider_fichier(chemin, cible_attendue))
                progres.advance(tache)
    else:
        rapports = [valider_fichier(chemin, cible_attendue) for chemin in a_traiter]

    if annoter:
        from barometre_cli.annotation import annoter as ecrire_annotation

        for rapport in rapports:
            try:
                copie = ecrire_annotation(rapport)
            except BarometreErreur as exc:
                _console(stderr=True).print(f"Attention : {exc}")
                continue
            if copie is not None:  # en JSON, sur la sortie d'erreur pour garder le JSON pur
                _console(stderr=format_ is Format.json).print(f"Copie annotée : {copie}")

    if format_ is Format.json:
        from barometre_cli.sorties.json_ import validation_vers_json

        typer.echo(validation_vers_json(rapports))
    else:
        from barometre_cli.sorties.console import afficher_rapport

        for rapport in rapports:
            afficher_rapport(console, rapport)
        if len(rapports) > 1:
            en_erreur = sum(not r.valide for r in rapports)
            console.print(
                f"{len(rapports)} fichiers vérifiés : {len(rapports) - en_erreur} prêt(s), "
                f"{en_erreur} à corriger."
            )
    raise typer.Exit(0 if all(r.valide for r in rapports) else 1)


@app.command()
def compiler(
    dossier: Annotated[
        Path,
        typer.Argument(
            help="Dossier des classeurs retournés (parcouru en entier).",
            show_default=False,
            metavar="DOSSIER",
        ),
    ],
    registre: Annotated[
        Path | None,
        typer.Option(
            "--registre",
            "-r",
            metavar="FICHIER.csv",
            help="Registre CSV des organisations ciblées (code,nom,reseau). Sans registre, les "
            "organisations qui ont répondu en tiennent lieu.",
        ),
    ] = None,
    periode: Annotated[
        str | None,
        typer.Option(
            "--periode",
            "-p",
            metavar="AAAA",
            help="Année de la collecte ; les classeurs d'une autre année sont écartés. Par "
            "défaut : l'année la plus fréquente des fichiers.",
        ),
    ] = None,
    sortie: Annotated[
        Path,
        typer.Option(
            "--sortie",
            "-o",
            metavar="DOSSIER",
            help="Dossier des résultats (sommaire, CSV, journal, page HTML).",
        ),
    ] = Path("resultats"),
    format_: Annotated[
        Format,
        typer.Option("--format", "-f", help="texte (rapport lisible) ou json (pour les scripts)."),
    ] = Format.texte,
    precedent: Annotated[
        Path | None,
        typer.Option(
            "--precedent",
            metavar="FICHIER.csv",
            help="resultats.csv d'une collecte précédente : chaque sortie montre la variation "
            "en points, et signale les baisses.",
        ),
    ] = None,
    fiches: Annotated[
        bool,
        typer.Option(
            "--fiches",
            metavar="",
            help="Écrire aussi une fiche de résultats par organisation dans fiches/.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=1,
            max=64,
            help="Nombre de processus de lecture. Par défaut : le nombre de cœurs.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Compiler les classeurs retournés : résultats gouvernementaux, par réseau et journal.

    Écrit dans le dossier de sortie sommaire.xlsx, resultats.csv (données ouvertes) et sa description datapackage.json, journal.csv et la page barometre.html ; avec --fiches, une fiche par organisation.

    Code de sortie : 0 compilé (les fichiers rejetés sont au journal), 1 rien à compiler.
    """
    if not dossier.is_dir():
        raise _echec_utilisation(f"dossier introuvable : « {dossier} ».")
    if sortie.resolve() == dossier.resolve() or dossier.resolve().is_relative_to(sortie.resolve()):
        raise _echec_utilisation(
            f"la sortie « {sortie} » contient le dossier des classeurs reçus : choisissez un "
            "autre --sortie (par exemple resultats/)."
        )
    if sortie.exists() and not sortie.is_dir():
        raise _echec_utilisation(
            f"la sortie « {sortie} » est un fichier, pas un dossier : choisissez un autre --sortie."
        )
    annee = _verifier_periode(periode) or None
    from barometre_cli.lecture import verifier_defusedxml
    from barometre_cli.registre import lire_registre

    try:
        verifier_defusedxml()
        organisations = lire_registre(registre) if registre is not None else None
        if precedent is not None:
            from barometre_cli.evolution import charger_precedent

            resultats_precedents = charger_precedent(precedent)
        else:
            resultats_precedents = None
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None

    from rich.progress import Progress

    from barometre_cli.compilation import collecter, lister_fichiers
    from barometre_cli.consolidation import consolider
    from barometre_cli.sorties import ecrire_sorties

    erreur = _console(stderr=True)
    fichiers_a_lire = lister_fichiers(dossier, [sortie])
    total = len(fichiers_a_lire)
    with Progress(console=erreur, transient=True, disable=total < 2) as progres:
        tache = progres.add_task("Lecture des classeurs", total=total)
        collecte = collecter(
            dossier,
            organisations,
            annee,
            jobs=jobs or os.cpu_count() or 1,
            exclure=[sortie],
            progres=lambda: progres.advance(tache),
            pendant=_prechauffer,
            fichiers=fichiers_a_lire,
        )
    if not collecte.retenues:
        from barometre_cli.sorties.journal_csv import ecrire_journal

        try:  # le journal seulement : les résultats précédents restent intacts
            journal = ecrire_journal(collecte, sortie)
        except OSError as exc:
            raise _echec_utilisation(
                f"impossible d'écrire le journal dans « {sortie} » : {raison_systeme(exc)}."
            ) from None
        message = (
            f"aucune donnée à compiler dans « {dossier} » : {len(collecte.journal)} fichier(s) "
            f"lu(s), aucun retenu. Le sort de chaque fichier est dans {journal}."
        )
        if format_ is Format.json:
            from barometre_cli.sorties.json_ import compilation_vers_dict

            conso = consolider(collecte)
            typer.echo(
                json.dumps(compilation_vers_dict(collecte, conso, [journal]), ensure_ascii=False)
            )
        else:
            erreur.print(f"[bold red]Rien à compiler :[/] {escape(message)}", markup=True)
            for entree in collecte.journal[:20]:
                erreur.print(
                    f"  {entree.fichier} : {entree.statut.value} — {' ; '.join(entree.raisons)}"
                )
            if len(collecte.journal) > 20:
                erreur.print(f"  … et {len(collecte.journal) - 20} autres : voir {journal}.")
        raise typer.Exit(1)
    conso = consolider(collecte, resultats_precedents)
    try:
        ecrits = ecrire_sorties(collecte, conso, sortie, fiches=fiches)
    except OSError as exc:
        raise _echec_utilisation(
            f"impossible d'écrire les résultats dans « {sortie} » : {raison_systeme(exc)}."
        ) from None
    if format_ is Format.json:
        from barometre_cli.sorties.json_ import compilation_vers_dict

        typer.echo(
            json.dumps(compilation_vers_dict(collecte, conso, ecrits), ensure_ascii=False, indent=2)
        )
    else:
        from barometre_cli.sorties.console import afficher_compilation

        afficher_compilation(_console(), (collecte, conso), ecrits)


def main() -> None:
    """Point d'entrée du script `barometre`."""
    # Redirigée vers un fichier sous Windows, la sortie est en cp1252, sans « ✔ » ni « █ » :
    # un caractère impossible devient « ? » plutôt que de faire échouer la commande.
    for flux in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            flux.reconfigure(errors="replace")
    try:
        app(prog_name="barometre")
    except Exception as exc:  # dernier filet : jamais de trace Python pour l'utilisateur
        if os.environ.get("BAROMETRE_DEBUG"):
            raise
        _console(stderr=True).print(
            f"[bold red]Erreur inattendue :[/] {type(exc).__name__} : {escape(str(exc))}. "
            "Relancez avec la variable BAROMETRE_DEBUG=1 pour le détail technique et "
            "signalez le problème à l'équipe du Baromètre.",
            markup=True,
        )
        sys.exit(1)


@app.command()
def validateur(
    sortie: Annotated[
        Path | None,
        typer.Option(
            "--sortie",
            "-o",
            metavar="DOSSIER",
            help="Dossier où écrire le site à publier (obligatoire).",
            show_default=False,
        ),
    ] = None,
    pyodide: Annotated[
        Path | None,
        typer.Option(
            "--pyodide",
            metavar="CHEMIN",
            help="Dossier du paquet npm pyodide. Par défaut : node_modules/pyodide du projet "
            "(npm ci l'installe).",
        ),
    ] = None,
) -> None:
    """Écrire la page Web qui vérifie les classeurs dans le navigateur du répondant.

    Un site statique (page, Python du navigateur, règles de `valider`) à publier sur n'importe quel hébergement Web : le classeur ne quitte jamais l'ordinateur. Voir docs/validateur.md.
    """
    from barometre_cli.validateur.site import construire_site

    if sortie is None:
        raise _echec_utilisation("indiquez le dossier du site : --sortie DOSSIER.")
    try:
        site = construire_site(sortie, pyodide)
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None
    _console().print(
        f"Vérificateur écrit dans « {sortie} » : {len(site.fichiers)} fichiers, "
        f"{site.taille / 1e6:.1f} Mo".replace(".", ",")
        + ". Publiez ce dossier sur un serveur Web (les .wasm en application/wasm) ; "
        "il ne fonctionne pas ouvert directement depuis le disque (file://)."
    )
