"""Lire ce que la personne a voulu dire : le format de la cellule et les bornes du catalogue.

Un tableur range une date, une heure ou un pourcentage comme un nombre ; seul le format de la
cellule dit ce qui a été tapé. Ces saisies sont des erreurs à leur cellule, jamais un chiffre.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.calculs.valeurs import affiche
from barometre_cli.catalogue import cible
from barometre_cli.catalogue.cibles import MAX_EMPLOYES, MAX_UTILISATIONS
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur

pytestmark = pytest.mark.usefixtures("moteur_xml")


def _constats(rapport):
    return [(c.code, c.severite.value, c.cellule) for c in rapport.constats]


def _avec_formats(chemin: Path, formats: dict[str, str]) -> Path:
    """Donne à des cellules de la feuille Saisie le format qu'un tableur leur aurait mis."""
    wb = load_workbook(chemin)
    for cellule, format_ in formats.items():
        wb["Saisie"][cellule].number_format = format_
    wb.save(chemin)
    return chemin


@pytest.mark.parametrize(
    ("nombre", "genre", "vu"),
    [
        (43619.0, "date", "2019-06-03"),
        (46085.0, "date", "2026-03-04"),
        (43619.5, "date", "2019-06-03 12:00"),
        (8.5 / 24, "heure", "08:30"),
        (1.5, "heure", "36:00"),
        ((8 * 3600 + 30 * 60 + 15) / 86400, "heure", "08:30:15"),
        (0.8, "pourcentage", "80\u00a0%"),
        (0.125, "pourcentage", "12,5\u00a0%"),
        (0.07, "pourcentage", "7\u00a0%"),
        (-3.0, "date", "-3"),
        (12.0, None, "12"),
    ],
)
def test_affiche_ce_que_la_cellule_montre(nombre, genre, vu):
    assert affiche(nombre, genre) == vu


@pytest.mark.parametrize(
    ("valeur", "format_", "code", "montre"),
    [
        (43619, "yyyy/mm/dd", "date-dans-nombre", "« 2019-06-03 »"),  # ce qu'écrit Calc fr-CA
        (43619, "mm-dd-yy", "date-dans-nombre", "« 2019-06-03 »"),  # format intégré 14
        (8.5 / 24, "hh:mm:ss", "date-dans-nombre", "« 08:30 »"),
        (0.8, "0.00\\ %", "pourcentage-dans-nombre", "« 80\u00a0% »"),
        (1, "0%", "pourcentage-dans-nombre", "« 100\u00a0% »"),
    ],
)
def test_date_heure_pourcentage_dans_un_denombrement(tmp_path, valeur, format_, code, montre):
    chemin = classeur(
        tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": valeur}
    )
    rapport = valider_fichier(_avec_formats(chemin, {"C14": format_}))
    assert _constats(rapport) == [(code, "erreur", "C14")]
    assert montre in rapport.constats[0].message
    assert rapport.constats[0].message.startswith(f"« {cible('1.1').champs[1].libelle} » : ")
    assert "1.1" not in rapport.saisies and rapport.resultats == []


@pytest.mark.parametrize("format_", ["0", "#,##0", "General", "0.00"])
def test_un_format_de_nombre_reste_un_nombre(tmp_path, format_):
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4})
    rapport = valider_fichier(_avec_formats(chemin, {"C13": format_, "C14": format_}))
    assert rapport.valide and rapport.constats == []
    assert (rapport.resultats[0].numerateur, rapport.resultats[0].denominateur) == (3, 4)


def test_texte_au_format_date_reste_un_nombre_en_texte(tmp_path):
    """Le format ne compte que pour un nombre : « 12 » en texte reste accepté avec avertissement."""
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": "12"})
    rapport = valider_fichier(_avec_formats(chemin, {"C14": "yyyy-mm-dd"}))
    assert _constats(rapport) == [("nombre-en-texte", "avertissement", "C14")]


def test_date_dans_une_colonne_de_tableau(tmp_path):
    services = [["Permis", 3, 43619], ["Chasse", 1, 2]]
    chemin = classeur(tmp_path, "c.xlsx", "5.1", {"c5_1_services": services})
    rapport = valider_fichier(_avec_formats(chemin, {"D20": "yyyy-mm-dd"}))
    assert _constats(rapport) == [("date-dans-nombre", "erreur", "D20")]
    assert "« 2019-06-03 »" in rapport.constats[0].message


def test_date_dans_une_cellule_oui_non(tmp_path):
    """Oui/Non : l'erreur montre la date telle que la cellule l'affiche, pas 43619."""
    champ = cible("4.1").champs[0]
    chemin = classeur(
        tmp_path, "c.xlsx", "4.1", {champ.nom: 43619, "c4_1_initiative_terminee": "Oui"}
    )
    rapport = valider_fichier(chemin)
    cellule = rapport.constats[0].cellule
    assert _constats(rapport) == [("oui-non-invalide", "erreur", cellule)]
    assert "« 43619 »" in rapport.constats[0].message
    rapport = valider_fichier(_avec_formats(chemin, {cellule: "yyyy-mm-dd"}))
    assert _constats(rapport) == [("oui-non-invalide", "erreur", cellule)]
    assert f"« {champ.libelle} » : « 2019-06-03 »" in rapport.constats[0].message


# ---- Bornes plausibles du catalogue ------------------------------------------------------


def test_au_dela_du_maximum_plausible_a_verifier(tmp_path):
    """Plus d'employés que le plus grand employeur public : accepté, mais « à vérifier »,
    comme la feuille le dit elle-même."""
    champ_num, champ_den = cible("4.2").champs
    assert champ_den.maximum == MAX_EMPLOYES
    valeurs = {champ_num.nom: 10, champ_den.nom: MAX_EMPLOYES + 1}
    rapport = valider_fichier(classeur(tmp_path, "c.xlsx", "4.2", valeurs))
    assert [(c.code, c.severite.value) for c in rapport.constats] == [
        ("valeur-elevee", "avertissement")
    ]
    assert "500\u00a0000" in rapport.constats[0].message
    assert rapport.valide and rapport.resultats[0].denominateur == MAX_EMPLOYES + 1
    # Le maximum lui-même est plausible.
    valeurs = {champ_num.nom: 10, champ_den.nom: MAX_EMPLOYES}
    assert valider_fichier(classeur(tmp_path, "d.xlsx", "4.2", valeurs)).constats == []


def test_maximum_d_une_colonne_de_tableau(tmp_path):
    services = [["Permis", 3, MAX_UTILISATIONS + 1], ["Chasse", 1, 2]]
    rapport = valider_fichier(classeur(tmp_path, "c.xlsx", "5.1", {"c5_1_services": services}))
    assert _constats(rapport) == [("valeur-elevee", "avertissement", "D20")]
    assert rapport.valide


def test_points_eleves_un_seul_constat(tmp_path):
    """Les points de 6.1 gardent leur constat propre, sans second avertissement."""
    jeux = [["A", 120, "Oui"]]
    rapport = valider_fichier(classeur(tmp_path, "c.xlsx", "6.1", {"c6_1_jeux": jeux}))
    assert _constats(rapport) == [("points-eleves", "avertissement", "C20")]
