"""Rendu console (rich) des rapports : tableaux lisibles, couleurs par gravité, NO_COLOR respecté."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table
from rich.text import Text

from barometre_cli.catalogue import cible
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.formats import (
    pourcentage,
    sans_controle,
    taux_atteinte,
)
from barometre_cli.sorties.validation_texte import (
    COLONNES_RESULTATS,
    lignes_resultats,
    pluriel,
    verdict,
)
from barometre_cli.validation.rapport import RapportFichier

STYLE_GRAVITE = {
    Severite.ERREUR: "bold red",
    Severite.AVERTISSEMENT: "yellow",
    Severite.INFO: "cyan",
}
LIBELLE_GRAVITE = {
    Severite.ERREUR: "Erreur",
    Severite.AVERTISSEMENT: "Avertis.",
    Severite.INFO: "Info",
}


def _sur(texte: object) -> Text:
    """Un texte venu d'un fichier, affiché tel quel : ni balisage rich, ni caractère de contrôle."""
    return Text(sans_controle(texte))


def afficher_rapport(console: Console, rapport: RapportFichier) -> None:
    """Un fichier : en-tête, tableau des constats, résultats du répondant, verdict."""
    entete = _sur(rapport.fichier.name)
    entete.stylize("bold")
    if rapport.organisation_code or rapport.organisation_nom:
        entete.append(_sur(f" — {rapport.organisation_nom} ({rapport.organisation_code})"))
    if rapport.cibles:
        entete.append(f" — cible {', '.join(rapport.cibles)}")
    console.print(entete)
    if rapport.constats:
        table = Table(show_lines=False, expand=False, header_style="bold")
        table.add_column("Gravité", no_wrap=True)
        table.add_column("Code", overflow="fold", max_width=26)
        table.add_column("Feuille", no_wrap=True)
        table.add_column("Cellule", no_wrap=True)
        table.add_column("Message", overflow="fold", ratio=1)
        for c in rapport.constats:
            style = STYLE_GRAVITE[c.severite]
            table.add_row(
                Text(LIBELLE_GRAVITE[c.severite], style=style),
                c.code,
                _sur(c.feuille),
                _sur(c.cellule),
                _sur(c.message),
            )
        console.print(table)
    if rapport.resultats:
        table = Table(title="Ce qui sera compté pour votre organisation", title_justify="left")
        for titre in COLONNES_RESULTATS:
            table.add_column(titre, justify="left" if titre == "Cible" else "right")
        for cellules in lignes_resultats(rapport):
            table.add_row(*cellules)
        console.print(table)
    style = "bold red" if rapport.erreurs else "bold green"
    console.print(Text(verdict(rapport), style=style))
    console.print()


def _barre(taux: float | None, largeur: int = 20) -> Text:
    """Le taux d'atteinte en barre ; pleine et verte à 100 % ou plus."""
    if taux is None:
        return Text("")
    plein = min(largeur, math.floor(min(taux, 1.0) * largeur))  # pleine seulement à 100 %
    style = "green" if taux >= 1 else "blue"
    return Text("█" * plein, style=style) + Text("░" * (largeur - plein), style="dim")


def points(variation: float | None) -> Text:
    """Une variation en points de pourcentage, à la québécoise : « +3,2 pts », « −1,5 pt ▼ ».

    Le pluriel suit l'usage français (pluriel à partir de 2) ; une baisse porte « ▼ » (une hausse
    « ▲ », une stabilité « = ») en plus du signe, pour qu'elle se voie même sans couleur.
    """
    from barometre_cli.compilation.evolution import BAISSE, HAUSSE, tendance

    sens = tendance(variation)
    if sens is None:
        return Text("—", style="dim")
    arrondie = round(float(variation), 1)
    if sens not in (HAUSSE, BAISSE):
        arrondie = 0.0  # « −0,0 » n'aurait pas de sens
    chiffre = f"{abs(arrondie):.1f}".replace(".", ",")
    signe = "+" if arrondie > 0 else ("−" if arrondie < 0 else "")
    unite = "pts" if abs(arrondie) >= 2 else "pt"
    texte = f"{signe}{chiffre} {unite}"
    if sens == BAISSE:
        return Text(f"{texte} ▼", style="bold red")
    if sens == HAUSSE:
        return Text(f"{texte} ▲", style="green")
    return Text(f"{texte} =")


