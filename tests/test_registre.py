"""Le registre tel que les tableurs l'exportent, et ses erreurs nommées à la ligne près."""

from __future__ import annotations

import pytest

from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.domaine.registre import Organisation, lire_registre


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
        (b"code,nom\nA1,Un\nA2,Deux\nA1,Trois\n", "« A1 » figure deux fois (lignes 2 et 4)"),
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
        "D4\tMinistere, D\r\n".encode(),
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
