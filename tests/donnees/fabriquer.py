"""Refait les classeurs de `tests/donnees/` : des gabarits remplis puis enregistrés par LibreOffice.

Ces fichiers viennent d'une vraie suite bureautique (valeurs des formules en cache, propriétés
numériques devenues décimales, styles réécrits) : ils sont committés pour que les tests les
lisent même sur une machine sans LibreOffice. Pour les refaire :

    python tests/donnees/fabriquer.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from barometre_cli.catalogue import cible
from barometre_cli.gabarit import octets_gabarit
from barometre_cli.registre import Organisation
from barometre_cli.remplissage import remplir

ICI = Path(__file__).resolve().parent
ORG = Organisation("MTQ01", "Ministère des Transports (fictif)", "Administration publique")
IDENTIFICATION = {
    "organisation_code": ORG.code,
    "organisation_nom": ORG.nom,
    "repondant_nom": "Jeanne Tremblay",
    "repondant_courriel": "jeanne.tremblay@exemple.gouv.qc.ca",
    "periode": 2026,
}

CLASSEURS = {
    # Un 5.1 correct : 3 services sur 4 dépassent 75 % (dont un à 75 % pile, qui ne compte pas).
    "libreoffice-cible-5.1.xlsx": (
        "5.1",
        {
            "c5_1_services": [
                ["Permis de conduire — renouvellement", 91_000, 100_000],
                ["Immatriculation", 75_000, 100_000],
                ["Demande de vignette", 4_800, 5_000],
                ["Réservation d'examen", 8_100, 9_000],
            ]
        },
    ),
    # Un 1.1 mal rempli, comme un répondant pressé : texte, décimale, courriel incomplet.
    "libreoffice-cible-1.1-erreurs.xlsx": (
        "1.1",
        {
            "repondant_courriel": "jeanne.tremblay",
            "c1_1_numerateur": "douze",
            "c1_1_denominateur": 10.5,
        },
    ),
    # Un 5.2 correct avec les deux formes d'apostrophe et des majuscules.
    "libreoffice-cible-5.2.xlsx": (
        "5.2",
        {
            "c5_2_statuts": [
                "Sans papier de bout en bout",
                "SANS PAPIER DE BOUT EN BOUT",
                "Partiellement sans papier",
                "Papier de bout en bout",
                "Inexistant dans l’organisation",
                "Inexistant dans l'organisation",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
                "Partiellement sans papier",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
            ]
        },
    ),
}


def fabriquer() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) est requis pour refaire ces classeurs.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for nom, (id_cible, valeurs) in CLASSEURS.items():
            base = octets_gabarit(cible(id_cible), "2026", ORG)
            (tmp / nom).write_bytes(remplir(base, {**IDENTIFICATION, **valeurs}))
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profil",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(tmp / "lo"),
                *(str(tmp / nom) for nom in CLASSEURS),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for nom in CLASSEURS:
            shutil.copy(tmp / "lo" / nom, ICI / nom)


if __name__ == "__main__":
    fabriquer()
    print(f"Classeurs écrits dans {ICI}")
