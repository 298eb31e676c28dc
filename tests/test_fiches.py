"""Fiches de résultats par organisation : ses chiffres, ceux du gouvernement et de son réseau,
et le sort de chacun de ses fichiers avec chaque constat."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from barometre_cli.compilation.collecte import collecter
from barometre_cli.compilation.consolidation import consolider
from barometre_cli.compilation.evolution import ajouter_evolution
from barometre_cli.domaine.registre import Organisation
from barometre_cli.sorties.fiches import (
    DEBUT_FICHIERS,
    DEBUT_RESULTATS,
    FEUILLE_FICHIERS,
    FEUILLE_RESULTATS,
    ecrire_fiches,
    fiche_organisation,
    nom_fiche,
)
from tests.outils import classeur

AP, SS = "Administration publique", "Santé et services sociaux"
HOSTILE = '=HYPERLINK("http://exemple.invalid","cliquez")'
REGISTRE = [
    Organisation("A", HOSTILE, AP),
    Organisation("B", "Bureau B", AP),
    Organisation("C", "Centre C", SS),
    Organisation("D", "Direction D", SS),  # n'envoie rien
]
JOUR = date(2026, 5, 15)
EXEMPLES = Path(__file__).resolve().parent.parent / "exemples"


@pytest.fixture(scope="module")
def compilation(tmp_path_factory):
    d = tmp_path_factory.mktemp("fiches") / "recus"
    # 1.1 : A 9/10, C 1/90 → 10/100 = 10 % ; AP = 9/10 (B exclue) ; SS = 1/90.
    classeur(d, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 9, "c1_1_denominateur": 10}, code="A")
    classeur(d, "C/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 90}, code="C")
    classeur(d, "B/1.1.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2}, code="B")
    # 4.1 : A oui, B non, C et D rien → 1/4.
    classeur(d, "A/4.1.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"},
             code="A")  # fmt: skip
    classeur(d, "B/4.1.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Non"},
             code="B")  # fmt: skip
    # 5.2 : B 3 sans papier sur 12.
    statuts = ["Sans papier de bout en bout"] * 3 + ["Papier de bout en bout"] * 9
    classeur(d, "B/5.2.xlsx", "5.2", {"c5_2_statuts": statuts}, code="B")
    collecte = collecter(d, REGISTRE, "2026")
    return collecte, consolider(collecte)


def _table(feuille, debut: int) -> list[dict]:
    """Les lignes d'une table de la fiche, par titre de colonne."""
    entetes = [c.value for c in feuille[debut] if c.value is not None]
    lignes = []
    for r in range(debut + 1, feuille.max_row + 1):
        valeurs = [feuille.cell(r, j).value for j in range(1, len(entetes) + 1)]
        if valeurs[0] is None:
            break
        lignes.append(dict(zip(entetes, valeurs, strict=True)))
    return lignes


def _cellules(feuille, debut: int) -> dict[tuple[str, str], object]:
    """(cible, titre de colonne) → cellule, pour vérifier formats et types."""
    entetes = {c.value: c.column for c in feuille[debut] if c.value is not None}
    return {
        (feuille.cell(r, 1).value, titre): feuille.cell(r, j)
        for r in range(debut + 1, debut + 11)
        for titre, j in entetes.items()
    }


def _resultats(collecte, conso, code):
    org = next(o for o in collecte.organisations if o.code == code)
    fiche = fiche_organisation(collecte, conso, org, JOUR)
    assert isinstance(fiche, Workbook)
    return fiche, {l["Cible"]: l for l in _table(fiche[FEUILLE_RESULTATS], DEBUT_RESULTATS)}


