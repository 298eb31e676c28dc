"""Fuzz déterministe de la lecture : des feuilles mutées au hasard, jamais d'exception ni d'arrêt.

Chaque mutation part d'un vrai gabarit rempli et abîme le XML de la feuille de saisie (octets
remplacés, insérés, supprimés, références de cellule poussées très loin), puis la recompresse.
La lecture tourne dans un processus à part, pour qu'un arrêt se voie ; elle doit soit refuser
le fichier avec un constat précis, soit le lire avec ses noms définis — jamais passer par le
filet « structure inattendue », qui trahirait une exception imprévue.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAMME = r"""
import io, random, sys, zipfile
from pathlib import Path
from barometre_cli import lecture
from barometre_cli.catalogue import cible
from barometre_cli.gabarit import octets_gabarit
from barometre_cli.remplissage import remplir

base = remplir(
    octets_gabarit(cible("5.1"), "2026"),
    {"organisation_code": "A", "organisation_nom": "B", "periode": 2026,
     "c5_1_services": [["Permis", 80, 100], ["Carte", 10, 20]]},
)
source = zipfile.ZipFile(io.BytesIO(base))
membres = {n: source.read(n) for n in source.namelist()}
feuille = membres["xl/worksheets/sheet2.xml"]
alea = random.Random(int(sys.argv[1]))
morceaux = [b'r="XFD1048576"', b'<row r="1048576">', b"<c\nr=", b"<!DOCTYPE", b"&#88;", b"<",
            b">", b'"', b"<f>1</f>", b' t="s"', b' t="e"', b"\x00", b"\xff", b"<x:c "]
dossier = Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    octets = bytearray(feuille)
    for _ in range(alea.randint(1, 4)):
        position = alea.randrange(len(octets))
        choix = alea.random()
        if choix < 0.4:
            octets[position:position] = alea.choice(morceaux)
        elif choix < 0.7:
            del octets[position:position + alea.randint(1, 40)]
        else:
            octets[position] = alea.randrange(256)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, donnees in membres.items():
            archive.writestr(nom, bytes(octets) if nom == "xl/worksheets/sheet2.xml" else donnees)
    chemin = dossier / f"m{i}.xlsx"
    chemin.write_bytes(tampon.getvalue())
    lu = lecture.lire_classeur(chemin)
    if any("structure inattendue" in c.message for c in lu.constats):
        print("EXCEPTION IMPREVUE", i, lu.constats[0].message)  # le filet a servi : un bogue
        sys.exit(3)
    if lu.lisible and not lu.noms:
        print("LISIBLE SANS NOMS", i)
        sys.exit(4)
print("OK")
"""


def test_mutations_ni_exception_ni_arret(tmp_path):
    fin = subprocess.run(
        [sys.executable, "-c", PROGRAMME, "20261122", str(tmp_path), "300"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert fin.returncode == 0, (fin.stdout[-300:], fin.stderr[-800:])
    assert fin.stdout.strip().endswith("OK")
