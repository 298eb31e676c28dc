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
from pathlib import Path

from barometre_cli.compilation import Collecte
from barometre_cli.sorties.atomique import ecrire_texte_atomiquement
from barometre_cli.sorties.csv_sur import neutraliser

__all__ = ["COLONNES", "ecrire_journal", "neutraliser", "texte_journal"]

COLONNES = [
    "fichier",
    "statut",
    "organisation_code",
    "organisation_nom",
    "periode",
    "cibles",
    "cibles_retenues",
    "modifie",
    "erreurs",
    "avertissements",
    "raisons",
    "constats",
    "sha256",
]


def texte_journal(collecte: Collecte) -> str:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    for e in collecte.journal:
        constats = " | ".join(
            f"{c.severite.value} {c.code} {c.feuille}!{c.cellule} : {c.message}".replace("!:", ":")
            for c in e.constats
        )
        ligne = [
            e.fichier,
            e.statut.value,
            e.organisation_code,
            e.organisation_nom,
            e.periode,
            " ".join(e.cibles),
            " ".join(e.cibles_retenues),
            e.modifie.isoformat() if e.modifie else "",
            str(e.nb_erreurs),
            str(e.nb_avertissements),
            " ; ".join(e.raisons),
            constats,
            e.sha256,
        ]
        ecrivain.writerow([neutraliser(v) for v in ligne])
    return tampon.getvalue()


def ecrire_journal(collecte: Collecte, dossier: Path) -> Path:
    return ecrire_texte_atomiquement(
        dossier / "journal.csv", texte_journal(collecte), encodage="utf-8-sig"
    )
