"""Les refus de lecture et leurs phrases : un seul endroit pour tout ce que la personne lit.

Chaque étape lève `Refus` avec un constat déjà rédigé ; `lire_classeur` le range dans le
classeur lu. Les messages disent ce qui cloche et quoi faire, en nommant le fichier (`nom`).
Les codes de lecture sont définis ici (leur sens) ; la phrase de chacun dépend du fichier reçu
et s'écrit dans la fonction qui refuse, une seule fois.
"""

from __future__ import annotations

from barometre_cli.domaine.constats import Constat, E, constat, definir
from barometre_cli.lecture import limites
from barometre_cli.lecture.references import adresse


def _lecture(code: str, sens: str) -> str:
    definir(code, E, sens, famille="lecture")
    return code


FICHIER_ILLISIBLE = _lecture(
    "fichier-illisible", "Le fichier ne peut pas être ouvert (droits, fichier verrouillé)."
)
FICHIER_VIDE = _lecture("fichier-vide", "Le fichier ne contient aucun octet.")
PAS_UN_CLASSEUR = _lecture(
    "pas-un-classeur",
    "Le contenu n'est pas un classeur Excel (texte, CSV, PDF, page HTML renommés .xlsx).",
)
ZIP_CORROMPU = _lecture(
    "zip-corrompu", "Le classeur est tronqué ou endommagé (archive ZIP invalide)."
)
CLASSEUR_CHIFFRE = _lecture(
    "classeur-chiffre", "Le classeur (.xlsx ou .ods) est protégé par un mot de passe à l'ouverture."
)
FORMAT_XLS = _lecture("format-xls", "Ancien format Excel 97-2003 (.xls), même renommé en .xlsx.")
FORMAT_ODS = _lecture(
    "format-ods",
    "Classeur OpenDocument en XML à plat (.fods), une variante illisible ici : à enregistrer en "
    ".ods ou en .xlsx (les .ods sont lus comme les .xlsx).",
)
MACROS = _lecture(
    "macros-refusees",
    "Le classeur contient des macros, ou est enregistré au format qui les permet (.xlsm) ; "
    "LibreOffice Basic dans un .ods.",
)
FORMAT_STRICT = _lecture(
    "format-strict", "Classeur enregistré au format « Strict Open XML », illisible ici."
)
XML_DANGEREUX = _lecture(
    "xml-dangereux",
    "Le classeur contient des déclarations XML interdites (entités, DTD) : refusé par sécurité.",
)
XML_INVALIDE = _lecture("xml-invalide", "Une partie XML du classeur est mal formée.")
ZIP_BOMBE = _lecture(
    "zip-bombe",
    "Le classeur dépasse les limites de taille ou de compression : il est refusé sans être "
    "décompressé (mise en forme sur des lignes entières, données collées, ou fichier fabriqué).",
)
HORS_GABARIT = _lecture(
    "donnees-hors-gabarit",
    "Des cellules sont remplies très loin de la zone du gabarit (ex. XFD1048576).",
)


REENREGISTRER = (
    "Ouvrez-le dans Excel ou LibreOffice, enregistrez-le au format « Classeur Excel (.xlsx) », "
    "puis validez-le de nouveau."
)
#: Un fichier d'un autre format est souvent le mauvais fichier joint : le dire avant de dire
#: comment le convertir.
MAUVAIS_FICHIER = (
    "Si ce n'est pas le gabarit que vous avez rempli, vous avez peut-être choisi le mauvais "
    "fichier : vérifiez-le."
)


class Refus(Exception):
    """Interrompt la lecture : le classeur est inutilisable, `constat` dit pourquoi."""

    def __init__(self, refus: Constat) -> None:
        super().__init__(refus.message)
        self.constat = refus


def refus(code: str, message: str, feuille: str = "", cellule: str = "") -> Refus:
    return Refus(constat(code, feuille, cellule, message=message))


def mo(octets: int) -> str:
    """1 572 864 → « 1,5 Mo » (Mo = 2**20 octets, comme les limites)."""
    return f"{octets / 1_048_576:,.1f}".replace(",", " ").replace(".", ",") + " Mo"


def entier(n: int) -> str:
    """10000 → « 10 000 »."""
    return f"{n:,}".replace(",", " ")


# --- Le fichier et sa signature -----------------------------------------------------------


