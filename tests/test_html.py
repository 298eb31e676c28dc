"""La page HTML du baromètre : contenu, échappement, autonomie, et un vrai navigateur.

Les tests unitaires lisent le HTML produit ; ceux du navigateur ouvrent la page dans Chromium
(Debian) piloté par Playwright, vérifient qu'elle ne demande rien au réseau et passent axe-core
(WCAG 2.1 A et AA). Sans Chromium ou sans Playwright, ces derniers sont sautés avec la raison.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from barometre_cli import catalogue
from barometre_cli.catalogue import CIBLES, RESEAUX
from barometre_cli.compilation.collecte import Collecte
from barometre_cli.compilation.consolidation import consolider
from barometre_cli.domaine.registre import Organisation
from barometre_cli.sorties.html import ecrire_html, page_html, texte_variation

RACINE = Path(__file__).resolve().parents[1]
EXEMPLES = RACINE / "exemples"
CAPTURE_DOCS = RACINE / "docs" / "barometre.png"
HOSTILE = "<script>alert(1)</script>"
JOUR = date(2026, 5, 1)


# --- Outils ------------------------------------------------------------------------------


_VIDES = {"meta", "br", "hr", "img", "input", "link"}
_EN_LIGNE = {"span", "strong", "em", "cite", "code", "b", "i", "a"}


class _Lecteur(HTMLParser):
    """Le texte lu (sans CSS ni éléments aria-hidden) et les balises d'une page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.morceaux: list[str] = []
        self.balises: list[tuple[str, dict[str, str | None]]] = []
        self._pile: list[tuple[str, bool]] = []  # (balise, masquée) des éléments ouverts

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        self.balises.append((tag, attributs))
        if tag not in _VIDES:
            masque = tag == "style" or attributs.get("aria-hidden") == "true"
            self._pile.append((tag, masque))
        if self._separe(tag, attributs):
            self.morceaux.append(" ")

    def handle_endtag(self, tag):
        while self._pile:
            if self._pile.pop()[0] == tag:
                break
        if tag not in _EN_LIGNE:
            self.morceaux.append(" ")

    @staticmethod
    def _separe(tag: str, attributs: dict) -> bool:
        """Un élément de bloc (ou une ligne « détail ») sépare les mots, pas un élément en ligne."""
        return tag not in _EN_LIGNE or "detail" in (attributs.get("class") or "")

    def handle_data(self, data):
        if not any(masque for _, masque in self._pile):
            self.morceaux.append(data)


def lire(page: str) -> _Lecteur:
    lecteur = _Lecteur()
    lecteur.feed(page)
    return lecteur


def texte(page: str) -> str:
    """Le texte visible, espaces normalisés."""
    return " ".join("".join(lire(page).morceaux).split())


@pytest.fixture
def exemple(exemple_compile) -> tuple[Collecte, object]:
    """L'exemple livré (40 organisations) : de vraies données, compilées une fois par séance."""
    _, collecte, conso = exemple_compile
    return collecte, conso


@pytest.fixture
def conso(exemple):
    """Une copie de la consolidation, que chaque test peut modifier sans gêner les autres."""
    _, conso = exemple
    return dataclasses.replace(conso, resultats=conso.resultats.copy())


def _avec_evolution(conso):
    """Les colonnes qu'ajoute la comparaison avec une collecte précédente."""
    resultats = conso.resultats
    resultats["resultat_precedent"] = resultats["resultat"] - 0.032
    resultats["variation"] = 3.2
    ensemble = resultats["portee"] == "ensemble"
    resultats.loc[ensemble & (resultats["cible"] == "1.2"), "variation"] = -1.5
    resultats.loc[ensemble & (resultats["cible"] == "1.3"), "variation"] = math.nan
    resultats.loc[ensemble & (resultats["cible"] == "1.3"), "resultat_precedent"] = math.nan
    return conso


def _ligne(conso, cible: str, portee: str = "ensemble"):
    r = conso.resultats
    return (r["portee"] == portee) & (r["cible"] == cible)


def _carte(page: str, id_cible: str) -> str:
    """Le HTML de la carte d'une cible."""
    ancre = "cible-" + id_cible.replace(".", "-")
    debut = page.rindex("<article", 0, page.index(f'id="{ancre}"'))
    return page[debut : page.index("</article>", debut)]


# --- Contenu -----------------------------------------------------------------------------


