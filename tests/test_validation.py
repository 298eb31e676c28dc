"""Chaque règle de validation, sur de vrais gabarits remplis : code, gravité, cellule, valeur."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from barometre_cli.calculs import Jeu, SaisieRatio, Service
from barometre_cli.calculs.base import Resultat
from barometre_cli.catalogue import PROCESSUS_5_2, PROP_VERSION
from barometre_cli.domaine.constats import Severite
from barometre_cli.domaine.registre import Organisation
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur, modifier_membre

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

TABLE_51 = "c5_1_services"


def _constats(rapport):
    """Forme courte et comparable : (code, gravité, cellule)."""
    return [(c.code, c.severite.value, c.cellule) for c in rapport.constats]


def _valider(tmp_path, id_cible, valeurs, **options):
    return valider_fichier(classeur(tmp_path, "c.xlsx", id_cible, valeurs, **options))


# ---- Cibles à ratio ----------------------------------------------------------------------


def test_ratio_valide_donne_le_resultat_du_repondant(tmp_path):
    rapport = _valider(tmp_path, "1.1", {"c1_1_numerateur": 25, "c1_1_denominateur": 100})
    assert rapport.valide and rapport.constats == []
    assert rapport.cibles == ["1.1"]
    assert rapport.saisies == {"1.1": SaisieRatio("1.1", numerateur=25, denominateur=100)}
    # 25 % contre 75 % visés : taux d'atteinte de 33 % (exemple du guide).
    assert rapport.resultats == [Resultat("1.1", 25, 100, Fraction(1, 4), Fraction(1, 3))]


@pytest.mark.parametrize(
    ("numerateur", "attendu", "valeur"),
    [
        ("12", [("nombre-en-texte", "avertissement", "C13")], 12),
        ("1 234", [("nombre-en-texte", "avertissement", "C13")], 1234),
        ("1\u00a0234", [("nombre-en-texte", "avertissement", "C13")], 1234),
        ("1\u202f234", [("nombre-en-texte", "avertissement", "C13")], 1234),
        ("2\u2009345", [("nombre-en-texte", "avertissement", "C13")], 2345),
        # Des décimales dans un texte : la feuille ne peut pas les lire de la même façon
        # dans toutes les langues (« 12,0 » vaut 120 pour un Excel en anglais) ; refusées.
        ("12,0", [("nombre-decimal", "erreur", "C13")], None),
        ("1 234,00", [("nombre-decimal", "erreur", "C13")], None),
        ("+12", [("valeur-non-numerique", "erreur", "C13")], None),
        ("012", [("valeur-non-numerique", "erreur", "C13")], None),
        ("1\u2003234", [("valeur-non-numerique", "erreur", "C13")], None),
        (12.5, [("nombre-decimal", "erreur", "C13")], None),
        ("12,5", [("nombre-decimal", "erreur", "C13")], None),
        (-3, [("nombre-negatif", "erreur", "C13")], None),
        ("-3", [("nombre-negatif", "erreur", "C13")], None),
        ("beaucoup", [("valeur-non-numerique", "erreur", "C13")], None),
        (True, [("valeur-non-numerique", "erreur", "C13")], None),
        (None, [("valeur-manquante", "erreur", "C13")], None),
        ("   ", [("valeur-manquante", "erreur", "C13")], None),
    ],
)
def test_nombres(tmp_path, numerateur, attendu, valeur):
    valeurs = {"c1_1_denominateur": 5000}
    if numerateur is not None:
        valeurs["c1_1_numerateur"] = numerateur
    rapport = _valider(tmp_path, "1.1", valeurs)
    assert _constats(rapport) == attendu
    if valeur is None:
        assert "1.1" not in rapport.saisies and rapport.resultats == []
    else:
        assert rapport.saisies["1.1"].numerateur == valeur


def test_numerateur_superieur_signale_sur_le_numerateur(tmp_path):
    rapport = _valider(tmp_path, "4.2", {"c4_2_numerateur": 30, "c4_2_denominateur": 12})
    assert _constats(rapport) == [("numerateur-superieur", "erreur", "C13")]
    assert rapport.constats[0].feuille == "Saisie" and rapport.constats[0].cible == "4.2"
    assert "30" in rapport.constats[0].message and "12" in rapport.constats[0].message


def test_zero_sur_zero_non_applicable(tmp_path):
    rapport = _valider(tmp_path, "1.3", {"c1_3_numerateur": 0, "c1_3_denominateur": 0})
    assert _constats(rapport) == [("non-applicable", "info", "C13")]
    assert rapport.valide
    assert rapport.resultats == [Resultat("1.3", 0, 0, None, None)]


# ---- Identification ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modif", "attendu"),
    [
        ({"organisation_code": None}, [("identification-manquante", "erreur", "C5")]),
        ({"organisation_nom": " "}, [("identification-manquante", "erreur", "C6")]),
        ({"periode": None}, [("periode-manquante", "erreur", "C9")]),
        ({"periode": "l'an dernier"}, [("periode-invalide", "erreur", "C9")]),
        ({"periode": 2025}, [("periode-differente", "erreur", "C9")]),
        ({"repondant_courriel": "jeanne.tremblay"}, [("courriel-douteux", "avertissement", "C8")]),
        ({"repondant_courriel": None, "repondant_nom": None}, []),
    ],
)
def test_identification(tmp_path, modif, attendu):
    from tests.outils import identification

    valeurs = {**identification(), **modif, "c1_1_numerateur": 1, "c1_1_denominateur": 2}
    rapport = _valider(tmp_path, "1.1", valeurs, sans_identification=True)
    assert _constats(rapport) == attendu


def test_periode_texte_acceptee(tmp_path):
    rapport = _valider(
        tmp_path, "1.1", {"periode": "2026", "c1_1_numerateur": 1, "c1_1_denominateur": 2}
    )
    assert rapport.valide and rapport.periode == "2026"


def test_organisation_differente_du_destinataire(tmp_path):
    rapport = _valider(
        tmp_path,
        "1.1",
        {"c1_1_numerateur": 1, "c1_1_denominateur": 2},
        code="AUTRE",
        destinataire=Organisation("ORG1", "Organisation un"),
    )
    assert _constats(rapport) == [("organisation-differente", "avertissement", "C5")]
    assert rapport.valide


def test_erreur_d_identification_rend_le_fichier_inutilisable(tmp_path):
    rapport = _valider(
        tmp_path, "1.1", {"organisation_code": None, "c1_1_numerateur": 1, "c1_1_denominateur": 2}
    )
    assert not rapport.identifie
    assert "1.1" in rapport.saisies  # la cible elle-même est correcte
    assert rapport.resultats == []  # mais rien n'est montré tant qu'il reste une erreur


# ---- 4.1 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "initiative", "respecte"),
    [("Oui", "Oui", True), (" oui ", "OUI", True), ("Oui", "Non", False), ("non", "Oui", False)],
)
def test_4_1_oui_non(tmp_path, plan, initiative, respecte):
    rapport = _valider(
        tmp_path, "4.1", {"c4_1_plan_depose": plan, "c4_1_initiative_terminee": initiative}
    )
    assert rapport.valide, _constats(rapport)
    assert rapport.resultats[0].respecte is respecte


def test_4_1_reponse_invalide(tmp_path):
    rapport = _valider(
        tmp_path, "4.1", {"c4_1_plan_depose": "Peut-être", "c4_1_initiative_terminee": None}
    )
    assert _constats(rapport) == [
        ("oui-non-invalide", "erreur", "C13"),
        ("valeur-manquante", "erreur", "C14"),
    ]


# ---- 5.1 -----------------------------------------------------------------------------------


def test_5_1_seuil_strict_et_service_sans_utilisation(tmp_path):
    lignes = [["Permis", 76, 100], ["Carte", 75, 100], ["Avis", 0, 0], ["Paiement", "7 500", 9000]]
    rapport = _valider(tmp_path, "5.1", {TABLE_51: lignes})
    assert _constats(rapport) == [
        ("service-sans-utilisation", "avertissement", "D22"),
        ("nombre-en-texte", "avertissement", "C23"),
    ]
    assert rapport.saisies["5.1"].services == (
        Service("Permis", 76, 100),
        Service("Carte", 75, 100),
        Service("Avis", 0, 0),
        Service("Paiement", 7500, 9000),
    )
    # 76 % et 83,3 % comptent ; 75 % pile et 0/0 non : 2 services sur 4.
    assert rapport.resultats == [Resultat("5.1", 2, 4, Fraction(1, 2), Fraction(2, 3))]


@pytest.mark.parametrize(
    ("lignes", "attendu"),
    [
        ([["Permis", 10, None]], [("ligne-incomplete", "erreur", "D20")]),
        ([[None, 10, 20]], [("ligne-incomplete", "erreur", "B20")]),
        ([["Permis", 30, 20]], [("utilisations-incoherentes", "erreur", "C20")]),
        ([["Permis", 1, 2], ["PERMIS ", 1, 2]], [("service-en-double", "avertissement", "B21")]),
        ([], [("tableau-vide", "erreur", "B20")]),
        ([["Permis", 1.5, 2]], [("nombre-decimal", "erreur", "C20")]),
    ],
)
def test_5_1_regles(tmp_path, lignes, attendu):
    rapport = _valider(tmp_path, "5.1", {TABLE_51: lignes})
    assert _constats(rapport) == attendu


def test_5_1_ligne_vide_au_milieu_ignoree(tmp_path):
    lignes = [["Permis", 80, 100], [None, None, None], ["Carte", 10, 100]]
    rapport = _valider(tmp_path, "5.1", {TABLE_51: lignes})
    assert rapport.valide and len(rapport.saisies["5.1"].services) == 2


# ---- 5.2 -----------------------------------------------------------------------------------

STATUTS = [
    "Sans papier de bout en bout",
    "sans papier de bout en bout ",
    "Partiellement sans papier",
    "Papier de bout en bout",
    "Inexistant dans l’organisation",
    "INEXISTANT DANS L'ORGANISATION",
] + ["Sans papier de bout en bout"] * 6


def test_5_2_statuts_normalises_et_denominateur_12(tmp_path):
    rapport = _valider(tmp_path, "5.2", {"c5_2_statuts": STATUTS})
    assert rapport.valide, _constats(rapport)
    assert rapport.saisies["5.2"].statuts[4] == "Inexistant dans l'organisation"
    # 8 processus sans papier sur 12, même si deux sont inexistants.
    assert rapport.resultats == [Resultat("5.2", 8, 12, Fraction(2, 3), Fraction(8, 9))]


def test_5_2_statut_invalide_et_manquant(tmp_path):
    statuts = [*STATUTS[:10], "Presque", None]
    rapport = _valider(tmp_path, "5.2", {"c5_2_statuts": statuts})
    assert _constats(rapport) == [
        ("statut-invalide", "erreur", "C24"),
        ("valeur-manquante", "erreur", "C25"),
    ]
    assert "Gestion des plaintes" in rapport.constats[1].message


def test_5_2_liste_triee_lue_par_nom_de_processus(tmp_path):
    """Triée par statut, la liste se lit avec le nom écrit sur chaque ligne, pas par sa position."""
    noms = [p.nom for p in PROCESSUS_5_2]
    ordre = sorted(range(12), key=lambda k: (STATUTS[k].casefold(), noms[k]))
    rapport = _valider(
        tmp_path,
        "5.2",
        {"c5_2_processus": [noms[k] for k in ordre], "c5_2_statuts": [STATUTS[k] for k in ordre]},
    )
    assert rapport.valide, _constats(rapport)
    attendu = _valider(tmp_path / "b", "5.2", {"c5_2_statuts": STATUTS}).saisies["5.2"]
    assert rapport.saisies["5.2"] == attendu
    assert rapport.resultats == [Resultat("5.2", 8, 12, Fraction(2, 3), Fraction(8, 9))]


def test_5_2_nom_de_processus_change_est_une_erreur_a_sa_cellule(tmp_path):
    noms = [p.nom for p in PROCESSUS_5_2]
    noms[3] = "Évaluation du rendement"
    rapport = _valider(tmp_path, "5.2", {"c5_2_processus": noms, "c5_2_statuts": STATUTS})
    assert _constats(rapport) == [
        ("processus-inconnu", "erreur", "B17"),
        ("processus-manquant", "erreur", "B14"),
    ]
    assert "Appréciation des contributions" in rapport.constats[1].message
    assert "5.2" not in rapport.saisies


# ---- 6.1 -----------------------------------------------------------------------------------


def test_6_1_tableau_vide_valide_avec_avertissement(tmp_path):
    rapport = _valider(tmp_path, "6.1", {})
    assert _constats(rapport) == [("aucun-jeu-haut-potentiel", "avertissement", "B20")]
    assert rapport.valide
    assert rapport.resultats == [Resultat("6.1", 0, 0, None, None, False)]


def test_6_1_cinquante_points_et_cinquante_pour_cent(tmp_path):
    # 50 points pile = haut potentiel ; 2 diffusés sur 4 = 50 % pile : ne respecte pas.
    lignes = [
        ["A", 50, "Oui"],
        ["B", 90, "oui"],
        ["C", 60, "Non"],
        ["D", 70, "Non"],
        ["E", 49, "Oui"],
    ]
    rapport = _valider(tmp_path, "6.1", {"c6_1_jeux": lignes})
    assert rapport.valide
    assert rapport.saisies["6.1"].jeux[0] == Jeu("A", 50, True)
    assert rapport.resultats == [Resultat("6.1", 2, 4, Fraction(1, 2), None, False)]


@pytest.mark.parametrize(
    ("lignes", "attendu"),
    [
        ([["A", 120, "Oui"]], [("points-eleves", "avertissement", "C20")]),
        ([["A", 60, None]], [("ligne-incomplete", "erreur", "D20")]),
        ([["A", 60, "Peut-être"]], [("oui-non-invalide", "erreur", "D20")]),
        (
            [["A", 10, "Oui"]],
            [("aucun-jeu-haut-potentiel", "avertissement", "B20")],
        ),
        ([["A", 60, "Oui"], ["a", 60, "Oui"]], [("jeu-en-double", "avertissement", "B21")]),
    ],
)
def test_6_1_regles(tmp_path, lignes, attendu):
    rapport = _valider(tmp_path, "6.1", {"c6_1_jeux": lignes})
    assert _constats(rapport) == attendu


# ---- Formules ------------------------------------------------------------------------------


def test_formule_sans_valeur_en_cache(tmp_path):
    rapport = _valider(
        tmp_path,
        "1.1",
        {"c1_1_numerateur": "=2+3", "c1_1_denominateur": 10},
        formules=True,
    )
    assert _constats(rapport) == [("formule-sans-valeur", "erreur", "C13")]
    assert "enregistrez" in rapport.constats[0].message


def test_formule_avec_valeur_en_cache_compte(tmp_path):
    chemin = classeur(
        tmp_path,
        "c.xlsx",
        "1.1",
        {"c1_1_numerateur": "=2+3", "c1_1_denominateur": 10},
        formules=True,
    )
    # Ce qu'un tableur écrit en enregistrant : la formule et sa valeur calculée.
    modifier_membre(
        chemin,
        "xl/worksheets/sheet2.xml",
        lambda x: x.replace("<f>2+3</f><v></v>", "<f>2+3</f><v>5</v>").replace(
            "<f>2+3</f></c>", "<f>2+3</f><v>5</v></c>"
        ),
    )
    rapport = valider_fichier(chemin)
    assert _constats(rapport) == [("formule-valeur", "info", "C13")]
    assert rapport.saisies["1.1"].numerateur == 5


# ---- Gabarit -------------------------------------------------------------------------------


def test_classeur_quelconque_gabarit_inconnu(tmp_path):
    from openpyxl import Workbook

    chemin = tmp_path / "autre.xlsx"
    Workbook().save(chemin)
    rapport = valider_fichier(chemin)
    assert _constats(rapport) == [("gabarit-inconnu", "erreur", "")]
    assert not rapport.identifie


def test_autre_cible_que_celle_attendue(tmp_path):
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})
    rapport = valider_fichier(chemin, cible_attendue="5.1")
    assert _constats(rapport) == [("gabarit-autre-cible", "erreur", "")]
    assert "cible 1.1, pas de la cible 5.1" in rapport.constats[0].message


def test_version_perimee(tmp_path):
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})
    modifier_membre(
        chemin,
        "docProps/custom.xml",
        lambda x: re.sub(rf'(name="{PROP_VERSION}"[^>]*><vt:i4[^>]*>)1<', r"\g<1>0<", x),
    )
    rapport = valider_fichier(chemin)
    assert _constats(rapport) == [("version-perimee", "erreur", "")]
    assert "version 0" in rapport.constats[0].message and "version 1" in rapport.constats[0].message


def test_nom_defini_supprime_ou_brise(tmp_path):
    chemin = classeur(tmp_path, "c.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})

    def casser(xml: str) -> str:
        xml = re.sub(r'<definedName name="c1_1_numerateur">[^<]*</definedName>', "", xml)
        return re.sub(
            r'(<definedName name="c1_1_denominateur">)[^<]*(</definedName>)', r"\1#REF!\2", xml
        )

    modifier_membre(chemin, "xl/workbook.xml", casser)
    rapport = valider_fichier(chemin)
    assert [c.code for c in rapport.constats] == ["nom-defini-manquant", "nom-defini-brise"]
    assert "c1_1_numerateur" in rapport.constats[0].message


def test_lignes_inserees_dans_le_tableau_lues_par_le_nom(tmp_path):
    """Un répondant insère deux lignes au-dessus du tableau : le nom défini suit, la lecture aussi."""
    from openpyxl import load_workbook

    chemin = classeur(
        tmp_path, "c.xlsx", "5.1", {TABLE_51: [["Permis", 90, 100], ["Carte", 5, 200]]}
    )
    wb = load_workbook(chemin)
    wb["Saisie"].insert_rows(19, 2)  # ce que fait Excel, qui met aussi à jour les noms
    wb.defined_names["c5_1_services"].attr_text = "'Saisie'!$B$22:$D$321"
    wb.save(chemin)
    rapport = valider_fichier(chemin)
    assert rapport.saisies["5.1"].services == (Service("Permis", 90, 100), Service("Carte", 5, 200))
    chemin2 = classeur(tmp_path, "d.xlsx", "5.1", {TABLE_51: [["Permis", 90, None]]})
    wb = load_workbook(chemin2)
    wb["Saisie"].insert_rows(19, 2)
    wb.defined_names["c5_1_services"].attr_text = "'Saisie'!$B$22:$D$321"
    wb.save(chemin2)
    assert _constats(valider_fichier(chemin2)) == [("ligne-incomplete", "erreur", "D22")]


def test_aucun_constat_sans_localisation_pour_les_saisies(tmp_path):
    rapport = _valider(tmp_path, "5.1", {TABLE_51: [["A", "x", 3], ["B", 4, 3]]})
    assert all(c.feuille == "Saisie" and c.cellule for c in rapport.constats)
    assert all(c.severite is Severite.ERREUR for c in rapport.constats)


# ---- Rétroaction (facultative) -------------------------------------------------------------


def test_retroaction_lue_et_note_hors_echelle_ignoree(tmp_path):
    rapport = _valider(
        tmp_path,
        "1.1",
        {
            "c1_1_numerateur": 1,
            "c1_1_denominateur": 2,
            "retroaction_formulaire": 5,
            "retroaction_processus": "3",
            "retroaction_accompagnement": 8,
            "retroaction_commentaire": "  Merci pour la séance d'information.  ",
        },
    )
    assert _constats(rapport) == [("retroaction-invalide", "avertissement", "C14")]
    assert rapport.constats[0].feuille == "Rétroaction"
    assert rapport.valide
    assert rapport.retroaction == {
        "retroaction_formulaire": 5,
        "retroaction_processus": 3,
        "retroaction_commentaire": "Merci pour la séance d'information.",
    }


def test_gabarit_sans_feuille_de_retroaction_reste_valide():
    """Les classeurs d'avant la rétroaction (ici, enregistrés par LibreOffice) restent valides."""
    rapport = valider_fichier(Path(__file__).parent / "donnees" / "libreoffice-cible-5.2.xlsx")
    assert rapport.valide and rapport.retroaction == {}


