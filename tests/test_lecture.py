"""Lecture défensive : chaque fichier piégé devient un constat précis, vite et sans exception."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from barometre_cli.domaine.constats import CODES, Severite
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.lecture import (
    COLONNES_MAX,
    FORMULE_SANS_VALEUR,
    LIGNES_MAX,
    TAILLE_MAX_FICHIER,
    ClasseurLu,
    ErreurCellule,
    Plage,
    limites,
    lire_classeur,
    verifier_defusedxml,
)
from tests import hostiles

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

#: durée maximale d'une lecture, même piégée (les cas réels prennent quelques millisecondes)
DUREE_MAX = 3.0


def lire(tmp_path: Path, octets: bytes, nom: str = "reponse.xlsx") -> ClasseurLu:
    """Écrit `octets` sous `nom`, les lit, et vérifie que la lecture est rapide."""
    chemin = tmp_path / nom
    chemin.write_bytes(octets)
    debut = time.perf_counter()
    classeur = lire_classeur(chemin)
    duree = time.perf_counter() - debut
    assert duree < DUREE_MAX, f"lecture trop lente : {duree:.2f} s"
    return classeur


def refuse(classeur: ClasseurLu, code: str) -> None:
    """Un seul constat, du code attendu, de gravité erreur, qui nomme le fichier."""
    assert [c.code for c in classeur.constats] == [code], classeur.constats
    refus = classeur.constats[0]
    assert refus.severite is Severite.ERREUR
    assert classeur.chemin.name in refus.message
    assert not classeur.lisible
    assert classeur.noms == {}


# --- Fichiers piégés ou d'autres formats ---------------------------------------------------

CAS_HOSTILES = [
    (hostiles.vide, "fichier-vide"),
    (hostiles.texte_csv, "pas-un-classeur"),
    (hostiles.pdf, "pas-un-classeur"),
    (hostiles.html, "pas-un-classeur"),
    (hostiles.docx, "pas-un-classeur"),
    (hostiles.zip_sans_classeur, "pas-un-classeur"),
    (hostiles.xlsb, "pas-un-classeur"),
    (hostiles.zip_tronque, "zip-corrompu"),
    (hostiles.zip_crc, "zip-corrompu"),
    (hostiles.taille_mentie, "zip-corrompu"),
    (hostiles.partie_en_double, "zip-corrompu"),
    (hostiles.ole_chiffre, "classeur-chiffre"),
    (hostiles.xls, "format-xls"),
    (hostiles.xlsm, "macros-refusees"),
    (hostiles.type_macros_seul, "macros-refusees"),
    (hostiles.strict, "format-strict"),
    (hostiles.sans_feuille, "xml-invalide"),
    (hostiles.xml_mal_forme, "xml-invalide"),
    (hostiles.utf16, "xml-invalide"),
    (hostiles.billion_laughs_classeur, "xml-dangereux"),
    (hostiles.billion_laughs_feuille, "xml-dangereux"),
    (hostiles.xxe, "xml-dangereux"),
    (hostiles.zip_bombe, "zip-bombe"),
    (hostiles.zip_bombe_declaree, "zip-bombe"),
    (hostiles.zip_bombe_taux, "zip-bombe"),
    (hostiles.trop_de_parties, "zip-bombe"),
    (hostiles.cellule_lointaine, "donnees-hors-gabarit"),
    (hostiles.cellule_lointaine_sans_dimension, "donnees-hors-gabarit"),
    # Variantes d'écriture qui ne doivent jamais atteindre calamine (il ferait avorter le
    # processus en réservant la mémoire de toute la feuille).
    (hostiles.cellule_lointaine_saut_de_ligne, "donnees-hors-gabarit"),
    (hostiles.cellule_lointaine_guillemets_simples, "donnees-hors-gabarit"),
    (hostiles.cellule_lointaine_entite, "donnees-hors-gabarit"),
    # OpenDocument (.ods) : le même chemin défensif, les mêmes refus
    (hostiles.fods, "format-ods"),
    (hostiles.odt, "pas-un-classeur"),
    (hostiles.ods_manifeste_texte, "pas-un-classeur"),
    (hostiles.ods_sans_contenu, "zip-corrompu"),
    (hostiles.ods_chiffre, "classeur-chiffre"),
    (hostiles.ods_macros, "macros-refusees"),
    (hostiles.ods_evenement_macro, "macros-refusees"),
    (hostiles.ods_xxe, "xml-dangereux"),
    (hostiles.ods_billion_laughs, "xml-dangereux"),
    (hostiles.ods_profondeur, "xml-invalide"),
    (hostiles.ods_contenu_autre_type, "xml-invalide"),
    (hostiles.ods_contenu_binaire, "xml-invalide"),
    (hostiles.ods_feuille_imbriquee, "xml-invalide"),
    (hostiles.ods_repetition_invalide, "xml-invalide"),
    (hostiles.ods_zip_bombe, "zip-bombe"),
    (hostiles.ods_zip_bombe_taux, "zip-bombe"),
    (hostiles.ods_lignes_repetees, "donnees-hors-gabarit"),
    (hostiles.ods_colonnes_repetees, "donnees-hors-gabarit"),
]


@pytest.mark.parametrize(
    ("fabrique", "code"), CAS_HOSTILES, ids=[f.__name__ for f, _ in CAS_HOSTILES]
)
def test_fichier_hostile_refuse(tmp_path: Path, fabrique, code: str) -> None:
    debut = time.perf_counter()
    octets = fabrique()
    assert time.perf_counter() - debut < 2.0, "fabrication trop lente"
    refuse(lire(tmp_path, octets), code)


def test_la_fabrication_et_le_type_ne_dependent_pas_de_l_extension(tmp_path: Path) -> None:
    for nom in ("reponse.xls", "reponse.ods", "reponse.csv", "reponse"):
        assert lire(tmp_path, hostiles.classeur_valide(), nom).lisible
        assert lire(tmp_path, hostiles.ods(), nom.replace(".ods", ".xlsx")).format == "ods"
    refuse(lire(tmp_path, hostiles.xls(), "reponse.xlsx"), "format-xls")
    refuse(lire(tmp_path, hostiles.fods(), "reponse.ods"), "format-ods")


def test_message_dit_quoi_faire(tmp_path: Path) -> None:
    message = lire(tmp_path, hostiles.xls()).constats[0].message
    assert "97-2003" in message
    assert "« Classeur Excel (.xlsx) »" in message
    assert "PDF" in lire(tmp_path, hostiles.pdf()).constats[0].message
    assert "HTML" in lire(tmp_path, hostiles.html()).constats[0].message
    assert "CSV" in lire(tmp_path, hostiles.texte_csv()).constats[0].message
    assert "jamais exécutées" in lire(tmp_path, hostiles.xlsm()).constats[0].message
    assert "Strict" in lire(tmp_path, hostiles.strict()).constats[0].message


@pytest.mark.parametrize(
    "fabrique",
    [
        hostiles.xls,
        hostiles.fods,
        hostiles.ole_chiffre,
        hostiles.strict,
        hostiles.xlsb,
        hostiles.pdf,
        hostiles.texte_csv,
    ],
)
def test_autre_format_peut_etre_le_mauvais_fichier(tmp_path: Path, fabrique) -> None:
    """Un fichier d'un autre format est souvent le mauvais fichier joint : le message le dit
    avant d'expliquer la conversion."""
    message = lire(tmp_path, fabrique()).constats[0].message
    assert "le mauvais fichier" in message, message