def pas_un_fichier(nom: str) -> Refus:
    return refus(
        "fichier-illisible",
        f"Le chemin « {nom} » ne désigne pas un fichier ordinaire (c'est un dossier ou un "
        "fichier spécial). Indiquez le chemin d'un classeur .xlsx.",
    )


def fichier_illisible(nom: str, exc: OSError) -> Refus:
    if isinstance(exc, FileNotFoundError):
        message = f"Le fichier « {nom} » est introuvable. Vérifiez son chemin."
    elif isinstance(exc, PermissionError):
        message = (
            f"Le fichier « {nom} » ne peut pas être ouvert : accès refusé (droits "
            "insuffisants, ou fichier verrouillé parce qu'il est ouvert dans Excel). "
            "Fermez-le ou copiez-le ailleurs, puis validez-le de nouveau."
        )
    else:
        message = (
            f"Le fichier « {nom} » ne peut pas être lu (erreur du système : "
            f"{exc.strerror or type(exc).__name__}). Copiez-le sur le poste, puis validez-le "
            "de nouveau."
        )
    return refus("fichier-illisible", message)


def trop_gros(nom: str, taille: int) -> Refus:
    return refus(
        "zip-bombe",
        f"Le fichier « {nom} » pèse {mo(taille)}, au-delà de la limite de "
        f"{mo(limites.TAILLE_MAX_FICHIER)} (un gabarit rempli pèse moins de 1 Mo). Retirez les "
        "images ou les données collées hors du gabarit, enregistrez-le, puis validez-le "
        "de nouveau.",
    )


def fichier_vide(nom: str) -> Refus:
    return refus(
        "fichier-vide",
        f"Le fichier « {nom} » est vide (0 octet) : l'enregistrement ou la copie a sans doute "
        "échoué. Enregistrez de nouveau le classeur depuis Excel ou LibreOffice, puis "
        "validez-le de nouveau.",
    )


def decrire(octets: bytes) -> str:
    """Ce que le contenu semble être, pour dire à la personne ce qu'elle a envoyé."""
    debut = octets[:4096]
    if debut.startswith(b"%PDF"):
        return "un document PDF"
    if debut.startswith(b"{\\rtf"):
        return "un document RTF"
    if debut.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "une archive compressée (RAR, 7z ou gzip)"
    if debut.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "une image"
    texte = debut.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if texte.startswith((b"<!doctype html", b"<html")) or b"<html" in texte[:1024]:
        return "une page Web (HTML)"
    if texte.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in octets[:65536]:
            return "un classeur « Feuille de calcul XML 2003 »"
        return "un fichier XML"
    if b"\x00" not in debut:
        return "du texte (par exemple un fichier CSV exporté)"
    return ""


def contenu_etranger(nom: str, octets: bytes) -> Refus:
    quoi = decrire(octets)
    contenu = f"son contenu est {quoi}" if quoi else "l'outil ne reconnaît pas son contenu"
    return refus(
        "pas-un-classeur",
        f"Le fichier « {nom} » n'est pas un classeur Excel : {contenu}, quel que soit son nom. "
        f"{MAUVAIS_FICHIER} Sinon, remplissez le gabarit transmis dans Excel ou LibreOffice, "
        "enregistrez-le au format « Classeur Excel (.xlsx) », puis validez-le de nouveau.",
    )


def chiffre(nom: str) -> Refus:
    return refus(
        "classeur-chiffre",
        f"Le classeur « {nom} » est protégé par un mot de passe à l'ouverture : l'outil ne peut "
        f"pas le lire. {MAUVAIS_FICHIER} Sinon, ouvrez-le dans Excel, retirez le mot de passe (Fichier > Informations > "
        "Protéger le classeur > Chiffrer avec mot de passe, puis videz le champ), "
        "enregistrez-le, puis validez-le de nouveau.",
    )


def document_word(nom: str) -> Refus:
    return refus(
        "pas-un-classeur",
        f"Le fichier « {nom} » est un document Word (.doc), pas un classeur. Remplissez le "
        "gabarit Excel transmis, puis validez-le de nouveau.",
    )


def format_xls(nom: str) -> Refus:
    return refus(
        "format-xls",
        f"Le fichier « {nom} » est un ancien classeur Excel 97-2003 (.xls), pas le gabarit "
        f"transmis (.xlsx). {MAUVAIS_FICHIER} Sinon : {REENREGISTRER[0].lower()}"
        f"{REENREGISTRER[1:]}",
    )


# --- L'archive ----------------------------------------------------------------------------


