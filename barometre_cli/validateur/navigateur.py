"""Le côté Python de la page du vérificateur : ce que le Web Worker appelle dans Pyodide.

Le worker place le classeur choisi dans le système de fichiers virtuel de Pyodide sous son nom
d'origine, puis appelle `verifier(chemin)` : la même lecture et les mêmes règles que
`barometre valider`, le même rapport que `valider --format json` (le champ `fichier` porte le
nom du fichier, pas son chemin virtuel), et le texte déjà mis en forme pour la page (mêmes
libellés et mêmes nombres à la québécoise que la console). Rien ici ne dépend de rich ni de
typer : Pyodide n'embarque que la bibliothèque standard.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.formats import sans_controle
from barometre_cli.sorties.json_ import rapport_vers_dict
from barometre_cli.sorties.validation_texte import (
    COLONNES_RESULTATS,
    lignes_resultats,
    verdict,
)
from barometre_cli.validation.regles import RapportFichier, valider_fichier

LIBELLE_GRAVITE = {
    Severite.ERREUR: "Erreur",
    Severite.AVERTISSEMENT: "Avertissement",
    Severite.INFO: "Info",
}


def affichage(rapport: RapportFichier, nom: str) -> dict[str, Any]:
    """Tout le texte que la page montre pour un fichier, déjà mis en forme."""
    organisation = ""
    if rapport.organisation_code or rapport.organisation_nom:
        organisation = sans_controle(f"{rapport.organisation_nom} ({rapport.organisation_code})")
    return {
        "nom": sans_controle(nom),
        "organisation": organisation,
        "cibles": ", ".join(rapport.cibles),
        "constats": [
            {
                "severite": c.severite.value,
                "gravite": LIBELLE_GRAVITE[c.severite],
                "code": c.code,
                "feuille": sans_controle(c.feuille),
                "cellule": sans_controle(c.cellule),
                "message": sans_controle(c.message),
            }
            for c in rapport.constats
        ],
        "colonnes_resultats": list(COLONNES_RESULTATS),
        "resultats": lignes_resultats(rapport),
        "valide": rapport.valide,
        "erreurs": len(rapport.erreurs),
        "verdict": verdict(rapport),
    }


def verifier(chemin: str) -> str:
    """Valide un fichier ; rend en JSON son `rapport` et son `affichage`.

    `rapport` est le texte de ce fichier dans `valider --format json` (même indentation) : la
    page l'insère tel quel dans `{"fichiers": [...]}`, sans repasser les nombres par JavaScript
    (qui écrirait 1 pour 1.0).
    """
    rapport = valider_fichier(chemin)
    nom = PurePosixPath(chemin).name
    donnees = rapport_vers_dict(rapport) | {"fichier": nom}
    return json.dumps(
        {
            "rapport": json.dumps(donnees, ensure_ascii=False, indent=2),
            "affichage": affichage(rapport, nom),
        },
        ensure_ascii=False,
    )