def test_contenu_inconnu_dit_une_fois(tmp_path: Path) -> None:
    message = lire(tmp_path, b"\x00\x01\x02\x03" * 50).constats[0].message
    assert "contenu d'un type" not in message and "ne reconnaît pas son contenu" in message


def test_xlsm_sans_macro_n_est_pas_dit_a_macros(tmp_path: Path) -> None:
    """Enregistré en .xlsm sans aucune macro : on ne lui prête pas de macros."""
    message = lire(tmp_path, hostiles.type_macros_seul()).constats[0].message
    assert "contient des macros" not in message and "ne contient aucune macro" in message
    assert "contient des macros" in lire(tmp_path, hostiles.xlsm()).constats[0].message


@pytest.mark.parametrize(
    "fabrique", [hostiles.zip_bombe_taux, hostiles.zip_bombe_declaree, hostiles.trop_de_parties]
)
def test_fichier_demesure_n_est_pas_traite_de_bombe(tmp_path: Path, fabrique) -> None:
    """Un vrai fichier d'Excel peut dépasser un taux de compression (mise en forme sur des
    lignes entières) : le message dit la cause probable et quoi faire, sans accuser."""
    message = lire(tmp_path, fabrique()).constats[0].message
    assert "bombe" not in message and "gabarit neuf" in message


