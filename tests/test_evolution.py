"""Évolution d'une collecte à l'autre : deux petites collectes dont chaque écart est connu.

Collecte 2025 (registre A, B — Administration publique) puis 2026 (A, B et C — Santé) :

- 1.1 : A 1/4 = 25 % → A 2/5 et C 2/5 = 4/10 = 40 % : +15 points ;
- 1.2 : A 80/100 → 60/100 : −20 points, en baisse ;
- 1.3 : rien en 2025 (indéterminé) → 1/2 en 2026 : pas de variation ;
- 2.1 : 1/2 en 2025 → rien en 2026 (indéterminé) : pas de variation ;
- 4.1 : A seule sur 2 ciblées (50 %) → A et B sur 3 ciblées (2/3) : +16,67 points ;
- 5.2 : 6 + 6 sur 24 les deux années : stable ;
- le réseau Santé et services sociaux n'existait pas en 2025 : pas de variation.
"""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from openpyxl import load_workbook
from rich.console import Console

from barometre_cli.commandes import Compilation
from barometre_cli.compilation.collecte import collecter
from barometre_cli.compilation.consolidation import COLONNES_RESULTATS, consolider
from barometre_cli.compilation.evolution import (
    BAISSE,
    COLONNES_EVOLUTION,
    HAUSSE,
    STABLE,
    ajouter_evolution,
    tendance,
)
from barometre_cli.compilation.precedent import charger_precedent
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.domaine.registre import Organisation
from barometre_cli.sorties.console import afficher_compilation, points
from barometre_cli.sorties.csv_ouvert import datapackage, ecrire_csv, texte_csv
from barometre_cli.sorties.json_ import compilation_vers_dict
from barometre_cli.sorties.xlsx import ecrire_classeur
from tests.outils import classeur

AP, SS = "Administration publique", "Santé et services sociaux"
REGISTRE_2025 = [Organisation("A", "Agence A", AP), Organisation("B", "Bureau B", AP)]
REGISTRE_2026 = [*REGISTRE_2025, Organisation("C", "Centre C", SS)]
OUI_OUI = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}


def _statuts(n_sans_papier: int) -> list[str]:
    return ["Sans papier de bout en bout"] * n_sans_papier + ["Papier de bout en bout"] * (
        12 - n_sans_papier
    )


def _classeur_2025(dossier, nom, id_cible, valeurs, code):
    classeur(dossier, nom, id_cible, {"periode": 2025, **valeurs}, code=code,
             periode_gabarit="2025")  # fmt: skip


