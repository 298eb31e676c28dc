"""Le baromètre en une seule page HTML autonome, à publier ou à joindre à un courriel.

Le guide (section 2.5) veut un outil « simple et visuel » qui montre chaque cible avec une brève
description et son effet recherché. La page ne charge rien de l'extérieur (ni police, ni image,
ni script) : elle s'ouvre hors ligne, depuis une pièce jointe, et ne trahit pas son lecteur.
Tout passe par un modèle Jinja2 à échappement automatique : un nom saisi par un répondant ne
peut jamais devenir du code dans la page.

Ce module prépare des « vues » (de simples chaînes déjà formatées à la québécoise) ; le modèle
ne fait que les disposer. Jinja2 n'est importé qu'à l'appel, pour que `valider` reste léger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barometre_cli import __version__
from barometre_cli.calculs import cibles_dependant_du_registre, methode_portees, nombre_cibles
from barometre_cli.catalogue import (
    AMBITIONS,
    DEBUT_PERIODE_REFERENCE,
    ORIENTATIONS,
    Cible,
    cibles,
)
from barometre_cli.domaine.formats import date_longue, enumerer, pourcentage, taux_atteinte
from barometre_cli.ecriture.atomique import ecrire_texte_atomiquement

if TYPE_CHECKING:  # pandas et jinja2 ne se chargent qu'à l'appel
    import jinja2

    from barometre_cli.compilation.collecte import Collecte
    from barometre_cli.compilation.consolidation import Consolidation

#: Dossier des modèles livrés avec le paquet (package-data `sorties/modeles/*`).
MODELES = Path(__file__).parent / "modeles"
MODELE_PAGE = "barometre.html.j2"
NOM_FICHIER = "barometre.html"

ENSEMBLE = "ensemble"  # même valeur que consolidation.ENSEMBLE, sans charger pandas ici


@dataclass(frozen=True)
class Variation:
    """Un écart entre deux collectes, dit en mots : la couleur seule ne suffit pas (WCAG 1.4.1)."""

    texte: str  # « +3,2 points », « −1,5 point », « 0,0 point », « non calculable »
    sens: str  # « en hausse », « en baisse », « stable », ou "" si non calculable
    classe: str  # hausse, baisse, stable, inconnue (pour la couleur et la flèche)


@dataclass(frozen=True)
class Cellule:
    """Le résultat d'une cible pour une portée, prêt à afficher."""

    resultat: str
    couverture: str
    variation: Variation | None = None


@dataclass(frozen=True)
class VueCible:
    """Une carte de cible : tout est déjà du texte, le modèle ne calcule rien."""

    id: str
    ancre: str
    titre: str
    indicateur: str
    effet_recherche: str
    resultat: str
    visee: str
    atteinte: str  # « 84 % » ou « indéterminé », jamais plafonné
    largeur_barre: str | None  # « 83.6% » pour le CSS, plafonné à 100 % ; None si indéterminé
    atteinte_ok: bool
    indetermine: bool
    repondantes: int
    ciblees: int
    precedent: str | None = None
    variation: Variation | None = None


@dataclass
class VueAmbition:
    numero: int
    titre: str
    cibles: list[VueCible] = field(default_factory=list)


@dataclass
class VueOrientation:
    numero: int
    titre: str
    ambitions: list[VueAmbition] = field(default_factory=list)


@dataclass(frozen=True)
class VueReseau:
    """Une colonne du tableau par réseau, avec ce qu'il faut pour juger de sa couverture."""

    nom: str
    ciblees: int
    repondantes: int | None

    @property
    def detail(self) -> str:
        """« 14 organisations ciblées, 13 retenues » (singulier sous 2, à la française)."""
        ciblees = _accorder(self.ciblees, "organisation ciblée", "organisations ciblées")
        texte = f"{self.ciblees} {ciblees}"
        if self.repondantes is not None:
            texte += f", {self.repondantes} {_accorder(self.repondantes, 'retenue', 'retenues')}"
        return texte


def _accorder(n: int, singulier: str, pluriel: str) -> str:
    return singulier if n < 2 else pluriel


def _nombre(valeur: Any) -> float | None:
    """Une valeur du DataFrame en float, ou None si elle manque (NaN, None, pd.NA)."""
    if valeur is None:
        return None
    try:
        nombre = float(valeur)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(nombre) else nombre


