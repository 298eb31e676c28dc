"""Lecture d'un classeur OpenDocument (.ods) : le même modèle et les mêmes refus qu'un .xlsx.

Les classeurs sont écrits à la main (`hostiles.ods_minimal`) pour décrire chaque cas dans le
test ; ceux de Calc sont dans `tests/donnees/` (voir `test_ods_libreoffice.py`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from barometre_cli.lecture import (
    FORMULE_SANS_VALEUR,
    ClasseurLu,
    ErreurCellule,
    Plage,
    limites,
    lire_classeur,
)
from barometre_cli.lecture.ods_noms import lire_adresse
from barometre_cli.lecture.references import Reference
from tests import hostiles
from tests.hostiles import NOMS_ODS, contenu_ods, manifeste_ods, meta_ods, ods_minimal

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

RACINE = Path(__file__).resolve().parent.parent
DONNEES = RACINE / "tests" / "donnees"


def lire(tmp_path: Path, octets: bytes, nom: str = "reponse.ods") -> ClasseurLu:
    chemin = tmp_path / nom
    chemin.write_bytes(octets)
    debut = time.perf_counter()
    classeur = lire_classeur(chemin)
    assert time.perf_counter() - debut < 3.0, "lecture trop lente"
    return classeur


def refuse(classeur: ClasseurLu, code: str) -> str:
    """Un seul constat, du code attendu, qui nomme le fichier ; rend son message."""
    assert [c.code for c in classeur.constats] == [code], classeur.constats
    assert classeur.chemin.name in classeur.constats[0].message
    assert classeur.noms == {}
    return classeur.constats[0].message


def _cellule(attributs: str = "", contenu: str = "", repetee: int = 1) -> str:
    repetition = f' table:number-columns-repeated="{repetee}"' if repetee > 1 else ""
    return f"<table:table-cell{repetition} {attributs}>{contenu}</table:table-cell>"


def _ligne(*cellules: str, repetee: int = 1) -> str:
    repetition = f' table:number-rows-repeated="{repetee}"' if repetee > 1 else ""
    return f"<table:table-row{repetition}>{''.join(cellules)}</table:table-row>"


def _feuille(nom: str, *lignes: str, impression: str = "") -> str:
    zone = f' table:print-ranges="{impression}"' if impression else ""
    return f'<table:table table:name="{nom}"{zone}>{"".join(lignes)}</table:table>'


def _noms(**adresses: str) -> str:
    plages = "".join(
        f'<table:named-range table:name="{nom}" table:base-cell-address="$Saisie.$A$1" '
        f'table:cell-range-address="{adresse}"/>'
        for nom, adresse in adresses.items()
    )
    return f"<table:named-expressions>{plages}</table:named-expressions>"


def _valeurs(tmp_path: Path, *cellules: str) -> dict:
    """Chaque cellule donnée en colonne A, une par ligne ; rend nom → Plage (a1, a2…)."""
    lignes = [_ligne(c) for c in cellules]
    noms = _noms(**{f"a{i}": f"$Saisie.$A${i}" for i in range(1, len(cellules) + 1)})
    classeur = lire(tmp_path, ods_minimal(contenu_ods(_feuille("Saisie", *lignes), noms)))
    assert classeur.lisible, classeur.constats
    return classeur.noms


# --- Le classeur et son modèle ---------------------------------------------------------------


def test_classeur_minimal(tmp_path: Path) -> None:
    proprietes = (
        '<meta:user-defined meta:name="barometre_cible">5.1</meta:user-defined>'
        '<meta:user-defined meta:name="barometre_version_format" meta:value-type="float">1'
        "</meta:user-defined>"
        '<meta:user-defined meta:name="prerempli" meta:value-type="boolean">true</meta:user-defined>'
        '<meta:user-defined meta:name="taux" meta:value-type="float">abc</meta:user-defined>'
    )
    classeur = lire(tmp_path, ods_minimal(meta=meta_ods(proprietes)))
    assert classeur.lisible and classeur.format == "ods"
    assert classeur.feuilles == ("Saisie",)
    assert classeur.noms == {"code": Plage("code", "Saisie", 1, 1, (("ORG",),))}
    assert classeur.proprietes == {
        "barometre_cible": "5.1",
        "barometre_version_format": 1.0,
        "prerempli": True,
        "taux": "abc",
    }
    assert classeur.modifie == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert classeur.noms_brises == {}


@pytest.mark.parametrize(
    ("date", "attendue"),
    [
        # Calc écrit l'heure locale sans fuseau (à la nanoseconde) : prise comme UTC, comme Calc
        # la marque aussi dans un .xlsx.
        ("2026-12-06T13:01:55.835700836", datetime(2026, 12, 6, 13, 1, 55, 835700, tzinfo=UTC)),
        ("2026-12-06T13:01:55-05:00", datetime(2026, 12, 6, 18, 1, 55, tzinfo=UTC)),
        ("pas une date", None),
    ],
)
def test_date_de_modification(tmp_path: Path, date: str, attendue) -> None:
    assert lire(tmp_path, ods_minimal(meta=meta_ods(date=date))).modifie == attendue


def test_sans_meta(tmp_path: Path) -> None:
    classeur = lire(tmp_path, hostiles.remplacer(ods_minimal(), {"meta.xml": None}))
    assert classeur.lisible and classeur.proprietes == {} and classeur.modifie is None


def test_modele_ots_et_ods_sans_mimetype(tmp_path: Path) -> None:
    """Un modèle .ots se lit comme un .ods ; sans `mimetype`, le manifeste dit le type."""
    ots = "application/vnd.oasis.opendocument.spreadsheet-template"
    assert lire(tmp_path, ods_minimal(mimetype=ots.encode()), "modele.ots").lisible
    sans_type = ods_minimal(mimetype=None, manifeste=manifeste_ods(ots))
    assert lire(tmp_path, sans_type).lisible
    assert lire(tmp_path, ods_minimal(mimetype=None, manifeste=b"")).constats[0].code == (
        "xml-invalide"
    )


def test_messages_d_un_ods_refuse(tmp_path: Path) -> None:
    message = refuse(lire(tmp_path, hostiles.ods_chiffre()), "classeur-chiffre")
    assert "« Enregistrer avec mot de passe »" in message
    message = refuse(lire(tmp_path, hostiles.fods(), "reponse.fods"), "format-ods")
    assert "XML à plat (.fods)" in message and "« Classeur ODF (.ods) »" in message
    message = refuse(lire(tmp_path, hostiles.odt()), "pas-un-classeur")
    assert "document texte OpenDocument (.odt)" in message
    assert "jamais exécutées" in refuse(lire(tmp_path, hostiles.ods_macros()), "macros-refusees")


def test_bibliotheque_basic_vide_acceptee(tmp_path: Path) -> None:
    """Les index des bibliothèques Basic, sans module, ne sont pas des macros."""
    index = {"Basic/script-lc.xml": "<l/>", "Basic/Standard/script-lb.xml": "<l/>"}
    assert lire(tmp_path, ods_minimal(autres=index)).lisible


# --- Valeurs des cellules ---------------------------------------------------------------------


def test_types_de_valeur(tmp_path: Path) -> None:
    noms = _valeurs(
        tmp_path,
        _cellule('office:value-type="float" office:value="1234"', "<text:p>1 234</text:p>"),
        _cellule('office:value-type="percentage" office:value="0.8"', "<text:p>80 %</text:p>"),
        _cellule('office:value-type="currency" office:value="12.5" office:currency="CAD"'),
        _cellule('office:value-type="date" office:date-value="2019-06-03"'),
        _cellule('office:value-type="date" office:date-value="2019-06-03T12:00:00"'),
        _cellule('office:value-type="time" office:time-value="PT08H30M00S"'),
        _cellule('office:value-type="time" office:time-value="PT36H00M00S"'),
        _cellule('office:value-type="boolean" office:boolean-value="true"'),
        _cellule('office:value-type="boolean" office:boolean-value="false"'),
        _cellule('office:value-type="string"', "<text:p>oui</text:p>"),
    )
    valeurs = [noms[f"a{i}"].valeur for i in range(1, 11)]
    assert valeurs == [
        1234.0,
        0.8,
        12.5,
        43619.0,
        43619.5,
        0.354166666666667,
        1.5,
        True,
        False,
        "oui",
    ]
    genres = [noms[f"a{i}"].format() for i in range(1, 11)]
    assert genres == [
        None,
        "pourcentage",
        "nombre",
        "date",
        "date",
        "heure",
        "heure",
        None,
        None,
        None,
    ]
    assert noms["a4"].formats == (("date",),)


def test_formules(tmp_path: Path) -> None:
    noms = _valeurs(
        tmp_path,
        _cellule('table:formula="of:=1+1" office:value-type="float" office:value="2"'),
        _cellule(
            'table:formula="of:=A1&amp;&quot;x&quot;" office:value-type="string" '
            'office:string-value="2x" calcext:value-type="string"',
            "<text:p>2x</text:p>",
        ),
        _cellule('table:formula="of:=&quot;&quot;"', "<text:p/>"),  # chaîne vide, selon Calc
        _cellule(
            'table:formula="of:=1/0" office:value-type="string" office:string-value="" '
            'calcext:value-type="error"',
            "<text:p>#DIV/0!</text:p>",
        ),
        _cellule('table:formula="of:=1+1"'),  # jamais calculée : ni type, ni paragraphe
    )
    assert [noms[f"a{i}"].valeur for i in range(1, 6)] == [
        2.0,
        "2x",
        "",
        ErreurCellule("#DIV/0!"),
        FORMULE_SANS_VALEUR,
    ]
    assert [noms[f"a{i}"].formules for i in range(1, 6)] == [frozenset({(0, 0)})] * 4 + [
        frozenset()
    ]


def test_texte_d_une_cellule(tmp_path: Path) -> None:
    """Les règles d'OpenDocument : `text:s`, tabulations, sauts de ligne, blancs du XML réduits,
    paragraphes joints, texte mis en forme compris, commentaire et note exclus."""
    noms = _valeurs(
        tmp_path,
        _cellule("", '<text:p>Jean <text:s text:c="2"/>Deux</text:p>'),
        _cellule("", "<text:p>a<text:tab/>b<text:line-break/>c</text:p>"),
        _cellule("", "<text:p>ligne 1</text:p><text:p>ligne 2</text:p>"),
        _cellule("", "<text:p>  un \n\t deux  </text:p>"),
        _cellule(
            "",
            '<text:p>Vi<text:span text:style-name="T1">lle</text:span> <text:a '
            'xlink:href="https://x.test">de Québec</text:a></text:p>',
        ),
        _cellule(
            'office:value-type="string"',
            "<office:annotation><text:p>un commentaire</text:p></office:annotation>"
            "<text:p>valeur<text:note><text:note-body><text:p>note</text:p></text:note-body>"
            "</text:note></text:p>",
        ),
        _cellule("", "<text:p><text:s/>espace voulue</text:p>"),
        _cellule(
            "", "<office:annotation><text:p>seulement un commentaire</text:p></office:annotation>"
        ),
    )
    assert [noms[f"a{i}"].valeur for i in range(1, 9)] == [
        "Jean   Deux",
        "a\tb\nc",
        "ligne 1\nligne 2",
        "un deux ",
        "Ville de Québec",
        "valeur",
        " espace voulue",
        None,
    ]


def test_espaces_geantes_coupees(tmp_path: Path) -> None:
    valeur = lire(tmp_path, hostiles.ods_espaces_geantes()).noms["code"].valeur
    assert len(valeur) == limites.TEXTE_MAX and valeur.startswith("ORG   ")


def test_valeur_mal_formee_refusee_seulement_si_lue(tmp_path: Path) -> None:
    mauvaise = _cellule('office:value-type="float" office:value="abc"')
    contenu = contenu_ods(_feuille("Saisie", _ligne(_cellule(), mauvaise)), _noms(b="$Saisie.$B$1"))
    message = refuse(lire(tmp_path, ods_minimal(contenu)), "xml-invalide")
    assert "La cellule B1 de la feuille « Saisie »" in message and "nombre invalide" in message
    contenu = contenu_ods(_feuille("Saisie", _ligne(_cellule(), mauvaise)), _noms(a="$Saisie.$A$1"))
    assert lire(tmp_path, ods_minimal(contenu)).lisible


@pytest.mark.parametrize(
    "attributs",
    [
        'office:value-type="date" office:date-value="2019-13-45"',
        'office:value-type="time" office:time-value="PT"',
        'office:value-type="float" office:value="1e999"',
        'office:value-type="boolean" office:boolean-value="peut-être"',
        'office:value-type="inconnu"',
    ],
)
def test_valeurs_invalides(tmp_path: Path, attributs: str) -> None:
    contenu = contenu_ods(_feuille("Saisie", _ligne(_cellule(attributs))), _noms(a="$Saisie.$A$1"))
    refuse(lire(tmp_path, ods_minimal(contenu)), "xml-invalide")


# --- Positions : répétitions, cellules couvertes, lignes d'en-tête ------------------------------


def test_positions(tmp_path: Path) -> None:
    """Répétitions comptées, cellules couvertes et lignes d'en-tête, de groupe ou masquées à leur
    place : chaque valeur tombe dans la bonne cellule du nom."""
    nombre = 'office:value-type="float" office:value="{}"'
    lignes = [
        "<table:table-header-rows>",
        _ligne(_cellule(nombre.format(1), repetee=2), _cellule(nombre.format(3))),  # A1:B1, C1
        "</table:table-header-rows>",
        '<table:table-row table:visibility="collapse">'
        + _cellule(nombre.format(4), "", 1).replace(
            "table-cell ", 'table-cell table:number-columns-spanned="2" '
        )
        + "<table:covered-table-cell/>"
        + _cellule(nombre.format(6))
        + "</table:table-row>",  # A2 fusionnée sur B2 (couverte), C2
        "<table:table-row-group>",
        _ligne(_cellule(), "<table:covered-table-cell " + nombre.format(8) + "/>", repetee=2),
        "</table:table-row-group>",  # B3 et B4 : une cellule couverte qui garde sa valeur
    ]
    contenu = contenu_ods(_feuille("Saisie", *lignes), _noms(zone="$Saisie.$A$1:.$C$4"))
    zone = lire(tmp_path, ods_minimal(contenu)).noms["zone"]
    assert zone.valeurs == (
        (1.0, 1.0, 3.0),
        (4.0, None, 6.0),
        (None, 8.0, None),
        (None, 8.0, None),
    )


def test_ligne_repetee_dans_un_tableau(tmp_path: Path) -> None:
    """Une ligne répétée 300 fois (300 octets) donne 300 lignes au nom, dépliées dans la zone
    seulement."""
    service = _ligne(
        _cellule('office:value-type="string"', "<text:p>Service</text:p>"),
        _cellule('office:value-type="float" office:value="5"', repetee=2),
        repetee=300,
    )
    contenu = contenu_ods(_feuille("Saisie", service), _noms(services="$Saisie.$A$1:.$C$300"))
    services = lire(tmp_path, ods_minimal(contenu)).noms["services"]
    assert len(services.valeurs) == 300 and set(services.valeurs) == {("Service", 5.0, 5.0)}


def test_cellules_vides_lointaines_ne_comptent_pas(tmp_path: Path) -> None:
    """Comme Calc les écrit : des lignes et des colonnes vides répétées jusqu'au bout de la
    feuille, et une feuille qu'aucun nom ne vise avec une valeur très loin."""
    assert lire(tmp_path, hostiles.ods_repetitions_vides()).lisible
    assert lire(tmp_path, hostiles.ods_valeur_lointaine_sur_feuille_non_lue()).lisible
    commentaire = _cellule(
        'table:number-columns-repeated="16000"',
        "<office:annotation><text:p>note</text:p></office:annotation>",
    )
    contenu = contenu_ods(_feuille("Saisie", _ligne(_cellule(), commentaire)), NOMS_ODS)
    assert lire(tmp_path, ods_minimal(contenu)).lisible