@pytest.fixture(scope="module")
def compilations(tmp_path_factory):
    """(collecte, conso) de 2025 puis de 2026, compilées par le vrai chemin."""
    racine = tmp_path_factory.mktemp("evolution")
    avant, apres = racine / "2025", racine / "2026"
    _classeur_2025(avant, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 4}, "A")
    _classeur_2025(avant, "A/1.2.xlsx", "1.2", {"c1_2_numerateur": 80, "c1_2_denominateur": 100},
                   "A")  # fmt: skip
    _classeur_2025(avant, "A/2.1.xlsx", "2.1", {"c2_1_numerateur": 1, "c2_1_denominateur": 2}, "A")
    _classeur_2025(avant, "A/4.1.xlsx", "4.1", OUI_OUI, "A")
    _classeur_2025(avant, "A/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, "A")
    _classeur_2025(avant, "B/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, "B")

    classeur(apres, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 2, "c1_1_denominateur": 5}, code="A")
    classeur(apres, "C/1.1.xlsx", "1.1", {"c1_1_numerateur": 2, "c1_1_denominateur": 5}, code="C")
    classeur(apres, "A/1.2.xlsx", "1.2", {"c1_2_numerateur": 60, "c1_2_denominateur": 100},
             code="A")  # fmt: skip
    classeur(apres, "A/1.3.xlsx", "1.3", {"c1_3_numerateur": 1, "c1_3_denominateur": 2}, code="A")
    classeur(apres, "A/4.1.xlsx", "4.1", OUI_OUI, code="A")
    classeur(apres, "B/4.1.xlsx", "4.1", OUI_OUI, code="B")
    classeur(apres, "A/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, code="A")
    classeur(apres, "B/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, code="B")

    collecte_2025 = collecter(avant, REGISTRE_2025, "2025")
    collecte_2026 = collecter(apres, REGISTRE_2026, "2026")
    return (collecte_2025, consolider(collecte_2025)), (collecte_2026, consolider(collecte_2026))


@pytest.fixture
def evolution(compilations, tmp_path):
    """(collecte 2026, conso 2026 avec l'évolution) en passant par le CSV publié de 2025."""
    (_, conso_2025), (collecte, conso) = compilations
    chemin = tmp_path / "resultats-2025.csv"
    chemin.write_text(texte_csv(conso_2025.resultats), encoding="utf-8")
    avec = consolider(collecte)
    avec.resultats = ajouter_evolution(conso.resultats, charger_precedent(chemin))
    return collecte, avec


def _ligne(resultats, id_cible, portee="ensemble"):
    lignes = resultats[(resultats.cible == id_cible) & (resultats.portee == portee)]
    assert len(lignes) == 1
    return lignes.iloc[0]


def test_variations_calculees_a_la_main(evolution):
    _, conso = evolution
    r = conso.resultats
    assert _ligne(r, "1.1").resultat_precedent == pytest.approx(0.25)
    assert _ligne(r, "1.1").resultat == pytest.approx(0.40)
    assert _ligne(r, "1.1").variation == pytest.approx(15.0)
    assert _ligne(r, "1.1", AP).variation == pytest.approx(15.0)  # A seule : 1/4 → 2/5
    assert _ligne(r, "1.2").variation == pytest.approx(-20.0)
    assert tendance(_ligne(r, "1.2").variation) == BAISSE
    assert _ligne(r, "4.1").variation == pytest.approx(100 * (2 / 3 - 1 / 2))
    assert tendance(_ligne(r, "4.1").variation) == HAUSSE
    assert _ligne(r, "5.2").variation == 0 and tendance(0.0) == STABLE
    # Indéterminé avant (dénominateur nul) : pas de résultat précédent, pas de variation.
    assert math.isnan(_ligne(r, "1.3").resultat_precedent)
    assert math.isnan(_ligne(r, "1.3").variation)
    # Indéterminé maintenant : le précédent est connu, la variation ne l'est pas.
    assert _ligne(r, "2.1").resultat_precedent == pytest.approx(0.5)
    assert math.isnan(_ligne(r, "2.1").variation)
    # Le réseau Santé n'existait pas en 2025.
    assert math.isnan(_ligne(r, "1.1", SS).resultat_precedent)
    assert math.isnan(_ligne(r, "1.1", SS).variation)
    # Sans bruit de virgule flottante dans ce qui sera publié : 15, pas 15,000000000000002.
    assert _ligne(r, "1.1").variation == 15.0


def test_colonnes_ajoutees_apres_les_existantes(evolution, compilations):
    _, conso = evolution
    (_, _), (_, sans) = compilations
    assert list(conso.resultats.columns) == [*COLONNES_RESULTATS, *COLONNES_EVOLUTION]
    assert list(sans.resultats.columns) == COLONNES_RESULTATS  # l'original n'est pas touché
    # Appliquer deux fois ne duplique rien.
    deux_fois = ajouter_evolution(conso.resultats, conso.resultats)
    assert list(deux_fois.columns) == [*COLONNES_RESULTATS, *COLONNES_EVOLUTION]
    assert _ligne(deux_fois, "1.1").variation == 0


def test_csv_et_datapackage_avec_evolution(evolution, tmp_path):
    _, conso = evolution
    ecrire_csv(conso.resultats, tmp_path, "2026")
    texte = (tmp_path / "resultats.csv").read_text("utf-8")
    lignes = list(csv.DictReader(io.StringIO(texte)))
    assert list(lignes[0]) == [*COLONNES_RESULTATS, "resultat_precedent", "variation"]
    par_cle = {(l["portee"], l["cible"]): l for l in lignes}
    assert par_cle[("ensemble", "1.1")]["resultat_precedent"] == "0.25"
    assert par_cle[("ensemble", "1.1")]["variation"] == "15.0"
    assert par_cle[("ensemble", "1.2")]["variation"] == "-20.0"
    assert par_cle[("ensemble", "1.3")]["variation"] == ""  # vide = indéterminé
    assert par_cle[(SS, "1.1")]["resultat_precedent"] == ""
    paquet = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    champs = paquet["resources"][0]["schema"]["fields"]
    assert [c["name"] for c in champs] == list(lignes[0])
    assert champs[-1]["type"] == "number" and "points" in champs[-1]["description"]


def test_sans_evolution_le_csv_ne_change_pas(compilations):
    (_, conso), _ = compilations
    assert texte_csv(conso.resultats).split("\n", 1)[0] == ",".join(COLONNES_RESULTATS)
    assert [c["name"] for c in datapackage("2025")["resources"][0]["schema"]["fields"]] == (
        COLONNES_RESULTATS
    )


def test_un_csv_avec_evolution_et_bom_se_relit(evolution, tmp_path):
    """Le fichier de cette année sera le « précédent » de l'an prochain : colonnes en plus, BOM."""
    _, conso = evolution
    chemin = tmp_path / "resultats.csv"
    chemin.write_text(texte_csv(conso.resultats), encoding="utf-8-sig")
    relu = charger_precedent(chemin)
    assert list(relu.columns) == [*COLONNES_RESULTATS, *COLONNES_EVOLUTION]
    assert _ligne(relu, "1.1").resultat == pytest.approx(0.4)
    assert math.isnan(_ligne(relu, "2.1").resultat)


def test_csv_reenregistre_par_un_tableur_francophone(compilations, tmp_path):
    """Point-virgule, virgule décimale, Windows-1252 : ce qu'Excel produit au Québec."""
    (_, conso), _ = compilations
    texte = texte_csv(conso.resultats)
    lignes = list(csv.reader(io.StringIO(texte)))
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    for ligne in lignes:
        ecrivain.writerow([c.replace(".", ",") if c[:1].isdigit() else c for c in ligne])
    chemin = tmp_path / "resultats.csv"
    chemin.write_bytes(tampon.getvalue().encode("cp1252"))
    relu = charger_precedent(chemin)
    assert _ligne(relu, "1.1").resultat == pytest.approx(0.25)
    assert _ligne(relu, "1.1").indicateur.startswith("Proportion de nouveaux services")


def test_classeur_sommaire_montre_l_evolution(evolution, tmp_path):
    collecte, conso = evolution
    sommaire_xlsx = load_workbook(ecrire_classeur(collecte, conso, tmp_path / "sommaire.xlsx"))
    sommaire = sommaire_xlsx["Sommaire"]
    # Les dix premières colonnes ne bougent pas ; l'évolution vient après.
    assert [sommaire.cell(6, j).value for j in (1, 3, 4, 10)] == [
        "Cible", "Valeur visée", "Résultat", "Organisations ciblées",
    ]  # fmt: skip
    assert [sommaire.cell(6, j).value for j in (11, 12, 13)] == [
        "Résultat précédent", "Variation (points)", "Tendance",
    ]  # fmt: skip
    lignes = {sommaire.cell(r, 1).value: r for r in range(7, 17)}
    r11, r12, r13 = lignes["1.1"], lignes["1.2"], lignes["1.3"]
    assert sommaire.cell(r11, 11).value == pytest.approx(0.25)
    assert sommaire.cell(r11, 11).number_format == r"0.0\ %"
    assert sommaire.cell(r11, 12).value == pytest.approx(15)
    assert sommaire.cell(r11, 12).number_format == "+0.0;-0.0;0.0"
    assert sommaire.cell(r11, 13).value == "En hausse"
    assert sommaire.cell(r12, 13).value == "En baisse"  # dit en mots, pas par la couleur seule
    assert sommaire.cell(r12, 13).font.bold
    assert sommaire.cell(lignes["5.2"], 13).value == "Stable"
    assert sommaire.cell(r13, 12).value is None
    assert sommaire.cell(r13, 13).value == "Sans comparaison"
    assert [s.val.numRef.f for s in sommaire._charts[0].series] == [
        "'Sommaire'!$C$7:$C$16",
        "'Sommaire'!$D$7:$D$16",
    ]
    reseau = sommaire_xlsx["Par réseau"]
    entetes = [reseau.cell(1, j).value for j in range(1, reseau.max_column + 1)]
    assert entetes[-3:] == ["Résultat précédent", "Variation (points)", "Tendance"]
    ss = next(r for r in range(2, reseau.max_row + 1) if reseau.cell(r, 1).value == SS)
    assert reseau.cell(ss, entetes.index("Tendance") + 1).value == "Sans comparaison"


def test_classeur_sans_evolution_inchange(compilations, tmp_path):
    (collecte, conso), _ = compilations
    sommaire = load_workbook(ecrire_classeur(collecte, conso, tmp_path / "s.xlsx"))["Sommaire"]
    assert sommaire.max_column == 10
    assert sommaire.cell(6, 11).value is None


def test_console_montre_la_variation_et_les_baisses(evolution):
    collecte, conso = evolution
    console = Console(record=True, width=200, color_system=None)
    afficher_compilation(console, Compilation(collecte, conso, []))
    texte = console.export_text()
    assert "Évolution" in texte
    assert "+15,0 pts ▲" in texte
    assert "−20,0 pts ▼" in texte
    assert "▼ en baisse" in texte  # la légende dit le mot
    ligne_13 = next(l for l in texte.splitlines() if "│ 1.3 " in l)
    assert ligne_13.rstrip(" │").endswith("—")


def test_console_sans_evolution_inchangee(compilations):
    (collecte, conso), _ = compilations
    console = Console(record=True, width=200, color_system=None)
    afficher_compilation(console, Compilation(collecte, conso, []))
    assert "Évolution" not in console.export_text()


@pytest.mark.parametrize(
    ("variation", "attendu"),
    [
        (3.2, "+3,2 pts ▲"),
        (-1.5, "−1,5 pt ▼"),
        (1.96, "+2,0 pts ▲"),
        (0.04, "0,0 pt ="),
        (-0.04, "0,0 pt ="),
        (None, "—"),
        (math.nan, "—"),
    ],
)
def test_points_a_la_quebecoise(variation, attendu):
    assert points(variation).plain == attendu


def test_json_nan_devient_null(evolution):
    collecte, conso = evolution
    donnees = compilation_vers_dict(collecte, conso, [])
    texte = json.dumps(donnees, allow_nan=False)  # aucun NaN ne passe
    par_cle = {(r["portee"], r["cible"]): r for r in json.loads(texte)["resultats"]}
    assert par_cle[("ensemble", "1.1")]["variation"] == pytest.approx(15)
    assert par_cle[("ensemble", "1.1")]["resultat_precedent"] == pytest.approx(0.25)
    assert par_cle[("ensemble", "1.3")]["variation"] is None
    assert par_cle[("ensemble", "1.3")]["resultat_precedent"] is None
    assert par_cle[("ensemble", "2.1")]["resultat_precedent"] == 0.5


ENTETE = ",".join(COLONNES_RESULTATS)
BONNE = "ensemble,1.1,Indicateur,0.75,0.25,0.3333,1,4,1,2,"


@pytest.mark.parametrize(
    ("contenu", "morceaux"),
    [
        pytest.param(None, ["Impossible de lire", "resultats.csv"], id="absent"),
        pytest.param(
            b"PK\x03\x04 classeur", ["n'est pas un fichier CSV", "sommaire.xlsx"], id="xlsx"
        ),
        pytest.param(b"", ["est vide"], id="vide"),
        pytest.param(ENTETE.encode() + b"\n", ["aucun résultat"], id="entete-seul"),
        pytest.param(
            b"portee,cible,resultat\nensemble,1.1,0.5\n",
            ["n'a pas les colonnes", "valeur_cible"],
            id="colonnes",
        ),
        pytest.param(
            f"{ENTETE}\n{BONNE}\nensemble,1.2,Indicateur,0.75,beaucoup,,1,4,1,2,\n".encode(),
            ["Ligne 3", "colonne resultat", "« beaucoup » n'est pas un nombre"],
            id="texte",
        ),
        pytest.param(
            f"{ENTETE}\nensemble,1.1,Indicateur,0.75,62.7,,1,4,1,2,\n".encode(),
            ["Ligne 2", "62.7 n'est pas une proportion de 0 à 1"],
            id="pourcentage",
        ),
        pytest.param(
            f"{ENTETE}\n{BONNE}\n{BONNE}\n".encode(),
            ["Ligne 3", "figure déjà à la ligne 2"],
            id="doublon",
        ),
        pytest.param(
            f"{ENTETE}\n,1.1,Indicateur,0.75,0.25,,1,4,1,2,\n".encode(),
            ["Ligne 2", "portée ou la cible est vide"],
            id="portee-vide",
        ),
        pytest.param(
            f'{ENTETE}\n{BONNE}\nensemble,"1.2,Indicateur,0.75,0.5,,1,4,1,2,\n{BONNE}\n'.encode(),
            ["Ligne 3", "guillemet", "n'est jamais refermé"],
            id="guillemet-isole",
        ),
        pytest.param(
            f"{ENTETE}\n{BONNE}\nensemble,1.2,Indicateur,0.75,0.5,,1,4,1,2\n".encode(),
            ["Ligne 3", "10 champs au lieu des 11"],
            id="champ-manquant",
        ),
        pytest.param(
            f"{ENTETE}\n{BONNE}\n".encode()
            + "ensemble,1.2,Qualité,0.75,0.5,,1,4,1,2,\n".encode("cp1252")
            + "ensemble,1.3,Qualité,0.75,0.5,,1,4,1,2,\n".encode(),
            ["Ligne 3", "mêle deux encodages"],
            id="encodages-melanges",
        ),
    ],
)
def test_precedent_inutilisable(tmp_path, contenu, morceaux):
    chemin = tmp_path / "resultats.csv"
    if contenu is not None:
        chemin.write_bytes(contenu)
    with pytest.raises(BarometreErreur) as exc:
        charger_precedent(chemin)
    message = str(exc.value)
    assert "resultats.csv" in message
    assert "collecte précédente" in message
    for morceau in morceaux:
        assert morceau in message


def test_precedent_dossier_au_lieu_d_un_fichier(tmp_path):
    with pytest.raises(BarometreErreur, match="Impossible de lire"):
        charger_precedent(tmp_path)
