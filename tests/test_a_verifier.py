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
    assert conso.a_verifier == [
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
    assert "À vérifier avant publication : 3 éléments" in texte  # des éléments, pas des points
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


def test_points_de_pourcentage_et_conditions_qui_changent(tmp_path):
    """D'une collecte à l'autre : une proportion bouge en points de pourcentage ; une condition
    (type dérivé de `SurOrganisationsCiblees`) n'est plus respectée, ou l'est maintenant :
    jamais « a gagné 100 points »."""
    from barometre_cli.calculs import type_calcul
    from barometre_cli.calculs.base import SurOrganisationsCiblees
    from barometre_cli.catalogue import cible

    registre = tmp_path / "registre.csv"
    registre.write_text("code,nom,reseau\nA,Agence A,\nB,Bureau B,\n", encoding="utf-8")
    oui = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}
    non = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Non"}
    avant, apres = tmp_path / "recus-2025", tmp_path / "recus-2026"
    for code, (condition, num) in {"A": (oui, 1), "B": (non, 5)}.items():
        classeur(avant, f"{code}/4.1.xlsx", "4.1", {"periode": 2025, **condition}, code=code,
                 periode_gabarit="2025")  # fmt: skip
        classeur(avant, f"{code}/1.1.xlsx", "1.1", {"periode": 2025, "c1_1_numerateur": num,
                 "c1_1_denominateur": 10}, code=code, periode_gabarit="2025")  # fmt: skip
    for code, (condition, num) in {"A": (non, 9), "B": (oui, 5)}.items():
        classeur(apres, f"{code}/4.1.xlsx", "4.1", condition, code=code)
        classeur(apres, f"{code}/1.1.xlsx", "1.1",
                 {"c1_1_numerateur": num, "c1_1_denominateur": 10}, code=code)  # fmt: skip
    premier = runner.invoke(app, ["compiler", str(avant), "-r", str(registre), "-p", "2025",
                                  "-o", str(tmp_path / "r2025")])  # fmt: skip
    assert premier.exit_code == 0, premier.output
    args = ["compiler", str(apres), "-r", str(registre), "-p", "2026",
            "-o", str(tmp_path / "r2026"), "--precedent", str(tmp_path / "r2025")]  # fmt: skip
    resultat = runner.invoke(app, args)
    assert resultat.exit_code == 0, resultat.output
    texte = " ".join(resultat.output.split())
    assert "À vérifier avant publication : 3 éléments" in texte
    assert (
        "Cible 1.1, A : son résultat a gagné 80 points de pourcentage depuis la collecte "
        "précédente" in texte
    )
    assert (
        "Cible 4.1, A : la condition n'est plus respectée ; elle l'était à la collecte "
        "précédente" in texte
    )
    assert (
        "Cible 4.1, B : la condition est maintenant respectée ; elle ne l'était pas à la "
        "collecte précédente" in texte
    )
    assert "100 points" not in texte
    donnees = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    par_org = {(k["cible"], k["organisation"]): k for k in donnees["a_verifier"]}
    assert (par_org[("4.1", "A")]["respecte"], par_org[("4.1", "B")]["respecte"]) == (False, True)
    assert (par_org[("1.1", "A")]["valeur"], par_org[("1.1", "A")]["respecte"]) == (80, None)
    # Le type de la cible le dit, pas son numéro.
    assert isinstance(type_calcul(cible("4.1")), SurOrganisationsCiblees)
    assert not type_calcul(cible("4.1")).variation_en_points
    assert type_calcul(cible("1.1")).variation_en_points
    sommaire = load_workbook(tmp_path / "r2026" / "sommaire.xlsx")
    lignes = {(r[1].value, r[2].value): r for r in sommaire["À vérifier"].iter_rows(min_row=2)}
    assert lignes[("4.1", "A")][3].value is None  # une condition n'a pas de valeur chiffrée
    assert "À vérifier avant publication : 3 éléments" in sommaire["Sommaire"]["A2"].value
