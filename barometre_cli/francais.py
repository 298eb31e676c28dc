"""Typer en français : titres de l'aide, messages d'erreur d'utilisation, option --help.

Typer n'offre pas de traduction ; ses textes sont des constantes et des méthodes qu'on remplace
ici, une seule fois, au chargement de la CLI. Si une version future de Typer change ces
détails internes, l'outil reste utilisable (en anglais pour ces quelques textes) : chaque
remplacement est protégé, et les tests vérifient le français.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import re
import sys
import types

AIDE = "Afficher cette aide et quitter."


#: Bornes de pydantic (`min=`, `max=` d'une option Typer) : type d'erreur → comparaison.
_BORNES = {
    "greater_than_equal": ("ge", "égal ou supérieur à"),
    "greater_than": ("gt", "supérieur à"),
    "less_than_equal": ("le", "égal ou inférieur à"),
    "less_than": ("lt", "inférieur à"),
}
#: Les mêmes, d'après le texte anglais, quand l'erreur d'origine n'est pas jointe.
_BORNES_TEXTE = {
    "greater than or equal to": "égal ou supérieur à",
    "greater than": "supérieur à",
    "less than or equal to": "égal ou inférieur à",
    "less than": "inférieur à",
}


def _nombre(valeur) -> str:
    """Une borne à la québécoise : « 1 », « 0,5 »."""
    return str(valeur).replace(".", ",")


def _erreur_de_nombre(exc) -> str:
    """« « 0 » ; un nombre entier égal ou supérieur à 1 est attendu » ; "" si autre chose.

    Typer valide les nombres avec pydantic, dont l'erreur (anglaise) est la cause de
    `BadParameter` : on y lit la valeur saisie, la règle enfreinte et sa borne.
    """
    annotation = getattr(getattr(exc.param, "type_descriptor", None), "annotation", None)
    erreurs = getattr(exc.__cause__, "errors", None)
    erreur = (erreurs() or [{}])[0] if callable(erreurs) else {}
    type_ = erreur.get("type", "")
    entier = annotation is int or type_.startswith("int_") or "integer" in str(exc.message)
    genre = "un nombre entier" if entier else "un nombre"
    if callable(erreurs):
        saisie = f"« {erreur.get('input')} » ; " if "input" in erreur else ""
        if type_ in _BORNES:
            cle, comparaison = _BORNES[type_]
            borne = _nombre(erreur.get("ctx", {}).get(cle, "?"))
            return f"{saisie}{genre} {comparaison} {borne} est attendu"
        if type_.startswith(("int_", "float_")):
            return f"{saisie}{genre} est attendu"
        return ""
    message = str(exc.message)
    trouve = re.match(
        r"Input should be ((?:greater|less) than(?: or equal to)?) (\S+?)\.?$", message
    )
    if trouve:
        return f"{genre} {_BORNES_TEXTE[trouve.group(1)]} {_nombre(trouve.group(2))} est attendu"
    if re.match(r"Input should be a valid (integer|number)", message):
        return f"{genre} est attendu"
    return ""


def _traduire(exc) -> str:
    """Le message d'une erreur d'utilisation de Click/Typer, en français."""
    nom = type(exc).__name__
    if nom == "NoSuchOption":
        message = f"Option inconnue : {exc.option_name}."
        if exc.possibilities:
            message += f" Vouliez-vous dire : {', '.join(sorted(exc.possibilities))} ?"
        return message
    if nom == "MissingParameter":
        if exc.param is not None and exc.param.param_type_name == "argument":
            nom_arg = (exc.param.metavar or exc.param.name or "").upper()
            return f"Il manque l'argument {nom_arg} : donnez au moins un chemin."
        indice = exc.param_hint or (exc.param.name if exc.param else "")
        if isinstance(indice, (list, tuple)):
            indice = " / ".join(indice)
        return f"Il manque {indice or 'un paramètre'}."
    if nom == "BadParameter":
        indice = exc.param_hint or (exc.param.opts[0] if exc.param else "")
        if isinstance(indice, (list, tuple)):
            indice = " / ".join(indice)
        message = str(exc.message).removeprefix("Value error, ")
        nombre = _erreur_de_nombre(exc)
        if nombre:
            return f"Valeur invalide pour {indice} : {nombre}."
        trouve = re.search(r"'([^']*)' is not one of (.*?)\.*$", message)
        if trouve:
            choix = trouve.group(2).replace("'", "")
            return (
                f"Valeur invalide pour {indice} : « {trouve.group(1)} » ; choix permis : {choix}."
            )
        trouve = re.match(r"'?(.*?)'? is not a valid (integer|float)", message)
        if trouve:
            message = f"« {trouve.group(1)} » n'est pas un nombre valide"
        return f"Valeur invalide pour {indice} : {message}."
    message = exc.format_message()
    trouve = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if trouve:
        return f"Argument en trop : {trouve.group(1)}."
    trouve = re.match(r"No such command '([^']*)'\.?(?:\s*Did you mean '([^']*)'\?)?", message)
    if trouve:
        suggestion = f" Vouliez-vous dire « {trouve.group(2)} » ?" if trouve.group(2) else ""
        return f"Commande inconnue : « {trouve.group(1)} ».{suggestion}"
    trouve = re.match(r"Option '(.*)' requires an argument", message)
    if trouve:
        return f"L'option {trouve.group(1)} demande une valeur."
    return message


def _franciser_rich_utils(rich_utils) -> None:
    """Titres, messages et rendu des erreurs du module d'affichage de Typer, en français."""
    with contextlib.suppress(AttributeError):
        rich_utils.DEFAULT_STRING = "[défaut : {}]"
        rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
        rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
        rich_utils.OPTIONS_PANEL_TITLE = "Options"
        rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
        rich_utils.ERRORS_PANEL_TITLE = "Erreur"
        rich_utils.ABORTED_TEXT = "Interrompu."
        rich_utils.RICH_HELP = "Pour l'aide : [blue]{command_path} {help_option}[/]"
        origine = rich_utils.rich_format_error

        def format_francais(exc) -> None:
            try:
                message = _traduire(exc)
            except Exception:  # un texte anglais vaut mieux qu'une trace
                message = exc.format_message()
            with contextlib.suppress(Exception):
                exc.format_message = lambda: message
            origine(exc)

        rich_utils.rich_format_error = format_francais


