"""Une seule réponse pour le répondant : la feuille qui se vérifie et `valider` d'accord.

Les classeurs de `tests/donnees/verdicts/` ont été tapés dans un vrai LibreOffice Calc réglé en
français (Canada), geste par geste (`tests/donnees/verdicts.py`) : Calc a recalculé la feuille
et gardé dans le fichier ce qu'elle affiche. Pour chacun, ce test lit le bilan en haut de la
feuille (« Prêt à transmettre », « 1 problème à corriger »…) et les messages à droite des
cellules, puis les compare au verdict et aux constats de `valider` : même verdict, mêmes
cellules. La feuille ne dit jamais « Prêt à transmettre » d'un fichier que `valider` refuse ;
quand elle ne peut pas tout vérifier (lignes insérées), elle renvoie à la vérification.
"""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from barometre_cli.gabarit.autocontrole import A_FAIRE_VERIFIER
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.verdicts import A_CONFIRMER, A_CORRIGER, CAS, DOSSIER, PRET
from tests.outils import verdicts_feuille, verdicts_valider

PAR_NOM = {cas.nom: cas for cas in CAS}


def _bilan(nom: str) -> str:
    return load_workbook(DOSSIER / f"{nom}.xlsx", data_only=True)["Saisie"]["B3"].value


def test_chaque_cas_a_son_classeur():
    assert sorted(p.stem for p in DOSSIER.glob("*.xlsx")) == sorted(PAR_NOM)


@pytest.mark.parametrize("nom", list(PAR_NOM))
def test_meme_verdict_que_valider(nom):
    """Le bilan calculé par Calc et le verdict de `valider`, pour ce fichier."""
    cas = PAR_NOM[nom]
    bilan = _bilan(nom)
    rapport = valider_fichier(DOSSIER / f"{nom}.xlsx")
    if cas.verdict == PRET:
        assert bilan.startswith("Prêt à transmettre"), bilan
        assert rapport.valide, rapport.constats
    elif cas.verdict == A_CORRIGER:
        assert "à corriger" in bilan and not bilan.startswith("Prêt"), bilan
        assert not rapport.valide
    else:
        assert cas.verdict == A_CONFIRMER
        assert bilan.startswith(A_FAIRE_VERIFIER), bilan
        codes = {c.code for c in rapport.constats}
        assert codes & {"lignes-inserees", "lignes-sous-le-tableau"}, codes
    # Jamais « Prêt » pour un fichier refusé, quel que soit le cas.
    assert rapport.valide or not bilan.startswith("Prêt"), bilan


@pytest.mark.parametrize("nom", list(PAR_NOM))
def test_memes_cellules_que_valider(nom):
    """Les cellules que la feuille signale, avec leur gravité, sont celles de `valider`,
    sauf dans des lignes insérées, que la feuille ne vérifie pas."""
    cas = PAR_NOM[nom]
    chemin = DOSSIER / f"{nom}.xlsx"
    feuille, valider = verdicts_feuille(chemin, cas.cible), verdicts_valider(chemin)
    if cas.verdict == A_CONFIRMER:
        assert feuille <= valider
    else:
        assert feuille == valider


def test_la_feuille_nomme_le_glissement():
    """« Pourcentage saisi », « Date ou heure saisie » : le message dit ce qui s'est passé et
    où aller (le format Standard), pas seulement « nombre entier attendu »."""
    messages = {
        nom: load_workbook(DOSSIER / f"{nom}.xlsx", data_only=True)["Saisie"][cellule].value
        for nom, cellule in [
            ("1.1-pourcentage", "D13"),
            ("1.1-pourcentage-990-rouvert", "D13"),
            ("1.1-date", "D14"),
            ("1.1-heure", "D13"),
        ]
    }
    assert messages["1.1-pourcentage"].startswith("Pourcentage saisi : format Standard")
    assert messages["1.1-pourcentage-990-rouvert"] == messages["1.1-pourcentage"]
    assert messages["1.1-date"].startswith("Date ou heure saisie : format Standard")
    assert messages["1.1-heure"] == messages["1.1-date"]


def test_le_message_de_valider_fait_sortir_d_un_fichier_rouvert():
    """Sur un fichier rouvert, Ctrl+Z ne défait plus rien et Suppr garde le format : le
    message donne la commande qui a marché dans Calc (cas « corrigé »), et celle d'Excel."""
    rapport = valider_fichier(DOSSIER / "1.1-pourcentage-990-rouvert.xlsx")
    message = rapport.constats[0].message
    assert "« 99\u00a0000\u00a0% »" in message and "Ctrl+Z" not in message
    assert "Effacer le formatage direct, ou Ctrl+M" in message
    assert "Accueil > Nombre > Standard" in message


def test_code_en_minuscules_lu_comme_au_registre():
    rapport = valider_fichier(DOSSIER / "1.1-code-minuscule.xlsx")
    assert [(c.code, c.severite.value, c.cellule) for c in rapport.constats] == [
        ("code-autre-casse", "info", "C5")
    ]
    assert "« ap14 » sera lu comme « AP14 »" in rapport.constats[0].message


def test_code_en_minuscules_compile_avec_l_exemple(tmp_path):
    """Le 1.1 d'AP14, code retapé « ap14 », compilé avec l'exemple livré : ses réponses de
    rétroaction comptent, sa fiche le liste, le journal montre le code du registre, AP14."""
    import csv

    from barometre_cli.commandes import compiler
    from tests.test_libreoffice_saisies import RACINE

    exemples = RACINE / "exemples"
    dossier = tmp_path / "classeurs"
    shutil.copytree(exemples / "classeurs", dossier)

    def compiler_dans(sortie: str):
        return compiler(
            dossier, registre=exemples / "registre.csv", periode="2026",
            sortie=tmp_path / sortie, avec=("fiches",),
        )  # fmt: skip

    avant = compiler_dans("avant").conso.retroaction.set_index("question")["reponses"]
    (dossier / "AP14").mkdir()
    shutil.copy(DOSSIER / "1.1-code-minuscule.xlsx", dossier / "AP14" / "1.1.xlsx")
    compilation = compiler_dans("apres")
    apres = compilation.conso.retroaction.set_index("question")["reponses"]
    assert (apres - avant).tolist() == [1, 1, 1]
    commentaires = compilation.conso.commentaires
    assert list(commentaires.loc[commentaires["code"] == "AP14", "fichier"]) == ["AP14/1.1.xlsx"]
    with open(tmp_path / "apres" / "journal.csv", encoding="utf-8-sig") as f:
        ligne = next(r for r in csv.DictReader(f) if r["fichier"] == "AP14/1.1.xlsx")
    assert (ligne["organisation_code"], ligne["statut"]) == ("AP14", "retenu")
    fiche = load_workbook(tmp_path / "apres" / "fiches" / "fiche-AP14.xlsx")["Fichiers"]
    assert "AP14/1.1.xlsx" in [c.value for c in fiche["A"]]
    organisations = compilation.conso.organisations.set_index(["code", "cible"])
    assert organisations.loc[("AP14", "1.1"), "resultat"] == pytest.approx(0.75)