def test_cellule_lointaine_nomme_feuille_et_cellule(tmp_path: Path) -> None:
    for fabrique in (hostiles.cellule_lointaine, hostiles.cellule_lointaine_sans_dimension):
        refus = lire(tmp_path, fabrique()).constats[0]
        assert (refus.feuille, refus.cellule) == ("Saisie", "XFD1048576")


def test_cellule_lointaine_dit_quelle_cellule_effacer(tmp_path: Path) -> None:
    """La cause est une valeur dans une cellule : le message la nomme, sans faire supprimer
    des lignes (le geste qui, dans Calc, écrit justement une ligne lointaine)."""
    message = lire(tmp_path, hostiles.cellule_lointaine()).constats[0].message
    assert "une valeur en XFD1048576" in message and "Effacez le contenu" in message
    assert "Supprimez les lignes" not in message


def _vides_lointaines(dimension: str, lignes: str) -> bytes:
    feuille = hostiles.FEUILLE_XML.replace("</sheetData>", lignes + "</sheetData>")
    return hostiles.xlsx_minimal(feuille=feuille.replace('<dimension ref="A1"/>', dimension))


@pytest.mark.parametrize(
    ("dimension", "lignes"),
    [
        ("", '<row r="50000"/>'),
        ("", '<row r="1048576" ht="12.8" customHeight="false"></row>'),  # Calc, ligne supprimée
        ('<dimension ref="A1:Z1048576"/>', ""),
        ('<dimension ref="A1:XFD1048576"/>', '<row r="1048576"><c r="XFD1048576" s="1"/></row>'),
        ("", '<row r="9000"><c r="GS9000" s="2"/><c r="A9001"/></row>'),
    ],
    ids=["ligne-vide", "ligne-de-calc", "dimension", "cellule-stylee", "cellules-vides"],
)
def test_seules_les_valeurs_sont_des_donnees(tmp_path: Path, dimension: str, lignes: str) -> None:
    """Zone déclarée, lignes et cellules sans valeur au-delà des limites : rien à refuser."""
    lu = lire(tmp_path, _vides_lointaines(dimension, lignes))
    assert lu.lisible, lu.constats
    assert lu.noms["code"].valeur == "ORG"


def test_limite_de_zone_exacte(tmp_path: Path) -> None:
    """La dernière cellule permise passe ; celle d'après est refusée."""
    derniere = f"{_lettres(COLONNES_MAX)}{LIGNES_MAX}"
    for cellule, lisible in ((derniere, True), (f"{_lettres(COLONNES_MAX + 1)}1", False)):
        feuille = hostiles.FEUILLE_XML.replace(
            "</sheetData>", f'<row r="{LIGNES_MAX}"><c r="{cellule}"><v>1</v></c></row></sheetData>'
        )
        assert lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)).lisible is lisible


def _lettres(colonne: int) -> str:
    lettres = ""
    while colonne:
        colonne, reste = divmod(colonne - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def _feuille_pleine(lignes: int, colonnes: int) -> str:
    """Une feuille « Saisie » de `lignes` × `colonnes` nombres (valeur = numéro de ligne)."""
    corps = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{_lettres(c)}{r}"><v>{r}</v></c>' for c in range(1, colonnes + 1))
        + "</row>"
        for r in range(1, lignes + 1)
    )
    return f'<worksheet xmlns="{hostiles.NS}"><sheetData>{corps}</sheetData></worksheet>'


def test_trop_de_cellules_dans_une_feuille_lue(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "CELLULES_MAX_FEUILLE", 500)
    refus = lire(tmp_path, hostiles.xlsx_minimal(feuille=_feuille_pleine(60, 10))).constats
    assert [(c.code, c.feuille, c.cellule) for c in refus] == [
        ("donnees-hors-gabarit", "Saisie", "A51")
    ]


def test_feuille_lue_trop_grosse(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "TAILLE_MAX_FEUILLE_LUE", 1000)
    refus = lire(tmp_path, hostiles.xlsx_minimal(feuille=_feuille_pleine(20, 10))).constats
    assert [(c.code, c.feuille) for c in refus] == [("donnees-hors-gabarit", "Saisie")]


