"""La ligne de commande `barometre` : lire les options, appeler la bibliothèque, afficher, sortir.

Codes de sortie communs : 0 tout va bien, 1 au moins un fichier en erreur (ou rien à compiler),
2 mauvaise utilisation (option invalide, fichier introuvable, registre illisible, sortie
ouverte dans Excel ou verrouillée par une autre compilation), 130 interrompu (Ctrl+C ou SIGTERM,
rien de modifié). Les imports lourds (openpyxl, pandas) se font dans les commandes qui en ont
besoin, pour que `--help` et `valider` démarrent vite.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from barometre_cli import francais
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.ecriture.interruption import Interrompu
from barometre_cli.sorties import aide_sorties, facultatives

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


def _signaler(avis: str) -> None:
    """Un avis de la bibliothèque (une opération précédente reprise), sur la sortie d'erreur."""
    _console(stderr=True).print(f"[bold yellow]Reprise :[/] {escape(avis)}", markup=True)


#: 128 + SIGINT, l'usage des shells ; le même pour SIGTERM (« interrompu, rien de modifié »).
CODE_INTERRUPTION = 130


def _afficher_interruption(exc: Interrompu) -> None:
    """Ctrl+C ou SIGTERM : la phrase de la bibliothèque (ce qui reste intact), sans trace."""
    if not exc.bilan:  # arrivé avant que la bibliothèque ne prenne la main : rien n'a commencé
        exc.operation, exc.bilan = "Commande", "rien n'a été modifié."
    console = _console(stderr=True)
    if console.is_terminal:
        console.print()  # après le « ^C » que le terminal vient d'afficher
    console.print(str(exc), soft_wrap=True)


@contextlib.contextmanager
def _arret_propre():
    """`Interrompu` → le message, puis le code 130 (128 + SIGINT, l'usage des shells)."""
    try:
        yield
    except Interrompu as exc:
        _afficher_interruption(exc)
        raise typer.Exit(CODE_INTERRUPTION) from None


# --- Options communes, déclarées une fois ---------------------------------------------------

OptionRegistre = Annotated[
    Path | None,
    typer.Option(
        "--registre",
        "-r",
        metavar="FICHIER.csv",
        help="Registre CSV des organisations ciblées (code,nom,reseau ; contact_nom et "
        "contact_courriel facultatifs).",
    ),
]
OptionPeriode = Annotated[
    str | None,
    typer.Option("--periode", "-p", metavar="AAAA", help="Année de la collecte (ex. 2026)."),
]
OptionFormat = Annotated[
    Format,
    typer.Option("--format", "-f", help="texte (rapport lisible) ou json (pour les scripts)."),
]
OptionCible = Annotated[
    list[str] | None,
    typer.Option(
        "--cible",
        "-c",
        metavar="ID",
        help="Cible (ex. 5.1) ; répétez l'option pour plusieurs. Par défaut : toutes.",
        show_default=False,
    ),
]


OptionPrecedent = Annotated[
    Path | None,
    typer.Option(
        "--precedent",
        metavar="FICHIER.csv|DOSSIER",
        help="resultats.csv d'une collecte antérieure, ou son dossier de sortie : chaque "
        "sortie montre la variation en points et signale les baisses ; avec "
        "l'organisations.csv voisin, la variation de chaque organisation aussi. Une "
        "collecte de la même période ou d'une période postérieure est refusée.",
    ),
]
OptionFiches = Annotated[
    bool,
    typer.Option(
        "--fiches",
        metavar="",
        help="Écrire aussi une fiche de résultats par organisation dans fiches/ (comme "
        "--avec fiches).",
    ),
]
OptionAvec = Annotated[
    list[str] | None,
    typer.Option(
        "--avec",
        metavar="SORTIE",
        help="Écrire aussi une sortie facultative ; répétez l'option pour plusieurs. Sorties "
        "facultatives : " + ", ".join(e.cle for e in facultatives()) + ".",
        show_default=False,
    ),
]
OptionJobs = Annotated[
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
]


