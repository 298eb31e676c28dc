"""Les deux moteurs XML de la lecture jugent pareil : mêmes rapports, mêmes erreurs, mêmes limites.

lxml est le moteur par défaut ; la bibliothèque standard est celui du navigateur (Pyodide).
Un même classeur doit donner, octet pour octet, le même rapport de validation sur les deux.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from barometre_cli.lecture import limites, lire_classeur, xml
from barometre_cli.sorties.json_ import rapport_vers_dict
from barometre_cli.validation.regles import valider_fichier
from tests import hostiles
from tests.test_lecture import CAS_HOSTILES
from tests.test_lecture_pieges import _gabarit, _variantes

RACINE = Path(__file__).resolve().parent.parent
MOTEURS = ("lxml", "stdlib")


@pytest.fixture
def moteur_par_defaut() -> Iterator[None]:
    """Remet le moteur d'avant le test, quoi que le test ait choisi."""
    ancien = xml.moteur()
    yield
    xml.choisir(ancien)


def _rapport(chemin: Path) -> str:
    rapport = valider_fichier(chemin)
    return json.dumps([rapport_vers_dict(rapport), repr(rapport.saisies)], ensure_ascii=False)


def _comparer(chemins: list[Path]) -> None:
    """Chaque fichier : même rapport JSON (constats, résultats, saisies) sur les deux moteurs."""
    assert chemins
    rapports = {}
    for moteur in MOTEURS:
        xml.choisir(moteur)
        rapports[moteur] = [_rapport(chemin) for chemin in chemins]
    differents = [
        chemin.name
        for chemin, a, b in zip(chemins, rapports["lxml"], rapports["stdlib"], strict=True)
        if a != b
    ]
    assert differents == []


def _ecrire(dossier: Path, fichiers: dict[str, bytes]) -> list[Path]:
    chemins = []
    for nom, octets in fichiers.items():
        chemin = dossier / nom
        chemin.write_bytes(octets)
        chemins.append(chemin)
    return chemins


# --- Mêmes rapports ----------------------------------------------------------------------


@pytest.mark.usefixtures("moteur_par_defaut")
def test_memes_rapports_sur_les_exemples_et_les_donnees() -> None:
    exemples = sorted((RACINE / "exemples" / "classeurs").rglob("*.xlsx"))
    donnees = sorted((RACINE / "tests" / "donnees").glob("*.xlsx"))
    assert len(exemples) >= 370 and len(donnees) >= 3
    _comparer(exemples + donnees)


@pytest.mark.usefixtures("moteur_par_defaut")
def test_memes_rapports_sur_les_fichiers_hostiles(tmp_path: Path) -> None:
    fichiers = {f"{fabrique.__name__}.xlsx": fabrique() for fabrique, _ in CAS_HOSTILES}
    fichiers["valide.xlsx"] = hostiles.classeur_valide()
    fichiers["sans_cache.xlsx"] = hostiles.classeur_valide(valeurs_en_cache=False)
    _, membres = _gabarit(tmp_path)
    for nom, variante in _variantes(membres).items():
        fichiers[f"piege-{nom}.xlsx"] = hostiles.zip_de(variante)
    _comparer(_ecrire(tmp_path, fichiers))


@pytest.mark.parametrize("en_flux", [False, True], ids=["bloc", "flux"])
@pytest.mark.usefixtures("moteur_par_defaut")
def test_memes_rapports_sur_les_mutations_du_fuzz(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, en_flux: bool
) -> None:
    """Les 300 feuilles abîmées du fuzz lues d'un bloc ; les 100 premières, aussi en flux."""
    if en_flux:
        monkeypatch.setattr(limites, "TAILLE_ANALYSE_EN_BLOC", 0)
    mutations = hostiles.mutations_feuille(20261122, 100 if en_flux else 300)
    chemins = _ecrire(tmp_path, {f"m{i}.xlsx": octets for i, octets in enumerate(mutations)})
    _comparer(chemins)


# --- Mêmes erreurs, aux mêmes endroits ---------------------------------------------------


def _verdict(octets: bytes) -> tuple:
    """Ce que le moteur en service dit d'un document : racine et textes, ou l'erreur située."""
    try:
        racine = xml.analyser(octets)
    except xml.ErreurXml as exc:
        return ("erreur", exc.ligne, exc.colonne, exc.dtd)
    return ("lu", racine.tag, tuple(xml.textes(racine)))


