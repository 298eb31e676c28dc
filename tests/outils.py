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


# --- Ce que la feuille qui se vérifie signale, et ce que `valider` signale ---------------------


def _natures_des_messages(id_: str, periode: str) -> dict[str, str]:
    """Message affiché → nature du contrôle ; en tête de phrase ou après « Libellé : »."""
    from barometre_cli.gabarit.saisie import controles_gabarit

    natures = {}
    for v in controles_gabarit(cible(id_), periode):
        natures[v.message] = v.nature
        natures[v.message[0].lower() + v.message[1:]] = v.nature
    return natures


def verdicts_feuille(chemin: Path, id_: str) -> set[tuple[str, bool]]:
    """(cellule, grave) de chaque saisie que la feuille enregistrée par un tableur signale
    (messages calculés, gardés dans le fichier), hors « à confirmer » (ce que `valider` dit
    par une info)."""
    from openpyxl import load_workbook

    from barometre_cli.calculs.base import A_CONFIRMER, A_CORRIGER, A_REMPLIR
    from barometre_cli.catalogue import PROP_PERIODE

    c = cible(id_)
    formules = load_workbook(chemin)
    proprietes = {p.name: str(p.value) for p in formules.custom_doc_props.props}
    periode = proprietes.get(PROP_PERIODE, "-").removesuffix(".0").strip("-")
    natures = _natures_des_messages(id_, periode)
    saisie = load_workbook(chemin, data_only=True)["Saisie"]
    formules = formules["Saisie"]
    tableau = c.champs[0].colonnes
    colonne_message = "G" if tableau else "D"
    lettres = {col.nom_court: "BCD"[j] for j, col in enumerate(tableau)}
    verdicts = set()

    def noter(cellule: str, message: str) -> None:
        nature = natures[message]
        if nature != A_CONFIRMER:
            verdicts.add((cellule, nature in (A_CORRIGER, A_REMPLIR)))

    for ligne in range(5, saisie.max_row + 1):
        if formules[f"{colonne_message}{ligne}"].data_type != "f":
            continue  # un titre ou une note, pas un message
        texte = saisie[f"{colonne_message}{ligne}"].value
        if not texte or not isinstance(texte, str):
            continue
        if tableau and ligne >= 20:
            for morceau in texte.split(" ; "):
                libelle, message = morceau.split(" : ", 1)
                noter(f"{lettres[libelle]}{ligne}", message)
        else:
            noter(f"C{ligne}", texte)
    return verdicts


def verdicts_valider(chemin: Path) -> set[tuple[str, bool]]:
    """(cellule, grave) du constat le plus grave de `valider` à chaque cellule : la feuille
    ne montre qu'un message par cellule, le plus grave (une erreur passe avant un « à
    vérifier » de la même cellule, comme un nombre au-delà du maximum qui dépasse aussi le
    total de sa ligne). Les infos n'en sont pas : la feuille ne les montre pas."""
    from barometre_cli.domaine.constats import Severite
    from barometre_cli.validation.regles import valider_fichier

    rapport = valider_fichier(chemin)
    graves: dict[str, bool] = {}
    for k in rapport.constats:
        if k.severite is not Severite.INFO and k.feuille == "Saisie":
            graves[k.cellule] = graves.get(k.cellule, False) or k.severite is Severite.ERREUR
    return set(graves.items())