def test_dix_cibles_titres_effets_indicateurs(exemple):
    collecte, conso = exemple
    vu = texte(page_html(collecte, conso, produit_le=JOUR))
    for c in CIBLES:
        assert f"Cible {c.id} {c.titre}" in vu
        assert c.effet_recherche in vu
        assert c.indicateur in vu


def test_en_tete_titre_annee_couverture(exemple):
    collecte, conso = exemple
    page = page_html(collecte, conso, produit_le=JOUR)
    vu = texte(page)
    assert '<html lang="fr-CA">' in page
    assert "<title>Baromètre numériQc — collecte 2026</title>" in page
    assert "Baromètre numériQc" in vu and "Collecte 2026" in vu
    assert "Organisations ayant transmis 38 sur 40" in vu
    assert "Organisations retenues 38 sur 40" in vu
    assert "Taux de réponse 95,0 %" in vu
    assert "Attention" not in vu  # registre fourni : pas d'avis


def test_methodologie_definit_les_deux_comptes_et_le_taux_de_reponse(exemple):
    """Ayant transmis, retenues : définis ; le taux de réponse publié est celui des retenues."""
    collecte, conso = exemple
    vu = texte(page_html(collecte, conso, produit_le=JOUR))
    assert (
        "Une organisation ayant transmis a au moins un fichier de la collecte reçu, valide ou "
        "non ; une organisation retenue a au moins une cible retenue, donc comptée dans les "
        "résultats. Le taux de réponse est la part des organisations ciblées qui sont retenues"
    ) in vu


def test_pourcentages_a_la_francaise(exemple):
    collecte, conso = exemple
    vu = texte(page_html(collecte, conso, produit_le=JOUR))
    # 1.1 : 488 / 799 = 61,1 %, visée 75 %, atteinte 81 %
    assert "61,1 % valeur visée : 75 % Taux d'atteinte : 81 %" in vu
    # 4.1 : 20 / 40 = 50,0 %, visée 100 %
    assert "50,0 % valeur visée : 100 % Taux d'atteinte : 50 %" in vu
    assert "0.611" not in vu and "61.1" not in vu


def test_ordre_du_guide_et_titres_hierarchiques(exemple):
    """Orientation (h2) → ambition (h3) → cible (h4), dans l'ordre du guide, sans saut."""
    collecte, conso = exemple
    page = page_html(collecte, conso, produit_le=JOUR)
    niveaux = [int(n) for n in re.findall(r"<h([1-6])\b", page)]
    assert niveaux[0] == 1 and niveaux.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(niveaux))
    titres = re.findall(r'<h[234] id="([^"]+)"', page)
    attendu = [
        "orientation-1", "ambition-1", "titre-cible-1-1", "titre-cible-1-2", "titre-cible-1-3",
        "ambition-2", "titre-cible-2-1", "ambition-3", "titre-cible-3-1",
        "orientation-2", "ambition-4", "titre-cible-4-1", "titre-cible-4-2",
        "ambition-5", "titre-cible-5-1", "titre-cible-5-2", "ambition-6", "titre-cible-6-1",
        "reseaux",
    ]  # fmt: skip
    assert titres == attendu


def test_reperes_et_lien_d_evitement(exemple):
    collecte, conso = exemple
    page = page_html(collecte, conso, produit_le=JOUR)
    balises = lire(page).balises
    noms = [t for t, _ in balises]
    for repere in ("header", "main", "footer", "nav"):
        assert noms.count(repere) == 1, repere
    premier_lien = next(a for t, a in balises if t == "a")
    assert premier_lien["href"] == "#contenu"
    assert ("main", {"id": "contenu", "tabindex": "-1"}) in balises
    # chaque lien interne mène à un identifiant qui existe
    ids = {a["id"] for _, a in balises if a.get("id")}
    for _, a in balises:
        if "href" in a:
            assert a["href"].startswith("#") and a["href"][1:] in ids


def test_tableau_par_reseau(exemple):
    collecte, conso = exemple
    page = page_html(collecte, conso, produit_le=JOUR)
    tableau = page[page.index("<table>") : page.index("</table>")]
    assert "<caption" in tableau and "Résultat de chaque cible par réseau" in tableau
    entetes = re.findall(r'<th scope="col">([^<]*)', tableau)
    assert entetes == ["Cible", "Ensemble des organisations", *RESEAUX]
    assert tableau.count('<th scope="row">') == 10
    vu = texte(tableau)
    assert "14 organisations ciblées, 13 retenues" in vu  # Administration publique
    r = conso.resultats
    ap = r[(r["portee"] == "Administration publique") & (r["cible"] == "1.1")].iloc[0]
    assert f"{ap.resultat * 100:.1f} %".replace(".", ",") == "60,5 %"  # 182 / 301
    assert "1.1 75 % des nouveaux services numériques sont conçus en impliquant les citoyens " \
        "61,1 % 37 sur 40 60,5 % 13 sur 14" in vu  # fmt: skip


