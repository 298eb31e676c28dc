"""Les entrées hostiles de la revue de robustesse (issue 19), fabriquées par programme.

Registres abîmés, textes démesurés, XML très profond, balayage d'espaces de noms quadratique,
conflits par milliers, liens et fichiers spéciaux dans le dossier reçu, noms piégés : chaque
fonction rend des octets (ou remplit un dossier) en une fraction de seconde, pour que les tests
disent eux-mêmes le piège qu'ils vérifient. Rien n'est téléchargé ni versionné.

Lancé comme script, il écrit tout dans un dossier, pour une revue à la main :

    python -m tests.hostiles_robustesse /tmp/hostiles
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
REGISTRE_EXEMPLE = RACINE / "exemples" / "registre.csv"

# --- Registres ---------------------------------------------------------------------------------


def registre_exemple() -> bytes:
    return REGISTRE_EXEMPLE.read_bytes()


def _lignes(octets: bytes) -> list[bytes]:
    return octets.split(b"\n")


def registre_guillemet_isole() -> bytes:
    """Un guillemet tapé au début du nom de la ligne 5 (AP04) : le module csv lisait le reste du
    fichier comme ce seul nom, et 36 organisations disparaissaient."""
    lignes = _lignes(registre_exemple())
    code, nom, reste = lignes[4].split(b";", 2)
    lignes[4] = b";".join([code, b'"' + nom, reste])
    return b"\n".join(lignes)


def registres_hostiles() -> dict[str, tuple[bytes, str]]:
    """Nom → (octets, ce que le message doit dire de l'endroit : « ligne 5 : »)."""
    exemple = registre_exemple()
    lignes = _lignes(exemple)
    sur_deux_lignes = list(lignes)
    code, nom, reste = sur_deux_lignes[6].split(b";", 2)
    sur_deux_lignes[6] = b";".join([code, b'"' + nom[:10] + b"\n" + nom[10:] + b'"', reste])
    champ_en_trop = list(lignes)
    champ_en_trop[9] = champ_en_trop[9] + b";de trop"
    entete_pv = b"code;nom;reseau\nAP01,Un,Administration publique\n"
    melange = "code;nom\nAP01;Ministère un\nAP02;Ministère deux\n".encode() + (
        "AP03;Société trois\n".encode("cp1252")
    )
    bom_puis_cp1252 = codecs.BOM_UTF8 + b"code;nom\n" + "AP01;Hôpital\n".encode("cp1252")
    guillemet_milieu = b'code,nom\nAP01,Bureau du "Nord"\n'
    texte_apres = b'code,nom\nAP01,"Bureau" du Nord\n'
    return {
        "guillemet-isole": (registre_guillemet_isole(), "ligne 5 :"),
        "champ-sur-deux-lignes": (b"\n".join(sur_deux_lignes), "ligne 7 :"),
        "champ-en-trop": (b"\n".join(champ_en_trop), "ligne 10 :"),
        "entete-point-virgule-donnees-virgule": (entete_pv, "ligne 2 :"),
        "une-colonne-donnees-separees": (b"code\nAP01;Un\n", "ligne 2 :"),
        "encodages-melanges": (melange, "ligne 4 :"),
        "bom-utf8-puis-cp1252": (bom_puis_cp1252, "ligne 2 :"),
        "octet-indefini-cp1252": (b"code,nom\nAP01,Caf\x81\n", "ligne 2 :"),
        "guillemet-au-milieu": (guillemet_milieu, "ligne 2 :"),
        "texte-apres-guillemet": (texte_apres, "ligne 2 :"),
        "code-vide": (b"code,nom\nAP01,Un\n ,Deux\n", "ligne 3 :"),
        "code-double": (b"code,nom\nAP01,Un\nap01 ,Deux\n", "ligne 3 :"),
        "nom-trop-long": (b"code,nom\nAP01," + b"N" * 256 + b"\n", "ligne 2 :"),
        "courriel-trop-long": (
            b"code,contact_courriel\nAP01," + b"a" * 250 + b"@x.ca\n",
            "ligne 2 :",
        ),
        "controle-de-direction": ("code,nom\nAP01,Minist\u202eère\n".encode(), "ligne 2 :"),
        "colonne-en-double": (b"code,nom,nom\nAP01,Un,Deux\n", "ligne 1 :"),
    }


def registre_texte_unicode(octets_utf8: bytes) -> bytes:
    """Le registre tel qu'Excel l'enregistre en « Texte Unicode » : UTF-16 LE avec BOM, tabulations."""
    texte = octets_utf8.decode("utf-8-sig").replace(";", "\t").replace("\n", "\r\n")
    return codecs.BOM_UTF16_LE + texte.encode("utf-16-le")


# --- Textes démesurés dans un classeur ---------------------------------------------------------


def _remplacer_texte(octets: bytes, ancien: str, nouveau: str) -> bytes:
    """Remplace un texte saisi par un autre, dans les octets XML du classeur (sans openpyxl, qui
    couperait à 32 767 caractères)."""
    source = zipfile.ZipFile(io.BytesIO(octets))
    tampon = io.BytesIO()
    trouve = False
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename.endswith(".xml") and ancien.encode() in donnees:
                donnees = donnees.replace(ancien.encode(), nouveau.encode())
                trouve = True
            sortie.writestr(info, donnees)
    assert trouve, ancien
    return tampon.getvalue()


def classeur_avec(id_cible: str, valeurs: dict, **options) -> bytes:
    from tests.outils import octets

    return octets(id_cible, valeurs, **options)


def _en_chaine_partagee(octets: bytes, repere: str, texte: str) -> bytes:
    """La cellule qui porte `repere` reçoit `texte` par la table des chaînes partagées, comme
    Excel l'enregistre (la feuille reste petite ; la table peut peser des mégaoctets)."""
    from xml.sax.saxutils import escape

    source = zipfile.ZipFile(io.BytesIO(octets))
    membres = {info.filename: source.read(info) for info in source.infolist()}
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    for nom, donnees in membres.items():
        if nom.startswith("xl/worksheets/") and repere.encode() in donnees:
            membres[nom] = re.sub(
                rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t[^>]*>'
                + re.escape(repere.encode())
                + rb"</t></is></c>",
                rb'<c r="\1"\2 t="s"><v>0</v></c>',
                donnees,
            )
    membres["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{ns}" count="1" uniqueCount="1">'
        f"<si><t>{escape(texte)}</t></si></sst>"
    ).encode()
    membres["[Content_Types].xml"] = membres["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    membres["xl/_rels/workbook.xml.rels"] = membres["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for nom, donnees in membres.items():
            sortie.writestr(nom, donnees)
    return tampon.getvalue()


def texte_repetitif(longueur: int, motif: str = "") -> str:
    """`longueur` caractères : `motif` répété, ou des lettres pseudo-aléatoires (toujours les
    mêmes) qui se compressent comme un vrai texte, sous le taux qui trahit une bombe ZIP."""
    if motif:
        return (motif * (longueur // len(motif) + 1))[:longueur]
    import random

    alea = random.Random(19)
    return "".join(alea.choices("abcdefghijklmnopqrstuvwxyz éèà", k=longueur))


def classeur_texte_long(champ: str, longueur: int, motif: str = "", id_cible: str = "1.1") -> bytes:
    """Un classeur valide dont le texte `champ` (nom, code, courriel…) est démesuré, rangé dans
    la table des chaînes partagées comme Excel l'enregistre."""
    repere = f"REPERE-{champ}"
    saisies = (
        {"c1_1_numerateur": 1, "c1_1_denominateur": 2}
        if id_cible == "1.1"
        else {"c5_1_services": [[repere, 80, 100], ["Carte", 10, 20]]}
    )
    valeurs = {**saisies} if champ == "service" else {**saisies, champ: repere}
    if champ == "service":
        repere = saisies["c5_1_services"][0][0]
    return classeur_texte(champ, texte_repetitif(longueur, motif), id_cible, valeurs, repere)


def classeur_texte(
    champ: str,
    texte: str,
    id_cible: str = "1.1",
    valeurs: dict | None = None,
    repere: str = "",
) -> bytes:
    """Un classeur valide dont le texte `champ` est exactement `texte`, écrit dans le XML sans
    passer par openpyxl (qui retire les caractères de contrôle et coupe à 32 767)."""
    repere = repere or f"REPERE-{champ}"
    if valeurs is None:
        valeurs = {"c1_1_numerateur": 1, "c1_1_denominateur": 2, champ: repere}
    return _en_chaine_partagee(classeur_avec(id_cible, valeurs), repere, texte)


def courriel_qui_fait_reculer(longueur: int) -> str:
    """L'adresse qui faisait reculer l'ancien motif (`^[^@\\s]+@[^@\\s]+\\.[^@\\s]{2,}$`) :
    une arobase, des milliers de « a. », une arobase finale ; chaque point relançait un essai
    jusqu'au bout du texte (quadratique)."""
    return ("a@" + "a." * (longueur // 2))[: longueur - 1] + "@"


# --- XML ---------------------------------------------------------------------------------------


def classeur_xml_profond(profondeur: int = 3000, partie: str = "xl/workbook.xml") -> bytes:
    """Un classeur dont une partie emboîte `profondeur` éléments : la page tombait (« Maximum
    call stack size exceeded ») là où la commande refusait proprement le fichier."""
    base = classeur_avec("1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2})
    source = zipfile.ZipFile(io.BytesIO(base))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename == partie:
                fin = donnees.rindex(b"</")
                donnees = donnees[:fin] + b"<x>" * profondeur + b"</x>" * profondeur + donnees[fin:]
            sortie.writestr(info, donnees)
    return tampon.getvalue()


def classeur_espaces_de_noms(taille: int = 100_000) -> bytes:
    """Un classeur 1.1 dont le nom d'organisation est `xmlns:!` répété (100 Ko), avec un
    commentaire en japonais dans la feuille : le balayage des déclarations d'espaces de noms
    devenait quadratique (37 s au lieu d'une)."""
    valeurs = {"c1_1_numerateur": 1, "c1_1_denominateur": 2, "organisation_nom": "REPERE-NOM"}
    octets = classeur_avec("1.1", valeurs)
    octets = _remplacer_texte(octets, "REPERE-NOM", ("xmlns:!" * (taille // 7 + 1))[:taille])
    source = zipfile.ZipFile(io.BytesIO(octets))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info in source.infolist():
            donnees = source.read(info)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename) and b"REPERE" not in (
                donnees
            ):
                donnees = donnees.replace(
                    b"<sheetData", "<!-- 日本語 -->".encode() + b"<sheetData", 1
                )
            sortie.writestr(info, donnees)
    return tampon.getvalue()


# --- Fuzz : des textes longs et répétitifs, partout où un répondant écrit ----------------------

#: Motifs qui ont fait reculer une expression régulière, ou qui pourraient : arobases et points
#: (courriel), « xmlns: » et « < » (balayages du XML), blancs et chiffres (nombres en texte),
#: apostrophes, caractères non ASCII, contrôles de direction.
MOTIFS_FUZZ = [
    "a.", "@", "a@", "a@b.", "xmlns:!", "xmlns:p=\"", "<", "&lt;", " ", "1 ", "1,", "9",
    "'", "\"", "é", "日本", "\u202e", "=", "-", "_x0041_", "A1:", "$",
]  # fmt: skip
#: Où le texte est tapé : les champs de texte, un nombre tapé comme du texte, un nom de service.
CHAMPS_FUZZ = [
    ("1.1", "organisation_nom"),
    ("1.1", "organisation_code"),
    ("1.1", "repondant_nom"),
    ("1.1", "repondant_courriel"),
    ("1.1", "retroaction_commentaire"),
    ("1.1", "c1_1_numerateur"),
    ("5.1", "service"),
]
LONGUEURS_FUZZ = [300, 32_767, 100_000, 900_000]


def textes_fuzz(graine: int, nombre: int):
    """`nombre` classeurs (description, octets) au texte long et répétitif, toujours les mêmes
    pour une même graine : de quoi borner le temps de `valider` par fichier."""
    import random

    alea = random.Random(graine)
    bases: dict[tuple[str, str], bytes] = {}
    for _ in range(nombre):
        id_cible, champ = alea.choice(CHAMPS_FUZZ)
        motif = "".join(alea.choices(MOTIFS_FUZZ, k=alea.randint(1, 3)))
        longueur = alea.choice(LONGUEURS_FUZZ)
        texte = (motif * (longueur // len(motif) + 1))[:longueur]
        cle = (id_cible, champ)
        if cle not in bases:
            repere = "REPERE-FUZZ"
            if champ == "service":
                valeurs = {"c5_1_services": [[repere, 80, 100], ["Carte", 10, 20]]}
            elif id_cible == "1.1" and champ.startswith("c1_1"):
                valeurs = {"c1_1_numerateur": repere, "c1_1_denominateur": 2}
            else:
                valeurs = {"c1_1_numerateur": 1, "c1_1_denominateur": 2, champ: repere}
            bases[cle] = classeur_avec(id_cible, valeurs)
        description = f"{champ} : {motif!r} × {longueur}"
        yield description, _en_chaine_partagee(bases[cle], "REPERE-FUZZ", texte)


# --- Conflits ----------------------------------------------------------------------------------


def versions_en_conflit(dossier: Path, nombre: int) -> list[Path]:
    """`nombre` versions d'un même classeur (même organisation, même cible, même date de
    modification), qui ne diffèrent que par le nom de la personne répondante."""
    from tests.outils import MARS, octets

    base = octets(
        "1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2, "repondant_nom": "R-000000"}
    )
    chemins = []
    dossier.mkdir(parents=True, exist_ok=True)
    for i in range(nombre):
        chemin = dossier / f"version-{i:05d}.xlsx"
        chemin.write_bytes(_remplacer_texte(base, "R-000000", f"R-{i:06d}"))
        chemins.append(chemin)
    assert MARS  # la date de modification est la même pour toutes
    return chemins


# --- Dossier reçu : liens et fichiers spéciaux -------------------------------------------------


def dossier_pieges(recus: Path, dehors: Path) -> dict[str, str]:
    """Remplit `recus` de liens et de fichiers spéciaux ; rend nom → nature attendue au journal.

    `dehors` reçoit un classeur valide qu'un lien de `recus` désigne : il ne doit être ni lu ni
    haché. Un lien vers `/etc/passwd`, un lien brisé, un lien vers un dossier (dedans et dehors),
    un tube nommé (FIFO) et une prise (socket) complètent le tableau.
    """
    import socket

    recus.mkdir(parents=True, exist_ok=True)
    dehors.mkdir(parents=True, exist_ok=True)
    valide = classeur_avec("1.1", {"c1_1_numerateur": 1, "c1_1_denominateur": 2}, code="ORG1")
    (dehors / "secret.xlsx").write_bytes(valide)
    (recus / "ORG1").mkdir(exist_ok=True)
    (recus / "ORG1" / "1.1.xlsx").write_bytes(valide)
    attendus = {}
    (recus / "lien-dehors.xlsx").symlink_to(dehors / "secret.xlsx")
    attendus["lien-dehors.xlsx"] = "lien"
    (recus / "lien-passwd.xlsx").symlink_to("/etc/passwd")
    attendus["lien-passwd.xlsx"] = "lien"
    (recus / "lien-brise.xlsx").symlink_to(recus / "absent.xlsx")
    attendus["lien-brise.xlsx"] = "lien"
    (recus / "lien-dossier-dehors").symlink_to(dehors, target_is_directory=True)
    attendus["lien-dossier-dehors"] = "lien"
    (recus / "lien-dossier-dedans").symlink_to(recus / "ORG1", target_is_directory=True)
    attendus["lien-dossier-dedans"] = "lien"
    (recus / "lien-dedans.xlsx").symlink_to(Path("ORG1") / "1.1.xlsx")
    attendus["lien-dedans.xlsx"] = "lu"
    os.mkfifo(recus / "tube.xlsx")
    attendus["tube.xlsx"] = "special"
    prise = socket.socket(socket.AF_UNIX)
    try:
        prise.bind(str(recus / "prise"))
        attendus["prise"] = "special"
    except OSError:  # chemin trop long pour une prise : on s'en passe
        pass
    finally:
        prise.close()
    return attendus


# --- Noms piégés -------------------------------------------------------------------------------

NOM_FORMULE_ESPACE = " =1+1.xlsx"
NOM_RLO = "AP01-\u202exslx.exe"  # s'affiche « AP01-exe.xlsx » si le U+202E est gardé


def tout_ecrire(dossier: Path) -> list[Path]:
    """Écrit chaque entrée hostile dans `dossier` (registres, classeurs) ; rend les chemins."""
    dossier.mkdir(parents=True, exist_ok=True)
    ecrits = []
    for nom, (octets, _) in registres_hostiles().items():
        ecrits.append(dossier / f"registre-{nom}.csv")
        ecrits[-1].write_bytes(octets)
    ecrits.append(dossier / "registre-texte-unicode.txt")
    ecrits[-1].write_bytes(registre_texte_unicode(registre_exemple()))
    classeurs = {
        "nom-7-mo.xlsx": classeur_texte_long("organisation_nom", 7_500_000),
        "service-300.xlsx": classeur_texte_long("service", 300, id_cible="5.1"),
        "courriel-100-000.xlsx": classeur_texte(
            "repondant_courriel", courriel_qui_fait_reculer(100_000)
        ),
        "xml-profond-3000.xlsx": classeur_xml_profond(3000),
        "espaces-de-noms.xlsx": classeur_espaces_de_noms(),
        "controle-de-direction.xlsx": classeur_texte("organisation_nom", NOM_RLO),
    }
    for nom, octets in classeurs.items():
        ecrits.append(dossier / nom)
        ecrits[-1].write_bytes(octets)
    return ecrits


if __name__ == "__main__":  # pragma: no cover - outil de revue
    sys.path.insert(0, str(RACINE))
    cible_dossier = Path(sys.argv[1] if len(sys.argv) > 1 else "hostiles")
    for chemin in tout_ecrire(cible_dossier):
        print(chemin)
    print(f"Écrits le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.")
