"""Le suivi de la collecte sur l'exemple livré : qui doit quoi, et à qui écrire.

L'exemple (`python exemples/fabriquer.py`) contient, parmi 40 organisations ciblées :

- AP14 et SS10, qui n'ont rien envoyé ;
- SS09 et EE12, qui n'ont envoyé qu'une partie des cibles (EE12 a en plus deux versions de
  sa cible 1.2 enregistrées au même moment : un conflit) ;
- AP03 (1.2), SS02 (5.1) et EE05 (5.2), chacune avec une cible exclue pour une erreur ;
- AP06, qui a envoyé deux fois sa 1.1 (la plus récente est retenue : rien à suivre).

Le registre donne la personne à joindre de chaque organisation, sauf SS02, EE05, EE12 et AP07 :
pour celles-là, c'est la personne répondante nommée dans leurs classeurs.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli.catalogue import cibles
from barometre_cli.cli import app
from barometre_cli.compilation.suivi import NON_RECUE, ErreurCitee, details, texte
from barometre_cli.domaine.colonnes import COLONNES_RELANCES
from barometre_cli.domaine.decisions import Motif
from barometre_cli.sorties.fiches import DEBUT_RESULTATS, FEUILLE_RESULTATS, TITRE_A_SUIVRE
from barometre_cli.sorties.json_ import compilation_vers_dict

runner = CliRunner()
EXEMPLES = Path(__file__).resolve().parents[1] / "exemples"
TOUTES = tuple(c.id for c in cibles())
EXCLUE, CONFLIT = Motif.EXCLUE.value, Motif.CONFLIT.value

#: organisation → (cible, code) de chaque cible à suivre, et d'où vient la personne à joindre
ATTENDU = {
    "AP03": ([("1.2", EXCLUE)], "registre"),
    "AP14": ([(c, NON_RECUE) for c in TOUTES], "registre"),
    "SS02": ([("5.1", EXCLUE)], "classeur"),
    "SS09": ([(c, NON_RECUE) for c in ("1.1", "1.2", "1.3", "2.1", "3.1", "4.2", "5.1")],
             "registre"),
    "SS10": ([(c, NON_RECUE) for c in TOUTES], "registre"),
    "EE05": ([("5.2", EXCLUE)], "classeur"),
    "EE12": ([("1.2", CONFLIT), *((c, NON_RECUE) for c in ("1.3", "2.1", "3.1", "5.1", "6.1"))],
             "classeur"),
}  # fmt: skip


@pytest.fixture
def exemple(exemple_compile):
    """L'exemple livré, compilé une fois par séance : (collecte, conso)."""
    _, collecte, conso = exemple_compile
    return collecte, conso


