"""Les gabarits : interface publique par noms définis, protections, validations, préremplissage."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange
from typer.testing import CliRunner

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.base import (
    A_CONFIRMER,
    A_CORRIGER,
    A_REMPLIR,
    A_VERIFIER,
    ControleFeuille,
)
from barometre_cli.catalogue import (
    CIBLES,
    IDENTIFICATION,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    STATUTS_5_2,
    VERSION_FORMAT,
    Type,
    cible,
)
from barometre_cli.cli import app
from barometre_cli.domaine.constats import CODES, Severite
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import generer_gabarits, nom_fichier, octets_gabarit

RACINE = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def gabarits(tmp_path_factory) -> dict[str, Path]:
    dossier = tmp_path_factory.mktemp("gabarits")
    chemins = generer_gabarits(CIBLES, dossier)
    return {c.id: p for c, p in zip(CIBLES, chemins, strict=True)}


def _cellules(classeur, reference: str):
    feuille, plage = reference.split("!")
    feuille = classeur[feuille.strip("'")]
    zone = CellRange(plage.replace("$", ""))
    for ligne in feuille.iter_rows(
        min_row=zone.min_row, max_row=zone.max_row, min_col=zone.min_col, max_col=zone.max_col
    ):
        yield from ligne


def _validation(feuille, coordonnee: str):
    for dv in feuille.data_validations.dataValidation:
        if coordonnee in dv.sqref:
            return dv
    return None


def _type_attendu(champ, j: int) -> Type:
    return champ.colonnes[j].type if champ.colonnes else champ.type


def _maximum(champ, j: int) -> int | None:
    return champ.colonnes[j].maximum if champ.colonnes else champ.maximum


@pytest.mark.parametrize("id_", [c.id for c in CIBLES])
def test_noms_definis_pointent_vers_des_saisies_deverrouillees_et_validees(gabarits, id_):
    c = cible(id_)
    classeur = load_workbook(gabarits[id_])
    attendus = {ch.nom: ch for ch in (*IDENTIFICATION, *c.champs, *RETROACTION)}
    etiquettes = {ch.etiquettes: ch for ch in c.champs if ch.etiquettes}
    assert set(classeur.defined_names) == set(attendus) | set(etiquettes)
    for nom in etiquettes:  # les noms des éléments d'une liste fixe : préremplis, verrouillés
        cellules = list(_cellules(classeur, classeur.defined_names[nom].attr_text))
        assert [x.value for x in cellules] == [p.nom for p in c.liste]
        assert all(x.protection.locked is not False for x in cellules)
    for feuille in ("Instructions", "Saisie", "Rétroaction"):
        protection = classeur[feuille].protection
        assert protection.sheet is True and not protection.password
    for nom, champ in attendus.items():
        definition = classeur.defined_names[nom]
        assert definition.localSheetId is None  # portée classeur
        feuille = classeur[next(iter(definition.destinations))[0]]
        cellules = list(_cellules(classeur, definition.attr_text))
        assert len(cellules) == champ.lignes * champ.largeur
        for k, cellule in enumerate(cellules):
            assert cellule.protection.locked is False, (nom, cellule.coordinate)
            dv = _validation(feuille, cellule.coordinate)
            assert dv is not None, (nom, cellule.coordinate)
            assert dv.showErrorMessage and dv.error and dv.prompt and dv.errorStyle == "stop"
            type_ = _type_attendu(champ, k % champ.largeur)
            if type_ is Type.ENTIER:
                # Borne plausible du catalogue : taper plus est refusé.
                maximum = _maximum(champ, k % champ.largeur)
                assert maximum is not None, nom
                assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                    "whole",
                    "between",
                    "0",
                    str(maximum),
                )
            elif type_ is Type.OUI_NON:
                assert (dv.type, dv.formula1) == ("list", '"Oui,Non"')
            elif type_ is Type.STATUT:
                assert dv.type == "list" and dv.formula1 == '"' + ",".join(STATUTS_5_2) + '"'
            elif type_ is Type.ANNEE:
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", "2019", "2100")
            elif type_ is Type.ECHELLE:
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "5")
            else:
                assert dv.type == "textLength"


@pytest.mark.parametrize("id_", [c.id for c in CIBLES])
def test_metadonnees_et_instructions(gabarits, id_):
    classeur = load_workbook(gabarits[id_])
    props = {p.name: p.value for p in classeur.custom_doc_props.props}
    assert props == {
        PROP_VERSION: VERSION_FORMAT,
        PROP_CIBLE: id_,
        PROP_PERIODE: "-",
        PROP_ORGANISATION: "-",
    }
    texte = "\n".join(str(c.value) for c in classeur["Instructions"]["A"] if c.value)
    assert cible(id_).titre in texte
    assert "3 juin 2019" in texte
    assert "barometre valider" in texte
    # Les deux formats sont acceptés, et le texte le dit (issue 21).
    assert "Classeur Excel (.xlsx) ou, dans LibreOffice, au format Classeur ODF (.ods)" in texte
    assert "votre fichier (.xlsx ou .ods)" in texte
    for terme in cible(id_).termes:
        assert f"{terme} :" in texte
    assert classeur["Instructions"].protection.sheet is True


def test_formules_en_direct_pour_le_repondant(gabarits):
    saisie = load_workbook(gabarits["1.1"])["Saisie"]
    formules = [c.value for ligne in saisie.iter_rows() for c in ligne if c.data_type == "f"]
    # Le résultat nomme les champs par leurs noms définis, pas par leurs cellules.
    assert any("c1_1_numerateur/c1_1_denominateur" in f for f in formules)
    saisie = load_workbook(gabarits["5.1"])["Saisie"]
    assert saisie["F20"].value.startswith("=IF(B20") and "*4>" in saisie["F20"].value


def test_gabarits_du_depot_identiques_a_la_commande(tmp_path):
    """Les gabarits publiés sous gabarits/ sont exactement ceux que produit la commande."""
    resultat = runner.invoke(app, ["gabarit", "--sortie", str(tmp_path)])
    assert resultat.exit_code == 0, resultat.output
    produits = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert produits == sorted(p.name for p in (RACINE / "gabarits").glob("*.xlsx"))
    for nom in produits:
        neuf, publie = zipfile.ZipFile(tmp_path / nom), zipfile.ZipFile(RACINE / "gabarits" / nom)
        assert sorted(neuf.namelist()) == sorted(publie.namelist())
        for membre in neuf.namelist():
            assert neuf.read(membre) == publie.read(membre), (
                f"{nom}:{membre} diffère : régénérez avec « barometre gabarit »"
            )
        # Mêmes entrées, mêmes octets : régénérer les gabarits ne change rien au dépôt.
        assert (tmp_path / nom).read_bytes() == (RACINE / "gabarits" / nom).read_bytes()


def test_registre_un_dossier_par_organisation_texte_jamais_formule(tmp_path):
    registre = tmp_path / "registre.csv"
    registre.write_text(
        'code;nom;reseau\nORG1;"=HYPERLINK(""http://x"")";Administration publique\n'
        "ORG/2;Cégep Ñ;Éducation et enseignement supérieur\n",
        encoding="utf-8-sig",
    )
    sortie = tmp_path / "sortie"
    resultat = runner.invoke(
        app,
        ["gabarit", "-r", str(registre), "-p", "2026", "-c", "1.1", "-c", "5.2", "-o", str(sortie)],
    )
    assert resultat.exit_code == 0, resultat.output
    plat = " ".join(resultat.output.split())
    assert "4 gabarits écrits dans" in plat and "(s)" not in plat
    assert "pour 2 organisations : cibles 1.1, 5.2." in plat
    chemin = sortie / "ORG1" / "barometre-2026-cible-1.1-ORG1.xlsx"
    classeur = load_workbook(chemin)
    saisie = classeur["Saisie"]
    assert saisie["C5"].value == "ORG1"
    assert saisie["C6"].value == '=HYPERLINK("http://x")' and saisie["C6"].data_type == "s"
    assert saisie["C9"].value == 2026
    props = {p.name: p.value for p in classeur.custom_doc_props.props}
    assert props[PROP_ORGANISATION] == "ORG1" and props[PROP_PERIODE] == "2026"
    assert (sortie / "ORG_2" / "barometre-2026-cible-5.2-ORG_2.xlsx").exists()


def test_organisation_seule_avec_nom(tmp_path):
    resultat = runner.invoke(
        app,
        [
            "gabarit",
            "--organisation",
            "MCN",
            "--nom",
            "Ministère",
            "-c",
            "4.1",
            "-o",
            str(tmp_path),
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    saisie = load_workbook(tmp_path / "MCN" / "barometre-cible-4.1-MCN.xlsx")["Saisie"]
    assert (saisie["C5"].value, saisie["C6"].value) == ("MCN", "Ministère")


@pytest.mark.parametrize(
    ("arguments", "contenu", "message"),
    [
        (["-c", "7.1"], None, "cible inconnue : 7.1"),
        (["-p", "26"], None, "période « 26 » invalide"),
        (["-r", "{registre}"], "nom\nA\n", "n'a pas de colonne « code »"),
        (["-r", "{registre}"], "code\nA\nA\n", "ligne 3 : le code « A » figure déjà à la ligne 2"),
        (["-r", "{absent}"], None, "Impossible de lire le registre"),
        (["-r", "{registre}", "--organisation", "ZZ"], "code\nA\n", "n'est pas dans le registre"),
    ],
)
def test_mauvaises_options_code_2_message_francais(tmp_path, arguments, contenu, message):
    registre = tmp_path / "registre.csv"
    if contenu is not None:
        registre.write_text(contenu, encoding="utf-8")
    arguments = [a.format(registre=registre, absent=tmp_path / "absent.csv") for a in arguments]
    resultat = runner.invoke(app, ["gabarit", "-o", str(tmp_path / "o"), *arguments])
    assert resultat.exit_code == 2
    assert message in " ".join(resultat.output.split())
    assert "Traceback" not in resultat.output


def test_nom_fichier_sans_caractere_interdit():
    assert nom_fichier(cible("5.1"), "2026", Organisation("A:B/C", "x")) == (
        "barometre-2026-cible-5.1-A_B_C.xlsx"
    )


def test_codes_qui_donneraient_le_meme_dossier_code_2(tmp_path):
    registre = tmp_path / "r.csv"
    registre.write_text("code;nom\nA B;Un\nA_B;Deux\n", encoding="utf-8")
    resultat = runner.invoke(app, ["gabarit", "-r", str(registre), "-o", str(tmp_path / "o")])
    assert resultat.exit_code == 2
    assert "« A B » et « A_B »" in " ".join(resultat.output.split())
    assert not (tmp_path / "o").exists()


# --- gabarits qui se vérifient eux-mêmes, mise en page, préremplissage -----------------------


@pytest.mark.parametrize("id_", [c.id for c in CIBLES])
def test_verifications_annoncent_les_constats_de_valider(id_):
    """Chaque contrôle de la feuille annonce un constat de `valider`, de même gravité."""
    c = cible(id_)
    verifications = type_calcul(c).controles_feuille(c)
    assert verifications and all(isinstance(v, ControleFeuille) for v in verifications)
    cles = {ch.nom for ch in c.champs} | {col.cle for ch in c.champs for col in ch.colonnes}
    for v in verifications:
        assert v.cle in cles, v
        assert len(v.message) <= 60, v.message
        assert CODES[v.code.code] is v.code  # un code défini, inscrit une fois
        # « à confirmer » : la feuille voit des lignes qu'elle ne vérifie pas ; `valider` les
        # lit et le dit par une info ou un avertissement, jamais par une erreur.
        attendues = {
            A_CORRIGER: {Severite.ERREUR},
            A_REMPLIR: {Severite.ERREUR},
            A_VERIFIER: {Severite.AVERTISSEMENT},
            A_CONFIRMER: {Severite.INFO, Severite.AVERTISSEMENT},
        }[v.nature]
        assert v.code.severite in attendues, v.code


@pytest.mark.parametrize("id_", [c.id for c in CIBLES])
def test_feuille_saisie_bilan_messages_et_impression(gabarits, id_):
    c = cible(id_)
    saisie = load_workbook(gabarits[id_])["Saisie"]
    assert saisie["B3"].value.startswith("=IF(") and "Prêt à transmettre" in saisie["B3"].value
    assert saisie.column_dimensions["Z"].hidden  # les trois comptes du bilan
    formules = [
        cellule.value
        for rangee in saisie.iter_rows()
        for cellule in rangee
        if isinstance(cellule.value, str) and cellule.value.startswith("=")
    ]
    assert max(len(f) for f in formules) < 8192  # limite d'Excel
    regles = [r for cf in saisie.conditional_formatting for r in cf.rules]
    assert regles and all(not f.startswith("=") for r in regles for f in r.formula)
    # Impression : une page de large, paysage, zone définie ; en-tête répété pour un tableau.
    mise = saisie.page_setup
    assert (mise.orientation, mise.fitToWidth) == ("landscape", 1)
    assert saisie.sheet_properties.pageSetUpPr.fitToPage and saisie.print_area
    if c.champs[0].colonnes:
        assert saisie.print_title_rows == "$19:$19" and mise.fitToHeight == 0
        assert "lignes" in saisie["B12"].value and str(c.champs[0].lignes) in saisie["B12"].value
    else:
        assert mise.fitToHeight == 1
    # Seuls le titre, la cible et le bilan sont figés : à 1366 × 768 (environ 25 lignes de
    # 15 points), plus de 20 lignes de données restent visibles.
    assert saisie.freeze_panes == "A4"
    figees = sum(saisie.row_dimensions[n].height or 15 for n in (1, 2, 3))
    assert figees <= 5 * 15
    # « (facultatif) » en toutes lettres après le libellé.
    libelles = [saisie.cell(ligne, 2).value for ligne in range(5, 10)]
    assert "Nom de la personne répondante (facultatif)" in libelles
    assert not any("*" in str(v) for v in libelles)


@pytest.mark.parametrize(
    ("id_", "present", "absent"),
    [
        ("1.1", "nombres entiers", "Oui ou Non"),
        ("4.1", "Oui ou Non", "nombres entiers"),
        ("5.2", "statut dans la liste", "nombres entiers"),
        ("6.1", "Oui ou Non", "statut"),
    ],
)
def test_etape_2_selon_les_types_de_saisie(gabarits, id_, present, absent):
    texte = "\n".join(
        str(c.value) for c in load_workbook(gabarits[id_])["Instructions"]["A"] if c.value
    )
    etape = next(ligne for ligne in texte.split("\n") if ligne.startswith("2. "))
    assert present in etape and absent not in etape


def test_validateur_une_seule_adresse_dans_les_instructions(tmp_path):
    resultat = runner.invoke(
        app,
        [
            "gabarit",
            "--validateur",
            "https://exemple.quebec/verifier",
            "-c",
            "5.1",
            "-o",
            str(tmp_path),
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    texte = "\n".join(
        str(c.value)
        for c in load_workbook(tmp_path / "barometre-cible-5.1.xlsx")["Instructions"]["A"]
        if c.value
    )
    assert "https://exemple.quebec/verifier" in texte and "barometre valider" not in texte
    assert "votre fichier (.xlsx ou .ods) sur la page du Ministère https://" in texte
    # Sans adresse, la commande est nommée et la page annoncée ; le gabarit publié est intact.
    publie = "\n".join(
        str(c.value)
        for c in load_workbook(RACINE / "gabarits" / "barometre-cible-5.1.xlsx")["Instructions"][
            "A"
        ]
        if c.value
    )
    assert "barometre valider" in publie and "https://" not in publie
    resultat = runner.invoke(app, ["gabarit", "--validateur", "ftp:x", "-o", str(tmp_path / "n")])
    assert resultat.exit_code == 2 and "invalide" in resultat.output


def test_registre_preremplit_la_personne_a_joindre(tmp_path):
    registre = tmp_path / "registre.csv"
    registre.write_text(
        "code;nom;reseau;contact_nom;contact_courriel\n"
        "ORG1;Org un;Administration publique;Marie Tremblay;marie@org1.gouv.qc.ca\n"
        "ORG2;Org deux;;;\n",
        encoding="utf-8",
    )
    sortie = tmp_path / "o"
    resultat = runner.invoke(app, ["gabarit", "-r", str(registre), "-c", "1.1", "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    un = load_workbook(sortie / "ORG1" / "barometre-cible-1.1-ORG1.xlsx")["Saisie"]
    assert (un["C7"].value, un["C8"].value) == ("Marie Tremblay", "marie@org1.gouv.qc.ca")
    deux = load_workbook(sortie / "ORG2" / "barometre-cible-1.1-ORG2.xlsx")["Saisie"]
    assert (deux["C7"].value, deux["C8"].value) == (None, None)
    # Mêmes entrées, mêmes octets.
    org = Organisation("ORG1", "Org un", "", "Marie Tremblay", "marie@org1.gouv.qc.ca")
    assert octets_gabarit(cible("1.1"), "", org) == octets_gabarit(cible("1.1"), "", org)
    assert (sortie / "ORG1" / "barometre-cible-1.1-ORG1.xlsx").read_bytes() == octets_gabarit(
        cible("1.1"), "", org
    )


@pytest.mark.parametrize("id_", [c.id for c in CIBLES])
def test_messages_de_validation_sans_double_espace(gabarits, id_):
    """« de 0 à 1 000 000 000, sans décimales » : la virgule de la phrase reste une virgule."""
    feuille = load_workbook(gabarits[id_])["Saisie"]
    for dv in feuille.data_validations.dataValidation:
        for texte in (dv.error or "", dv.prompt or ""):
            assert "  " not in texte.replace("\u00a0", " "), texte
    messages = [dv.error for dv in feuille.data_validations.dataValidation if dv.error]
    if id_ == "5.1":
        assert "de 0 à 1\u00a0000\u00a0000\u00a0000, sans décimales" in " ".join(messages)


@pytest.mark.parametrize("id_", ["5.1", "6.1", "1.1"])
def test_instructions_dans_l_ordre_et_sans_oter_la_protection(id_):
    """« 5. Facultatif : Rétroaction » suit les étapes 1 à 4, avant « Plus de lignes » ; aucune
    consigne ne demande d'ôter la protection ; la sortie d'un format gardé est dite pour les
    deux tableurs."""
    from barometre_cli.gabarit.classeur import _paragraphes

    textes = [t for _, t in _paragraphes(cible(id_), "2026", None)]
    etapes = [i for i, t in enumerate(textes) if re.match(r"[1-5]\. ", t)]
    assert [textes[i][0] for i in etapes] == list("12345")
    assert etapes == sorted(etapes) and etapes[-1] - etapes[0] <= 5  # d'un seul tenant
    if id_ != "1.1":
        assert textes.index("Plus de lignes") > etapes[-1]
    tout = " ".join(textes)
    assert "protection" not in tout.replace("laissez la feuille protégée", "")
    assert "Effacer le formatage direct" in tout and "Accueil > Nombre > Standard" in tout


def test_code_de_300_caracteres_nomme_le_code(tmp_path):
    """Un code trop long pour un nom de fichier : le message nomme le code (pas seulement
    « chemin trop long ») et rien n'est écrit."""
    code = "AP" + "X" * 298
    sortie = tmp_path / "o"
    resultat = runner.invoke(
        app, ["gabarit", "--organisation", code, "-c", "1.1", "-o", str(sortie)]
    )
    assert resultat.exit_code == 2, resultat.output
    texte = " ".join(resultat.output.split())
    assert (
        f"le code d'organisation « {code[:30]}…{code[-10:]} » (300 caractères) donne un nom"
        in texte
    )
    assert "Raccourcissez ce code" in texte and "Traceback" not in resultat.output
    assert not sortie.exists()


