# ruff: noqa: F811 — les fixtures viennent de tests/test_html.py
"""Le tableau par réseau sur un téléphone (390 px) : il défile de côté, et la page le dit.

Même Chromium que `tests/test_html.py` (ses fixtures), captures à 1280 et 390 px.
"""

from __future__ import annotations

import pytest

from tests.test_html import (  # noqa: F401 (fixtures)
    TAGS_WCAG,
    _ouvrir,
    conso,
    exemple,
    fichier_complet,
    navigateur,
)


@pytest.mark.parametrize(("largeur", "indice"), [(1280, False), (390, True)])
def test_tableau_defilant_et_indice_visible(navigateur, fichier_complet, tmp_path, largeur, indice):
    page, _ = _ouvrir(navigateur, fichier_complet, largeur=largeur)
    try:
        zone = page.locator(".defilement")
        zone.scroll_into_view_if_needed()
        assert page.locator("#indice-reseaux").is_visible() is indice
        defile, visible, page_large, ecran = page.evaluate(
            """() => { const z = document.querySelector('.defilement');
                return [z.scrollWidth, z.clientWidth,
                        document.documentElement.scrollWidth,
                        document.documentElement.clientWidth]; }"""
        )
        assert page_large <= ecran  # la page elle-même ne déborde jamais
        if indice:
            assert defile > visible  # c'est la zone du tableau qui défile, au clavier aussi
            assert zone.get_attribute("tabindex") == "0"
        page.screenshot(path=str(tmp_path / f"reseaux-{largeur}.png"), full_page=True)
        assert (tmp_path / f"reseaux-{largeur}.png").stat().st_size > 10_000
    finally:
        page.close()


def test_axe_a_390_px(navigateur, fichier_complet):
    axe_sync = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python absent : pip install -e '.[test]' l'installe",
    )
    page, _ = _ouvrir(navigateur, fichier_complet, largeur=390)
    try:
        resultats = axe_sync.Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": TAGS_WCAG},
                "resultTypes": ["violations"],
            },
        )
        assert resultats.violations_count == 0, resultats.generate_report()
    finally:
        page.close()
