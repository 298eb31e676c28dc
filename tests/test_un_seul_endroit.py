"""Chaque changement à un seul endroit : quatre changements réels, faits dans une copie du dépôt.

Un seuil, une onzième cible d'un type de calcul nouveau, une sortie, une vérification : chacun
s'écrit dans un seul module (et sa ligne d'inscription), puis `python -m barometre_cli.regenerer`
refait tous les fichiers dérivés ; tout ce que les gens lisent suit (gabarits, aide, README,
docs, données ouvertes, page, console), et `--verifier` le confirme. Les commandes tournent
dans des processus à part, sur la copie (PYTHONPATH), comme chez un mainteneur.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[1]


def _copier(dest: Path) -> Path:
    ignorer = shutil.ignore_patterns("__pycache__", "*.pyc")
    for nom in ("barometre_cli", "exemples", "docs", "gabarits"):
        shutil.copytree(RACINE / nom, dest / nom, ignore=ignorer)
    shutil.copy2(RACINE / "README.md", dest / "README.md")
    (dest / "tests").mkdir()
    shutil.copytree(RACINE / "tests" / "donnees", dest / "tests" / "donnees", ignore=ignorer)
    return dest


def _lancer(copie: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    environnement = {**os.environ, "PYTHONPATH": str(copie), "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=cwd or copie,
        env=environnement,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def _remplacer(chemin: Path, avant: str, apres: str) -> None:
    texte = chemin.read_text(encoding="utf-8")
    assert texte.count(avant) == 1, avant
    chemin.write_text(texte.replace(avant, apres), encoding="utf-8")


def _textes_du_classeur(chemin: Path) -> str:
    """Tout le texte et toutes les formules d'un classeur (ses parties XML), pour y chercher."""
    with zipfile.ZipFile(chemin) as archive:
        return "\n".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        )


# --- Les quatre changements, tels qu'un mainteneur les écrirait -----------------------------

#: Une onzième cible d'un type de calcul nouveau : la moyenne des proportions des
#: organisations. Une unité (ce module) et sa ligne d'inscription ; la cible, au catalogue.
UNITE_MOYENNE = '''
"""Moyenne (7.1) : la moyenne des proportions des organisations retenues."""

from __future__ import annotations

from fractions import Fraction

from barometre_cli.calculs.base import POINT_VARIATION_FORTE, Agregat
from barometre_cli.calculs.ratio import Ratio


class Moyenne(Ratio):
    calcul = "moyenne"
    regle_portee = "la moyenne des proportions des organisations retenues"
    points_a_verifier = frozenset({POINT_VARIATION_FORTE})

    def agreger(self, lignes, ciblees):
        parts = [
            Fraction(int(n), int(d))
            for n, d in zip(lignes["numerateur"], lignes["denominateur"], strict=True)
            if int(d) > 0
        ]
        moyenne = sum(parts, Fraction(0)) / len(parts) if parts else None
        return Agregat(len(parts), len(lignes), moyenne)


TYPE = Moyenne()
'''

CIBLE_7_1 = """    _cible_ratio(
        "7.1",
        2,
        6,
        "70 % en moyenne des demandes sont traitées en ligne",
        70,
        "Moyenne des proportions de demandes traitées en ligne",
        "Nombre de demandes traitées en ligne",
        "Nombre total de demandes",
        "Que chaque organisation traite en ligne la plupart de ses demandes.",
        ("Service numérique",),
        "Comptez les demandes reçues depuis le 3 juin 2019 (dénominateur) puis, parmi elles, "
        "celles traitées en ligne (numérateur).",
        calcul="moyenne",
    ),
)"""

SORTIE_JSONL = """
def _lignes_json(collecte, conso, dossier):
    import json

    chemin = dossier / "resultats.jsonl"
    lignes = conso.resultats.to_dict("records")
    chemin.write_text("".join(json.dumps(ligne, ensure_ascii=False) + "\\n" for ligne in lignes),
                      encoding="utf-8")
    return [chemin]


ECRIVAINS = (
    *ECRIVAINS,
    Ecrivain(
        "jsonl",
        _lignes_json,
        ("resultats.jsonl",),
        "les résultats en JSON Lines, une ligne par cible et par portée, pour les scripts.",
        facultative=True,
    ),
)
"""

VERIFICATION_COURRIEL = """

COURRIEL_MANQUANT = definir(
    "courriel-manquant",
    A,
    "L'adresse courriel de la personne répondante est vide.",
    "L'adresse courriel de la personne répondante est vide : inscrivez-la pour que le "
    "Ministère puisse vous joindre.",
    "À remplir : le Ministère doit pouvoir vous joindre.",
    famille="identification",
)


@verification(COURRIEL_MANQUANT)
def courriel_manquant(ctx: Contexte) -> Iterator[Constat]:
    plage = ctx.classeur.noms["repondant_courriel"]
    if not texte_de(plage.valeur):
        yield constat(COURRIEL_MANQUANT, plage.feuille, plage.adresse())
"""


