"""Le suivi de la collecte sur l'exemple livré : qui doit quoi, et à qui écrire.

L'exemple (`python exemples/fabriquer.py`) contient, parmi 40 organisations ciblées :

- AP14 et SS10, qui n'ont rien envoyé ;
- SS09 et EE12, qui n'ont envoyé qu'une partie des cibles (EE12 a en plus deux versions de
  sa cible 1.2 enregistrées au même moment : un conflit) ;
- AP03 (1.2), SS02 (5.1) et EE05 (5.2), chacune avec une cible exclue pour une erreur ;
- AP06, qui a envoyé deux fois sa 1.1 (la plus récente est retenue : rien à suivre).

Le registre donne la personne à joindre de chaque organisation, sauf SS02, EE05, EE12 et AP07 :
pour celles-là, c'est la personne répondante nommée dans leurs classeurs.

Ce que reçoit une organisation (relances.csv, fiches) est en phrases : celles de `valider`, avec
fichier, feuille et cellule, jamais un code interne. À côté de l'exemple, une copie où AP14 a
envoyé un seul classeur, rejeté : elle a transmis (sans être retenue) et on lui dit quoi corriger.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from barometre_cli import regenerer
from barometre_cli.catalogue import cibles
from barometre_cli.cli import app
from barometre_cli.compilation.a_verifier import POINT_COMPTE_DATE, POINT_PART_DOMINANTE
from barometre_cli.compilation.suivi import NON_RECUE, details, phrases, texte
from barometre_cli.domaine.colonnes import COLONNES_RELANCES
from barometre_cli.domaine.constats import CODES
from barometre_cli.domaine.decisions import Motif
from barometre_cli.sorties.fiches import DEBUT_RESULTATS, FEUILLE_RESULTATS, TITRE_A_SUIVRE
from barometre_cli.sorties.json_ import compilation_vers_dict
from barometre_cli.validation.regles import valider_fichier

runner = CliRunner()
EXEMPLES = Path(__file__).resolve().parents[1] / "exemples"
TOUTES = tuple(c.id for c in cibles())
EXCLUE, CONFLIT = Motif.EXCLUE.value, Motif.CONFLIT.value

#: organisation → (cible, code) de chaque cible à suivre, et d'où vient la personne à joindre
ATTENDU = {
    "AP03": ([("1.2", EXCLUE)], "registre"),
    "AP14": ([(c, NON_RECUE) for c in TOUTES], "registre"),
    "SS02": ([("5.1", EXCLUE)], "classeur"),
    "SS09": ([(c, NON_RECUE) for c in ("1.1", "1.2", "1.3", "2.1", "3.1", "4.2", "5.1")],
             "registre"),
    "SS10": ([(c, NON_RECUE) for c in TOUTES], "registre"),
    "EE05": ([("5.2", EXCLUE)], "classeur"),
    "EE12": ([("1.2", CONFLIT), *((c, NON_RECUE) for c in ("1.3", "2.1", "3.1", "5.1", "6.1"))],
             "classeur"),
}  # fmt: skip


@pytest.fixture
def exemple(exemple_compile):
    """L'exemple livré, compilé une fois par séance : (collecte, conso)."""
    _, collecte, conso = exemple_compile
    return collecte, conso


