"""Le vérificateur Web : construction du site, messages de la CLI, et la page dans un vrai navigateur.

Les tests du navigateur construisent le site (une fois par séance), le servent sur 127.0.0.1
et l'ouvrent dans Chromium (Debian) piloté par Playwright : la page doit montrer, pour chaque
classeur, ce que montre `barometre valider` (constats, résultats, verdict) — avec la
bibliothèque standard allégée et compilée du site —, et enregistrer le même JSON que
`valider --format json`, sans aucune requête hors du serveur local ni erreur de console, et
passer axe-core (WCAG 2.1 A et AA). Un site construit sans un module que la validation importe
prouve le secours : la page recharge la bibliothèque complète et donne le même verdict. Sans
Chromium, Playwright, Node ou `node_modules/pyodide` (`npm ci`), ils sont sautés avec la raison.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

import barometre_cli
from barometre_cli.cli import app
from barometre_cli.domaine.formats import sans_controle
from barometre_cli.validateur import navigateur as module_page
from barometre_cli.validateur.site import (
    BIBLIOTHEQUE,
    FICHIERS_PYODIDE,
    FICHIERS_SERVIS,
    VERSION_PYODIDE,
    construire_site,
    dossier_pyodide_par_defaut,
    modules_navigateur,
    sources_du_paquet,
)
from tests import hostiles
from tests.test_lecture import CAS_HOSTILES

RACINE = Path(__file__).resolve().parents[1]
EXEMPLES = RACINE / "exemples" / "classeurs"
DONNEES = RACINE / "tests" / "donnees"
CAPTURES = {
    1280: RACINE / "docs" / "validateur.png",
    390: RACINE / "docs" / "validateur-mobile.png",
}
runner = CliRunner()


def _plat(texte: str) -> str:
    return " ".join(texte.split())


def _faux_pyodide(dossier: Path, version: str = VERSION_PYODIDE, nom: str = "pyodide") -> Path:
    """Un paquet npm pyodide de façade : les bons noms de fichiers, un contenu factice."""
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "package.json").write_text(json.dumps({"name": nom, "version": version}))
    for fichier in FICHIERS_PYODIDE:
        (dossier / fichier).write_bytes(b"// " + fichier.encode())
    return dossier


# --- La version épinglée ------------------------------------------------------------------


def test_une_seule_version_de_pyodide_partout():
    paquet = json.loads((RACINE / "package.json").read_text(encoding="utf-8"))
    verrou = json.loads((RACINE / "package-lock.json").read_text(encoding="utf-8"))
    assert paquet["dependencies"] == {"pyodide": VERSION_PYODIDE}
    assert verrou["packages"]["node_modules/pyodide"]["version"] == VERSION_PYODIDE
    assert f"pyodide@{VERSION_PYODIDE}" in (RACINE / "docs" / "validateur.md").read_text(
        encoding="utf-8"
    )
    assert "node_modules" in (RACINE / ".gitignore").read_text(encoding="utf-8")
    assert "npm ci" in (RACINE / ".ci" / "run").read_text(encoding="utf-8")


# --- Messages de la CLI -------------------------------------------------------------------


def test_pyodide_absent(tmp_path):
    absent = tmp_path / "node_modules" / "pyodide"
    resultat = runner.invoke(
        app, ["validateur", "--sortie", str(tmp_path / "site"), "--pyodide", str(absent)]
    )
    assert resultat.exit_code == 2
    texte = _plat(resultat.output)
    assert "environnement Python du navigateur introuvable" in texte
    assert "n'existe pas" in texte and "npm ci" in texte
    assert f"npm install pyodide@{VERSION_PYODIDE}" in texte
    assert "Traceback" not in resultat.output
    assert not (tmp_path / "site").exists()


def test_pyodide_par_defaut_absent(tmp_path, monkeypatch):
    """Sans --pyodide, le message nomme le dossier du projet et propose l'option."""
    from barometre_cli.validateur import site

    monkeypatch.setattr(site, "RACINE_PROJET", tmp_path)
    resultat = runner.invoke(app, ["validateur", "--sortie", str(tmp_path / "site")])
    assert resultat.exit_code == 2
    texte = _plat(resultat.output)
    assert str(tmp_path / "node_modules" / "pyodide") in texte
    assert "--pyodide" in texte and "npm ci" in texte


def test_pyodide_mauvaise_version(tmp_path):
    faux = _faux_pyodide(tmp_path / "pyodide", version="0.27.7")
    resultat = runner.invoke(
        app, ["validateur", "-o", str(tmp_path / "site"), "--pyodide", str(faux)]
    )
    assert resultat.exit_code == 2
    texte = _plat(resultat.output)
    assert "à la version 0.27.7" in texte
    assert f"avec la version {VERSION_PYODIDE} seulement" in texte
    assert "npm ci" in texte and "Traceback" not in resultat.output


