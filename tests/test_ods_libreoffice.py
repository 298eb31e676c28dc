""".ods et .xlsx côte à côte : les classeurs remplis au clavier dans Calc fr-CA, enregistrés dans
les deux formats, donnent les mêmes valeurs, les mêmes constats et le même verdict.

Les dix gabarits (`tests/donnees/ods/`) ont été tapés une fois puis enregistrés en .xlsx et en
.ods depuis le même document ; les `libreoffice-saisie-*.ods` refont au clavier les gestes des
`libreoffice-saisie-*.xlsx` (date, « 80 % », ligne supprimée, lignes sous le tableau). Tous sont
refaits par `python -m tests.donnees.fabriquer --ods` ; ces tests les lisent sans LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli.catalogue import PROCESSUS_5_2
from barometre_cli.lecture import lire_classeur
from barometre_cli.sorties.json_ import rapport_vers_dict
from barometre_cli.validation.regles import valider_fichier
from tests.donnees.libreoffice_uno import Calc, raison_indisponible

#: chaque test tourne sur les deux moteurs XML de la lecture (lxml et bibliothèque standard)
pytestmark = pytest.mark.usefixtures("moteur_xml")

RACINE = Path(__file__).resolve().parents[1]
DONNEES = RACINE / "tests" / "donnees"

#: .ods → (constats attendus (code, cellule), valide) : les écarts tapés, trouvés à leur cellule
ATTENDUS: dict[str, tuple[list[tuple[str, str]], bool]] = {
    "ods/libreoffice-cible-1.1.ods": ([("courriel-douteux", "C8")], True),
    "ods/libreoffice-cible-1.2.ods": (
        [("valeur-non-numerique", "C13"), ("nombre-decimal", "C14")],
        False,
    ),
    "ods/libreoffice-cible-1.3.ods": (
        [("pourcentage-dans-nombre", "C13"), ("date-dans-nombre", "C14")],
        False,
    ),
    "ods/libreoffice-cible-2.1.ods": (
        [("date-dans-nombre", "C13"), ("date-dans-nombre", "C14")],
        False,
    ),
    "ods/libreoffice-cible-3.1.ods": (
        [("retroaction-invalide", "C12"), ("nombre-negatif", "C13")],
        False,
    ),
    "ods/libreoffice-cible-4.1.ods": ([("oui-non-invalide", "C14")], False),
    "ods/libreoffice-cible-4.2.ods": (
        [("numerateur-superieur", "C13"), ("valeur-hors-gabarit", "F13")],
        False,
    ),
    "ods/libreoffice-cible-5.1.ods": (
        [("ligne-incomplete", "D21"), ("service-en-double", "B22"), ("date-dans-nombre", "C23")],
        False,
    ),
    "ods/libreoffice-cible-5.2.ods": ([("statut-invalide", "C18")], False),
    "ods/libreoffice-cible-6.1.ods": ([("points-eleves", "C21"), ("jeu-en-double", "B23")], True),
    "libreoffice-saisie-1.1-date.ods": ([("date-dans-nombre", "C14")], False),
    "libreoffice-saisie-1.1-pourcentage-heure.ods": (
        [("pourcentage-dans-nombre", "C13"), ("date-dans-nombre", "C14")],
        False,
    ),
    "libreoffice-saisie-5.1-ligne-supprimee.ods": ([], True),
    "libreoffice-saisie-5.1-sous-le-tableau.ods": ([("lignes-sous-le-tableau", "B320")], True),
    "libreoffice-saisie-5.1-lignes-sous-la-derniere.ods": (
        [("lignes-sous-le-tableau", "B320")],
        True,
    ),
}


def _rapport(chemin: Path) -> dict:
    rapport = rapport_vers_dict(valider_fichier(chemin))
    rapport.pop("fichier")
    return rapport


@pytest.mark.parametrize("nom", list(ATTENDUS))
def test_memes_constats_et_meme_verdict(nom: str) -> None:
    ods = DONNEES / nom
    rapport = _rapport(ods)
    constats, valide = ATTENDUS[nom]
    assert [(c["code"], c["cellule"]) for c in rapport["constats"]] == constats
    assert rapport["valide"] is valide
    assert rapport == _rapport(ods.with_suffix(".xlsx"))  # messages et résultats compris


_GENRES_DE_SAISIE = ("date", "heure", "pourcentage")


def _genres(plage) -> list[list[str | None]]:
    """Les genres qui comptent pour les règles ; « nombre » et Standard se valent ici."""
    genres = [
        [plage.format(i, j) for j in range(len(ligne))] for i, ligne in enumerate(plage.valeurs)
    ]
    return [[g if g in _GENRES_DE_SAISIE else None for g in ligne] for ligne in genres]


@pytest.mark.parametrize("nom", [n for n in ATTENDUS if n.startswith("ods/")])
def test_meme_modele_que_le_xlsx(nom: str) -> None:
    """Feuilles, noms, valeurs, formules, genres, valeurs hors gabarit, propriétés et date."""
    ods, xlsx = lire_classeur(DONNEES / nom), lire_classeur((DONNEES / nom).with_suffix(".xlsx"))
    assert (ods.format, xlsx.format) == ("ods", "xlsx")
    assert ods.feuilles == xlsx.feuilles
    assert ods.noms == xlsx.noms and ods.noms_brises == xlsx.noms_brises
    assert {n: _genres(p) for n, p in ods.noms.items()} == {
        n: _genres(p) for n, p in xlsx.noms.items()
    }
    assert ods.hors_noms == xlsx.hors_noms
    assert {k: v for k, v in ods.proprietes.items() if k.startswith("barometre")} == xlsx.proprietes
    assert ods.modifie == xlsx.modifie is not None


def test_date_tapee_dans_un_denombrement_refusee_a_sa_cellule() -> None:
    """« 2019-06-03 » tapé au dénominateur de 1.1 : Calc range le type « date » dans le .ods."""
    rapport = valider_fichier(DONNEES / "libreoffice-saisie-1.1-date.ods")
    assert [(c.code, c.feuille, c.cellule) for c in rapport.constats] == [
        ("date-dans-nombre", "Saisie", "C14")
    ]
    assert "« 2019-06-03 »" in rapport.constats[0].message
    assert "le nombre 43\u00a0619" in rapport.constats[0].message  # espace insécable
    assert "1.1" not in rapport.saisies and rapport.resultats == []


def test_5_2_triee_se_lit_par_nom_de_processus() -> None:
    """La liste de 5.2 triée par statut dans Calc : chaque statut reste à son processus."""
    lu = lire_classeur(DONNEES / "ods" / "libreoffice-cible-5.2.ods")
    processus = [ligne[0] for ligne in lu.noms["c5_2_processus"].valeurs]
    statuts = dict(
        zip(processus, (ligne[0] for ligne in lu.noms["c5_2_statuts"].valeurs), strict=True)
    )
    assert processus != [p.nom for p in PROCESSUS_5_2]  # le tri a changé l'ordre des lignes
    assert statuts[PROCESSUS_5_2[5].nom] == "Sans papier"  # tapé au 6e processus de la liste
    assert statuts[PROCESSUS_5_2[4].nom] == "Inexistant dans l’organisation"
    rapport = valider_fichier(DONNEES / "ods" / "libreoffice-cible-5.2.ods")
    assert rapport.constats[0].cellule == f"C{14 + processus.index(PROCESSUS_5_2[5].nom)}"


# --- Dans Calc, sans fichier committé ----------------------------------------------------------

banc_uno = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)


@pytest.fixture(scope="module")
def calc():
    with Calc() as c:
        yield c


@banc_uno
@pytest.mark.parametrize("moteur_xml", ["lxml"], indirect=True)
def test_enregistre_en_ods_dans_calc(calc, tmp_path) -> None:
    """Taper, enregistrer au format ODF, valider : les constats de l'enregistrement .xlsx."""
    with calc.ouvrir(RACINE / "gabarits" / "barometre-cible-1.1.xlsx") as doc:
        for cellule, texte in (("C5", "AP14"), ("C6", "Secrétariat"), ("C9", "2026")):
            doc.taper("Saisie", cellule, texte)
        doc.taper("Saisie", "C13", "3")
        doc.taper("Saisie", "C14", "2019-06-03")
        doc.enregistrer_ods(tmp_path / "saisie.ods")
        doc.enregistrer_xlsx(tmp_path / "saisie.xlsx")
    rapport = valider_fichier(tmp_path / "saisie.ods")
    assert [(c.code, c.cellule) for c in rapport.constats] == [("date-dans-nombre", "C14")]
    assert _rapport(tmp_path / "saisie.ods") == _rapport(tmp_path / "saisie.xlsx")


def test_version_et_cible_du_gabarit_lues_dans_les_metadonnees(tmp_path) -> None:
    """Les propriétés du gabarit deviennent des `meta:user-defined` : version et cible vérifiées
    comme dans un .xlsx."""
    from tests.hostiles import membres_de, remplacer

    source = (DONNEES / "ods" / "libreoffice-cible-1.1.ods").read_bytes()
    meta = membres_de(source)["meta.xml"].decode()
    assert 'meta:name="barometre_version_format" meta:value-type="float">1<' in meta
    perime = tmp_path / "perime.ods"
    perime.write_bytes(
        remplacer(
            source,
            {"meta.xml": meta.replace('meta:value-type="float">1<', 'meta:value-type="float">0<')},
        )
    )
    assert [c.code for c in valider_fichier(perime).constats] == ["version-perimee"]
    autre = valider_fichier(DONNEES / "ods" / "libreoffice-cible-1.1.ods", cible_attendue="1.2")
    assert [c.code for c in autre.constats] == ["gabarit-autre-cible"]
