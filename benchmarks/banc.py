"""Banc d'essai de `barometre` : vitesse et mémoire mesurées, chiffres imprimés (texte et JSON).

    python benchmarks/banc.py                # 3 000 classeurs (300 organisations × 10 cibles)
    python benchmarks/banc.py --organisations 30 --naif 100   # essai rapide

Les classeurs sont fabriqués à partir des vrais gabarits, de façon déterministe, et gardés en
cache dans benchmarks/cache/ entre deux exécutions. Dans la même exécution, on mesure :
- `barometre compiler` de bout en bout (processus neuf, démarrage compris, médiane de 3) et
  sa mémoire ;
- ses phases (lecture, vérification, calcul, écriture), mesurées dans ce processus ;
- la borne basse (médiane de 3) : lire les octets, décompresser chaque partie et analyser
  chaque feuille XML avec lxml, le travail minimal de tout lecteur ;
- le pair naïf : une boucle de `pandas.read_excel(sheet_name=None)` ;
- la croissance (300 puis 3 000 fichiers), `barometre --help`, `barometre valider` sur un
  fichier et `barometre gabarit --registre` pour toutes les organisations, et, pour les mêmes
  gabarits préremplis, le chemin d'avant (`remplir` : tout décompresser, tout recompresser)
  contre celui de la commande (`Remplisseur`) ;
- la page du vérificateur dans Chromium (`banc_page.py`) : premier verdict à froid et au
  retour, contre un Pyodide nu servi du même site ; réseau lent (gzip ou non), quart de cœur.
- la lecture d'un .ods face à celle d'un .xlsx du même contenu : 100 classeurs (10
  organisations × 10 cibles) enregistrés par LibreOffice dans les deux formats (conversion
  gardée en cache ; sautée sans `soffice`), lus (puis lus et vérifiés) dans ce processus, sur
  les deux moteurs XML, médiane de 5.
Ce n'est pas un test : les chiffres dépendent de la machine ; docs/performance.md les consigne.
La charge de la machine (`os.getloadavg`) est notée au début et à la fin.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ICI = Path(__file__).resolve().parent
RACINE = ICI.parent
VERSION_CACHE = "5"
RESEAUX = (
    "Administration publique",
    "Santé et services sociaux",
    "Éducation et enseignement supérieur",
)


def preparer(n_organisations: int) -> tuple[Path, Path]:
    """Dossier de classeurs remplis et registre, refaits seulement si le cache ne convient pas."""
    from barometre_cli.calculs import type_calcul
    from barometre_cli.catalogue import CIBLES
    from barometre_cli.domaine.registre import Organisation, nom_dossier
    from barometre_cli.gabarit.classeur import nom_fichier, octets_gabarit
    from barometre_cli.gabarit.remplissage import remplir

    cache = ICI / "cache" / f"org{n_organisations}"
    marque = cache / f"pret-v{VERSION_CACHE}"
    registre = cache / "registre.csv"
    classeurs = cache / "classeurs"
    if marque.exists():
        return classeurs, registre
    shutil.rmtree(cache, ignore_errors=True)
    classeurs.mkdir(parents=True)
    alea = random.Random(20261122)
    organisations = [
        Organisation(f"O{i:04d}", f"Organisation fictive {i}", RESEAUX[i % 3])
        for i in range(n_organisations)
    ]
    registre.write_text(
        "code,nom,reseau\n" + "".join(f"{o.code},{o.nom},{o.reseau}\n" for o in organisations),
        encoding="utf-8",
    )
    debut = datetime(2026, 3, 2, tzinfo=UTC)
    for i, org in enumerate(organisations):
        for cible in CIBLES:
            valeurs = {
                "organisation_code": org.code,
                "organisation_nom": org.nom,
                "repondant_courriel": f"tn.{org.code.lower()}@exemple.gouv.qc.ca",
                "periode": 2026,
                **type_calcul(cible).exemple(cible, alea),
            }
            chemin = classeurs / nom_dossier(org) / nom_fichier(cible, "2026", org)
            chemin.parent.mkdir(exist_ok=True)
            chemin.write_bytes(
                remplir(octets_gabarit(cible, "2026", org), valeurs, debut + timedelta(minutes=i))
            )
    marque.touch()
    return classeurs, registre


def fichiers_de(dossier: Path) -> list[Path]:
    return sorted(dossier.rglob("*.xlsx"))


def borne_basse(fichiers: list[Path]) -> float:
    """Lire, décompresser chaque partie, analyser chaque feuille XML avec lxml : le minimum."""
    from lxml import etree

    debut = time.perf_counter()
    for chemin in fichiers:
        with zipfile.ZipFile(io.BytesIO(chemin.read_bytes())) as archive:
            for nom in archive.namelist():
                donnees = archive.read(nom)
                if nom.startswith("xl/worksheets/") and nom.endswith(".xml"):
                    etree.fromstring(donnees)
    return time.perf_counter() - debut


def pair_naif(fichiers: list[Path]) -> float:
    import pandas as pd

    debut = time.perf_counter()
    for chemin in fichiers:
        pd.read_excel(chemin, sheet_name=None, engine="openpyxl")
    return time.perf_counter() - debut


def _commande(arguments: list[str], repetitions: int = 1) -> tuple[float, dict]:
    """Médiane du temps réel d'une commande `barometre` dans un processus neuf, et sa mémoire."""
    sonde = (
        "import resource, sys, json, time\n"
        "from barometre_cli.cli import main\n"
        f"sys.argv = ['barometre', *{arguments!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "ru_s = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "ru_c = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('\\n@@' + json.dumps({'rss_principal_mo': ru_s / 1024, 'rss_processus_lecture_mo': ru_c / 1024}))\n"
    )
    durees, memoire = [], {}
    for _ in range(repetitions):
        debut = time.perf_counter()
        sortie = subprocess.run(
            [sys.executable, "-c", sonde],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            check=True,
        )
        durees.append(time.perf_counter() - debut)
        memoire = json.loads(sortie.stdout.rsplit("@@", 1)[1])
    return statistics.median(durees), memoire


