"""Les rapports en JSON, pour les scripts des analystes : des nombres, pas du texte mis en forme."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from barometre_cli.calculs.base import Resultat
from barometre_cli.validation.rapport import RapportFichier


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


def compilation_vers_json(compilation) -> str:
    """Le JSON de `compiler --format json`."""
    dico = compilation_vers_dict(compilation.collecte, compilation.conso, compilation.sorties)
    return json.dumps(dico, ensure_ascii=False, indent=2)


def compilation_vers_dict(collecte, conso, sorties: list) -> dict[str, Any]:
    """Les chiffres de `compiler` pour les scripts : mêmes valeurs que le CSV ouvert."""
    import math

    from barometre_cli.compilation.a_verifier import texte as texte_controle
    from barometre_cli.compilation.collecte import Statut
    from barometre_cli.sorties.journal_csv import lignes_journal

    def propre(v):
        # Scalaires numpy d'abord (un float32 n'est pas un float), puis NaN → null : les
        # colonnes d'évolution sont vides quand rien n'est comparable, jamais NaN en JSON.
        v = v.item() if hasattr(v, "item") else v
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return None
        return v

    def compte(v):
        v = propre(v)
        return None if v is None else int(v)

    return {
        "periode": collecte.periode,
        "periode_deduite": collecte.periode_deduite,
        "registre_fourni": collecte.registre_fourni,
        "organisations_ciblees": conso.organisations_ciblees,
        "organisations_ayant_transmis": conso.organisations_ayant_transmis,
        "organisations_repondantes": conso.organisations_repondantes,
        "taux_reponse": conso.taux_reponse,
        "fichiers": {
            "retenus": collecte.compte(Statut.RETENU),
            "ecartes": collecte.compte(Statut.ECARTE),
            "rejetes": collecte.compte(Statut.REJETE),
        },
        "resultats": [
            {k: propre(v) for k, v in ligne.items()} for ligne in conso.resultats.to_dict("records")
        ],
        # Les lignes du journal (`colonnes.JOURNAL`), sous les clés publiées de ce JSON.
        "journal": [
            {
                "fichier": ligne["fichier"],
                "statut": ligne["statut"],
                "organisation": ligne["organisation_code"],
                "cibles": ligne["cibles"],
                "cibles_retenues": ligne["cibles_retenues"],
                "raisons": ligne["raisons"],
                "sha256": ligne["sha256"],
                "format": ligne["format"],
            }
            for ligne in lignes_journal(collecte)
        ],
        "par_organisation": [
            {
                "organisation": ligne["code"],
                "cible": ligne["cible"],
                "numerateur": compte(ligne["numerateur"]),
                "denominateur": compte(ligne["denominateur"]),
                "resultat": propre(ligne["resultat"]),
                "respecte": None if propre(ligne["respecte"]) is None else bool(ligne["respecte"]),
                "fichier": ligne["fichier"],
                "rejete_plus_recent": propre(ligne["rejete_plus_recent"]),
            }
            for ligne in conso.organisations.to_dict("records")
            if not isinstance(ligne["absence"], str)
        ],
        "a_verifier": [
            {
                "code": k.code,
                "cible": k.cible,
                "organisation": k.organisation,
                "valeur": k.valeur,
                "total": k.total or None,
                "fichier": k.fichier,
                "respecte": k.respecte,
                "message": texte_controle(k),
            }
            for k in conso.a_verifier
        ],
        "precedent": _precedent(conso.precedent),
        "relances": [relance_vers_dict(r) for r in conso.relances],
        "sorties": [str(p) for p in sorties],
    }


def _precedent(precedent) -> dict[str, Any] | None:
    """La collecte comparée (`--precedent`) : sa période ("" si inconnue) et ses fichiers."""
    if precedent is None:
        return None
    return {
        "periode": precedent.periode,
        "origine_periode": precedent.origine_periode,
        "resultats": str(precedent.chemin) if precedent.chemin else None,
        "organisations": (
            str(precedent.chemin_organisations) if precedent.chemin_organisations else None
        ),
    }


def relance_vers_dict(relance) -> dict[str, Any]:
    """Une organisation à relancer : codes et fichiers en cause pour les scripts, et les
    phrases (sans code) que l'organisation recevrait."""
    from barometre_cli.compilation.suivi import cibles_dues, details, salutation, texte

    def erreurs(liste) -> list[dict[str, str]]:
        return [
            {
                "code": e.code,
                "feuille": e.feuille,
                "cellule": e.cellule,
                "message": e.message,
                "fichier": e.fichier,
            }
            for e in liste
        ]

    org = relance.organisation
    return {
        "organisation": org.code,
        "nom": org.nom,
        "reseau": org.reseau,
        "contact": {
            "nom": relance.contact_nom,
            "courriel": relance.contact_courriel,
            "source": relance.contact_source,
        },
        "salutation": salutation(relance),
        "aucun_fichier": relance.aucun_fichier,
        "cibles_dues": cibles_dues(relance),
        "cibles": [
            {
                "cible": a.cible,
                "code": a.code,
                "fichiers": list(a.fichiers),
                "erreurs": erreurs(a.erreurs),
                "periodes": list(a.periodes),
                "codes": list(a.codes),
                "texte": texte(a),
            }
            for a in relance.cibles
        ],
        "fichiers_inutilisables": [
            {"fichier": f.fichier, "erreurs": erreurs(f.erreurs)} for f in relance.inutilisables
        ],
        "details": details(relance),
    }