def _sur_les_deux(fonction: Callable[[], object]) -> dict[str, object]:
    resultats = {}
    for moteur in MOTEURS:
        xml.choisir(moteur)
        resultats[moteur] = fonction()
    return resultats


NOM_MAX = xml.NOM_MAX_OCTETS
ECARTS = {
    # libxml2 refuse, expat accepte : le moteur standard applique la règle de libxml2.
    "version-2.0": (b'<?xml version="2.0"?><a/>', "erreur"),
    "version-1.1": (b'<?xml version="1.1"?><a/>', "lu"),
    "uri-espace": (b'<a xmlns:x="urn:a b"/>', "erreur"),
    "uri-port-vide": (b'<a xmlns="http://h:/"/>', "erreur"),
    "uri-relatif": (b'<a xmlns="gabarit"/>', "lu"),
    "uri-fragment-crochets": (b'<a xmlns="http://h/#[x]"/>', "lu"),
    "profondeur-256": (b"<a>" * 256 + b"</a>" * 256, "lu"),
    "profondeur-257": (b"<a>" * 257 + b"</a>" * 257, "erreur"),
    "element-50000": (b"<" + b"a" * NOM_MAX + b"/>", "lu"),
    "element-50001": (b"<" + b"a" * (NOM_MAX + 1) + b"/>", "erreur"),
    "element-25001-e": (b"<" + "é".encode() * 25_001 + b"/>", "erreur"),
    "attribut-50001": (b"<a " + b"b" * (NOM_MAX + 1) + b'="1"/>', "erreur"),
    "prefixe-50001": (b"<a xmlns:" + b"p" * (NOM_MAX + 1) + b'="u"/>', "erreur"),
    "instruction-50001": (b"<a><?" + b"p" * (NOM_MAX + 1) + b" x?></a>", "erreur"),
    # expat refuse, libxml2 accepte : lxml confie la partie au moteur standard.
    "nom-pleine-chasse": ("<Ａ/>".encode(), "erreur"),
    "attribut-ideogramme": ('<a \U00020000="1"/>'.encode(), "erreur"),
    "prefixe-ligature": ('<ĳ:a xmlns:ĳ="u"/>'.encode(), "erreur"),
    # Ce qui se lit pareil des deux côtés.
    "nom-accentue": ('<é:c xmlns:é="u" été="1"/>'.encode(), "lu"),
    "euro-dans-le-texte": ('<a b="€">€ ’</a>'.encode(), "lu"),
    "commentaire-dans-le-texte": (b"<v>1<!--x-->2</v>", "lu"),
    "syntaxe": (b"<a><b></a>", "erreur"),
    "vide": (b"", "erreur"),
}


@pytest.mark.parametrize("cas", list(ECARTS), ids=list(ECARTS))
@pytest.mark.usefixtures("moteur_par_defaut")
def test_meme_verdict_sur_les_ecarts_entre_libxml2_et_expat(cas: str) -> None:
    octets, attendu = ECARTS[cas]
    verdicts = _sur_les_deux(lambda: _verdict(octets))
    assert verdicts["lxml"] == verdicts["stdlib"]
    assert verdicts["lxml"][0] == attendu


@pytest.mark.usefixtures("moteur_par_defaut")
def test_erreur_situee_comme_expat() -> None:
    """Ligne et colonne (à partir de 1) du premier problème, sur les deux moteurs.

    libxml2 situe l'attribut en double après sa valeur (colonne 17) ; expat, sur le nom
    répété (colonne 12) : c'est la position d'expat qui est rendue partout.
    """
    octets = b'<?xml version="1.0"?>\n<a>\n  <b x="1" x="2"/>\n</a>'
    verdicts = _sur_les_deux(lambda: _verdict(octets))
    assert verdicts == {"lxml": ("erreur", 3, 12, False), "stdlib": ("erreur", 3, 12, False)}