@pytest.mark.parametrize(
    ("preparer", "attendu"),
    [
        (lambda d: d.mkdir(), "package.json absent ou illisible"),
        (lambda d: _faux_pyodide(d, nom="pyodide-core"), "contient le paquet npm « pyodide-core »"),
        (
            lambda d: (_faux_pyodide(d) / "pyodide.asm.wasm").unlink(),
            "est incomplet : il manque pyodide.asm.wasm",
        ),
    ],
    ids=["sans-package-json", "autre-paquet", "incomplet"],
)
def test_pyodide_inutilisable(tmp_path, preparer, attendu):
    preparer(tmp_path / "pyodide")
    resultat = runner.invoke(
        app, ["validateur", "-o", str(tmp_path / "site"), "--pyodide", str(tmp_path / "pyodide")]
    )
    assert resultat.exit_code == 2
    assert attendu in _plat(resultat.output)
    assert "Traceback" not in resultat.output


def test_sortie_obligatoire_et_pas_un_fichier(tmp_path):
    resultat = runner.invoke(app, ["validateur"])
    assert resultat.exit_code == 2
    assert "--sortie DOSSIER" in _plat(resultat.output)
    fichier = tmp_path / "site.txt"
    fichier.write_text("x")
    faux = _faux_pyodide(tmp_path / "pyodide")
    resultat = runner.invoke(app, ["validateur", "-o", str(fichier), "--pyodide", str(faux)])
    assert resultat.exit_code == 2
    assert "est un fichier, pas un dossier" in _plat(resultat.output)


# --- Le site construit --------------------------------------------------------------------


def test_message_du_site_garde_les_points_du_chemin(tmp_path, monkeypatch):
    """« collecte.2026/site.v2 » reste tel quel : seule la taille s'écrit à la française."""
    from barometre_cli import commandes
    from barometre_cli.validateur.site import Site

    pointe = tmp_path / "collecte.2026" / "site.v2"
    monkeypatch.setattr(
        commandes,
        "construire_validateur",
        lambda sortie, pyodide=None: Site(sortie, (), 13_800_000),
    )
    resultat = runner.invoke(app, ["validateur", "-o", str(pointe)])
    assert resultat.exit_code == 0, resultat.output
    assert f"« {pointe} »" in _plat(resultat.output) and re.search(r" 13,8 Mo", resultat.output)


def test_site_construit(site_validateur):
    site = site_validateur.dossier
    dossier_pyodide = f"pyodide-{VERSION_PYODIDE}"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(
        [
            "index.html",
            "page.js",
            "verificateur.js",
            "style.css",
            "favicon.svg",
            "barometre_cli.zip",
            BIBLIOTHEQUE,
            *(f"{dossier_pyodide}/{f}" for f in FICHIERS_SERVIS),
        ]
    )
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "__" not in index.replace("__init__", "")  # chaque repère remplacé
    assert f'data-pyodide="{dossier_pyodide}/"' in index
    assert f'data-bibliotheque-allegee="{BIBLIOTHEQUE}"' in index
    assert f"Pyodide {VERSION_PYODIDE}" in index and barometre_cli.__version__ in index
    # Le verrou de Pyodide est dans le code du worker : sans paquets, à la version de Pyodide.
    worker = (site / "verificateur.js").read_text(encoding="utf-8")
    verrou = json.loads(worker.split("const VERROU = ", 1)[1].split(";\n", 1)[0])
    assert verrou["packages"] == {} and verrou["info"]["abi_version"]
    # Le code du projet : compilé pour ce que la page importe, en source pour le reste.
    compiles = {m for m in modules_navigateur() if m.startswith("barometre_cli")}
    with zipfile.ZipFile(site / "barometre_cli.zip") as archive:
        noms = set(archive.namelist())
    assert "barometre_cli/validateur/navigateur.pyc" in noms
    assert "barometre_cli/lecture/feuille.pyc" in noms and "barometre_cli/cli.py" in noms
    assert len(noms) == len(sources_du_paquet())
    assert sum(n.endswith(".pyc") for n in noms) == len(compiles)
    # La bibliothèque standard allégée : rien que du bytecode, la liste des modules écartés.
    with zipfile.ZipFile(site / BIBLIOTHEQUE) as archive:
        noms = set(archive.namelist())
    assert "json/decoder.pyc" in noms and "xml/etree/ElementTree.pyc" in noms
    assert "_barometre_absents.pyc" in noms and "email/__init__.pyc" not in noms
    assert all(n.endswith(".pyc") for n in noms)
    assert site_validateur.taille < 16_000_000


