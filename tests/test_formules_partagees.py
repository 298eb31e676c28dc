"""Formules partagées : une colonne de formules décalées écrite une fois, relue à l'identique."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.gabarit.formules_partagees import _decaler, partager

GABARITS = Path(__file__).resolve().parents[1] / "gabarits"


@pytest.mark.parametrize(
    ("formule", "lignes", "attendu"),
    [
        ('IF(B20="","",C20*4>D20*3)', 2, 'IF(B22="","",C22*4>D22*3)'),
        (
            "SUMPRODUCT(--(TRIM($B$20:B50)=TRIM(B50)))",
            1,
            "SUMPRODUCT(--(TRIM($B$20:B51)=TRIM(B51)))",
        ),
        ('"voir C20 ; B20"&B20', 1, '"voir C20 ; B20"&B21'),
        ("LOG10(A1)+$A1+A$1", 3, "LOG10(A4)+$A4+A$1"),
    ],
)
def test_decaler_ne_touche_que_les_references_relatives_hors_texte(formule, lignes, attendu):
    assert _decaler(formule, lignes) == attendu


def test_une_suite_decalee_devient_partagee_une_suite_rompue_non():
    xml = (
        "".join(f'<c r="E{r}" s="1"><f>C{r}/D{r}</f><v></v></c>' for r in (5, 6, 7))
        + '<c r="E8" s="1"><f>C9/D8</f><v></v></c>'
    )
    partage = partager(xml)
    assert '<c r="E5" s="1"><f t="shared" ref="E5:E7" si="0">C5/D5</f><v></v></c>' in partage
    assert '<c r="E7" s="1"><f t="shared" si="0"/><v></v></c>' in partage
    assert '<c r="E8" s="1"><f>C9/D8</f><v></v></c>' in partage  # pas un décalage : intacte


def test_le_gabarit_5_1_se_relit_avec_chaque_formule_a_sa_ligne():
    feuille = load_workbook(GABARITS / "barometre-cible-5.1.xlsx")["Saisie"]
    premiere, autre = feuille["E20"].value, feuille["E57"].value
    assert premiere.startswith("=") and autre == "=" + _decaler(premiere[1:], 37)
