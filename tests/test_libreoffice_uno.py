"""Un vrai LibreOffice Calc réglé en fr-CA, piloté par UNO comme une personne qui saisit.

Le banc (`tests/donnees/libreoffice_uno.py`) demande `soffice` et le pont UNO de Debian
(`python3-uno` sous `/usr/bin/python3`) ; sans eux, ces tests sont sautés avec la raison.
Les valeurs attendues ci-dessous ont été mesurées avec LibreOffice 7.4 (Debian 12) : ce sont des
faits sur Calc, pas des choix du projet. S'ils changent avec une autre version, c'est à savoir.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Protection

from tests.donnees.libreoffice_uno import (
    Calc,
    CelluleProtegee,
    ErreurCalc,
    FeuilleProtegee,
    _membres_du_groupe,
    raison_indisponible,
)

RACINE = Path(__file__).resolve().parents[1]
GABARITS = RACINE / "gabarits"
GABARIT = GABARITS / "barometre-cible-1.1.xlsx"

pytestmark = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)

NBSP = "\u00a0"
#: Les espaces que Calc peut mettre entre les milliers ou devant « % ».
ESPACE = "[ \u00a0\u202f]"


# --- le profil est bien fr-CA -------------------------------------------------------------


def test_profil_fr_ca(calc):
    l10n = calc.configuration("/org.openoffice.Setup/L10N")
    assert l10n["ooSetupSystemLocale"] == "fr-CA"
    assert l10n["DecimalSeparatorAsLocale"] is True
    # Sans paquet de langue française, Calc ramène la langue de l'interface à en-US : sans effet
    # sur l'analyse des saisies, qui suit ooSetupSystemLocale.
    assert l10n["ooLocale"] in {"fr-CA", "en-US"}
    lus = calc.verifier_locale()
    assert (lus["10,5"].valeur, lus["10,5"].texte) == (10.5, "10,5")
    assert (lus["1 234"].valeur, lus["1 234"].texte) == (1234, "1234")
    assert (lus["75 %"].valeur, lus["75 %"].texte) == (0.75, "75,00 %")
    assert (lus["2019-06-03"].valeur, lus["2019-06-03"].texte) == (43619, "2019-06-03")
    assert lus["2019-06-03"].format == "AAAA-MM-JJ"


# --- la grille de mesure : sept saisies dans cinq formats de cellule --------------------------

SAISIES = ["2019-06-03", "3/4", "80 %", "8:30", "10,5", "1 234", "douze"]
# (a) Standard, (b) entier avec séparateur de milliers, (c) entier, (d) texte, et (e) le code
# qu'écrivaient les gabarits d'avant dans les cellules de compte (« # ##0 »). Les gabarits
# laissent maintenant ces cellules en Standard (a) : une date ou un pourcentage tapé y laisse
# un format que `valider` peut lire, alors qu'en (b), (c) et (e) il ne reste qu'un nombre.
FORMATS = {"H": "General", "I": "#,##0", "J": "0", "K": "@", "L": "# ##0"}
PREMIERE = 30

# (format, saisie) → (valeur dans le .xlsx de Calc, format dans le .xlsx, texte affiché rouvert)
ATTENDU = {
    ("General", "2019-06-03"): (datetime(2019, 6, 3), "yyyy/mm/dd", "2019-06-03"),
    ("General", "3/4"): (datetime(2026, 3, 4), "yyyy/mm/dd", "2026-03-04"),
    ("General", "80 %"): (0.8, "0.00\\ %", "80,00 %"),
    ("General", "8:30"): (time(8, 30), "hh:mm:ss", "08:30:00"),
    ("General", "10,5"): (10.5, "General", "10,5"),
    ("General", "1 234"): (1234, "General", "1234"),
    ("General", "douze"): ("douze", "General", "douze"),
    ("#,##0", "2019-06-03"): (43619, "#,##0", f"43{NBSP}619"),
    ("#,##0", "3/4"): (46085, "#,##0", f"46{NBSP}085"),
    ("#,##0", "80 %"): (0.8, "#,##0", "1"),
    ("#,##0", "8:30"): (pytest.approx(8.5 / 24), "#,##0", "0"),
    ("#,##0", "10,5"): (10.5, "#,##0", "11"),
    ("#,##0", "1 234"): (1234, "#,##0", f"1{NBSP}234"),
    ("#,##0", "douze"): ("douze", "#,##0", "douze"),
    ("0", "2019-06-03"): (43619, "0", "43619"),
    ("0", "3/4"): (46085, "0", "46085"),
    ("0", "80 %"): (0.8, "0", "1"),
    ("0", "8:30"): (pytest.approx(8.5 / 24), "0", "0"),
    ("0", "10,5"): (10.5, "0", "11"),
    ("0", "1 234"): (1234, "0", "1234"),
    ("0", "douze"): ("douze", "0", "douze"),
    **{("@", s): (s, "@", s) for s in SAISIES},
    # « # ##0 » : Calc lit l'espace comme un littéral (« 11 » précédé d'une espace avant
    # l'enregistrement) mais l'écrit « #,##0 » : rouvert, le texte affiché change.
    ("# ##0", "2019-06-03"): (43619, "#,##0", f"43{NBSP}619"),
    ("# ##0", "3/4"): (46085, "#,##0", f"46{NBSP}085"),
    ("# ##0", "80 %"): (0.8, "#,##0", "1"),
    ("# ##0", "8:30"): (pytest.approx(8.5 / 24), "#,##0", "0"),
    ("# ##0", "10,5"): (10.5, "#,##0", "11"),
    ("# ##0", "1 234"): (1234, "#,##0", f"1{NBSP}234"),
    ("# ##0", "douze"): ("douze", "#,##0", "douze"),
}
# Texte affiché avant l'enregistrement, là où il diffère du texte affiché après réouverture.
AVANT_DIFFERENT = {
    ("# ##0", "2019-06-03"): "43 619",
    ("# ##0", "3/4"): "46 085",
    ("# ##0", "80 %"): " 1",
    ("# ##0", "8:30"): " 0",
    ("# ##0", "10,5"): " 11",
    ("# ##0", "1 234"): "1 234",
}


@pytest.fixture(scope="module")
def grille(calc, tmp_path_factory):
    """Tape chaque saisie dans chaque format, enregistre, relit avec openpyxl et dans Calc."""
    dossier = tmp_path_factory.mktemp("grille")
    # Les cellules de mesure sont préparées comme le projet prépare ses gabarits : openpyxl
    # pose le format et déverrouille la cellule ; la feuille reste protégée.
    classeur = load_workbook(GABARIT)
    feuille = classeur["Saisie"]
    for col, fmt in FORMATS.items():
        for i in range(len(SAISIES)):
            cellule = feuille[f"{col}{PREMIERE + i}"]
            cellule.number_format = fmt
            cellule.protection = Protection(locked=False)
    classeur.save(dossier / "grille.xlsx")

    avant, apres = {}, {}
    with calc.ouvrir(dossier / "grille.xlsx") as doc:
        assert doc.protegee("Saisie")
        for col, fmt in FORMATS.items():
            for i, saisie in enumerate(SAISIES):
                doc.taper("Saisie", f"{col}{PREMIERE + i}", saisie)
                avant[fmt, saisie] = doc.texte_affiche("Saisie", f"{col}{PREMIERE + i}")
        sortie = doc.enregistrer_xlsx(dossier / "grille-calc.xlsx")
    with calc.ouvrir(sortie) as doc:
        for col, fmt in FORMATS.items():
            for i, saisie in enumerate(SAISIES):
                apres[fmt, saisie] = doc.texte_affiche("Saisie", f"{col}{PREMIERE + i}")
    lu = load_workbook(sortie)["Saisie"]
    fichier = {
        (fmt, saisie): (
            lu[f"{col}{PREMIERE + i}"].value,
            lu[f"{col}{PREMIERE + i}"].number_format,
        )
        for col, fmt in FORMATS.items()
        for i, saisie in enumerate(SAISIES)
    }
    return {"avant": avant, "apres": apres, "fichier": fichier, "chemin": sortie}


@pytest.mark.parametrize("cas", list(ATTENDU), ids=[f"{f}|{s}" for f, s in ATTENDU])
def test_saisie_selon_le_format(grille, cas):
    valeur, code, texte = ATTENDU[cas]
    assert grille["fichier"][cas] == (valeur, code)
    assert grille["apres"][cas] == texte
    assert grille["avant"][cas] == AVANT_DIFFERENT.get(cas, texte)


# --- le gabarit tel qu'un répondant le remplit ---------------------------------------------------


def _date_modifiee(chemin: Path) -> str:
    with zipfile.ZipFile(chemin) as z:
        xml = z.read("docProps/core.xml").decode()
    return re.search(r"<dcterms:modified[^>]*>([^<]+)<", xml).group(1)


def test_gabarit_rempli_enregistre_et_rouvert(calc, tmp_path):
    with calc.ouvrir(GABARIT) as doc:
        doc.taper("Saisie", "C13", "1 234")
        doc.taper("Saisie", "C14", "2 000")
        doc.recalculer()
        assert re.fullmatch(f"61,7{ESPACE}%", doc.texte_affiche("Saisie", "C17"))
        assert doc.formule("Saisie", "C17").startswith("=IF(AND(ISNUMBER(c1_1_numerateur);")
        sortie = doc.enregistrer_xlsx(tmp_path / "rempli.xlsx")
        maintenant = doc.enregistrer_xlsx(tmp_path / "date-du-jour.xlsx", garder_date=False)
    # Date du document conservée ; sans garder_date, Calc inscrit l'heure de l'enregistrement.
    assert _date_modifiee(sortie) == _date_modifiee(GABARIT) == "2026-01-05T12:00:00Z"
    assert _date_modifiee(maintenant) != _date_modifiee(GABARIT)
    lu = load_workbook(sortie)["Saisie"]
    assert (lu["C13"].value, lu["C14"].value) == (1234, 2000)
    assert lu["C13"].number_format == "General"  # cellule de compte sans format
    # Codes indépendants de la langue, espace échappée : Calc les réécrit à l'identique.
    assert [lu[c].number_format for c in ("C17", "C18", "C19")] == ["0.0\\ %", "0\\ %", "0\\ %"]
    with calc.ouvrir(sortie) as doc:
        assert doc.texte_affiche("Saisie", "C13") == "1234"
        assert doc.valeur("Saisie", "C17") == pytest.approx(0.617)
        assert re.fullmatch(f"61,7{ESPACE}%", doc.texte_affiche("Saisie", "C17"))
        assert re.fullmatch(f"75{ESPACE}%", doc.texte_affiche("Saisie", "C18"))


def test_proportion_lisible_apres_enregistrement(calc, tmp_path):
    """Autrefois « 0.0 % » devenait « 0.0,% » une fois enregistré par Calc fr-CA (« 0,1% »)."""
    with calc.ouvrir(GABARIT) as doc:
        doc.taper("Saisie", "C13", "3")
        doc.taper("Saisie", "C14", "4")
        sortie = doc.enregistrer_xlsx(tmp_path / "proportion.xlsx")
    with calc.ouvrir(sortie) as doc:
        # Calc met une espace ordinaire là où le code en échappe une : on vérifie le reste.
        assert re.fullmatch(f"75,0{ESPACE}%", doc.texte_affiche("Saisie", "C17"))


def test_validation_de_donnees_contournee(calc):
    """C13 n'accepte qu'un entier ≥ 0 ; .uno:EnterString et le collage n'appliquent pas la règle."""
    with calc.ouvrir(GABARIT) as doc:
        doc.taper("Saisie", "C13", "douze")
        doc.coller_texte("Saisie", "C14", "abc")
        assert doc.valeur("Saisie", "C13") == "douze"
        assert doc.valeur("Saisie", "C14") == "abc"
        doc.coller_texte("Saisie", "C14", "10,5")  # un collage est analysé en fr-CA lui aussi
        assert doc.valeur("Saisie", "C14") == 10.5