@pytest.fixture(scope="module")
def sortie(tmp_path_factory):
    """La compilation de l'exemple par la CLI, une fois : (dossier de sortie, console)."""
    dossier = tmp_path_factory.mktemp("suivi") / "resultats"
    resultat = runner.invoke(
        app, ["compiler", str(EXEMPLES / "classeurs"), "-r", str(EXEMPLES / "registre.csv"),
              "-p", "2026", "-o", str(dossier), "--fiches"],
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    return dossier, " ".join(resultat.output.split())


def test_exactement_les_organisations_qui_doivent_quelque_chose(exemple):
    _, conso = exemple
    obtenu = {
        r.organisation.code: ([(a.cible, a.code) for a in r.cibles], r.contact_source)
        for r in conso.relances
    }
    assert obtenu == ATTENDU
    # Contre-vérification indépendante : les cases « non reçue » ou « exclue » de la table
    # par organisation sont exactement les cibles à suivre.
    absentes = conso.organisations[conso.organisations["absence"].notna()]
    assert set(zip(absentes["code"], absentes["cible"], strict=True)) == {
        (r.organisation.code, a.cible) for r in conso.relances for a in r.cibles
    }
    # Chaque organisation à relancer a une personne à joindre avec une adresse.
    assert all(r.contact_nom and "@" in r.contact_courriel for r in conso.relances)


def test_contact_du_registre_sinon_du_classeur(exemple):
    _, conso = exemple
    par_code = {r.organisation.code: r for r in conso.relances}
    ap03, ss02 = par_code["AP03"], par_code["SS02"]
    assert (
        (ap03.contact_nom, ap03.contact_courriel)
        == (
            ap03.organisation.contact_nom,
            ap03.organisation.contact_courriel,
        )
        != ("", "")
    )
    assert ss02.organisation.contact_courriel == ""  # case vide au registre
    classeurs = [e for e in exemple[0].journal if e.organisation_code == "SS02"]
    assert (ss02.contact_nom, ss02.contact_courriel) == (
        classeurs[0].repondant_nom,
        classeurs[0].repondant_courriel,
    )
    assert ss02.contact_courriel.endswith("@ss02.exemple.gouv.qc.ca")


AP03_12 = "AP03/barometre-2026-cible-1.2-AP03.xlsx"


def test_detail_des_cibles_exclues_et_en_conflit(exemple):
    _, conso = exemple
    par_code = {r.organisation.code: r for r in conso.relances}
    ap03 = par_code["AP03"].cibles[0]
    assert ap03.fichiers == (AP03_12,)
    # La phrase même que `valider` affiche pour ce classeur, à sa feuille et à sa cellule.
    (erreur,) = valider_fichier(EXEMPLES / "classeurs" / AP03_12).erreurs
    (citee,) = ap03.erreurs
    assert (citee.code, citee.feuille, citee.cellule, citee.fichier) == (
        "numerateur-superieur", "Saisie", "C13", AP03_12,
    )  # fmt: skip
    assert citee.message == erreur.message
    assert texte(ap03) == (
        "Cible 1.2 : exclue, une erreur à corriger dans barometre-2026-cible-1.2-AP03.xlsx. "
        f"Feuille Saisie, cellule C13 : {erreur.message}"
    )
    assert erreur.message.startswith("Le numérateur (30) dépasse le dénominateur (12)")
    conflit = par_code["EE12"].cibles[0]
    assert conflit.fichiers == (
        "EE12/barometre-2026-cible-1.2-EE12-version-2.xlsx",
        "EE12/barometre-2026-cible-1.2-EE12.xlsx",
    )
    assert texte(conflit) == (
        "Cible 1.2 : mise de côté, car plusieurs classeurs ont été reçus "
        "(barometre-2026-cible-1.2-EE12-version-2.xlsx et barometre-2026-cible-1.2-EE12.xlsx) "
        "sans date de modification qui permette de retenir le plus récent. Renvoyez une seule "
        "version."
    )
    assert details(par_code["SS09"]) == (
        "Cibles 1.1, 1.2, 1.3, 2.1, 3.1, 4.2 et 5.1 : non reçues, à transmettre."
    )
    assert par_code["AP14"].aucun_fichier
    assert details(par_code["AP14"]) == (
        "Aucun classeur reçu : les dix cibles sont à transmettre (1.1, 1.2, 1.3, 2.1, 3.1, 4.1, "
        "4.2, 5.1, 5.2 et 6.1)."
    )


def test_relances_csv_pret_pour_le_publipostage(exemple, sortie):
    dossier, _ = sortie
    octets = (dossier / "relances.csv").read_bytes()
    assert octets.startswith(b"\xef\xbb\xbf")  # BOM : Excel lit l'UTF-8
    lignes = list(csv.DictReader(io.StringIO(octets.decode("utf-8-sig"))))
    assert list(lignes[0]) == COLONNES_RELANCES
    assert [l["organisation_code"] for l in lignes] == list(ATTENDU)
    par_code = {l["organisation_code"]: l for l in lignes}
    for code, (dues, source) in ATTENDU.items():
        assert par_code[code]["cibles_a_suivre"] == ", ".join(c for c, _ in dues)
        assert par_code[code]["contact_source"] == source
        assert par_code[code]["periode"] == "2026"
    _, conso = exemple
    for relance in conso.relances:
        assert par_code[relance.organisation.code]["details"] == details(relance)
    ss02 = par_code["SS02"]
    assert ss02["details"].startswith(
        "Cible 5.1 : exclue, une erreur à corriger dans barometre-2026-cible-5.1-SS02.xlsx. "
        "Feuille Saisie, cellule C21 : La ligne 21 est incomplète"
    )
    # Ce qu'il faut pour écrire le courriel, et les codes à part, pour les scripts.
    assert (ss02["salutation"], ss02["cibles_dues"]) == ("Bonjour Sophie Morin,", "la cible 5.1")
    assert ss02["codes"] == "5.1 cible-exclue : ligne-incomplete (Saisie!C21)"
    assert par_code["AP14"]["cibles_dues"] == "les dix cibles"
    assert par_code["EE12"]["cibles_dues"] == "les cibles 1.2, 1.3, 2.1, 3.1, 5.1 et 6.1"
    assert par_code["EE12"]["codes"].startswith("1.2 doublon-conflit | 1.3 cible-non-recue")


def test_feuille_relances_console_et_json(exemple, sortie):
    dossier, console = sortie
    feuille = load_workbook(dossier / "sommaire.xlsx")["Relances"]
    entetes = [c.value for c in feuille[1]]
    assert entetes[:3] == ["Code", "Organisation", "Réseau"] and "Détail" in entetes
    codes = [feuille.cell(r, 1).value for r in range(2, feuille.max_row + 1)]
    assert codes == list(ATTENDU)
    ee12 = feuille.cell(codes.index("EE12") + 2, entetes.index("Détail") + 1).value
    assert ee12.split("\n")[1:] == ["Cibles 1.3, 2.1, 3.1, 5.1 et 6.1 : non reçues, à transmettre."]
    assert entetes[-3:] == ["Salutation", "Cibles dues", "Codes"]
    assert "À relancer : 7 organisations, 36 cibles à suivre" in console
    assert str(dossier / "relances.csv") in console

    collecte, conso = exemple
    donnees = json.loads(json.dumps(compilation_vers_dict(collecte, conso, [])))
    assert [r["organisation"] for r in donnees["relances"]] == list(ATTENDU)
    ap03 = donnees["relances"][0]
    assert ap03["cibles"][0] | {"texte": ""} == {
        "cible": "1.2",
        "code": "cible-exclue",
        "fichiers": ["AP03/barometre-2026-cible-1.2-AP03.xlsx"],
        "erreurs": [
            {
                "code": "numerateur-superieur",
                "feuille": "Saisie",
                "cellule": "C13",
                "message": valider_fichier(EXEMPLES / "classeurs" / AP03_12).erreurs[0].message,
                "fichier": AP03_12,
            }
        ],
        "periodes": [],
        "codes": [],
        "texte": "",
    }
    assert ap03["contact"]["source"] == "registre"
    assert (ap03["salutation"], ap03["cibles_dues"]) == ("Bonjour Sophie Bouchard,", "la cible 1.2")
    assert ap03["details"] == details(conso.relances[0])
    assert donnees["precedent"] is None


def _a_suivre(chemin: Path) -> list[str]:
    """Les lignes de la section « À transmettre ou à corriger » d'une fiche."""
    feuille = load_workbook(chemin)[FEUILLE_RESULTATS]
    debut = next(
        r for r in range(DEBUT_RESULTATS, feuille.max_row + 1)
        if feuille.cell(r, 1).value == TITRE_A_SUIVRE
    )  # fmt: skip
    return [feuille.cell(r, 1).value for r in range(debut + 1, feuille.max_row + 1)]


def test_fiches_disent_ce_qui_reste_a_transmettre(exemple, sortie):
    dossier, _ = sortie
    _, conso = exemple
    ee12 = next(r for r in conso.relances if r.organisation.code == "EE12")
    assert (
        _a_suivre(dossier / "fiches" / "fiche-EE12.xlsx")
        == phrases(ee12)
        == [
            texte(ee12.cibles[0]),
            "Cibles 1.3, 2.1, 3.1, 5.1 et 6.1 : non reçues, à transmettre.",
        ]
    )
    assert _a_suivre(dossier / "fiches" / "fiche-AP14.xlsx") == [
        "Aucun classeur reçu : les dix cibles sont à transmettre (1.1, 1.2, 1.3, 2.1, 3.1, 4.1, "
        "4.2, 5.1, 5.2 et 6.1)."
    ]
    assert _a_suivre(dossier / "fiches" / "fiche-AP06.xlsx") == [
        "Rien : chacune de vos cibles est reçue et retenue."
    ]


regenerer.modules_des_constats()  # chaque module qui définit des codes, importé
#: Tous les codes internes : constats, motifs du journal, cible non reçue, points à vérifier.
CODES_INTERNES = sorted(
    {*CODES, *(m.value for m in Motif), NON_RECUE, POINT_COMPTE_DATE, POINT_PART_DOMINANTE,
     "variation-forte"},
    key=len,
    reverse=True,
)  # fmt: skip
_UN_CODE = re.compile("(?<![\\w-])(" + "|".join(map(re.escape, CODES_INTERNES)) + ")(?![\\w-])")


def _codes_dans(texte: str) -> list[str]:
    return _UN_CODE.findall(texte)


def test_aucun_code_interne_chez_les_organisations(sortie):
    """Le détail de relances.csv, l'appel et les cibles dues, et chaque case de chaque fiche :
    des phrases, jamais `numerateur-superieur` ni `cible-exclue`."""
    dossier, _ = sortie
    assert _codes_dans("1.2 : numerateur-superieur (Saisie, C13)") == ["numerateur-superieur"]
    lignes = list(csv.DictReader(io.StringIO((dossier / "relances.csv").read_text("utf-8-sig"))))
    assert lignes
    for ligne in lignes:
        for colonne in ("details", "salutation", "cibles_dues"):
            assert _codes_dans(ligne[colonne]) == [], (ligne["organisation_code"], colonne)
    assert _codes_dans(" ".join(l["codes"] for l in lignes))  # les codes ont leur colonne
    fiches = sorted((dossier / "fiches").glob("*.xlsx"))
    assert len(fiches) == 40
    for chemin in fiches:
        for feuille in load_workbook(chemin).worksheets:
            for rangee in feuille.iter_rows(values_only=True):
                for valeur in rangee:
                    if isinstance(valeur, str):
                        assert _codes_dans(valeur) == [], (chemin.name, feuille.title, valeur)


# --- À côté de l'exemple : une organisation dont le seul classeur est rejeté -------------------


@pytest.fixture(scope="module")
def seul_classeur_rejete(tmp_path_factory):
    """L'exemple, où AP14 (qui n'avait rien envoyé) a transmis un seul classeur, rejeté : son
    numérateur dépasse son dénominateur. Compilé par la CLI : (dossier de sortie, console)."""
    from tests.outils import classeur

    racine = tmp_path_factory.mktemp("rejete")
    recus = racine / "classeurs"
    shutil.copytree(EXEMPLES / "classeurs", recus)
    classeur(recus, "AP14/barometre-2026-cible-1.1-AP14.xlsx", "1.1",
             {"c1_1_numerateur": 9, "c1_1_denominateur": 4}, code="AP14")  # fmt: skip
    dossier = racine / "resultats"
    resultat = runner.invoke(
        app, ["compiler", str(recus), "-r", str(EXEMPLES / "registre.csv"), "-p", "2026",
              "-o", str(dossier), "--fiches"],
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    json_ = runner.invoke(
        app, ["compiler", str(recus), "-r", str(EXEMPLES / "registre.csv"), "-p", "2026",
              "-o", str(racine / "json"), "--format", "json"],
    )  # fmt: skip
    assert json_.exit_code == 0, json_.output
    return dossier, " ".join(resultat.output.split()), json.loads(json_.output)


def test_un_seul_classeur_rejete_compte_parmi_les_organisations_ayant_transmis(
    seul_classeur_rejete,
):
    dossier, console, donnees = seul_classeur_rejete
    assert donnees["organisations_ciblees"] == 40
    assert donnees["organisations_ayant_transmis"] == 39  # AP14 a transmis…
    assert donnees["organisations_repondantes"] == 38  # … sans être retenue
    assert donnees["taux_reponse"] == pytest.approx(38 / 40)
    assert (
        "Réponse : 39 organisations ciblées sur 40 ont transmis au moins un fichier (97,5 %) ; "
        "38 sont retenues, avec au moins une cible comptée (taux de réponse : 95,0 %)."
    ) in console
    assert "Non-répondants (aucun fichier reçu) : SS10." in console
    assert "À corriger (fichiers reçus, aucune cible retenue) : AP14" in console
    feuille = load_workbook(dossier / "sommaire.xlsx")["Non-répondants"]
    colonne_a = [feuille.cell(r, 1).value for r in range(1, feuille.max_row + 1)]
    assert colonne_a[:2] == ["Code", "SS10"]  # les non-répondants : rien reçu
    assert colonne_a[-2:] == ["Code", "AP14"]  # dessous, à corriger
    sommaire = load_workbook(dossier / "sommaire.xlsx")["Sommaire"]["A3"].value
    assert (
        "ayant transmis (au moins un fichier de la collecte reçu, valide ou non) : 39" in sommaire
    )
    page = " ".join((dossier / "barometre.html").read_text("utf-8").split())
    assert '<dt>Organisations ayant transmis</dt><dd><span class="nombre">39 sur 40' in page


def test_un_seul_classeur_rejete_dit_quoi_corriger(seul_classeur_rejete):
    dossier, _, donnees = seul_classeur_rejete
    lignes = list(csv.DictReader(io.StringIO((dossier / "relances.csv").read_text("utf-8-sig"))))
    ap14 = next(l for l in lignes if l["organisation_code"] == "AP14")
    attendu = [
        "Cible 1.1 : exclue, une erreur à corriger dans barometre-2026-cible-1.1-AP14.xlsx. "
        "Feuille Saisie, cellule C13 : Le numérateur (9) dépasse le dénominateur (4)",
        "Cibles 1.2, 1.3, 2.1, 3.1, 4.1, 4.2, 5.1, 5.2 et 6.1 : non reçues, à transmettre.",
    ]
    assert ap14["details"].startswith(attendu[0]) and ap14["details"].endswith(attendu[1])
    assert "Aucun classeur reçu" not in ap14["details"]
    assert _codes_dans(ap14["details"]) == []
    (relance,) = (r for r in donnees["relances"] if r["organisation"] == "AP14")
    assert relance["aucun_fichier"] is False
    fiche = _a_suivre(dossier / "fiches" / "fiche-AP14.xlsx")
    assert fiche[0].startswith(attendu[0]) and fiche[1] == attendu[1]


def test_texte_des_contacts_neutralise_contre_l_injection(tmp_path):
    from tests.outils import classeur

    recus = tmp_path / "recus"
    classeur(recus, "A/1.1.xlsx", "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="A")
    registre = tmp_path / "registre.csv"
    registre.write_text(
        "code,nom,reseau,contact_nom,contact_courriel\n"
        'A,"=HYPERLINK(""http://x"")",Administration publique,@Chef,chef@a.exemple.ca\n',
        encoding="utf-8",
    )
    resultat = runner.invoke(
        app, ["compiler", str(recus), "-r", str(registre), "-o", str(tmp_path / "o")]
    )
    assert resultat.exit_code == 0, resultat.output
    ligne = next(
        csv.DictReader(io.StringIO((tmp_path / "o" / "relances.csv").read_text("utf-8-sig")))
    )
    assert ligne["organisation_nom"] == '\'=HYPERLINK("http://x")'
    assert ligne["contact_nom"] == "'@Chef"
    assert ligne["contact_courriel"] == "chef@a.exemple.ca"
    feuille = load_workbook(tmp_path / "o" / "sommaire.xlsx")["Relances"]
    assert feuille["B2"].value == '=HYPERLINK("http://x")' and feuille["B2"].data_type == "s"