# ---- Textes bornés (issue 19) ----------------------------------------------------------------


def _fichier(tmp_path, octets: bytes) -> Path:
    chemin = tmp_path / "c.xlsx"
    chemin.write_bytes(octets)
    return chemin


def test_nom_de_7_mo_erreur_a_sa_cellule_et_rien_de_demesure_ne_sort(tmp_path):
    """Un nom d'organisation de 7,5 Mo (table des chaînes partagées, comme Excel l'écrit) : une
    erreur à C6 ; le rapport ne garde que 255 caractères, le message n'en cite aucun."""
    from tests.hostiles_robustesse import classeur_texte_long

    rapport = valider_fichier(
        _fichier(tmp_path, classeur_texte_long("organisation_nom", 7_500_000))
    )
    assert _constats(rapport) == [("texte-trop-long", "erreur", "C6")]
    assert rapport.constats[0].message == (
        "« Nom de l'organisation » compte 7\u00a0500\u00a0000 caractères ; 255 au plus sont "
        "permis. Raccourcissez le texte (seuls ses 255 premiers caractères ont été lus)."
    )
    assert len(rapport.organisation_nom) <= 255 and not rapport.identifie


@pytest.mark.parametrize("longueur", [255, 256])
def test_code_a_la_limite(tmp_path, longueur):
    from tests.hostiles_robustesse import classeur_texte_long

    rapport = valider_fichier(
        _fichier(tmp_path, classeur_texte_long("organisation_code", longueur))
    )
    attendu = [] if longueur == 255 else [("texte-trop-long", "erreur", "C5")]
    assert [c for c in _constats(rapport) if c[0] != "organisation-differente"] == attendu
    assert len(rapport.organisation_code) == min(longueur, 255)