def test_valeurs_de_l_organisation_du_gouvernement_et_du_reseau(compilation):
    collecte, conso = compilation
    fiche, lignes = _resultats(collecte, conso, "A")
    assert fiche.sheetnames == [FEUILLE_RESULTATS, FEUILLE_FICHIERS]
    assert len(lignes) == 10
    l11 = lignes["1.1"]
    assert l11["Résultat de l'organisation"] == pytest.approx(0.9)
    assert (l11["Numérateur"], l11["Dénominateur"]) == (9, 10)
    assert l11["Valeur visée"] == 0.75
    assert l11["Résultat gouvernemental"] == pytest.approx(0.10)
    assert l11["Résultat du réseau"] == pytest.approx(0.9)  # AP : B exclue
    assert l11["Fichier retenu"] == "A/1.1.xlsx"
    assert lignes["4.1"]["Résultat de l'organisation"] == "condition respectée : Oui"
    assert lignes["4.1"]["Numérateur"] is None  # une condition n'a pas de ratio propre
    assert lignes["4.1"]["Résultat gouvernemental"] == pytest.approx(0.25)
    assert lignes["4.1"]["Résultat du réseau"] == pytest.approx(0.5)
    assert lignes["1.2"]["Résultat de l'organisation"] == "non reçue"
    assert lignes["1.2"]["Résultat gouvernemental"] is None  # indéterminé : case vide
    assert "Variation gouvernementale (points)" not in l11  # pas d'évolution demandée

    cellules = _cellules(fiche[FEUILLE_RESULTATS], DEBUT_RESULTATS)
    for colonne in ("Résultat de l'organisation", "Résultat gouvernemental", "Résultat du réseau"):
        assert cellules[("1.1", colonne)].number_format == r"0.0\ %"
    assert cellules[("1.1", "Titre")].value.startswith("75 % des nouveaux services")

    _, lignes_b = _resultats(collecte, conso, "B")
    assert lignes_b["1.1"]["Résultat de l'organisation"] == "exclue (erreurs dans les saisies)"
    assert lignes_b["1.1"]["Fichier retenu"] is None
    assert lignes_b["4.1"]["Résultat de l'organisation"] == "condition respectée : Non"
    assert lignes_b["5.2"]["Résultat de l'organisation"] == 0.25
    _, lignes_c = _resultats(collecte, conso, "C")
    assert lignes_c["1.1"]["Résultat du réseau"] == pytest.approx(1 / 90)


def test_entete_et_texte_hostile_reste_du_texte(compilation):
    collecte, conso = compilation
    fiche, _ = _resultats(collecte, conso, "A")
    feuille = fiche[FEUILLE_RESULTATS]
    entete = {feuille.cell(r, 1).value: feuille.cell(r, 2) for r in range(2, DEBUT_RESULTATS)}
    assert entete["Organisation"].value == HOSTILE
    assert entete["Organisation"].data_type == "s"  # jamais une formule
    assert entete["Code"].value == "A"
    assert entete["Réseau"].value == AP
    assert entete["Collecte"].value == "2026"
    assert entete["Produite le"].value == "15 mai 2026"  # en toutes lettres, sans heure
    fichiers = fiche[FEUILLE_FICHIERS]
    assert fichiers["A2"].data_type == "s" and HOSTILE in fichiers["A2"].value
    assert feuille.freeze_panes == f"A{DEBUT_RESULTATS + 1}"
    assert fichiers.freeze_panes == f"A{DEBUT_FICHIERS + 1}"
    assert feuille.column_dimensions["B"].width >= 40


def test_fichiers_et_constats_un_par_ligne(compilation):
    collecte, conso = compilation
    fiche, _ = _resultats(collecte, conso, "B")
    lignes = _table(fiche[FEUILLE_FICHIERS], DEBUT_FICHIERS)
    assert {l["Fichier"] for l in lignes} == {"B/1.1.xlsx", "B/4.1.xlsx", "B/5.2.xlsx"}
    rejete = [l for l in lignes if l["Fichier"] == "B/1.1.xlsx"]
    entree = next(e for e in collecte.journal if e.fichier == "B/1.1.xlsx")
    assert len(rejete) == len(entree.constats) >= 1  # un constat par ligne
    constat = next(c for c in entree.constats if c.code == "numerateur-superieur")
    erreur = next(l for l in rejete if l["Message"] == constat.message)
    assert "Code" not in erreur  # la fiche part chez l'organisation : aucun code interne
    assert erreur["Statut"] == "rejeté"
    assert erreur["Gravité"] == "Erreur"
    assert erreur["Feuille"] == "Saisie" and erreur["Cellule"] == constat.cellule != ""
    assert erreur["Raisons"] == f"cible 1.1 exclue : une erreur à corriger ({constat.cellule})"
    retenu = next(l for l in lignes if l["Fichier"] == "B/5.2.xlsx")
    assert retenu["Statut"] == "retenu" and retenu["Cibles retenues"] == "5.2"
    assert retenu["Message"] is None  # un fichier sans constat tient sur une ligne