def test_trop_de_chaines_partagees(tmp_path: Path, monkeypatch, valide: bytes) -> None:
    monkeypatch.setattr(limites, "CHAINES_MAX", 2)
    refuse(lire(tmp_path, valide), "donnees-hors-gabarit")


def test_lignes_en_double(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limites, "LIGNES_MAX", 50)
    lignes = '<row r="3"/>' * 51
    feuille = f'<worksheet xmlns="{hostiles.NS}"><sheetData>{lignes}</sheetData></worksheet>'
    refuse(lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)), "xml-invalide")


def _une_ligne(cellules: str) -> bytes:
    feuille = (
        f'<worksheet xmlns="{hostiles.NS}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>{cellules}</row></sheetData></worksheet>'
    )
    return hostiles.xlsx_minimal(feuille=feuille)


def test_valeurs_en_double_dans_une_ligne(tmp_path: Path) -> None:
    """Une ligne compte au plus COLONNES_MAX valeurs : au-delà, des cellules en double."""
    lu = lire(tmp_path, _une_ligne('<c r="B1"><v>1</v></c>' * COLONNES_MAX))
    refuse(lu, "xml-invalide")
    assert f"plus de {COLONNES_MAX} valeurs dans une ligne" in lu.constats[0].message


def test_cellules_sans_valeur_jamais_une_ligne_mal_formee(tmp_path: Path) -> None:
    """Issue 18, point 5 : seules les valeurs sont des données, aussi pour la largeur d'une
    ligne. Une mise en forme tirée sur 300 colonnes, ou répétée sur une même cellule, passe."""
    tiree = "".join(f'<c r="{_lettres(c)}1" s="1"/>' for c in range(2, 302))
    assert lire(tmp_path, _une_ligne(tiree)).noms["code"].valeur == "ORG"
    repetee = '<c r="B1" s="1"/>' * (3 * COLONNES_MAX)
    assert lire(tmp_path, _une_ligne(repetee)).noms["code"].valeur == "ORG"


def test_cellules_sans_valeur_restent_bornees(tmp_path: Path, monkeypatch) -> None:
    """Le nombre de cellules, même vides, reste borné (temps et mémoire d'une ligne)."""
    monkeypatch.setattr(limites, "CELLULES_MAX_FEUILLE", 500)
    lu = lire(tmp_path, _une_ligne('<c r="B1" s="1"/>' * 600))
    refuse(lu, "donnees-hors-gabarit")
    assert "plus de 500 cellules" in lu.constats[0].message


def test_une_ligne_de_valeurs_au_dela_des_colonnes_dit_ou(tmp_path: Path) -> None:
    """250 valeurs dans une ligne : la 201e est une valeur lointaine comme une autre, nommée à
    sa cellule (jamais « mal formée »)."""
    valeurs = "".join(f'<c r="{_lettres(c)}1"><v>{c}</v></c>' for c in range(2, 252))
    lu = lire(tmp_path, _une_ligne(valeurs))
    refuse(lu, "donnees-hors-gabarit")
    cellule = f"{_lettres(COLONNES_MAX + 1)}1"
    assert lu.constats[0].cellule == cellule
    assert f"contient une valeur en {cellule}, très loin" in lu.constats[0].message


@pytest.mark.parametrize("en_flux", [False, True], ids=["bloc", "flux"])
@pytest.mark.parametrize(
    "ailleurs",
    [
        '<c r="A2"><v>9</v></c><row r="2"/>',  # directement sous <sheetData>
        '<row r="2"><c r="B2" t="inlineStr"><is><c r="A2"><v>9</v></c><t>x</t></is></c></row>',
        f'<row r="2"><x xmlns="urn:autre"><c xmlns="{hostiles.NS}" r="A2"><v>9</v></c></x></row>',
    ],
    ids=["hors-ligne", "dans-une-cellule", "sous-un-autre-element"],
)
def test_une_cellule_hors_de_sa_ligne_n_est_pas_lue(
    tmp_path: Path, monkeypatch, en_flux: bool, ailleurs: str
) -> None:
    """Comme Excel et Calc : une cellule est un <c> d'une <row> de <sheetData>, rien d'autre."""
    if en_flux:
        monkeypatch.setattr(limites, "TAILLE_ANALYSE_EN_BLOC", 0)
    classeur = hostiles.CLASSEUR_XML.replace("Saisie!$A$1", "Saisie!$A$1:$A$2")
    feuille = hostiles.FEUILLE_XML.replace("</sheetData>", f"{ailleurs}</sheetData>")
    lu = lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille, classeur=classeur))
    assert lu.lisible, lu.constats
    assert lu.noms["code"].valeurs == (("ORG",), (None,))