def test_sans_reseau_pas_de_tableau_vide(tmp_path):
    orgs = [Organisation("A", "Agence A"), Organisation("B", "Bureau B")]
    collecte = Collecte(tmp_path, "2026", False, orgs, True, [], [])
    page = page_html(collecte, consolider(collecte), produit_le=JOUR)
    assert "<table" not in page
    assert "Aucun réseau n'est connu" in texte(page)


def test_avis_sans_registre(tmp_path):
    """Sans registre, les répondantes tiennent lieu de ciblées : la page doit le dire."""
    collecte = Collecte(tmp_path, "2026", True, [Organisation("A", "Agence A")], False, [], [])
    vu = texte(page_html(collecte, consolider(collecte), produit_le=JOUR))
    assert "aucun registre des organisations ciblées n'a été fourni" in vu
    assert "tiennent donc lieu d'organisations ciblées" in vu
    assert "Période déduite des fichiers reçus" in vu


def test_sans_aucune_donnee_tout_est_indetermine(tmp_path):
    collecte = Collecte(tmp_path, "2026", False, [Organisation("A", "Agence A")], True, [], [])
    page = page_html(collecte, consolider(collecte), produit_le=JOUR)
    carte = texte(_carte(page, "1.1"))
    assert "indéterminé" in carte and "Résultat indéterminé" in carte
    assert 'class="jauge"' not in _carte(page, "1.1")
    # 4.1 se calcule sur les ciblées : 0 sur 1, et non indéterminé
    assert "0,0 %" in texte(_carte(page, "4.1"))


def test_atteinte_non_plafonnee_et_marquee(exemple, conso):
    collecte, _ = exemple
    conso.resultats.loc[_ligne(conso, "4.1"), ["resultat", "taux_atteinte"]] = 1.0
    conso.resultats.loc[_ligne(conso, "1.1"), ["resultat", "taux_atteinte"]] = [0.84, 1.12]
    conso.resultats.loc[_ligne(conso, "1.2"), "taux_atteinte"] = 0.997
    page = page_html(collecte, conso, produit_le=JOUR)
    carte = _carte(page, "1.1")
    assert "Taux d'atteinte : 112 %" in texte(carte)
    assert 'style="width: 100.0%"' in carte  # la barre s'arrête à 100 %
    assert "Cible atteinte" in texte(carte)
    assert "Cible atteinte" in texte(_carte(page, "4.1"))  # 100 % pile : atteinte
    presque = texte(_carte(page, "1.2"))
    assert "Cible atteinte" not in presque and "99,7 %" in presque and "100 %" not in presque
    assert "Cible atteinte" not in texte(_carte(page, "5.1"))
    assert "Cibles atteintes 2 sur 10" in texte(page)


def test_barres_decoratives_chiffre_en_texte(exemple):
    collecte, conso = exemple
    page = page_html(collecte, conso, produit_le=JOUR)
    jauges = re.findall(r'<div class="jauge"[^>]*>', page)
    assert len(jauges) == 10
    assert all('aria-hidden="true"' in j for j in jauges)
    assert 'style="width: 81.4%"' in _carte(page, "1.1")  # 61,1 % / 75 %


# --- Évolution ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "attendu"),
    [
        (3.2, ("+3,2 points", "en hausse")),
        (-1.5, ("\u22121,5 point", "en baisse")),
        (1.0, ("+1,0 point", "en hausse")),
        (-2.0, ("\u22122,0 points", "en baisse")),
        (0.04, ("0,0 point", "stable")),
        (-0.04, ("0,0 point", "stable")),
        (None, ("non calculable", "")),
    ],
)
def test_texte_variation(points, attendu):
    variation = texte_variation(points)
    assert (variation.texte, variation.sens) == attendu


