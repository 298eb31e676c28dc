"""Fabrique en mémoire les fichiers piégés, abîmés ou d'anciens formats que la lecture doit refuser.

Rien n'est téléchargé ni versionné : chaque fonction rend des octets en une fraction de seconde,
pour que les tests décrivent eux-mêmes le piège qu'ils vérifient.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import warnings
import zipfile
from collections.abc import Iterator

from lxml import etree
from openpyxl import Workbook
from openpyxl.packaging.custom import BoolProperty, FloatProperty, IntProperty, StringProperty
from openpyxl.workbook.defined_name import DefinedName

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE_DOC = f"{NS_R}/officeDocument"
TYPE_FEUILLE = f"{NS_R}/worksheet"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{principal}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PRINCIPAL_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PRINCIPAL_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

RELS_PAQUET = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{NS_REL}">'
    f'<Relationship Id="rId1" Type="{TYPE_DOC}" Target="xl/workbook.xml"/></Relationships>'
)
RELS_CLASSEUR = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{NS_REL}">'
    f'<Relationship Id="rId1" Type="{TYPE_FEUILLE}" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)

#: un classeur d'une feuille « Saisie » et d'un nom « code » qui y pointe (la feuille est lue)
CLASSEUR_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS}" '
    f'xmlns:r="{NS_R}"><sheets><sheet name="Saisie" sheetId="1" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="code">Saisie!$A$1</definedName></definedNames>'
    "</workbook>"
)

FEUILLE_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
    '<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ORG</t></is>'
    "</c></row></sheetData></worksheet>"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


# --- Outils ------------------------------------------------------------------------------


def zip_de(
    membres: dict[str, bytes | str] | list[tuple[str, bytes | str]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Une archive ZIP des membres donnés, dans l'ordre (une liste permet les doublons)."""
    tampon = io.BytesIO()
    elements = membres.items() if isinstance(membres, dict) else membres
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # « Duplicate name » voulu pour un test
        with zipfile.ZipFile(tampon, "w", compression) as archive:
            for nom, contenu in elements:
                archive.writestr(nom, contenu.encode() if isinstance(contenu, str) else contenu)
    return tampon.getvalue()


def membres_de(octets: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(octets)) as archive:
        return {nom: archive.read(nom) for nom in archive.namelist()}


def remplacer(
    octets: bytes,
    remplacements: dict[str, bytes | str | None],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Réécrit une archive : membres remplacés, ajoutés (à la fin) ou retirés (None)."""
    membres: dict[str, bytes | str] = dict(membres_de(octets))
    for nom, contenu in remplacements.items():
        if contenu is None:
            membres.pop(nom, None)
        else:
            membres[nom] = contenu
    return zip_de(membres, compression)


def xlsx_minimal(
    feuille: str = FEUILLE_XML,
    classeur: str = CLASSEUR_XML,
    principal: str = PRINCIPAL_XLSX,
    autres: dict[str, bytes | str] | None = None,
) -> bytes:
    """Un .xlsx écrit à la main : de quoi glisser un piège dans n'importe quelle partie."""
    membres: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES.format(principal=principal),
        "_rels/.rels": RELS_PAQUET,
        "xl/workbook.xml": classeur,
        "xl/_rels/workbook.xml.rels": RELS_CLASSEUR,
        "xl/worksheets/sheet1.xml": feuille,
    }
    membres.update(autres or {})
    return zip_de(membres)


def declarer_taille(octets: bytes, nom: str, taille: int) -> bytes:
    """Change la taille décompressée déclarée d'un membre (en-tête local et répertoire central)."""
    donnees = bytearray(octets)
    with zipfile.ZipFile(io.BytesIO(octets)) as archive:
        entree = archive.getinfo(nom)
    struct.pack_into("<I", donnees, entree.header_offset + 22, taille)
    position = donnees.find(b"PK\x01\x02")
    while position != -1:
        longueur = struct.unpack_from("<H", donnees, position + 28)[0]
        if donnees[position + 46 : position + 46 + longueur] == nom.encode():
            struct.pack_into("<I", donnees, position + 24, taille)
        position = donnees.find(b"PK\x01\x02", position + 4)
    return bytes(donnees)


