"""Les valeurs saisies hors des champs : sous un tableau, elles en sont des lignes ; ailleurs,
au-delà de la zone du gabarit, un avertissement nomme leurs cellules. Jamais en silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from barometre_cli.lecture import limites, lire_classeur
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur

pytestmark = pytest.mark.usefixtures("moteur_xml")

TABLE = "c5_1_services"


def _constats(rapport):
    return [(c.code, c.severite.value, c.cellule) for c in rapport.constats]


def _ajouter(chemin: Path, cellules: dict[str, object], formats: dict[str, str] | None = None):
    """Tape des valeurs hors des noms définis (comme après avoir ôté la protection)."""
    wb = load_workbook(chemin)
    feuille = wb["Saisie"]
    for cellule, valeur in cellules.items():
        feuille[cellule] = valeur
    for cellule, format_ in (formats or {}).items():
        feuille[cellule].number_format = format_
    wb.save(chemin)
    return chemin


def _services(tmp_path, cellules, services=(("Permis", 90, 100),), **kw):
    chemin = classeur(tmp_path, "c.xlsx", "5.1", {TABLE: [list(s) for s in services]})
    return valider_fichier(_ajouter(chemin, cellules, **kw))


def _rangees(premiere: int, rangees) -> dict[str, object]:
    return {
        f"{colonne}{premiere + k}": valeur
        for k, rangee in enumerate(rangees)
        for colonne, valeur in zip("BCD", rangee, strict=True)
    }


def test_la_zone_du_gabarit_vient_de_sa_zone_d_impression(tmp_path):
    chemin = classeur(tmp_path, "c.xlsx", "5.1", {TABLE: [["Permis", 90, 100]]})
    lu = lire_classeur(_ajouter(chemin, {"B320": "Chasse", "H5": 3, "E320": "=1+1"}))
    saisie = lu.hors_noms["Saisie"]
    # Ni libellé du gabarit, ni formule : seulement ce qui a été tapé au-delà de A1:G319.
    assert saisie.valeurs == {(320, 2): "Chasse", (5, 8): 3.0}
    assert lu.hors_noms["Rétroaction"].valeurs == {}


def test_services_tapes_sous_le_tableau_comptent(tmp_path):
    """Un service sur la dernière ligne, deux dessous : 3 / 3, pas 1 / 1 « prêt »."""
    rapport = _services(
        tmp_path,
        _rangees(320, [("Chasse", 80, 100), ("Pêche", 99, 100)]),
        services=[("", None, None)] * 299 + [("Permis", 90, 100)],
    )
    assert _constats(rapport) == [("lignes-sous-le-tableau", "avertissement", "B320")]
    assert "Les lignes 320 et 321" in rapport.constats[0].message
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(3, 3)]
    assert [s.nom for s in rapport.saisies["5.1"].services] == ["Permis", "Chasse", "Pêche"]


def test_une_ligne_vide_ne_coupe_pas_le_tableau(tmp_path):
    rapport = _services(
        tmp_path, _rangees(321, [("Chasse", 10, 100)]) | _rangees(324, [("Pêche", 99, 100)])
    )
    assert _constats(rapport) == [("lignes-sous-le-tableau", "avertissement", "B321")]
    assert "Les lignes 321 et 324" in rapport.constats[0].message
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(2, 3)]


def test_plus_bas_ce_n_est_plus_le_tableau(tmp_path):
    """Trois lignes vides ou plus : une note sous le tableau, signalée, jamais comptée."""
    rapport = _services(tmp_path, _rangees(323, [("Chasse", 10, 100)]))
    assert _constats(rapport) == [("valeur-hors-gabarit", "avertissement", "B323")]
    assert rapport.constats[0].message.startswith("Les cellules B323, C323 et D323 : ")
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(1, 1)]


def test_ligne_sous_le_tableau_lue_selon_les_colonnes(tmp_path):
    """Chaque colonne garde son contrôle : une date, une ligne incomplète, à leur cellule."""
    rapport = _services(
        tmp_path,
        _rangees(320, [("Chasse", 10, 43619), ("Pêche", 5, None)]),
        formats={"D320": "yyyy/mm/dd"},
    )
    assert _constats(rapport) == [
        ("lignes-sous-le-tableau", "avertissement", "B320"),
        ("date-dans-nombre", "erreur", "D320"),
        ("ligne-incomplete", "erreur", "D321"),
    ]
    assert rapport.resultats == []


def test_valeur_a_cote_d_une_ligne_sous_le_tableau(tmp_path):
    rapport = _services(tmp_path, {**_rangees(320, [("Chasse", 10, 100)]), "F320": "note"})
    assert _constats(rapport) == [
        ("lignes-sous-le-tableau", "avertissement", "B320"),
        ("valeur-a-cote-du-tableau", "erreur", "F320"),
    ]
    assert "La cellule F320" in rapport.constats[1].message
    assert "5.1" not in rapport.saisies


def test_jeux_de_donnees_sous_le_tableau(tmp_path):
    chemin = classeur(tmp_path, "c.xlsx", "6.1", {"c6_1_jeux": [["A", 60, "Oui"]]})
    rapport = valider_fichier(_ajouter(chemin, _rangees(320, [("B", 70, "Oui")])))
    assert _constats(rapport) == [("lignes-sous-le-tableau", "avertissement", "B320")]
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(2, 2)]
    assert len(rapport.saisies["6.1"].jeux) == 2


@pytest.mark.parametrize(
    ("cellules", "attendu"),
    [
        ({"H13": 5}, "La cellule H13"),  # à droite des saisies de 1.1 (gabarit : A à D)
        ({"E14": "note"}, "La cellule E14"),
        ({"C40": 12, "A60": "x"}, "Les cellules C40 et A60"),  # loin sous le bloc de résultat
    ],
)
def test_valeur_au_dela_du_gabarit_signalee(tmp_path, cellules, attendu):
    valeurs = {"c1_1_numerateur": 3, "c1_1_denominateur": 4}
    chemin = _ajouter(classeur(tmp_path, "c.xlsx", "1.1", valeurs), cellules)
    rapport = valider_fichier(chemin)
    premiere = next(iter(sorted(cellules, key=lambda c: (int(c[1:]), c[0]))))
    assert _constats(rapport) == [("valeur-hors-gabarit", "avertissement", premiere)]
    assert rapport.constats[0].message.startswith(f"{attendu} : ")
    assert rapport.valide and rapport.resultats[0].numerateur == 3


def test_formule_au_dela_du_gabarit_ignoree(tmp_path):
    valeurs = {"c1_1_numerateur": 3, "c1_1_denominateur": 4}
    chemin = _ajouter(classeur(tmp_path, "c.xlsx", "1.1", valeurs), {"H13": "=C13*2"})
    assert valider_fichier(chemin).constats == []


def test_trop_de_valeurs_hors_gabarit(tmp_path, monkeypatch):
    monkeypatch.setattr(limites, "HORS_NOMS_MAX", 3)
    valeurs = {"c1_1_numerateur": 3, "c1_1_denominateur": 4}
    cellules = {f"H{ligne}": ligne for ligne in range(20, 26)}
    rapport = valider_fichier(_ajouter(classeur(tmp_path, "c.xlsx", "1.1", valeurs), cellules))
    assert _constats(rapport) == [("valeur-hors-gabarit", "avertissement", "H20")]
    assert "Les cellules H20, H21 et H22 (plus de 3 valeurs" in rapport.constats[0].message


def test_trop_de_lignes_sous_le_tableau_aucun_chiffre(tmp_path, monkeypatch):
    """Si toutes les lignes saisies dessous n'ont pas pu être gardées, le tableau ne compte pas."""
    monkeypatch.setattr(limites, "HORS_NOMS_MAX", 4)
    rapport = _services(tmp_path, _rangees(320, [(f"S{k}", 1, 2) for k in range(3)]))
    assert ("tableau-trop-long", "erreur", "B320") in _constats(rapport)
    assert "5.1" not in rapport.saisies and rapport.resultats == []