def test_evolution_affichee_quand_les_colonnes_existent(exemple, conso):
    collecte, _ = exemple
    page = page_html(collecte, _avec_evolution(conso), produit_le=JOUR)
    hausse = texte(_carte(page, "1.1"))
    assert "Collecte précédente : 57,9 %" in hausse  # 61,1 % − 3,2 points
    assert "Variation : +3,2 points, en hausse" in hausse
    baisse = _carte(page, "1.2")
    assert "Variation : \u22121,5 point, en baisse" in texte(baisse)
    assert 'class="baisse"' in baisse  # la couleur double le mot, sans le remplacer
    assert "Variation : non calculable" in texte(_carte(page, "1.3"))
    tableau = texte(page[page.index("<table>") : page.index("</table>")])
    assert "\u22121,5 point, en baisse" in tableau and "+3,2 points, en hausse" in tableau


def test_evolution_absente_sans_les_colonnes(exemple):
    collecte, conso = exemple
    vu = texte(page_html(collecte, conso, produit_le=JOUR))
    assert "Collecte précédente" not in vu and "Variation" not in vu and "point" not in vu


# --- Sécurité et autonomie ----------------------------------------------------------------


def test_texte_hostile_echappe(tmp_path, monkeypatch):
    """Période déduite des fichiers, textes du catalogue, nom de portée : rien n'est du code."""
    orgs = [
        Organisation("X1", HOSTILE, "Administration publique"),
        Organisation("X2", 'Bureau "B" & <i>fils</i>', "Santé et services sociaux"),
    ]
    collecte = Collecte(tmp_path, HOSTILE, True, orgs, True, [], [])
    conso = consolider(collecte)
    piegees = tuple(
        dataclasses.replace(
            c, titre=f"{c.titre} {HOSTILE}", effet_recherche=f'" onmouseover="x {HOSTILE}'
        )
        for c in CIBLES
    )
    monkeypatch.setattr(catalogue, "CIBLES", piegees)
    conso.resultats.loc[conso.resultats["portee"] == "Administration publique", "portee"] = HOSTILE
    page = page_html(collecte, conso, produit_le=JOUR)
    assert "<script" not in page.lower()
    assert 'onmouseover="' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    vu = texte(page)
    assert f"Collecte {HOSTILE}" in vu  # montré tel quel, comme du texte
    assert f"Cible 1.1 {CIBLES[0].titre} {HOSTILE}" in vu
    assert vu.count(HOSTILE) >= 1 + 2 * 10 + 1


def test_aucune_ressource_externe(exemple, conso):
    collecte, _ = exemple
    page = page_html(collecte, _avec_evolution(conso), produit_le=JOUR)
    bas = page.lower()
    assert "http:" not in bas and "https:" not in bas and "//" not in bas
    for motif in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
                  "src=", "@font-face"):  # fmt: skip
        assert motif not in bas, motif
    for _, attributs in lire(page).balises:
        if "href" in attributs:
            assert attributs["href"].startswith("#")


def test_ecrire_html_atomique(exemple, tmp_path):
    collecte, conso = exemple
    chemin = tmp_path / "publication" / "barometre.html"
    assert ecrire_html(collecte, conso, chemin, produit_le=JOUR) == chemin
    assert chemin.read_text(encoding="utf-8") == page_html(collecte, conso, produit_le=JOUR)
    assert [p.name for p in chemin.parent.iterdir()] == ["barometre.html"]


def test_pied_de_page_methodologie(exemple):
    collecte, conso = exemple
    vu = texte(page_html(collecte, conso, produit_le=JOUR))
    assert "Guide d'interprétation des indicateurs" in vu
    assert "MCN, février 2023" in vu
    assert "Taux d'atteinte = résultat / valeur visée." in vu
    assert "Page produite par l'outil barometre (version" in vu and "le 1er mai 2026" in vu