def _entier(valeur: Any) -> int:
    """Un dénombrement du DataFrame ; 0 s'il manque (une ligne absente, une case vide)."""
    nombre = _nombre(valeur)
    return 0 if nombre is None else int(nombre)


def texte_variation(points: float | None) -> Variation:
    """« +3,2 points, en hausse » : signe typographique, accord de « point » et sens en mots.

    En français, « point » reste au singulier sous 2 (« 1,5 point ») ; un écart qui s'arrondit
    à zéro est dit « stable » plutôt que « −0,0 point ».
    """
    if points is None:
        return Variation("non calculable", "", "inconnue")
    arrondi = round(points, 1)
    valeur = f"{abs(arrondi):.1f}".replace(".", ",")
    unite = "point" if abs(arrondi) < 2 else "points"
    if arrondi == 0:
        return Variation(f"{valeur} {unite}", "stable", "stable")
    if arrondi > 0:
        return Variation(f"+{valeur} {unite}", "en hausse", "hausse")
    return Variation(f"\u2212{valeur} {unite}", "en baisse", "baisse")


def texte_atteinte(taux: float | None) -> str:
    """Le taux d'atteinte affiché : la règle commune de `formats.taux_atteinte`."""
    return taux_atteinte(taux)


def _largeur(taux: float | None) -> str | None:
    """Largeur CSS de la barre : plafonnée à 100 % (le chiffre, lui, ne l'est pas)."""
    if taux is None:
        return None
    return f"{max(0.0, min(taux, 1.0)) * 100:.1f}%"


def _couverture(repondantes: int, ciblees: int) -> str:
    return f"{repondantes} sur {ciblees}"


def _colonnes_evolution(resultats) -> tuple[bool, bool]:
    """Les colonnes d'évolution (ajoutées quand une collecte précédente est fournie)."""
    return "resultat_precedent" in resultats.columns, "variation" in resultats.columns


def _vue_cible(c: Cible, ligne: dict, precedent: bool, variation: bool) -> VueCible:
    resultat = _nombre(ligne.get("resultat"))
    taux = _nombre(ligne.get("taux_atteinte"))
    return VueCible(
        id=c.id,
        ancre="cible-" + c.id.replace(".", "-"),
        titre=c.titre,
        indicateur=c.indicateur,
        effet_recherche=c.effet_recherche,
        resultat=pourcentage(resultat),
        visee=f"{c.valeur_visee_pct} %",
        atteinte=texte_atteinte(taux),
        largeur_barre=_largeur(taux),
        atteinte_ok=taux is not None and taux >= 1,
        indetermine=resultat is None,
        repondantes=_entier(ligne.get("organisations_repondantes")),
        ciblees=_entier(ligne.get("organisations_ciblees")),
        precedent=pourcentage(_nombre(ligne.get("resultat_precedent"))) if precedent else None,
        variation=texte_variation(_nombre(ligne.get("variation"))) if variation else None,
    )


def _lignes_par_portee(resultats) -> dict[str, dict[str, dict]]:
    """portée → cible → ligne (dict) : un accès direct, quel que soit l'ordre du DataFrame."""
    par_portee: dict[str, dict[str, dict]] = {}
    for ligne in resultats.to_dict("records"):
        par_portee.setdefault(str(ligne["portee"]), {})[str(ligne["cible"])] = ligne
    return par_portee


def _repondantes_par_reseau(conso: Consolidation) -> dict[str, int]:
    """Organisations qui ont au moins une donnée retenue, par réseau."""
    reponses = conso.reponses
    if reponses.empty:
        return {}
    return {str(k): int(v) for k, v in reponses.groupby("reseau")["code"].nunique().items()}


