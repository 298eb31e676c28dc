"""Les types de calcul comme unités : changer un seuil ou ajouter une cible ne touche que le
catalogue, et tout le reste (gabarit, validation, calcul, sorties) suit."""

from __future__ import annotations

import csv
import dataclasses
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from barometre_cli import catalogue
from barometre_cli.calculs import TYPES, type_calcul
from barometre_cli.calculs.base import Resultat, TypeCalcul
from barometre_cli.calculs.taux_utilisation import service_compte
from barometre_cli.catalogue import Calcul, Champ, Cible, Seuil, Type, cible
from barometre_cli.commandes import compiler, produire_gabarits
from barometre_cli.gabarit.classeur import construire_gabarit
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur


def test_chaque_type_de_calcul_a_son_unite():
    assert set(TYPES) == set(Calcul)
    assert all(isinstance(t, TypeCalcul) for t in TYPES.values())
    assert {type_calcul(c).calcul for c in catalogue.cibles()} == set(Calcul)


@pytest.mark.parametrize(
    ("seuil", "valeurs", "attendu"),
    [
        (Seuil(Fraction(3, 4), strict=True), ("C20", "D20"), "C20*4>D20*3"),
        (Seuil(Fraction(50), strict=False, unite="points"), ("C20",), "C20>=50"),
        (Seuil(Fraction(1, 2), strict=True), ("C15", "C14"), "C15*2>C14"),
        (Seuil(Fraction(4, 5), strict=False), ("A1", "B1"), "A1*5>=B1*4"),
    ],
)
def test_un_seuil_s_ecrit_en_formule_exacte(seuil, valeurs, attendu):
    assert seuil.formule(*valeurs) == attendu


@pytest.mark.parametrize(
    ("seuil", "libelle", "symbole"),
    [
        (catalogue.SEUIL_TAUX_UTILISATION, "plus de 75 %", "> 75 %"),
        (catalogue.SEUIL_POINTS_AXE_A, "50 points ou plus", "≥ 50 points"),
        (catalogue.SEUIL_DIFFUSION, "plus de 50 %", "> 50 %"),
        (Seuil(Fraction(625, 1000), strict=True), "plus de 62,5 %", "> 62,5 %"),
    ],
)
def test_un_seuil_se_dit_en_mots(seuil, libelle, symbole):
    assert (seuil.libelle, seuil.symbole) == (libelle, symbole)


def _remplacer(monkeypatch, *nouvelles: Cible) -> None:
    """Le catalogue avec ces cibles à la place (même id) ou en plus."""
    par_id = {c.id: c for c in catalogue.CIBLES}
    par_id.update({c.id: c for c in nouvelles})
    monkeypatch.setattr(catalogue, "CIBLES", tuple(par_id.values()))


def _formules(feuille) -> list[str]:
    """Le texte de chaque formule, simple ou matricielle."""
    return [
        str(getattr(c.value, "text", c.value))
        for ligne in feuille.iter_rows()
        for c in ligne
        if c.data_type == "f"
    ]


def _textes(feuille) -> list[str]:
    return [str(c.value) for ligne in feuille.iter_rows() for c in ligne if c.value is not None]


def test_changer_le_seuil_de_5_1_est_une_ligne_du_catalogue(monkeypatch, tmp_path):
    """À 80 % au lieu de 75 %, la formule du gabarit, ses libellés et le calcul suivent."""
    avant = construire_gabarit(cible("5.1"))["Saisie"]
    assert any("*4>" in f for f in _formules(avant))
    _remplacer(monkeypatch, dataclasses.replace(cible("5.1"), seuil=Seuil(Fraction(80, 100), True)))

    saisie = construire_gabarit(cible("5.1"))["Saisie"]
    formules, textes = _formules(saisie), _textes(saisie)
    assert any("*5>" in f and "*4" in f for f in formules)
    assert not any("*4>" in f for f in formules)
    assert "Compte (> 80 %)" in textes
    assert any("dépasse 80 %" in t for t in textes)
    assert not any("75 %" in t for t in textes if "Compte" in t or "dépasse" in t)

    assert service_compte(cible("5.1"), 78, 100) is False
    assert service_compte(cible("5.1"), 81, 100) is True
    chemin = classeur(
        tmp_path, "a.xlsx", "5.1", {"c5_1_services": [["A", 78, 100], ["B", 81, 100]]}
    )
    rapport = valider_fichier(chemin)
    assert rapport.valide, rapport.constats
    assert rapport.resultats == [Resultat("5.1", 1, 2, Fraction(1, 2), Fraction(2, 3))]