@pytest.mark.parametrize("longueur", [32_002, 900_000])
def test_courriel_demesure_juge_sur_sa_longueur(tmp_path, longueur):
    """L'adresse qui faisait reculer l'ancien motif (11,7 s à 32 002 caractères, sans fin à
    900 000) : un avertissement sur sa longueur, et rien de gardé pour les relances."""
    from tests.hostiles_robustesse import classeur_texte, courriel_qui_fait_reculer

    octets = classeur_texte("repondant_courriel", courriel_qui_fait_reculer(longueur))
    rapport = valider_fichier(_fichier(tmp_path, octets))
    assert _constats(rapport) == [("courriel-trop-long", "avertissement", "C8")]
    assert rapport.repondant_courriel == "" and rapport.valide


def test_service_trop_long_exclut_la_cible(tmp_path):
    from tests.hostiles_robustesse import classeur_texte_long

    rapport = valider_fichier(
        _fichier(tmp_path, classeur_texte_long("service", 300, id_cible="5.1"))
    )
    assert _constats(rapport) == [("texte-trop-long", "erreur", "B20")]
    assert rapport.constats[0].cible == "5.1" and "5.1" not in rapport.saisies
    assert "« Service numérique » compte 300 caractères" in rapport.constats[0].message


def test_controle_de_direction_retire_et_signale(tmp_path):
    """U+202E (« right-to-left override ») dans un nom : retiré, avec un avertissement."""
    from tests.hostiles_robustesse import classeur_texte

    octets = classeur_texte("organisation_nom", "Agence\u202e A")
    rapport = valider_fichier(_fichier(tmp_path, octets))
    assert _constats(rapport) == [("caractere-invisible", "avertissement", "C6")]
    assert "(U+202E)" in rapport.constats[0].message
    assert rapport.organisation_nom == "Agence A" and rapport.valide