def test_valeur_lointaine_nommee(tmp_path: Path) -> None:
    message = refuse(lire(tmp_path, hostiles.ods_lignes_repetees()), "donnees-hors-gabarit")
    assert "A10001" in message and "« Saisie »" in message
    message = refuse(lire(tmp_path, hostiles.ods_colonnes_repetees()), "donnees-hors-gabarit")
    assert "GS1" in message


def test_limite_de_zone_exacte(tmp_path: Path) -> None:
    for lignes_vides, lisible in ((limites.LIGNES_MAX - 1, True), (limites.LIGNES_MAX, False)):
        lignes = [
            _ligne(_cellule(), repetee=lignes_vides),
            _ligne(_cellule('office:value-type="float" office:value="1"')),
        ]
        contenu = contenu_ods(_feuille("Saisie", *lignes), _noms(a="$Saisie.$A$1"))
        assert lire(tmp_path, ods_minimal(contenu)).lisible is lisible


def test_trop_de_cellules_dans_une_feuille_lue(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "CELLULES_MAX_FEUILLE", 50)
    lignes = [_ligne(*[_cellule()] * 10) for _ in range(6)]
    contenu = contenu_ods(_feuille("Saisie", *lignes), _noms(a="$Saisie.$A$1"))
    message = refuse(lire(tmp_path, ods_minimal(contenu)), "donnees-hors-gabarit")
    assert "plus de 50 cellules" in message


