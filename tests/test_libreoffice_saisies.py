"""Des classeurs remplis dans un vrai LibreOffice Calc (fr-CA) comme une personne le fait :
saisir, trier, insérer ou supprimer des lignes, puis enregistrer en .xlsx et valider.

Chaque geste réel d'un répondant doit donner le bon chiffre, ou une erreur à sa cellule :
jamais un chiffre faux en silence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli.catalogue import PROCESSUS_5_2, STATUTS_5_2
from barometre_cli.validation import valider_fichier
from tests.donnees.libreoffice_uno import Calc, raison_indisponible

GABARITS = Path(__file__).resolve().parents[1] / "gabarits"

pytestmark = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)

IDENTIFICATION = {"C5": "MTQ01", "C6": "Ministère des Transports (fictif)", "C9": "2026"}


@pytest.fixture(scope="module")
def calc():
    with Calc() as c:
        yield c


def _identifier(doc) -> None:
    for cellule, texte in IDENTIFICATION.items():
        doc.taper("Saisie", cellule, texte)


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