def test_lecture_en_flux_et_en_bloc_identiques(tmp_path: Path, monkeypatch, valide: bytes) -> None:
    """Au-delà de `TAILLE_ANALYSE_EN_BLOC`, la lecture passe en flux : même résultat."""
    en_bloc = lire(tmp_path, valide)
    monkeypatch.setattr(limites, "TAILLE_ANALYSE_EN_BLOC", 0)
    en_flux = lire(tmp_path, valide)
    assert en_flux.noms == en_bloc.noms
    assert en_flux.noms_brises == en_bloc.noms_brises
    refuse(lire(tmp_path, hostiles.cellule_lointaine_sans_dimension()), "donnees-hors-gabarit")
    assert lire(tmp_path, hostiles.ligne_lointaine()).lisible


def test_grand_tableau_lu_vite(tmp_path: Path) -> None:
    """Un nom de 1 500 lignes × 10 colonnes (5 fois un gabarit rempli) se lit vite."""
    classeur = hostiles.CLASSEUR_XML.replace("Saisie!$A$1", "Saisie!$A$1:$J$1500")
    octets = hostiles.xlsx_minimal(feuille=_feuille_pleine(3000, 10), classeur=classeur)
    debut = time.perf_counter()
    plage = lire(tmp_path, octets).noms["code"]
    assert time.perf_counter() - debut < 1.0
    assert len(plage.valeurs) == 1500
    assert plage.valeurs[1499] == (1500.0,) * 10


def test_feuille_non_lue_non_verifiee(tmp_path: Path) -> None:
    """Une feuille qu'aucun nom ne vise n'est pas analysée (ni donc refusée)."""
    sans_nom = hostiles.CLASSEUR_XML.split("<definedNames>")[0] + "</workbook>"
    lu = lire(
        tmp_path,
        hostiles.xlsx_minimal(feuille=hostiles._feuille_lointaine(None), classeur=sans_nom),
    )
    assert lu.lisible
    assert lu.feuilles == ("Saisie",)
    assert lu.noms == {}


def test_fichier_introuvable(tmp_path: Path) -> None:
    lu = lire_classeur(tmp_path / "absent.xlsx")
    refuse(lu, "fichier-illisible")


def test_dossier(tmp_path: Path) -> None:
    (tmp_path / "dossier.xlsx").mkdir()
    refuse(lire_classeur(tmp_path / "dossier.xlsx"), "fichier-illisible")


def test_fichier_trop_gros_refuse_sans_etre_lu(tmp_path: Path) -> None:
    chemin = tmp_path / "enorme.xlsx"
    with open(chemin, "wb") as fichier:  # fichier creux : instantané, presque rien sur disque
        fichier.write(b"PK\x03\x04")
        fichier.truncate(TAILLE_MAX_FICHIER + 1)
    debut = time.perf_counter()
    lu = lire_classeur(chemin)
    assert time.perf_counter() - debut < DUREE_MAX
    refuse(lu, "zip-bombe")
    assert lu.taille == TAILLE_MAX_FICHIER + 1
    assert lu.sha256 == ""


def test_ne_leve_jamais_sur_fichier_abime(tmp_path: Path) -> None:
    """Troncatures et octets changés au hasard : toujours un résultat, jamais une exception."""
    original = hostiles.classeur_valide(compression=zipfile.ZIP_STORED)
    hasard = random.Random(20260)
    for essai in range(150):
        octets = bytearray(original)
        if essai % 3 == 0:
            octets = octets[: hasard.randrange(len(octets))]
        else:
            for _ in range(hasard.randint(1, 8)):
                octets[hasard.randrange(len(octets))] = hasard.randrange(256)
        lu = lire(tmp_path, bytes(octets))
        assert all(c.code in CODES for c in lu.constats)
        assert len(lu.constats) <= 1


# --- Classeur valide ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def valide() -> bytes:
    return hostiles.classeur_valide()


def test_classeur_valide(tmp_path: Path, valide: bytes) -> None:
    lu = lire(tmp_path, valide)
    assert lu.constats == []
    assert lu.lisible
    assert lu.feuilles == ("Saisie", "L'été 2024", "Vide")
    assert lu.taille == len(valide)
    assert lu.sha256 == hashlib.sha256(valide).hexdigest()


