"""Corrections de revue : registre à tabulations, gabarits qui s'écraseraient, rétroaction
comptée par organisation, une seule règle de calcul, données ouvertes sans registre, erreurs
de nombres en français, date de la fiche en toutes lettres."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli import calcul, consolidation
from barometre_cli.catalogue import cible
from barometre_cli.cli import app
from barometre_cli.compilation import collecter
from barometre_cli.consolidation import consolider, synthese_retroaction
from barometre_cli.erreurs import BarometreErreur
from barometre_cli.gabarit import generer_gabarits
from barometre_cli.registre import Organisation, lire_registre
from barometre_cli.sorties.csv_ouvert import datapackage, ecrire_csv
from barometre_cli.sorties.fiches import DEBUT_RESULTATS, FEUILLE_RESULTATS, fiche_organisation
from tests.outils import classeur

runner = CliRunner()

AP = "Administration publique"
MARS = datetime(2026, 3, 1, tzinfo=UTC)
AVRIL = datetime(2026, 4, 1, tzinfo=UTC)
MAI = datetime(2026, 5, 1, tzinfo=UTC)


def _plat(texte: str) -> str:
    return " ".join(texte.replace("│", " ").split())


# 1. Registre séparé par des tabulations ------------------------------------------------------


@pytest.mark.parametrize(
    "octets",
    [
        b"code\tnom\treseau\nA1\tAgence A\tAdministration publique\nD4\tMinistere, D\t\n",
        "\ufeffCode\tNom\tRéseau\r\nA1\tAgence A\tadministration publique\r\n"
        "D4\tMinistere, D\r\n".encode(),
    ],
    ids=["tabulations", "tabulations-bom-crlf"],
)
def test_registre_a_tabulations(tmp_path, octets):
    chemin = tmp_path / "registre.txt"
    chemin.write_bytes(octets)
    assert lire_registre(chemin) == [
        Organisation("A1", "Agence A", AP),
        Organisation("D4", "Ministere, D", ""),  # la virgule du nom ne trompe pas
    ]


def test_registre_a_tabulations_sans_code_le_dit_sans_tabulation_brute(tmp_path):
    chemin = tmp_path / "registre.txt"
    chemin.write_bytes(b"nom\treseau\nAgence A\tAdministration publique\n")
    with pytest.raises(BarometreErreur) as erreur:
        lire_registre(chemin)
    assert "colonnes trouvées : nom, reseau" in str(erreur.value)
    assert "séparés par des tabulations" in str(erreur.value)
    assert "\t" not in str(erreur.value)


# 2. Deux codes, un même dossier ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "dossier"),
    [(("A B", "A_B"), "A_B"), (("abc", "ABC"), "abc"), (("X/1", "X:1"), "X_1")],
    ids=["espace-souligne", "casse", "caracteres-interdits"],
)
def test_gabarits_codes_en_collision_refuses_avant_toute_ecriture(tmp_path, codes, dossier):
    sortie = tmp_path / "gabarits"
    organisations = [Organisation(codes[0], "Une"), Organisation("Z9", "Autre"),
                     Organisation(codes[1], "Deux")]  # fmt: skip
    with pytest.raises(BarometreErreur) as erreur:
        generer_gabarits([cible("1.1"), cible("4.1")], sortie, "2026", organisations)
    message = str(erreur.value)
    assert f"« {codes[0]} » et « {codes[1]} » (dossier « {dossier} »)" in message
    assert "Z9" not in message
    assert "uniques" in message
    assert not sortie.exists()  # rien d'écrit, rien d'écrasé


def test_gabarits_codes_distincts_toujours_ecrits(tmp_path):
    organisations = [Organisation("A-B", "Une"), Organisation("A_B", "Deux")]
    ecrits = generer_gabarits([cible("1.1")], tmp_path, "2026", organisations)
    assert len({p.parent.name.casefold() for p in ecrits}) == 2
    assert all(p.is_file() for p in ecrits)


# 3. Rétroaction : une voix par organisation ciblée --------------------------------------------


@pytest.fixture
def collecte_retroaction(tmp_path):
    d = tmp_path / "recus"
    ratio = {"c1_1_numerateur": 1, "c1_1_denominateur": 2}
    # A répond dans trois fichiers ; le plus récent (mai) porte la note 2 au formulaire, mais
    # aucune note au processus : celle d'avril (3) compte.
    classeur(d, "A/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 5,
             "retroaction_processus": 4, "retroaction_commentaire": "Trop long"},
             code="A", modifie=MARS)  # fmt: skip
    classeur(d, "A/1.2.xlsx", "1.2", {"c1_2_numerateur": 1, "c1_2_denominateur": 2,
             "retroaction_formulaire": 5, "retroaction_processus": 3,
             "retroaction_commentaire": "  trop   LONG "}, code="A", modifie=AVRIL)  # fmt: skip
    classeur(d, "A/4.2.xlsx", "4.2", {"c4_2_numerateur": 1, "c4_2_denominateur": 2,
             "retroaction_formulaire": 2, "retroaction_commentaire": "Merci"},
             code="A", modifie=MAI)  # fmt: skip
    # B : un doublon remplacé (mars, note 1) et le classeur retenu (mai, note 4).
    classeur(d, "B/ancien.xlsx", "1.1", {**ratio, "retroaction_formulaire": 1},
             code="B", modifie=MARS)  # fmt: skip
    classeur(d, "B/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 4},
             code="B", modifie=AVRIL)  # fmt: skip
    # Écartés : hors registre, et une autre période (plus récente) de B.
    classeur(d, "Z/1.1.xlsx", "1.1", {**ratio, "retroaction_formulaire": 1,
             "retroaction_commentaire": "Hors registre"}, code="Z", modifie=MAI)  # fmt: skip
    classeur(d, "B/2025.xlsx", "4.2", {"periode": 2025, "c4_2_numerateur": 1,
             "c4_2_denominateur": 2, "retroaction_formulaire": 1,
             "retroaction_commentaire": "Autre période"}, code="B", modifie=MAI,
             periode_gabarit="2025")  # fmt: skip
    registre = [Organisation("A", "Agence A", AP), Organisation("B", "Bureau B", AP),
                Organisation("C", "Centre C", AP)]  # fmt: skip
    return collecter(d, registre, "2026")


def test_retroaction_une_reponse_par_organisation(collecte_retroaction):
    synthese, _ = synthese_retroaction(collecte_retroaction)
    formulaire, processus = synthese.iloc[0], synthese.iloc[1]
    # A : 2 (mai) ; B : 4 (avril, le doublon de mars et 2025 ne comptent pas) ; Z ignorée.
    assert (formulaire.reponses, formulaire.moyenne) == (2, 3.0)
    assert [formulaire[f"note_{n}"] for n in range(1, 6)] == [0, 1, 0, 1, 0]
    # A n'a pas répondu au processus en mai : sa réponse la plus récente est celle d'avril.
    assert (processus.reponses, processus.moyenne, processus.note_3) == (1, 3.0, 1)
    assert list(synthese.columns) == ["question", "reponses", "moyenne", "note_1", "note_2",
                                      "note_3", "note_4", "note_5"]  # fmt: skip


def test_commentaires_un_par_organisation_et_par_texte(collecte_retroaction):
    _, commentaires = synthese_retroaction(collecte_retroaction)
    assert list(commentaires.columns) == ["code", "organisation", "cibles", "fichier",
                                          "commentaire"]  # fmt: skip
    lignes = commentaires.to_dict("records")
    assert [(x["code"], x["fichier"], x["commentaire"]) for x in lignes] == [
        ("A", "A/4.2.xlsx", "Merci"),
        ("A", "A/1.2.xlsx", "trop   LONG"),  # le plus récent des deux, tel quel
    ]
    assert lignes[0]["organisation"] == "Agence A" and lignes[0]["cibles"] == "4.2"


def test_retroaction_dans_la_consolidation(collecte_retroaction):
    conso = consolider(collecte_retroaction)
    assert conso.retroaction.iloc[0].reponses == 2
    assert len(conso.commentaires) == 2


# 4. Une seule règle de calcul -----------------------------------------------------------------


def test_consolidation_passe_par_les_regles_de_calcul(collecte_retroaction, monkeypatch):
    appels = {"proportion": 0, "taux_atteinte": 0}

    def compter(nom, regle):
        def espion(*args):
            appels[nom] += 1
            return regle(*args)

        return espion

    assert consolidation.proportion is calcul.proportion
    assert consolidation.taux_atteinte is calcul.taux_atteinte
    monkeypatch.setattr(consolidation, "proportion", compter("proportion", calcul.proportion))
    monkeypatch.setattr(
        consolidation, "taux_atteinte", compter("taux_atteinte", calcul.taux_atteinte)
    )
    conso = consolider(collecte_retroaction)
    assert appels["proportion"] > 0 and appels["taux_atteinte"] > 0
    ligne = conso.resultats.set_index(["portee", "cible"]).loc[("ensemble", "1.1")]
    # A 1/2 et B 1/2 → 2/4 ; cible 1.1 visée à 75 % → taux d'atteinte 2/3.
    assert ligne.resultat == pytest.approx(0.5)
    assert ligne.taux_atteinte == pytest.approx(float(Fraction(2, 3)))


# 5. Données ouvertes sans registre -------------------------------------------------------------


def test_datapackage_dit_qu_il_n_y_avait_pas_de_registre():
    avec = datapackage("2026")
    sans = datapackage("2026", registre_fourni=False)
    assert "aucun registre" not in avec["description"]
    assert "aucun registre des organisations ciblées n'a été fourni" in sans["description"]
    assert "4.1 et 6.1" in sans["description"] and "surestimés" in sans["description"]
    champs = {c["name"]: c for c in sans["resources"][0]["schema"]["fields"]}
    assert "répondantes seulement" in champs["organisations_ciblees"]["description"]


def test_ecrire_csv_transmet_l_absence_de_registre(collecte_retroaction, tmp_path):
    resultats = consolider(collecte_retroaction).resultats
    ecrire_csv(resultats, tmp_path, "2026", registre_fourni=False)
    paquet = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "aucun registre" in paquet["description"]
    ecrire_csv(resultats, tmp_path, "2026")  # l'appel actuel reste valable
    paquet = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "aucun registre" not in paquet["description"]


# 6. Erreurs de nombres en français -------------------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("0", "Valeur invalide pour --jobs : « 0 » ; un nombre entier égal ou supérieur à 1 "
              "est attendu."),
        ("-3", "Valeur invalide pour --jobs : « -3 » ; un nombre entier égal ou supérieur à 1 "
               "est attendu."),
        ("abc", "Valeur invalide pour --jobs : « abc » ; un nombre entier est attendu."),
        ("2.5", "Valeur invalide pour --jobs : « 2.5 » ; un nombre entier est attendu."),
    ],
)  # fmt: skip
def test_jobs_invalide_en_francais(tmp_path, valeur, attendu):
    resultat = runner.invoke(app, ["compiler", str(tmp_path), f"--jobs={valeur}"])
    assert resultat.exit_code == 2
    sortie = _plat(resultat.output)
    assert attendu in sortie
    assert "Input should" not in sortie


def test_borne_superieure_traduite_sans_erreur_d_origine():
    """Sans l'erreur pydantic jointe, on traduit encore d'après le texte anglais."""
    from types import SimpleNamespace

    from barometre_cli.francais import _traduire

    class BadParameter(Exception):
        """La forme de l'exception de Click (vendue avec Typer, sans paquet `click` à part)."""

        def __init__(self, message, param):
            super().__init__(message)
            self.message, self.param, self.param_hint, self.ctx = message, param, None, None

        def format_message(self):
            return self.message

    exc = BadParameter(
        "Input should be less than or equal to 8", SimpleNamespace(opts=["--nombre"], name="nombre")
    )
    assert (
        _traduire(exc)
        == "Valeur invalide pour --nombre : un nombre égal ou inférieur à 8 est attendu."
    )


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
