"""Réglages communs : une console large et sans couleur, pour des sorties stables."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("COLUMNS", "200")
os.environ["NO_COLOR"] = "1"
os.environ.setdefault("TERMINAL_WIDTH", "200")


@pytest.fixture(params=["lxml", "stdlib"])
def moteur_xml(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Fait tourner un test sur chacun des deux moteurs XML de la lecture.

    Les modules qui le veulent le demandent pour tous leurs tests (`pytestmark`) ; la variable
    d'environnement suit, pour les lectures faites dans un processus à part.
    """
    from barometre_cli.lecture import xml

    ancien = xml.moteur()
    monkeypatch.setenv("BAROMETRE_XML", request.param)
    xml.choisir(request.param)
    yield request.param
    xml.choisir(ancien)