def bombe(nom: str, detail: str) -> Refus:
    return refus(
        "zip-bombe",
        f"Le classeur « {nom} » dépasse les limites de lecture : {detail}. Un gabarit rempli "
        "n'en approche jamais : le fichier contient sans doute une mise en forme appliquée à "
        "des lignes ou à des colonnes entières, des images ou des données collées hors du "
        "gabarit ; par prudence, il n'a pas été décompressé. Recopiez vos réponses dans un "
        "gabarit neuf (ou effacez le formatage et les données hors du gabarit), enregistrez, "
        "puis validez-le de nouveau.",
    )


def trop_de_parties(nom: str) -> Refus:
    return bombe(nom, f"son archive compte plus de {limites.MEMBRES_MAX} parties")


def partie_trop_grande(nom: str, partie: str, taille: int) -> Refus:
    return bombe(
        nom,
        f"la partie « {partie} » se décompresse en {mo(taille)} "
        f"(limite : {mo(limites.TAILLE_MAX_MEMBRE)})",
    )


def partie_trop_compressee(nom: str, partie: str, taux: int) -> Refus:
    return bombe(
        nom,
        f"la partie « {partie} » est compressée {entier(taux)} fois "
        f"(limite : {limites.TAUX_COMPRESSION_MAX} fois)",
    )


def archive_trop_grande(nom: str, total: int) -> Refus:
    return bombe(
        nom,
        f"ses parties se décompressent en {mo(total)} au total "
        f"(limite : {mo(limites.TAILLE_MAX_DECOMPRESSEE)})",
    )


def archive_chiffree(nom: str) -> Refus:
    return refus(
        "classeur-chiffre",
        f"L'archive « {nom} » est protégée par un mot de passe : l'outil ne peut pas la lire. "
        "Transmettez le classeur sans mot de passe, enregistré depuis Excel ou LibreOffice.",
    )


def corrompu(nom: str, detail: str = "") -> Refus:
    precision = f" : {detail}" if detail else ""
    return refus(
        "zip-corrompu",
        f"Le classeur « {nom} » est tronqué ou endommagé (archive ZIP invalide{precision}). "
        "Le transfert ou l'enregistrement a peut-être été interrompu. Enregistrez-le de "
        "nouveau depuis Excel ou LibreOffice (ou demandez une nouvelle copie), puis "
        "validez-le de nouveau.",
    )


def macros(nom: str, contient: bool = True) -> Refus:
    """`contient` : des macros sont là ; sinon, seul le format (.xlsm) les permet."""
    if contient:
        quoi = (
            "contient des macros (projet VBA ou feuille de macros Excel 4.0). Par sécurité, il "
            "est refusé sans être analysé ; ses macros ne sont jamais exécutées"
        )
    else:
        quoi = (
            "est enregistré au format « Classeur Excel (prenant en charge les macros) » (.xlsm), "
            "même s'il ne contient aucune macro. Par sécurité, ce format est refusé sans être "
            "analysé"
        )
    return refus(
        "macros-refusees",
        f"Le classeur « {nom} » {quoi}. Enregistrez-le au format « Classeur Excel (.xlsx) » "
        "(Fichier > Enregistrer sous), ou copiez vos réponses dans le gabarit transmis, puis "
        "validez-le de nouveau.",
    )


def pas_un_classeur(nom: str, quoi: str) -> Refus:
    return refus(
        "pas-un-classeur",
        f"Le fichier « {nom} » n'est pas un classeur : c'est {quoi}. Remplissez le "
        "gabarit transmis dans Excel ou LibreOffice, enregistrez-le au format « Classeur Excel "
        "(.xlsx) », puis validez-le de nouveau.",
    )


def xlsb(nom: str) -> Refus:
    return refus(
        "pas-un-classeur",
        f"Le fichier « {nom} » est un classeur binaire Excel (.xlsb), un format que l'outil ne "
        f"lit pas. {MAUVAIS_FICHIER} Sinon : {REENREGISTRER[0].lower()}{REENREGISTRER[1:]}",
    )


# --- Le XML des parties -------------------------------------------------------------------


def xml_dangereux(nom: str, partie: str) -> Refus:
    return refus(
        "xml-dangereux",
        f"La partie « {partie} » du classeur « {nom} » contient une déclaration XML interdite "
        "(DTD ou entité). Excel et LibreOffice n'en écrivent jamais : ce fichier a été modifié "
        "ou fabriqué, et il est refusé par sécurité sans être analysé. Enregistrez de nouveau "
        "le classeur depuis Excel ou LibreOffice au format « Classeur Excel (.xlsx) », puis "
        "validez-le de nouveau.",
    )