@pytest.mark.usefixtures("moteur_par_defaut")
def test_noms_non_ascii_refuses_pareil() -> None:
    """Un échantillon des caractères que libxml2 admet dans un nom et qu'expat refuse."""
    caracteres = [chr(c) for c in range(0x100, 0x30000, 97) if not 0xD800 <= c <= 0xDFFF]
    documents = [f"<a{c}/>".encode() for c in caracteres]
    verdicts = _sur_les_deux(lambda: [_verdict(d)[0] for d in documents])
    assert verdicts["lxml"] == verdicts["stdlib"]
    assert "erreur" in verdicts["lxml"] and "lu" in verdicts["lxml"]


@pytest.mark.usefixtures("moteur_par_defaut")
def test_en_flux_les_elements_arrivent_jusqu_a_l_erreur() -> None:
    """En flux, les éléments d'avant l'erreur sont rendus ; d'un bloc, aucun."""
    octets = b"<r>" + b"".join(b'<c n="%d"/>' % i for i in range(5)) + b'<c x="1" x="2"/></r>'

    def lire(en_bloc: bool) -> tuple:
        vus = []
        try:
            for _, element in xml.parcourir(octets, ("c",), en_bloc):
                vus.append(element.get("n"))
        except xml.ErreurXml as exc:
            return tuple(vus), (exc.ligne, exc.colonne)
        return tuple(vus), None

    for en_bloc, vus in ((False, ("0", "1", "2", "3", "4")), (True, ())):
        resultats = _sur_les_deux(lambda en_bloc=en_bloc: lire(en_bloc))
        assert resultats["lxml"] == resultats["stdlib"] == (vus, (1, 63))


@pytest.mark.usefixtures("moteur_par_defaut")
def test_le_moteur_standard_refuse_lui_meme_une_dtd() -> None:
    """Si une DTD échappait au tri des octets, le moteur standard la refuserait encore."""
    xml.choisir("stdlib")
    piege = b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    with pytest.raises(xml.ErreurXml) as erreur:
        xml.analyser(piege)
    assert erreur.value.dtd
    with pytest.raises(xml.ErreurXml) as erreur:
        list(xml.parcourir(piege, ("a",), en_bloc=False))
    assert erreur.value.dtd


