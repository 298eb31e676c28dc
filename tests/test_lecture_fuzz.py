"""Fuzz déterministe de la lecture : des feuilles mutées au hasard, jamais d'exception ni d'arrêt.

Chaque mutation part d'un vrai gabarit rempli et abîme le XML de la feuille de saisie (octets
remplacés, insérés, supprimés, références de cellule poussées très loin), puis la recompresse ;
de même pour le content.xml d'un .ods enregistré par Calc (répétitions géantes ou nulles,
dates, heures et nombres mal formés, espaces sans fin).
La lecture tourne dans un processus à part, pour qu'un arrêt se voie ; elle doit soit refuser
le fichier avec un constat précis, soit le lire avec ses noms définis — jamais passer par le
filet « structure inattendue », qui trahirait une exception imprévue.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

RACINE = Path(__file__).resolve().parent.parent

PROGRAMME = r"""
import sys
from pathlib import Path
from barometre_cli import lecture
from tests import hostiles

dossier = Path(sys.argv[2])
mutations = getattr(hostiles, sys.argv[4])
for i, octets in enumerate(mutations(int(sys.argv[1]), int(sys.argv[3]))):
    chemin = dossier / f"m{i}.{sys.argv[5]}"
    chemin.write_bytes(octets)
    lu = lecture.lire_classeur(chemin)
    if any("structure inattendue" in c.message for c in lu.constats):
        print("EXCEPTION IMPREVUE", i, lu.constats[0].message)  # le filet a servi : un bogue
        sys.exit(3)
    if lu.lisible and not lu.noms:
        print("LISIBLE SANS NOMS", i)
        sys.exit(4)
print("OK")
"""


@pytest.mark.parametrize(
    ("mutations", "extension", "nombre"),
    # Un content.xml de .ods porte toutes les feuilles : chaque mutation coûte plus cher à lire.
    [("mutations_feuille", "xlsx", 300), ("mutations_ods", "ods", 150)],
)
def test_mutations_ni_exception_ni_arret(tmp_path, mutations, extension, nombre):
    fin = subprocess.run(
        [
            sys.executable,
            "-c",
            PROGRAMME,
            "20261122",
            str(tmp_path),
            str(nombre),
            mutations,
            extension,
        ],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert fin.returncode == 0, (fin.stdout[-300:], fin.stderr[-800:])
    assert fin.stdout.strip().endswith("OK")
