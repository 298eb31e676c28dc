"""`valider --annoter` sur un .ods : une copie .ods, chaque constat en commentaire sur sa cellule.

La copie se relit avec les mêmes constats (les commentaires ne sont pas des valeurs) ; les
répétitions ne sont scindées qu'autour des cellules annotées ; Calc fr-CA y montre les
commentaires et les fonds (banc UNO, sauté sans LibreOffice).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from barometre_cli.cli import app
from barometre_cli.domaine.constats import constat
from barometre_cli.domaine.erreurs import BarometreErreur
from barometre_cli.sorties.annotation_ods import NS, octets_annotes
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.libreoffice_uno import Calc, raison_indisponible
from tests.hostiles import contenu_ods, ods_minimal

runner = CliRunner()
DONNEES = Path(__file__).resolve().parent / "donnees"
_T, _O, _S = (f"{{{NS[p]}}}" for p in ("table", "office", "style"))


def _contenu(octets: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(octets)).read("content.xml"))


def _cellule(racine, feuille: str, ligne: int, colonne: int):
    """L'élément qui porte la cellule (ligne, colonne), répétitions comptées, sans rien changer."""
    table = next(t for t in racine.iter(_T + "table") if t.get(_T + "name") == feuille)
    debut = 1
    for rangee in table.iter(_T + "table-row"):
        n = int(rangee.get(_T + "number-rows-repeated", "1"))
        if debut <= ligne < debut + n:
            gauche = 1
            for case in rangee:
                if case.tag in (_T + "table-cell", _T + "covered-table-cell"):
                    m = int(case.get(_T + "number-columns-repeated", "1"))
                    if gauche <= colonne < gauche + m:
                        return case, n, m
                    gauche += m
        debut += n
    raise AssertionError(f"cellule ({ligne}, {colonne}) absente")


def _commentaire(case) -> str:
    annotation = case.find(_O + "annotation")
    return "" if annotation is None else "\n".join("".join(p.itertext()) for p in annotation)


def _fond(racine, case) -> str | None:
    nom = case.get(_T + "style-name")
    for style in racine.iter(_S + "style"):
        if style.get(_S + "name") == nom:
            proprietes = style.find(_S + "table-cell-properties")
            return (
                None
                if proprietes is None
                else proprietes.get(
                    "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}background-color"
                )
            )
    return None


def test_valider_annoter_un_ods(tmp_path: Path) -> None:
    chemin = tmp_path / "reponse.ods"
    shutil.copy(DONNEES / "ods" / "libreoffice-cible-5.1.ods", chemin)
    empreinte = hashlib.sha256(chemin.read_bytes()).hexdigest()
    resultat = runner.invoke(app, ["valider", str(chemin), "--annoter"])
    assert resultat.exit_code == 1
    copie = tmp_path / "reponse-annote.ods"
    assert f"Copie annotée : {copie}" in " ".join(resultat.output.split())
    assert hashlib.sha256(chemin.read_bytes()).hexdigest() == empreinte  # original intact
    # La copie se relit avec les mêmes constats : un commentaire n'est pas une valeur.
    assert valider_fichier(copie).constats == [c for c in valider_fichier(chemin).constats]
    racine = _contenu(copie.read_bytes())
    d21, _, _ = _cellule(racine, "Saisie", 21, 4)
    assert _commentaire(d21).startswith("barometre valider\n[erreur] La ligne 21 est incomplète")
    assert _fond(racine, d21) == "#FFC7CE"
    b22, _, _ = _cellule(racine, "Saisie", 22, 2)
    assert "[avertissement]" in _commentaire(b22) and _fond(racine, b22) == "#FFEB9C"
    c23, _, _ = _cellule(racine, "Saisie", 23, 3)
    assert "« 2019-06-03 »" in _commentaire(c23)
    assert c23.get(f"{_O}value-type") == "date"  # la valeur et son type restent
    # Les autres parties sont recopiées telles quelles, `mimetype` d'abord, non compressé.
    avant, apres = zipfile.ZipFile(chemin), zipfile.ZipFile(copie)
    assert apres.infolist()[0].filename == "mimetype"
    assert apres.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert [e.filename for e in apres.infolist()] == [e.filename for e in avant.infolist()]
    for nom in avant.namelist():
        if nom != "content.xml":
            assert apres.read(nom) == avant.read(nom), nom


