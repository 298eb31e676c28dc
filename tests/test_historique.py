"""D'une collecte à l'autre : la période de chaque fichier, l'historique par organisation.

Collecte 2025 (A et B) puis 2026 (A, B et C), compilées par la CLI :

- A, 1.1 : 1/4 = 25 % → 2/5 = 40 % : +15 points ;
- A, 1.2 : 80/100 → 60/100 : −20 points ;
- B, 5.2 : 6 → 3 processus sans papier sur 12 : 50 % → 25 %, −25 points ;
- A, 4.1 : condition respectée les deux années ; B, 4.1 : non reçue en 2025, respectée en 2026 ;
- C n'existait pas en 2025 : rien à comparer.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.compilation.precedent import (
    ORIGINE_DATAPACKAGE,
    charger_collecte_precedente,
    charger_historique,
    verifier_anteriorite,
)
from barometre_cli.domaine.colonnes import COLONNES_EVOLUTION_ORGANISATION, COLONNES_HISTORIQUE
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.sorties.fiches import DEBUT_RESULTATS, FEUILLE_RESULTATS
from tests.outils import changer_periode, classeur

runner = CliRunner()
AP, SS = "Administration publique", "Santé et services sociaux"
OUI_OUI = {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}


def _statuts(n: int) -> list[str]:
    return ["Sans papier de bout en bout"] * n + ["Papier de bout en bout"] * (12 - n)


def _compiler(*arguments: str) -> str:
    resultat = runner.invoke(app, ["compiler", *arguments])
    assert resultat.exit_code == 0, resultat.output
    return " ".join(resultat.output.split())


@pytest.fixture(scope="module")
def collectes(tmp_path_factory):
    """(sorties 2025, sorties 2026 comparées à 2025, texte de la console de 2026)."""
    racine = tmp_path_factory.mktemp("historique")
    registre = racine / "registre.csv"
    registre.write_text(f"code,nom,reseau\nA,Agence A,{AP}\nB,Bureau B,{AP}\nC,Centre C,{SS}\n")
    avant, apres = racine / "recus-2025", racine / "recus-2026"

    def vieux(nom, id_cible, valeurs, code):
        classeur(avant, nom, id_cible, {"periode": 2025, **valeurs}, code=code,
                 periode_gabarit="2025")  # fmt: skip

    vieux("A/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 4}, "A")
    vieux("A/1.2.xlsx", "1.2", {"c1_2_numerateur": 80, "c1_2_denominateur": 100}, "A")
    vieux("A/4.1.xlsx", "4.1", OUI_OUI, "A")
    vieux("B/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, "B")
    classeur(apres, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 2, "c1_1_denominateur": 5}, code="A")
    classeur(apres, "A/1.2.xlsx", "1.2", {"c1_2_numerateur": 60, "c1_2_denominateur": 100},
             code="A")  # fmt: skip
    classeur(apres, "A/4.1.xlsx", "4.1", OUI_OUI, code="A")
    classeur(apres, "B/4.1.xlsx", "4.1", OUI_OUI, code="B")
    classeur(apres, "B/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(3)}, code="B")
    classeur(apres, "C/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="C")

    sortie_2025, sortie_2026 = racine / "resultats-2025", racine / "resultats-2026"
    _compiler(str(avant), "-r", str(registre), "-p", "2025", "-o", str(sortie_2025))
    console = _compiler(str(apres), "-r", str(registre), "-p", "2026", "-o", str(sortie_2026),
                        "--precedent", str(sortie_2025), "--fiches")  # fmt: skip
    return sortie_2025, sortie_2026, console, registre, apres


def _lire(chemin: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(chemin.read_text(encoding="utf-8-sig"))))


def test_organisations_csv_de_chaque_collecte(collectes):
    sortie_2025, sortie_2026, *_ = collectes
    lignes = _lire(sortie_2025 / "organisations.csv")
    assert list(lignes[0]) == COLONNES_HISTORIQUE
    assert [(l["organisation_code"], l["cible"], l["resultat"], l["respecte"]) for l in lignes] == [
        ("A", "1.1", "0.25", ""),
        ("A", "1.2", "0.8", ""),
        ("A", "4.1", "1", "true"),
        ("B", "5.2", "0.5", ""),
    ]
    assert {l["periode"] for l in lignes} == {"2025"}
    assert (lignes[0]["numerateur"], lignes[0]["denominateur"]) == ("1", "4")
    apres = _lire(sortie_2026 / "organisations.csv")
    assert list(apres[0]) == COLONNES_HISTORIQUE + COLONNES_EVOLUTION_ORGANISATION
    par_cle = {(l["organisation_code"], l["cible"]): l for l in apres}
    assert float(par_cle[("A", "1.1")]["variation"]) == pytest.approx(15)
    assert float(par_cle[("A", "1.2")]["variation"]) == pytest.approx(-20)
    assert float(par_cle[("B", "5.2")]["variation"]) == pytest.approx(-25)
    assert par_cle[("A", "4.1")]["respecte_precedent"] == "true"
    assert par_cle[("B", "4.1")]["respecte_precedent"] == ""  # non reçue en 2025
    assert par_cle[("C", "1.1")]["resultat_precedent"] == par_cle[("C", "1.1")]["variation"] == ""


def test_resultats_csv_porte_la_periode(collectes):
    sortie_2025, sortie_2026, *_ = collectes
    assert {l["periode"] for l in _lire(sortie_2025 / "resultats.csv")} == {"2025"}
    assert {l["periode"] for l in _lire(sortie_2026 / "resultats.csv")} == {"2026"}
    paquet = json.loads((sortie_2026 / "datapackage.json").read_text("utf-8"))
    champ = next(c for c in paquet["resources"][0]["schema"]["fields"] if c["name"] == "periode")
    assert champ["type"] == "year" and "Année de la collecte" in champ["description"]


def test_les_sorties_nomment_les_periodes_comparees(collectes):
    _, sortie_2026, console, *_ = collectes
    assert "Baromètre numériQc — collecte 2026 comparée à 2025" in console
    assert "Évolution par organisation" in console
    sommaire = load_workbook(sortie_2026 / "sommaire.xlsx")
    assert "collecte 2026 comparée à 2025" in sommaire["Sommaire"]["A5"].value
    page = (sortie_2026 / "barometre.html").read_text("utf-8")
    assert "Collecte 2026 comparée à 2025" in page


def test_feuille_par_organisation_montre_le_mouvement(collectes):
    _, sortie_2026, *_ = collectes
    feuille = load_workbook(sortie_2026 / "sommaire.xlsx")["Par organisation"]
    entetes = [c.value for c in feuille[1]]
    assert entetes[:4] == ["Code", "Organisation", "Réseau", "Cible 1.1"]  # rien ne bouge
    lignes = {
        feuille.cell(r, 1).value: {t: feuille.cell(r, j).value for j, t in enumerate(entetes, 1)}
        for r in range(2, feuille.max_row + 1)
    }
    assert lignes["A"]["1.1 précédent"] == pytest.approx(0.25)
    assert lignes["A"]["1.1 variation (points)"] == pytest.approx(15)
    assert lignes["A"]["4.1 précédent"] == "Oui"
    assert lignes["A"]["4.1 variation (points)"] is None  # une condition : Oui/Non, pas de points
    assert lignes["B"]["5.2 variation (points)"] == pytest.approx(-25)
    assert lignes["C"]["1.1 précédent"] is None
    baisse = feuille.cell(3, entetes.index("5.2 variation (points)") + 1)
    assert baisse.number_format == "+0.0;-0.0;0.0" and baisse.font.bold


def test_fiche_montre_le_mouvement_de_l_organisation(collectes):
    _, sortie_2026, *_ = collectes
    feuille = load_workbook(sortie_2026 / "fiches" / "fiche-A.xlsx")[FEUILLE_RESULTATS]
    assert feuille.cell(DEBUT_RESULTATS - 1, 1).value == (
        "Évolution : collecte 2026 comparée à 2025."
    )
    entetes = [c.value for c in feuille[DEBUT_RESULTATS] if c.value]
    lignes = {
        feuille.cell(r, 1).value: {t: feuille.cell(r, j).value for j, t in enumerate(entetes, 1)}
        for r in range(DEBUT_RESULTATS + 1, DEBUT_RESULTATS + 11)
    }
    assert lignes["1.1"]["Résultat précédent de l'organisation"] == pytest.approx(0.25)
    assert lignes["1.1"]["Variation de l'organisation (points)"] == pytest.approx(15)
    assert lignes["1.2"]["Variation de l'organisation (points)"] == pytest.approx(-20)
    assert lignes["4.1"]["Résultat précédent de l'organisation"] == "condition respectée : Oui"
    assert lignes["2.1"]["Résultat précédent de l'organisation"] is None


def test_precedent_donne_par_son_resultats_csv_ou_son_dossier(collectes):
    sortie_2025, *_ = collectes
    par_fichier = charger_collecte_precedente(sortie_2025 / "resultats.csv")
    par_dossier = charger_collecte_precedente(sortie_2025)
    for precedent in (par_fichier, par_dossier):
        assert precedent.periode == "2025"
        assert precedent.chemin_organisations == sortie_2025 / "organisations.csv"
        assert len(precedent.organisations) == 4


def test_meme_periode_refusee_par_la_cli(collectes, tmp_path):
    _, sortie_2026, _, registre, recus = collectes
    resultat = runner.invoke(
        app, ["compiler", str(recus), "-r", str(registre), "-p", "2026", "-o",
              str(tmp_path / "o"), "--precedent", str(sortie_2026 / "resultats.csv")],
    )  # fmt: skip
    assert resultat.exit_code == 2
    message = " ".join(resultat.output.split())
    assert (
        f"--precedent : « {sortie_2026 / 'resultats.csv'} » porte sur la collecte 2026 (colonne "
        "periode), la même période que la compilation (2026)." in message
    )
    assert "collecte antérieure" in message and "Traceback" not in message
    assert not (tmp_path / "o").exists()  # refusé avant de lire un seul classeur


def test_periode_posterieure_ou_deduite_refusee(collectes, tmp_path):
    sortie_2025, _, _, registre, recus = collectes
    futur = tmp_path / "futur"
    futur.mkdir()
    for nom in ("resultats.csv", "organisations.csv"):
        (futur / nom).write_bytes((sortie_2025 / nom).read_bytes())
    changer_periode(futur, "2027")
    resultat = runner.invoke(app, ["compiler", str(recus), "-r", str(registre),
                                   "-o", str(tmp_path / "o"), "--precedent", str(futur)])  # fmt: skip
    assert resultat.exit_code == 2  # sans --periode : la période 2026 est déduite des fichiers
    message = " ".join(resultat.output.split())
    assert "une période postérieure à la compilation (2026)" in message
    assert "elle-même" not in message and "jamais depuis une collecte plus récente" in message


def test_ancien_fichier_sans_periode(collectes, tmp_path):
    """Un resultats.csv d'avant 2026 : la période vient du datapackage.json voisin, sinon elle
    est inconnue, ce que chaque sortie dit."""
    sortie_2025, _, _, registre, recus = collectes
    ancien = tmp_path / "ancien"
    ancien.mkdir()
    lignes = _lire(sortie_2025 / "resultats.csv")
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(
        tampon, [c for c in lignes[0] if c != "periode"], extrasaction="ignore"
    )
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    (ancien / "resultats.csv").write_text(tampon.getvalue(), encoding="utf-8")
    (ancien / "datapackage.json").write_bytes((sortie_2025 / "datapackage.json").read_bytes())
    precedent = charger_collecte_precedente(ancien / "resultats.csv")
    assert (precedent.periode, precedent.origine_periode) == ("2025", ORIGINE_DATAPACKAGE)
    assert precedent.organisations is None  # pas d'organisations.csv à côté

    (ancien / "datapackage.json").unlink()
    assert charger_collecte_precedente(ancien).periode == ""
    console = _compiler(str(recus), "-r", str(registre), "-p", "2026", "-o", str(tmp_path / "o"),
                        "--precedent", str(ancien))  # fmt: skip
    assert "collecte 2026 comparée à une collecte précédente de période inconnue" in console
    assert "ne dit pas sa période" in console and "Ajoutez-lui une colonne periode" in console
    assert "Pas d'évolution par organisation : aucun organisations.csv" in console
    page = (tmp_path / "o" / "barometre.html").read_text("utf-8")
    assert "comparée à une collecte précédente de période inconnue" in page
    assert "ne dit pas sa période" in page


def test_table_seule_garde_sa_periode(collectes):
    """`consolider(collecte, table)` : la période vient de la colonne de la table."""
    from barometre_cli.compilation.collecte import collecter
    from barometre_cli.compilation.consolidation import consolider
    from barometre_cli.compilation.precedent import charger_precedent
    from barometre_cli.domaine.registre import lire_registre

    sortie_2025, _, _, registre, recus = collectes
    table = charger_precedent(sortie_2025 / "resultats.csv")
    conso = consolider(collecter(recus, lire_registre(registre), "2026"), table)
    assert conso.precedent.periode == "2025" and conso.precedent.organisations is None
    ligne = conso.resultats[
        (conso.resultats.portee == "ensemble") & (conso.resultats.cible == "1.1")
    ]
    assert float(ligne["variation"].iloc[0]) == pytest.approx(100 * (3 / 7 - 1 / 4))


def test_verifier_anteriorite(collectes):
    precedent = charger_collecte_precedente(collectes[0])
    verifier_anteriorite(precedent, "2026")  # 2025 < 2026 : permis
    verifier_anteriorite(precedent, "")  # période inconnue : rien à vérifier
    for periode in ("2025", "2024"):
        with pytest.raises(BarometreErreur, match="collecte antérieure"):
            verifier_anteriorite(precedent, periode)


@pytest.mark.parametrize(
    ("contenu", "extrait"),
    [
        ("organisation_code,cible\nA,1.1\n", "n'a pas les colonnes resultat"),
        ("organisation_code,cible,resultat\nA,1.1,62.5\n", "Ligne 2"),
        ("organisation_code,cible,resultat\nA,1.1,beaucoup\n", "« beaucoup » n'est pas un nombre"),
        ("organisation_code,cible,resultat\nA,1.1,0.5\na,1.1,0.4\n", "figurent déjà à la ligne 2"),
        ("organisation_code,cible,resultat,respecte\nA,4.1,1,peut-être\n", "ni true ni false"),
        ("periode,organisation_code,cible,resultat\n2024,A,1.1,0.5\n", "période 2024"),
    ],
    ids=["colonnes", "pourcentage", "texte", "doublon", "booleen", "periode"],
)
def test_historique_inutilisable(tmp_path, contenu, extrait):
    chemin = tmp_path / "organisations.csv"
    chemin.write_text(contenu, encoding="utf-8")
    with pytest.raises(BarometreErreur) as exc:
        charger_historique(chemin, "2025")
    assert extrait in str(exc.value) and "organisations.csv" in str(exc.value)


def test_historique_reenregistre_par_un_tableur(tmp_path):
    chemin = tmp_path / "organisations.csv"
    chemin.write_bytes(
        "periode;organisation_code;cible;resultat;respecte\r\n2025;'-A1;1,1;0,25;VRAI\r\n".encode(
            "cp1252"
        )
    )
    table = charger_historique(chemin, "2025")
    assert table.to_dict("records") == [
        {"organisation_code": "-A1", "cible": "1.1", "resultat": 0.25, "respecte": True}
    ]


def test_dossier_sans_resultats_csv(tmp_path):
    with pytest.raises(BarometreErreur, match=r"ne contient pas de resultats\.csv"):
        charger_collecte_precedente(tmp_path)


def test_resultats_csv_de_plusieurs_periodes_refuse(collectes, tmp_path):
    texte = (collectes[0] / "resultats.csv").read_text("utf-8")
    entete, premiere, *reste = texte.splitlines()
    chemin = tmp_path / "resultats.csv"
    chemin.write_text("\n".join([entete, premiere, *(l.replace(",2025", ",2024") for l in reste)]))
    with pytest.raises(BarometreErreur, match="une seule collecte") as exc:
        charger_collecte_precedente(chemin)
    assert "Ligne 3" in str(exc.value)