def test_contenu_trop_lourd(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "TAILLE_MAX_FEUILLE_LUE", 1000)
    message = refuse(lire(tmp_path, ods_minimal()), "donnees-hors-gabarit")
    assert "« content.xml »" in message and "toutes ses feuilles" in message


def test_lecture_en_flux_et_en_bloc_identiques(tmp_path: Path, monkeypatch) -> None:
    """Un grand content.xml est lu en flux : mêmes valeurs, mêmes refus."""
    classeurs = sorted((DONNEES / "ods").glob("*.ods"))
    en_bloc = [lire_classeur(c) for c in classeurs]
    monkeypatch.setattr(limites, "TAILLE_ANALYSE_EN_BLOC", 0)
    en_flux = [lire_classeur(c) for c in classeurs]
    assert [(c.noms, c.hors_noms, c.constats) for c in en_flux] == [
        (c.noms, c.hors_noms, c.constats) for c in en_bloc
    ]
    refuse(lire(tmp_path, hostiles.ods_lignes_repetees()), "donnees-hors-gabarit")
    refuse(lire(tmp_path, hostiles.ods_feuille_imbriquee()), "xml-invalide")


# --- Noms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adresse", "attendue"),
    [
        ("$Saisie.$C$4:.$E$303", Reference("Saisie", 4, 3, 303, 5)),
        ("Saisie.C4:Saisie.E303", Reference("Saisie", 4, 3, 303, 5)),
        ("$'L''été 2024'.$A$1", Reference("L'été 2024", 1, 1, 1, 1)),
        ("$Saisie.$E$303:.$C$4", Reference("Saisie", 4, 3, 303, 5)),
        ("$Saisie.$A$1:$Autre.$B$2", None),
        ("$Saisie.$A$1 $Saisie.$B$2", None),
        ("#REF!", None),
        ("", None),
    ],
)
def test_lire_adresse(adresse: str, attendue) -> None:
    assert lire_adresse(adresse) == attendue