def afficher_gabarits(console: Console, produits, sortie) -> None:
    """Ce que `gabarit` a écrit : combien, pour qui, et les chemins quand ils sont peu nombreux."""
    organisations = produits.organisations
    qui = f" pour {pluriel(len(organisations), 'organisation')}" if organisations else ""
    ecrits = pluriel(len(produits.ecrits), "gabarit écrit", "gabarits écrits")
    ids = [c.id for c in produits.cibles]
    cibles = f"cible{'s' if len(ids) > 1 else ''} {', '.join(ids)}"
    console.print(_sur(f"{ecrits} dans « {sortie} »{qui} : {cibles}."))
    if len(produits.ecrits) <= 12:
        for chemin in produits.ecrits:
            console.print(_sur(f"  {chemin}"))


def afficher_validation(console: Console, rapports: list[RapportFichier]) -> None:
    """Chaque fichier vérifié, puis le bilan quand il y en a plusieurs."""
    for rapport in rapports:
        afficher_rapport(console, rapport)
    if len(rapports) > 1:
        en_erreur = sum(not r.valide for r in rapports)
        prets = len(rapports) - en_erreur
        console.print(
            f"{len(rapports)} fichiers vérifiés : {pluriel(prets, 'prêt')} à transmettre, "
            f"{en_erreur} à corriger."
        )


#: Fichiers montrés quand rien n'a pu être compilé ; les autres sont au journal.
_MONTRES = 20


def afficher_rien_a_compiler(console: Console, compilation, dossier) -> None:
    """Aucun fichier retenu : le dire, montrer le sort des premiers fichiers, renvoyer au journal."""
    collecte = compilation.collecte
    journal = compilation.sorties[0]
    lus = len(collecte.journal)
    console.print(
        Text("Rien à compiler : ", style="bold red")
        + _sur(
            f"aucun des {pluriel(lus, 'fichier lu', 'fichiers lus')} dans « {dossier} » n'a été "
            f"retenu. Le sort de chaque fichier est dans {journal}."
            if lus
            else f"le dossier « {dossier} » ne contient aucun fichier. Le journal est dans "
            f"{journal}."
        )
    )
    for entree in collecte.journal[:_MONTRES]:
        console.print(
            _sur(f"  {entree.fichier} : {entree.statut.value} — {' ; '.join(entree.raisons)}")
        )
    if lus > _MONTRES:
        reste = lus - _MONTRES
        console.print(_sur(f"  … et {pluriel(reste, 'autre')} : voir {journal}."))