def test_construction_reproductible(site_validateur, tmp_path):
    """Deux constructions des mêmes sources : les mêmes octets (bytecode compris)."""
    deux = construire_site(tmp_path / "deux")
    un = site_validateur
    assert [p.relative_to(un.dossier) for p in un.fichiers] == [
        p.relative_to(deux.dossier) for p in deux.fichiers
    ]
    for a, b in zip(un.fichiers, deux.fichiers, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert deux.taille == sum(p.stat().st_size for p in deux.fichiers)


def test_sans_node_message_clair(tmp_path, monkeypatch):
    """Node compile le Python de la page : sans lui, la commande dit quoi installer."""
    monkeypatch.setenv("PATH", str(tmp_path))
    faux = _faux_pyodide(tmp_path / "pyodide")
    resultat = runner.invoke(
        app, ["validateur", "-o", str(tmp_path / "site"), "--pyodide", str(faux)]
    )
    assert resultat.exit_code == 2
    assert "Node.js est introuvable" in _plat(resultat.output)
    assert "Traceback" not in resultat.output
    assert not (tmp_path / "site").exists()


def test_validation_n_importe_que_des_modules_de_la_liste():
    """Valider tout le corpus sous CPython, sans lxml comme dans la page, n'importe aucun module
    (bibliothèque standard ou projet) que la liste de la page n'ait pas : sinon, la page
    rechargerait la bibliothèque complète. `python -m tests.donnees.modules_navigateur` refait
    la liste (voir son en-tête)."""
    from tests.donnees import modules_navigateur as mesure

    pyodide = dossier_pyodide_par_defaut()
    if not (pyodide / "python_stdlib.zip").is_file():
        pytest.skip(
            f"node_modules/pyodide absent : npm ci (ou npm install pyodide@{VERSION_PYODIDE})"
        )
    bibliotheque = mesure.noms_de_la_bibliotheque(pyodide)
    with tempfile.TemporaryDirectory() as tmp:
        fichiers = mesure.corpus(Path(tmp), mutations=100)
        importes = mesure.retenir(mesure.modules_cpython(fichiers, en_flux=20), bibliotheque)
    assert len(fichiers) > 500
    assert sorted(importes - set(modules_navigateur())) == []


def test_rien_hors_de_l_hote_et_jamais_innerhtml():
    """La page ne nomme aucun autre hôte ; le texte venu des fichiers passe par textContent."""
    from barometre_cli.validateur.site import STATIQUE

    for fichier in STATIQUE.iterdir():
        texte = fichier.read_text(encoding="utf-8").lower()
        texte = texte.replace('xmlns="http://www.w3.org/2000/svg"', "")  # un nom, pas un lien
        for motif in ("http:", "https:", "//cdn", "@import", "@font-face"):
            assert motif not in texte, (fichier.name, motif)
        if fichier.suffix in (".css", ".html"):
            assert "url(" not in texte, fichier.name
    for nom in ("page.js", "verificateur.js"):
        code = (STATIQUE / nom).read_text(encoding="utf-8")
        for dangereux in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ):
            assert dangereux not in code, (nom, dangereux)
    index = (STATIQUE / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr-CA"' in index
    assert "default-src 'self'" in index  # politique de sécurité du contenu


# --- Le module Python de la page, sous CPython -------------------------------------------


def test_module_de_la_page_rend_le_json_de_valider(tmp_path):
    fichiers = [
        EXEMPLES / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx",
        EXEMPLES / "AP03" / "barometre-2026-cible-1.2-AP03.xlsx",
        DONNEES / "libreoffice-cible-1.1-erreurs.xlsx",
    ]
    cli = runner.invoke(app, ["valider", "--format", "json", *map(str, fichiers)])
    attendu = json.loads(cli.stdout)["fichiers"]
    for chemin, rapport_cli in zip(fichiers, attendu, strict=True):
        reponse = json.loads(module_page.verifier(str(chemin)))
        assert json.loads(reponse["rapport"]) == rapport_cli | {"fichier": chemin.name}
        assert reponse["affichage"]["nom"] == chemin.name


def test_affichage_comme_la_console():
    """Les lignes de résultats et le verdict de la page sont ceux de `valider` en texte."""
    fichiers = sorted(EXEMPLES.glob("AP0[1-5]/*.xlsx"))
    sortie = runner.invoke(app, ["valider", *map(str, fichiers)]).stdout
    blocs = _blocs_console(sortie)
    assert len(blocs) == len(fichiers)
    for chemin, (verdict, resultats) in zip(fichiers, blocs, strict=True):
        affichage = json.loads(module_page.verifier(str(chemin)))["affichage"]
        assert affichage["verdict"] == verdict
        assert affichage["resultats"] == resultats


def _blocs_console(sortie: str) -> list[tuple[str, list[list[str]]]]:
    """Par fichier, dans l'ordre : le verdict et les lignes du tableau des résultats."""
    blocs, resultats, dans_resultats = [], [], False
    for ligne in sortie.splitlines():
        if ligne.startswith("Ce qui sera compté pour votre organisation"):
            dans_resultats = True
        elif dans_resultats and ligne.startswith("│"):
            resultats.append([c.strip() for c in ligne.strip("│").split("│")])
        elif ligne.startswith("└"):
            dans_resultats = False
        elif ligne.startswith(("✔", "✘")):
            blocs.append((ligne.strip(), resultats))
            resultats = []
    return blocs


# --- Vrai navigateur ----------------------------------------------------------------------

TAGS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GRAVITE = {"erreur": "Erreur", "avertissement": "Avertissement", "info": "Info"}
#: Le classeur lisible le plus long de l'exemple se lit en moins de 0,1 s ; une bombe est refusée
#: avant toute décompression : rien ne doit approcher la limite de la page (60 s).
DELAI = 60_000


class _Service(http.server.SimpleHTTPRequestHandler):
    """Un hébergement statique ordinaire : .wasm en application/wasm, rien d'autre."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".svg": "image/svg+xml",
    }

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(site_validateur):
    return site_validateur.dossier


class _ServiceWasmMalServi(_Service):
    """Un hébergement mal réglé : .wasm en application/octet-stream."""

    extensions_map: ClassVar[dict[str, str]] = {
        **_Service.extensions_map,
        ".wasm": "application/octet-stream",
    }


@contextlib.contextmanager
def _servir(dossier: Path, service=_Service):
    """Le dossier servi sur 127.0.0.1, sur un port libre ; rend l'adresse."""
    serveur = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(service, directory=str(dossier))
    )
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{serveur.server_port}/"
    finally:
        serveur.shutdown()
        serveur.server_close()