@pytest.fixture(scope="module")
def copie(tmp_path_factory) -> Path:
    """Le dépôt copié, les quatre changements faits, puis les fichiers dérivés refaits."""
    copie = _copier(tmp_path_factory.mktemp("depot"))
    paquet = copie / "barometre_cli"
    # 1. Le seuil de 5.1 : une ligne du catalogue.
    _remplacer(
        paquet / "catalogue" / "cibles.py",
        "SEUIL_TAUX_UTILISATION = Seuil(Fraction(75, 100), strict=True)",
        "SEUIL_TAUX_UTILISATION = Seuil(Fraction(80, 100), strict=True)",
    )
    # 2. Un type de calcul nouveau : son unité et sa ligne d'inscription ; la cible au catalogue.
    (paquet / "calculs" / "moyenne.py").write_text(UNITE_MOYENNE, encoding="utf-8")
    _remplacer(
        paquet / "calculs" / "__init__.py",
        "jeux_donnees, liste_fixe, ratio, taux_utilisation\n",
        "jeux_donnees, liste_fixe, moyenne, ratio, taux_utilisation\n",
    )
    _remplacer(
        paquet / "calculs" / "__init__.py",
        "for t in (ratio, condition, taux_utilisation, liste_fixe, jeux_donnees)",
        "for t in (ratio, condition, taux_utilisation, liste_fixe, jeux_donnees, moyenne)",
    )
    cibles = paquet / "catalogue" / "cibles.py"
    texte = cibles.read_text(encoding="utf-8").rstrip()
    assert texte.endswith("),\n)")
    cibles.write_text(texte[: -len("\n)")] + "\n" + CIBLE_7_1 + "\n", encoding="utf-8")
    _remplacer(cibles, "    maximum: int = MAX_ELEMENTS,\n) -> Cible:",
               "    maximum: int = MAX_ELEMENTS,\n    calcul: str = Calcul.RATIO,\n) -> Cible:")  # fmt: skip
    _remplacer(cibles, "        calcul=Calcul.RATIO,\n        champs=_ratio(",
               "        calcul=calcul,\n        champs=_ratio(")  # fmt: skip
    # 3. Une sortie facultative : un module (ici, dans le paquet des sorties) et son inscription.
    sorties = paquet / "sorties" / "__init__.py"
    sorties.write_text(sorties.read_text(encoding="utf-8") + SORTIE_JSONL, encoding="utf-8")
    # 4. Une vérification : ses codes et sa règle, inscrits dans la liste.
    verifications = paquet / "validation" / "verifications.py"
    verifications.write_text(
        verifications.read_text(encoding="utf-8") + VERIFICATION_COURRIEL, encoding="utf-8"
    )

    avant = _lancer(copie, "barometre_cli.regenerer", "--verifier")
    assert avant.returncode == 1, avant.stdout + avant.stderr
    copie.joinpath("perimes-avant.txt").write_text(avant.stdout, encoding="utf-8")
    refait = _lancer(copie, "barometre_cli.regenerer")
    assert refait.returncode == 0, refait.stdout + refait.stderr
    apres = _lancer(copie, "barometre_cli.regenerer", "--verifier")
    assert apres.returncode == 0, apres.stdout + apres.stderr
    return copie


def test_verifier_nomme_chaque_fichier_perime(copie):
    perimes = (copie / "perimes-avant.txt").read_text(encoding="utf-8")
    for nom in (
        "gabarits/barometre-cible-5.1.xlsx",
        "gabarits/barometre-cible-7.1.xlsx",
        "docs/constats.md",
        "docs/interface.md",
        "README.md",
    ):
        assert f"périmé : {nom}" in perimes


