"""Le genre du format de nombre des cellules nommées, lu dans les styles du classeur."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from barometre_cli.lecture import limites, lire_classeur
from barometre_cli.lecture.styles import GENRES_INTEGRES, genre_format
from tests import hostiles

pytestmark = pytest.mark.usefixtures("moteur_xml")


@pytest.mark.parametrize(
    ("code", "genre"),
    [
        ("General", None),
        ("[Red]General", None),
        ("0", "nombre"),
        ("#,##0.00", "nombre"),
        ("# ##0", "nombre"),
        ("0.00E+00", "nombre"),
        ('0" %"', "nombre"),  # le « % » est un littéral : pas de multiplication par 100
        ("0\\%", "nombre"),
        ("[$€-40C] #,##0.00", "nombre"),
        ("#,##0;[Red]-#,##0", "nombre"),
        ("0%", "pourcentage"),
        ("0.0 %", "pourcentage"),
        ("yyyy-mm-dd", "date"),
        ("mmm yyyy", "date"),
        ("mmmm", "date"),
        ("[$-F800]dddd, mmmm dd, yyyy", "date"),
        ("d/m/yy h:mm", "date"),
        ("h:mm", "heure"),
        ("hh:mm AM/PM", "heure"),
        ("mm:ss", "heure"),
        ("[h]:mm:ss", "heure"),
        ("[mm]", "heure"),
        ("@", "texte"),
        ('0;-0;0;"texte "@', "nombre"),  # seule la première section compte
        (";;;", None),
        ('"Oui"', None),
    ],
)
def test_genre_d_un_code_de_format(code: str, genre: str | None) -> None:
    assert genre_format(code) == genre


def test_formats_integres() -> None:
    assert [i for i in range(50) if GENRES_INTEGRES.get(i) in ("date", "heure")] == [
        *range(14, 23),
        45,
        46,
        47,
    ]
    assert [i for i, g in GENRES_INTEGRES.items() if g == "pourcentage"] == [9, 10]
    assert GENRES_INTEGRES[49] == "texte" and 0 not in GENRES_INTEGRES


def _classeur(formats: dict[str, str | None]) -> bytes:
    """Une feuille « Saisie » : une cellule nommée par format, en colonne A, et une plage B1:B2."""
    wb = Workbook()
    feuille = wb.active
    feuille.title = "Saisie"
    for ligne, (nom, format_) in enumerate(formats.items(), start=1):
        cellule = feuille.cell(ligne, 1, 12)
        if format_ is not None:
            cellule.number_format = format_
        wb.defined_names[nom] = DefinedName(nom, attr_text=f"Saisie!$A${ligne}")
    feuille["B1"], feuille["B2"] = 1, 2
    feuille["B2"].number_format = "0%"
    wb.defined_names["plage"] = DefinedName("plage", attr_text="Saisie!$B$1:$B$2")
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


FORMATS = {
    "standard": None,
    "entier": "0",
    "milliers": "#,##0",
    "pourcent": "0.00%",
    "date_integree": "mm-dd-yy",  # format intégré 14
    "date_iso": "yyyy-mm-dd",
    "heure": "h:mm",
    "duree": "[h]:mm",
    "texte": "@",
    "euros": '#,##0.00" $"',
}


def test_genre_du_format_des_cellules_nommees(tmp_path: Path) -> None:
    chemin = tmp_path / "formats.xlsx"
    chemin.write_bytes(_classeur(FORMATS))
    noms = lire_classeur(chemin).noms
    assert {nom: noms[nom].format() for nom in FORMATS} == {
        "standard": None,
        "entier": "nombre",
        "milliers": "nombre",
        "pourcent": "pourcentage",
        "date_integree": "date",
        "date_iso": "date",
        "heure": "heure",
        "duree": "heure",
        "texte": "texte",
        "euros": "nombre",
    }
    plage = noms["plage"]
    assert plage.formats == ((None,), ("pourcentage",))
    assert (plage.format(0, 0), plage.format(1, 0)) == (None, "pourcentage")
    assert plage.valeurs == ((1.0,), (2.0,))


def test_les_formats_ne_changent_pas_l_egalite_des_plages(tmp_path: Path) -> None:
    """Les comparaisons de plages (tests, doublons) restent sur les valeurs et les formules."""
    chemin = tmp_path / "formats.xlsx"
    chemin.write_bytes(_classeur({"entier": "0"}))
    plage = lire_classeur(chemin).noms["entier"]
    assert plage.format() == "nombre"
    assert plage == type(plage)("entier", "Saisie", 1, 1, ((12.0,),))


def _avec_styles(tmp_path: Path, styles: str | None) -> Path:
    octets = _classeur({"date": "yyyy-mm-dd"})
    chemin = tmp_path / "styles.xlsx"
    chemin.write_bytes(hostiles.remplacer(octets, {"xl/styles.xml": styles}))
    return chemin


@pytest.mark.parametrize(
    "styles",
    [
        None,
        "<styleSheet><cellXfs>",
        hostiles.BILLION_LAUGHS + "<styleSheet/>",
    ],
    ids=["absents", "mal-formes", "entites"],
)
def test_styles_illisibles_sans_refus(tmp_path: Path, styles: str | None) -> None:
    """Les styles n'ont jamais servi à refuser un classeur : le genre reste inconnu."""
    lu = lire_classeur(_avec_styles(tmp_path, styles))
    assert lu.lisible
    assert lu.noms["date"].valeur == 12.0
    assert lu.noms["date"].format() is None


def test_trop_de_formats_genres_inconnus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chemin = tmp_path / "date.xlsx"
    chemin.write_bytes(_classeur({"date": "yyyy-mm-dd"}))
    assert lire_classeur(chemin).noms["date"].format() == "date"
    monkeypatch.setattr(limites, "FORMATS_MAX", 0)
    assert lire_classeur(chemin).noms["date"].format() is None
    monkeypatch.setattr(limites, "FORMATS_MAX", 1_000)
    monkeypatch.setattr(limites, "STYLES_MAX", 1)
    assert lire_classeur(chemin).noms["date"].format() is None


def test_gabarit_rempli(tmp_path: Path) -> None:
    """Dans un vrai gabarit : identification en texte, dénombrements au format Standard.

    Standard (et non `#,##0`) : c'est sous ce format que Calc et Excel laissent la trace d'une
    date, d'une heure ou d'un pourcentage tapés dans la cellule (voir `valeurs.entier`).
    """
    from tests.outils import classeur

    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})
    noms = lire_classeur(chemin).noms
    assert noms["organisation_code"].format() == "texte"
    assert noms["c1_1_numerateur"].format() is None
