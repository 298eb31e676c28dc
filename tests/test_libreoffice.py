"""Aller-retour dans une vraie suite bureautique : les gabarits enregistrés par LibreOffice Calc.

La conversion demande LibreOffice (`soffice`), que `.ci/run` installe ; sans lui, ces tests sont
sautés avec la raison. Les classeurs de `tests/donnees/`, eux, ont déjà été enregistrés par
LibreOffice et se testent partout.
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.calculs.base import Resultat
from barometre_cli.catalogue import CIBLES, IDENTIFICATION, PROP_VERSION, RETROACTION
from barometre_cli.lecture import lire_classeur
from barometre_cli.validation.regles import valider_classeur, valider_fichier
from tests.test_gabarit import _cellules, _validation

RACINE = Path(__file__).resolve().parents[1]
DONNEES = Path(__file__).resolve().parent / "donnees"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def convertis(tmp_path_factory) -> Path:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) absent : aller-retour non vérifié sur cette machine")
    sortie = tmp_path_factory.mktemp("lo")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{sortie}/profil",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(sortie),
            *sorted(str(p) for p in (RACINE / "gabarits").glob("*.xlsx")),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return sortie


@pytest.mark.parametrize("c", CIBLES, ids=[c.id for c in CIBLES])
def test_gabarit_survit_a_libreoffice(convertis, c):
    chemin = convertis / f"barometre-cible-{c.id}.xlsx"
    lu = lire_classeur(chemin)
    assert lu.lisible, lu.constats
    # Métadonnées : LibreOffice rend la version en décimal (1 → 1.0), toujours reconnue.
    assert float(lu.proprietes[PROP_VERSION]) == 1.0
    noms = {ch.nom for ch in (*IDENTIFICATION, *c.champs, *RETROACTION)}
    assert noms <= set(lu.noms) and not lu.noms_brises
    # Reconnu comme gabarit : seules manquent les saisies d'un gabarit vierge.
    rapport = valider_classeur(lu)
    assert rapport.cibles == [c.id]
    codes = {k.code for k in rapport.constats}
    assert codes <= {
        "identification-manquante",
        "periode-manquante",
        "valeur-manquante",
        "tableau-vide",
        "aucun-jeu-haut-potentiel",
    }
    # Validations de données et déverrouillage toujours en place sur chaque saisie.
    classeur = load_workbook(chemin)
    assert classeur["Saisie"].protection.sheet and classeur["Rétroaction"].protection.sheet
    for nom in noms:
        definition = classeur.defined_names[nom]
        feuille = classeur[next(iter(definition.destinations))[0]]
        for cellule in _cellules(classeur, definition.attr_text):
            assert cellule.protection.locked is False, (nom, cellule.coordinate)
            dv = _validation(feuille, cellule.coordinate)
            assert dv is not None and dv.error, (nom, cellule.coordinate)


def test_classeur_rempli_et_enregistre_par_libreoffice_valide():
    rapport = valider_fichier(DONNEES / "libreoffice-cible-5.1.xlsx")
    assert rapport.valide, rapport.constats
    assert rapport.organisation_code == "MTQ01" and rapport.periode == "2026"
    # 91 %, 96 % et 90 % comptent ; 75 % pile ne compte pas.
    assert rapport.resultats == [Resultat("5.1", 3, 4, Fraction(3, 4), Fraction(1))]


def test_statuts_5_2_enregistres_par_libreoffice():
    rapport = valider_fichier(DONNEES / "libreoffice-cible-5.2.xlsx")
    assert rapport.valide, rapport.constats
    assert rapport.resultats[0].numerateur == 7 and rapport.resultats[0].denominateur == 12


def test_classeur_mal_rempli_dans_libreoffice():
    rapport = valider_fichier(DONNEES / "libreoffice-cible-1.1-erreurs.xlsx")
    assert [(c.code, c.cellule) for c in rapport.constats] == [
        ("courriel-douteux", "C8"),
        ("valeur-non-numerique", "C13"),
        ("nombre-decimal", "C14"),
    ]