_MARKDOWN = "rich.markdown"


def _markdown_paresseux() -> types.ModuleType | None:
    """Un `rich.markdown` provisoire, le temps que Typer charge son module d'affichage.

    Typer l'importe d'office (avec markdown-it, 0,07 s) mais ne s'en sert qu'en mode
    « markdown », que `barometre` n'utilise pas : la vraie classe n'est chargée qu'au besoin.
    """
    if _MARKDOWN in sys.modules:
        return None
    provisoire = types.ModuleType(_MARKDOWN)

    class Markdown:
        def __new__(cls, *args, **kwargs):
            if sys.modules.get(_MARKDOWN) is provisoire:
                del sys.modules[_MARKDOWN]
            return importlib.import_module(_MARKDOWN).Markdown(*args, **kwargs)

    provisoire.Markdown = Markdown
    sys.modules[_MARKDOWN] = provisoire
    return provisoire


class _AuChargement(importlib.abc.MetaPathFinder):
    """Francise `typer.rich_utils` au moment où Typer le charge, et pas avant.

    Ce module (0,1 à 0,15 s à importer) ne sert qu'à l'aide et aux erreurs : `valider` et
    `compiler` démarrent plus vite s'il n'est chargé que lorsque Typer en a besoin.
    """

    NOM = "typer.rich_utils"

    def find_spec(self, fullname, path, target=None):
        if fullname != self.NOM:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        executer = spec.loader.exec_module

        def executer_puis_franciser(module) -> None:
            provisoire = _markdown_paresseux()
            try:
                executer(module)
            finally:
                if provisoire is not None and sys.modules.get(_MARKDOWN) is provisoire:
                    del sys.modules[_MARKDOWN]  # un vrai `import rich.markdown` reste possible
            _franciser_rich_utils(module)

        spec.loader.exec_module = executer_puis_franciser
        return spec


def installer() -> None:
    """Remplace les textes anglais de Typer par leur version française."""
    if _AuChargement.NOM in sys.modules:
        _franciser_rich_utils(sys.modules[_AuChargement.NOM])
    elif not any(isinstance(f, _AuChargement) for f in sys.meta_path):
        sys.meta_path.insert(0, _AuChargement())
    with contextlib.suppress(ImportError, AttributeError):
        from typer._click import core, formatting

        origine_aide = core.Command.get_help_option

        def option_aide(self, ctx):
            option = origine_aide(self, ctx)
            if option is not None:
                option.help = AIDE
                option.metavar = ""  # un drapeau : pas de « <bool> » dans l'aide
            return option

        core.Command.get_help_option = option_aide
    with contextlib.suppress(ImportError, AttributeError):
        from typer.core import TyperArgument

        origine_type = TyperArgument.display_type_rich

        def type_argument(self, ctx):
            """Un argument nommé (FICHIER) se lit à son nom : pas de « <list[Path]> » à côté."""
            return None if self.metavar else origine_type(self, ctx)

        TyperArgument.display_type_rich = type_argument
        origine_usage = formatting.HelpFormatter.write_usage

        def usage(self, prog, args="", prefix=None):
            return origine_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

        formatting.HelpFormatter.write_usage = usage
