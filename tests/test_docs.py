"""La documentation publique suit le code : codes des constats, interface des gabarits, README."""

from __future__ import annotations

from pathlib import Path

from barometre_cli.domaine.constats import documentation_markdown
from barometre_cli.gabarit.classeur import documentation_interface

RACINE = Path(__file__).resolve().parents[1]


def test_codes_des_constats_a_jour():
    assert (RACINE / "docs" / "constats.md").read_text(
        encoding="utf-8"
    ) == documentation_markdown(), (
        "régénérez : python -m barometre_cli.domaine.constats > docs/constats.md"
    )


def test_interface_des_gabarits_a_jour():
    assert (RACINE / "docs" / "interface.md").read_text(
        encoding="utf-8"
    ) == documentation_interface(), (
        "régénérez : python -m barometre_cli.gabarit.classeur > docs/interface.md"
    )


def test_readme_donne_les_deux_commandes():
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install . && barometre compiler exemples/classeurs" in readme
    assert "python -m pip install -e '.[test]' && python -m pytest" in readme
    ci = (RACINE / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -q -e '.[test]'" in ci and "python -m pytest" in ci
