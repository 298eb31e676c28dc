"""Fabrique de classeurs pour les tests : de vrais gabarits, remplis par leurs noms définis."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from barometre_cli.catalogue import cible
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import octets_gabarit
from barometre_cli.gabarit.remplissage import remplir

MARS = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def identification(code: str = "ORG1", nom: str = "Organisation un", periode=2026) -> dict:
    return {
        "organisation_code": code,
        "organisation_nom": nom,
        "repondant_nom": "Jeanne Tremblay",
        "repondant_courriel": "jeanne.tremblay@exemple.gouv.qc.ca",
        "periode": periode,
    }


def octets(
    id_cible: str,
    valeurs: dict,
    *,
    code: str = "ORG1",
    periode_gabarit: str = "2026",
    destinataire: Organisation | None = None,
    modifie: datetime | None = MARS,
    formules: bool = False,
    sans_identification: bool = False,
) -> bytes:
    base = octets_gabarit(cible(id_cible), periode_gabarit, destinataire)
    tout = valeurs if sans_identification else {**identification(code), **valeurs}
    return remplir(base, tout, modifie, formules=formules)


def classeur(dossier: Path, nom: str, id_cible: str, valeurs: dict, **options) -> Path:
    chemin = dossier / nom
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes(octets(id_cible, valeurs, **options))
    return chemin


def modifier_membre(chemin: Path, membre: str, transformer) -> None:
    """Réécrit une partie du zip (ex. workbook.xml) : pour fabriquer des classeurs abîmés."""
    source = zipfile.ZipFile(io.BytesIO(chemin.read_bytes()))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible_zip:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == membre:
                donnees = transformer(donnees.decode("utf-8")).encode("utf-8")
            cible_zip.writestr(info, donnees)
    chemin.write_bytes(tampon.getvalue())


def changer_periode(dossier: Path, periode: str) -> None:
    """Fait des sorties d'une compilation celles d'une autre année (colonne `periode` de
    resultats.csv et d'organisations.csv) : deux collectes d'années différentes à partir d'un
    seul dossier de classeurs."""
    import csv

    for nom, encodage in (("resultats.csv", "utf-8"), ("organisations.csv", "utf-8-sig")):
        chemin = dossier / nom
        if not chemin.exists():
            continue
        lignes = list(csv.DictReader(io.StringIO(chemin.read_text(encoding=encodage))))
        tampon = io.StringIO()
        ecrivain = csv.DictWriter(tampon, fieldnames=list(lignes[0]), lineterminator="\r\n")
        ecrivain.writeheader()
        ecrivain.writerows({**ligne, "periode": periode} for ligne in lignes)
        chemin.write_text(tampon.getvalue(), encoding=encodage)
