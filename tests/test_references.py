"""Les références A1 : un seul analyseur pour lire, remplir et écrire les gabarits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from barometre_cli.gabarit.remplissage import remplir
from barometre_cli.lecture import lire_classeur
from barometre_cli.lecture.references import (
    Reference,
    adresse,
    lettres_colonne,
    lire_reference,
    numero_colonne,
    position,
)
from tests import hostiles


def test_lettres_de_colonne_comme_openpyxl() -> None:
    """Toutes les colonnes d'une feuille Excel, dans les deux sens."""
    for colonne in range(1, 16_385):
        lettres = lettres_colonne(colonne)
        assert lettres == get_column_letter(colonne)
        assert numero_colonne(lettres) == colonne == column_index_from_string(lettres)


@pytest.mark.parametrize("colonne", [0, -1, 16_385])
def test_colonne_hors_feuille_refusee(colonne: int) -> None:
    with pytest.raises(ValueError):
        lettres_colonne(colonne)


@pytest.mark.parametrize(
    ("ligne", "colonne", "texte"), [(7, 3, "C7"), (1, 26, "Z1"), (10, 27, "AA10")]
)
def test_adresse_et_position(ligne: int, colonne: int, texte: str) -> None:
    assert adresse(ligne, colonne) == texte
    assert position(texte) == (ligne, colonne)
    lettres = texte.rstrip("0123456789")
    assert position(f"${lettres}${texte[len(lettres) :]}") == (ligne, colonne)


@pytest.mark.parametrize("texte", ["", "7C", "C", "C7:D8", "ABCDE1", "C 7"])
def test_position_invalide(texte: str) -> None:
    assert position(texte) is None


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Saisie!$C$4:$E$303", Reference("Saisie", 4, 3, 303, 5)),
        ("'Saisie'!$B$1", Reference("Saisie", 1, 2, 1, 2)),
        ("='L''été 2024'!A1", Reference("L'été 2024", 1, 1, 1, 1)),
        ("Saisie!$C$9:$A$2", Reference("Saisie", 2, 1, 9, 3)),
        ("saisie!c4", Reference("saisie", 4, 3, 4, 3)),
        ("#REF!", None),
        ("Saisie!#REF!", None),
        ("Saisie!$A$1,Saisie!$B$2", None),
        ("Saisie!$C:$C", None),
        ('"texte"', None),
        ("$A$1", None),
    ],
)
def test_lire_reference(texte: str, attendu: Reference | None) -> None:
    assert lire_reference(texte) == attendu


def test_remplissage_lit_les_noms_avec_le_meme_analyseur(tmp_path: Path) -> None:
    """Un nom défini sur une feuille entre apostrophes se remplit à la bonne cellule."""
    classeur = hostiles.CLASSEUR_XML.replace("Saisie!$A$1", "'Saisie'!$B$3:$C$4")
    feuille = hostiles.FEUILLE_XML.replace(
        "</sheetData>",
        '<row r="3"><c r="B3"/><c r="C3"/></row><row r="4"><c r="B4"/><c r="C4"/></row>'
        "</sheetData>",
    )
    octets = remplir(hostiles.xlsx_minimal(feuille=feuille, classeur=classeur), {"code": [[1, 2]]})
    archive = zipfile.ZipFile(io.BytesIO(octets))
    assert b'<c r="C3"><v>2</v></c>' in archive.read("xl/worksheets/sheet1.xml")
    chemin = tmp_path / "rempli.xlsx"
    chemin.write_bytes(octets)
    assert lire_classeur(chemin).noms["code"].valeurs == ((1.0, 2.0), (None, None))
