"""Chaque classeur écrit par l'outil porte des codes de format explicites et sans espace nue.

Un format intégré d'Excel (« #,##0 » écrit comme numéro 3, « 0 % »…) est traduit à sa façon
par chaque tableur ; une espace nue dans un code (« 0.0 % ») est lue par Calc en français comme
un séparateur de milliers. Les tests du banc UNO vérifient ce que Calc affiche ; ceux-ci, sans
suite bureautique, que les fichiers ne contiennent que des codes sûrs.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.commandes import compiler, valider
from barometre_cli.ecriture.classeur import largeur_entete
from tests.outils import classeur

RACINE = Path(__file__).resolve().parents[1]
#: Numéros de format permis sans code : Standard (0) et Texte (49).
NUMEROS_SANS_CODE = {0, 49}


def _problemes(chemin: Path) -> list[str]:
    with zipfile.ZipFile(chemin) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    codes = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    problemes = []
    for numero in {int(n) for n in re.findall(r'numFmtId="(\d+)"', xfs)}:
        if numero < 164 and numero not in NUMEROS_SANS_CODE:
            problemes.append(f"format intégré n° {numero}")
        code = codes.get(str(numero), "")
        if re.search(r"(?<!\\)[ ](?=[%#0])|[0#] %", code.replace("&quot;", '"')):
            problemes.append(f"espace nue dans « {code} »")
    return problemes


@pytest.fixture(scope="module")
def sorties(tmp_path_factory) -> dict[str, Path]:
    recus = tmp_path_factory.mktemp("recus")
    services = [["Permis", 28505123, 30000000], ["Chasse", 514000, 600000]]
    classeur(recus, "a.xlsx", "5.1", {"c5_1_services": services})
    classeur(recus, "b.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 4})
    sortie = tmp_path_factory.mktemp("sorties")
    compiler(recus, sortie=sortie, avec=["fiches"], jobs=1)
    annotee = valider([recus / "b.xlsx"], annoter=True).copies[recus / "b.xlsx"]
    fiches = [p for p in sortie.rglob("*.xlsx") if p.name != "sommaire.xlsx"]
    assert fiches
    return {"sommaire": sortie / "sommaire.xlsx", "fiche": fiches[0], "annotee": annotee}


@pytest.mark.parametrize("nom", ["sommaire", "fiche", "annotee"])
def test_sorties_formats_explicites(sorties, nom):
    assert _problemes(sorties[nom]) == []


@pytest.mark.parametrize(
    "chemin", sorted((RACINE / "gabarits").glob("*.xlsx")), ids=lambda p: p.stem
)
def test_gabarits_formats_explicites(chemin):
    assert _problemes(chemin) == []


def test_detecte_les_formats_fautifs(tmp_path):
    """Le test lui-même sait voir un format intégré et une espace nue."""
    from openpyxl import Workbook

    classeur_ = Workbook()
    classeur_.active["A1"] = 1
    classeur_.active["A1"].number_format = "#,##0"
    classeur_.active["A2"] = 0.5
    classeur_.active["A2"].number_format = "0.0 %"
    classeur_.save(tmp_path / "x.xlsx")
    assert sorted(_problemes(tmp_path / "x.xlsx")) == [
        "espace nue dans « 0.0 % »",
        "format intégré n° 3",
    ]


def test_entetes_du_sommaire_assez_larges(sorties):
    """« Organisations ciblées » ne se coupe plus en « Organisation s ciblées »."""
    for feuille in load_workbook(sorties["sommaire"]).worksheets:
        ligne = 6 if feuille.title == "Sommaire" else 1
        for cellule in feuille[ligne]:
            if isinstance(cellule.value, str):
                largeur = feuille.column_dimensions[cellule.column_letter].width
                plus_long = max(len(m) for m in cellule.value.split())
                assert largeur >= plus_long + 2, (feuille.title, cellule.value, largeur)
    assert largeur_entete("Organisations ciblées", 12) > len("Organisations")


def test_copie_annotee_redresse_les_formats_d_avant(tmp_path):
    """Un classeur rempli dans un gabarit d'avant (« 0.0 % », « # ##0 ») : la copie annotée
    porte les codes explicites, que Calc en français affiche correctement."""
    chemin = classeur(
        tmp_path, "ancien.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 4}
    )
    ancien = load_workbook(chemin)
    ancien["Saisie"]["C13"].number_format = "# ##0"
    ancien["Saisie"]["C17"].number_format = "0.0 %"
    ancien["Saisie"]["C18"].number_format = "0 %"
    ancien.save(chemin)
    copie = valider([chemin], annoter=True).copies[chemin]
    saisie = load_workbook(copie)["Saisie"]
    assert [saisie[c].number_format for c in ("C13", "C17", "C18")] == [
        "#,##0;-#,##0",
        r"0.0\ %",
        r"0\ %",
    ]