def _sortie(aide: str):
    return Annotated[Path, typer.Option("--sortie", "-o", metavar="DOSSIER", help=aide)]


@app.command()
def gabarit(
    cibles: OptionCible = None,
    periode: OptionPeriode = None,
    sortie: _sortie("Dossier où écrire les gabarits.") = Path("gabarits"),
    registre: OptionRegistre = None,
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
    validateur: Annotated[
        str | None,
        typer.Option(
            "--validateur",
            metavar="URL",
            help="Adresse de la page Web du Ministère qui vérifie un classeur : les "
            "instructions des gabarits la donnent aux répondants (sans elle, elles nomment la "
            "commande « barometre valider » et annoncent la page).",
        ),
    ] = None,
) -> None:
    """Produire les gabarits Excel de collecte, un par cible.

    Sans option, écrit un gabarit vierge par cible dans gabarits/. Avec --registre ou --organisation, écrit un dossier par organisation, son code et son nom préremplis (et la personne à joindre, si le registre la donne).
    """
    from barometre_cli.commandes import produire_gabarits

    try:
        with _arret_propre():
            produits = produire_gabarits(
                sortie,
                cibles_demandees=cibles,
                periode=periode,
                registre=registre,
                organisation=organisation,
                nom=nom,
                validateur=validateur,
                signaler=_signaler,
            )
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None
    from barometre_cli.sorties.console import afficher_gabarits

    afficher_gabarits(_console(), produits, sortie)


