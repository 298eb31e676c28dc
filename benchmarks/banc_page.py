"""La page du vérificateur dans Chromium : son premier verdict, contre un Pyodide nu du même site.

Appelé par `banc.py` (et seul : `python benchmarks/banc_page.py`). Le site est construit par
`barometre validateur`, puis servi sur 127.0.0.1 comme par un hébergement bien réglé
(`Cache-Control` : un an pour les adresses versionnées, revalidation pour index.html), avec ou
sans compression gzip. On mesure, du début de la navigation (`performance.now()`) :

- la page : un classeur de l'exemple choisi dès l'ouverture, jusqu'à son verdict affiché ;
- un Pyodide nu, servi du même site : une page qui démarre Pyodide (bibliothèque complète, verrou
  téléchargé, comme le fait la documentation de Pyodide) dans un Web Worker et exécute `1 + 1`.

Chaque mesure « à froid » se fait dans un contexte neuf (cache vide) ; « au retour », à la
seconde visite du même contexte, la première ayant duré quelques secondes (`SEJOUR_S`), le
temps qu'une personne vérifie son fichier et que Chromium garde le code optimisé du .wasm. Les mesures de la page et du Pyodide nu alternent, pour que la
charge de la machine (partagée) pèse sur les deux. Réseau lent : 10 Mbit/s et 40 ms d'aller-
retour (émulation de Chromium, qui s'applique aussi au worker). Processeur lent : tout Chromium
sur un seul cœur, arrêté 75 ms sur 100 (SIGSTOP/SIGCONT), soit un quart de cœur : l'émulation de
Chromium (`Emulation.setCPUThrottlingRate`) ne ralentit pas les Web Workers, où tout se passe.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import ClassVar

ICI = Path(__file__).resolve().parent
RACINE = ICI.parent
CLASSEUR = RACINE / "exemples" / "classeurs" / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx"
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=fr-CA",
]
DELAI_MS = 180_000
#: Secondes passées sur la page à la première visite, avant la visite de retour mesurée.
SEJOUR_S = 6
RESEAU_LENT = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 10_000_000 / 8,
    "uploadThroughput": 2_000_000 / 8,
}

#: Le Pyodide nu : une page et son worker, servis sous /_banc/ à côté du site.
_NU_HTML = b"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Pyodide nu</title>
</head><body><script type="module">
const worker = new Worker("/_banc/nu.js", { type: "module" });
worker.onmessage = () => { document.documentElement.dataset.fini = String(performance.now()); };
worker.postMessage(new URL(document.documentElement.dataset.pyodide || "/DOSSIER/", location.href).href);
</script></body></html>"""
_NU_JS = b"""onmessage = async (evenement) => {
  const { loadPyodide } = await import(evenement.data + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: evenement.data });
  pyodide.runPython("1 + 1");
  postMessage("fini");
};"""
#: Note l'instant du premier verdict de la page (avant tout script de la page ; sans eval).
_OBSERVATEUR = """new MutationObserver(() => {
  if (document.documentElement.dataset.lot === "fini" && window.__verdict === undefined)
    window.__verdict = performance.now();
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-lot"] });"""


def construire(dossier: Path) -> Path:
    """Le site de `barometre validateur`, plus le verrou de Pyodide dont le Pyodide nu a besoin."""
    from barometre_cli.validateur.site import (
        VERSION_PYODIDE,
        construire_site,
        dossier_pyodide_par_defaut,
    )

    site = construire_site(dossier / "site").dossier
    shutil.copyfile(
        dossier_pyodide_par_defaut() / "pyodide-lock.json",
        site / f"pyodide-{VERSION_PYODIDE}" / "pyodide-lock.json",
    )
    return site


class _Service(http.server.SimpleHTTPRequestHandler):
    """Un hébergement statique bien réglé ; `compresser` : gzip quand le navigateur l'accepte."""

    protocol_version = "HTTP/1.1"
    compresser = False
    nu_html = _NU_HTML
    _gzip: ClassVar[dict[str, bytes]] = {}
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".svg": "image/svg+xml",
        ".zip": "application/zip",
    }

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        chemin = self.path.split("?", 1)[0]
        if chemin.startswith("/_banc/"):
            corps = self.nu_html if chemin.endswith(".html") else _NU_JS
            type_ = "text/html" if chemin.endswith(".html") else "text/javascript"
            return self._envoyer(corps, type_, "no-store")
        if chemin.endswith("/"):
            chemin += "index.html"
        fichier = Path(self.translate_path(chemin))
        if not fichier.is_file():
            self.send_error(404)
            return None
        cache = "no-cache" if chemin.endswith(".html") else "public, max-age=31536000, immutable"
        return self._envoyer(fichier.read_bytes(), self.guess_type(str(fichier)), cache, fichier)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _envoyer(self, corps: bytes, type_: str, cache: str, fichier: Path | None = None) -> None:
        encodage = None
        if self.compresser and "gzip" in self.headers.get("Accept-Encoding", ""):
            cle = str(fichier) if fichier else self.path
            if cle not in self._gzip:
                self._gzip[cle] = gzip.compress(corps, compresslevel=6, mtime=0)
            corps, encodage = self._gzip[cle], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", type_)
        self.send_header("Content-Length", str(len(corps)))
        self.send_header("Cache-Control", cache)
        if encodage:
            self.send_header("Content-Encoding", encodage)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(corps)