def test_valeurs_simples(tmp_path: Path, valide: bytes) -> None:
    noms = lire(tmp_path, valide).noms

    def cellule(nom: str, ligne: int, colonne: int, valeur, formules=frozenset()) -> Plage:
        return Plage(nom, "Saisie", ligne, colonne, ((valeur,),), formules)

    assert noms["organisation_code"] == cellule("organisation_code", 1, 2, "ORG-01")
    assert noms["periode"] == cellule("periode", 2, 2, 2026.0)
    assert isinstance(noms["periode"].valeur, float)
    assert noms["consentement"] == cellule("consentement", 3, 2, True)
    assert noms["ratio"] == cellule("ratio", 4, 2, ErreurCellule("#DIV/0!"))
    assert noms["jamais_calcule"] == cellule("jamais_calcule", 5, 2, FORMULE_SANS_VALEUR)
    assert noms["double"] == cellule("double", 6, 2, 4052.0, frozenset({(0, 0)}))
    assert noms["riche"] == cellule("riche", 7, 2, "Texte riche")
    assert noms["vide"] == cellule("vide", 8, 2, None)
    assert noms["echappe"] == cellule("echappe", 9, 2, "xAy_x0041_")
    assert noms["periode"].adresse() == "B2"


def test_plage_de_trois_colonnes(tmp_path: Path, valide: bytes) -> None:
    services = lire(tmp_path, valide).noms["services"]
    assert services == Plage(
        "services",
        "Saisie",
        11,
        1,
        (
            ("Service A", 10.0, 5.0),
            ("Service B", 3.5, 1.75),
            (None, None, None),
        ),
        frozenset({(1, 2)}),
    )
    assert services.adresse(1, 2) == "C12"


def test_formule_sans_valeur_en_cache(tmp_path: Path) -> None:
    """openpyxl n'écrit aucune valeur en cache : toute formule est « jamais calculée »."""
    noms = lire(tmp_path, hostiles.classeur_valide(valeurs_en_cache=False)).noms
    assert noms["double"].valeur is FORMULE_SANS_VALEUR
    assert noms["double"].formules == frozenset()
    assert noms["services"].valeurs[1] == ("Service B", 3.5, FORMULE_SANS_VALEUR)


def test_formule_chaine_vide_calculee(tmp_path: Path) -> None:
    """`<c t="str"><f>…</f><v></v></c>` : une formule calculée qui rend une chaîne vide."""
    feuille = hostiles.FEUILLE_XML.replace(
        '<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>',
        '<c r="A1" t="str"><f>IF(B1="","",B1)</f><v></v></c>',
    )
    plage = lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)).noms["code"]
    assert plage.valeur == ""
    assert plage.formules == frozenset({(0, 0)})


def test_feuille_entre_apostrophes(tmp_path: Path, valide: bytes) -> None:
    assert lire(tmp_path, valide).noms["ete"] == Plage("ete", "L'été 2024", 1, 1, (("chaud",),))


def test_noms_brises(tmp_path: Path, valide: bytes) -> None:
    assert lire(tmp_path, valide).noms_brises == {
        "brise_ref": "#REF!",
        "brise_feuille": "Saisie!#REF!",
        "plusieurs_zones": "Saisie!$A$1,Saisie!$B$2",
        "feuille_inconnue": "Absente!$A$1",
        "trop_grand": "Saisie!$A$1:$Z$2000",
        "colonne_entiere": "Saisie!$C:$C",
        "constante": '"texte"',
    }


def test_noms_locaux_et_integres_ignores(tmp_path: Path, valide: bytes) -> None:
    lu = lire(tmp_path, valide)
    noms = set(lu.noms) | set(lu.noms_brises)
    assert "local" not in noms
    assert not any(n.startswith("_xlnm") for n in noms)


def test_nom_defini_deux_fois_est_brise(tmp_path: Path) -> None:
    classeur = hostiles.CLASSEUR_XML.replace(
        "</definedNames>", '<definedName name="CODE">Saisie!$B$1</definedName></definedNames>'
    )
    lu = lire(tmp_path, hostiles.xlsx_minimal(classeur=classeur))
    assert lu.noms == {}
    assert lu.noms_brises == {"CODE": "Saisie!$B$1"}