def contexte(collecte: Collecte, conso: Consolidation, produit_le: date | None = None) -> dict:
    """Tout ce que le modèle affiche, calculé et formaté ici plutôt que dans le gabarit."""
    resultats = conso.resultats
    precedent, variation = _colonnes_evolution(resultats)
    par_portee = _lignes_par_portee(resultats)
    ensemble = par_portee.get(ENSEMBLE, {})

    orientations: dict[int, VueOrientation] = {}
    vues: list[VueCible] = []
    for c in cibles():
        vue = _vue_cible(c, ensemble.get(c.id, {}), precedent, variation)
        vues.append(vue)
        orientation = orientations.setdefault(
            c.orientation, VueOrientation(c.orientation, ORIENTATIONS[c.orientation])
        )
        if not orientation.ambitions or orientation.ambitions[-1].numero != c.ambition:
            orientation.ambitions.append(VueAmbition(c.ambition, AMBITIONS[c.ambition]))
        orientation.ambitions[-1].cibles.append(vue)

    repondantes = _repondantes_par_reseau(conso)
    reseaux = []
    for portee, lignes in par_portee.items():
        if portee == ENSEMBLE:
            continue
        premiere = next(iter(lignes.values()))
        reseaux.append(
            VueReseau(
                portee, _entier(premiere.get("organisations_ciblees")), repondantes.get(portee)
            )
        )
    portees = [
        VueReseau(
            "Ensemble des organisations",
            conso.organisations_ciblees,
            conso.organisations_repondantes,
        ),
        *reseaux,
    ]
    tableau = []
    for vue in vues:
        cellules = []
        for portee in [ENSEMBLE, *(r.nom for r in reseaux)]:
            ligne = par_portee.get(portee, {}).get(vue.id, {})
            cellules.append(
                Cellule(
                    resultat=pourcentage(_nombre(ligne.get("resultat"))),
                    couverture=_couverture(
                        _entier(ligne.get("organisations_repondantes")),
                        _entier(ligne.get("organisations_ciblees")),
                    ),
                    variation=(
                        texte_variation(_nombre(ligne.get("variation"))) if variation else None
                    ),
                )
            )
        tableau.append((vue, cellules))

    from barometre_cli.compilation.consolidation import AYANT_TRANSMIS, RETENUES
    from barometre_cli.compilation.evolution import avis_periode_inconnue, texte_comparaison

    evolution = precedent or variation
    precedente = conso.precedent
    determinees = [v for v in vues if not v.indetermine]
    return {
        "periode": collecte.periode or "",
        "periode_deduite": bool(collecte.periode_deduite and collecte.periode),
        "registre_fourni": collecte.registre_fourni,
        "repondantes": conso.organisations_repondantes,
        "ciblees": conso.organisations_ciblees,
        "ayant_transmis": conso.organisations_ayant_transmis,
        "taux_reponse": pourcentage(conso.taux_reponse),
        #: les deux comptes de la réponse, définis une fois (`consolidation`)
        "definition_ayant_transmis": AYANT_TRANSMIS,
        "definition_retenues": RETENUES,
        "orientations": list(orientations.values()),
        "nb_cibles": len(vues),
        "nb_atteintes": sum(v.atteinte_ok for v in vues),
        "nb_determinees": len(determinees),
        "evolution": evolution,
        #: « collecte 2026 comparée à 2025 » (avec une majuscule dans la page)
        "comparaison": texte_comparaison(collecte.periode, precedente) if evolution else "",
        "avis_precedent": avis_periode_inconnue(precedente) if evolution else None,
        "precedent": precedent,
        "variation": variation,
        "portees": portees,
        "reseaux": reseaux,
        "tableau": tableau,
        "version": __version__,
        "produit_le": date_longue(produit_le or date.today()),
        "debut_periode": DEBUT_PERIODE_REFERENCE,
        #: les mots qui viennent du catalogue et des types de calcul, jamais écrits ici
        "nombre_cibles_lettres": nombre_cibles(),
        "cibles_registre": enumerer(cibles_dependant_du_registre()),
        "methode": methode_portees("le résultat de l'ensemble"),
    }


@cache
def _environnement() -> jinja2.Environment:
    """L'environnement Jinja2 : échappement automatique partout, variable inconnue = erreur."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(MODELES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def page_html(collecte: Collecte, conso: Consolidation, *, produit_le: date | None = None) -> str:
    """La page du baromètre, complète et autonome ; `produit_le` fixe la date (tests, reprise)."""
    modele = _environnement().get_template(MODELE_PAGE)
    return modele.render(contexte(collecte, conso, produit_le))


def ecrire_html(
    collecte: Collecte, conso: Consolidation, chemin: Path, *, produit_le: date | None = None
) -> Path:
    """Écrit la page de façon atomique : un lecteur n'ouvre jamais une page à moitié écrite."""
    return ecrire_texte_atomiquement(
        Path(chemin), page_html(collecte, conso, produit_le=produit_le)
    )