@pytest.fixture(scope="module")
def adresse(site):
    with _servir(site) as adresse:
        yield adresse


@pytest.fixture(scope="module")
def navigateur(chromium, site):
    """Le Chromium de la séance (tests/conftest.py)."""
    return chromium


class _Onglet:
    """Un onglet sur le vérificateur, qui note requêtes et erreurs de console (page et worker)."""

    def __init__(self, navigateur, adresse: str, avant_visite=None) -> None:
        self.adresse = adresse
        self.contexte = navigateur.new_context(
            viewport={"width": 1280, "height": 900}, locale="fr-CA", accept_downloads=True
        )
        if avant_visite is not None:
            avant_visite(self.contexte)
        self.page = self.contexte.new_page()
        self.requetes: list[str] = []
        self.erreurs: list[str] = []
        self.page.on("request", lambda r: self.requetes.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.erreurs.append(m.text))
        self.page.on("pageerror", lambda e: self.erreurs.append(str(e)))
        self.page.on("worker", lambda w: w.on("console", self._console_worker))
        self.page.goto(adresse)

    def _console_worker(self, message) -> None:
        if message.type == "error":
            self.erreurs.append(message.text)

    def etat(self) -> str | None:
        return self.page.get_attribute("html", "data-etat")

    def attendre(self, selecteur: str) -> None:
        self.page.wait_for_selector(selecteur, state="attached", timeout=DELAI)

    def choisir(self, fichiers: list[Path]) -> None:
        self.page.set_input_files("#fichiers", [str(f) for f in fichiers])

    def verifier(self, fichiers: list[Path]) -> float:
        """Donne les fichiers au champ de la page ; rend la durée de la vérification."""
        debut = time.perf_counter()
        self.choisir(fichiers)
        self.attendre("html[data-lot=fini]")
        return time.perf_counter() - debut

    def vu(self) -> list[dict]:
        """Ce que la page montre, fichier par fichier."""
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll("section.fichier"), (s) => ({
                nom: s.querySelector("h3").textContent,
                constats: Array.from(s.querySelectorAll("tr.constat"),
                    (tr) => Array.from(tr.cells, (c) => c.textContent)),
                resultats: Array.from(s.querySelectorAll("tr.resultat"),
                    (tr) => Array.from(tr.cells, (c) => c.textContent)),
                verdict: s.querySelector(".verdict").textContent,
                valide: s.dataset.valide === "true",
            }))"""
        )

    def rapport_enregistre(self) -> str:
        with self.page.expect_download() as attente:
            self.page.click("#enregistrer")
        return Path(attente.value.path()).read_text(encoding="utf-8")

    def audit(self, axe, largeur: int, capture: Path, tmp_path: Path) -> dict:
        """axe-core (WCAG 2.1 A et AA) à cette largeur, défilement horizontal, capture."""
        self.page.set_viewport_size({"width": largeur, "height": 900})
        resultats = axe.run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": TAGS_WCAG},
                "resultTypes": ["violations"],
            },
        )
        largeurs = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        _capture(self.page, capture, tmp_path)
        return {
            "violations": resultats.violations_count,
            "rapport": resultats.generate_report() if resultats.violations_count else "",
            "deborde": largeurs[0] > largeurs[1],
        }

    def deposer(self, nom: str, octets: bytes) -> None:
        """Glisse-dépose un fichier sur le cadre, comme depuis l'explorateur de fichiers."""
        self.page.evaluate(
            """([nom, octets]) => {
                const transfert = new DataTransfer();
                transfert.items.add(new File([new Uint8Array(octets)], nom));
                document.getElementById("depot").dispatchEvent(
                    new DragEvent("drop", { dataTransfer: transfert, bubbles: true }));
            }""",
            [nom, list(octets)],
        )

    def hors_du_serveur(self) -> list[str]:
        return [u for u in self.requetes if not u.startswith(self.adresse)]

    def fermer(self) -> None:
        self.contexte.close()


