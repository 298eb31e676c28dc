"""Des classeurs remplis dans un vrai LibreOffice Calc (fr-CA) comme une personne le fait :
saisir, trier, insérer ou supprimer des lignes, puis enregistrer en .xlsx et valider.

Chaque geste réel d'un répondant doit donner le bon chiffre, ou une erreur à sa cellule :
jamais un chiffre faux en silence. Les `libreoffice-saisie-*.xlsx` de `tests/donnees/` ont été
faits ainsi (`python -m tests.donnees.fabriquer --saisies`) : leurs tests tournent sans
LibreOffice ; ceux qui pilotent Calc sont sautés sans le banc UNO.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli.catalogue import PROCESSUS_5_2, STATUTS_5_2
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.libreoffice_uno import raison_indisponible

RACINE = Path(__file__).resolve().parents[1]
GABARITS = RACINE / "gabarits"
DONNEES = RACINE / "tests" / "donnees"

#: pour les tests qui pilotent Calc ; les classeurs committés se lisent sans lui
banc_uno = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)

IDENTIFICATION = {"C5": "MTQ01", "C6": "Ministère des Transports (fictif)", "C9": "2026"}


def _identifier(doc) -> None:
    for cellule, texte in IDENTIFICATION.items():
        doc.taper("Saisie", cellule, texte)


@banc_uno
def test_5_2_triee_dans_calc_se_lit_par_nom(calc, tmp_path):
    """Déprotéger, trier la liste par statut, enregistrer : chaque statut reste à son processus."""
    statuts = [STATUTS_5_2[k % 4] for k in range(12)]  # 3 processus de chaque statut
    with calc.ouvrir(GABARITS / "barometre-cible-5.2.xlsx") as doc:
        _identifier(doc)
        for k, statut in enumerate(statuts):
            doc.taper("Saisie", f"C{14 + k}", statut)
        doc.deproteger("Saisie")
        doc.trier("Saisie", "A14:C25", "C")
        trie = [doc.texte_affiche("Saisie", f"B{14 + k}") for k in range(12)]
        doc.enregistrer_xlsx(tmp_path / "trie.xlsx")
    assert trie != [p.nom for p in PROCESSUS_5_2]  # la liste a bien changé d'ordre
    rapport = valider_fichier(tmp_path / "trie.xlsx")
    assert rapport.valide, rapport.constats
    assert rapport.saisies["5.2"].statuts == tuple(statuts)
    assert (rapport.resultats[0].numerateur, rapport.resultats[0].denominateur) == (3, 12)


# --- Classeurs committés : ce que Calc fr-CA enregistre vraiment -------------------------------


def _constats(nom: str) -> list[tuple[str, str, str]]:
    return [(c.code, c.severite.value, c.cellule) for c in valider_fichier(DONNEES / nom).constats]


@pytest.mark.usefixtures("moteur_xml")
def test_date_tapee_au_denominateur_est_une_erreur_a_sa_cellule():
    """« 2019-06-03 » tapé dans une cellule Standard : Calc range 43619 au format yyyy/mm/dd."""
    rapport = valider_fichier(DONNEES / "libreoffice-saisie-1.1-date.xlsx")
    assert [(c.code, c.cellule) for c in rapport.constats] == [("date-dans-nombre", "C14")]
    assert "« 2019-06-03 »" in rapport.constats[0].message
    assert "1.1" not in rapport.saisies and rapport.resultats == []


@pytest.mark.usefixtures("moteur_xml")
def test_pourcentage_et_heure_tapes_dans_les_denombrements():
    rapport = valider_fichier(DONNEES / "libreoffice-saisie-1.1-pourcentage-heure.xlsx")
    assert _constats("libreoffice-saisie-1.1-pourcentage-heure.xlsx") == [
        ("pourcentage-dans-nombre", "erreur", "C13"),
        ("date-dans-nombre", "erreur", "C14"),
    ]
    assert "« 80\u00a0% »" in rapport.constats[0].message  # pas « 0,8 », pas « 1 »
    assert "« 08:30 »" in rapport.constats[1].message


def test_date_compilee_a_cote_de_l_exemple_ne_change_pas_le_resultat(tmp_path):
    """Le 1.1 d'AP14 (rempli dans Calc, une date au dénominateur) compilé avec l'exemple livré :
    il est rejeté à sa cellule et le résultat gouvernemental de 1.1 reste celui d'avant."""
    import shutil

    from barometre_cli.commandes import compiler

    exemples = RACINE / "exemples"
    dossier = tmp_path / "classeurs"
    shutil.copytree(exemples / "classeurs", dossier)

    def ligne_1_1(sortie: str) -> dict:
        compilation = compiler(
            dossier, registre=exemples / "registre.csv", periode="2026", sortie=tmp_path / sortie
        )
        table = compilation.conso.resultats
        ligne = table[(table["portee"] == "ensemble") & (table["cible"] == "1.1")]
        return ligne.iloc[0].to_dict() | {"journal": compilation.collecte.journal}

    sans = ligne_1_1("sans")
    (dossier / "AP14").mkdir()
    shutil.copy(DONNEES / "libreoffice-saisie-1.1-date.xlsx", dossier / "AP14" / "1.1.xlsx")
    avec = ligne_1_1("avec")
    entree = next(e for e in avec.pop("journal") if e.fichier.endswith("1.1.xlsx"))
    assert [(c.code, c.cellule) for c in entree.constats] == [("date-dans-nombre", "C14")]
    assert entree.cibles_retenues == []
    sans.pop("journal")
    assert avec == sans