@contextlib.contextmanager
def servir(site: Path, compresser: bool = False):
    """Le site servi sur 127.0.0.1 (port libre) ; rend l'adresse de base."""
    from barometre_cli.validateur.site import VERSION_PYODIDE

    service = type(
        "Service",
        (_Service,),
        {
            "compresser": compresser,
            "nu_html": _NU_HTML.replace(b"DOSSIER", f"pyodide-{VERSION_PYODIDE}".encode()),
            "_gzip": {},
        },
    )
    if compresser:  # compressé d'avance, comme un hébergeur qui garde ses fichiers gzip en cache
        for fichier in site.rglob("*"):
            if fichier.is_file():
                service._gzip[str(fichier)] = gzip.compress(fichier.read_bytes(), 6, mtime=0)
    serveur = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(service, directory=str(site))
    )
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{serveur.server_port}"
    finally:
        serveur.shutdown()
        serveur.server_close()


# --- Un quart de cœur ----------------------------------------------------------------------


def _descendants(racine: int) -> list[int]:
    """Le processus `racine` et tous ses descendants (lus dans /proc)."""
    enfants: dict[int, list[int]] = {}
    for entree in os.listdir("/proc"):
        if not entree.isdigit():
            continue
        try:
            with open(f"/proc/{entree}/stat", encoding="ascii", errors="replace") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        enfants.setdefault(parent, []).append(int(entree))
    tous, a_voir = [], [racine]
    while a_voir:
        pid = a_voir.pop()
        tous.append(pid)
        a_voir.extend(enfants.get(pid, []))
    return tous


class QuartDeCoeur:
    """Tant qu'il tourne, les processus de Chromium ne s'exécutent que 25 ms sur 100, sur un cœur."""

    def __init__(self, racine: int, part: float = 0.25, periode: float = 0.1) -> None:
        self.racine, self.part, self.periode = racine, part, periode
        self._fin = threading.Event()
        self._fil = threading.Thread(target=self._tourner, daemon=True)

    def __enter__(self) -> QuartDeCoeur:
        for pid in _descendants(self.racine):
            with contextlib.suppress(OSError):
                os.sched_setaffinity(pid, {0})
        self._fil.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._fin.set()
        self._fil.join()
        for pid in _descendants(self.racine):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)
                os.sched_setaffinity(pid, set(range(os.cpu_count() or 1)))

    def _tourner(self) -> None:
        while not self._fin.is_set():
            processus = _descendants(self.racine)
            for pid in processus:  # un processus né depuis le dernier tour reste sur un cœur
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(pid, {0})
            time.sleep(self.periode * self.part)
            for pid in processus:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGSTOP)
            time.sleep(self.periode * (1 - self.part))
            for pid in processus:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGCONT)


# --- Les mesures ---------------------------------------------------------------------------


def _onglet(contexte, reseau: dict | None):
    """Un onglet ; `reseau` : les conditions de réseau émulées par Chromium (worker compris)."""
    page = contexte.new_page()
    if reseau is not None:
        session = contexte.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", reseau)
    return page


JALONS: list[dict] = []


def premier_verdict(contexte, base: str, reseau: dict | None = None, attente: float = 0) -> float:
    """Secondes, du début de la navigation au verdict du classeur choisi dès l'ouverture.

    Les jalons de la page (worker créé, Python démarré, projet importé, prêt) vont dans JALONS.
    """
    page = _onglet(contexte, reseau)
    try:
        page.add_init_script(_OBSERVATEUR)
        page.goto(f"{base}/", wait_until="commit")
        page.wait_for_selector("#fichiers", state="attached")
        page.set_input_files("#fichiers", str(CLASSEUR))
        page.wait_for_selector("html[data-lot=fini]", state="attached")
        verdict = page.inner_text(".verdict")
        if not verdict.startswith("✔"):
            raise RuntimeError(f"verdict inattendu de la page : {verdict}")
        verdict_ms = page.evaluate("() => window.__verdict")
        JALONS.append(
            {**json.loads(page.get_attribute("html", "data-jalons")), "verdict": verdict_ms}
        )
        time.sleep(attente)
        return verdict_ms / 1000
    finally:
        page.close()


