"""Le journal de la compilation en CSV : chaque fichier, son sort et ses raisons.

Écrit à chaque compilation, même quand rien n'a pu être retenu : c'est la trace à transmettre
aux organisations dont les fichiers ont été écartés ou rejetés. En UTF-8 avec BOM, pour
qu'Excel l'ouvre sans abîmer les accents. Le texte venu des fichiers y est neutralisé : une
case qui commence par « = », « + », « - », « @ » ou une tabulation serait exécutée par un
tableur (injection CSV) ; elle reçoit une apostrophe devant.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from barometre_cli.compilation.collecte import Collecte
from barometre_cli.domaine.colonnes import COLONNES_JOURNAL
from barometre_cli.domaine.formats import sans_controle
from barometre_cli.ecriture.atomique import ecrire_texte_atomiquement
from barometre_cli.ecriture.csv_sur import neutraliser

__all__ = ["COLONNES", "ecrire_journal", "lignes_journal", "neutraliser", "texte_journal"]

#: Les colonnes du journal, définies une fois dans `colonnes.JOURNAL` (CSV, classeur, JSON).
COLONNES = COLONNES_JOURNAL


def _constat(c) -> str:
    return f"{c.severite.value} {c.code} {c.feuille}!{c.cellule} : {c.message}".replace("!:", ":")


def lignes_journal(collecte: Collecte) -> Iterator[dict[str, Any]]:
    """Une ligne par fichier, aux clés de `colonnes.JOURNAL` ; chaque sortie en met les valeurs
    en forme (texte pour le CSV, date et nombres pour le classeur)."""
    for e in collecte.journal:
        yield {
            "fichier": e.fichier,
            "statut": e.statut.value,
            "organisation_code": e.organisation_code,
            "organisation_nom": e.organisation_nom,
            "periode": e.periode,
            "cibles": list(e.cibles),
            "cibles_retenues": list(e.cibles_retenues),
            "modifie": e.modifie,
            "erreurs": e.nb_erreurs,
            "avertissements": e.nb_avertissements,
            "raisons": e.raisons,
            "constats": [_constat(c) for c in e.constats],
            "sha256": e.sha256,
            "format": e.format,
        }


def _case(cle: str, valeur: Any) -> str:
    """Une valeur du journal en texte de CSV."""
    if isinstance(valeur, list):
        return {"raisons": " ; ", "constats": " | "}.get(cle, " ").join(valeur)
    if isinstance(valeur, datetime):
        return valeur.isoformat()
    return "" if valeur is None else str(valeur)


def texte_journal(collecte: Collecte) -> str:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    for ligne in lignes_journal(collecte):
        ecrivain.writerow([neutraliser(sans_controle(_case(cle, ligne[cle]))) for cle in COLONNES])
    return tampon.getvalue()


def ecrire_journal(collecte: Collecte, dossier: Path) -> Path:
    return ecrire_texte_atomiquement(
        dossier / "journal.csv", texte_journal(collecte), encodage="utf-8-sig"
    )
