"""Le sommaire et resultats.xlsx tels qu'on les imprime et les ouvre, sur l'exemple livré.

D'abord les réglages que le classeur porte (lus par openpyxl, sans tableur) : papier Lettre,
pied de page, en-tête et libellés répétés, zone d'impression du journal. Puis, dans un vrai
Calc fr-CA (banc UNO, `tests/donnees/impression.py`) : le sommaire exporté en PDF, le nombre de
pages de chaque feuille est celui que docs/impression.md publie, chaque page porte ses libellés
de ligne, le Sommaire tient sur une page avec son graphique ; resultats.xlsx s'ouvre en nombres.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.domaine.colonnes import COLONNES_RESULTATS, JOURNAL
from barometre_cli.ecriture.classeur import pages_de_large
from tests.donnees.impression import compiler_exemple, pages_par_feuille, pages_sans_libelle
from tests.donnees.libreoffice_uno import Calc, raison_indisponible

RACINE = Path(__file__).resolve().parents[1]
DOC = RACINE / "docs" / "impression.md"


@pytest.fixture(scope="module")
def sortie(tmp_path_factory) -> Path:
    dossier = tmp_path_factory.mktemp("impression") / "resultats"
    compiler_exemple(dossier)
    return dossier


# --- Les réglages dans le classeur ------------------------------------------------------------


def test_chaque_feuille_du_sommaire_se_met_en_page(sortie):
    classeur = load_workbook(sortie / "sommaire.xlsx")
    for feuille in classeur.worksheets:
        reglage = feuille.page_setup
        assert str(reglage.paperSize) == "1", feuille.title  # Lettre
        pied = feuille.oddFooter
        assert pied.left.text == "Baromètre numériQc — collecte 2026", feuille.title
        assert (pied.center.text, pied.right.text) == ("&A", "Page &P de &N"), feuille.title
        assert feuille.sheet_properties.pageSetUpPr.fitToPage, feuille.title
        if feuille.title != "Sommaire":
            assert feuille.print_title_rows == "$1:$1", feuille.title  # l'en-tête sur chaque page
    sommaire = classeur["Sommaire"]
    assert (sommaire.page_setup.fitToWidth, sommaire.page_setup.fitToHeight) == (1, 1)
    assert sommaire.page_setup.orientation == "landscape"
    # Le graphique sous la table, jamais à côté : la page garde la largeur de la table.
    assert sommaire._charts[0].anchor._from.col == 0
    assert sommaire._charts[0].anchor._from.row > 16
    # Trop larges pour une page : code et nom de l'organisation répétés sur chaque page.
    par_org = classeur["Par organisation"]
    assert par_org.print_title_cols == "$A:$B" and par_org.page_setup.fitToWidth > 1
    assert par_org.page_setup.pageOrder == "overThenDown"


def test_journal_imprime_jusqu_aux_raisons(sortie):
    """Les constats et l'empreinte ne s'impriment pas ; la zone suit le nombre de fichiers."""
    journal = load_workbook(sortie / "sommaire.xlsx")["Journal"]
    lignes = len((sortie / "journal.csv").read_text("utf-8-sig").splitlines())
    cles = [cle for cle, _, _ in JOURNAL]
    derniere = "ABCDEFGHIJKLM"[cles.index("raisons")]
    assert journal.print_area == f"'Journal'!$A$1:${derniere}${lignes}"
    assert journal.print_title_cols == "$A:$A"  # le fichier sur chaque page


def test_pages_de_large():
    assert pages_de_large([10] * 20) == 1  # 200 unités : une page, réduite
    assert pages_de_large([50] + [40] * 10, libelles=1) == 4  # 3 colonnes, puis 3, 3 et 1


# --- resultats.xlsx : les chiffres du CSV, en nombres -----------------------------------------


def test_resultats_xlsx_a_les_lignes_du_csv_en_nombres(sortie):
    lignes = list(csv.DictReader(io.StringIO((sortie / "resultats.csv").read_text("utf-8"))))
    feuille = load_workbook(sortie / "resultats.xlsx").active
    entetes = [c.value for c in feuille[1]]
    assert entetes == COLONNES_RESULTATS
    rangees = [dict(zip(entetes, r, strict=True)) for r in feuille.iter_rows(2, values_only=True)]
    assert len(rangees) == len(lignes) == 40
    for texte, valeur in zip(lignes, rangees, strict=True):
        assert valeur["cible"] == texte["cible"] and isinstance(valeur["cible"], str)
        assert valeur["portee"] == texte["portee"]
        for cle in ("valeur_cible", "resultat", "taux_atteinte"):
            attendu = float(texte[cle]) if texte[cle] else None
            assert valeur[cle] == (pytest.approx(attendu) if attendu is not None else None)
        for cle in ("numerateur", "denominateur", "organisations_repondantes"):
            assert valeur[cle] == int(texte[cle])
        assert valeur["periode"] == 2026
    assert feuille["E2"].number_format == r"0.0\ %"  # affichée « 61,1 % », gardée entière
    assert feuille.print_title_rows == "$1:$1" and feuille.oddFooter.right.text == "Page &P de &N"


# --- Dans Calc fr-CA --------------------------------------------------------------------------

SANS_CALC = raison_indisponible() or (None if shutil.which("pdftotext") else "pdftotext absent")


def pages_publiees() -> dict[str, int]:
    """La table « feuille | pages » de docs/impression.md."""
    table = {}
    for ligne in DOC.read_text(encoding="utf-8").splitlines():
        if trouve := re.fullmatch(r"\| (?!feuille|\*\*|---)(.+?) \| (\d+) \|", ligne):
            table[trouve[1]] = int(trouve[2])
    return table


@pytest.mark.skipif(SANS_CALC is not None, reason=f"banc LibreOffice UNO : {SANS_CALC}")
def test_sommaire_imprime_par_calc(sortie, tmp_path):
    pdf = tmp_path / "sommaire.pdf"
    with Calc() as calc:
        with calc.ouvrir(sortie / "sommaire.xlsx") as doc:
            total = doc.exporter_pdf(pdf)
        with calc.ouvrir(sortie / "resultats.xlsx") as doc:
            cellules = [doc.lire("resultats", f"{c}2") for c in "BE"]
    feuilles = pages_par_feuille(pdf)
    mesure = {feuille: len(pages) for feuille, pages in feuilles.items()}
    assert mesure == pages_publiees(), "mettez à jour la table de docs/impression.md"
    assert list(mesure) == load_workbook(sortie / "sommaire.xlsx", read_only=True).sheetnames
    assert total == sum(mesure.values()) <= 40
    # Pas une page sans ses libellés de ligne (code, organisation, fichier, cible…).
    assert pages_sans_libelle(sortie / "sommaire.xlsx", pdf) == []
    # Le Sommaire : une page, la table et son graphique entier.
    (sommaire,) = feuilles["Sommaire"]
    assert "Résultat et valeur visée par cible" in sommaire and "6.1" in sommaire
    # resultats.xlsx ouvert tel quel : la cible reste du texte, le résultat est un nombre.
    cible, resultat = cellules
    assert (cible.type, cible.valeur) == ("texte", "1.1")
    assert resultat.type == "nombre" and resultat.valeur == pytest.approx(488 / 799)
    assert re.fullmatch(r"61,1[  \u202f]?%", resultat.texte)