def test_cibles_absolues_et_cellules_sans_reference(tmp_path: Path) -> None:
    """Cible « /xl/… » et cellules sans `r` : positions implicites, comme Excel."""
    feuille = (
        f'<worksheet xmlns="{hostiles.NS}"><sheetData>'
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row><c r="B2"><v>3</v></c><c><v>4</v></c></row>'
        '<row r="4"><c><v>5</v></c></row></sheetData></worksheet>'
    )
    classeur = hostiles.CLASSEUR_XML.replace("Saisie!$A$1", "Saisie!$A$1:$C$4")
    relations = hostiles.RELS_CLASSEUR.replace("worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml")
    octets = hostiles.xlsx_minimal(
        feuille=feuille, classeur=classeur, autres={"xl/_rels/workbook.xml.rels": relations}
    )
    assert lire(tmp_path, octets).noms["code"].valeurs == (
        (1.0, 2.0, None),
        (None, 3.0, 4.0),
        (None, None, None),
        (5.0, None, None),
    )


def test_chaine_partagee_inexistante(tmp_path: Path) -> None:
    feuille = hostiles.FEUILLE_XML.replace(
        '<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>', '<c r="A1" t="s"><v>99</v></c>'
    )
    refus = lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)).constats
    assert [(c.code, c.feuille, c.cellule) for c in refus] == [("xml-invalide", "Saisie", "A1")]


def test_nombre_non_fini_refuse(tmp_path: Path) -> None:
    feuille = hostiles.FEUILLE_XML.replace(
        '<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>', '<c r="A1"><v>NaN</v></c>'
    )
    refuse(lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)), "xml-invalide")


def test_chemin_en_texte(tmp_path: Path, valide: bytes) -> None:
    chemin = tmp_path / "reponse.xlsx"
    chemin.write_bytes(valide)
    lu = lire_classeur(str(chemin))
    assert lu.lisible
    assert lu.chemin == chemin


def test_formule_en_erreur(tmp_path: Path) -> None:
    feuille = hostiles.FEUILLE_XML.replace(
        '<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>',
        '<c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    )
    plage = lire(tmp_path, hostiles.xlsx_minimal(feuille=feuille)).noms["code"]
    assert plage.valeur == ErreurCellule("#DIV/0!")
    assert plage.formules == frozenset({(0, 0)})


def test_lecture_sans_openpyxl_ni_pandas(tmp_path: Path, valide: bytes) -> None:
    """La lecture n'importe ni openpyxl ni pandas (lents, et inutiles ici)."""
    chemin = tmp_path / "reponse.xlsx"
    chemin.write_bytes(valide)
    programme = (
        "import sys\n"
        "from barometre_cli.lecture import lire_classeur\n"
        f"assert lire_classeur({str(chemin)!r}).lisible\n"
        "assert 'openpyxl' not in sys.modules and 'pandas' not in sys.modules\n"
    )
    racine = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", programme], check=True, cwd=racine)


# --- Propriétés du document ---------------------------------------------------------------


def test_proprietes_personnalisees(tmp_path: Path, valide: bytes) -> None:
    proprietes = lire(tmp_path, valide).proprietes
    assert proprietes == {
        "barometre_version": 1,
        "barometre_cible": "5.1",
        "taux": 0.25,
        "prerempli": True,
    }
    assert type(proprietes["barometre_version"]) is int


def test_proprietes_a_la_libreoffice(tmp_path: Path, valide: bytes) -> None:
    """LibreOffice réécrit les entiers en `vt:r8` (3 → 3.0) et préfixe les types autrement."""
    personnalisees = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        'name="barometre_version"><vt:r8>3</vt:r8></property>'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" '
        'name="barometre_cible"><vt:lpwstr>6.1</vt:lpwstr></property>'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" '
        'name="actif"><vt:bool>false</vt:bool></property>'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="5" '
        'name="grand"><vt:i8>-12</vt:i8></property></Properties>'
    )
    octets = hostiles.remplacer(valide, {"docProps/custom.xml": personnalisees})
    proprietes = lire(tmp_path, octets).proprietes
    assert proprietes == {
        "barometre_version": 3.0,
        "barometre_cible": "6.1",
        "actif": False,
        "grand": -12,
    }
    assert type(proprietes["barometre_version"]) is float


