"""Le texte d'un rapport de `valider`, une seule fois pour la console et pour la page Web.

« Ce qui sera compté pour votre organisation » et la ligne du verdict s'écrivent ici, sans rich
ni typer : la console (`sorties.console`) les met en tableau, la page du vérificateur
(`validateur.navigateur`, dans Pyodide) les montre telles quelles. Les deux disent donc
toujours la même chose, au mot près.
"""

from __future__ import annotations

from barometre_cli.catalogue import cible
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.formats import (
    NON_APPLICABLE,
    entier,
    oui_non,
    pourcentage,
    taux_atteinte,
)
from barometre_cli.validation.rapport import RapportFichier

#: Les colonnes de « Ce qui sera compté pour votre organisation ».
COLONNES_RESULTATS = (
    "Cible",
    "Numérateur",
    "Dénominateur",
    "Proportion",
    "Valeur visée",
    "Taux d'atteinte",
)


def pluriel(n: int, mot: str, pluriel: str | None = None) -> str:
    """« 1 erreur », « 2 erreurs » : le pluriel français commence à 2."""
    return f"{n} {mot if n < 2 else (pluriel or mot + 's')}"


def lignes_resultats(rapport: RapportFichier) -> list[list[str]]:
    """Les cellules de « Ce qui sera compté pour votre organisation », à la québécoise."""
    lignes = []
    for r in rapport.resultats:
        if r.respecte is not None:
            atteinte = f"condition respectée : {oui_non(r.respecte)}"
        else:
            atteinte = taux_atteinte(r.taux_atteinte, NON_APPLICABLE)
        lignes.append(
            [
                r.cible,
                entier(r.numerateur),
                entier(r.denominateur),
                pourcentage(r.proportion, 1, NON_APPLICABLE),
                f"{cible(r.cible).valeur_visee_pct} %",
                atteinte,
            ]
        )
    return lignes


def verdict(rapport: RapportFichier) -> str:
    """La dernière ligne de `valider` pour ce fichier."""
    erreurs = len(rapport.erreurs)
    if erreurs:
        return f"✘ {pluriel(erreurs, 'erreur')} à corriger avant de transmettre le fichier."
    avertissements = sum(c.severite is Severite.AVERTISSEMENT for c in rapport.constats)
    suite = f" ({pluriel(avertissements, 'avertissement')} à vérifier)" if avertissements else ""
    return f"✔ Prêt à transmettre{suite}."