def test_uri_comme_libxml2() -> None:
    """La règle d'URI du moteur standard rend le verdict de libxml2 sur des URI variés."""
    etree = pytest.importorskip("lxml.etree")
    from xml.sax.saxutils import quoteattr

    analyseur = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

    def libxml2(uri: str) -> bool:
        try:
            etree.fromstring(f"<a xmlns:x={quoteattr(uri)}/>".encode(), analyseur)
        except etree.XMLSyntaxError:
            return False
        return True

    morceaux = [
        *("http", "://", "/", "?", "#", "[", "]", ":", "@", "%", "%4", "%41", "a", "B", "1"),
        *("2147483647", "2147483648", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*"),
        *("+", ",", ";", "=", " ", "é", "{", "|", "\\", "^", "`", "//", "urn", "h", ":80"),
    ]
    alea = random.Random(14)
    uris = ["".join(alea.choices(morceaux, k=alea.randint(1, 8))) for _ in range(4000)]
    differents = [uri for uri in uris if xml.uri_valide(uri) != libxml2(uri)]
    assert differents == []
    assert 0 < sum(map(xml.uri_valide, uris)) < len(uris)


# --- Mêmes limites -----------------------------------------------------------------------


@pytest.mark.usefixtures("moteur_xml")
def test_partie_xml_trop_lourde(tmp_path: Path) -> None:
    """Une table de chaînes au-delà de `TAILLE_MAX_XML` est refusée sans être analysée."""
    chaines = (
        f'<sst xmlns="{hostiles.NS}">'
        + "<si><t>x</t></si>" * (limites.TAILLE_MAX_XML // 17 + 1)
        + "</sst>"
    )
    feuille = hostiles.FEUILLE_XML.replace(
        '<c r="A1" t="inlineStr"><is><t>ORG</t></is></c>', '<c r="A1" t="s"><v>0</v></c>'
    )
    octets = hostiles.zip_de(
        hostiles.membres_de(hostiles.xlsx_minimal(feuille=feuille))
        | {"xl/sharedStrings.xml": chaines},
        compression=zipfile.ZIP_STORED,
    )
    chemin = tmp_path / "lourd.xlsx"
    chemin.write_bytes(octets)
    refus = lire_classeur(chemin).constats
    assert [(c.code, "xl/sharedStrings.xml" in c.message) for c in refus] == [
        ("donnees-hors-gabarit", True)
    ]


@pytest.mark.usefixtures("moteur_xml")
def test_macros_cachees_derriere_des_references_de_caracteres(tmp_path: Path) -> None:
    """« macro&#69;nabled » se lit « macroEnabled » : le type de contenu trahit les macros."""
    principal = hostiles.PRINCIPAL_XLSM.replace("macroEnabled", "macro&#69;nabled")
    chemin = tmp_path / "cache.xlsx"
    chemin.write_bytes(hostiles.xlsx_minimal(principal=principal))
    assert [c.code for c in lire_classeur(chemin).constats] == ["macros-refusees"]


# --- Choix du moteur ---------------------------------------------------------------------


def _executer(programme: str, **env: str) -> str:
    import os

    fin = subprocess.run(
        [sys.executable, "-c", programme],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | env,
    )
    assert fin.returncode == 0, fin.stderr[-800:]
    return fin.stdout.strip()


@pytest.mark.parametrize("moteur", MOTEURS)
def test_variable_d_environnement(moteur: str) -> None:
    programme = "from barometre_cli.lecture import xml; print(xml.moteur())"
    assert _executer(programme, BAROMETRE_XML=moteur) == moteur


def test_moteur_inconnu_refuse(moteur_par_defaut: None) -> None:
    from barometre_cli.domaine.erreurs import BarometreErreur

    with pytest.raises(BarometreErreur, match="les valeurs permises sont lxml"):
        xml.choisir("expat")


@pytest.mark.parametrize("commande", ["valider", "compiler"])
def test_variable_d_environnement_invalide_message_francais(tmp_path: Path, commande: str) -> None:
    """BAROMETRE_XML=expat : code 2 et une phrase en français, pas « Erreur inattendue »."""
    import os
    import subprocess
    import sys

    racine = Path(__file__).resolve().parents[1]
    fichier = tmp_path / "a.xlsx"
    fichier.write_bytes(hostiles.classeur_valide())
    arguments = (
        [str(fichier)] if commande == "valider" else [str(tmp_path), "-o", str(tmp_path / "r")]
    )
    fin = subprocess.run(
        [sys.executable, "-m", "barometre_cli", commande, *arguments],
        capture_output=True, text=True, cwd=racine,
        env={**os.environ, "BAROMETRE_XML": "expat", "PYTHONPATH": str(racine), "COLUMNS": "300"},
    )  # fmt: skip
    assert fin.returncode == 2, fin.stderr
    assert fin.stderr.startswith(
        "Erreur : la variable d'environnement BAROMETRE_XML vaut « expat »"
    )
    assert "inattendue" not in fin.stderr and "Traceback" not in fin.stderr
    assert not (tmp_path / "r").exists()


def test_sans_lxml_ni_defusedxml_le_moteur_standard_lit_seul(tmp_path: Path) -> None:
    """Comme sous Pyodide : ni lxml ni defusedxml importables, la lecture se fait quand même."""
    fichiers = {"valide.xlsx": hostiles.classeur_valide()}
    for fabrique, code in CAS_HOSTILES:
        fichiers[f"{code}--{fabrique.__name__}.xlsx"] = fabrique()
    _ecrire(tmp_path, fichiers)
    programme = (
        "import sys\n"
        "sys.modules['lxml'] = None\n"
        "sys.modules['defusedxml'] = None\n"
        "from pathlib import Path\n"
        "from barometre_cli.lecture import lire_classeur, xml\n"
        "print(xml.moteur())\n"
        f"for chemin in sorted(Path({str(tmp_path)!r}).iterdir()):\n"
        "    lu = lire_classeur(chemin)\n"
        "    print(chemin.name.split('--')[0], ','.join(c.code for c in lu.constats) or 'lisible')\n"
    )
    lignes = _executer(programme, BAROMETRE_XML="").splitlines()
    assert lignes[0] == "stdlib"
    for ligne in lignes[1:]:
        attendu, obtenu = ligne.split()
        assert obtenu == ("lisible" if attendu == "valide.xlsx" else attendu)
    assert len(lignes) == len(fichiers) + 1
