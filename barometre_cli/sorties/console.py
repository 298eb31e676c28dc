"""Rendu console (rich) des rapports : tableaux lisibles, couleurs par gravité, NO_COLOR respecté."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from barometre_cli.catalogue import cible
from barometre_cli.constats import Severite
from barometre_cli.formats import NON_APPLICABLE, entier, oui_non, pourcentage
from barometre_cli.validation import RapportFichier

STYLE_GRAVITE = {
    Severite.ERREUR: "bold red",
    Severite.AVERTISSEMENT: "yellow",
    Severite.INFO: "cyan",
}
LIBELLE_GRAVITE = {
    Severite.ERREUR: "Erreur",
    Severite.AVERTISSEMENT: "Avertissement",
    Severite.INFO: "Info",
}


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


def afficher_rapport(console: Console, rapport: RapportFichier) -> None:
    """Un fichier : en-tête, tableau des constats, résultats du répondant, verdict."""
    entete = Text(rapport.fichier.name, style="bold")
    if rapport.organisation_code or rapport.organisation_nom:
        entete.append(f" — {rapport.organisation_nom} ({rapport.organisation_code})")
    if rapport.cibles:
        entete.append(f" — cible {', '.join(rapport.cibles)}")
    console.print(entete)
    if rapport.constats:
        table = Table(show_lines=False, expand=False, header_style="bold")
        for titre in ("Gravité", "Code", "Feuille", "Cellule", "Message"):
            table.add_column(titre, overflow="fold")
        for c in rapport.constats:
            style = STYLE_GRAVITE[c.severite]
            table.add_row(
                Text(LIBELLE_GRAVITE[c.severite], style=style),
                c.code,
                c.feuille,
                c.cellule,
                c.message,
            )
        console.print(table)
    if rapport.resultats:
        table = Table(title="Ce qui sera compté pour votre organisation", title_justify="left")
        for titre in (
            "Cible",
            "Numérateur",
            "Dénominateur",
            "Proportion",
            "Valeur visée",
            "Taux d'atteinte",
        ):
            table.add_column(titre, justify="left" if titre == "Cible" else "right")
        for r in rapport.resultats:
            c = cible(r.cible)
            vide = NON_APPLICABLE
            if r.respecte is not None:
                atteinte = f"condition respectée : {oui_non(r.respecte)}"
            else:
                atteinte = pourcentage(r.taux_atteinte, 0, vide)
            table.add_row(
                r.cible,
                entier(r.numerateur),
                entier(r.denominateur),
                pourcentage(r.proportion, 1, vide),
                f"{c.valeur_visee_pct} %",
                atteinte,
            )
        console.print(table)
    erreurs = len(rapport.erreurs)
    avertissements = sum(c.severite is Severite.AVERTISSEMENT for c in rapport.constats)
    if erreurs:
        console.print(
            Text(
                f"✘ {_pluriel(erreurs, 'erreur')} à corriger avant de transmettre le fichier.",
                style="bold red",
            )
        )
    else:
        suite = (
            f" ({_pluriel(avertissements, 'avertissement')} à vérifier)" if avertissements else ""
        )
        console.print(Text(f"✔ Prêt à transmettre{suite}.", style="bold green"))
    console.print()