def _ole(flux: list[str]) -> bytes:
    """Un conteneur OLE (CFB) réduit : en-tête, puis un secteur de répertoire aux noms donnés.

    La lecture ne classe que sur la signature et les noms de flux (UTF-16LE) : c'est assez.
    """
    entete = bytearray(512)
    entete[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", entete, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", entete, 48, 0)  # premier secteur du répertoire
    repertoire = bytearray()
    for nom in ["Root Entry", *flux]:
        entree = bytearray(128)
        code = nom.encode("utf-16-le") + b"\x00\x00"
        entree[0 : len(code)] = code
        struct.pack_into("<H", entree, 64, len(code))
        entree[66] = 5 if nom == "Root Entry" else 2
        repertoire += entree
    repertoire += bytes(-len(repertoire) % 512)
    return bytes(entete) + bytes(repertoire)


# --- Le classeur valide de référence -------------------------------------------------------

#: chaînes partagées du classeur valide : la 2e est en texte riche, avec une phonétique ignorée
CHAINES_PARTAGEES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" count="4" '
    'uniqueCount="4"><si><t>ORG-01</t></si>'
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Texte </t></r><r><t>riche</t></r>'
    '<rPh sb="0" eb="1"><t>フリガナ</t></rPh></si>'
    "<si><t>x_x0041_y_x005F_x0041_</t></si>"
    "<si><t>Service A</t></si></sst>"
)