def test_organisation_sans_fichier(compilation):
    collecte, conso = compilation
    fiche, lignes = _resultats(collecte, conso, "D")
    assert {l["Résultat de l'organisation"] for l in lignes.values()} == {"non reçue"}
    assert lignes["1.1"]["Résultat du réseau"] == pytest.approx(1 / 90)  # SS : C seule
    assert fiche[FEUILLE_FICHIERS].cell(DEBUT_FICHIERS + 1, 1).value == (
        "Aucun fichier reçu de cette organisation."
    )


def test_variation_gouvernementale_quand_l_evolution_est_calculee(compilation):
    collecte, conso = compilation
    precedent = conso.resultats.copy()
    precedent["resultat"] = precedent["resultat"] + 0.05  # chaque résultat baisse de 5 points
    avec = consolider(collecte)
    avec.resultats = ajouter_evolution(conso.resultats, precedent)
    _, lignes = _resultats(collecte, avec, "A")
    assert lignes["1.1"]["Variation gouvernementale (points)"] == pytest.approx(-5)
    assert lignes["1.1"]["Tendance gouvernementale"] == "En baisse"
    assert lignes["1.2"]["Variation gouvernementale (points)"] is None
    assert lignes["1.2"]["Tendance gouvernementale"] == "Sans comparaison"


def test_ecrire_fiches_une_par_organisation(compilation, tmp_path):
    collecte, conso = compilation
    chemins = ecrire_fiches(collecte, conso, tmp_path / "fiches", JOUR)
    assert [p.name for p in chemins] == [f"fiche-{c}.xlsx" for c in "ABCD"]
    assert sorted(p.name for p in (tmp_path / "fiches").iterdir()) == [p.name for p in chemins]
    relu = load_workbook(chemins[0])
    cellule = relu[FEUILLE_RESULTATS]["B2"]
    assert cellule.value == HOSTILE and cellule.data_type == "s"


def test_noms_de_fichier_surs_et_sans_collision(compilation, tmp_path):
    collecte, conso = compilation
    assert nom_fiche(Organisation("AP/01:x", "Nom")) == "fiche-AP_01_x.xlsx"
    autres = [
        Organisation("AP/01:x", "Un"),
        Organisation("AP_01_x", "Deux"),
        Organisation("..", "Trois"),
    ]
    chemins = ecrire_fiches(replace(collecte, organisations=autres), conso, tmp_path, JOUR)
    assert [p.name for p in chemins] == [
        "fiche-AP_01_x.xlsx",
        "fiche-AP_01_x-2.xlsx",
        "fiche-organisation.xlsx",
    ]
    assert all(p.parent == tmp_path for p in chemins)


def test_ecriture_atomique(compilation, tmp_path, monkeypatch):
    """Une écriture qui échoue laisse la fiche précédente intacte et aucun fichier temporaire."""
    collecte, conso = compilation
    dossier = tmp_path / "fiches"
    dossier.mkdir()
    (dossier / "fiche-A.xlsx").write_text("fiche précédente", encoding="utf-8")

    def echoue(self, chemin):
        Path(chemin).write_text("moitié", encoding="utf-8")
        raise OSError("disque plein")

    monkeypatch.setattr(Workbook, "save", echoue)
    with pytest.raises(OSError):
        ecrire_fiches(collecte, conso, dossier, JOUR)
    assert (dossier / "fiche-A.xlsx").read_text(encoding="utf-8") == "fiche précédente"
    assert [p.name for p in dossier.iterdir()] == ["fiche-A.xlsx"]


@pytest.fixture
def exemple(exemple_compile):
    """L'exemple livré, compilé une fois par séance : (registre, collecte, conso)."""
    return exemple_compile