def test_noms_brises_et_locaux(tmp_path: Path) -> None:
    feuilles = _feuille(
        "Saisie", _ligne(_cellule('office:value-type="string"', "<text:p>ORG</text:p>"))
    ) + _feuille(
        "L'été",
        _ligne(_cellule('office:value-type="string"', "<text:p>chaud</text:p>"))
        + (
            '<table:named-expressions><table:named-range table:name="local" '
            'table:cell-range-address="$Saisie.$A$1"/></table:named-expressions>'
        ),
    )
    noms = (
        "<table:named-expressions>"
        "<table:named-range table:name=\"ete\" table:cell-range-address=\"$'L''été'.$A$1\"/>"
        '<table:named-range table:name="absente" table:cell-range-address="$Absente.$A$1"/>'
        '<table:named-range table:name="trop_loin" table:cell-range-address="$Saisie.$A$1:.$A$1048576"/>'
        '<table:named-range table:name="double" table:cell-range-address="$Saisie.$A$1"/>'
        '<table:named-range table:name="Double" table:cell-range-address="$Saisie.$A$1"/>'
        '<table:named-expression table:name="constante" table:expression="of:=42"/>'
        "</table:named-expressions>"
    )
    classeur = lire(tmp_path, ods_minimal(contenu_ods(feuilles, noms)))
    assert classeur.lisible
    assert list(classeur.noms) == ["ete"]
    assert classeur.noms["ete"].valeur == "chaud"
    assert classeur.noms_brises == {
        "absente": "$Absente.$A$1",
        "trop_loin": "$Saisie.$A$1:.$A$1048576",
        "Double": "$Saisie.$A$1",
        "constante": "of:=42",
    }


