"""Compilation d'un petit dossier dont chaque résultat est calculé à la main selon le guide."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.compilation.collecte import Statut, collecter
from barometre_cli.compilation.consolidation import consolider
from barometre_cli.domaine.registre import Organisation
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur

runner = CliRunner()

AP, SS = "Administration publique", "Santé et services sociaux"
REGISTRE = [
    Organisation("A", "Agence A", AP),
    Organisation("B", "Bureau B", AP),
    Organisation("C", "Centre C", SS),
    Organisation("D", "Direction D", SS),  # n'envoie rien
]
AVRIL = datetime(2026, 4, 1, tzinfo=UTC)
MAI = datetime(2026, 5, 1, tzinfo=UTC)


def _statuts(n_sans_papier: int) -> list[str]:
    return ["Sans papier de bout en bout"] * n_sans_papier + ["Papier de bout en bout"] * (
        12 - n_sans_papier
    )


@pytest.fixture
def dossier(tmp_path):
    d = tmp_path / "recus"
    # 1.1 : ratio regroupé. A 9/10 (90 %), C 1/90 : 10/100 = 10 % (et non la moyenne 45,6 %).
    classeur(d, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 9, "c1_1_denominateur": 10}, code="A")
    classeur(d, "C/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 90}, code="C")
    # B : erreur sur 1.1 (exclue) mais sa 5.2 compte.
    classeur(d, "B/1.1.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2}, code="B")
    # 1.2 : doublon de A, le plus récent (25/75) est retenu.
    classeur(d, "A/1.2-v1.xlsx", "1.2", {"c1_2_numerateur": 70, "c1_2_denominateur": 75},
             code="A", modifie=AVRIL)  # fmt: skip
    classeur(d, "A/1.2-v2.xlsx", "1.2", {"c1_2_numerateur": 25, "c1_2_denominateur": 100},
             code="A", modifie=MAI)  # fmt: skip
    # 1.3 : deux classeurs différents de C aux dates égales : conflit, les deux écartés. (Deux
    # copies identiques, elles, ne sont pas un conflit : voir test_copies_identiques.)
    for nom, numerateur in (("C/1.3-a.xlsx", 1), ("C/1.3-b.xlsx", 2)):
        classeur(d, nom, "1.3", {"c1_3_numerateur": numerateur, "c1_3_denominateur": 2},
                 code="C", modifie=AVRIL)  # fmt: skip
    # 4.1 : A Oui/Oui, B Oui/Non, C et D rien : 1 / 4 ciblées.
    classeur(d, "A/4.1.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"},
             code="A")  # fmt: skip
    classeur(d, "B/4.1.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Non"},
             code="B")  # fmt: skip
    # 5.1 : A 76 % (compte), 75 % pile (non), 0/0 (non) ; C 100 % (compte) : 2 / 4.
    classeur(d, "A/5.1.xlsx", "5.1",
             {"c5_1_services": [["S1", 76, 100], ["S2", 75, 100], ["S3", 0, 0]]}, code="A")  # fmt: skip
    classeur(d, "C/5.1.xlsx", "5.1", {"c5_1_services": [["S4", 10, 10]]}, code="C")
    # 5.2 : A 6, B 3 sans papier : 9 / (12 × 2) = 37,5 %.
    classeur(d, "A/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(6)}, code="A")
    classeur(d, "B/5.2.xlsx", "5.2", {"c5_2_statuts": _statuts(3)}, code="B")
    # 6.1 : A a un seul jeu à haut potentiel (50 points pile), diffusé : 100 % > 50 % → oui.
    #       B : 2 jeux à haut potentiel, 1 diffusé : 50 % pile → non. C, D : rien → non. 1 / 4.
    classeur(
        d, "A/6.1.xlsx", "6.1", {"c6_1_jeux": [["J1", 50, "Oui"], ["J2", 49, "Oui"]]}, code="A"
    )
    classeur(
        d, "B/6.1.xlsx", "6.1", {"c6_1_jeux": [["J3", 60, "Oui"], ["J4", 60, "Non"]]}, code="B"
    )
    # Écartés : autre période, organisation hors registre ; rejeté : pas un classeur.
    classeur(d, "A/4.2-2025.xlsx", "4.2", {"periode": 2025, "c4_2_numerateur": 1,
             "c4_2_denominateur": 2}, code="A", periode_gabarit="2025")  # fmt: skip
    classeur(d, "Z/4.2.xlsx", "4.2", {"c4_2_numerateur": 1, "c4_2_denominateur": 2}, code="Z")
    (d / "lisez-moi.xlsx").write_text("pas un classeur", encoding="utf-8")
    return d


def _resultat(conso, cible, portee="ensemble"):
    lignes = conso.resultats[(conso.resultats.cible == cible) & (conso.resultats.portee == portee)]
    assert len(lignes) == 1
    return lignes.iloc[0]


def test_resultats_calcules_a_la_main(dossier):
    collecte = collecter(dossier, REGISTRE, "2026")
    conso = consolider(collecte)
    attendu = {
        # cible: (numérateur, dénominateur, répondantes)
        "1.1": (10, 100, 2),
        "1.2": (25, 100, 1),
        "1.3": (0, 0, 0),
        "2.1": (0, 0, 0),
        "4.1": (1, 4, 2),
        "5.1": (2, 4, 2),
        "5.2": (9, 24, 2),
        "6.1": (1, 4, 2),
    }
    for cible, (num, den, rep) in attendu.items():
        ligne = _resultat(conso, cible)
        assert (ligne.numerateur, ligne.denominateur, ligne.organisations_repondantes) == (
            num,
            den,
            rep,
        ), cible
        assert ligne.organisations_ciblees == 4
    assert _resultat(conso, "1.1").resultat == pytest.approx(0.10)
    # 25 % contre 75 % visés : taux d'atteinte 33 %.
    assert _resultat(conso, "1.2").resultat == 0.25
    assert _resultat(conso, "1.2").taux_atteinte == pytest.approx(1 / 3)
    assert _resultat(conso, "5.2").resultat == 0.375
    assert _resultat(conso, "4.1").taux_atteinte == 0.25  # 25 % sur 100 %
    # Dénominateur nul : résultat indéterminé, jamais une exception.
    assert math.isnan(_resultat(conso, "1.3").resultat)
    assert math.isnan(_resultat(conso, "2.1").taux_atteinte)


def test_par_reseau(dossier):
    conso = consolider(collecter(dossier, REGISTRE, "2026"))
    assert set(conso.resultats.portee) == {"ensemble", AP, SS}
    ap, ss = _resultat(conso, "1.1", AP), _resultat(conso, "1.1", SS)
    assert (ap.numerateur, ap.denominateur) == (9, 10)  # B exclue
    assert (ss.numerateur, ss.denominateur) == (1, 90)
    ap41, ss41 = _resultat(conso, "4.1", AP), _resultat(conso, "4.1", SS)
    assert (ap41.numerateur, ap41.denominateur, ap41.resultat) == (1, 2, 0.5)
    assert (ss41.numerateur, ss41.denominateur, ss41.resultat) == (0, 2, 0.0)


def test_journal_rend_compte_de_chaque_fichier(dossier):
    collecte = collecter(dossier, REGISTRE, "2026")
    journal = {e.fichier: e for e in collecte.journal}
    assert len(journal) == 18
    statuts = {nom: e.statut for nom, e in journal.items()}
    assert statuts["A/1.2-v2.xlsx"] is Statut.RETENU
    assert statuts["A/1.2-v1.xlsx"] is Statut.ECARTE
    assert "plus récent A/1.2-v2.xlsx" in journal["A/1.2-v1.xlsx"].raisons[0]
    assert statuts["C/1.3-a.xlsx"] is statuts["C/1.3-b.xlsx"] is Statut.ECARTE
    assert "conflit" in journal["C/1.3-a.xlsx"].raisons[0]
    assert statuts["B/1.1.xlsx"] is Statut.REJETE
    assert "numerateur-superieur" in journal["B/1.1.xlsx"].raisons[0]
    assert statuts["B/5.2.xlsx"] is Statut.RETENU
    assert statuts["A/4.2-2025.xlsx"] is Statut.ECARTE
    assert "période 2025" in journal["A/4.2-2025.xlsx"].raisons[0]
    assert statuts["Z/4.2.xlsx"] is Statut.ECARTE
    assert "absente du registre" in journal["Z/4.2.xlsx"].raisons[0]
    assert statuts["lisez-moi.xlsx"] is Statut.REJETE
    assert journal["lisez-moi.xlsx"].constats[0].code == "pas-un-classeur"
    assert all(len(e.sha256) == 64 for e in collecte.journal)


def test_par_organisation_et_non_repondants(dossier):
    conso = consolider(collecte := collecter(dossier, REGISTRE, "2026"))
    par_org = conso.par_organisation.set_index("code")
    assert par_org.at["A", "1.1"] == 0.9
    assert par_org.at["B", "1.1"] == "exclue (erreurs dans les saisies)"
    assert par_org.at["C", "1.3"] == "exclue (conflit entre plusieurs classeurs)"
    assert par_org.at["D", "5.2"] == "non reçue"
    assert par_org.at["A", "6.1"] == "Oui" and par_org.at["B", "6.1"] == "Non"
    assert list(conso.non_repondants.code) == ["D"]
    assert conso.taux_reponse == 0.75
    assert collecte.registre_fourni


def test_sans_registre_les_repondants_tiennent_lieu(dossier):
    collecte = collecter(dossier, None, None)
    assert not collecte.registre_fourni and collecte.periode_deduite
    assert collecte.periode == "2026"
    assert [o.code for o in collecte.organisations] == ["A", "B", "C", "Z"]
    conso = consolider(collecte)
    assert _resultat(conso, "4.1").denominateur == 4  # A, B, C, Z


def test_cli_compiler_sorties(dossier, tmp_path):
    registre = tmp_path / "registre.csv"
    registre.write_text(
        'code;nom;reseau\nA;"=HYPERLINK(""x"")";Administration publique\nB;#N/A;Administration publique\n'
        "C;Centre C;Santé et services sociaux\nD;Direction D;Santé et services sociaux\n",
        encoding="utf-8-sig",
    )
    sortie = tmp_path / "resultats"
    resultat = runner.invoke(
        app, ["compiler", str(dossier), "-r", str(registre), "-p", "2026", "-o", str(sortie)]
    )
    assert resultat.exit_code == 0, resultat.output
    texte = " ".join(resultat.output.split())
    assert (
        "Réponse : 3 organisations ciblées sur 4 ont transmis au moins un fichier (75,0 %) ; 3 "
        "sont retenues, avec au moins une cible comptée (taux de réponse : 75,0 %)."
    ) in texte
    assert "Fichiers : 11 retenus, 5 écartés, 2 rejetés" in texte
    assert str(sortie / "resultats.csv") in texte

    lignes = list(csv.DictReader(io.StringIO((sortie / "resultats.csv").read_text("utf-8"))))
    assert list(lignes[0]) == [
        "portee", "cible", "indicateur", "valeur_cible", "resultat", "taux_atteinte",
        "numerateur", "denominateur", "organisations_repondantes", "organisations_ciblees",
        "periode",
    ]  # fmt: skip
    assert len(lignes) == 30  # 10 cibles × (ensemble + 2 réseaux)
    par_cle = {(l["portee"], l["cible"]): l for l in lignes}
    assert par_cle[("ensemble", "1.2")]["resultat"] == "0.25"
    assert par_cle[("ensemble", "1.2")]["taux_atteinte"] == repr(0.25 / 0.75)
    assert par_cle[("ensemble", "1.3")]["resultat"] == ""  # indéterminé
    assert par_cle[("ensemble", "6.1")]["organisations_ciblees"] == "4"

    masque = os.umask(0)
    os.umask(masque)
    for nom in ("resultats.csv", "sommaire.xlsx", "barometre.html"):
        assert (sortie / nom).stat().st_mode & 0o777 == 0o666 & ~masque  # pas 0600
    paquet = json.loads((sortie / "datapackage.json").read_text("utf-8"))
    champs = [c["name"] for c in paquet["resources"][0]["schema"]["fields"]]
    assert champs == list(lignes[0])

    classeur_sommaire = load_workbook(sortie / "sommaire.xlsx")
    assert classeur_sommaire.sheetnames == [
        "Sommaire", "Par réseau", "Par organisation", "5.1 Services", "5.2 Processus",
        "6.1 Jeux de données", "Non-répondants", "Relances", "À vérifier", "Rétroaction",
        "Journal",
    ]  # fmt: skip
    par_org = classeur_sommaire["Par organisation"]
    noms = {par_org.cell(r, 1).value: par_org.cell(r, 2) for r in range(2, 6)}
    assert noms["A"].value == '=HYPERLINK("x")' and noms["A"].data_type == "s"
    assert noms["B"].value == "#N/A" and noms["B"].data_type == "s"
    assert noms["C"].value == "Centre C"
    sommaire = classeur_sommaire["Sommaire"]
    assert sommaire["D7"].number_format == r"0.0\ %" and sommaire.freeze_panes == "A7"
    graphique = sommaire._charts[0]
    assert [serie.val.numRef.f for serie in graphique.series] == [
        "'Sommaire'!$C$7:$C$16",
        "'Sommaire'!$D$7:$D$16",
    ]
    journal = classeur_sommaire["Journal"]
    assert journal.max_row == 19 and journal.auto_filter.ref


def test_cli_json(dossier, tmp_path):
    resultat = runner.invoke(
        app, ["compiler", str(dossier), "-p", "2026", "-o", str(tmp_path / "o"), "-f", "json"]
    )
    assert resultat.exit_code == 0, resultat.output
    donnees = json.loads(resultat.output)
    assert donnees["registre_fourni"] is False
    ligne = next(
        r for r in donnees["resultats"] if r["cible"] == "1.2" and r["portee"] == "ensemble"
    )
    assert ligne["resultat"] == 0.25 and ligne["numerateur"] == 25
    assert len(donnees["journal"]) == 18


def test_cli_rien_a_compiler_et_dossier_absent(tmp_path):
    vide = tmp_path / "vide"
    vide.mkdir()
    (vide / "x.xlsx").write_bytes(b"")
    resultat = runner.invoke(app, ["compiler", str(vide), "-o", str(tmp_path / "o")])
    assert resultat.exit_code == 1
    assert "Rien à compiler" in resultat.output
    resultat = runner.invoke(app, ["compiler", str(tmp_path / "absent")])
    assert resultat.exit_code == 2 and "dossier introuvable" in resultat.output


def _lire_ou_tomber(lot: list[int]) -> list[int]:
    """Lecture factice d'un lot ; l'élément 13 fait tomber le processus, comme un plantage natif."""
    if 13 in lot:
        os._exit(7)
    return [element * 10 for element in lot]


@pytest.mark.parametrize("jobs", [1, 2])
def test_un_processus_qui_tombe_avec_un_lot_d_avance_ne_perd_rien(jobs):
    """Chaque processus a un lot d'avance : quand il tombe, le lot qu'il lisait est relu un
    élément à la fois et celui d'avance est confié tel quel ; aucun élément n'est perdu."""
    from barometre_cli.compilation.processus import EN_VOL, repartir

    assert EN_VOL == 2
    lots = [[i, i + 1, i + 2] for i in range(0, 60, 3)]
    avances: list[int] = []
    resultats = repartir(
        lots, jobs, _lire_ou_tomber, lambda e, cause: ("isolé", e, cause), avances.append
    )
    attendu = {i: i * 10 for i in range(60)} | {
        13: ("isolé", 13, "processus terminé avec le code 7")
    }
    assert resultats == attendu
    assert sum(avances) == 60


def test_ecriture_atomique_preserve_la_sortie_precedente(tmp_path):
    from barometre_cli.ecriture.atomique import ecrire_atomiquement

    chemin = tmp_path / "sommaire.xlsx"
    chemin.write_text("version précédente", encoding="utf-8")

    def echoue(temporaire):
        temporaire.write_text("moitié", encoding="utf-8")
        raise OSError("disque plein")

    with pytest.raises(OSError):
        ecrire_atomiquement(chemin, echoue)
    assert chemin.read_text(encoding="utf-8") == "version précédente"
    assert [p.name for p in tmp_path.iterdir()] == ["sommaire.xlsx"]


def test_un_fichier_qui_fait_tomber_un_processus_n_arrete_pas_la_compilation(tmp_path, monkeypatch):
    """Un lecteur natif peut avorter le processus (aucun `try` ne l'attrape) : on l'isole."""
    import multiprocessing
    import os

    from barometre_cli.compilation import collecte as compilation
    from barometre_cli.validation import regles as validation

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("le remplacement de la fonction de lecture n'atteint que des processus fork")
    dossier = tmp_path / "recus"
    for i in range(compilation.SEUIL_PARALLELE + 5):
        classeur(dossier, f"f{i:02d}.xlsx", "4.1",
                 {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"}, code=f"O{i:02d}")  # fmt: skip
    (dossier / "f07.xlsx").rename(dossier / "f07-plante.xlsx")
    original = validation.valider_fichier

    def valider_ou_planter(chemin, *args):
        if "plante" in str(chemin):
            import faulthandler

            faulthandler.disable()  # sinon pytest affiche 56 modules de « Fatal Python error »
            os.abort()  # comme python-calamine devant une cellule en XFD1048576
        return original(chemin, *args)

    monkeypatch.setattr(validation, "valider_fichier", valider_ou_planter)
    collecte = collecter(dossier, None, "2026", jobs=2)
    journal = {e.fichier: e for e in collecte.journal}
    assert len(journal) == compilation.SEUIL_PARALLELE + 5
    assert journal["f07-plante.xlsx"].statut is Statut.REJETE
    assert journal["f07-plante.xlsx"].constats[0].code == "lecture-interrompue"
    assert (
        sum(e.statut is Statut.RETENU for e in journal.values()) == compilation.SEUIL_PARALLELE + 4
    )


def test_evolution_et_fiches_sur_l_exemple_livre(tmp_path):
    """Deux compilations de l'exemple livré qui diffèrent d'un classeur : variation connue."""
    import shutil

    from tests.outils import changer_periode, identification

    racine = Path(__file__).resolve().parents[1] / "exemples"
    registre = racine / "registre.csv"
    avant = runner.invoke(
        app, ["compiler", str(racine / "classeurs"), "-r", str(registre), "-p", "2026",
              "-o", str(tmp_path / "avant")],
    )  # fmt: skip
    assert avant.exit_code == 0, avant.output
    changer_periode(tmp_path / "avant", "2025")  # une collecte antérieure, pas celle-ci
    lignes = list(csv.DictReader(io.StringIO((tmp_path / "avant" / "resultats.csv").read_text())))
    l11 = next(l for l in lignes if l["portee"] == "ensemble" and l["cible"] == "1.1")
    num, den = int(l11["numerateur"]), int(l11["denominateur"])

    # L'organisation AP01 corrige son 1.1 : 40 services, tous conçus avec les citoyens.
    dossier = tmp_path / "classeurs"
    shutil.copytree(racine / "classeurs", dossier)
    ancien = dossier / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx"
    saisie = valider_fichier(ancien).saisies["1.1"]
    ancien.unlink()
    classeur(dossier, "AP01/nouveau-1.1.xlsx", "1.1",
             {**identification("AP01", "Ministère des Services aux citoyens"),
              "c1_1_numerateur": 40, "c1_1_denominateur": 40}, sans_identification=True)  # fmt: skip
    nouveau_num = num - saisie.numerateur + 40
    nouveau_den = den - saisie.denominateur + 40

    apres = runner.invoke(
        app, ["compiler", str(dossier), "-r", str(registre), "-p", "2026", "-o",
              str(tmp_path / "apres"), "--precedent", str(tmp_path / "avant" / "resultats.csv"),
              "--fiches"],
    )  # fmt: skip
    assert apres.exit_code == 0, apres.output
    lignes = list(csv.DictReader(io.StringIO((tmp_path / "apres" / "resultats.csv").read_text())))
    assert list(lignes[0])[-2:] == ["resultat_precedent", "variation"]
    par_cle = {(l["portee"], l["cible"]): l for l in lignes}
    attendu = (nouveau_num / nouveau_den - num / den) * 100
    assert float(par_cle[("ensemble", "1.1")]["variation"]) == pytest.approx(attendu)
    assert float(par_cle[("ensemble", "5.2")]["variation"]) == 0
    assert "Évolution" in apres.output
    fiches = sorted(p.name for p in (tmp_path / "apres" / "fiches").glob("*.xlsx"))
    assert len(fiches) == 40 and fiches[0] == "fiche-AP01.xlsx"


def test_precedent_illisible_code_2(tmp_path, dossier):
    mauvais = tmp_path / "precedent.csv"
    mauvais.write_text("pas,le,bon,format\n1,2,3,4\n", encoding="utf-8")
    resultat = runner.invoke(app, ["compiler", str(dossier), "--precedent", str(mauvais)])
    assert resultat.exit_code == 2
    assert "precedent.csv" in resultat.output and "Traceback" not in resultat.output


def test_retroaction_agregee_dans_le_sommaire(tmp_path):
    d = tmp_path / "recus"
    classeur(d, "A.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2,
             "retroaction_formulaire": 4, "retroaction_processus": 2,
             "retroaction_commentaire": "=Trop de cibles à la fois"}, code="A")  # fmt: skip
    classeur(d, "B.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui",
             "retroaction_formulaire": 5, "retroaction_processus": "7"}, code="B")  # fmt: skip
    classeur(d, "C.xlsx", "4.2", {"c4_2_numerateur": 1, "c4_2_denominateur": 2}, code="C")
    conso = consolider(collecter(d, None, "2026"))
    synthese = conso.retroaction.set_index("question")
    formulaire = synthese.iloc[0]
    assert (formulaire.reponses, formulaire.moyenne) == (2, 4.5)
    assert (formulaire.note_4, formulaire.note_5, formulaire.note_1) == (1, 1, 0)
    processus = synthese.iloc[1]
    assert (processus.reponses, processus.moyenne, processus.note_2) == (1, 2.0, 1)  # 7 ignoré
    assert synthese.iloc[2].reponses == 0 and math.isnan(synthese.iloc[2].moyenne)
    assert list(conso.commentaires.commentaire) == ["=Trop de cibles à la fois"]

    sortie = tmp_path / "o"
    resultat = runner.invoke(app, ["compiler", str(d), "-p", "2026", "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    feuille = load_workbook(sortie / "sommaire.xlsx")["Rétroaction"]
    assert feuille["B2"].value == 2 and feuille["C2"].value == 4.5
    commentaire = next(c for c in feuille["E"] if c.value == "=Trop de cibles à la fois")
    assert commentaire.data_type == "s"


def test_fichiers_caches_et_verrous_au_journal_comme_ignores(tmp_path):
    d = tmp_path / "recus"
    classeur(d, "A.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="A")
    (d / "~$A.xlsx").write_bytes(b"\x08jeanne" + b"\x00" * 150)
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (d / ".git").mkdir()
    (d / ".git" / "config").write_text("[core]", encoding="utf-8")
    collecte = collecter(d, None, "2026")
    journal = {e.fichier: e for e in collecte.journal}
    assert sorted(journal) == [".DS_Store", ".git", "A.xlsx", "~$A.xlsx"]
    assert journal[".git"].raisons == [
        "dossier caché, non parcouru"
    ]  # une ligne, pas 1 par fichier
    for nom in (".DS_Store", "~$A.xlsx"):
        assert journal[nom].statut is Statut.ECARTE
        assert journal[nom].constats[0].code == "fichier-ignore"
        assert "verrou" in journal[nom].raisons[0]
    assert journal["A.xlsx"].statut is Statut.RETENU


def test_sortie_qui_est_un_fichier_refusee_avant_la_lecture(tmp_path, dossier):
    fichier = tmp_path / "resultats"
    fichier.write_text("déjà là", encoding="utf-8")
    resultat = runner.invoke(app, ["compiler", str(dossier), "-o", str(fichier)])
    assert resultat.exit_code == 2
    assert "est un fichier, pas un dossier" in " ".join(resultat.output.split())


def test_raison_systeme_en_francais():
    import errno

    from barometre_cli.domaine.erreurs import raison_systeme

    assert raison_systeme(OSError(errno.ENOSPC, "No space left on device")) == "disque plein"
    assert raison_systeme(PermissionError(errno.EACCES, "Permission denied")).startswith(
        "accès refusé"
    )


def test_journal_csv_chaque_fichier_texte_neutralise(tmp_path, dossier):
    sortie = tmp_path / "o"
    resultat = runner.invoke(app, ["compiler", str(dossier), "-p", "2026", "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    texte = (sortie / "journal.csv").read_text(encoding="utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(texte)))
    assert len(lignes) == 18
    b11 = next(l for l in lignes if l["fichier"] == "B/1.1.xlsx")
    assert b11["statut"] == "rejeté" and "numerateur-superieur" in b11["constats"]
    assert len(b11["sha256"]) == 64


def test_journal_csv_neutralise_les_formules():
    from barometre_cli.sorties.journal_csv import neutraliser

    assert neutraliser('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutraliser("@SOMME(A1)") == "'@SOMME(A1)"
    assert neutraliser("Agence A") == "Agence A"


def test_rien_a_compiler_ecrit_quand_meme_le_journal(tmp_path):
    vide = tmp_path / "recus"
    vide.mkdir()
    (vide / "a.xlsx").write_bytes(b"")
    sortie = tmp_path / "o"
    resultat = runner.invoke(app, ["compiler", str(vide), "-o", str(sortie)])
    assert resultat.exit_code == 1
    assert (sortie / "journal.csv").exists() and not (sortie / "sommaire.xlsx").exists()
    assert "fichier-vide" in (sortie / "journal.csv").read_text(encoding="utf-8-sig")


def test_sortie_egale_au_dossier_refusee(tmp_path, dossier):
    resultat = runner.invoke(app, ["compiler", str(dossier), "-o", str(dossier)])
    assert resultat.exit_code == 2
    assert "contient le dossier des classeurs reçus" in " ".join(resultat.output.split())


def test_sortie_atteinte_par_un_lien_symbolique_reste_exclue(tmp_path):
    d = tmp_path / "col"
    classeur(d, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="A")
    (tmp_path / "lien").symlink_to(d)
    for _ in range(2):  # la seconde fois, la sortie de la première existe dans le dossier
        resultat = runner.invoke(
            app, ["compiler", str(tmp_path / "lien"), "-o", str(d / "res"), "-f", "json"]
        )
        assert resultat.exit_code == 0, resultat.output
    journal = json.loads(resultat.stdout)["journal"]
    assert [e["fichier"] for e in journal] == ["a.xlsx", "res"]  # « res » : une ligne, non lue
    assert journal[1]["raisons"] == ["dossier exclu (la sortie), non parcouru"]


def test_compiler_en_processus_spawn_comme_sous_windows(tmp_path):
    """Sous Windows, les processus de lecture réimportent le module principal (« spawn »)."""
    import subprocess
    import sys

    racine = Path(__file__).resolve().parents[1]
    code = (
        "import multiprocessing, runpy, sys\n"
        "multiprocessing.set_start_method('spawn', force=True)\n"
        f"sys.argv = ['barometre', 'compiler', {str(racine / 'exemples' / 'classeurs')!r}, "
        f"'-r', {str(racine / 'exemples' / 'registre.csv')!r}, "
        f"'-p', '2026', '-o', {str(tmp_path / 'o')!r}, '-f', 'json', '-j', '2']\n"
        "runpy.run_module('barometre_cli', run_name='__main__')\n"
    )
    fin = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert fin.returncode == 0, fin.stderr[-500:]
    assert json.loads(fin.stdout)["fichiers"]["retenus"] == 364


# --- Renvois et codes (issue 10) ---------------------------------------------------------------


def test_copies_identiques_une_seule_compte(tmp_path):
    """« Copie de … » : mêmes octets, l'une compte, l'autre est mise de côté comme copie."""
    d = tmp_path / "recus"
    original = classeur(d, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4},
                        code="A")  # fmt: skip
    (d / "A" / "Copie de 1.1.xlsx").write_bytes(original.read_bytes())
    collecte = collecter(d, REGISTRE, "2026")
    journal = {e.fichier: e for e in collecte.journal}
    assert journal["A/1.1.xlsx"].statut is Statut.RETENU
    copie = journal["A/Copie de 1.1.xlsx"]
    assert copie.statut is Statut.ECARTE
    assert copie.raisons == ["cible 1.1 : copie identique de A/1.1.xlsx (mêmes octets), écartée"]
    assert [(r.organisation.code, r.saisie.numerateur) for r in collecte.retenues] == [("A", 3)]
    assert ("A", "1.1") not in collecte.exclusions


def test_le_plus_recent_valide_compte_le_plus_recent_rejete_est_nomme(tmp_path):
    d = tmp_path / "recus"
    classeur(d, "A/1.1-avril.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4},
             code="A", modifie=AVRIL)  # fmt: skip
    classeur(d, "A/1.1-mai.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 4},
             code="A", modifie=MAI)  # fmt: skip
    collecte = collecter(d, REGISTRE, "2026")
    journal = {e.fichier: e for e in collecte.journal}
    avril, mai = journal["A/1.1-avril.xlsx"], journal["A/1.1-mai.xlsx"]
    assert avril.statut is Statut.RETENU and mai.statut is Statut.REJETE
    assert avril.raisons == [
        "cible 1.1 : retenu, car le classeur plus récent A/1.1-mai.xlsx a été rejeté "
        "(numerateur-superieur C13)"
    ]
    assert mai.raisons == ["cible 1.1 exclue : numerateur-superieur C13"]
    (retenue,) = collecte.retenues
    assert (retenue.fichier, retenue.rejete_plus_recent) == ("A/1.1-avril.xlsx", "A/1.1-mai.xlsx")
    conso = consolider(collecte)
    ligne = conso.organisations.set_index(["code", "cible"]).loc[("A", "1.1")]
    assert ligne.resultat == pytest.approx(0.75) and ligne.rejete_plus_recent == "A/1.1-mai.xlsx"


def test_dates_egales_entre_valides_differents_restent_un_conflit(tmp_path):
    d = tmp_path / "recus"
    for nom, n in (("A/x.xlsx", 1), ("A/y.xlsx", 2)):
        classeur(d, nom, "1.1", {"c1_1_numerateur": n, "c1_1_denominateur": 4}, code="A",
                 modifie=AVRIL)  # fmt: skip
    collecte = collecter(d, REGISTRE, "2026")
    assert collecte.retenues == [] and collecte.exclusions[("A", "1.1")].value == "doublon-conflit"


def test_codes_compares_sans_casse_ni_espaces(tmp_path):
    """« lo02 » tapé dans le classeur et « ap01 » au registre : la même organisation."""
    d = tmp_path / "recus"
    classeur(d, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code=" ap01 ")
    classeur(d, "b.xlsx", "1.2", {"c1_2_numerateur": 1, "c1_2_denominateur": 2}, code="lo02 ")
    registre = [Organisation("ap01 ".strip().upper(), "Agence"), Organisation("LO02", "Lot")]
    collecte = collecter(d, registre, "2026")
    assert {e.statut for e in collecte.journal} == {Statut.RETENU}
    assert sorted(r.organisation.code for r in collecte.retenues) == ["AP01", "LO02"]
    # Le journal range chaque fichier sous le code du registre, pas sous le code tapé.
    assert [e.organisation_code for e in collecte.journal] == ["AP01", "LO02"]
    rapport = valider_fichier(d / "b.xlsx")
    assert rapport.valide and not rapport.constats


def test_codes_du_classeur_et_du_gabarit_transmis_compares_sans_casse(tmp_path):
    chemin = classeur(tmp_path, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2},
                      code="lo02 ", destinataire=Organisation("LO02", "Lot"))  # fmt: skip
    rapport = valider_fichier(chemin)
    assert rapport.valide
    assert [(c.code, c.severite.value, c.cellule) for c in rapport.constats] == [
        ("code-autre-casse", "info", "C5")
    ]
    assert "« lo02 » sera lu comme « LO02 »" in rapport.constats[0].message


def test_par_organisation_montre_numerateur_et_denominateur(dossier, tmp_path):
    """Une proportion se lit avec ses deux nombres : 9/10, pas seulement « 90,0 % »."""
    resultat = runner.invoke(app, ["compiler", str(dossier), "-r", str(_registre_csv(tmp_path)),
                                   "-p", "2026", "-o", str(tmp_path / "o")])  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    feuille = load_workbook(tmp_path / "o" / "sommaire.xlsx")["Par organisation"]
    entetes = [c.value for c in feuille[1]]
    j = entetes.index("Cible 1.1")
    assert entetes[j + 1 : j + 3] == ["1.1 numérateur", "1.1 dénominateur"]
    rangees = {r[0].value: [c.value for c in r] for r in feuille.iter_rows(min_row=2)}
    assert rangees["A"][j : j + 3] == [pytest.approx(0.9), 9, 10]
    assert rangees["B"][j : j + 3] == ["exclue (erreurs dans les saisies)", None, None]


def _registre_csv(tmp_path: Path) -> Path:
    chemin = tmp_path / "registre.csv"
    lignes = ["code,nom,reseau", *(f"{o.code},{o.nom},{o.reseau}" for o in REGISTRE)]
    chemin.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    return chemin


def test_un_code_par_organisation_dans_chaque_sortie(tmp_path):
    """« ap01 » tapé (et un fichier rejeté sous « ap01 ») : tout est rangé sous « AP01 », le code
    du registre : journal, rétroaction, fiche (le rejeté avec son message), relances."""
    import csv
    import io

    from barometre_cli.compilation.consolidation import consolider
    from barometre_cli.sorties.fiches import fiche_organisation
    from barometre_cli.sorties.journal_csv import texte_journal

    d = tmp_path / "recus"
    avis = {"retroaction_formulaire": 2, "retroaction_commentaire": "Trop long."}
    classeur(d, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2, **avis},
             code="ap01")  # fmt: skip
    classeur(d, "b.xlsx", "1.2", {"c1_2_numerateur": 5, "c1_2_denominateur": 2}, code=" Ap01")
    registre = [Organisation("AP01", "Agence"), Organisation("LO02", "Lot")]
    collecte = collecter(d, registre, "2026")
    assert [e.organisation_code for e in collecte.journal] == ["AP01", "AP01"]
    lignes_csv = list(csv.DictReader(io.StringIO(texte_journal(collecte))))
    assert [ligne["organisation_code"] for ligne in lignes_csv] == ["AP01", "AP01"]
    conso = consolider(collecte)
    assert conso.retroaction.set_index("question").iloc[0].reponses == 1
    assert list(conso.commentaires["code"]) == ["AP01"]
    relance = next(r for r in conso.relances if r.organisation.code == "AP01")
    assert [(a.cible, a.motif.value if a.motif else None) for a in relance.cibles][:2] == [
        ("1.2", "cible-exclue"),
        ("1.3", None),
    ]
    fichiers = fiche_organisation(collecte, conso, registre[0])["Fichiers"]
    lignes = [[c.value for c in r] for r in fichiers.iter_rows(min_row=5)]
    assert {r[0] for r in lignes} == {"a.xlsx", "b.xlsx"}
    # Colonnes : fichier, statut, cibles, retenues, raisons, gravité, feuille, cellule, message.
    rejete = next(r for r in lignes if r[0] == "b.xlsx" and r[7] == "C13")
    assert rejete[1] == "rejeté" and "dépasse le dénominateur" in rejete[8]


def test_sans_registre_le_code_canonique_est_en_majuscules(tmp_path):
    d = tmp_path / "recus"
    classeur(d, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="ap01 ")
    classeur(d, "b.xlsx", "1.2", {"c1_2_numerateur": 1, "c1_2_denominateur": 2}, code="AP01")
    collecte = collecter(d, None, "2026")
    assert [o.code for o in collecte.organisations] == ["AP01"]
    assert [e.organisation_code for e in collecte.journal] == ["AP01", "AP01"]


def test_le_registre_garde_son_orthographe(tmp_path):
    """Le registre écrit « Ap01 » : c'est ce code qui est montré, pas « AP01 »."""
    d = tmp_path / "recus"
    classeur(d, "a.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="AP01")
    collecte = collecter(d, [Organisation("Ap01", "Agence")], "2026")
    assert [e.organisation_code for e in collecte.journal] == ["Ap01"]


# --- Conflits : linéaires (issue 19) ------------------------------------------------------------


def _versions(nombre: int, code: str = "A") -> list:
    """`nombre` rapports d'un même classeur valide (même organisation, cible, date), qui ne
    diffèrent que par leurs octets : un conflit, sans rien lire sur le disque."""
    from barometre_cli.calculs import SaisieRatio
    from barometre_cli.validation.rapport import RapportFichier

    return [
        RapportFichier(
            Path(f"recus/{code}/version-{i:05d}.xlsx"),
            sha256=f"{i:064x}",
            modifie=datetime(2026, 3, 1, tzinfo=UTC),
            organisation_code=code,
            organisation_nom="Agence",
            periode="2026",
            cibles=["1.1"],
            saisies={"1.1": SaisieRatio("1.1", numerateur=1, denominateur=2)},
        )
        for i in range(nombre)
    ]


def test_conflit_de_deux_versions_nomme_l_autre():
    from barometre_cli.compilation.collecte import retenir

    collecte = retenir(Path("recus"), _versions(2), [Organisation("A", "Agence")], "2026")
    assert [e.raisons for e in collecte.journal] == [
        [f"cible 1.1 : conflit avec A/version-{autre:05d}.xlsx (même organisation, dates de "
         "modification égales ou absentes)"]
        for autre in (1, 0)
    ]  # fmt: skip


def test_conflit_de_milliers_de_versions_nomme_le_groupe_une_fois():
    """5 000 versions : chaque ligne du journal nomme son groupe (organisation, cible, nombre)
    et non les 4 999 autres ; le journal croît comme N, pas comme N²."""
    from barometre_cli.compilation.collecte import retenir
    from barometre_cli.sorties.journal_csv import texte_journal

    registre = [Organisation("A", "Agence")]
    tailles = {}
    for nombre in (1_000, 5_000):
        collecte = retenir(Path("recus"), _versions(nombre), registre, "2026")
        assert {tuple(e.raisons) for e in collecte.journal} == {
            (
                f"cible 1.1 : conflit entre {nombre} classeurs de l'organisation « A » (dates "
                "de modification égales ou absentes)",
            )
        }
        assert all(e.statut is Statut.ECARTE for e in collecte.journal)
        assert collecte.exclusions == {("A", "1.1"): collecte.journal[0].decisions[0].motif}
        tailles[nombre] = len(texte_journal(collecte))
    assert tailles[5_000] < 5.2 * tailles[1_000]  # linéaire (N² donnerait 25 fois plus)


# --- Liens et fichiers spéciaux (issue 19) ------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="liens symboliques et tubes POSIX")
def test_liens_et_fichiers_speciaux_au_journal_sans_rien_lire_au_dehors(tmp_path):
    """Un lien vers un classeur hors du dossier, vers /etc/passwd, brisé, vers un dossier ; un
    tube nommé, une prise : chacun a sa ligne au journal avec sa raison, rien au dehors n'est
    lu ni haché, et la compilation ne reste pas bloquée sur le tube."""
    from tests.hostiles_robustesse import dossier_pieges

    attendus = dossier_pieges(tmp_path / "recus", tmp_path / "dehors")
    collecte = collecter(tmp_path / "recus", [Organisation("ORG1", "Un")], "2026")
    journal = {e.fichier: e for e in collecte.journal}
    assert sorted(journal) == sorted(["ORG1/1.1.xlsx", *attendus])
    assert [r.fichier for r in collecte.retenues] == ["ORG1/1.1.xlsx"]  # pas le classeur du dehors
    for nom, nature in attendus.items():
        entree = journal[nom]
        if nature == "lu":  # un lien vers un classeur du dossier : lu comme lui (une copie)
            assert entree.sha256 == journal["ORG1/1.1.xlsx"].sha256
            continue
        assert entree.sha256 == "" and entree.statut is Statut.ECARTE, nom
        code = {"lien": "lien-ignore", "special": "fichier-special"}[nature]
        assert [c.code for c in entree.constats] == [code], nom
    assert journal["lien-dehors.xlsx"].raisons == [
        "lien ignoré : il mène hors du dossier reçu, où rien n'est lu"
    ]
    assert journal["lien-brise.xlsx"].raisons == [
        "lien ignoré : brisé, ce qu'il désigne n'existe pas"
    ]
    assert journal["lien-dossier-dedans"].raisons == [
        "lien ignoré : il mène à un dossier, qui n'est pas parcouru"
    ]
    assert journal["tube.xlsx"].raisons == ["fichier spécial, tube nommé (FIFO) : jamais ouvert"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="liens symboliques et tubes POSIX")
def test_cli_compiler_liens_au_journal_csv(tmp_path):
    from tests.hostiles_robustesse import dossier_pieges

    dossier_pieges(tmp_path / "recus", tmp_path / "dehors")
    sortie = tmp_path / "resultats"
    resultat = runner.invoke(
        app, ["compiler", str(tmp_path / "recus"), "-p", "2026", "-o", str(sortie)]
    )
    assert resultat.exit_code == 0, resultat.output
    journal = (sortie / "journal.csv").read_text(encoding="utf-8-sig")
    assert "lien-passwd.xlsx" in journal and "lien ignoré" in journal
    empreinte_passwd = __import__("hashlib").sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    assert empreinte_passwd not in journal


# --- Noms piégés (issue 19, point 8) -----------------------------------------------------------


def test_neutraliser_distingue_l_apostrophe_saisie_et_voit_les_blancs():
    from barometre_cli.ecriture.csv_sur import neutraliser, retablir

    assert [neutraliser(t) for t in (" =1+1.xlsx", "'=1+1", "=1+1", "''=1+1", "l'été")] == [
        "' =1+1.xlsx", "''=1+1", "'=1+1", "'''=1+1", "l'été"]  # fmt: skip
    for texte in (" =1+1.xlsx", "'=1+1", "=1+1", "''=1+1", "l'été", "'", "\t-2"):
        assert retablir(neutraliser(texte)) == texte


def test_noms_de_fichiers_pieges_au_journal_csv_et_aucun_controle_de_direction(tmp_path):
    """« =1+1.xlsx » précédé d'une espace est neutralisé ; « '=1+1 » et « =1+1 » s'écrivent
    différemment ; un U+202E d'un nom de fichier ou d'organisation n'atteint aucune sortie."""
    import zipfile

    from tests.hostiles_robustesse import NOM_FORMULE_ESPACE, NOM_RLO, classeur_texte

    d = tmp_path / "recus"
    d.mkdir()
    for nom in (NOM_FORMULE_ESPACE, "'=1+1.xlsx", "=1+1.xlsx"):
        (d / nom).write_bytes(b"pas un classeur")
    classeur(d, f"{NOM_RLO}.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2},
             code="AP01")  # fmt: skip
    valeurs = {"c1_2_numerateur": 1, "c1_2_denominateur": 2, "organisation_code": "AP01",
               "organisation_nom": "REPERE"}  # fmt: skip
    (d / "1.2.xlsx").write_bytes(
        classeur_texte("organisation_nom", "Org\u202eA", "1.2", valeurs, "REPERE")
    )
    sortie = tmp_path / "resultats"
    resultat = runner.invoke(app, ["compiler", str(d), "-p", "2026", "-o", str(sortie), "--fiches"])
    assert resultat.exit_code == 0, resultat.output
    assert "\u202e" not in resultat.output
    premieres = [
        l.split(",")[0] for l in (sortie / "journal.csv").read_text("utf-8-sig").splitlines()
    ]
    assert {"' =1+1.xlsx", "''=1+1.xlsx", "'=1+1.xlsx"} <= set(premieres)
    for chemin in sortie.rglob("*"):
        if chemin.suffix == ".xlsx":
            with zipfile.ZipFile(chemin) as archive:
                texte = b"".join(archive.read(n) for n in archive.namelist()).decode(
                    "utf-8", "replace"
                )
        elif chemin.is_file():
            texte = chemin.read_text(encoding="utf-8-sig")
        else:
            continue
        assert "\u202e" not in texte, chemin.name