@app.command()
def valider(
    fichiers: Annotated[
        list[Path],
        typer.Argument(
            help="Classeurs remplis à vérifier, un ou plusieurs ; un dossier est parcouru en entier.",
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
            help="Écrire une copie « -annote.xlsx » (« -annote.ods » pour un classeur .ods) où "
            "chaque constat est un commentaire sur sa cellule (l'original n'est jamais modifié).",
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

    Code de sortie : 0 sans erreur (avertissements permis), 1 s'il reste une erreur, 2 mauvaise utilisation (fichier introuvable, option invalide), 130 interrompu (Ctrl+C).
    """
    from barometre_cli.commandes import valider as valider_fichiers

    with (
        _arret_propre(),
        _progression("Vérification", actif=format_ is Format.texte, minimum=4) as progres,
    ):
        try:
            validation = valider_fichiers(
                fichiers, cible_attendue=cible_attendue, annoter=annoter, progres=progres
            )
        except BarometreErreur as exc:
            raise _echec_utilisation(str(exc)) from None
    # En JSON, les messages sur les copies vont à la sortie d'erreur pour garder le JSON pur.
    messages = _console(stderr=format_ is Format.json)
    for copie in validation.copies.values():
        messages.print(f"Copie annotée : {copie}")
    for raison in validation.echecs_copie.values():
        _console(stderr=True).print(f"Attention : {raison}")
    if format_ is Format.json:
        from barometre_cli.sorties.json_ import validation_vers_json

        typer.echo(validation_vers_json(validation.rapports))
    else:
        from barometre_cli.sorties.console import afficher_validation

        afficher_validation(_console(), validation.rapports)
    raise typer.Exit(0 if validation.valide else 1)


@contextlib.contextmanager
def _progression(titre: str, actif: bool = True, minimum: int = 2):
    """Une barre de progression sur la sortie d'erreur ; rend `progres(total) → avancer`.

    Sous `minimum` fichiers, la barre ne s'affiche pas : elle passerait trop vite pour servir.
    Redessinée quatre fois par seconde (dix par défaut) : pendant `compiler`, le processus
    principal laisse les deux cœurs aux processus de lecture.
    """
    from rich.progress import Progress

    with Progress(
        console=_console(stderr=True), transient=True, disable=not actif, refresh_per_second=4
    ) as barre:

        def progres(total: int):
            tache = barre.add_task(titre, total=total)
            if total < minimum:
                barre.update(tache, visible=False)
            return lambda: barre.advance(tache)

        yield progres


_AIDE_COMPILER = (
    "Compiler les classeurs retournés : résultats gouvernementaux, par réseau et journal.\n\n"
    + aide_sorties()
    + "\n\nCode de sortie : 0 compilé (les fichiers rejetés sont au journal), 1 rien à "
    "compiler, 2 mauvaise utilisation (option invalide, sortie ouverte dans Excel ou "
    "verrouillée), 130 interrompu (Ctrl+C)."
)


@app.command(help=_AIDE_COMPILER)
def compiler(
    dossier: Annotated[
        Path,
        typer.Argument(
            help="Dossier des classeurs retournés (parcouru en entier).",
            show_default=False,
            metavar="DOSSIER",
        ),
    ],
    registre: OptionRegistre = None,
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
    sortie: _sortie("Dossier des résultats (sommaire, CSV, journal, page HTML).") = Path(
        "resultats"
    ),
    format_: OptionFormat = Format.texte,
    precedent: OptionPrecedent = None,
    fiches: OptionFiches = False,
    avec: OptionAvec = None,
    jobs: OptionJobs = None,
) -> None:
    # L'aide vient de `_AIDE_COMPILER`, tirée de la liste des sorties.
    from barometre_cli.commandes import compiler as compiler_dossier

    with _arret_propre(), _progression("Lecture des classeurs") as progres:
        try:
            compilation = compiler_dossier(
                dossier,
                registre=registre,
                periode=periode,
                sortie=sortie,
                precedent=precedent,
                avec=[*(avec or []), *(["fiches"] if fiches else [])],
                jobs=jobs,
                progres=progres,
                signaler=_signaler,
            )
        except BarometreErreur as exc:
            raise _echec_utilisation(str(exc)) from None
    if format_ is Format.json:
        from barometre_cli.sorties.json_ import compilation_vers_json

        typer.echo(compilation_vers_json(compilation))
    elif compilation.vide:
        from barometre_cli.sorties.console import afficher_rien_a_compiler

        afficher_rien_a_compiler(_console(stderr=True), compilation, dossier)
    else:
        from barometre_cli.sorties.console import afficher_compilation

        afficher_compilation(_console(), compilation)
    raise typer.Exit(1 if compilation.vide else 0)


def _quitter_apres_interruption() -> None:
    """Sortir tout de suite avec le code 130 : tout est déjà défait (processus de lecture
    arrêtés, brouillon effacé, verrou rendu) quand le message s'affiche.

    La finalisation ordinaire de Python libère un à un les objets d'une grosse compilation :
    plus d'une seconde sur une machine chargée, après le message, pour rien.
    """
    for flux in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            flux.flush()
    os._exit(CODE_INTERRUPTION)


def main() -> None:
    """Point d'entrée du script `barometre`."""
    # Redirigée vers un fichier sous Windows, la sortie est en cp1252, sans « ✔ » ni « █ » :
    # un caractère impossible devient « ? » plutôt que de faire échouer la commande.
    for flux in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            flux.reconfigure(errors="replace")
    from barometre_cli.ecriture.interruption import interruptible

    try:
        # Ctrl+C avant que la commande ne prenne la main (lecture des options) : même message.
        with interruptible("Commande", "rien n'a été modifié."):
            app(prog_name="barometre")
    except Interrompu as exc:
        _afficher_interruption(exc)
        _quitter_apres_interruption()
    except SystemExit as exc:
        if exc.code == CODE_INTERRUPTION:
            _quitter_apres_interruption()
        raise
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
    from barometre_cli.commandes import construire_validateur

    if sortie is None:
        raise _echec_utilisation("indiquez le dossier du site : --sortie DOSSIER.")
    try:
        site = construire_validateur(sortie, pyodide)
    except BarometreErreur as exc:
        raise _echec_utilisation(str(exc)) from None
    taille = f"{site.taille / 1e6:.1f}".replace(".", ",")  # le chiffre seul, pas le chemin
    _console().print(
        f"Vérificateur écrit dans « {sortie} » : {len(site.fichiers)} fichiers, {taille} Mo"
        ". Publiez ce dossier sur un serveur Web (les .wasm en application/wasm) ; "
        "il ne fonctionne pas ouvert directement depuis le disque (file://)."
    )