def _capture(page, destination: Path, tmp_path: Path) -> None:
    """Une capture pleine page ; elle remplace celle de docs/ avec BAROMETRE_CAPTURE=1."""
    brute = tmp_path / destination.name
    page.screenshot(path=str(brute), full_page=True)
    if os.environ.get("BAROMETRE_CAPTURE") == "1":
        pngquant = shutil.which("pngquant")
        if pngquant:
            subprocess.run(
                [pngquant, "--quality", "70-95", "--speed", "1", "--strip", "--force",
                 "--output", str(destination), str(brute)],
                check=True,
            )  # fmt: skip
        else:
            shutil.copyfile(brute, destination)


def _fichiers_hostiles(dossier: Path) -> list[Path]:
    """Les pièges de tests/hostiles.py, un fichier par piège, plus un fichier trop gros."""
    dossier.mkdir()
    chemins = []
    for fabrique, _ in CAS_HOSTILES:
        chemin = dossier / f"{fabrique.__name__}.xlsx"
        chemin.write_bytes(fabrique())
        chemins.append(chemin)
    (dossier / "classeur_valide.xlsx").write_bytes(hostiles.classeur_valide())
    # 21 Mo : refusé sur sa taille ; la page ne lit du fichier que ce que lit la commande.
    gros = dossier / "trop_gros.xlsx"
    gros.write_bytes(os.urandom(21 * 1024 * 1024))
    # Un nom de fichier qui serait du code s'il était inséré comme du HTML.
    piege = dossier / "<img src=x onerror=alert(1)>.xlsx"
    piege.write_bytes(hostiles.pdf())
    # La revue de robustesse : XML très profond, textes démesurés, espaces de noms en rafale.
    from tests import hostiles_robustesse as robustesse

    revue = {
        "xml_profond.xlsx": robustesse.classeur_xml_profond(3000),
        "nom_7_mo.xlsx": robustesse.classeur_texte_long("organisation_nom", 7_500_000),
        "courriel_100_000.xlsx": robustesse.classeur_texte_long(
            "repondant_courriel", 100_000, "a."
        ),
        "espaces_de_noms.xlsx": robustesse.classeur_espaces_de_noms(),
        "controle_de_direction.xlsx": robustesse.classeur_texte("organisation_nom", "Nom\u202eA"),
    }
    for nom, octets in revue.items():
        (dossier / nom).write_bytes(octets)
    return [*chemins, dossier / "classeur_valide.xlsx", gros, piege, *(dossier / n for n in revue)]


#: Un classeur de chaque sorte pour l'audit et les captures : prêt, prêt avec avertissement, à
#: corriger.
PETIT_LOT = [
    EXEMPLES / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx",
    EXEMPLES / "AP05" / "barometre-2026-cible-6.1-AP05.xlsx",
    EXEMPLES / "AP03" / "barometre-2026-cible-1.2-AP03.xlsx",
]