def test_le_seuil_change_partout_dans_le_gabarit(copie):
    textes = _textes_du_classeur(copie / "gabarits" / "barometre-cible-5.1.xlsx")
    assert "supérieur à 80 %" in textes and "&gt; 80 %" in textes
    for ancien in ("supérieur à 75", "&gt; 75 %", "75 % pile", "dépasse 75 %"):
        assert ancien not in textes, ancien
    # La comparaison exacte en entiers : 80 % = 4/5 (75 % était `*4>…*3`).
    assert re.search(r"\*5&gt;[^<]*\*4", textes) and not re.search(r"\*4&gt;[^<]*\*3", textes)
    # Le calcul suit aussi : un service à 78 % ne compte plus.
    programme = (
        "from barometre_cli.catalogue import cible\n"
        "from barometre_cli.calculs.taux_utilisation import service_compte\n"
        "print(service_compte(cible('5.1'), 78, 100), service_compte(cible('5.1'), 81, 100))"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", programme],
        env={**os.environ, "PYTHONPATH": str(copie)},
        cwd=copie,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sortie == ["False", "True"]


def test_la_nouvelle_cible_ne_change_que_ses_propres_classeurs(copie):
    originaux = {p.relative_to(RACINE): p.read_bytes() for p in (RACINE / "exemples").rglob("*")
                 if p.is_file() and p.suffix != ".py"}  # fmt: skip
    nouveaux = {p.relative_to(copie): p.read_bytes() for p in (copie / "exemples").rglob("*")
                if p.is_file() and p.suffix != ".py"}  # fmt: skip
    ajoutes = set(nouveaux) - set(originaux)
    assert ajoutes and all("-cible-7.1-" in p.name for p in ajoutes)
    # Réécrits : les classeurs de 5.1 seulement, dont le gabarit porte le seuil changé.
    reecrits = {p for p, octets in originaux.items() if nouveaux[p] != octets}
    assert reecrits and all("-cible-5.1-" in p.name for p in reecrits), sorted(reecrits)[:5]


@pytest.fixture(scope="module")
def compilation(copie) -> Path:
    sortie = copie / "resultats"
    fini = _lancer(
        copie,
        "barometre_cli",
        "compiler",
        "exemples/classeurs",
        "--registre",
        "exemples/registre.csv",
        "--periode",
        "2026",
        "--avec",
        "jsonl",
        "-o",
        str(sortie),
    )
    assert fini.returncode == 0, fini.stdout + fini.stderr
    (sortie / "console.txt").write_text(fini.stdout, encoding="utf-8")
    return sortie


def test_le_type_nouveau_se_calcule_et_se_dit(compilation):
    lignes = list(csv.DictReader(io.StringIO((compilation / "resultats.csv").read_text("utf-8"))))
    ligne = next(r for r in lignes if r["cible"] == "7.1" and r["portee"] == "ensemble")
    assert 0 < float(ligne["resultat"]) <= 1
    paquet = json.loads((compilation / "datapackage.json").read_text(encoding="utf-8"))
    assert paquet["description"].startswith("Résultats des onze cibles")
    resultat = next(
        c for c in paquet["resources"][0]["schema"]["fields"] if c["name"] == "resultat"
    )
    assert "pour la cible 7.1, c'est la moyenne des proportions" in resultat["description"]
    assert "(1.1 à 7.1)" in json.dumps(paquet, ensure_ascii=False)
    page = (compilation / "barometre.html").read_text(encoding="utf-8")
    assert "les onze cibles" in page and "la moyenne des proportions" in page
    # Une moyenne : la part d'une organisation dans un total n'a rien à signaler, alors
    # qu'elle le serait pour un ratio ; c'est l'unité du type qui le dit.
    programme = (
        "import pandas as pd\n"
        "from barometre_cli.compilation.a_verifier import points_a_verifier\n"
        "lignes = [dict(code=o, cible=c, numerateur=n, denominateur=100, fichier='f')\n"
        "          for c in ('1.1', '7.1') for o, n in (('A', 90), ('B', 5), ('C', 5))]\n"
        "print(sorted({(p.code, p.cible) for p in points_a_verifier(pd.DataFrame(lignes))}))\n"
    )
    fini = subprocess.run(
        [sys.executable, "-c", programme],
        env={**os.environ, "PYTHONPATH": str(compilation.parent)},
        cwd=compilation.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert fini.stdout.strip() == "[('contribution-dominante', '1.1')]"


def test_la_sortie_nouvelle_est_ecrite_et_annoncee(copie, compilation):
    assert (compilation / "resultats.jsonl").read_text(encoding="utf-8").count("\n") == 11 * 4
    assert "resultats.jsonl" in (compilation / "console.txt").read_text(encoding="utf-8")
    aide = " ".join(_lancer(copie, "barometre_cli", "compiler", "--help").stdout.split())
    assert "Avec --avec jsonl : resultats.jsonl." in aide  # où que la console coupe la ligne
    readme = (copie / "README.md").read_text(encoding="utf-8")
    assert "- `resultats.jsonl` : les résultats en JSON Lines" in readme


def test_la_verification_nouvelle_a_ses_mots_partout(copie, tmp_path):
    docs = (copie / "docs" / "constats.md").read_text(encoding="utf-8")
    assert "| `courriel-manquant` | avertissement | L'adresse courriel" in docs
    classeur = copie / "exemples" / "classeurs" / "AP01" / "barometre-2026-cible-1.1-AP01.xlsx"
    programme = (
        "import sys\n"
        "from barometre_cli.gabarit.remplissage import remplir\n"
        "octets = open(sys.argv[1], 'rb').read()\n"
        "open(sys.argv[2], 'wb').write(remplir(octets, {'repondant_courriel': ''}))\n"
    )
    vide = tmp_path / "sans-courriel.xlsx"
    subprocess.run(
        [sys.executable, "-c", programme, str(classeur), str(vide)],
        env={**os.environ, "PYTHONPATH": str(copie)},
        cwd=copie,
        check=True,
    )
    fini = _lancer(copie, "barometre_cli", "valider", str(vide), "--format", "json")
    constats = json.loads(fini.stdout)["fichiers"][0]["constats"]
    assert [c["code"] for c in constats] == ["courriel-manquant"]
    assert constats[0]["message"].startswith("L'adresse courriel de la personne répondante est")
