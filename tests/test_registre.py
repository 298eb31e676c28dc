"""Le registre tel que les tableurs l'exportent, et ses erreurs nommées à la ligne près."""

from __future__ import annotations

import pytest

from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.domaine.registre import Organisation, courriel_plausible, lire_registre
from tests import hostiles_robustesse as hostiles


@pytest.mark.parametrize(
    ("octets", "attendu"),
    [
        (
            b"code,nom,reseau\nA1,Agence A,Administration publique\n",
            [Organisation("A1", "Agence A", "Administration publique")],
        ),
        (
            "\ufeffcode;nom;reseau\nB2;Cégep B;Éducation et enseignement supérieur\n".encode(),
            [Organisation("B2", "Cégep B", "Éducation et enseignement supérieur")],
        ),
        (
            "code;nom;réseau\r\nC3;Hôpital C;santé et services sociaux\r\n\r\n".encode("cp1252"),
            [Organisation("C3", "Hôpital C", "Santé et services sociaux")],
        ),
        (b'Code,Nom\nD4,"Ministere, D"\n', [Organisation("D4", "Ministere, D", "")]),
    ],
    ids=["virgule", "point-virgule-bom", "windows-1252", "sans-reseau-guillemets"],
)
def test_formats_acceptes(tmp_path, octets, attendu):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(octets)
    assert lire_registre(chemin) == attendu


@pytest.mark.parametrize(
    ("octets", "extrait"),
    [
        (b"nom,reseau\nA,Administration publique\n", "n'a pas de colonne « code »"),
        (
            b"code,nom\nA1,Un\nA2,Deux\nA1,Trois\n",
            "ligne 4 : le code « A1 » figure déjà à la ligne 2",
        ),
        (b"code,nom,reseau\nA1,Un,Municipal\n", "ligne 2 : réseau « Municipal » inconnu"),
        (b"code,nom\n,Sans code\n", "ligne 2 : le code de l'organisation est vide"),
        (b"", "est vide"),
        (b"PK\x03\x04binaire", "n'est pas un fichier CSV"),
    ],
    ids=["sans-code", "doublon", "reseau-inconnu", "code-vide", "vide", "classeur"],
)
def test_erreurs_claires(tmp_path, octets, extrait):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(octets)
    with pytest.raises(BarometreErreur) as exc:
        lire_registre(chemin)
    assert extrait in str(exc.value)


def test_fichier_absent(tmp_path):
    with pytest.raises(BarometreErreur, match="Impossible de lire le registre"):
        lire_registre(tmp_path / "absent.csv")


def test_colonnes_de_contact_facultatives(tmp_path):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(
        "code;nom;reseau;contact_nom;contact_courriel\n"
        "A1;Agence A;Administration publique;Julie Côté;julie.cote@a1.exemple.ca\n"
        "B2;Bureau B;Administration publique;;\n".encode()
    )
    assert lire_registre(chemin) == [
        Organisation("A1", "Agence A", "Administration publique", "Julie Côté",
                     "julie.cote@a1.exemple.ca"),
        Organisation("B2", "Bureau B", "Administration publique"),
    ]  # fmt: skip


def test_courriel_de_contact_invalide_nomme_la_ligne(tmp_path):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(
        b"code,nom,contact_nom,contact_courriel\nA1,Un,Jean,jean@a1.exemple.ca\n"
        b"A2,Deux,Marie,marie.tremblay\n"
    )
    with pytest.raises(BarometreErreur) as exc:
        lire_registre(chemin)
    assert str(exc.value) == (
        "Registre « registre.csv », ligne 3, colonne contact_courriel : « marie.tremblay » "
        "n'est pas une adresse courriel. Corrigez-la, ou videz la case : la personne répondante "
        "nommée dans les classeurs de l'organisation sera alors utilisée pour les relances."
    )


# 1. Registre séparé par des tabulations ------------------------------------------------------