def test_protection_refuse_saisie_lignes_et_tri(calc):
    with calc.ouvrir(GABARITS / "barometre-cible-5.1.xlsx") as doc:
        with pytest.raises(CelluleProtegee):
            doc.taper("Saisie", "E20", "1")
        with pytest.raises(FeuilleProtegee):
            doc.inserer_lignes("Saisie", 21, 2)
        with pytest.raises(FeuilleProtegee):
            doc.supprimer_lignes("Saisie", 21)
        with pytest.raises(FeuilleProtegee):
            doc.trier("Saisie", "B20:D22", "B")
        doc.deproteger("Saisie")
        assert not doc.protegee("Saisie")
        doc.taper("Saisie", "E20", "1")  # déprotégée : même une cellule verrouillée se saisit


def test_insertion_refusee_meme_essayee(calc):
    """Le gabarit n'est pas à agrandir : Calc refuse l'insertion de lignes sur sa feuille
    protégée (l'essai ne lève rien, mais rien n'est inséré)."""
    with calc.ouvrir(GABARITS / "barometre-cible-5.1.xlsx") as doc:
        assert doc.inserer_lignes("Saisie", 21, 2, essayer=True) is False
        assert "C21" in doc.formule("Saisie", "E21")  # la ligne 21 est restée la 21