def test_trop_de_noms(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "NOMS_MAX", 3)
    noms = _noms(**{f"n{i}": "$Saisie.$A$1" for i in range(5)})
    refuse(lire(tmp_path, ods_minimal(contenu_ods(noms=noms))), "donnees-hors-gabarit")


def test_feuille_sans_nom_ou_en_double(tmp_path: Path) -> None:
    for feuilles in (_feuille("Saisie") + _feuille("SAISIE"), _feuille("")):
        refuse(lire(tmp_path, ods_minimal(contenu_ods(feuilles, ""))), "xml-invalide")
    refuse(lire(tmp_path, ods_minimal(contenu_ods("", ""))), "xml-invalide")


# --- Au-delà de la zone du gabarit (zone d'impression) ---------------------------------------


def test_valeurs_au_dela_du_gabarit(tmp_path: Path) -> None:
    nombre = 'office:value-type="float" office:value="7"'
    lignes = [
        _ligne(
            _cellule('office:value-type="string"', "<text:p>ORG</text:p>"),
            _cellule(),
            _cellule(),
            _cellule(nombre),
        ),
        _ligne(_cellule(), repetee=2),
        _ligne(
            _cellule('office:value-type="date" office:date-value="2019-06-03"'),
            _cellule('table:formula="of:=1" office:value-type="float" office:value="1"'),
        ),
    ]
    contenu = contenu_ods(_feuille("Saisie", *lignes, impression="Saisie.A1:Saisie.C3"), NOMS_ODS)
    hors = lire(tmp_path, ods_minimal(contenu)).hors_noms["Saisie"]
    assert hors.valeurs == {(1, 4): 7.0, (4, 1): 43619.0}  # la formule n'est pas une saisie
    assert hors.format((4, 1)) == "date" and hors.format((1, 4)) is None
    assert not hors.tronque