def test_gabarit_reprend_une_production_tuee_et_le_dit(tmp_path):
    """Un brouillon laissé par une production de gabarits tuée : effacé avant toute chose, et
    la console le dit (sur la sortie d'erreur)."""
    sortie = tmp_path / "o"
    (sortie / ".barometre-ecriture-tuee" / "nouveau").mkdir(parents=True)
    (sortie / ".barometre-ecriture-tuee" / "nouveau" / "a-moitie.xlsx").write_bytes(b"PK")
    resultat = runner.invoke(app, ["gabarit", "-c", "1.1", "-o", str(sortie)])
    assert resultat.exit_code == 0, resultat.output
    texte = " ".join(resultat.output.split())
    assert f"Reprise : Une opération précédente sur « {sortie} » a été interrompue avant" in texte
    assert sorted(p.name for p in sortie.iterdir()) == ["barometre-cible-1.1.xlsx"]


@pytest.mark.parametrize(
    "organisation",
    [
        Organisation("ORG1", "Org un", "Administration publique"),
        Organisation("ÉÉ-2", "Office « spécial » & cie <x>", "", "Zoé D'Arcy", "zoe@org.qc.ca"),
        Organisation("=A1", '=HYPERLINK("x")', "", "", "a@b.c"),
    ],
    ids=["simple", "accents-et-personne", "formules-tapees"],
)
def test_preremplir_sans_tout_recompresser_memes_octets(organisation):
    """`gabarit --registre` ne recompresse que les parties qui changent et n'écrit que les
    cellules qui changent : octet pour octet le classeur que `remplir` écrit en entier."""
    from barometre_cli.catalogue import modele
    from barometre_cli.gabarit.classeur import _octets_base
    from barometre_cli.gabarit.remplissage import remplir

    for c in CIBLES:
        base = _octets_base(c, "2026", modele.ADRESSE_VALIDATEUR)
        valeurs = {"organisation_code": organisation.code, "organisation_nom": organisation.nom}
        if organisation.contact_nom:
            valeurs["repondant_nom"] = organisation.contact_nom
        if organisation.contact_courriel:
            valeurs["repondant_courriel"] = organisation.contact_courriel
        attendu = remplir(base, valeurs, proprietes={PROP_ORGANISATION: organisation.code})
        assert octets_gabarit(c, "2026", organisation) == attendu, c.id


def test_remplisseur_refuse_une_cellule_absente(tmp_path):
    """Comme `remplir` : une cellule nommée absente de la feuille est une erreur, jamais un
    fichier écrit sans elle."""
    import io
    import re

    from barometre_cli.gabarit.remplissage import Remplisseur, remplir
    from barometre_cli.lecture import lire_classeur

    base = octets_gabarit(cible("1.1"), "2026")
    chemin = tmp_path / "base.xlsx"
    chemin.write_bytes(base)
    code = lire_classeur(chemin).noms["organisation_code"].adresse()
    source = zipfile.ZipFile(io.BytesIO(base))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as abime:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                donnees, n = re.subn(rf'<c r="{code}"[^>]*?(?:/>|></c>)'.encode(), b"", donnees)
                assert n == 1
            abime.writestr(info, donnees)
    for remplissage in (
        lambda: Remplisseur(tampon.getvalue()).remplir({"organisation_code": "X"}),
        lambda: remplir(tampon.getvalue(), {"organisation_code": "X"}),
    ):
        with pytest.raises(ValueError, match=f"cellules absentes du gabarit : {code}"):
            remplissage()