@pytest.mark.parametrize(
    "octets",
    [
        b"code\tnom\treseau\nA1\tAgence A\tAdministration publique\nD4\tMinistere, D\t\n",
        "\ufeffCode\tNom\tRéseau\r\nA1\tAgence A\tadministration publique\r\n"
        "D4\tMinistere, D\t\r\n".encode(),
    ],
    ids=["tabulations", "tabulations-bom-crlf"],
)
def test_registre_a_tabulations(tmp_path, octets):
    chemin = tmp_path / "registre.txt"
    chemin.write_bytes(octets)
    assert lire_registre(chemin) == [
        Organisation("A1", "Agence A", "Administration publique"),
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


# 2. Lu sans indulgence (issue 19) ------------------------------------------------------------


@pytest.mark.parametrize("nom", list(hostiles.registres_hostiles()))
def test_registre_hostile_refuse_en_nommant_la_ligne(tmp_path, nom):
    octets, endroit = hostiles.registres_hostiles()[nom]
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(octets)
    with pytest.raises(BarometreErreur) as exc:
        lire_registre(chemin)
    message = str(exc.value)
    assert message.startswith("Registre « registre.csv »") and endroit in message
    assert "\n" not in message and "\u202e" not in message


def test_guillemet_isole_ne_perd_aucune_organisation(tmp_path):
    """Le piège de la revue : un guillemet au début du nom d'AP04 ne doit pas faire lire 4
    organisations au lieu de 40 ; il arrête la lecture en nommant la ligne 5 et quoi faire."""
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(hostiles.registre_guillemet_isole())
    with pytest.raises(BarometreErreur) as exc:
        lire_registre(chemin)
    assert str(exc.value) == (
        'Registre « registre.csv », ligne 5 : le champ 2 commence par un guillemet (") qui '
        "n'est jamais refermé : tout le reste du fichier serait lu comme un seul champ. "
        "Retirez ce guillemet, ou fermez-le à la fin du champ. Corrigez le registre (ou "
        "réenregistrez-le depuis votre tableur au format « CSV »), puis relancez : rien n'a "
        "été écrit."
    )


def test_texte_unicode_d_excel_accepte(tmp_path):
    """« Texte Unicode » d'Excel : UTF-16 avec BOM, tabulations ; les 40 organisations."""
    chemin = tmp_path / "registre.txt"
    chemin.write_bytes(hostiles.registre_texte_unicode(hostiles.registre_exemple()))
    utf8 = tmp_path / "registre.csv"
    utf8.write_bytes(hostiles.registre_exemple())
    assert lire_registre(chemin) == lire_registre(utf8)
    assert len(lire_registre(chemin)) == 40


def test_champs_entre_guillemets_comme_excel_les_ecrit(tmp_path):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(
        b'code;nom;reseau\r\n"AP01";"Bureau du ""Nord""; Est";Administration publique\r\n'
        b";;\r\n"  # une ligne faite de séparateurs, comme Excel en laisse à la fin
    )
    assert lire_registre(chemin) == [
        Organisation("AP01", 'Bureau du "Nord"; Est', "Administration publique")
    ]


def test_une_seule_colonne_permise(tmp_path):
    chemin = tmp_path / "registre.csv"
    chemin.write_bytes(b'code\nAP01\n"AP;02"\n')
    assert [o.code for o in lire_registre(chemin)] == ["AP01", "AP;02"]


@pytest.mark.parametrize(
    ("adresse", "plausible"),
    [
        ("julie.tremblay@ap01.exemple.gouv.qc.ca", True),
        ("a@b.cd", True),
        ("a@b.c", False),
        ("a@.cd", False),
        ("@b.cd", False),
        ("a@b@c.cd", False),
        ("a b@c.cd", False),
        ("a@b.cd\n", False),
        ("a" * 245 + "@b.cd", True),  # 251 caractères
        ("a" * 250 + "@b.cd", False),  # 256 : au-delà des 254 de la RFC 5321
        (hostiles.courriel_qui_fait_reculer(900_000), False),  # jugée sans retour arrière
    ],
)
def test_courriel_plausible(adresse, plausible):
    assert courriel_plausible(adresse) is plausible


# 3. De bout en bout ----------------------------------------------------------------------------


def test_compiler_registre_au_guillemet_isole_code_2_rien_ecrit(tmp_path):
    """À côté de l'exemple livré, le registre au guillemet isolé : code 2, la ligne nommée,
    aucune sortie écrite (pas même le dossier)."""
    from typer.testing import CliRunner

    from barometre_cli.cli import app

    registre = tmp_path / "registre.csv"
    registre.write_bytes(hostiles.registre_guillemet_isole())
    sortie = tmp_path / "resultats"
    classeurs = hostiles.RACINE / "exemples" / "classeurs"
    arguments = ["compiler", str(classeurs), "-r", str(registre), "-p", "2026", "-o", str(sortie)]
    resultat = CliRunner().invoke(app, arguments)
    assert resultat.exit_code == 2, resultat.output
    texte = " ".join(resultat.output.split())
    assert "Registre « registre.csv », ligne 5 : le champ 2 commence par un guillemet" in texte
    assert "Traceback" not in resultat.output
    assert not sortie.exists()


def test_console_dit_combien_d_organisations_compte_le_registre(tmp_path):
    from typer.testing import CliRunner

    from barometre_cli.cli import app

    sortie = tmp_path / "resultats"
    classeurs = hostiles.RACINE / "exemples" / "classeurs"
    arguments = ["compiler", str(classeurs), "-r", str(hostiles.REGISTRE_EXEMPLE), "-p", "2026"]
    resultat = CliRunner().invoke(app, [*arguments, "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    assert "Registre : 40 organisations ciblées." in resultat.output.splitlines()
