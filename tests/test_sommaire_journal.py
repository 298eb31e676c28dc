"""La feuille Journal de sommaire.xlsx, écrite en XML sans passer par les cellules d'openpyxl,
se relit comme celle qu'openpyxl écrivait cellule par cellule : mêmes valeurs, mêmes types,
mêmes formats, textes toujours littéraux ; et l'archive reste un classeur valide."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from barometre_cli.compilation.collecte import collecter
from barometre_cli.compilation.consolidation import consolider
from barometre_cli.domaine.colonnes import JOURNAL
from barometre_cli.domaine.registre import Organisation
from barometre_cli.ecriture.classeur import NOMBRE, table
from barometre_cli.sorties.journal_csv import lignes_journal
from barometre_cli.sorties.xlsx import ecrire_classeur
from tests.outils import classeur

AP = "Administration publique"


def _collecte(tmp_path):
    d = tmp_path / "recus"
    ratio = {"c1_1_numerateur": 1, "c1_1_denominateur": 2}
    classeur(d, "A/1.1.xlsx", "1.1", {**ratio, "organisation_nom": '=HYPERLINK("x")'}, code="A")
    classeur(d, "B/1.1.xlsx", "1.1", {**ratio, "organisation_nom": "  B < C & D  "}, code="B")
    classeur(d, "C/1.1.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2}, code="C")
    classeur(d, "D/1.2.xlsx", "1.2", {"c1_2_numerateur": 1, "c1_2_denominateur": 3,
             "organisation_nom": "-Dé\u00a0tour\x1b"}, code="D",
             modifie=datetime(2026, 4, 1, 23, 59, 30, tzinfo=UTC))  # fmt: skip
    (d / "E").mkdir()
    (d / "E" / "notes.xlsx").write_bytes(b"pas un classeur")
    registre = [Organisation(c, f"Org {c}", AP) for c in "ABCDE"]
    return collecter(d, registre, "2026")


def _journal_cellule_par_cellule(collecte):
    """Le journal tel que l'écrivait `table` avant : chaque cellule par openpyxl."""
    formats = {"modifie": "yyyy-mm-dd hh:mm", "erreurs": NOMBRE, "avertissements": NOMBRE}
    colonnes = [(titre, cle, formats.get(cle), largeur) for cle, titre, largeur in JOURNAL]
    separateurs = {"raisons": " ; ", "constats": "\n"}

    def rangees():
        for ligne in lignes_journal(collecte):
            for cle, valeur in ligne.items():
                if isinstance(valeur, list):
                    ligne[cle] = separateurs.get(cle, ", ").join(valeur)
            if isinstance(ligne["modifie"], datetime):
                ligne["modifie"] = ligne["modifie"].replace(tzinfo=None)
            yield ligne

    wb = Workbook()
    wb.active.title = "Journal"
    table(wb.active, colonnes, rangees())
    tampon = io.BytesIO()
    wb.save(tampon)
    return load_workbook(tampon)["Journal"]


def _vu(feuille):
    """Chaque cellule : valeur, type, format, apostrophe, gras, fond. Un texte vide (qu'openpyxl
    écrivait comme une cellule de texte vide) et une cellule absente se lisent pareil."""
    return [
        [
            (None if c.value == "" else c.value,
             c.data_type if c.value not in (None, "") else None,
             c.number_format, c.quotePrefix, c.font.b, c.fill.fgColor.rgb)
            for c in ligne
        ]
        for ligne in feuille.iter_rows(min_row=1, max_row=feuille.max_row, max_col=len(JOURNAL))
    ]  # fmt: skip


def test_journal_ecrit_en_xml_se_relit_comme_par_openpyxl(tmp_path):
    collecte = _collecte(tmp_path)
    chemin = tmp_path / "sommaire.xlsx"
    ecrire_classeur(collecte, consolider(collecte), chemin)
    with zipfile.ZipFile(chemin) as archive:
        assert archive.testzip() is None
        xml = archive.read("xl/worksheets/sheet11.xml").decode("utf-8")
    # Chaque ligne une seule fois (une ligne écrite deux fois fait « réparer » le classeur).
    import re

    numeros = re.findall(r'<row r="(\d+)"', xml)
    assert numeros == [str(n) for n in range(1, len(numeros) + 1)]
    classeur_ecrit = load_workbook(chemin)
    journal = classeur_ecrit["Journal"]
    attendu = _journal_cellule_par_cellule(collecte)
    assert journal.max_row == attendu.max_row == 6
    assert _vu(journal) == _vu(attendu)
    assert journal.dimensions == f"A1:{get_column_letter(len(JOURNAL))}6"
    assert (journal.freeze_panes, journal.auto_filter.ref) == (
        "A2",
        f"A1:{get_column_letter(len(JOURNAL))}6",
    )
    assert [journal.column_dimensions[c].width for c in "AKM"] == [45, 80, 66]
    # Les textes venus des fichiers restent du texte : ni formule, ni caractère de contrôle.
    noms = {journal.cell(r, 3).value: journal.cell(r, 4) for r in range(2, 7)}
    assert noms["A"].value == '=HYPERLINK("x")' and noms["A"].quotePrefix
    assert noms["B"].value == "B < C & D"  # nom relu sans ses espaces, puis échappé
    assert noms["D"].value == "-Dé\u00a0tour" and noms["D"].quotePrefix
    dates = {journal.cell(r, 3).value: journal.cell(r, 8).value for r in range(2, 7)}
    assert dates["D"] == datetime(2026, 4, 1, 23, 59, 30)
    # Les autres feuilles n'ont pas changé de nature.
    assert classeur_ecrit.sheetnames[-1] == "Journal"
    assert classeur_ecrit["Sommaire"]._charts


def test_journal_vide(tmp_path):
    vide = tmp_path / "vide"
    vide.mkdir()
    (vide / "x.xlsx").write_bytes(b"")
    collecte = collecter(vide, None, "2026")
    chemin = tmp_path / "sommaire.xlsx"
    ecrire_classeur(collecte, consolider(collecte), chemin)
    journal = load_workbook(chemin)["Journal"]
    assert journal.max_row == 2 and journal.cell(2, 2).value == "rejeté"
