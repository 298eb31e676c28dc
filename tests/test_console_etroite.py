"""Le rapport de `compiler` dans une console de 80 colonnes : chaque titre se lit en entier."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from barometre_cli.catalogue import CIBLES
from barometre_cli.commandes import compiler
from barometre_cli.sorties.console import afficher_compilation
from tests.outils import classeur


@pytest.fixture(scope="module")
def compilation(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("recus")
    classeur(dossier, "a.xlsx", "1.1", {"c1_1_numerateur": 3, "c1_1_denominateur": 4})
    return compiler(dossier, sortie=tmp_path_factory.mktemp("sorties"), jobs=1)


@pytest.mark.parametrize("largeur", [80, 100, 160])
def test_titres_entiers_jamais_coupes(compilation, largeur):
    console = Console(width=largeur, file=io.StringIO(), color_system=None)
    afficher_compilation(console, compilation)
    sortie = console.file.getvalue()
    assert "…" not in sortie
    assert max(len(ligne) for ligne in sortie.splitlines()) <= largeur
    # Les mots de chaque titre, dans l'ordre, une fois les bordures du tableau retirées.
    cellules = [ligne.split("│") for ligne in sortie.splitlines() if ligne.startswith("│")]
    titres = " ".join(c[2].strip() for c in cellules if len(c) > 3)
    for cible in CIBLES:
        assert cible.titre in " ".join(titres.split()), cible.id