def demarrage_nu(contexte, base: str, reseau: dict | None = None, attente: float = 0) -> float:
    """Secondes, du début de la navigation à la fin du démarrage d'un Pyodide nu."""
    page = _onglet(contexte, reseau)
    try:
        page.goto(f"{base}/_banc/nu.html", wait_until="commit")
        page.wait_for_selector("html[data-fini]", state="attached")
        fini = float(page.get_attribute("html", "data-fini")) / 1000
        time.sleep(attente)
        return fini
    finally:
        page.close()


class Profils:
    """Chaque mesure dans un Chromium neuf, au profil neuf et ordinaire (sur disque).

    Un contexte « privé » de Playwright ne garde pas le code compilé des scripts et du .wasm :
    le retour d'une personne dans son navigateur habituel en profite, lui.
    """

    def __init__(self, playwright, dossier: Path) -> None:
        self.playwright, self.dossier = playwright, dossier
        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if executable is None:
            raise RuntimeError("Chromium absent : apt-get install chromium")
        self.repere = dossier / "chromium.pid"
        self.lanceur = dossier / "chromium"  # note son numéro de processus, puis devient Chromium
        self.lanceur.write_text(f'#!/bin/sh\necho $$ > "{self.repere}"\nexec "{executable}" "$@"\n')
        self.lanceur.chmod(0o755)
        self.ralenti = False

    @contextlib.contextmanager
    def ouvrir(self):
        profil = Path(tempfile.mkdtemp(prefix="profil-", dir=self.dossier))
        contexte = self.playwright.chromium.launch_persistent_context(
            str(profil), executable_path=str(self.lanceur), args=ARGUMENTS_CHROMIUM,
            locale="fr-CA",
        )  # fmt: skip
        contexte.set_default_timeout(DELAI_MS)
        for page in contexte.pages:  # l'onglet vide d'ouverture
            page.close()
        try:
            with (
                QuartDeCoeur(int(self.repere.read_text()))
                if self.ralenti
                else contextlib.nullcontext()
            ):
                yield contexte
        finally:
            contexte.close()
            shutil.rmtree(profil, ignore_errors=True)

    def froid(self, base: str, mesure, reseau: dict | None = None) -> float:
        with self.ouvrir() as contexte:
            return mesure(contexte, base, reseau)

    def retour(self, base: str, mesure) -> float:
        with self.ouvrir() as contexte:
            # Première visite : remplit le cache. La personne reste sur la page le temps de
            # vérifier son fichier : Chromium finit d'optimiser le .wasm et en garde le code.
            mesure(contexte, base, attente=SEJOUR_S)
            return mesure(contexte, base)


def _paires(n: int, page, nu) -> dict[str, float]:
    """n mesures de chacune, alternées ; médianes et médiane des rapports appariés."""
    a, b = [], []
    for i in range(n):
        if i % 2:
            b.append(nu())
            a.append(page())
        else:
            a.append(page())
            b.append(nu())
    return {
        "page_s": statistics.median(a),
        "nu_s": statistics.median(b),
        "rapport": statistics.median(x / y for x, y in zip(a, b, strict=True)),
        "page_toutes_s": a,
        "nu_toutes_s": b,
    }


def mesurer(repetitions: int = 3, lent: bool = True) -> dict:
    """Toutes les mesures de la page, dans une seule exécution."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        dossier = Path(tmp)
        debut = time.perf_counter()
        site = construire(dossier)
        construction_s = time.perf_counter() - debut
        tailles = {
            p.relative_to(site).as_posix(): p.stat().st_size
            for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "pyodide-lock.json"
        }
        r: dict = {"construction_s": construction_s, "tailles_octets": tailles}
        JALONS.clear()
        with sync_playwright() as playwright:
            profils = Profils(playwright, dossier)
            with servir(site) as base:
                profils.froid(base, premier_verdict)  # échauffement (disque, Chromium)
                r["froid"] = _paires(
                    repetitions,
                    lambda: profils.froid(base, premier_verdict),
                    lambda: profils.froid(base, demarrage_nu),
                )
                r["retour"] = _paires(
                    repetitions,
                    lambda: profils.retour(base, premier_verdict),
                    lambda: profils.retour(base, demarrage_nu),
                )
            if lent:
                for nom, compresser in (("reseau_lent_gzip", True), ("reseau_lent_brut", False)):
                    with servir(site, compresser) as base:
                        r[nom] = _paires(
                            1,
                            lambda b=base: profils.froid(b, premier_verdict, RESEAU_LENT),
                            lambda b=base: profils.froid(b, demarrage_nu, RESEAU_LENT),
                        )
                profils.ralenti = True
                with servir(site) as base:
                    r["quart_de_coeur"] = _paires(
                        1,
                        lambda: profils.froid(base, premier_verdict),
                        lambda: profils.froid(base, demarrage_nu),
                    )
    r["jalons_ms"] = list(JALONS)
    return r


def main() -> None:
    sys.path.insert(0, str(RACINE))
    print(json.dumps(mesurer(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
