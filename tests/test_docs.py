"""La documentation publique suit le code : codes des constats, interface des gabarits, README,
et tout fichier dérivé (`python -m barometre_cli.regenerer --verifier`)."""

from __future__ import annotations

from pathlib import Path

from barometre_cli import regenerer
from barometre_cli.domaine.constats import CODES, documentation_markdown
from barometre_cli.gabarit.classeur import documentation_interface

RACINE = Path(__file__).resolve().parents[1]


def test_codes_des_constats_a_jour():
    regenerer.modules_des_constats()
    assert (RACINE / "docs" / "constats.md").read_text(
        encoding="utf-8"
    ) == documentation_markdown(), "régénérez : python -m barometre_cli.regenerer"


def test_chaque_code_a_un_sens_et_un_message():
    """Un code est défini une fois, avec son sens ; sa phrase vient du modèle ou du refus."""
    regenerer.modules_des_constats()
    assert len(CODES) > 60
    for code in CODES.values():
        assert code.sens and code.famille, code.code
        assert code.message or code.famille == "lecture", code.code


def test_interface_des_gabarits_a_jour():
    assert (RACINE / "docs" / "interface.md").read_text(
        encoding="utf-8"
    ) == documentation_interface(), "régénérez : python -m barometre_cli.regenerer"


def test_fichiers_derives_a_jour():
    """Gabarits, docs, exemple et séances du README : ce que le code produit aujourd'hui."""
    fichiers, dossiers = regenerer.attendus()
    assert regenerer.perimes(fichiers, dossiers) == ([], [])


def test_readme_donne_les_deux_commandes():
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install . && barometre compiler exemples/classeurs" in readme
    assert "python -m pip install -e '.[test]' && python -m pytest" in readme
    ci = (RACINE / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -q -e '.[test]'" in ci and "python -m pytest" in ci
    assert "python -m barometre_cli.regenerer --verifier" in ci