def classeur_valide(
    *,
    proprietes: bool = True,
    valeurs_en_cache: bool = True,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Un petit classeur réaliste, écrit par openpyxl puis retouché comme par Excel.

    Feuille « Saisie » : B1 chaîne partagée, B2 2026, B3 VRAI, B4 #DIV/0!, B5 formule jamais
    calculée, B6 formule avec valeur en cache (4052), B7 texte riche, B8 vide, B9 texte échappé ;
    tableau A11:C13 (3 colonnes) ; feuille « L'été 2024 » (A1 « chaud ») ; noms brisés variés.
    """
    wb = Workbook()
    saisie = wb.active
    saisie.title = "Saisie"
    saisie["A1"] = "Organisation"
    saisie["B1"] = "@partagee:0"
    saisie["B2"] = 2026
    saisie["B3"] = True
    saisie["B4"] = "#DIV/0!"
    saisie["B5"] = "=B2+1"
    saisie["B6"] = "=B2*2"
    saisie["B7"] = "@partagee:1"
    saisie["B9"] = "@partagee:2"
    saisie["A11"], saisie["B11"], saisie["C11"] = "@partagee:3", 10, 5
    saisie["A12"], saisie["B12"], saisie["C12"] = "Service B", 3.5, "=B12/2"
    ete = wb.create_sheet("L'été 2024")
    ete["A1"] = "chaud"
    wb.create_sheet("Vide")

    noms = {
        "organisation_code": "'Saisie'!$B$1",
        "periode": "Saisie!$B$2",
        "consentement": "Saisie!$B$3",
        "ratio": "Saisie!$B$4",
        "jamais_calcule": "Saisie!$B$5",
        "double": "Saisie!B6",
        "riche": "Saisie!$B$7",
        "vide": "Saisie!$B$8",
        "echappe": "Saisie!$B$9",
        "services": "Saisie!$A$11:$C$13",
        "ete": "'L''été 2024'!$A$1",
        "brise_ref": "#REF!",
        "brise_feuille": "Saisie!#REF!",
        "plusieurs_zones": "Saisie!$A$1,Saisie!$B$2",
        "feuille_inconnue": "Absente!$A$1",
        "trop_grand": "Saisie!$A$1:$Z$2000",
        "colonne_entiere": "Saisie!$C:$C",
        "constante": '"texte"',
    }
    for nom, reference in noms.items():
        wb.defined_names[nom] = DefinedName(nom, attr_text=reference)
    saisie.defined_names["local"] = DefinedName("local", attr_text="Saisie!$B$2")
    saisie.print_area = "A1:C13"
    if proprietes:
        wb.custom_doc_props.append(IntProperty(name="barometre_version", value=1))
        wb.custom_doc_props.append(StringProperty(name="barometre_cible", value="5.1"))
        wb.custom_doc_props.append(FloatProperty(name="taux", value=0.25))
        wb.custom_doc_props.append(BoolProperty(name="prerempli", value=True))
    tampon = io.BytesIO()
    wb.save(tampon)
    membres = membres_de(tampon.getvalue())

    # Comme Excel : chaînes dans une table partagée, valeurs des formules en cache.
    feuille = etree.fromstring(membres["xl/worksheets/sheet1.xml"])
    for cellule in feuille.iter(f"{{{NS}}}c"):
        texte = cellule.findtext(f"{{{NS}}}is/{{{NS}}}t")
        if texte and texte.startswith("@partagee:"):
            for enfant in list(cellule):
                cellule.remove(enfant)
            cellule.set("t", "s")
            etree.SubElement(cellule, f"{{{NS}}}v").text = texte.split(":")[1]
        if valeurs_en_cache and cellule.get("r") in ("B6", "C12"):
            cellule.find(f"{{{NS}}}v").text = "4052" if cellule.get("r") == "B6" else "1.75"
    membres["xl/worksheets/sheet1.xml"] = etree.tostring(
        feuille, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    membres["xl/sharedStrings.xml"] = CHAINES_PARTAGEES.encode()
    membres["[Content_Types].xml"] = membres["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    membres["xl/_rels/workbook.xml.rels"] = membres["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSst" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    return zip_de(membres, compression)


# --- Contenus qui ne sont pas des classeurs --------------------------------------------------


def vide() -> bytes:
    return b""


def texte_csv() -> bytes:
    """Un CSV exporté par Excel (Windows-1252), renommé en .xlsx."""
    return "organisation;période;valeur\nORG-01;2026;12\n".encode("cp1252")


def pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def html() -> bytes:
    return b"<!DOCTYPE html>\n<html lang='fr'><head><title>Erreur 404</title></head></html>\n"


def ole_chiffre() -> bytes:
    """Un .xlsx protégé par mot de passe : un conteneur OLE avec EncryptionInfo/EncryptedPackage."""
    return _ole(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])


def xls() -> bytes:
    """Un ancien classeur Excel 97-2003 : un conteneur OLE avec un flux « Workbook »."""
    return _ole(["Workbook", "\x05SummaryInformation"])


def ods() -> bytes:
    """Un classeur OpenDocument minimal et lisible (voir `ods_minimal`, plus bas)."""
    return ods_minimal()


def docx() -> bytes:
    return zip_de({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})


def zip_sans_classeur() -> bytes:
    return zip_de({"photo.txt": "bonjour", "donnees.csv": "a;b\n1;2\n"})


# --- Archives abîmées ou piégées -------------------------------------------------------------


def zip_tronque() -> bytes:
    octets = classeur_valide()
    return octets[: len(octets) * 2 // 3]


def zip_crc() -> bytes:
    """Un octet changé dans `xl/workbook.xml` stocké sans compression : CRC-32 faux."""
    octets = bytearray(classeur_valide(compression=zipfile.ZIP_STORED))
    position = octets.index(b'sheetId="1"') + len(b'sheetId="')
    octets[position] = ord("7")
    return bytes(octets)


def taille_mentie() -> bytes:
    """La feuille lue se déclare plus petite qu'elle ne l'est : lue, elle dépasserait."""
    octets = classeur_valide()
    return declarer_taille(octets, "xl/worksheets/sheet1.xml", 100)


def partie_en_double() -> bytes:
    membres = list(membres_de(xlsx_minimal()).items())
    return zip_de([*membres, ("xl/workbook.xml", CLASSEUR_XML.replace("Saisie", "Autre"))])


@functools.cache
def zip_bombe() -> bytes:
    """Une vraie bombe : une feuille de 200 Mo d'espaces compressée en moins de 1 Mo (~0,4 s)."""
    tampon = io.BytesIO(xlsx_minimal())
    bloc = b" " * (1 << 20)
    with (
        zipfile.ZipFile(tampon, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w") as flux,
    ):
        for _ in range(200):
            flux.write(bloc)
    return tampon.getvalue()


def zip_bombe_declaree() -> bytes:
    """Une feuille qui se déclare longue de 1 Gio : refusée sur l'inventaire, sans décompresser."""
    return declarer_taille(xlsx_minimal(), "xl/worksheets/sheet1.xml", 1 << 30)


def zip_bombe_taux() -> bytes:
    """10 Mo d'espaces (sous les limites de taille) compressés plus de 1 000 fois."""
    espaces = FEUILLE_XML.replace("<sheetData>", " " * (10 << 20) + "<sheetData>")
    return xlsx_minimal(feuille=espaces)


def trop_de_parties() -> bytes:
    return xlsx_minimal(autres={f"xl/media/image{i}.png": b"x" for i in range(600)})


def xlsm() -> bytes:
    """Un classeur à macros renommé en .xlsx : `vbaProject.bin` et type « macroEnabled »."""
    return xlsx_minimal(principal=PRINCIPAL_XLSM, autres={"xl/vbaProject.bin": b"\xcc" * 64})


def type_macros_seul() -> bytes:
    """Le type de contenu dit « macroEnabled », sans `vbaProject.bin`."""
    return xlsx_minimal(principal=PRINCIPAL_XLSM)


def xlsb() -> bytes:
    return xlsx_minimal(autres={"xl/workbook.bin": b"\x83\x01\x00"})


def strict() -> bytes:
    """Enregistré en « Strict Open XML » : autre espace de noms pour le classeur."""
    return xlsx_minimal(
        classeur=CLASSEUR_XML.replace(NS, NS_STRICT).replace(
            "<workbook ", '<workbook conformance="strict" '
        )
    )


def sans_feuille() -> bytes:
    return xlsx_minimal(classeur=f'<workbook xmlns="{NS}"><sheets/></workbook>')


def xml_mal_forme() -> bytes:
    return xlsx_minimal(classeur=CLASSEUR_XML.replace("</sheets>", "</feuilles>"))


def utf16() -> bytes:
    """Le classeur encodé en UTF-16 : contournerait une recherche naïve de « <!DOCTYPE »."""
    texte = CLASSEUR_XML.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return xlsx_minimal(autres={"xl/workbook.xml": texte.encode("utf-16")})


def billion_laughs_classeur() -> bytes:
    corps = CLASSEUR_XML.split("\n", 1)[1].replace("<sheets>", "<sheets>&lol9;", 1)
    return xlsx_minimal(classeur=BILLION_LAUGHS.replace("lolz", "workbook") + corps)


def billion_laughs_feuille() -> bytes:
    corps = FEUILLE_XML.split("\n", 1)[1].replace("<t>ORG</t>", "<t>&lol9;</t>")
    return xlsx_minimal(feuille=BILLION_LAUGHS.replace("lolz", "worksheet") + corps)


def xxe() -> bytes:
    """Une entité externe qui lirait /etc/passwd dans une chaîne de la feuille."""
    corps = FEUILLE_XML.split("\n", 1)[1].replace("<t>ORG</t>", "<t>&xxe;</t>")
    entete = (
        '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    return xlsx_minimal(feuille=entete + corps)


def _feuille_lointaine(dimension: str | None) -> str:
    entete = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
        f'{entete}<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )


def cellule_lointaine() -> bytes:
    """Cellules en A1 et XFD1048576, avec `<dimension ref="A1:XFD1048576">` (1,6 Ko)."""
    return xlsx_minimal(feuille=_feuille_lointaine("A1:XFD1048576"))


def cellule_lointaine_sans_dimension() -> bytes:
    return xlsx_minimal(feuille=_feuille_lointaine(None))


def ligne_lointaine() -> bytes:
    """Une ligne vide déclarée très loin (`<row r="50000"/>`), sans aucune cellule."""
    feuille = FEUILLE_XML.replace("</sheetData>", '<row r="50000"/></sheetData>')
    return xlsx_minimal(feuille=feuille)


def _cellule_lointaine_ecrite(cellule: str, ligne: str) -> bytes:
    """Une cellule en XFD1048576 écrite autrement qu'Excel, pour tenter de passer les filtres."""
    return xlsx_minimal(
        feuille=(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
            f'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
            f"{ligne}{cellule}<v>1</v></c></row></sheetData></worksheet>"
        )
    )


def cellule_lointaine_saut_de_ligne() -> bytes:
    """`<row\\nr=…><c\\nr="XFD1048576">` : un saut de ligne là où Excel met une espace."""
    return _cellule_lointaine_ecrite('<c\nr="XFD1048576">', '<row\nr="1048576">')


def cellule_lointaine_guillemets_simples() -> bytes:
    return _cellule_lointaine_ecrite("<c r='XFD1048576'>", "<row r='1048576'>")


def cellule_lointaine_entite() -> bytes:
    """La référence écrite avec une entité numérique : `&#88;FD1048576`."""
    return _cellule_lointaine_ecrite('<c r="&#88;FD1048576">', '<row r="&#49;048576">')


# --- Mutations du fuzz -----------------------------------------------------------------------

#: Morceaux insérés au hasard : cellule lointaine, DTD, entité, balises et octets invalides.
MORCEAUX_FUZZ = [
    b'r="XFD1048576"',
    b'<row r="1048576">',
    b"<c\nr=",
    b"<!DOCTYPE",
    b"&#88;",
    b"<",
    b">",
    b'"',
    b"<f>1</f>",
    b' t="s"',
    b' t="e"',
    b"\x00",
    b"\xff",
    b"<x:c ",
]


def mutations_feuille(graine: int, nombre: int) -> Iterator[bytes]:
    """Le gabarit 5.1 rempli, sa feuille de saisie abîmée au hasard (octets remplacés, insérés,
    supprimés), recompressé : `nombre` classeurs, toujours les mêmes pour une même graine."""
    from barometre_cli.catalogue import cible
    from barometre_cli.gabarit.classeur import octets_gabarit
    from barometre_cli.gabarit.remplissage import remplir

    base = remplir(
        octets_gabarit(cible("5.1"), "2026"),
        {
            "organisation_code": "A",
            "organisation_nom": "B",
            "periode": 2026,
            "c5_1_services": [["Permis", 80, 100], ["Carte", 10, 20]],
        },
    )
    membres = membres_de(base)
    feuille = membres["xl/worksheets/sheet2.xml"]
    alea = random.Random(graine)
    for _ in range(nombre):
        octets = bytearray(feuille)
        for _ in range(alea.randint(1, 4)):
            position = alea.randrange(len(octets))
            choix = alea.random()
            if choix < 0.4:
                octets[position:position] = alea.choice(MORCEAUX_FUZZ)
            elif choix < 0.7:
                del octets[position : position + alea.randint(1, 40)]
            else:
                octets[position] = alea.randrange(256)
        tampon = io.BytesIO()
        with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
            for nom, donnees in membres.items():
                archive.writestr(
                    nom, bytes(octets) if nom == "xl/worksheets/sheet2.xml" else donnees
                )
        yield tampon.getvalue()


# --- OpenDocument (.ods) ---------------------------------------------------------------------

NS_ODS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
TYPE_ODS = "application/vnd.oasis.opendocument.spreadsheet"

#: la feuille « Saisie » d'un .ods écrit à la main : « ORG » en A1, comme `FEUILLE_XML`
TABLEAU_ODS = (
    '<table:table table:name="Saisie" table:print-ranges="Saisie.A1:Saisie.C3">'
    '<table:table-column table:number-columns-repeated="16384"/>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>ORG</text:p>'
    '</table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
    'table:number-columns-repeated="16384"/></table:table-row></table:table>'
)
#: le nom « code » sur Saisie.A1, comme `CLASSEUR_XML`
NOMS_ODS = (
    '<table:named-expressions><table:named-range table:name="code" '
    'table:base-cell-address="$Saisie.$A$1" table:cell-range-address="$Saisie.$A$1"/>'
    "</table:named-expressions>"
)


def contenu_ods(tableaux: str = TABLEAU_ODS, noms: str = NOMS_ODS, entete: str = "") -> str:
    """Un `content.xml` : des feuilles et des noms dans `office:spreadsheet`."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{entete}<office:document-content {NS_ODS} '
        f'office:version="1.3"><office:body><office:spreadsheet>{tableaux}{noms}'
        "</office:spreadsheet></office:body></office:document-content>"
    )


def meta_ods(proprietes: str = "", date: str = "2026-03-01T12:00:00") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
        f"<dc:date>{date}</dc:date>{proprietes}</office:meta></office:document-meta>"
    )


def manifeste_ods(type_: str = TYPE_ODS, entrees: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{type_}"/><manifest:file-entry manifest:full-path="content.xml" '
        f'manifest:media-type="text/xml"/>{entrees}</manifest:manifest>'
    )


def ods_minimal(
    contenu: str | bytes | None = None,
    *,
    meta: str | bytes | None = None,
    manifeste: str | bytes | None = None,
    mimetype: bytes | None = TYPE_ODS.encode(),
    autres: dict[str, bytes | str] | None = None,
) -> bytes:
    """Un .ods écrit à la main, `mimetype` en premier et non compressé comme le veut ODF."""
    membres: dict[str, bytes | str] = {
        "content.xml": contenu if contenu is not None else contenu_ods(),
        "meta.xml": meta if meta is not None else meta_ods(),
        "META-INF/manifest.xml": manifeste if manifeste is not None else manifeste_ods(),
    }
    membres.update(autres or {})
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        for nom, donnees in membres.items():
            archive.writestr(nom, donnees.encode() if isinstance(donnees, str) else donnees)
    return tampon.getvalue()


def _tableau_ods(rangees: str, nom: str = "Saisie") -> str:
    return f'<table:table table:name="{nom}">{rangees}</table:table>'


_ORG = '<table:table-cell office:value-type="string"><text:p>ORG</text:p></table:table-cell>'


def ods_lignes_repetees() -> bytes:
    """Une ligne à valeur répétée 1 048 576 fois (300 octets) : comptée, jamais dépliée."""
    return ods_minimal(
        contenu_ods(
            _tableau_ods(
                f'<table:table-row table:number-rows-repeated="1048576">{_ORG}</table:table-row>'
            )
        )
    )


def ods_colonnes_repetees() -> bytes:
    """Une cellule à valeur répétée sur les 16 384 colonnes de la ligne 1."""
    cellule = _ORG.replace(
        "<table:table-cell ", '<table:table-cell table:number-columns-repeated="16384" '
    )
    return ods_minimal(contenu_ods(_tableau_ods(f"<table:table-row>{cellule}</table:table-row>")))


def ods_repetitions_vides() -> bytes:
    """Comme Calc l'écrit : des milliers de lignes et de colonnes vides répétées (lisible)."""
    return ods_minimal()


def ods_xxe() -> bytes:
    """Une entité externe qui lirait /etc/passwd dans une cellule de content.xml."""
    entete = '<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    contenu = contenu_ods(entete=entete).replace("<text:p>ORG</text:p>", "<text:p>&xxe;</text:p>")
    return ods_minimal(contenu)


def ods_billion_laughs() -> bytes:
    """Le « billion laughs » dans meta.xml, lu avant les feuilles."""
    corps = meta_ods().split("\n", 1)[1].replace("<dc:date>", "<dc:date>&lol9;")
    return ods_minimal(meta=BILLION_LAUGHS.replace("lolz", "office:document-meta") + corps)


def ods_profondeur() -> bytes:
    """Le texte d'une cellule dans 300 `text:span` imbriqués : au-delà de la limite de 256."""
    texte = "<text:span>" * 300 + "ORG" + "</text:span>" * 300
    return ods_minimal(contenu_ods().replace("<text:p>ORG</text:p>", f"<text:p>{texte}</text:p>"))


def ods_zip_bombe_taux() -> bytes:
    """10 Mo d'espaces dans content.xml (sous les limites de taille) compressés plus de 1 000 fois."""
    return ods_minimal(contenu_ods().replace("<office:body>", " " * (10 << 20) + "<office:body>"))


@functools.cache
def ods_zip_bombe() -> bytes:
    """Un content.xml de 200 Mo d'espaces compressé en moins de 1 Mo."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), TYPE_ODS, zipfile.ZIP_STORED)
        with archive.open("content.xml", "w") as flux:
            flux.write(contenu_ods().split("<office:body>")[0].encode())
            bloc = b" " * (1 << 20)
            for _ in range(200):
                flux.write(bloc)
        archive.writestr("META-INF/manifest.xml", manifeste_ods())
    return tampon.getvalue()


def ods_contenu_autre_type() -> bytes:
    """Un content.xml qui est une feuille SpreadsheetML (d'un .xlsx), pas un contenu ODF."""
    return ods_minimal(FEUILLE_XML)


def ods_contenu_binaire() -> bytes:
    """Un content.xml fait d'octets quelconques (une image, un contenu chiffré sans manifeste)."""
    return ods_minimal(bytes(random.Random(21).randrange(256) for _ in range(4096)))


def ods_chiffre() -> bytes:
    """Enregistré avec mot de passe : le manifeste décrit le chiffrement, content.xml est chiffré."""
    chiffrement = (
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm '
        'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>'
    )
    return ods_minimal(
        bytes(random.Random(7).randrange(256) for _ in range(2048)),
        manifeste=manifeste_ods(entrees=chiffrement),
    )


def ods_macros() -> bytes:
    """Un module LibreOffice Basic dans Basic/Standard/ (jamais lu ni exécuté)."""
    return ods_minimal(
        autres={
            "Basic/script-lc.xml": "<library:libraries/>",
            "Basic/Standard/script-lb.xml": "<library:library/>",
            "Basic/Standard/Module1.xml": '<script:module script:name="Module1">Sub Main</script:module>',
        }
    )


def ods_evenement_macro() -> bytes:
    """Un événement relié à une macro de l'application, sans module dans le fichier."""
    evenement = (
        '<office:event-listeners><script:event-listener script:language="ooo:script" '
        'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Tools.Debug.Main?'
        'language=Basic&amp;location=application" xlink:type="simple"/></office:event-listeners>'
    )
    return ods_minimal(
        contenu_ods().replace(
            "<office:body>", f"<office:scripts>{evenement}</office:scripts><office:body>"
        )
    )


def odt() -> bytes:
    """Un document texte OpenDocument renommé en .ods."""
    return ods_minimal(
        contenu_ods(),
        mimetype=b"application/vnd.oasis.opendocument.text",
        manifeste=manifeste_ods("application/vnd.oasis.opendocument.text"),
    )


def ods_manifeste_texte() -> bytes:
    """Sans `mimetype`, un manifeste qui annonce un document texte."""
    return ods_minimal(
        mimetype=None, manifeste=manifeste_ods("application/vnd.oasis.opendocument.text")
    )


def ods_sans_contenu() -> bytes:
    return remplacer(ods_minimal(), {"content.xml": None})


def fods() -> bytes:
    """Un classeur OpenDocument en XML à plat (.fods) : une seule partie XML, sans archive."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3" '
        f'office:mimetype="{TYPE_ODS}"><office:body><office:spreadsheet/></office:body>'
        "</office:document>\n"
    ).encode()


def ods_espaces_geantes() -> bytes:
    """Des `text:s` qui annoncent chacune deux milliards d'espaces : texte coupé, mémoire bornée."""
    espaces = '<text:s text:c="2000000000"/>' * 1000
    return ods_minimal(
        contenu_ods().replace("<text:p>ORG</text:p>", f"<text:p>ORG{espaces}</text:p>")
    )


def ods_feuille_imbriquee() -> bytes:
    """Une feuille dans une cellule : ses lignes se mêleraient à celles de la feuille."""
    imbriquee = _tableau_ods("<table:table-row>" + _ORG + "</table:table-row>", "Dedans")
    return ods_minimal(
        contenu_ods().replace("<text:p>ORG</text:p>", f"<text:p>ORG</text:p>{imbriquee}")
    )


def ods_repetition_invalide() -> bytes:
    return ods_minimal(
        contenu_ods().replace(
            'table:number-rows-repeated="1048575"', 'table:number-rows-repeated="-1"'
        )
    )


def ods_valeur_lointaine_sur_feuille_non_lue() -> bytes:
    """Une valeur très loin sur une feuille qu'aucun nom ne vise : lisible (comme un .xlsx)."""
    autre = _tableau_ods(
        f'<table:table-row table:number-rows-repeated="1048576">{_ORG}</table:table-row>', "Notes"
    )
    return ods_minimal(contenu_ods(TABLEAU_ODS + autre))


#: Morceaux insérés au hasard dans le content.xml d'un vrai .ods : répétitions, cellule
#: lointaine, DTD, entité, balises et octets invalides.
MORCEAUX_FUZZ_ODS = [
    b' table:number-rows-repeated="1048576"',
    b' table:number-columns-repeated="16384"',
    b' table:number-rows-repeated="0"',
    b' office:value-type="date" office:date-value="2019-13-45"',
    b' office:value-type="float" office:value="1e999"',
    b' office:value-type="time" office:time-value="PT"',
    b'<text:s text:c="999999999"/>',
    b"<table:table-cell/>",
    b"<table:table-row>",
    b"</table:table-row>",
    b"<table:table>",
    b"<!DOCTYPE",
    b"&#88;",
    b"<",
    b">",
    b'"',
    b"\x00",
    b"\xff",
]


def mutations_ods(graine: int, nombre: int) -> Iterator[bytes]:
    """Le 5.1 rempli dans Calc et enregistré en .ods (tests/donnees/ods/), son content.xml abîmé
    au hasard (octets remplacés, insérés, supprimés), recompressé : `nombre` classeurs, toujours
    les mêmes pour une même graine."""
    from pathlib import Path

    base = Path(__file__).parent / "donnees" / "ods" / "libreoffice-cible-5.1.ods"
    membres = membres_de(base.read_bytes())
    contenu = membres["content.xml"]
    alea = random.Random(graine)
    for _ in range(nombre):
        octets = bytearray(contenu)
        for _ in range(alea.randint(1, 4)):
            position = alea.randrange(len(octets))
            choix = alea.random()
            if choix < 0.4:
                octets[position:position] = alea.choice(MORCEAUX_FUZZ_ODS)
            elif choix < 0.7:
                del octets[position : position + alea.randint(1, 40)]
            else:
                octets[position] = alea.randrange(256)
        yield ods_minimal(
            bytes(octets), meta=membres["meta.xml"], manifeste=membres["META-INF/manifest.xml"]
        )
