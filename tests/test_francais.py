"""Typer en français : erreurs de nombres des options."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from barometre_cli.cli import app

runner = CliRunner()


def _plat(texte: str) -> str:
    return " ".join(texte.replace("│", " ").split())


# 6. Erreurs de nombres en français -------------------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("0", "Valeur invalide pour --jobs : « 0 » ; un nombre entier égal ou supérieur à 1 "
              "est attendu."),
        ("-3", "Valeur invalide pour --jobs : « -3 » ; un nombre entier égal ou supérieur à 1 "
               "est attendu."),
        ("abc", "Valeur invalide pour --jobs : « abc » ; un nombre entier est attendu."),
        ("2.5", "Valeur invalide pour --jobs : « 2.5 » ; un nombre entier est attendu."),
    ],
)  # fmt: skip
def test_jobs_invalide_en_francais(tmp_path, valeur, attendu):
    resultat = runner.invoke(app, ["compiler", str(tmp_path), f"--jobs={valeur}"])
    assert resultat.exit_code == 2
    sortie = _plat(resultat.output)
    assert attendu in sortie
    assert "Input should" not in sortie


def test_borne_superieure_traduite_sans_erreur_d_origine():
    """Sans l'erreur pydantic jointe, on traduit encore d'après le texte anglais."""
    from types import SimpleNamespace

    from barometre_cli.francais import _traduire

    class BadParameter(Exception):
        """La forme de l'exception de Click (vendue avec Typer, sans paquet `click` à part)."""

        def __init__(self, message, param):
            super().__init__(message)
            self.message, self.param, self.param_hint, self.ctx = message, param, None, None

        def format_message(self):
            return self.message

    exc = BadParameter(
        "Input should be less than or equal to 8", SimpleNamespace(opts=["--nombre"], name="nombre")
    )
    assert (
        _traduire(exc)
        == "Valeur invalide pour --nombre : un nombre égal ou inférieur à 8 est attendu."
    )