def detail_syntaxe(ligne: int, colonne: int) -> str:
    return f"XML invalide à la ligne {ligne}, colonne {colonne}"


def partie_xml_trop_lourde(nom: str, partie: str, taille: int) -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"La partie « {partie} » du classeur « {nom} » pèse {mo(taille)} une fois "
        f"décompressée (limite : {mo(limites.TAILLE_MAX_XML)}), bien au-delà du gabarit. "
        "Supprimez les données collées hors des tableaux (ou recopiez vos réponses dans un "
        "gabarit neuf), enregistrez, puis validez le classeur de nouveau.",
    )


def xml_invalide(nom: str, partie: str, detail: str, feuille: str = "") -> Refus:
    return refus(
        "xml-invalide",
        f"La partie « {partie} » du classeur « {nom} » est mal formée ({detail}). {REENREGISTRER}",
        feuille,
    )


def structure_inattendue(nom: str, exc: Exception) -> Constat:
    """Le filet : une exception imprévue devient un constat, jamais un arrêt du lot."""
    return constat(
        XML_INVALIDE,
        message=f"Le classeur « {nom} » a une structure inattendue que l'outil ne sait pas lire "
        f"({type(exc).__name__}). {REENREGISTRER}",
    )


# --- Le classeur et ses noms --------------------------------------------------------------


def format_strict(nom: str) -> Refus:
    return refus(
        "format-strict",
        f"Le classeur « {nom} » est enregistré au format « Feuille de calcul Open XML "
        f"Strict », que l'outil ne lit pas. {MAUVAIS_FICHIER} Sinon, ouvrez-le dans Excel et enregistrez-le au format "
        "« Classeur Excel (.xlsx) » ordinaire (pas « Strict Open XML »), puis validez-le de "
        "nouveau.",
    )


def aucune_feuille(nom: str, partie: str) -> Refus:
    return refus(
        "xml-invalide",
        f"Le classeur « {nom} » ne déclare aucune feuille dans sa partie « {partie} » : il a "
        f"été produit par un logiciel non standard ou fabriqué. {REENREGISTRER}",
    )


def trop_de_noms(nom: str) -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"Le classeur « {nom} » définit plus de {entier(limites.NOMS_MAX)} noms, bien au-delà "
        f"de ceux du gabarit. {REENREGISTRER}",
    )


def noms_trop_etendus(nom: str) -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"Les noms définis du classeur « {nom} » couvrent plus de "
        f"{entier(limites.CELLULES_MAX_NOMS)} cellules, bien au-delà du gabarit. "
        f"{REENREGISTRER}",
    )


# --- Les feuilles -------------------------------------------------------------------------


def hors_gabarit(nom: str, feuille: str, position: tuple[int, int], reference: str | None) -> Refus:
    """Refus d'une cellule AVEC une valeur hors de la zone permise (les vides sont ignorées)."""
    cellule = (reference or adresse(*position)).replace("$", "").upper()[:20]
    lignes, colonnes = limites.LIGNES_MAX, limites.COLONNES_MAX
    return refus(
        "donnees-hors-gabarit",
        f"La feuille « {feuille} » du classeur « {nom} » contient une valeur en {cellule}, "
        f"très loin de la zone du gabarit (lecture limitée à {entier(lignes)} lignes et "
        f"{colonnes} colonnes, soit jusqu'à {adresse(lignes, colonnes)}). Effacez le contenu "
        f"de la cellule {cellule} (ou recopiez vos réponses dans un gabarit neuf), enregistrez, "
        "puis validez le classeur de nouveau.",
        feuille,
        cellule,
    )


def feuille_demesuree(nom: str, feuille: str, detail: str, cellule: str = "") -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"La feuille « {feuille} » du classeur « {nom} » {detail}, bien au-delà du gabarit. "
        "Supprimez les données collées hors des tableaux (ou recopiez vos réponses dans un "
        "gabarit neuf), enregistrez, puis validez le classeur de nouveau.",
        feuille,
        cellule,
    )


