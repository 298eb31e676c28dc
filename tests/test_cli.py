"""La CLI de bout en bout (CliRunner) : codes de sortie, JSON = bibliothèque, annotation, aide."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.main import get_command
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.sorties.json_ import rapport_vers_dict
from barometre_cli.validation.regles import valider_fichier
from tests.outils import classeur
from tests.test_lecture import CAS_HOSTILES

runner = CliRunner()


def _plat(texte: str) -> str:
    return " ".join(texte.split())


@pytest.fixture
def bon(tmp_path):
    return classeur(tmp_path, "bon.xlsx", "1.1", {"c1_1_numerateur": 25, "c1_1_denominateur": 100})


@pytest.fixture
def mauvais(tmp_path):
    return classeur(
        tmp_path,
        "mauvais.xlsx",
        "5.1",
        {"repondant_courriel": "x", "c5_1_services": [["Permis", 30, 20], ["Carte", 5, None]]},
    )


def test_valider_fichier_pret(bon):
    resultat = runner.invoke(app, ["valider", str(bon)])
    assert resultat.exit_code == 0, resultat.output
    texte = _plat(resultat.output)
    assert "Organisation un (ORG1) — cible 1.1" in texte
    assert "25,0 %" in texte and "33 %" in texte  # 25 % contre 75 % : 33 %
    assert resultat.output.strip().splitlines()[-1] == "✔ Prêt à transmettre."


def test_valider_fichier_en_erreur(mauvais):
    resultat = runner.invoke(app, ["valider", str(mauvais)])
    assert resultat.exit_code == 1
    texte = _plat(resultat.output)
    assert "utilisations-incoherentes" in texte and "C20" in texte
    assert "ligne-incomplete" in texte and "D21" in texte
    assert "✘ 2 erreurs à corriger avant de transmettre le fichier." in texte
    assert "Ce qui sera compté" not in texte


def test_json_identique_a_la_bibliotheque(bon, mauvais):
    resultat = runner.invoke(app, ["valider", str(bon), str(mauvais), "--format", "json"])
    assert resultat.exit_code == 1
    attendu = {"fichiers": [rapport_vers_dict(valider_fichier(p)) for p in (bon, mauvais)]}
    assert json.loads(resultat.output) == attendu
    premier = attendu["fichiers"][0]
    assert list(premier) == ["fichier", "valide", "organisation", "cibles", "constats", "resultats"]
    assert premier["resultats"][0]["proportion"] == 0.25
    assert list(attendu["fichiers"][1]["constats"][0]) == [
        "severite",
        "code",
        "feuille",
        "cellule",
        "message",
    ]


def test_annoter_copie_commentee_original_intact(mauvais):
    avant = hashlib.sha256(mauvais.read_bytes()).hexdigest()
    resultat = runner.invoke(app, ["valider", str(mauvais), "--annoter"])
    assert resultat.exit_code == 1
    assert hashlib.sha256(mauvais.read_bytes()).hexdigest() == avant
    copie = mauvais.with_name("mauvais-annote.xlsx")
    assert copie.exists() and str(copie) in _plat(resultat.output)
    saisie = load_workbook(copie)["Saisie"]
    assert "dépassent les utilisations totales" in saisie["C20"].comment.text
    assert saisie["C20"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "courriel" in saisie["C8"].comment.text


def test_avertissements_seuls_code_0(tmp_path):
    chemin = classeur(tmp_path, "a.xlsx", "1.1", {"c1_1_numerateur": "12", "c1_1_denominateur": 20})
    resultat = runner.invoke(app, ["valider", str(chemin)])
    assert resultat.exit_code == 0
    assert "Prêt à transmettre (1 avertissement à vérifier)" in _plat(resultat.output)


def test_dossier_parcouru_et_barre_de_progression(tmp_path, bon):
    for i in range(4):
        classeur(tmp_path / "lot", f"f{i}.xlsx", "4.1",
                 {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"})  # fmt: skip
    resultat = runner.invoke(app, ["valider", str(tmp_path / "lot")])
    assert resultat.exit_code == 0
    assert "4 fichiers vérifiés : 4 prêts à transmettre, 0 à corriger." in _plat(resultat.output)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["valider", "absent.xlsx"], "fichier introuvable : « absent.xlsx »"),
        (["valider", "--format", "xml", "x.xlsx"], "Valeur invalide pour --format : « xml »"),
        (
            ["valider", "--formt", "json"],
            "Option inconnue : --formt. Vouliez-vous dire : --format ?",
        ),
        (["valider"], "Il manque l'argument FICHIER"),
        (["valider", "--cible", "9.9", "x.xlsx"], "cible inconnue : 9.9"),
        (["compiler", "absent"], "dossier introuvable"),
        (["rien"], "Commande inconnue : « rien »."),
        (["compilr"], "Commande inconnue : « compilr ». Vouliez-vous dire « compiler » ?"),
    ],
)
def test_erreurs_d_utilisation_code_2_en_francais(arguments, message):
    resultat = runner.invoke(app, arguments)
    assert resultat.exit_code == 2
    assert message in _plat(resultat.output)
    assert "Traceback" not in resultat.output and "Did you mean" not in resultat.output


def test_aide_de_valider_sans_type_anglais():
    resultat = runner.invoke(app, ["valider", "--help"])
    assert resultat.exit_code == 0
    assert "list[" not in resultat.output and "Path" not in resultat.output
    assert "(s)" not in _plat(resultat.output)


@pytest.mark.parametrize(
    ("fabrique", "code"), CAS_HOSTILES, ids=[f.__name__ for f, _ in CAS_HOSTILES]
)
def test_fichier_hostile_par_la_cli(tmp_path, fabrique, code):
    chemin = tmp_path / "retourne.xlsx"
    chemin.write_bytes(fabrique())
    avant = hashlib.sha256(chemin.read_bytes()).hexdigest()
    debut = time.perf_counter()
    resultat = runner.invoke(app, ["valider", str(chemin), "--format", "json", "--annoter"])
    assert time.perf_counter() - debut < 5
    assert resultat.exit_code == 1, resultat.output
    fichier = json.loads(resultat.output)["fichiers"][0]
    assert fichier["valide"] is False
    assert [c["code"] for c in fichier["constats"]] == [code]
    assert hashlib.sha256(chemin.read_bytes()).hexdigest() == avant
    assert not chemin.with_name("retourne-annote.xlsx").exists()


def test_chaque_commande_et_option_a_une_aide_en_francais():
    groupe = get_command(app)
    for nom, commande in groupe.commands.items():
        assert commande.help, nom
        for parametre in commande.params:
            assert getattr(parametre, "help", None), (nom, parametre.name)
    resultat = runner.invoke(app, ["--help"])
    texte = _plat(resultat.output)
    assert "Utilisation : barometre" in texte and "Commandes" in texte
    assert "Afficher cette aide et quitter." in texte
    for commande in ("gabarit", "valider", "compiler"):
        aide = _plat(runner.invoke(app, [commande, "--help"]).output)
        assert "Afficher cette aide et quitter." in aide
        assert "Show this message" not in aide


@pytest.mark.parametrize("arguments", [["--help"], ["valider", "{fichier}"]])
def test_aide_et_valider_ne_chargent_pas_pandas(bon, arguments):
    arguments = [a.format(fichier=bon) for a in arguments]
    code = (
        "import sys\nfrom barometre_cli.cli import app\n"
        f"try:\n    app({arguments!r}, prog_name='barometre')\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, 'openpyxl' in sys.modules, "
        "'typer.rich_utils' in sys.modules, 'rich.markdown' in sys.modules)"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    pandas, openpyxl, rich_utils, markdown = sortie.stdout.strip().splitlines()[-1].split()
    assert pandas == "False" and openpyxl == "False"
    assert markdown == "False"  # Typer l'importe d'office ; barometre ne s'en sert pas
    # L'affichage de l'aide de Typer ne se charge que pour l'aide elle-même.
    assert rich_utils == ("True" if arguments == ["--help"] else "False")


def test_texte_de_repondant_ni_balisage_ni_controle(tmp_path):
    """« [/] » ou « _x001B_ » dans une cellule s'affichent sans trace ni séquence de terminal."""
    chemin = classeur(
        tmp_path,
        "piege.xlsx",
        "1.1",
        {"c1_1_numerateur": "[/] _x001B_]0;titre_x0007_ [bold red]x", "c1_1_denominateur": 2},
        code="[/]",
    )
    resultat = runner.invoke(app, ["valider", str(chemin)])
    assert resultat.exit_code == 1
    assert "Traceback" not in resultat.output and "Erreur inattendue" not in resultat.output
    assert "\x1b" not in resultat.output and "\x07" not in resultat.output
    assert "[/]" in resultat.output and "[bold red]x" in resultat.output
    json_ = runner.invoke(app, ["valider", str(chemin), "--format", "json", "--annoter"])
    message = json.loads(json_.stdout)["fichiers"][0]["constats"][0]["message"]
    assert "piege-annote.xlsx" in json_.stderr  # le chemin de la copie, hors du JSON
    assert "\x1b" not in message and "[/]" in message
    assert chemin.with_name("piege-annote.xlsx").exists()