def test_repetitions_scindees_autour_de_la_cellule() -> None:
    """C5 est dans une ligne vide répétée 1 048 575 fois : trois lignes, autant de lignes au total."""
    octets = octets_annotes(
        ods_minimal(),
        {
            ("Saisie", "C5"): [
                constat("valeur-manquante", "Saisie", "C5", message="Une valeur est attendue.")
            ]
        },
        "Saisie",
    )
    racine = _contenu(octets)
    rangees = list(racine.iter(_T + "table-row"))
    repetitions = [int(r.get(_T + "number-rows-repeated", "1")) for r in rangees]
    assert repetitions == [1, 3, 1, 1048571]
    c5, lignes, colonnes = _cellule(racine, "Saisie", 5, 3)
    assert (lignes, colonnes) == (1, 1)
    assert _commentaire(c5) == "barometre valider\n[erreur] Une valeur est attendue."
    assert _fond(racine, c5) == "#FFC7CE"
    cellules = [int(c.get(_T + "number-columns-repeated", "1")) for c in rangees[2]]
    assert cellules == [2, 1, 16381]
    a1, _, _ = _cellule(racine, "Saisie", 1, 1)
    assert a1.findtext(f"{{{NS['text']}}}p") == "ORG" and _commentaire(a1) == ""


def test_cellule_au_dela_des_lignes_ecrites_et_constat_sans_cellule() -> None:
    feuille = (
        '<table:table table:name="Saisie"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>ORG</text:p></table:table-cell></table:table-row>'
        "</table:table>"
    )
    constats = {
        ("Saisie", "B4"): [constat("valeur-manquante", "Saisie", "B4", message="Plus bas.")],
        ("Absente", "A1"): [constat("gabarit-inconnu", message="Pas un gabarit.")],
    }
    racine = _contenu(octets_annotes(ods_minimal(contenu_ods(feuille)), constats, "Saisie"))
    b4, _, _ = _cellule(racine, "Saisie", 4, 2)
    assert _commentaire(b4).endswith("[erreur] Plus bas.")
    a1, _, _ = _cellule(racine, "Saisie", 1, 1)  # la feuille absente : la feuille de saisie
    assert _commentaire(a1).endswith("[erreur] Pas un gabarit.")
    assert a1.findtext(f"{{{NS['text']}}}p") == "ORG"


@pytest.mark.skipif(raison_indisponible() is not None, reason=f"banc UNO : {raison_indisponible()}")
def test_calc_montre_commentaires_et_fonds(tmp_path: Path) -> None:
    chemin = tmp_path / "reponse.ods"
    shutil.copy(DONNEES / "ods" / "libreoffice-cible-4.2.ods", chemin)
    runner.invoke(app, ["valider", str(chemin), "--annoter"])
    with Calc() as calc, calc.ouvrir(tmp_path / "reponse-annote.ods") as doc:
        c13, f13, c14 = (doc.lire("Saisie", c) for c in ("C13", "F13", "C14"))
    assert c13.commentaire.startswith("[erreur] Le numérateur (150) dépasse le dénominateur")
    assert (c13.fond, c13.valeur) == (0xFFC7CE, 150.0)
    assert f13.commentaire.startswith("[avertissement]") and f13.fond == 0xFFEB9C
    assert c14.commentaire == "" and c14.fond != 0xFFC7CE


def test_classeur_change_depuis_sa_verification(tmp_path: Path) -> None:
    """Le fichier remplacé entre la vérification et l'annotation : un message, pas une trace."""
    from barometre_cli.sorties.annotation import annoter

    chemin = tmp_path / "reponse.ods"
    shutil.copy(DONNEES / "ods" / "libreoffice-cible-4.2.ods", chemin)
    rapport = valider_fichier(chemin)
    chemin.write_bytes(b"PK\x03\x04 plus un classeur")
    with pytest.raises(BarometreErreur, match="a changé depuis sa vérification"):
        annoter(rapport)
    assert not (tmp_path / "reponse-annote.ods").exists()