def _duree(commande: list[str]) -> float:
    debut = time.perf_counter()
    subprocess.run(commande, check=True, capture_output=True)
    return time.perf_counter() - debut


def gabarits_preremplis(registre: Path) -> dict[str, float]:
    """Les 3 000 gabarits préremplis en mémoire : chemin d'avant contre celui de la commande."""
    from barometre_cli.catalogue import CIBLES, PROP_ORGANISATION, modele
    from barometre_cli.domaine.registre import lire_registre
    from barometre_cli.gabarit.classeur import _octets_base, octets_gabarit
    from barometre_cli.gabarit.remplissage import remplir

    organisations = lire_registre(registre)
    bases = {c.id: _octets_base(c, "2026", modele.ADRESSE_VALIDATEUR) for c in CIBLES}
    for c in CIBLES:
        octets_gabarit(c, "2026", organisations[0])  # chaque gabarit de base lu une fois
    debut = time.perf_counter()
    nouveaux = [octets_gabarit(c, "2026", o) for o in organisations for c in CIBLES]
    nouveau_s = time.perf_counter() - debut
    debut = time.perf_counter()
    anciens = [
        remplir(
            bases[c.id],
            {"organisation_code": o.code, "organisation_nom": o.nom},
            proprietes={PROP_ORGANISATION: o.code},
        )
        for o in organisations
        for c in CIBLES
    ]
    ancien_s = time.perf_counter() - debut
    if nouveaux != anciens:
        raise RuntimeError("les deux chemins de préremplissage ne donnent pas les mêmes octets")
    return {"avant_s": ancien_s, "commande_s": nouveau_s, "acceleration": ancien_s / nouveau_s}


def phases(dossier: Path, registre: Path) -> dict[str, float]:
    """Lecture, vérification, calcul et écriture, mesurés séparément dans ce processus (1 cœur)."""
    from barometre_cli.compilation.collecte import retenir
    from barometre_cli.compilation.consolidation import consolider
    from barometre_cli.domaine.registre import lire_registre
    from barometre_cli.lecture import lire_classeur
    from barometre_cli.lecture.decouverte import lister_fichiers
    from barometre_cli.sorties import ecrire_sorties
    from barometre_cli.validation.regles import valider_classeur

    t0 = time.perf_counter()
    fichiers = lister_fichiers([dossier])
    lus = [lire_classeur(f) for f in fichiers]
    t1 = time.perf_counter()
    rapports = [valider_classeur(lu) for lu in lus]
    t2 = time.perf_counter()
    collecte = retenir(dossier, rapports, lire_registre(registre), "2026")
    conso = consolider(collecte)
    t3 = time.perf_counter()
    with tempfile.TemporaryDirectory() as sortie:
        ecrire_sorties(collecte, conso, Path(sortie))
    t4 = time.perf_counter()
    return {
        "lecture_s": t1 - t0,
        "verification_s": t2 - t1,
        "calcul_s": t3 - t2,
        "ecriture_s": t4 - t3,
    }