@pytest.mark.usefixtures("moteur_xml")
def test_ligne_supprimee_du_tableau_apres_deprotection():
    """Calc écrit une `<row r="1048576">` vide et déclare A1:Z1048576 : ce ne sont pas des
    données ; le fichier se lit, avec les deux services qui restent."""
    nom = "libreoffice-saisie-5.1-ligne-supprimee.xlsx"
    rapport = valider_fichier(DONNEES / nom)
    assert rapport.valide and rapport.constats == []
    assert [s.nom for s in rapport.saisies["5.1"].services] == ["A", "C"]
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(2, 2)]


@pytest.mark.parametrize(
    ("nom", "services", "compte"),
    [
        ("libreoffice-saisie-5.1-sous-le-tableau.xlsx", ["A", "B", "C"], (3, 3)),
        (
            "libreoffice-saisie-5.1-lignes-sous-la-derniere.xlsx",
            [f"Service {k}" for k in range(1, 301)] + ["Permis", "Chasse"],
            (2, 302),
        ),
    ],
    ids=["tapes-dessous", "lignes-inserees-dessous"],
)
@pytest.mark.usefixtures("moteur_xml")
def test_services_sous_le_tableau_de_300_lignes(nom, services, compte):
    """Tapés juste sous le tableau, ou dans des lignes insérées sous sa dernière ligne : lus,
    et un avertissement dit que la feuille, elle, ne les compte pas."""
    rapport = valider_fichier(DONNEES / nom)
    assert _constats(nom) == [("lignes-sous-le-tableau", "avertissement", "B320")]
    assert "Les lignes 320 et 321" in rapport.constats[0].message
    assert [s.nom for s in rapport.saisies["5.1"].services] == services
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [compte]


@banc_uno
@pytest.mark.parametrize("saisie", ["2019-06-03", "2026-03-04", "3 juin 2019"])
def test_la_date_du_message_est_celle_que_calc_affiche(calc, tmp_path, saisie):
    """Tapée dans Calc fr-CA : le message montre la date telle que la cellule l'affiche."""
    with calc.ouvrir(GABARITS / "barometre-cible-1.1.xlsx") as doc:
        _identifier(doc)
        doc.taper("Saisie", "C13", "3")
        doc.taper("Saisie", "C14", saisie)
        affiche = doc.texte_affiche("Saisie", "C14")
        sortie = doc.enregistrer_xlsx(tmp_path / "date.xlsx")
    rapport = valider_fichier(sortie)
    assert [(c.code, c.cellule) for c in rapport.constats] == [("date-dans-nombre", "C14")]
    assert f"« {affiche} »" in rapport.constats[0].message


@pytest.mark.usefixtures("moteur_xml")
def test_6700_lignes_inserees_dans_le_tableau_se_lisent():
    """Issue 19 : 6 700 lignes insérées à l'intérieur du tableau de 5.1 dans Calc (7 000 lignes,
    21 000 cellules) : lu comme un tableau, ni « plage supprimée ou invalide », ni « très loin
    de la zone du gabarit »."""
    rapport = valider_fichier(DONNEES / "libreoffice-saisie-5.1-6700-lignes-inserees.xlsx")
    # Seule l'info des lignes insérées (la feuille ne vérifie pas ces lignes ; issue 18).
    assert [(c.code, c.cellule) for c in rapport.constats] == [("lignes-inserees", "B20")]
    assert [s.nom for s in rapport.saisies["5.1"].services] == ["Permis", "Chasse", "Pêche"]
    assert [(r.numerateur, r.denominateur) for r in rapport.resultats] == [(2, 3)]