def test_exemple_livre_une_fiche_par_organisation_du_registre(exemple, tmp_path):
    registre, collecte, conso = exemple
    chemins = ecrire_fiches(collecte, conso, tmp_path / "fiches", JOUR)
    assert len(registre) == 40
    assert len(chemins) == 40 == len({p.name for p in chemins})
    assert {p.name for p in chemins} == {f"fiche-{o.code}.xlsx" for o in registre}

    # AP03 a envoyé un classeur 1.2 dont le numérateur dépasse le dénominateur.
    fiche = load_workbook(tmp_path / "fiches" / "fiche-AP03.xlsx")
    lignes = {l["Cible"]: l for l in _table(fiche[FEUILLE_RESULTATS], DEBUT_RESULTATS)}
    assert lignes["1.2"]["Résultat de l'organisation"].startswith("exclue")
    assert isinstance(lignes["1.1"]["Résultat de l'organisation"], float)
    fichiers = _table(fiche[FEUILLE_FICHIERS], DEBUT_FICHIERS)
    constat = next(l for l in fichiers if (l["Message"] or "").startswith("Le numérateur (30)"))
    assert constat["Fichier"].endswith("cible-1.2-AP03.xlsx")
    assert constat["Statut"] == "rejeté"
    assert constat["Cellule"] == "C13"
    assert len({l["Fichier"] for l in fichiers}) == 10


# 7. Date de la fiche en toutes lettres ---------------------------------------------------------


@pytest.mark.parametrize(
    ("jour", "texte"),
    [(date(2026, 11, 22), "22 novembre 2026"), (date(2026, 5, 1), "1er mai 2026")],
)
def test_fiche_date_en_toutes_lettres(collecte_retroaction, tmp_path, jour, texte):
    conso = consolider(collecte_retroaction)
    fiche = fiche_organisation(collecte_retroaction, conso, collecte_retroaction.organisations[0],
                               jour)  # fmt: skip
    chemin = tmp_path / "fiche.xlsx"
    fiche.save(chemin)
    feuille = load_workbook(chemin)[FEUILLE_RESULTATS]
    entete = {feuille.cell(r, 1).value: feuille.cell(r, 2) for r in range(2, DEBUT_RESULTATS)}
    assert entete["Produite le"].value == texte
    assert entete["Produite le"].data_type == "s"


def test_6_1_montre_la_part_diffusee_avec_ses_nombres(tmp_path):
    """6.1 est une condition pour l'organisation, mais sa part diffusée a deux nombres."""
    d = tmp_path / "recus"
    classeur(d, "A/6.1.xlsx", "6.1", {"c6_1_jeux": [["J1", 60, "Oui"], ["J2", 70, "Non"],
             ["J3", 90, "Oui"]]}, code="A")  # fmt: skip
    collecte = collecter(d, REGISTRE, "2026")
    _, lignes = _resultats(collecte, consolider(collecte), "A")
    assert lignes["6.1"]["Résultat de l'organisation"] == "condition respectée : Oui"
    assert (lignes["6.1"]["Numérateur"], lignes["6.1"]["Dénominateur"]) == (2, 3)


def test_code_trop_long_pour_une_fiche_nomme_le_code(tmp_path):
    """Un code de 250 caractères (permis par le registre) donnerait un nom de fiche de plus de
    255 octets : `compiler --fiches` nomme le code, avant d'écrire quoi que ce soit."""
    from typer.testing import CliRunner

    from barometre_cli.cli import app
    from tests.outils import classeur

    code = "B" * 250
    recus = tmp_path / "recus"
    classeur(recus, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="A")
    registre = tmp_path / "registre.csv"
    registre.write_text(f"code;nom\nA;Agence A\n{code};Bureau B\n", encoding="utf-8")
    sortie = tmp_path / "resultats"
    arguments = ["compiler", str(recus), "-r", str(registre), "-p", "2026", "-o", str(sortie)]
    resultat = CliRunner().invoke(app, [*arguments, "--fiches"])
    assert resultat.exit_code == 2, resultat.output
    texte = " ".join(resultat.output.split())
    assert f"« {code[:30]}…{code[-10:]} » (250 caractères) donne un nom de fichier" in texte
    assert not list(sortie.glob("*.csv"))
    registre.write_text(f"code;nom\nA;Agence A\n{'C' * 300};Bureau C\n", encoding="utf-8")
    resultat = CliRunner().invoke(app, [*arguments, "--fiches"])
    assert resultat.exit_code == 2
    assert "ligne 3 : la colonne code compte 300 caractères" in " ".join(resultat.output.split())