def test_commentaire_de_retroaction_trop_long_garde_son_debut(tmp_path):
    rapport = _valider(
        tmp_path,
        "1.1",
        {"c1_1_numerateur": 1, "c1_1_denominateur": 2, "retroaction_commentaire": "x" * 400},
    )
    assert _constats(rapport) == [("commentaire-trop-long", "avertissement", "C15")]
    assert rapport.retroaction["retroaction_commentaire"] == "x" * 255


def test_tableau_au_dela_des_lignes_lues_le_dit(tmp_path):
    """Un tableau qui s'étendrait jusqu'à la ligne 12 019 : l'erreur dit sa taille et la limite,
    pas « plage supprimée ou invalide »."""
    chemin = classeur(tmp_path, "c.xlsx", "5.1", {TABLE_51: [["Permis", 80, 100]]})
    modifier_membre(
        chemin, "xl/workbook.xml", lambda xml: xml.replace("$B$20:$D$319", "$B$20:$D$12019")
    )
    rapport = valider_fichier(chemin)
    assert _constats(rapport) == [("tableau-trop-grand", "erreur", "")]
    assert rapport.constats[0].message.startswith(
        "Le tableau « Services numériques » compte 12\u00a0000 lignes (jusqu'à la ligne "
        "12\u00a0019) ; la vérification lit un tableau jusqu'à la ligne 10\u00a0000."
    )