@pytest.fixture(scope="module")
def seance(navigateur, adresse, tmp_path_factory):
    """Une seule visite de la page (Pyodide ne démarre qu'une fois), dans l'ordre d'une personne :

    1. trois classeurs choisis pendant la préparation (ils attendent le vérificateur) ; audit
       axe-core et captures à 1280 et 390 px ;
    2. tous les classeurs de l'exemple, de LibreOffice et les pièges, d'un coup, comparés à
       `valider --format json` sur les mêmes fichiers ; rapport JSON enregistré ;
    3. un classeur glissé-déposé.
    """
    axe_sync = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python absent : pip install -e '.[test]' l'installe",
    )
    tmp_path = tmp_path_factory.mktemp("seance")
    fichiers = [
        *sorted(EXEMPLES.rglob("*.xlsx")),
        *sorted(DONNEES.glob("*.xlsx")),
        *sorted(DONNEES.glob("*.ods")),
        *sorted((DONNEES / "ods").glob("*")),
        *_fichiers_hostiles(tmp_path / "pieges"),
    ]
    debut = time.perf_counter()
    cli = runner.invoke(app, ["valider", "--format", "json", *map(str, fichiers)])
    duree_cli = time.perf_counter() - debut
    attendu = json.loads(cli.stdout)["fichiers"]
    for rapport in attendu:
        rapport["fichier"] = Path(rapport["fichier"]).name

    r: dict = {"fichiers": fichiers, "attendu": attendu, "duree_cli": duree_cli}
    debut = time.perf_counter()
    onglet = _Onglet(navigateur, adresse)
    try:
        r["etat_au_choix"] = onglet.etat()
        onglet.choisir(PETIT_LOT)
        onglet.attendre("html[data-etat=pret]")
        r["demarrage"] = time.perf_counter() - debut
        onglet.attendre("html[data-lot=fini]")
        r["petit_lot"] = onglet.vu()
        r["etat_texte"] = onglet.page.inner_text("#etat")
        r["audits"] = {
            largeur: onglet.audit(axe_sync.Axe(), largeur, CAPTURES[largeur], tmp_path)
            for largeur in (1280, 390)
        }
        onglet.page.set_viewport_size({"width": 1280, "height": 900})

        # Un battement toutes les 50 ms sur le fil de la page : il ne doit jamais s'arrêter.
        onglet.page.evaluate(
            """() => { window.ecartMax = 0; let t = performance.now();
                setInterval(() => { const n = performance.now();
                    window.ecartMax = Math.max(window.ecartMax, n - t); t = n; }, 50); }"""
        )
        r["duree"] = onglet.verifier(fichiers)
        r["vu"] = onglet.vu()
        r["json"] = onglet.rapport_enregistre()
        r["ecart_max"] = onglet.page.evaluate("window.ecartMax")
        r["images"] = onglet.page.evaluate("document.querySelectorAll('img').length")
        r["python"] = onglet.page.get_attribute("html", "data-python")
        r["bibliotheque"] = onglet.page.get_attribute("html", "data-bibliotheque")

        onglet.deposer("ancien.xlsx", hostiles.xls())
        onglet.attendre("html[data-lot=fini]")
        r["depot"] = onglet.vu()
        r["requetes"] = list(onglet.requetes)
        r["hors_du_serveur"] = onglet.hors_du_serveur()
        r["erreurs"] = list(onglet.erreurs)
    finally:
        onglet.fermer()
    print(
        f"\nvérificateur : Pyodide prêt en {r['demarrage']:.1f} s ; {len(fichiers)} fichiers en "
        f"{r['duree']:.1f} s ({1000 * r['duree'] / len(fichiers):.0f} ms par fichier) ; "
        f"valider (CPython) : {duree_cli:.1f} s"
    )
    return r


def test_navigateur_meme_verdict_que_valider(seance):
    """Pour chaque fichier : mêmes constats (gravité, code, feuille, cellule, message), même
    verdict, mêmes cibles comptées que `valider`."""
    vu, attendu = seance["vu"], seance["attendu"]
    assert len(vu) == len(attendu) == len(seance["fichiers"]) > 400
    for page, cli in zip(vu, attendu, strict=True):
        assert page["nom"] == cli["fichier"]
        assert page["constats"] == [
            [
                GRAVITE[c["severite"]],
                c["code"],
                sans_controle(c["feuille"]),
                sans_controle(c["cellule"]),
                c["message"],
            ]
            for c in cli["constats"]
        ], cli["fichier"]
        assert page["valide"] is cli["valide"], cli["fichier"]
        erreurs = sum(c["severite"] == "erreur" for c in cli["constats"])
        if erreurs:
            assert page["verdict"].startswith(f"✘ {erreurs} erreur"), cli["fichier"]
        else:
            assert page["verdict"].startswith("✔ Prêt à transmettre"), cli["fichier"]
        assert [r[0] for r in page["resultats"]] == [r["cible"] for r in cli["resultats"]]


def test_navigateur_resultats_et_verdicts_de_la_console(seance):
    """Le petit lot : lignes « Ce qui sera compté » et verdicts mot pour mot ceux de `valider`."""
    sortie = runner.invoke(app, ["valider", *map(str, PETIT_LOT)]).stdout
    attendu = [(f.name, *bloc) for f, bloc in zip(PETIT_LOT, _blocs_console(sortie), strict=True)]
    assert [(v["nom"], v["verdict"], v["resultats"]) for v in seance["petit_lot"]] == attendu
    assert attendu[0][2] == [["1.1", "21", "37", "56,8 %", "75 %", "76 %"]]  # 21 / 37
    assert "2 prêt(s), 1 à corriger" in seance["etat_texte"]
    assert seance["etat_au_choix"] == "preparation"  # choisis avant que Python soit prêt


def test_navigateur_pieges_refuses_comme_par_la_commande(seance):
    par_nom = {v["nom"]: v for v in seance["vu"]}
    for fabrique, code in CAS_HOSTILES:
        vu = par_nom[f"{fabrique.__name__}.xlsx"]
        assert [c[1] for c in vu["constats"]] == [code], fabrique.__name__
        assert vu["verdict"] == "✘ 1 erreur à corriger avant de transmettre le fichier."
    assert [c[1] for c in par_nom["trop_gros.xlsx"]["constats"]] == ["zip-bombe"]
    assert "pèse 21,0 Mo" in par_nom["trop_gros.xlsx"]["constats"][0][4]
    piege = par_nom["<img src=x onerror=alert(1)>.xlsx"]
    assert piege["constats"][0][1] == "pas-un-classeur"
    assert seance["images"] == 0  # le nom est resté du texte
    assert seance["ecart_max"] < 2000, "le fil de la page a cessé de répondre"


