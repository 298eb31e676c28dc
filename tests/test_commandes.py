"""La bibliothèque sous la CLI : production des gabarits."""

from __future__ import annotations

import pytest

from barometre_cli.catalogue import cible
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import generer_gabarits

# 2. Deux codes, un même dossier ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "dossier"),
    [(("A B", "A_B"), "A_B"), (("abc", "ABC"), "abc"), (("X/1", "X:1"), "X_1")],
    ids=["espace-souligne", "casse", "caracteres-interdits"],
)
def test_gabarits_codes_en_collision_refuses_avant_toute_ecriture(tmp_path, codes, dossier):
    sortie = tmp_path / "gabarits"
    organisations = [Organisation(codes[0], "Une"), Organisation("Z9", "Autre"),
                     Organisation(codes[1], "Deux")]  # fmt: skip
    with pytest.raises(BarometreErreur) as erreur:
        generer_gabarits([cible("1.1"), cible("4.1")], sortie, "2026", organisations)
    message = str(erreur.value)
    assert f"« {codes[0]} » et « {codes[1]} » (dossier « {dossier} »)" in message
    assert "Z9" not in message
    assert "uniques" in message
    assert not sortie.exists()  # rien d'écrit, rien d'écrasé


def test_gabarits_codes_distincts_toujours_ecrits(tmp_path):
    organisations = [Organisation("A-B", "Une"), Organisation("A_B", "Deux")]
    ecrits = generer_gabarits([cible("1.1")], tmp_path, "2026", organisations)
    assert len({p.parent.name.casefold() for p in ecrits}) == 2
    assert all(p.is_file() for p in ecrits)
