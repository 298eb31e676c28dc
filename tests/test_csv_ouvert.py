"""Le fichier de données ouvertes et sa description."""

from __future__ import annotations

import json

from barometre_cli.compilation.consolidation import consolider
from barometre_cli.sorties.csv_ouvert import datapackage, ecrire_csv

# 5. Données ouvertes sans registre -------------------------------------------------------------


def test_datapackage_dit_qu_il_n_y_avait_pas_de_registre():
    avec = datapackage("2026")
    sans = datapackage("2026", registre_fourni=False)
    assert "aucun registre" not in avec["description"]
    assert "aucun registre des organisations ciblées n'a été fourni" in sans["description"]
    assert "4.1 et 6.1" in sans["description"] and "surestimés" in sans["description"]
    champs = {c["name"]: c for c in sans["resources"][0]["schema"]["fields"]}
    assert "répondantes seulement" in champs["organisations_ciblees"]["description"]


def test_ecrire_csv_transmet_l_absence_de_registre(collecte_retroaction, tmp_path):
    resultats = consolider(collecte_retroaction).resultats
    ecrire_csv(resultats, tmp_path, "2026", registre_fourni=False)
    paquet = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "aucun registre" in paquet["description"]
    ecrire_csv(resultats, tmp_path, "2026")  # l'appel actuel reste valable
    paquet = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "aucun registre" not in paquet["description"]