#: Ce que CELL("format") rend dans Calc fr-CA, tel que docs/feuille.md le dit : saisie →
#: (format posé, CELL). La feuille qui se vérifie s'en sert pour voir une date ou un pourcentage.
CELL_FORMAT = {
    "12": ("Standard", "F0"),
    "2024-03-15": ("AAAA-MM-JJ", "G"),
    "3/4": ("AAAA-MM-JJ", "D1"),
    "15 mars 2024": ("AAAA-MM-JJ", "D1"),
    "8:30": ("HH:MM:SS", "D8"),
    "80 %": ("0,00 %", "P2"),
    "100 %": ("0,00 %", "P2"),
}


def test_cell_format_dans_calc_fr_ca(calc):
    with calc.nouveau() as doc:
        feuille = doc.feuilles()[0]
        for ligne, saisie in enumerate(CELL_FORMAT, 1):
            doc.taper(feuille, f"A{ligne}", saisie)
            doc.taper(feuille, f"B{ligne}", f'=CELL("format";A{ligne})')
        doc.taper(feuille, "C1", '=CELL("format";Z99)')  # une cellule vide, au format Standard
        doc.recalculer()
        lus = {
            saisie: (
                doc.format_nombre(feuille, f"A{ligne}").replace('" "', " "),
                doc.valeur(feuille, f"B{ligne}"),
            )
            for ligne, saisie in enumerate(CELL_FORMAT, 1)
        }
        assert lus == CELL_FORMAT
        assert doc.valeur(feuille, "C1") == "F0"  # Excel rend « G » pour Standard