ONZIEME = Cible(
    id="7.1",
    orientation=2,
    ambition=6,
    titre="70 % des jeux de données diffusés sont documentés",
    valeur_visee_pct=70,
    indicateur="Proportion des jeux de données diffusés qui sont documentés",
    numerateur="Nombre de jeux de données diffusés documentés",
    denominateur="Nombre de jeux de données diffusés",
    effet_recherche="Que les données diffusées soient comprises de ceux qui les réutilisent.",
    termes=("Données ouvertes",),
    calcul=Calcul.RATIO,
    champs=(
        Champ("c7_1_numerateur", "Jeux diffusés documentés", Type.ENTIER, "Nombre entier."),
        Champ("c7_1_denominateur", "Jeux diffusés", Type.ENTIER, "Nombre entier."),
    ),
    quoi_compter="Comptez vos jeux diffusés, puis ceux qui ont une documentation.",
)


def test_une_onzieme_cible_d_un_type_existant_n_est_que_des_donnees(monkeypatch, tmp_path):
    """Ajoutée au catalogue seulement : produite, validée, compilée, publiée."""
    _remplacer(monkeypatch, ONZIEME)
    produits = produire_gabarits(tmp_path / "gabarits", cibles_demandees=["7.1"], periode="2026")
    (gabarit,) = produits.ecrits
    assert gabarit.name == "barometre-2026-cible-7.1.xlsx"
    assert "c7_1_numerateur" in load_workbook(gabarit).defined_names

    dossier = tmp_path / "recus"
    a = classeur(
        dossier, "A/7.1.xlsx", "7.1", {"c7_1_numerateur": 7, "c7_1_denominateur": 10}, code="A"
    )
    classeur(
        dossier, "B/7.1.xlsx", "7.1", {"c7_1_numerateur": 2, "c7_1_denominateur": 10}, code="B"
    )
    classeur(dossier, "B/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 4}, code="B")
    rapport = valider_fichier(a)
    assert rapport.valide and rapport.cibles == ["7.1"]
    assert rapport.resultats == [Resultat("7.1", 7, 10, Fraction(7, 10), Fraction(1))]

    registre = tmp_path / "registre.csv"
    registre.write_text("code,nom,reseau\nA,Agence A,Administration publique\nB,Bureau B,\n")
    compilation = compiler(
        dossier, registre=registre, periode="2026", sortie=tmp_path / "res", jobs=1
    )
    lignes = {
        (r["portee"], r["cible"]): r
        for r in csv.DictReader((tmp_path / "res" / "resultats.csv").open(encoding="utf-8"))
    }
    assert float(lignes[("ensemble", "7.1")]["resultat"]) == pytest.approx(9 / 20)
    assert lignes[("ensemble", "7.1")]["organisations_repondantes"] == "2"
    assert float(lignes[("Administration publique", "7.1")]["resultat"]) == pytest.approx(0.7)
    assert "7.1" in (tmp_path / "res" / "barometre.html").read_text(encoding="utf-8")
    sommaire = load_workbook(tmp_path / "res" / "sommaire.xlsx")
    assert "7.1" in [c.value for c in sommaire["Sommaire"]["A"]]
    par_org = compilation.conso.par_organisation.set_index("code")
    assert par_org.at["A", "7.1"] == pytest.approx(0.7)
    assert par_org.at["A", "1.1"] == "non reçue"


def test_la_liste_fixe_vient_du_catalogue(monkeypatch, tmp_path):
    """Le dénominateur de 5.2 est la longueur de sa liste : jamais un 12 écrit à la main."""
    courte = dataclasses.replace(
        cible("5.2"),
        liste=catalogue.PROCESSUS_5_2[:3],
        champs=(dataclasses.replace(cible("5.2").champs[0], lignes=3),),
    )
    _remplacer(monkeypatch, courte)
    saisie = construire_gabarit(cible("5.2"))["Saisie"]
    assert any(f.endswith("/3)") for f in _formules(saisie))
    chemin = classeur(
        tmp_path,
        "a.xlsx",
        "5.2",
        {
            "c5_2_statuts": [
                "Sans papier de bout en bout",
                "Papier de bout en bout",
                "Papier de bout en bout",
            ]
        },
    )
    rapport = valider_fichier(chemin)
    assert rapport.valide, rapport.constats
    assert (rapport.resultats[0].numerateur, rapport.resultats[0].denominateur) == (1, 3)