def preparer_ods(dossier: Path, n_organisations: int = 10) -> Path | None:
    """Les classeurs des `n_organisations` premières organisations, enregistrés par LibreOffice
    en .ods et en .xlsx (mêmes documents, même logiciel) ; None sans `soffice`."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    sys.path.insert(0, str(RACINE))
    from tests.donnees.exemple_ods import convertir

    cache = ICI / "cache" / f"ods-{dossier.parent.name}-{n_organisations}-v{VERSION_CACHE}"
    if (cache / "pret").exists():
        return cache
    shutil.rmtree(cache, ignore_errors=True)
    source = cache / "source"
    for organisation in sorted(p for p in dossier.iterdir() if p.is_dir())[:n_organisations]:
        shutil.copytree(organisation, source / organisation.name)
    for format_ in ("ods", "xlsx"):
        convertir(source, cache / format_, soffice, format_=format_)
    (cache / "pret").touch()
    return cache


def lecture_ods(cache: Path) -> dict:
    """Lire (et lire puis vérifier) les mêmes classeurs en .xlsx puis en .ods, sur chaque
    moteur XML ; médianes de 5, en millisecondes par fichier, et le rapport .ods / .xlsx."""
    from barometre_cli.lecture import lire_classeur, xml
    from barometre_cli.validation.regles import valider_fichier

    paires = sorted(cache.glob("xlsx/**/*.xlsx"))
    fichiers = {
        "xlsx": paires,
        "ods": [cache / "ods" / p.relative_to(cache / "xlsx").with_suffix(".ods") for p in paires],
    }

    def durees(action) -> dict[str, float]:
        """Les deux formats mesurés tour à tour, cinq fois (après un tour d'échauffement) :
        une machine partagée ralentit alors les deux également."""
        mesures: dict[str, list[float]] = {format_: [] for format_ in fichiers}
        for tour in range(6):
            for format_, liste in fichiers.items():
                debut = time.perf_counter()
                for chemin in liste:
                    action(chemin)
                if tour:
                    mesures[format_].append(time.perf_counter() - debut)
        return {f: 1000 * statistics.median(m) / len(paires) for f, m in mesures.items()}

    resultats: dict = {"fichiers": len(paires)}
    ancien = xml.moteur()
    try:
        for moteur in ("lxml", "stdlib"):
            xml.choisir(moteur)
            for nom, action in (
                ("lecture", lire_classeur),
                ("lecture_et_verification", valider_fichier),
            ):
                ms = durees(action)
                resultats[f"{moteur}_{nom}"] = {
                    "xlsx_ms": ms["xlsx"],
                    "ods_ms": ms["ods"],
                    "rapport": ms["ods"] / ms["xlsx"],
                }
    finally:
        xml.choisir(ancien)
    return resultats


def mesurer_page(repetitions: int, lent: bool) -> dict:
    """La page du vérificateur (banc_page.py) ; sans Chromium, Node ou Pyodide, la raison."""
    import importlib

    sys.path.insert(0, str(ICI))
    try:
        banc_page = importlib.import_module("banc_page")
        return banc_page.mesurer(repetitions, lent)
    except Exception as exc:  # le reste du banc vaut quand même
        return {"erreur": f"{type(exc).__name__} : {exc}"}


def mesurer(n_organisations: int, n_naif: int | None) -> dict:
    dossier, registre = preparer(n_organisations)
    fichiers = fichiers_de(dossier)
    n = len(fichiers)
    petit_dossier, petit_registre = preparer(max(1, n_organisations // 10))
    n_petit = len(fichiers_de(petit_dossier))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def compiler(source: Path, liste: Path, sortie: str, *options: str, repetitions=1):
            return _commande(
                ["compiler", str(source), "-r", str(liste), "-p", "2026", "-o", str(tmp / sortie),
                 "--format", "json", *options],
                repetitions=repetitions,
            )  # fmt: skip

        compile_s, memoire = compiler(dossier, registre, "r", repetitions=3)
        compile_1cpu_s, _ = compiler(dossier, registre, "r1", "--jobs", "1")
        compile_petit_s, _ = compiler(petit_dossier, petit_registre, "p")
        aide_s, _ = _commande(["--help"], repetitions=5)
        python_nu_s = statistics.median(_duree([sys.executable, "-c", "pass"]) for _ in range(5))
        un_fichier = next(f for f in fichiers if "cible-5.1" in f.name)
        valider_s, _ = _commande(["valider", str(un_fichier)], repetitions=5)
        gabarit_s, _ = _commande(
            ["gabarit", "-r", str(registre), "-p", "2026", "-o", str(tmp / "g")]
        )
        n_gabarits = len(list((tmp / "g").rglob("*.xlsx")))

    detail = phases(dossier, registre)
    preremplis = gabarits_preremplis(registre)
    basse_s = statistics.median(borne_basse(fichiers) for _ in range(3))
    echantillon = fichiers if n_naif is None else fichiers[:n_naif]
    naif_mesure_s = pair_naif(echantillon)
    naif_s = naif_mesure_s * n / len(echantillon)
    cache_ods = preparer_ods(dossier)
    ods = lecture_ods(cache_ods) if cache_ods is not None else None

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "coeurs": os.cpu_count(),
            "processeur": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "fichiers": n,
        "compiler_s": compile_s,
        "compiler_1_processus_s": compile_1cpu_s,
        "compiler_fichiers_par_s": n / compile_s,
        "phases_1_processus": detail,
        "borne_basse_s": basse_s,
        "borne_basse_fichiers_par_s": n / basse_s,
        "rapport_compiler_sur_borne_basse": compile_s / basse_s,
        "pandas_naif_s": naif_s,
        "pandas_naif_fichiers_mesures": len(echantillon),
        "pandas_naif_fichiers_par_s": len(echantillon) / naif_mesure_s,
        "rapport_naif_sur_compiler": naif_s / compile_s,
        "croissance": {
            "petit_fichiers": n_petit,
            "petit_s": compile_petit_s,
            "rapport_temps": compile_s / compile_petit_s,
            "rapport_fichiers": n / n_petit,
        },
        "memoire": memoire,
        "aide_s": aide_s,
        "python_seul_s": python_nu_s,
        "valider_un_fichier_s": valider_s,
        "gabarit_registre_s": gabarit_s,
        "gabarit_registre_fichiers": n_gabarits,
        "ods": ods,
        "gabarits_preremplis": preremplis,
    }


def _pourcent_fr(x: float, decimales: int = 2) -> str:
    """Un nombre à la québécoise : virgule décimale."""
    return f"{x:.{decimales}f}".replace(".", ",")


def afficher(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    def s(x: float) -> str:
        return f"{_pourcent_fr(x)} s"

    charge = r.get("charge", {})
    table = Table(
        title=f"Banc d'essai barometre — {r.get('fichiers', '?')} classeurs, {r['date']} "
        f"(charge {charge.get('debut', '?')} → {charge.get('fin', '?')})"
    )
    table.add_column("Mesure")
    table.add_column("Valeur", justify="right")
    table.add_column("Objectif")
    lignes: list[tuple[str, str, str]] = []
    if "compiler_s" in r:
        c = r["croissance"]
        p = r["phases_1_processus"]
        g = r["gabarits_preremplis"]
        lignes += [
            (
                "compiler (bout en bout, 2 processus)",
                f"{s(r['compiler_s'])} — {r['compiler_fichiers_par_s']:.0f} fichiers/s",
                "",
            ),
            ("compiler --jobs 1", s(r["compiler_1_processus_s"]), ""),
            ("  phase lecture (1 processus)", s(p["lecture_s"]), ""),
            ("  phase vérification", s(p["verification_s"]), ""),
            ("  phase calcul (rétention + pandas)", s(p["calcul_s"]), ""),
            ("  phase écriture (xlsx, csv)", s(p["ecriture_s"]), ""),
            (
                "borne basse (unzip + lxml, 1 cœur)",
                f"{s(r['borne_basse_s'])} — {r['borne_basse_fichiers_par_s']:.0f} fichiers/s",
                "",
            ),
            (
                "compiler / borne basse",
                f"{_pourcent_fr(r['rapport_compiler_sur_borne_basse'])}×",
                "≤ 1,3×",
            ),
            (
                f"pandas.read_excel naïf ({r['pandas_naif_fichiers_mesures']} mesurés)",
                f"{s(r['pandas_naif_s'])} — {_pourcent_fr(r['pandas_naif_fichiers_par_s'], 1)} fichiers/s",
                "",
            ),
            ("naïf / compiler", f"{_pourcent_fr(r['rapport_naif_sur_compiler'], 1)}×", "≥ 15×"),
            (
                f"croissance {c['petit_fichiers']} → {r['fichiers']} fichiers",
                f"{_pourcent_fr(c['rapport_temps'], 1)}× le temps pour {c['rapport_fichiers']:.0f}× les fichiers",
                "≤ 11×",
            ),
            (
                "mémoire de pointe, processus principal",
                f"{r['memoire']['rss_principal_mo']:.0f} Mo",
                "≤ 300 Mo",
            ),
            (
                "mémoire de pointe, processus de lecture",
                f"{r['memoire']['rss_processus_lecture_mo']:.0f} Mo",
                "≤ 300 Mo",
            ),
            ("démarrage de Python seul (repère)", s(r["python_seul_s"]), ""),
            ("barometre --help", s(r["aide_s"]), "≤ 0,25 s"),
            ("barometre valider (1 fichier)", s(r["valider_un_fichier_s"]), "≤ 0,5 s"),
            (
                f"barometre gabarit --registre ({r['gabarit_registre_fichiers']} gabarits)",
                s(r["gabarit_registre_s"]),
                "≤ 30 s",
            ),
            (
                "gabarits préremplis : chemin d'avant / commande",
                f"{s(g['avant_s'])} / {s(g['commande_s'])} = {_pourcent_fr(g['acceleration'], 1)}×",
                "≥ 3×",
            ),
        ]
    page = r.get("page")
    if page and "erreur" in page:
        lignes.append(("page du vérificateur", page["erreur"][:60], ""))
    elif page:
        for cle, titre, objectif in (
            ("froid", "page : premier verdict, à froid / Pyodide nu", "≤ 0,8×"),
            ("retour", "page : premier verdict, au retour / Pyodide nu", "≤ 0,6×"),
            ("reseau_lent_gzip", "page, 10 Mbit/s, gzip / Pyodide nu", ""),
            ("reseau_lent_brut", "page, 10 Mbit/s, sans compression / Pyodide nu", ""),
            ("quart_de_coeur", "page, un quart de cœur / Pyodide nu", ""),
        ):
            if cle in page:
                m = page[cle]
                lignes.append(
                    (
                        titre,
                        f"{s(m['page_s'])} / {s(m['nu_s'])} = {_pourcent_fr(m['rapport'])}×",
                        objectif,
                    )
                )
    if r.get("ods"):
        for moteur in ("lxml", "stdlib"):
            for nom, libelle in (
                ("lecture", "lecture"),
                ("lecture_et_verification", "lecture + règles"),
            ):
                m = r["ods"][f"{moteur}_{nom}"]
                lignes.append(
                    (
                        f".ods / .xlsx, {libelle} ({moteur}, {r['ods']['fichiers']} classeurs de Calc)",
                        f"{_pourcent_fr(m['rapport'])}× — {_pourcent_fr(m['ods_ms'], 1)} / "
                        f"{_pourcent_fr(m['xlsx_ms'], 1)} ms",
                        "≤ 1,5×",
                    )
                )
    for ligne in lignes:
        table.add_row(*ligne)
    Console(width=130).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description="Banc d'essai de barometre.")
    parser.add_argument(
        "--organisations", type=int, default=300, help="organisations (× 10 cibles)"
    )
    parser.add_argument(
        "--naif", type=int, default=None, help="fichiers lus par le pair naïf (défaut : tous)"
    )
    parser.add_argument(
        "--page", choices=("oui", "non", "seule"), default="oui",
        help="mesurer la page du vérificateur dans Chromium (défaut : oui)",
    )  # fmt: skip
    parser.add_argument(
        "--repetitions-page", type=int, default=5, help="mesures appariées de la page"
    )
    parser.add_argument(
        "--json", type=Path, default=ICI / "resultats.json", help="fichier JSON écrit"
    )
    parser.add_argument(
        "--ods-seulement",
        action="store_true",
        help="seulement la lecture .ods face à .xlsx (les mêmes classeurs, enregistrés par Calc)",
    )
    arguments = parser.parse_args()
    if arguments.ods_seulement:
        dossier, _ = preparer(arguments.organisations)
        cache = preparer_ods(dossier)
        if cache is None:
            raise SystemExit(
                "LibreOffice (soffice) est requis pour convertir les classeurs en .ods."
            )
        print(json.dumps(lecture_ods(cache), ensure_ascii=False, indent=2))
        return
    charge_debut = os.getloadavg()[0]
    resultats: dict = {}
    if arguments.page != "seule":
        resultats = mesurer(arguments.organisations, arguments.naif)
    if arguments.page != "non":
        resultats["page"] = mesurer_page(arguments.repetitions_page, lent=True)
    resultats.setdefault("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    resultats["charge"] = {"debut": round(charge_debut, 2), "fin": round(os.getloadavg()[0], 2)}
    afficher(resultats)
    texte = json.dumps(resultats, ensure_ascii=False, indent=2)
    arguments.json.write_text(texte + "\n", encoding="utf-8")
    print(texte)


if __name__ == "__main__":
    main()