@pytest.fixture(scope="module")
def sortie(tmp_path_factory):
    """La compilation de l'exemple par la CLI, une fois : (dossier de sortie, console)."""
    dossier = tmp_path_factory.mktemp("suivi") / "resultats"
    resultat = runner.invoke(
        app, ["compiler", str(EXEMPLES / "classeurs"), "-r", str(EXEMPLES / "registre.csv"),
              "-p", "2026", "-o", str(dossier), "--fiches"],
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    return dossier, " ".join(resultat.output.split())


def test_exactement_les_organisations_qui_doivent_quelque_chose(exemple):
    _, conso = exemple
    obtenu = {
        r.organisation.code: ([(a.cible, a.code) for a in r.cibles], r.contact_source)
        for r in conso.relances
    }
    assert obtenu == ATTENDU
    # Contre-vérification indépendante : les cases « non reçue » ou « exclue » de la table
    # par organisation sont exactement les cibles à suivre.
    absentes = conso.organisations[conso.organisations["absence"].notna()]
    assert set(zip(absentes["code"], absentes["cible"], strict=True)) == {
        (r.organisation.code, a.cible) for r in conso.relances for a in r.cibles
    }
    # Chaque organisation à relancer a une personne à joindre avec une adresse.
    assert all(r.contact_nom and "@" in r.contact_courriel for r in conso.relances)


def test_contact_du_registre_sinon_du_classeur(exemple):
    _, conso = exemple
    par_code = {r.organisation.code: r for r in conso.relances}
    ap03, ss02 = par_code["AP03"], par_code["SS02"]
    assert (
        (ap03.contact_nom, ap03.contact_courriel)
        == (
            ap03.organisation.contact_nom,
            ap03.organisation.contact_courriel,
        )
        != ("", "")
    )
    assert ss02.organisation.contact_courriel == ""  # case vide au registre
    classeurs = [e for e in exemple[0].journal if e.organisation_code == "SS02"]
    assert (ss02.contact_nom, ss02.contact_courriel) == (
        classeurs[0].repondant_nom,
        classeurs[0].repondant_courriel,
    )
    assert ss02.contact_courriel.endswith("@ss02.exemple.gouv.qc.ca")


def test_detail_des_cibles_exclues_et_en_conflit(exemple):
    _, conso = exemple
    par_code = {r.organisation.code: r for r in conso.relances}
    ap03 = par_code["AP03"].cibles[0]
    assert ap03.fichiers == ("AP03/barometre-2026-cible-1.2-AP03.xlsx",)
    assert ap03.erreurs == (ErreurCitee("numerateur-superieur", "Saisie", "C13"),)
    assert texte(ap03) == (
        "1.2 : exclue, erreurs à corriger dans AP03/barometre-2026-cible-1.2-AP03.xlsx : "
        "numerateur-superieur (Saisie, C13)"
    )
    conflit = par_code["EE12"].cibles[0]
    assert conflit.fichiers == (
        "EE12/barometre-2026-cible-1.2-EE12-version-2.xlsx",
        "EE12/barometre-2026-cible-1.2-EE12.xlsx",
    )
    assert texte(conflit).startswith(
        "1.2 : mise de côté, conflit entre EE12/barometre-2026-cible-1.2-EE12-version-2.xlsx "
        "et EE12/barometre-2026-cible-1.2-EE12.xlsx"
    )
    assert details(par_code["SS09"]).startswith("1.1 : non reçue | 1.2 : non reçue |")
    assert par_code["AP14"].aucun_fichier
    assert details(par_code["AP14"]) == f"aucun classeur reçu (cibles {', '.join(TOUTES)})"


def test_relances_csv_pret_pour_le_publipostage(exemple, sortie):
    dossier, _ = sortie
    octets = (dossier / "relances.csv").read_bytes()
    assert octets.startswith(b"\xef\xbb\xbf")  # BOM : Excel lit l'UTF-8
    lignes = list(csv.DictReader(io.StringIO(octets.decode("utf-8-sig"))))
    assert list(lignes[0]) == COLONNES_RELANCES
    assert [l["organisation_code"] for l in lignes] == list(ATTENDU)
    par_code = {l["organisation_code"]: l for l in lignes}
    for code, (dues, source) in ATTENDU.items():
        assert par_code[code]["cibles_a_suivre"] == ", ".join(c for c, _ in dues)
        assert par_code[code]["contact_source"] == source
        assert par_code[code]["periode"] == "2026"
    _, conso = exemple
    for relance in conso.relances:
        assert par_code[relance.organisation.code]["details"] == details(relance)
    assert par_code["SS02"]["details"].endswith("ligne-incomplete (Saisie, C21)")


def test_feuille_relances_console_et_json(exemple, sortie):
    dossier, console = sortie
    feuille = load_workbook(dossier / "sommaire.xlsx")["Relances"]
    entetes = [c.value for c in feuille[1]]
    assert entetes[:3] == ["Code", "Organisation", "Réseau"] and "Détail" in entetes
    codes = [feuille.cell(r, 1).value for r in range(2, feuille.max_row + 1)]
    assert codes == list(ATTENDU)
    ee12 = feuille.cell(codes.index("EE12") + 2, entetes.index("Détail") + 1).value
    assert ee12.split("\n")[1:] == [f"{c} : non reçue" for c in ("1.3", "2.1", "3.1", "5.1", "6.1")]
    assert "À relancer : 7 organisations, 36 cibles à suivre" in console
    assert str(dossier / "relances.csv") in console

    collecte, conso = exemple
    donnees = json.loads(json.dumps(compilation_vers_dict(collecte, conso, [])))
    assert [r["organisation"] for r in donnees["relances"]] == list(ATTENDU)
    ap03 = donnees["relances"][0]
    assert ap03["cibles"][0] | {"texte": ""} == {
        "cible": "1.2",
        "code": "cible-exclue",
        "fichiers": ["AP03/barometre-2026-cible-1.2-AP03.xlsx"],
        "erreurs": [{"code": "numerateur-superieur", "feuille": "Saisie", "cellule": "C13"}],
        "periodes": [],
        "codes": [],
        "texte": "",
    }
    assert ap03["contact"]["source"] == "registre"
    assert donnees["precedent"] is None


def _a_suivre(chemin: Path) -> list[str]:
    """Les lignes de la section « À transmettre ou à corriger » d'une fiche."""
    feuille = load_workbook(chemin)[FEUILLE_RESULTATS]
    debut = next(
        r for r in range(DEBUT_RESULTATS, feuille.max_row + 1)
        if feuille.cell(r, 1).value == TITRE_A_SUIVRE
    )  # fmt: skip
    return [feuille.cell(r, 1).value for r in range(debut + 1, feuille.max_row + 1)]


def test_fiches_disent_ce_qui_reste_a_transmettre(exemple, sortie):
    dossier, _ = sortie
    _, conso = exemple
    ee12 = next(r for r in conso.relances if r.organisation.code == "EE12")
    assert _a_suivre(dossier / "fiches" / "fiche-EE12.xlsx") == [texte(a) for a in ee12.cibles]
    assert _a_suivre(dossier / "fiches" / "fiche-AP14.xlsx") == [
        f"aucun classeur reçu (cibles {', '.join(TOUTES)})"
    ]
    assert _a_suivre(dossier / "fiches" / "fiche-AP06.xlsx") == [
        "Rien : chacune de vos cibles est reçue et retenue."
    ]


def test_texte_des_contacts_neutralise_contre_l_injection(tmp_path):
    from tests.outils import classeur

    recus = tmp_path / "recus"
    classeur(recus, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="A")
    registre = tmp_path / "registre.csv"
    registre.write_text(
        "code,nom,reseau,contact_nom,contact_courriel\n"
        'A,"=HYPERLINK(""http://x"")",Administration publique,@Chef,chef@a.exemple.ca\n',
        encoding="utf-8",
    )
    resultat = runner.invoke(
        app, ["compiler", str(recus), "-r", str(registre), "-o", str(tmp_path / "o")]
    )
    assert resultat.exit_code == 0, resultat.output
    ligne = next(
        csv.DictReader(io.StringIO((tmp_path / "o" / "relances.csv").read_text("utf-8-sig")))
    )
    assert ligne["organisation_nom"] == '\'=HYPERLINK("http://x")'
    assert ligne["contact_nom"] == "'@Chef"
    assert ligne["contact_courriel"] == "chef@a.exemple.ca"
    feuille = load_workbook(tmp_path / "o" / "sommaire.xlsx")["Relances"]
    assert feuille["B2"].value == '=HYPERLINK("http://x")' and feuille["B2"].data_type == "s"
