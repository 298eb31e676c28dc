"""Fuzz des textes : longs et répétitifs, partout où un répondant écrit, le temps de `valider`
reste borné par fichier (issue 19).

Un courriel de 32 002 caractères prenait 11,7 s, de 900 000 ne finissait jamais ; 100 Ko de
« xmlns:! » faisaient 37,6 s. Chaque classeur est validé dans un processus à part, sur les deux
moteurs XML ; le programme mesure chaque validation et échoue au-delà d'une borne généreuse
(`BORNE`, cent fois le temps ordinaire), pour qu'une machine chargée ne le fasse pas mentir.
Les chiffres fins sont dans le banc (`benchmarks/robustesse.py`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
#: Secondes par fichier au plus (une validation ordinaire en prend moins d'une).
BORNE = 20

PROGRAMME = r"""
import sys, time
from pathlib import Path
from barometre_cli.lecture import xml
from barometre_cli.validation.regles import valider_fichier
from tests.hostiles_robustesse import textes_fuzz

dossier, borne = Path(sys.argv[2]), float(sys.argv[4])
pire = (0.0, "")
for i, (description, octets) in enumerate(textes_fuzz(int(sys.argv[1]), int(sys.argv[3]))):
    chemin = dossier / f"f{i}.xlsx"
    chemin.write_bytes(octets)
    for moteur in ("lxml", "stdlib"):
        xml.choisir(moteur)
        debut = time.perf_counter()
        rapport = valider_fichier(chemin)
        duree = time.perf_counter() - debut
        if any("structure inattendue" in c.message for c in rapport.constats):
            print("EXCEPTION IMPREVUE", description, moteur)
            sys.exit(3)
        if any(len(c.message) > 2000 for c in rapport.constats):
            print("MESSAGE DEMESURE", description, moteur)
            sys.exit(4)
        if duree > borne:
            print(f"TROP LENT {duree:.1f} s", description, moteur)
            sys.exit(5)
        pire = max(pire, (duree, f"{description} ({moteur})"))
    chemin.unlink()
print(f"OK ; pire : {pire[0]:.2f} s pour {pire[1]}")
"""


def test_textes_longs_et_repetitifs_temps_borne_par_fichier(tmp_path):
    fin = subprocess.run(
        [sys.executable, "-c", PROGRAMME, "20261206", str(tmp_path), "80", str(BORNE)],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=80 * 2 * BORNE,
    )
    assert fin.returncode == 0, (fin.stdout[-500:], fin.stderr[-1500:])
    assert fin.stdout.startswith("OK"), fin.stdout
    print(fin.stdout.strip())
