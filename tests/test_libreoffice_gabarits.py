"""Les gabarits remplis dans un vrai Calc fr-CA : la feuille se vérifie comme `valider`.

Une personne tape ses valeurs (`.uno:EnterString`, analysé en fr-CA), erreurs comprises, ou les
colle ; Calc recalcule et enregistre en .xlsx. Sur le même fichier enregistré, les cellules que
la feuille signale (messages à droite des saisies) doivent être celles que `valider` signale,
avec la même gravité. Aussi : les lignes insérées dans un tableau comptent dans le résultat,
et les nombres du sommaire s'affichent groupés par milliers. Un seul Calc pour la séance.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from barometre_cli.calculs.tableau import LIGNES_INSEREES
from barometre_cli.gabarit.autocontrole import A_FAIRE_VERIFIER
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.libreoffice_uno import raison_indisponible
from tests.outils import classeur, verdicts_feuille, verdicts_valider

RACINE = Path(__file__).resolve().parents[1]
GABARITS = RACINE / "gabarits"

pytestmark = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)

#: Les espaces que Calc peut mettre entre les milliers ou devant « % ».
ESPACE = "[ \u00a0\u202f]"


IDENTITE = [("C5", "ORG1"), ("C6", "Organisation un"), ("C9", "2026")]

#: (cible, saisies tapées, saisies collées) : des erreurs qu'une personne fait vraiment.
CAS = {
    "1.1-texte": ("1.1", [("C13", "douze"), ("C14", "4")], []),
    "1.1-decimal": ("1.1", [("C13", "3,5"), ("C14", "4")], []),
    "1.1-numerateur": ("1.1", [("C13", "5"), ("C14", "4")], []),
    "1.1-colle": ("1.1", [("C14", "4")], [("C13", "abc")]),
    "4.1": ("4.1", [("C13", "Peut-être"), ("C14", "oui")], []),
    "5.2": (
        "5.2",
        [("C14", "Sans papier de bout en bout"), ("C15", "Inexistant dans l’organisation")]
        + [("C16", "En cours")]
        + [(f"C{ligne}", "Papier de bout en bout") for ligne in range(17, 25)],
        [],
    ),
    "5.1": (
        "5.1",
        [
            (f"{col}{20 + i}", v)
            for i, rang in enumerate(
                [
                    ("Permis", "91", "100"),
                    ("Chasse", "douze", "4"),
                    ("Pêche", "1,5", "3"),
                    ("Immatriculation", "80", "70"),
                    ("Vignette", "5", ""),
                    ("permis", "1", "2"),
                    ("Zéro", "0", "0"),
                    ("Collé", "", "10"),
                ]
            )
            for col, v in zip("BCD", rang, strict=True)
            if v
        ],
        [("C27", "1 000 000 000 000")],
    ),
    "6.1": (
        "6.1",
        [
            (f"{col}{20 + i}", v)
            for i, rang in enumerate(
                [
                    ("Permis", "60", "Oui"),
                    ("Contrats", "70", "Peut-être"),
                    ("Routes", "", "Non"),
                    ("Écoles", "45", ""),
                    ("permis", "60", "Oui"),
                ]
            )
            for col, v in zip("BCD", rang, strict=True)
            if v
        ],
        [("C22", "150")],
    ),
}


@pytest.fixture(scope="module")
def remplis(calc, tmp_path_factory) -> dict[str, Path]:
    """Chaque cas tapé dans Calc, recalculé et enregistré en .xlsx."""
    dossier = tmp_path_factory.mktemp("remplis")
    chemins = {}
    for nom, (id_, tapees, collees) in CAS.items():
        with calc.ouvrir(GABARITS / f"barometre-cible-{id_}.xlsx") as doc:
            for cellule, texte in IDENTITE + tapees:
                doc.taper("Saisie", cellule, texte)
            for cellule, texte in collees:
                doc.coller_texte("Saisie", cellule, texte)
            doc.recalculer()
            chemins[nom] = doc.enregistrer_xlsx(dossier / f"{nom}.xlsx")
    return chemins


@pytest.mark.parametrize("nom", list(CAS))
def test_la_feuille_signale_les_memes_cellules_que_valider(remplis, nom):
    id_ = CAS[nom][0]
    feuille = verdicts_feuille(remplis[nom], id_)
    assert feuille, "aucun problème signalé par la feuille"
    assert feuille == verdicts_valider(remplis[nom])


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("1.1-texte", "1 problème à corriger"),
        ("5.2", "1 problème à corriger, 1 cellule à remplir"),
        ("6.1", "2 problèmes à corriger ; 2 points à vérifier"),
    ],
)
def test_bilan_en_haut_de_la_feuille(remplis, nom, attendu):
    bilan = load_workbook(remplis[nom], data_only=True)["Saisie"]["B3"].value
    assert bilan.startswith(attendu), bilan


def test_feuille_prete_et_proportion_lisible(calc, tmp_path):
    """Un 1.1 juste : « Prêt à transmettre », et 75,0 % affiché, avant et après l'envoi."""
    with calc.ouvrir(GABARITS / "barometre-cible-1.1.xlsx") as doc:
        for cellule, texte in [*IDENTITE, ("C13", "3"), ("C14", "4")]:
            doc.taper("Saisie", cellule, texte)
        doc.recalculer()
        assert doc.texte_affiche("Saisie", "B3") == "Prêt à transmettre"
        sortie = doc.enregistrer_xlsx(tmp_path / "pret.xlsx")
    with calc.ouvrir(sortie) as doc:
        assert re.fullmatch(f"75,0{ESPACE}%", doc.texte_affiche("Saisie", "C17"))
        assert re.fullmatch(f"75{ESPACE}%", doc.texte_affiche("Saisie", "C18"))
        assert re.fullmatch(f"100{ESPACE}%", doc.texte_affiche("Saisie", "C19"))
    assert valider_fichier(sortie).valide


