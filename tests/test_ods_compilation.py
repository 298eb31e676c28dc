"""L'exemple livré converti en .ods par LibreOffice compile aux mêmes résultats que les .xlsx,
seul ou mêlé aux .xlsx (un envoi dans un format, sa correction dans l'autre).

La conversion (`tests/donnees/exemple_ods.py`) demande `soffice` ; elle est faite une fois puis
gardée en cache. Sans LibreOffice, ces tests sont sautés avec la raison.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from barometre_cli.commandes import compiler
from tests.donnees.exemple_ods import EXEMPLE, exemple_en_ods

RACINE = Path(__file__).resolve().parents[1]
REGISTRE = RACINE / "exemples" / "registre.csv"

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) absent : pas de conversion .ods"
)


@pytest.fixture(scope="module")
def dossier_ods() -> Path:
    return exemple_en_ods()


@pytest.fixture(scope="module")
def sorties_xlsx(tmp_path_factory) -> Path:
    sortie = tmp_path_factory.mktemp("xlsx") / "resultats"
    compiler(EXEMPLE, registre=REGISTRE, periode="2026", sortie=sortie, jobs=1)
    return sortie


def _journal(sortie: Path) -> dict[str, tuple[str, str, str]]:
    """Fichier (sans extension) → (statut, cibles retenues, format), d'après journal.csv."""
    with (sortie / "journal.csv").open(encoding="utf-8-sig", newline="") as flux:
        return {
            ligne["fichier"].rsplit(".", 1)[0]: (
                ligne["statut"],
                ligne["cibles_retenues"],
                ligne["format"],
            )
            for ligne in csv.DictReader(flux)
        }


def test_exemple_en_ods_memes_resultats(dossier_ods: Path, sorties_xlsx: Path, tmp_path) -> None:
    sortie = tmp_path / "resultats"
    compilation = compiler(dossier_ods, registre=REGISTRE, periode="2026", sortie=sortie, jobs=2)
    assert (sortie / "resultats.csv").read_bytes() == (sorties_xlsx / "resultats.csv").read_bytes()
    assert (sortie / "organisations.csv").read_bytes() == (
        sorties_xlsx / "organisations.csv"
    ).read_bytes()
    # Le même sort pour chaque fichier ; le journal dit le format de chacun.
    ods, xlsx = _journal(sortie), _journal(sorties_xlsx)
    assert {f: v[:2] for f, v in ods.items()} == {f: v[:2] for f, v in xlsx.items()}
    formats = {v[2] for f, v in ods.items() if not f.endswith("notes-de-reunion")}
    assert formats == {"ods"} and ods["AP02/notes-de-reunion"][2] == ""
    assert {v[2] for f, v in xlsx.items() if not f.endswith("notes-de-reunion")} == {"xlsx"}
    assert len(compilation.collecte.retenues) > 300


def test_dossier_mele_memes_resultats(dossier_ods: Path, sorties_xlsx: Path, tmp_path) -> None:
    """Une organisation sur deux en .ods ; AP06 envoie son classeur en .xlsx et sa correction
    en .ods : la plus récente compte, quel que soit le format."""
    mele = tmp_path / "mele"
    shutil.copytree(EXEMPLE, mele)
    organisations = sorted(p.name for p in mele.iterdir() if p.is_dir())
    for organisation in organisations[::2]:
        for xlsx in (mele / organisation).glob("*.xlsx"):
            ods = dossier_ods / organisation / xlsx.with_suffix(".ods").name
            if ods.is_file():
                xlsx.unlink()
                shutil.copy2(ods, xlsx.with_suffix(".ods"))
    assert "AP06" not in organisations[::2]  # AP06 reste en .xlsx, sauf sa correction :
    corrige = "barometre-2026-cible-1.1-AP06-corrige"
    (mele / "AP06" / f"{corrige}.xlsx").unlink()
    shutil.copy2(dossier_ods / "AP06" / f"{corrige}.ods", mele / "AP06")

    sortie = tmp_path / "resultats"
    compiler(mele, registre=REGISTRE, periode="2026", sortie=sortie, jobs=2)
    assert (sortie / "resultats.csv").read_bytes() == (sorties_xlsx / "resultats.csv").read_bytes()
    journal = _journal(sortie)
    assert {v[2] for v in journal.values()} == {"ods", "xlsx", ""}
    assert journal[f"AP06/{corrige}"] == ("retenu", "1.1", "ods")
    assert journal["AP06/barometre-2026-cible-1.1-AP06"][::2] == ("écarté", "xlsx")