def test_navigateur_date_tapee_dans_un_ods(seance):
    """Un .ods de Calc où une date a été tapée dans un dénombrement : refusé à sa cellule, comme
    par la commande ; le champ de fichier propose les .ods."""
    vu = next(v for v in seance["vu"] if v["nom"] == "libreoffice-saisie-1.1-date.ods")
    assert [c[:4] for c in vu["constats"]] == [["Erreur", "date-dans-nombre", "Saisie", "C14"]]
    assert "« 2019-06-03 »" in vu["constats"][0][4]
    assert vu["verdict"] == "✘ 1 erreur à corriger avant de transmettre le fichier."
    from barometre_cli.validateur.site import STATIQUE

    index = (STATIQUE / "index.html").read_text(encoding="utf-8")
    assert ".ods," in index and "application/vnd.oasis.opendocument.spreadsheet" in index


def test_navigateur_rapport_json_identique_a_valider(seance):
    """Le fichier enregistré est, au caractère près, la sortie de `valider --format json`
    (le champ `fichier` donnant le nom du fichier)."""
    attendu = json.dumps({"fichiers": seance["attendu"]}, ensure_ascii=False, indent=2) + "\n"
    assert seance["json"] == attendu


def test_navigateur_depot_glisser(seance):
    """Un classeur glissé-déposé sur le cadre est vérifié comme un classeur choisi."""
    assert [(v["nom"], [c[1] for c in v["constats"]]) for v in seance["depot"]] == [
        ("ancien.xlsx", ["format-xls"])
    ]


def test_navigateur_hors_ligne_sans_erreur(seance):
    assert seance["hors_du_serveur"] == []
    assert seance["erreurs"] == []
    assert seance["python"] == "62,7 %"  # l'appel de vérification de l'environnement Python
    assert any(u.endswith("pyodide.asm.wasm") for u in seance["requetes"])
    assert any("barometre_cli.zip?v=" in u for u in seance["requetes"])
    # Toute la séance avec la bibliothèque allégée : ni la complète, ni le verrou téléchargés.
    assert seance["bibliotheque"] == "allegee"
    assert any(f"{BIBLIOTHEQUE}?v=" in u for u in seance["requetes"])
    assert not any(
        u.endswith(("python_stdlib.zip", "pyodide-lock.json")) for u in seance["requetes"]
    )


#: Un module que la validation n'importe qu'en lisant un classeur (lecture/xml.py, au premier
#: usage) : sans lui, la lecture ferait du fichier un constat « structure inattendue ».
MODULE_RETIRE = "xml.etree.ElementTree"


@pytest.fixture(scope="module")
def site_sans_un_module(tmp_path_factory, site_validateur):
    modules = [m for m in modules_navigateur() if m != MODULE_RETIRE]
    assert len(modules) == len(modules_navigateur()) - 1
    return construire_site(tmp_path_factory.mktemp("sans-module") / "site", modules=modules).dossier