def test_lignes_inserees_dans_le_tableau_comptent(calc, tmp_path):
    """Insérer des lignes dans le tableau (protection ôtée, contre les instructions) : le nom
    défini grandit, le résultat de la feuille les compte comme `valider` ; la feuille, qui ne
    vérifie pas ces lignes (ni formules ni messages), ne se dit pas prête : elle renvoie à la
    vérification du fichier, et `valider` le dit par une info."""
    with calc.ouvrir(GABARITS / "barometre-cible-5.1.xlsx") as doc:
        for cellule, texte in IDENTITE:
            doc.taper("Saisie", cellule, texte)
        for ligne, (nom, num, tot) in enumerate([("A", "90", "100"), ("B", "10", "100")], 20):
            for col, v in zip("BCD", (nom, num, tot), strict=True):
                doc.taper("Saisie", f"{col}{ligne}", v)
        doc.recalculer()
        assert doc.texte_affiche("Saisie", "C16").startswith("50,0")
        doc.deproteger("Saisie")
        doc.inserer_lignes("Saisie", 21, 2)  # à l'intérieur du tableau
        doc.inserer_lignes("Saisie", 321, 1)  # au-dessus de sa dernière ligne (319 + 2)
        for ligne, (nom, num, tot) in [(21, ("C", "99", "100")), (321, ("D", "80", "100"))]:
            for col, v in zip("BCD", (nom, num, tot), strict=True):
                doc.taper("Saisie", f"{col}{ligne}", v)
        doc.recalculer()
        assert doc.texte_affiche("Saisie", "C14") == "4"  # services inscrits
        assert doc.texte_affiche("Saisie", "C15") == "3"  # A, C et D dépassent 75 %
        assert re.fullmatch(f"75,0{ESPACE}%", doc.texte_affiche("Saisie", "C16"))
        assert doc.texte_affiche("Saisie", "B3") == A_FAIRE_VERIFIER
        court = LIGNES_INSEREES.court
        assert doc.texte_affiche("Saisie", "G20") == f"Service : {court[0].lower()}{court[1:]}"
        sortie = doc.enregistrer_xlsx(tmp_path / "insere.xlsx")
    rapport = valider_fichier(sortie)
    assert rapport.valide, rapport.constats
    assert [(c.code, c.cellule) for c in rapport.constats] == [("lignes-inserees", "B20")]
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(3, 4)]