def _nombre(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def afficher_compilation(console: Console, compilation) -> None:
    """Le rapport de `compiler` : les cibles, la réponse, le sort des fichiers, les sorties."""
    from barometre_cli.compilation.evolution import (
        a_evolution,
        avis_periode_inconnue,
        texte_comparaison,
    )

    collecte, conso = compilation.collecte, compilation.conso
    evolution = a_evolution(conso.resultats)
    titre = f"Baromètre numériQc — collecte {collecte.periode or '(période inconnue)'}"
    if evolution:
        titre = f"Baromètre numériQc — {texte_comparaison(collecte.periode, conso.precedent)}"
    if collecte.periode_deduite and collecte.periode:
        titre += " (période déduite des fichiers ; précisez-la avec --periode)"
    console.print(Text(titre, style="bold"))
    if avis := avis_periode_inconnue(conso.precedent):
        console.print(_sur(avis), style="bold yellow")
    if not collecte.registre_fourni:
        from barometre_cli.calculs import cibles_dependant_du_registre

        touchees = ", ".join(cibles_dependant_du_registre())
        console.print(
            Text(
                "Attention : aucun registre (--registre). Les organisations qui ont répondu "
                f"tiennent lieu d'organisations ciblées : {touchees + ' et ' if touchees else ''}"
                "les taux de réponse sont surestimés.",
                style="bold yellow",
            )
        )
    else:  # un registre tronqué se voit : on dit combien d'organisations il compte
        n = len(collecte.organisations)
        console.print(f"Registre : {pluriel(n, 'organisation ciblée', 'organisations ciblées')}.")
    console.print(_table_cibles(console, conso, evolution))
    console.print(
        "Atteinte = résultat / valeur visée (✔ : cible atteinte) ; Orgs = organisations "
        "retenues / ciblées.",
        style="dim",
    )
    if evolution:
        console.print(
            "Évolution = variation du résultat depuis la collecte précédente, en points de "
            "pourcentage : ▲ en hausse, ▼ en baisse, = stable ; — : aucun résultat comparable.",
            style="dim",
        )
        _afficher_evolution_organisations(console, conso.precedent)
    _afficher_reponse(console, conso)
    _afficher_fichiers(console, collecte, conso.relances)
    _afficher_controles(console, conso.a_verifier)
    if compilation.sorties:
        console.print(_sur("Sorties : " + ", ".join(str(p) for p in compilation.sorties)))


def _table_cibles(console: Console, conso, evolution: bool) -> Table:
    """Une ligne par cible : résultat, visée, atteinte (en barre si la place le permet)."""
    from barometre_cli.compilation.consolidation import ENSEMBLE

    # En console étroite (moins de 100 colonnes), la barre cède sa place au titre et à
    # l'évolution : le taux d'atteinte reste en chiffres.
    barre = console.width >= 100
    lignes = []
    for ligne in conso.resultats[conso.resultats["portee"] == ENSEMBLE].itertuples(index=False):
        c = cible(ligne.cible)
        taux = _nombre(ligne.taux_atteinte)
        marque = " ✔" if taux is not None and taux >= 1 else ""
        lignes.append(
            [
                c.id,
                c.titre,
                pourcentage(_nombre(ligne.resultat)),
                f"{c.valeur_visee_pct} %",
                taux_atteinte(taux) + marque,
                *([_barre(taux, 10)] if barre else []),
                f"{ligne.organisations_repondantes}/{ligne.organisations_ciblees}",
                *([points(_nombre(ligne.variation))] if evolution else []),
            ]
        )
    entetes = [
        "Cible",
        "Titre",
        "Résultat",
        "Visée",
        "Atteinte",
        *([""] if barre else []),
        "Orgs",
        *(["Évolution"] if evolution else []),
    ]
    # Chaque colonne garde la largeur de son plus long contenu (« indéterminé ») ; le titre
    # prend le reste de la largeur de la console et passe à la ligne entre deux mots, jamais
    # au milieu d'un mot.
    largeurs = [
        max(
            len(entete),
            *(
                len(str(ligne[j]) if not isinstance(ligne[j], Text) else ligne[j].plain)
                for ligne in lignes
            ),
        )
        for j, entete in enumerate(entetes)
    ]
    autres = sum(largeur for j, largeur in enumerate(largeurs) if j != 1)
    table = Table(header_style="bold")
    for j, entete in enumerate(entetes):
        if j == 1:
            libre = console.width - autres - 3 * len(entetes) - 1
            table.add_column(
                entete, overflow="fold", min_width=16, max_width=max(16, min(80, libre))
            )
        else:
            justifie = "left" if j == 0 or entete == "" else "right"
            table.add_column(entete, justify=justifie, no_wrap=True, min_width=largeurs[j])
    for cellules in lignes:
        table.add_row(*cellules)
    return table


#: Points à vérifier montrés en console ; les autres sont dans la feuille « À vérifier ».
_CONTROLES = 5


def _afficher_controles(console: Console, controles: list) -> None:
    """Les contrôles de l'analyste : ils ne changent aucun chiffre, ils disent où regarder."""
    from barometre_cli.compilation.a_verifier import texte, titre

    if not controles:
        return
    console.print(Text(f"{titre(len(controles))}.", style="bold yellow"))
    for controle in controles[:_CONTROLES]:
        console.print(_sur(f"  • {texte(controle)}"))
    if len(controles) > _CONTROLES:
        console.print(f"  … et {pluriel(len(controles) - _CONTROLES, 'autre')}.")


#: Codes d'organisation nommés en console (non-répondants, à corriger) ; au-delà, le nombre.
_CODES = 10


def _codes(table) -> str:
    codes = [str(c) for c in table["code"]]
    if len(codes) > _CODES:
        return f"{len(codes)} (feuille Non-répondants)"
    return ", ".join(codes)


def _afficher_reponse(console: Console, conso) -> None:
    """Les deux comptes de la réponse sur les organisations ciblées, puis qui n'a rien envoyé
    et qui a des fichiers à corriger sans aucune cible retenue."""
    ciblees = conso.organisations_ciblees
    if not ciblees:
        return
    transmis, retenues = conso.organisations_ayant_transmis, conso.organisations_repondantes
    organisations = pluriel(transmis, "organisation ciblée", "organisations ciblées")
    console.print(
        f"Réponse : {organisations} sur {ciblees} {'a' if transmis < 2 else 'ont'} transmis au "
        f"moins un fichier ({pourcentage(transmis / ciblees)}) ; {retenues} "
        f"{'est retenue' if retenues < 2 else 'sont retenues'}, avec au moins une cible comptée "
        f"(taux de réponse : {pourcentage(conso.taux_reponse)})."
    )
    if not conso.non_repondants.empty:
        console.print(
            _sur(f"Non-répondants (aucun fichier reçu) : {_codes(conso.non_repondants)}.")
        )
    if not conso.a_corriger.empty:
        console.print(
            _sur(
                "À corriger (fichiers reçus, aucune cible retenue) : "
                f"{_codes(conso.a_corriger)} (détail : relances.csv, feuille Relances)."
            )
        )


#: Fichiers à suivre montrés en console ; les autres sont au journal.
_A_SUIVRE = 15


def _afficher_fichiers(console: Console, collecte, relances) -> None:
    """Le compte des fichiers par statut, ce qui reste à relancer, puis les fichiers à suivre."""
    from barometre_cli.domaine.decisions import Statut

    console.print(
        f"Fichiers : {pluriel(collecte.compte(Statut.RETENU), 'retenu')}, "
        f"{pluriel(collecte.compte(Statut.ECARTE), 'écarté')}, "
        f"{pluriel(collecte.compte(Statut.REJETE), 'rejeté')} (détail : feuille Journal)."
    )
    _afficher_relances(console, relances)
    problemes = [e for e in collecte.journal if e.statut is not Statut.RETENU or e.raisons]
    if not problemes:
        return
    detail = Table(title="Fichiers à suivre", title_justify="left", header_style="bold")
    for titre_col in ("Fichier", "Statut", "Raison"):
        detail.add_column(titre_col, overflow="fold")
    for e in problemes[:_A_SUIVRE]:
        style = "red" if e.statut is Statut.REJETE else "yellow"
        detail.add_row(
            _sur(e.fichier), Text(e.statut.value, style=style), _sur(" ; ".join(e.raisons))
        )
    console.print(detail)
    if len(problemes) > _A_SUIVRE:
        reste = len(problemes) - _A_SUIVRE
        console.print(f"… et {pluriel(reste, 'autre')} : voir la feuille Journal.")


def _afficher_evolution_organisations(console: Console, precedent) -> None:
    """Dire si l'évolution de chaque organisation a pu être calculée, et sinon pourquoi."""
    if precedent is None or precedent.chemin is None:
        return
    if precedent.organisations is not None:
        console.print(
            _sur(
                "Évolution par organisation : feuille Par organisation et fiches (historique "
                f"{precedent.chemin_organisations})."
            ),
            style="dim",
        )
    else:
        console.print(
            _sur(
                "Pas d'évolution par organisation : aucun organisations.csv à côté de "
                f"{precedent.chemin} (les compilations d'avant 2026 ne l'écrivaient pas)."
            ),
            style="dim",
        )


def _afficher_relances(console: Console, relances) -> None:
    """Une ligne : combien d'organisations et de cibles restent à suivre."""
    from barometre_cli.compilation.suivi import nombre_cibles

    if not relances:
        console.print(
            "À relancer : personne ; chaque organisation ciblée a toutes ses cibles retenues."
        )
        return
    console.print(
        f"À relancer : {pluriel(len(relances), 'organisation')}, "
        f"{pluriel(nombre_cibles(relances), 'cible')} à suivre (détail : relances.csv, "
        "feuille Relances)."
    )
