"""Le catalogue contre le guide : valeurs visées, titres, formules, liste des 12 processus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barometre_cli.catalogue import (
    CIBLES,
    IDENTIFICATION,
    LEXIQUE,
    PROCESSUS_5_2,
    STATUTS_5_2,
    Calcul,
    cible,
    normaliser_libelle,
)

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"

# Le tableau des cibles du guide (section 3), recopié indépendamment du catalogue.
ATTENDU = [
    ("1.1", 75, Calcul.RATIO),
    ("1.2", 75, Calcul.RATIO),
    ("1.3", 75, Calcul.RATIO),
    ("2.1", 50, Calcul.RATIO),
    ("3.1", 60, Calcul.RATIO),
    ("4.1", 100, Calcul.CONDITION),
    ("4.2", 60, Calcul.RATIO),
    ("5.1", 75, Calcul.TAUX_UTILISATION),
    ("5.2", 75, Calcul.LISTE_FIXE),
    ("6.1", 60, Calcul.JEUX_DONNEES),
]


def test_dix_cibles_valeurs_visees_et_calculs():
    assert [(c.id, c.valeur_visee_pct, c.calcul) for c in CIBLES] == ATTENDU
    assert len({c.calcul for c in CIBLES}) == 5


def test_titre_commence_par_la_valeur_visee():
    for c in CIBLES:
        assert c.titre.startswith(f"{c.valeur_visee_pct} % ")


def test_noms_de_l_interface_publique():
    noms = {ch.nom for ch in IDENTIFICATION}
    assert noms == {
        "organisation_code",
        "organisation_nom",
        "repondant_nom",
        "repondant_courriel",
        "periode",
    }
    for id_ in ("1.1", "1.2", "1.3", "2.1", "3.1", "4.2"):
        p = "c" + id_.replace(".", "_")
        assert [ch.nom for ch in cible(id_).champs] == [f"{p}_numerateur", f"{p}_denominateur"]
    assert [ch.nom for ch in cible("4.1").champs] == [
        "c4_1_plan_depose",
        "c4_1_initiative_terminee",
    ]
    services = cible("5.1").champs[0]
    assert services.nom == "c5_1_services" and services.lignes >= 300
    assert [c.cle for c in services.colonnes] == [
        "service",
        "utilisations_numeriques",
        "utilisations_totales",
    ]
    assert cible("5.2").champs[0].nom == "c5_2_statuts" and cible("5.2").champs[0].lignes == 12
    jeux = cible("6.1").champs[0]
    assert jeux.nom == "c6_1_jeux" and jeux.lignes >= 300
    assert [c.cle for c in jeux.colonnes] == ["jeu", "points_axe_a", "diffuse"]


def test_douze_processus_dans_l_ordre_du_guide():
    assert len(PROCESSUS_5_2) == 12
    assert PROCESSUS_5_2[0].nom == "Dotation"
    assert PROCESSUS_5_2[-1].nom == "Gestion des plaintes"
    assert [p.domaine for p in PROCESSUS_5_2].count("Gestion RH") == 4
    assert STATUTS_5_2 == (
        "Sans papier de bout en bout",
        "Partiellement sans papier",
        "Papier de bout en bout",
        "Inexistant dans l'organisation",
    )


def test_termes_du_lexique_existent():
    for c in CIBLES:
        assert c.termes
        for terme in c.termes:
            assert terme in LEXIQUE


def test_normaliser_libelle_ignore_casse_espaces_apostrophe():
    assert normaliser_libelle("  INEXISTANT dans l’organisation ") == normaliser_libelle(
        "Inexistant dans l'organisation"
    )


def _texte(motif: str) -> str:
    fichiers = sorted(SOURCES.glob(motif))
    if not fichiers:
        pytest.skip(f"sources du guide absentes ({SOURCES}) : comparaison au texte impossible")
    texte = fichiers[0].read_text(encoding="utf-8")
    return " ".join(texte.replace("’", "'").split())


def _plat(texte: str) -> str:
    return " ".join(texte.replace("’", "'").split())


def test_titres_indicateurs_numerateurs_mot_pour_mot_dans_le_guide():
    guide = _texte("000_*.txt")
    for c in CIBLES:
        assert f"Cible {c.id} – {_plat(c.titre)}" in guide, c.id
        assert _plat(c.indicateur) in guide, c.id
        # Les formules du guide sont en LaTeX : on compare sans les échappements.
        formules = re.sub(r"<sup>\d+</sup>|<[^>]+>", "", guide)
        formules = re.sub(r"\\text\{|\\%|\}|\\", "", formules)
        formules = " ".join(formules.split())
        sans_pct = " ".join(formules.replace("%", "").split())
        assert _plat(c.numerateur.replace("%", "")) in sans_pct, c.id
        assert _plat(c.denominateur) in formules, c.id


def test_processus_et_statuts_dans_le_guide():
    guide = _texte("000_*.txt")
    lexique = guide[guide.index("Processus administratif sans papier") :]
    positions = [lexique.index(_plat(p.nom)) for p in PROCESSUS_5_2]
    assert positions == sorted(positions)
    for domaine in {p.domaine for p in PROCESSUS_5_2}:
        assert domaine.upper() in lexique.upper()


def test_effets_recherches_mot_pour_mot():
    page = _texte("001_*.txt")
    for c in CIBLES:
        assert _plat(c.effet_recherche) in page, c.id


#: Le plus grand effectif réel connu par borne : chacun doit passer sans « à vérifier » et
#: pouvoir se taper dans le gabarit (sa validation de données refuse au-delà de la borne).
EFFECTIFS_REELS = {
    "c4_2_denominateur": 330_000,  # Santé Québec, depuis le 1er décembre 2024
    "c4_2_numerateur": 330_000,
}


@pytest.mark.parametrize(("nom", "effectif"), EFFECTIFS_REELS.items())
def test_bornes_au_dessus_des_organisations_d_aujourd_hui(tmp_path, nom, effectif):
    from openpyxl import load_workbook

    from barometre_cli.validation.regles import valider_fichier
    from tests.outils import classeur

    valeurs = {"c4_2_numerateur": 200_000, "c4_2_denominateur": 330_000, nom: effectif}
    chemin = classeur(tmp_path, "sante.xlsx", "4.2", valeurs)
    rapport = valider_fichier(chemin)
    assert rapport.valide and rapport.constats == []
    feuille = load_workbook(chemin)["Saisie"]
    plafonds = [
        int(dv.formula2)
        for dv in feuille.data_validations.dataValidation
        if dv.type == "whole" and "C14" in str(dv.sqref)
    ]
    assert plafonds and all(p >= effectif for p in plafonds)