def test_navigateur_module_manquant_bibliotheque_complete(navigateur, site_sans_un_module):
    """Un module retiré exprès de la bibliothèque allégée : la sentinelle le voit chercher, le
    verdict du worker est écarté, la page recharge la bibliothèque complète et rend, pour chaque
    fichier, exactement le verdict et le JSON de `valider`."""
    fichiers = [EXEMPLES / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx", *PETIT_LOT[1:]]
    cli = runner.invoke(app, ["valider", "--format", "json", *map(str, fichiers)])
    attendu = json.loads(cli.stdout)["fichiers"]
    for rapport in attendu:
        rapport["fichier"] = Path(rapport["fichier"]).name
    with _servir(site_sans_un_module) as adresse:
        onglet = _Onglet(navigateur, adresse)
        try:
            onglet.verifier(fichiers)
            vu = onglet.vu()
            json_page = onglet.rapport_enregistre()
            bibliotheque = onglet.page.get_attribute("html", "data-bibliotheque")
            requetes, erreurs = list(onglet.requetes), list(onglet.erreurs)
        finally:
            onglet.fermer()
    assert bibliotheque == "complete"
    assert any(u.endswith("python_stdlib.zip") for u in requetes)
    assert json_page == json.dumps({"fichiers": attendu}, ensure_ascii=False, indent=2) + "\n"
    assert [v["valide"] for v in vu] == [r["valide"] for r in attendu]
    assert not any("structure inattendue" in c[4] for v in vu for c in v["constats"])
    assert erreurs == []


@pytest.mark.parametrize("largeur", [1280, 390])
def test_navigateur_accessible_wcag_21_aa(seance, largeur):
    """axe-core, 0 violation A/AA, sur des résultats de chaque sorte ; seuls les tableaux
    défilent. `BAROMETRE_CAPTURE=1 python -m pytest tests/test_validateur.py` refait les
    captures docs/validateur.png et docs/validateur-mobile.png."""
    audit = seance["audits"][largeur]
    assert audit["violations"] == 0, audit["rapport"]
    assert not audit["deborde"]
    capture = CAPTURES[largeur]
    assert capture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert capture.stat().st_size < 600_000


@pytest.mark.parametrize("cas", ["wasm-mal-servi", "depuis-le-disque"])
def test_navigateur_hebergement_inutilisable_explique(navigateur, site, cas):
    """Un .wasm servi avec un autre type, ou la page ouverte en file:// : la page dit quoi faire
    au lieu d'attendre sans fin."""
    with contextlib.ExitStack() as pile:
        if cas == "wasm-mal-servi":
            adresse = pile.enter_context(_servir(site, _ServiceWasmMalServi))
            attendu = "avec le type « application/octet-stream » au lieu de « application/wasm »"
        else:
            adresse = (site / "index.html").as_uri()
            attendu = "doit être ouverte depuis le site Web qui la publie"
        page = navigateur.new_page()
        pile.callback(page.close)
        page.goto(adresse)
        page.wait_for_selector("html[data-etat=echec]", state="attached", timeout=DELAI)
        texte = page.inner_text("#etat")
        assert texte.startswith("Le vérificateur n'a pas pu démarrer :") and attendu in texte


def test_navigateur_xml_tres_profond_refuse_comme_par_la_commande(navigateur, adresse, tmp_path):
    """Un classeur de 13 Ko au XML emboîté 3 000 fois faisait tomber Pyodide (« Maximum call
    stack size exceeded ») et chaque fichier suivant échouait. La page le refuse comme la
    commande (`xml-invalide`) et vérifie le fichier suivant."""
    from tests import hostiles_robustesse

    profond = tmp_path / "profond.xlsx"
    profond.write_bytes(hostiles_robustesse.classeur_xml_profond(3000))
    suivant = PETIT_LOT[0]
    attendu = json.loads(
        runner.invoke(app, ["valider", "--format", "json", str(profond), str(suivant)]).stdout
    )["fichiers"]
    onglet = _Onglet(navigateur, adresse)
    try:
        onglet.attendre("html[data-etat=pret]")
        onglet.verifier([profond, suivant])
        vu = onglet.vu()
    finally:
        onglet.fermer()
    assert [[c[1] for c in v["constats"]] for v in vu] == [
        [c["code"] for c in a["constats"]] for a in attendu
    ]
    assert [c[1] for c in vu[0]["constats"]] == ["xml-invalide"]
    assert vu[1]["valide"] and vu[1]["resultats"]


#: Python, dans le worker, pour un fichier nommé « plante.xlsx » : un arbre de 100 000 niveaux
#: libéré d'un coup épuise la pile de Pyodide, qui ne s'en relève pas (erreur fatale réelle).
_PLANTE = (
    "import xml.etree.ElementTree as ET\\n"
    "r = e = ET.Element('a')\\n"
    "for _ in range(100000): e = ET.SubElement(e, 'x')\\n"
    "del r, e\\n"
)


def _worker_qui_plante(contexte) -> None:
    """Sert le worker du site, modifié pour que « plante.xlsx » fasse tomber Python."""

    def servir(route) -> None:
        reponse = route.fetch()
        texte = reponse.text().replace(
            "function verifier({ id, fichier }) {",
            "function verifier({ id, fichier }) {\n"
            f'  if (fichier.name === "plante.xlsx") pyodide.runPython("{_PLANTE}");',
        )
        assert "plante.xlsx" in texte
        route.fulfill(response=reponse, body=texte)

    contexte.route("**/verificateur.js*", servir)


def test_navigateur_remplace_le_worker_apres_une_erreur_fatale(navigateur, adresse, tmp_path):
    """Une erreur dont Python ne se relève pas (pas seulement le délai de 60 s) : le fichier est
    signalé, le worker remplacé, et les fichiers suivants sont vérifiés normalement."""
    plante = tmp_path / "plante.xlsx"
    plante.write_bytes(PETIT_LOT[0].read_bytes())
    onglet = _Onglet(navigateur, adresse, avant_visite=_worker_qui_plante)
    try:
        onglet.attendre("html[data-etat=pret]")
        onglet.verifier([plante, *PETIT_LOT])
        vu = onglet.vu()
        etat = onglet.etat()
    finally:
        onglet.fermer()
    assert vu[0]["nom"] == "plante.xlsx" and not vu[0]["valide"]
    assert vu[0]["verdict"].startswith("✘ La vérification n'a pas pu se faire (")
    assert [(v["nom"], v["valide"]) for v in vu[1:]] == [
        (f.name, f.name != "barometre-2026-cible-1.2-AP03.xlsx") for f in PETIT_LOT
    ]
    assert all(v["resultats"] or v["constats"] for v in vu[1:])
    assert etat == "pret"
