"""Les contrôles de l'analyste : ils signalent, ils ne changent aucun chiffre."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.compilation.a_verifier import SERIE_MAX, SERIE_MIN, PointAVerifier
from barometre_cli.compilation.collecte import collecter
from barometre_cli.compilation.consolidation import consolider
from barometre_cli.domaine.registre import Organisation
from tests.outils import classeur

runner = CliRunner()
REGISTRE = [Organisation(c, f"Organisation {c}") for c in ("A", "B", "C", "D")]


def test_bornes_des_numeros_de_serie():
    assert (SERIE_MIN, SERIE_MAX) == (43619, 47848)  # 2019-06-03 et 2030-12-31


@pytest.fixture
def dominee(tmp_path):
    d = tmp_path / "recus"
    # 4.2 : A déclare 2019-06-03 tapé en date, soit 43 619 employés sur 46 439 au total.
    for code, num, den in (("A", 40000, 43619), ("B", 1000, 1500), ("C", 500, 1320)):
        classeur(d, f"{code}/4.2.xlsx", "4.2", {"c4_2_numerateur": num, "c4_2_denominateur": den},
                 code=code)  # fmt: skip
    # 1.1 : deux organisations seulement : pas de contribution dominante signalée.
    for code in ("A", "B"):
        classeur(d, f"{code}/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 9},
                 code=code)  # fmt: skip
    return d


def test_contribution_dominante_et_compte_date(dominee):
    conso = consolider(collecter(dominee, REGISTRE, "2026"))
    assert conso.controles == [
        PointAVerifier("contribution-dominante", "4.2", "A", 40000, 41500, "A/4.2.xlsx"),
        PointAVerifier("contribution-dominante", "4.2", "A", 43619, 46439, "A/4.2.xlsx"),
        PointAVerifier("compte-date", "4.2", "A", 43619, 0, "A/4.2.xlsx"),
    ]
    # Les contrôles ne changent rien au résultat.
    ligne = conso.resultats.set_index(["portee", "cible"]).loc[("ensemble", "4.2")]
    assert (ligne.numerateur, ligne.denominateur) == (41500, 46439)


def test_controles_en_console_sommaire_et_json(dominee, tmp_path):
    sortie = tmp_path / "res"
    args = ["compiler", str(dominee), "--periode", "2026", "--sortie", str(sortie)]
    resultat = runner.invoke(app, args)
    assert resultat.exit_code == 0, resultat.output
    texte = " ".join(resultat.output.split())
    assert "À vérifier avant publication : 3 points" in texte
    assert "le nombre 43 619 correspond au numéro de série d'une date" in texte
    assert "40 000 sur 41 500 (96 %) du total regroupé" in texte
    feuille = load_workbook(sortie / "sommaire.xlsx")["À vérifier"]
    assert [c.value for c in feuille[2]][:5] == ["contribution-dominante", "4.2", "A", 40000, 41500]
    resultat = runner.invoke(app, [*args, "--format", "json"])
    donnees = json.loads(resultat.output)
    assert [k["code"] for k in donnees["a_verifier"]] == [
        "contribution-dominante",
        "contribution-dominante",
        "compte-date",
    ]
    par_org = {(o["organisation"], o["cible"]): o for o in donnees["par_organisation"]}
    assert par_org[("A", "4.2")] == {
        "organisation": "A",
        "cible": "4.2",
        "numerateur": 40000,
        "denominateur": 43619,
        "resultat": pytest.approx(40000 / 43619),
        "respecte": None,
        "fichier": "A/4.2.xlsx",
        "rejete_plus_recent": None,
    }
    assert len(par_org) == 5