def test_comptes_du_sommaire_groupes_par_milliers(calc, tmp_path):
    from barometre_cli.commandes import compiler

    services = [["Permis", 28505123, 30000000], ["Chasse", 514000, 600000]]
    classeur(tmp_path / "recus", "a.xlsx", "5.1", {"c5_1_services": services})
    classeur(tmp_path / "recus", "b.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4})
    compiler(tmp_path / "recus", sortie=tmp_path / "sorties", jobs=1)
    with calc.ouvrir(tmp_path / "sorties" / "sommaire.xlsx") as doc:
        detail = [doc.texte_affiche("5.1 Services", f"{c}2") for c in "DE"]
        assert [re.sub(ESPACE, " ", t) for t in detail] == ["28 505 123", "30 000 000"]
        assert re.sub(ESPACE, " ", doc.texte_affiche("5.1 Services", "D3")) == "514 000"
        assert re.fullmatch(f"95,0{ESPACE}%", doc.texte_affiche("5.1 Services", "F2"))
        # Le journal, écrit en XML à part (sorties.xlsx._journal), se lit dans Calc.
        journal = [[doc.texte_affiche("Journal", f"{c}{n}") for c in "ABHI"] for n in (2, 3)]
        assert journal == [
            ["a.xlsx", "retenu", "2026-03-01 12:00", "0"],
            ["b.xlsx", "retenu", "2026-03-01 12:00", "0"],
        ]
        resultats = {doc.texte_affiche("Sommaire", f"A{n}"): n for n in range(7, 17)}
        ligne = resultats["1.1"]
        assert re.fullmatch(f"75,0{ESPACE}%", doc.texte_affiche("Sommaire", f"D{ligne}"))


@pytest.mark.parametrize(
    ("id_", "saisies"),
    [
        ("1.1", [("C13", "3"), ("C14", "4")]),
        ("6.1", [("B20", "Jeu"), ("C20", "douze"), ("D20", "Peut-être")]),
    ],
)
def test_impression_sans_texte_coupe(calc, tmp_path, id_, saisies):
    """Imprimée (PDF de Calc), la feuille montre le nom et le courriel en entier, et le
    message le plus long d'une ligne de tableau jusqu'au bout : ils passent à la ligne au lieu
    d'être coupés par la cellule voisine ou par le bord de la page."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (poppler-utils)")
    nom = "Ministère de l'Économie — Direction générale des services numériques aux entreprises"
    courriel = "marie-eve.tremblay-gagnon@economie-innovation-energie.gouv.qc.ca"
    with calc.ouvrir(GABARITS / f"barometre-cible-{id_}.xlsx") as doc:
        for cellule, texte in [("C5", "ECO01"), ("C6", nom), ("C8", courriel), ("C9", "2026")]:
            doc.taper("Saisie", cellule, texte)
        for cellule, texte in saisies:
            doc.taper("Saisie", cellule, texte)
        doc.recalculer()
        message = doc.texte_affiche("Saisie", "G20") if id_ == "6.1" else ""
        doc.exporter_pdf(tmp_path / "saisie.pdf")
    texte = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "saisie.pdf"), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    plat = " ".join(texte.split())
    assert "services numériques aux entreprises" in plat
    assert courriel in plat.replace(" ", "")
    if message:
        assert message.endswith("choisissez Oui ou Non dans la liste.")
        fin = "Diffusé : choisissez Oui ou Non dans la liste."
        assert fin in plat or fin.replace(" ; ", " ") in plat, message