def test_remettre_au_format_standard_sur_la_feuille_protegee(calc, tmp_path):
    """Ce que disent les messages, mesuré : sur un fichier rouvert, Suppr garde le format
    pourcentage ; Effacer le formatage direct (Ctrl+M) et Format Standard le retirent, et la
    cellule reste déverrouillée, la feuille protégée."""
    with calc.ouvrir(GABARIT) as doc:
        for cellule in ("C13", "C14"):
            doc.taper("Saisie", cellule, "80 %")
        sortie = doc.enregistrer_xlsx(tmp_path / "pourcentage.xlsx")
    with calc.ouvrir(sortie) as doc:
        assert doc.protegee("Saisie")
        doc.commande("Saisie", "C13", ".uno:ClearContents")  # Suppr
        doc.taper("Saisie", "C13", "990")
        assert doc.texte_affiche("Saisie", "C13").replace(NBSP, " ") == "99000,00 %"
        for cellule, commande in (
            ("C13", ".uno:ResetAttributes"),
            ("C14", ".uno:NumberFormatStandard"),
        ):
            doc.commande("Saisie", cellule, commande)
            doc.taper("Saisie", cellule, "990")
            lue = doc.lire("Saisie", cellule)
            assert (lue.format, lue.texte, lue.verrouillee) == ("Standard", "990", False)