def test_sans_proprietes(tmp_path: Path) -> None:
    lu = lire(tmp_path, hostiles.classeur_valide(proprietes=False))
    assert lu.lisible
    assert lu.proprietes == {}


def test_date_de_modification_en_utc(tmp_path: Path, valide: bytes) -> None:
    noyau = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-01T12:34:56-05:00</dcterms:modified>'
        "</cp:coreProperties>"
    )
    lu = lire(tmp_path, hostiles.remplacer(valide, {"docProps/core.xml": noyau}))
    assert lu.modifie == datetime(2026, 3, 1, 17, 34, 56, tzinfo=UTC)
    assert lu.modifie.tzinfo is UTC


def test_date_de_modification_openpyxl(tmp_path: Path, valide: bytes) -> None:
    modifie = lire(tmp_path, valide).modifie
    assert modifie is not None
    assert modifie.utcoffset().total_seconds() == 0


def test_date_absente_ou_illisible(tmp_path: Path, valide: bytes) -> None:
    assert lire(tmp_path, hostiles.remplacer(valide, {"docProps/core.xml": None})).modifie is None
    noyau = (
        '<c xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>hier</dcterms:modified></c>'
    )
    lu = lire(tmp_path, hostiles.remplacer(valide, {"docProps/core.xml": noyau}))
    assert lu.lisible
    assert lu.modifie is None


def test_entite_dans_les_proprietes(tmp_path: Path, valide: bytes) -> None:
    piege = hostiles.BILLION_LAUGHS + "<Properties>&lol9;</Properties>"
    refuse(
        lire(tmp_path, hostiles.remplacer(valide, {"docProps/custom.xml": piege})), "xml-dangereux"
    )


# --- openpyxl et defusedxml ---------------------------------------------------------------


def test_verifier_defusedxml() -> None:
    verifier_defusedxml()


def test_verifier_defusedxml_sans_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(BarometreErreur, match="defusedxml"):
        verifier_defusedxml()


def test_verifier_defusedxml_sans_charger_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sans openpyxl chargé (cas de `valider`), on vérifie que defusedxml est installable."""
    import importlib.util
    import sys

    monkeypatch.delitem(sys.modules, "openpyxl", raising=False)
    verifier_defusedxml()
    assert "openpyxl" not in sys.modules
    monkeypatch.setattr(importlib.util, "find_spec", lambda nom: None)
    with pytest.raises(BarometreErreur, match="defusedxml"):
        verifier_defusedxml()


@pytest.mark.parametrize(
    "fabrique",
    [hostiles.billion_laughs_classeur, hostiles.billion_laughs_feuille, hostiles.xxe],
    ids=["classeur", "feuille", "xxe"],
)
def test_openpyxl_refuse_aussi_les_entites(tmp_path: Path, fabrique) -> None:
    """openpyxl (utilisé ailleurs pour écrire et annoter) refuse aussi ces pièges, vite.

    Les feuilles passent par defusedxml (`EntitiesForbidden`) ; `xl/workbook.xml`, lui, est lu
    par `lxml.etree.fromstring` quand lxml est installé : c'est alors la limite d'amplification
    d'entités de libxml2 qui l'arrête.
    """
    from defusedxml import DefusedXmlException
    from lxml import etree
    from openpyxl import load_workbook

    chemin = tmp_path / "piege.xlsx"
    chemin.write_bytes(fabrique())
    debut = time.perf_counter()
    with pytest.raises((ValueError, etree.XMLSyntaxError)) as erreur:
        load_workbook(chemin)
    assert time.perf_counter() - debut < DUREE_MAX
    if fabrique is not hostiles.billion_laughs_classeur:
        assert isinstance(erreur.value.__cause__, DefusedXmlException)


def test_nom_de_feuille_demesure_refuse(tmp_path: Path) -> None:
    """Issue 19 : chaque texte est borné ; un nom de feuille de 300 caractères (Excel en permet
    31) n'atteint ni les constats, ni l'écran."""
    nom = "S" * 300
    classeur = hostiles.CLASSEUR_XML.replace('name="Saisie"', f'name="{nom}"')
    classeur = classeur.replace("Saisie!$A$1", f"{nom}!$A$1")
    lu = lire(tmp_path, hostiles.xlsx_minimal(classeur=classeur))
    refuse(lu, "xml-invalide")
    assert "une feuille au nom de 300 caractères" in lu.constats[0].message