def test_valeurs_au_dela_du_gabarit_bornees(tmp_path: Path) -> None:
    """Une valeur répétée sur 9 000 lignes sous le gabarit : gardée jusqu'à la limite, pas plus."""
    lignes = [
        _ligne(_cellule('office:value-type="string"', "<text:p>ORG</text:p>")),
        _ligne(_cellule('office:value-type="float" office:value="1"'), repetee=9000),
    ]
    contenu = contenu_ods(_feuille("Saisie", *lignes, impression="$Saisie.$A$1:.$A$1"), NOMS_ODS)
    hors = lire(tmp_path, ods_minimal(contenu)).hors_noms["Saisie"]
    assert len(hors.valeurs) == limites.HORS_NOMS_MAX and hors.tronque


# --- Ce que la lecture importe ------------------------------------------------------------------


def test_lecture_ods_sans_openpyxl_ni_pandas(tmp_path: Path) -> None:
    chemin = tmp_path / "reponse.ods"
    chemin.write_bytes(ods_minimal())
    programme = (
        "import sys\n"
        "from barometre_cli.lecture import lire_classeur\n"
        f"assert lire_classeur({str(chemin)!r}).lisible\n"
        "assert 'openpyxl' not in sys.modules and 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", programme], check=True, cwd=RACINE)


def test_ensemble_hostile_borne_en_temps_et_en_memoire(tmp_path: Path, moteur_xml: str) -> None:
    """Tout le corpus .ods piégé, lu dans un processus à part : chaque fichier refusé ou lu en
    moins d'une seconde, et la mémoire du processus reste sous 250 Mo (bombe de 200 Mo comprise)."""
    fabriques = [
        f
        for nom, f in vars(hostiles).items()
        if nom.startswith(("ods_", "odt", "fods")) and callable(f) and nom not in ("ods_minimal",)
    ]
    for fabrique in fabriques:
        (tmp_path / f"{fabrique.__name__}.ods").write_bytes(fabrique())
    programme = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from barometre_cli.lecture import lire_classeur\n"
        "pire = 0.0\n"
        "for chemin in sorted(Path(sys.argv[1]).glob('*.ods')):\n"
        "    debut = time.perf_counter()\n"
        "    lu = lire_classeur(chemin)\n"
        "    assert all('structure inattendue' not in c.message for c in lu.constats), chemin\n"
        "    pire = max(pire, time.perf_counter() - debut)\n"
        "print(pire, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    fin = subprocess.run(
        [sys.executable, "-c", programme, str(tmp_path)],
        capture_output=True, text=True, cwd=RACINE, timeout=120, check=False,
    )  # fmt: skip
    assert fin.returncode == 0, fin.stderr[-800:]
    pire, memoire_mo = fin.stdout.split()
    assert len(fabriques) >= 20
    assert float(pire) < 1.0
    assert int(memoire_mo) < 250