def test_une_zone_d_impression_reduite_ne_sort_pas_les_champs(tmp_path):
    """Une zone d'impression changée par la personne : les cellules nommées restent des champs
    (jamais « hors gabarit »), seules les autres valeurs au-delà sont signalées."""
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4})
    wb = load_workbook(chemin)
    wb["Saisie"].print_area = "A1:B10"
    wb.save(chemin)
    rapport = valider_fichier(chemin)
    assert rapport.saisies["1.1"].numerateur == 3 and rapport.saisies["1.1"].denominateur == 4
    assert {c.code for c in rapport.constats} == {"valeur-hors-gabarit"}
    assert "C13" not in rapport.constats[0].message and "C14" not in rapport.constats[0].message


def test_une_ligne_coloree_sur_toute_sa_largeur_passe(tmp_path):
    """Issue 18, point 5 : la personne colore la ligne de sa réponse sur 250 colonnes, comme
    dans Excel. Des cellules sans valeur ne rendent jamais une ligne « mal formée »."""
    valeurs = {"c1_1_numerateur": 3, "c1_1_denominateur": 4}
    chemin = classeur(tmp_path, "c.xlsx", "1.1", valeurs)
    ligne = lire_classeur(chemin).noms["c1_1_numerateur"].ligne
    wb = load_workbook(chemin)
    for colonne in range(1, 251):
        wb["Saisie"].cell(ligne, colonne).fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(chemin)
    rapport = valider_fichier(chemin)
    assert _constats(rapport) == []
    assert rapport.valide and rapport.resultats[0].numerateur == 3


def test_une_ligne_de_valeurs_au_dela_du_gabarit_nommee_comme_une_seule(tmp_path):
    """Une rangée de valeurs à droite du gabarit : le même avertissement qu'une valeur seule."""
    valeurs = {"c1_1_numerateur": 3, "c1_1_denominateur": 4}
    rangee = {f"{get_column_letter(c)}30": c for c in range(8, 158)}
    rapport = valider_fichier(_ajouter(classeur(tmp_path, "c.xlsx", "1.1", valeurs), rangee))
    assert _constats(rapport) == [("valeur-hors-gabarit", "avertissement", "H30")]
    assert rapport.constats[0].message.startswith("Les cellules H30, I30, ")
    assert rapport.valide
