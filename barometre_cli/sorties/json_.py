"""Les rapports en JSON, pour les scripts des analystes : des nombres, pas du texte mis en forme."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from barometre_cli.calcul import Resultat
from barometre_cli.validation import RapportFichier


def _nombre(valeur: Fraction | None) -> float | None:
    return None if valeur is None else float(valeur)


def resultat_vers_dict(resultat: Resultat) -> dict[str, Any]:
    return {
        "cible": resultat.cible,
        "numerateur": resultat.numerateur,
        "denominateur": resultat.denominateur,
        "proportion": _nombre(resultat.proportion),
        "taux_atteinte": _nombre(resultat.taux_atteinte),
        "respecte": resultat.respecte,
    }


def rapport_vers_dict(rapport: RapportFichier) -> dict[str, Any]:
    """Exactement les clés publiques : fichier, valide, organisation, cibles, constats, resultats."""
    organisation = None
    if rapport.organisation_code or rapport.organisation_nom:
        organisation = {"code": rapport.organisation_code, "nom": rapport.organisation_nom}
    return {
        "fichier": str(rapport.fichier),
        "valide": rapport.valide,
        "organisation": organisation,
        "cibles": list(rapport.cibles),
        "constats": [c.vers_dict() for c in rapport.constats],
        "resultats": [resultat_vers_dict(r) for r in rapport.resultats],
    }


def validation_vers_json(rapports: list[RapportFichier]) -> str:
    return json.dumps(
        {"fichiers": [rapport_vers_dict(r) for r in rapports]}, ensure_ascii=False, indent=2
    )
