"""Banc de robustesse (issue 19) : le temps et la mémoire des entrées hostiles, bornés.

    python benchmarks/robustesse.py            # tout (environ une minute)
    python benchmarks/robustesse.py --rapide   # sans les 20 000 versions en conflit

Les entrées viennent de `tests/hostiles_robustesse.py`. On mesure, dans la même exécution :
- `valider` (bibliothèque, sur les deux moteurs XML) sur chaque classeur hostile : courriel qui
  faisait reculer l'ancien motif (32 002, 100 000, 900 000 caractères), nom de 7,5 Mo, 100 Ko
  de « xmlns:! » avec un commentaire japonais, XML emboîté 3 000 fois ; et, pour comparaison,
  l'ancien motif du courriel sur les mêmes adresses (jusqu'à 32 002 caractères : au-delà, il ne
  finit pas) ;
- `barometre valider` en console sur le nom de 7,5 Mo (97 s avant) ;
- la lecture stricte d'un registre de 100 000 organisations ;
- la rétention de N versions en conflit (1 000, 5 000, 20 000) : temps, mémoire de pointe,
  taille du journal ;
- la publication de 400 fichiers, par échange de dossiers et par renommages.
Chaque mesure a une borne généreuse (dix à cent fois le temps attendu) : le programme sort avec
le code 1 si l'une est dépassée. Les chiffres sont consignés dans docs/performance.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

#: (mesure, valeur, unité, borne) ; une valeur au-delà de sa borne fait échouer le banc.
Mesure = tuple[str, float, str, float | None]


def _chrono(fonction) -> tuple[float, object]:
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat


def textes(dossier: Path) -> list[Mesure]:
    from barometre_cli.lecture import xml
    from barometre_cli.validation.regles import valider_fichier
    from tests import hostiles_robustesse as h

    mesures: list[Mesure] = []
    ancien = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
    for longueur in (32_002, 100_000, 900_000):
        adresse = h.courriel_qui_fait_reculer(longueur)
        if longueur <= 32_002:
            duree, _ = _chrono(lambda a=adresse: ancien.match(a))
            mesures.append((f"ancien motif du courriel, {longueur} car.", duree, "s", None))
        chemin = dossier / f"courriel-{longueur}.xlsx"
        chemin.write_bytes(h.classeur_texte("repondant_courriel", adresse))
    (dossier / "nom-7-mo.xlsx").write_bytes(h.classeur_texte_long("organisation_nom", 7_500_000))
    (dossier / "espaces-de-noms.xlsx").write_bytes(h.classeur_espaces_de_noms())
    (dossier / "xml-profond.xlsx").write_bytes(h.classeur_xml_profond(3000))
    for chemin in sorted(dossier.glob("*.xlsx")):
        for moteur in ("lxml", "stdlib"):
            xml.choisir(moteur)
            duree, rapport = _chrono(lambda c=chemin: valider_fichier(c))
            codes = ",".join(sorted({c.code for c in rapport.constats}))
            mesures.append((f"valider {chemin.name} ({moteur}) [{codes}]", duree, "s", 5.0))
    xml.choisir()
    commande = [sys.executable, "-m", "barometre_cli", "valider", str(dossier / "nom-7-mo.xlsx")]
    duree, fin = _chrono(
        lambda: subprocess.run(commande, capture_output=True, text=True, cwd=RACINE)
    )
    mesures.append(("barometre valider, nom de 7,5 Mo (console)", duree, "s", 20.0))
    mesures.append(("  sa sortie", len(fin.stdout) / 1000, "Ko", 20.0))
    return mesures


def registre(dossier: Path) -> list[Mesure]:
    from barometre_cli.domaine.registre import lire_registre

    chemin = dossier / "registre.csv"
    lignes = [
        f"R{i:06d};Organisation numéro {i};Administration publique;Personne {i};p{i}@exemple.ca"
        for i in range(100_000)
    ]
    chemin.write_text(
        "code;nom;reseau;contact_nom;contact_courriel\n" + "\n".join(lignes) + "\n",
        encoding="utf-8",
    )
    duree, organisations = _chrono(lambda: lire_registre(chemin))
    assert len(organisations) == 100_000
    return [("registre de 100 000 organisations, lecture stricte", duree, "s", 20.0)]


def conflits(nombres: tuple[int, ...]) -> list[Mesure]:
    from barometre_cli.compilation.collecte import retenir
    from barometre_cli.domaine.registre import Organisation
    from barometre_cli.sorties.journal_csv import texte_journal
    from tests.test_compilation import _versions

    mesures: list[Mesure] = []
    temps = {}
    for n in nombres:
        rapports = _versions(n)
        tracemalloc.start()
        duree, collecte = _chrono(
            lambda r=rapports: retenir(Path("recus"), r, [Organisation("A", "Agence")], "2026")
        )
        journal = texte_journal(collecte)
        pointe = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        temps[n] = duree
        mesures += [
            (f"{n} versions en conflit : rétention", duree, "s", 0.002 * n),
            ("  mémoire de pointe (rétention et journal)", pointe / 1e6, "Mo", 0.05 * n),
            ("  journal.csv", len(journal) / 1e6, "Mo", 0.001 * n),
        ]
    if len(nombres) > 1:
        petit, grand = nombres[0], nombres[-1]
        rapport = (temps[grand] / temps[petit]) / (grand / petit)
        mesures.append((f"croissance {petit} → {grand}, rapportée à N", rapport, "×", 3.0))
    return mesures


def publication(dossier: Path) -> list[Mesure]:
    from barometre_cli.ecriture.echange import echange_disponible
    from barometre_cli.ecriture.ensemble import Ensemble, ecrire_ensemble

    def ecrire(brouillon: Path) -> list[Path]:
        chemins = []
        for i in range(400):
            chemin = brouillon / f"ORG{i % 40:02d}" / f"gabarit-{i}.xlsx"
            chemin.parent.mkdir(exist_ok=True)
            chemin.write_bytes(b"x" * 20_000)
            chemins.append(chemin)
        return chemins

    mesures: list[Mesure] = []
    for mode in ("echange", "renommages"):
        if mode == "echange" and not echange_disponible():
            continue
        Ensemble.echange = mode == "echange"
        sortie = dossier / f"publication-{mode}"
        ecrire_ensemble(sortie, ecrire)  # un ensemble précédent à remplacer
        duree, _ = _chrono(lambda s=sortie: ecrire_ensemble(s, ecrire))
        mesures.append((f"publier 400 fichiers ({mode})", duree, "s", 30.0))
    Ensemble.echange = True
    return mesures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapide", action="store_true", help="sans les 20 000 versions")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="banc-robustesse-") as temporaire:
        dossier = Path(temporaire)
        mesures = [
            *textes(dossier),
            *registre(dossier),
            *conflits((1_000, 5_000) if options.rapide else (1_000, 5_000, 20_000)),
            *publication(dossier),
        ]
    echecs = 0
    for nom, valeur, unite, borne in mesures:
        depasse = borne is not None and valeur > borne
        echecs += depasse
        limite = f"≤ {borne:g} {unite}" if borne is not None else ""
        texte = f"{valeur:.3f}".replace(".", ",")
        print(f"{nom:<78} {texte:>10} {unite:<3} {limite:<14} {'DÉPASSÉ' if depasse else ''}")
    print(f"{len(mesures)} mesures, {echecs} borne(s) dépassée(s).")
    return 1 if echecs else 0


if __name__ == "__main__":
    sys.exit(main())