def test_code_d_organisation_en_balisage_a_la_compilation(tmp_path):
    for i in range(2):
        classeur(tmp_path / "d", f"f{i}.xlsx", "4.1",
                 {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"},
                 code="[/]" if i else "A")  # fmt: skip
    registre = tmp_path / "r.csv"
    registre.write_text("code,nom\nA,Agence\n", encoding="utf-8")
    resultat = runner.invoke(
        app, ["compiler", str(tmp_path / "d"), "-r", str(registre), "-o", str(tmp_path / "o")]
    )
    assert resultat.exit_code == 0, resultat.output
    assert "« [/] » absente du registre" in " ".join(resultat.output.split())


def test_annoter_refuse_un_classeur_aux_feuilles_demesurees(tmp_path):
    """openpyxl chargerait toute la feuille Instructions : au-delà de la limite, pas de copie."""
    import random
    import string

    from tests.outils import modifier_membre

    chemin = classeur(tmp_path, "gros.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2})
    alea = random.Random(1)
    lignes = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>'
        + "".join(alea.choices(string.ascii_letters, k=800))
        + "</t></is></c></row>"
        for i in range(1, 7000)
    )
    modifier_membre(
        chemin,
        "xl/worksheets/sheet1.xml",
        lambda xml: (
            xml[: xml.index("<sheetData>")] + f"<sheetData>{lignes}</sheetData></worksheet>"
        ),
    )
    debut = time.perf_counter()
    resultat = runner.invoke(app, ["valider", str(chemin), "--annoter"])
    assert time.perf_counter() - debut < 5
    assert resultat.exit_code == 1
    assert "copie annotée de « gros.xlsx » impossible" in " ".join(resultat.output.split())
    assert not chemin.with_name("gros-annote.xlsx").exists()


def test_valider_un_dossier_signale_xls_et_ods_mais_pas_les_copies_annotees(tmp_path):
    from tests import hostiles

    lot = tmp_path / "lot"
    classeur(lot, "bon.xlsx", "4.1", {"c4_1_plan_depose": "Oui", "c4_1_initiative_terminee": "Oui"})
    (lot / "ancien.xls").write_bytes(hostiles.xls())
    (lot / "libre.ods").write_bytes(hostiles.ods())
    (lot / "plat.fods").write_bytes(hostiles.fods())
    (lot / "bon-annote.xlsx").write_bytes(b"copie")
    (lot / "libre-annote.ods").write_bytes(b"copie")
    (lot / "~$bon.xlsx").write_bytes(b"verrou")
    (lot / "notes.txt").write_text("notes", encoding="utf-8")
    resultat = runner.invoke(app, ["valider", str(lot), "--format", "json"])
    fichiers = {Path(f["fichier"]).name: f for f in json.loads(resultat.stdout)["fichiers"]}
    assert sorted(fichiers) == ["ancien.xls", "bon.xlsx", "libre.ods", "plat.fods"]
    assert fichiers["ancien.xls"]["constats"][0]["code"] == "format-xls"
    assert fichiers["plat.fods"]["constats"][0]["code"] == "format-ods"
    # Un .ods est lu : celui-ci n'est pas un gabarit du Baromètre.
    assert fichiers["libre.ods"]["constats"][0]["code"] == "gabarit-inconnu"
    assert resultat.exit_code == 1


def test_markdown_de_typer_charge_seulement_au_besoin():
    code = (
        "import sys\nfrom barometre_cli import francais\nfrancais.installer()\n"
        "import typer.rich_utils as r\nprint('rich.markdown' in sys.modules)\n"
        "m = r.Markdown('# Titre')\nprint(type(m).__module__)"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert sortie.stdout.split() == ["False", "rich.markdown"]


def test_sortie_redirigee_en_cp1252_comme_sous_windows(bon):
    """« ✔ » n'existe pas en cp1252 : la commande remplace le caractère au lieu d'échouer."""
    import os

    fin = subprocess.run(
        [sys.executable, "-m", "barometre_cli", "valider", str(bon)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        timeout=60,
    )
    assert fin.returncode == 0, fin.stderr
    assert "Prêt à transmettre".encode("cp1252") in fin.stdout


# --- Messages (issue 10, point 9) ---------------------------------------------------------------


def _plat(texte: str) -> str:
    return " ".join(texte.replace("│", " ").split())


def test_valeur_calculee_d_une_formule_a_la_quebecoise(tmp_path):
    """« sa valeur calculée (12) », jamais « (12.0) »."""
    from tests.outils import modifier_membre

    chemin = classeur(tmp_path, "f.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 40})
    modifier_membre(
        chemin,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace('<c r="C14" s="', '<c r="C14" t="n" s="', 1).replace(
            "<v>40</v>", "<f>6*2</f><v>12</v>", 1
        ),
    )
    constats = [c for c in valider_fichier(chemin).constats if c.code == "formule-valeur"]
    assert len(constats) == 1 and "sa valeur calculée (12) est celle qui sera comptée" in (
        constats[0].message
    )


def test_rien_a_compiler_le_dit_une_fois_et_accorde_le_pluriel(tmp_path):
    dossier = tmp_path / "recus"
    dossier.mkdir()
    for i in range(21):
        (dossier / f"note{i:02d}.txt").write_text("texte", encoding="utf-8")
    resultat = runner.invoke(app, ["compiler", str(dossier), "-o", str(tmp_path / "o")])
    sortie = _plat(resultat.output)
    assert resultat.exit_code == 1
    assert "Rien à compiler : aucun des 21 fichiers lus" in sortie
    assert "aucune donnée à compiler" not in sortie
    assert "… et 1 autre : voir" in sortie and "1 autres" not in sortie


def test_compiler_un_fichier_dit_que_c_est_un_fichier(bon):
    resultat = runner.invoke(app, ["compiler", str(bon)])
    sortie = _plat(resultat.output)
    assert resultat.exit_code == 2
    assert "est un fichier, pas un dossier" in sortie and "introuvable" not in sortie
    assert "barometre valider" in sortie


def test_registre_aux_fins_de_ligne_mac_classique(tmp_path, bon):
    registre = tmp_path / "registre.csv"
    registre.write_bytes(b"code,nom,reseau\rORG1,Organisation un,\rORG2,Deux,\r")
    resultat = runner.invoke(app, ["compiler", str(bon.parent), "-r", str(registre), "-p", "2026",
                                   "-o", str(tmp_path / "o")])  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    assert "Erreur inattendue" not in resultat.output
    assert (
        "Réponse : 1 organisation ciblée sur 2 a transmis au moins un fichier (50,0 %) ; 1 est "
        "retenue, avec au moins une cible comptée (taux de réponse : 50,0 %)."
    ) in _plat(resultat.output)


@pytest.mark.skipif(subprocess.run(["which", "chattr"], capture_output=True).returncode != 0,
                    reason="chattr absent")  # fmt: skip
def test_annoter_dans_un_dossier_en_lecture_seule_garde_le_rapport(tmp_path):
    dossier = tmp_path / "lecture-seule"
    chemin = classeur(
        dossier, "f.xlsx", "1.1", {"c1_1_numerateur": "douze", "c1_1_denominateur": 4}
    )
    if subprocess.run(["chattr", "+i", str(dossier)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i refusé par ce système de fichiers")
    try:
        resultat = runner.invoke(app, ["valider", str(chemin), "--annoter"])
    finally:
        subprocess.run(["chattr", "-i", str(dossier)], check=True)
    sortie = _plat(resultat.output)
    assert resultat.exit_code == 1
    assert "Erreur inattendue" not in sortie
    assert "valeur-non-numerique" in sortie and "✘ 1 erreur à corriger" in sortie
    assert "copie annotée de « f.xlsx » impossible à écrire" in sortie
    assert not list(dossier.glob("*annote*"))


# --- Robustesse (issue 19) ---------------------------------------------------------------------

RACINE = Path(__file__).resolve().parents[1]


def test_annoter_refuse_une_feuille_demesuree_rangee_hors_de_xl_worksheets(tmp_path):
    """La feuille Instructions rangée sous xl/feuilles/ (le classeur le permet) : la limite des
    feuilles s'applique quand même, openpyxl ne la charge pas."""
    import io
    import random
    import string
    import zipfile

    chemin = classeur(tmp_path, "cache.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2})
    alea = random.Random(2)
    lignes = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>'
        + "".join(alea.choices(string.ascii_letters, k=800))
        + "</t></is></c></row>"
        for i in range(1, 7000)
    )
    source = zipfile.ZipFile(io.BytesIO(chemin.read_bytes()))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in source.infolist():
            donnees = source.read(info)
            nom = info.filename
            if nom == "xl/worksheets/sheet1.xml":
                texte = donnees.decode()
                donnees = (
                    texte[: texte.index("<sheetData>")]
                    + f"<sheetData>{lignes}</sheetData></worksheet>"
                ).encode()
                nom = "xl/feuilles/instructions.xml"
            elif nom in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                donnees = donnees.replace(b"worksheets/sheet1.xml", b"feuilles/instructions.xml")
            sortie.writestr(nom, donnees)
    chemin.write_bytes(tampon.getvalue())
    assert valider_fichier(chemin).lisible
    debut = time.perf_counter()
    resultat = runner.invoke(app, ["valider", str(chemin), "--annoter"])
    assert time.perf_counter() - debut < 10  # sans la limite : 68 s et 1,6 Go pour 16 Mo
    assert resultat.exit_code == 1
    texte = _plat(resultat.output)
    assert (
        "copie annotée de « cache.xlsx » impossible : la partie « xl/feuilles/instructions.xml »"
        in texte
    )
    assert not chemin.with_name("cache-annote.xlsx").exists()


def _valider_annoter_sans_place(chemin: Path, preparer=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "barometre_cli", "valider", "--annoter", str(chemin)],
        capture_output=True, text=True, cwd=RACINE, preexec_fn=preparer, timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(RACINE), "COLUMNS": "200"},
    )  # fmt: skip


def _sans_trace(fin: subprocess.CompletedProcess, chemin: Path) -> None:
    assert fin.returncode == 1, fin.stderr
    assert "Traceback" not in fin.stderr and "Exception ignored" not in fin.stderr, fin.stderr
    assert "copie annotée de « a.xlsx » impossible à écrire" in _plat(fin.stderr)
    assert "numerateur-superieur" in fin.stdout  # le rapport reste
    assert not list(chemin.parent.glob("*annote*")) and not list(chemin.parent.glob(".*tmp"))


def test_annoter_sur_un_disque_plein_sans_trace(tmp_path):
    """Un vrai disque plein (tmpfs de 256 Ko rempli) : le message en français, sans trace."""
    import os

    point = tmp_path / "disque"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)],
                      capture_output=True).returncode != 0:  # fmt: skip
        pytest.skip("monter un tmpfs demande les droits d'administration")
    try:
        chemin = classeur(point, "a.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2})
        libre = os.statvfs(point)
        (point / "remplissage").write_bytes(b"\0" * (libre.f_bavail * libre.f_frsize - 2048))
        _sans_trace(_valider_annoter_sans_place(chemin), chemin)
    finally:
        subprocess.run(["umount", str(point)], check=True)


def test_annoter_quand_l_ecriture_echoue_en_chemin_sans_trace(tmp_path):
    """Sans droits d'administration : une limite de taille de fichier (RLIMIT_FSIZE) fait
    échouer l'écriture de la copie à mi-chemin, comme un disque qui se remplit."""
    import resource
    import signal

    chemin = classeur(tmp_path, "a.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2})

    def limiter() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    _sans_trace(_valider_annoter_sans_place(chemin, limiter), chemin)
