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

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.base import verifications_saisie
from barometre_cli.catalogue import IDENTIFICATION, cible
from barometre_cli.domaine.constats import Severite
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.libreoffice_uno import raison_indisponible
from tests.outils import classeur

RACINE = Path(__file__).resolve().parents[1]
GABARITS = RACINE / "gabarits"

pytestmark = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)

#: Les espaces que Calc peut mettre entre les milliers ou devant « % ».
ESPACE = "[ \u00a0\u202f]"


def _nature_des_messages(id_: str) -> dict[str, bool]:
    """Message affiché → grave (erreur pour `valider`) ; en tête de phrase ou après « : »."""
    c = cible(id_)
    verifs = list(type_calcul(c).verifications(c))
    for champ in IDENTIFICATION:
        verifs += verifications_saisie(champ.nom, champ.type, champ.obligatoire)
    natures = {}
    for v in verifs:
        natures[v.message] = v.grave
        natures[v.message[0].lower() + v.message[1:]] = v.grave
    return natures


def _verdicts_feuille(chemin: Path, id_: str) -> set[tuple[str, bool]]:
    """(cellule, grave) de chaque saisie que la feuille enregistrée par Calc signale."""
    c = cible(id_)
    natures = _nature_des_messages(id_)
    saisie = load_workbook(chemin, data_only=True)["Saisie"]
    formules = load_workbook(chemin)["Saisie"]
    tableau = c.champs[0].colonnes
    colonne_message = "G" if tableau else "D"
    lettres = {col.nom_court: "BCD"[j] for j, col in enumerate(tableau)}
    verdicts = set()
    for ligne in range(5, saisie.max_row + 1):
        if formules[f"{colonne_message}{ligne}"].data_type != "f":
            continue  # un titre ou une note, pas un message
        texte = saisie[f"{colonne_message}{ligne}"].value
        if not texte or not isinstance(texte, str):
            continue
        if tableau and ligne >= 20:
            for morceau in texte.split(" ; "):
                libelle, message = morceau.split(" : ", 1)
                verdicts.add((f"{lettres[libelle]}{ligne}", natures[message]))
        else:
            verdicts.add((f"C{ligne}", natures[texte]))
    return verdicts


def _verdicts_valider(chemin: Path) -> set[tuple[str, bool]]:
    """(cellule, grave) du constat le plus grave de `valider` à chaque cellule : la feuille
    ne montre qu'un message par cellule, le plus grave (une erreur passe avant un « à
    vérifier » de la même cellule, comme un nombre au-delà du maximum qui dépasse aussi le
    total de sa ligne)."""
    rapport = valider_fichier(chemin)
    graves: dict[str, bool] = {}
    for k in rapport.constats:
        if k.severite is not Severite.INFO and k.feuille == "Saisie":
            graves[k.cellule] = graves.get(k.cellule, False) or k.severite is Severite.ERREUR
    return set(graves.items())


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
    feuille = _verdicts_feuille(remplis[nom], id_)
    assert feuille, "aucun problème signalé par la feuille"
    assert feuille == _verdicts_valider(remplis[nom])


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
    """Insérer des lignes dans le tableau (protection ôtée) : le nom défini grandit, et le
    résultat de la feuille les compte comme `valider`."""
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
        assert doc.texte_affiche("Saisie", "B3") == "Prêt à transmettre"
        sortie = doc.enregistrer_xlsx(tmp_path / "insere.xlsx")
    rapport = valider_fichier(sortie)
    assert rapport.valide, rapport.constats
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