def feuille_trop_lourde(nom: str, feuille: str, taille: int) -> Refus:
    return feuille_demesuree(
        nom,
        feuille,
        f"pèse {mo(taille)} une fois décompressée (limite : {mo(limites.TAILLE_MAX_FEUILLE_LUE)})",
    )


def trop_de_cellules(nom: str, feuille: str, cellule: str) -> Refus:
    return feuille_demesuree(
        nom, feuille, f"compte plus de {entier(limites.CELLULES_MAX_FEUILLE)} cellules", cellule
    )


def cellule_invalide(
    nom: str, partie: str, feuille: str, position: tuple[int, int], detail: str
) -> Refus:
    cellule = adresse(*position)
    return refus(
        "xml-invalide",
        f"La cellule {cellule} de la feuille « {feuille} » du classeur « {nom} » est mal "
        f"formée ({detail}, partie « {partie} »). {REENREGISTRER}",
        feuille,
        cellule,
    )


def trop_de_chaines(nom: str) -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"Le classeur « {nom} » renvoie à plus de {entier(limites.CHAINES_MAX)} textes "
        "différents, bien au-delà du gabarit. Supprimez les données collées hors des "
        f"tableaux. {REENREGISTRER}",
    )


# --- OpenDocument (.ods) ------------------------------------------------------------------

#: La marche à suivre pour un classeur OpenDocument : l'enregistrer de nouveau dans un format lu.
REENREGISTRER_ODS = (
    "Ouvrez-le dans LibreOffice, enregistrez-le au format « Classeur ODF (.ods) » ou « Excel "
    "2007-365 (.xlsx) » (Fichier > Enregistrer sous), puis validez-le de nouveau."
)


#: Les autres documents OpenDocument, d'après la fin de leur type de média.
_AUTRES_OPENDOCUMENT = {
    "text": "un document texte OpenDocument (.odt)",
    "presentation": "une présentation OpenDocument (.odp)",
    "graphics": "un dessin OpenDocument (.odg)",
    "formula": "une formule OpenDocument (.odf)",
    "chart": "un diagramme OpenDocument (.odc)",
    "database": "une base de données OpenDocument (.odb)",
}


def opendocument_autre(nom: str, type_: str) -> Refus:
    """Un document OpenDocument qui n'est pas un classeur, nommé d'après son type de média."""
    sorte = type_.strip().removeprefix("application/vnd.oasis.opendocument.").split("-")[0]
    quoi = _AUTRES_OPENDOCUMENT.get(sorte, "un document OpenDocument qui n'est pas un classeur")
    return pas_un_classeur(nom, quoi)


def fods(nom: str) -> Refus:
    return refus(
        "format-ods",
        f"Le fichier « {nom} » est un classeur OpenDocument en XML à plat (.fods), une variante "
        f"que l'outil ne lit pas (il lit les classeurs .ods et .xlsx). {MAUVAIS_FICHIER} Sinon, "
        f"{REENREGISTRER_ODS[0].lower()}{REENREGISTRER_ODS[1:]}",
    )


def chiffre_ods(nom: str) -> Refus:
    return refus(
        "classeur-chiffre",
        f"Le classeur « {nom} » est protégé par un mot de passe à l'ouverture : son contenu est "
        "chiffré et l'outil ne peut pas le lire. Ouvrez-le dans LibreOffice avec son mot de "
        "passe, choisissez Fichier > Enregistrer sous, décochez « Enregistrer avec mot de "
        "passe », enregistrez-le, puis validez-le de nouveau.",
    )


def macros_ods(nom: str) -> Refus:
    return refus(
        "macros-refusees",
        f"Le classeur « {nom} » contient des macros (LibreOffice Basic, scripts ou événements "
        "reliés à une macro). Par sécurité, il est refusé sans être analysé ; ses macros ne "
        "sont jamais exécutées. Copiez vos réponses dans le gabarit transmis (sans macros), "
        "puis validez-le de nouveau.",
    )


def contenu_ods_trop_lourd(nom: str, partie: str, taille: int) -> Refus:
    return refus(
        "donnees-hors-gabarit",
        f"La partie « {partie} » du classeur « {nom} », qui porte toutes ses feuilles, pèse "
        f"{mo(taille)} une fois décompressée (limite : {mo(limites.TAILLE_MAX_FEUILLE_LUE)}), "
        "bien au-delà du gabarit. Supprimez les données collées hors des tableaux (ou recopiez "
        "vos réponses dans un gabarit neuf), enregistrez, puis validez le classeur de nouveau.",
    )