def test_import_leger():
    """Importer le module ne charge ni jinja2 ni pandas : `valider` doit rester rapide."""
    code = (
        "import sys, barometre_cli.sorties.html; "
        "print('jinja2' in sys.modules, 'pandas' in sys.modules)"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert sortie.stdout.split() == ["False", "False"]


# --- Vrai navigateur ---------------------------------------------------------------------

TAGS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def navigateur(chromium):
    """Le Chromium de la séance (tests/conftest.py)."""
    return chromium


def _ouvrir(navigateur, chemin: Path, largeur: int = 1200):
    """Ouvre la page en notant erreurs de console et requêtes : le réseau doit rester muet."""
    page = navigateur.new_page(viewport={"width": largeur, "height": 900})
    journal = {"erreurs": [], "requetes": []}
    page.on("console", lambda m: m.type == "error" and journal["erreurs"].append(m.text))
    page.on("pageerror", lambda e: journal["erreurs"].append(str(e)))
    page.on("request", lambda r: journal["requetes"].append(r.url))
    page.goto(chemin.as_uri())
    page.wait_for_load_state("load")
    return page, journal


@pytest.fixture
def fichier_complet(exemple, conso, tmp_path):
    """Une page où tout paraît : avis sans registre, évolution, cible atteinte, indéterminée."""
    collecte, _ = exemple
    collecte = dataclasses.replace(collecte, registre_fourni=False)
    _avec_evolution(conso)
    conso.resultats.loc[_ligne(conso, "4.1"), ["resultat", "taux_atteinte"]] = 1.05
    conso.resultats.loc[_ligne(conso, "4.2"), ["resultat", "taux_atteinte"]] = math.nan
    return ecrire_html(collecte, conso, tmp_path / "barometre.html", produit_le=JOUR)


def test_navigateur_hors_ligne_et_lisible(navigateur, fichier_complet, tmp_path):
    page, journal = _ouvrir(navigateur, fichier_complet)
    try:
        assert journal["erreurs"] == []
        assert journal["requetes"] == [fichier_complet.as_uri()]
        assert page.title() == "Baromètre numériQc — collecte 2026"
        for c in CIBLES:
            carte = page.locator(f"#cible-{c.id.replace('.', '-')}")
            carte.scroll_into_view_if_needed()
            assert carte.is_visible(), c.id
            assert c.titre in carte.inner_text()
        assert page.get_by_role("table").is_visible()
        assert page.get_by_text("Cible atteinte").count() == 1
        capture = tmp_path / "barometre.png"
        page.screenshot(path=str(capture), full_page=True)
        assert capture.stat().st_size > 10_000
    finally:
        page.close()


def test_navigateur_zoom_200_sans_defilement_horizontal(navigateur, fichier_complet):
    """À 200 % (640 px de large), seule la zone du tableau défile, jamais la page."""
    page, _ = _ouvrir(navigateur, fichier_complet, largeur=640)
    try:
        largeurs = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert largeurs[0] <= largeurs[1]
    finally:
        page.close()


def test_navigateur_clavier_lien_d_evitement(navigateur, fichier_complet):
    page, _ = _ouvrir(navigateur, fichier_complet)
    try:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Aller au contenu principal"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#contenu"
        assert page.evaluate("document.activeElement.id") == "contenu"
    finally:
        page.close()


@pytest.mark.parametrize("largeur", [1200, 640])
def test_navigateur_axe_wcag_21_aa(navigateur, fichier_complet, largeur):
    axe_sync = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python absent : pip install -e '.[test]' l'installe",
    )
    page, journal = _ouvrir(navigateur, fichier_complet, largeur=largeur)
    try:
        resultats = axe_sync.Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": TAGS_WCAG},
                "resultTypes": ["violations"],
            },
        )
        assert resultats.violations_count == 0, resultats.generate_report()
        assert journal["requetes"] == [fichier_complet.as_uri()]  # axe est injecté, pas chargé
    finally:
        page.close()


def test_capture_pour_la_documentation(navigateur, exemple, tmp_path):
    """La capture du README : l'exemple livré, pleine page.

    `BAROMETRE_CAPTURE=1 python -m pytest tests/test_html.py -k capture` refait docs/barometre.png.
    """
    collecte, conso = exemple
    chemin = ecrire_html(collecte, conso, tmp_path / "barometre.html", produit_le=JOUR)
    page, _ = _ouvrir(navigateur, chemin)
    try:
        capture = tmp_path / "capture.png"
        page.screenshot(path=str(capture), full_page=True)
    finally:
        page.close()
    if os.environ.get("BAROMETRE_CAPTURE") == "1":
        # Chromium écrit un PNG en couleurs vraies (~900 Ko) ; pngquant le ramène sous 300 Ko.
        pngquant = shutil.which("pngquant")
        assert pngquant, "BAROMETRE_CAPTURE=1 demande pngquant : apt-get install pngquant"
        subprocess.run(
            [pngquant, "--quality", "70-95", "--speed", "1", "--strip", "--force",
             "--output", str(CAPTURE_DOCS), str(capture)],
            check=True,
        )  # fmt: skip
    if CAPTURE_DOCS.exists():
        assert CAPTURE_DOCS.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert CAPTURE_DOCS.stat().st_size < 500_000