def test_lignes_et_tri_apres_deprotection(calc):
    with calc.ouvrir(GABARITS / "barometre-cible-5.1.xlsx") as doc:
        for ligne, (nom, num, tot) in enumerate(
            [("Permis", "91", "100"), ("Chasse", "3", "4"), ("Immatriculation", "75", "100")],
            start=20,
        ):
            doc.taper("Saisie", f"B{ligne}", nom)
            doc.taper("Saisie", f"C{ligne}", num)
            doc.taper("Saisie", f"D{ligne}", tot)
        doc.deproteger("Saisie")
        doc.trier("Saisie", "B20:D22", "B", croissant=True)
        assert [doc.valeur("Saisie", f"B{n}") for n in (20, 21, 22)] == [
            "Chasse",
            "Immatriculation",
            "Permis",
        ]
        assert doc.valeur("Saisie", "C21") == 75  # les lignes entières suivent
        doc.trier("Saisie", "B20:D22", 2, croissant=False)  # 2e colonne de la plage : C
        assert [doc.valeur("Saisie", f"C{n}") for n in (20, 21, 22)] == [91, 75, 3]
        doc.inserer_lignes("Saisie", 21, 2)
        assert doc.valeur("Saisie", "B23") == "Immatriculation"
        assert doc.valeur("Saisie", "B21") is None
        assert doc.formule("Saisie", "E23").endswith('C23/D23;"")')
        doc.supprimer_lignes("Saisie", 21, 2)
        assert doc.valeur("Saisie", "B21") == "Immatriculation"
        doc.recalculer()
        assert doc.valeur("Saisie", "C15") == 1  # seul 91/100 dépasse 75 % ; 75/100 et 3/4 non
        doc.proteger("Saisie")
        assert doc.protegee("Saisie")


# --- impression -------------------------------------------------------------------------------

#: Pages du PDF de tout le classeur (Fichier > Exporter en PDF) : une page par feuille pour un
#: gabarit de cellules ; un tableau de 300 lignes tient sur une page de large, son en-tête
#: répété sur chaque page (mesuré : 7 pages en tout, dont 5 pour la feuille Saisie).
PAGES = {
    "1.1": 3,
    "1.2": 3,
    "1.3": 3,
    "2.1": 3,
    "3.1": 3,
    "4.1": 3,
    "4.2": 3,
    "5.1": 7,
    "5.2": 3,
    "6.1": 7,
}


def test_pages_pdf_des_gabarits(calc, tmp_path):
    mesure = {}
    for chemin in sorted(GABARITS.glob("barometre-cible-*.xlsx")):
        with calc.ouvrir(chemin) as doc:
            mesure[chemin.stem.removeprefix("barometre-cible-")] = doc.exporter_pdf(
                tmp_path / f"{chemin.stem}.pdf"
            )
    assert mesure == PAGES
    assert max(mesure.values()) <= 12


# --- robustesse du banc -----------------------------------------------------------------------


def test_aucun_soffice_ne_survit(tmp_path):
    """Ni à une erreur dans le `with`, ni à un agent UNO tué en cours de route."""
    with pytest.raises(KeyError), Calc(verifier_locale=False) as c:
        groupe = c._soffice.pid
        assert _membres_du_groupe(groupe)
        raise KeyError("erreur dans un test")
    assert not _membres_du_groupe(groupe)

    with Calc(verifier_locale=False) as c:
        groupe = c._soffice.pid
        c._agent.kill()
        with pytest.raises(ErreurCalc, match="agent UNO"):
            c.nouveau()
        assert not _membres_du_groupe(groupe)
        with pytest.raises(ErreurCalc, match="pas démarré"):
            c.nouveau()
