"""Production des gabarits Excel de collecte, un par cible, à partir du catalogue.

Le gabarit est l'interface publique de la collecte : chaque saisie est une cellule jaune,
déverrouillée, munie d'une validation de données et joignable par un nom défini de portée
classeur (`c5_1_services`, `organisation_code`…). Le reste de la feuille est protégé sans mot de
passe : on évite les accidents, on n'empêche personne de travailler. Des propriétés
personnalisées cachées (version du format, cible, période, organisation destinataire) permettent
à `valider` et à `compiler` de reconnaître le gabarit.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.workbook.defined_name import DefinedName

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.valeurs import REMETTRE_STANDARD
from barometre_cli.catalogue import (
    AMBITIONS,
    DEBUT_PERIODE_REFERENCE,
    ECHELLE,
    FEUILLE_INSTRUCTIONS,
    FEUILLE_RETROACTION,
    FEUILLE_SAISIE,
    IDENTIFICATION,
    LEXIQUE,
    ORIENTATIONS,
    PROP_CIBLE,
    PROP_ORGANISATION,
    PROP_PERIODE,
    PROP_VERSION,
    RETROACTION,
    VERSION_FORMAT,
    Cible,
    Type,
    cibles,
)
from barometre_cli.catalogue import modele as _modele
from barometre_cli.domaine.formats import entier
from barometre_cli.domaine.registre import Organisation, nom_dossier
from barometre_cli.ecriture.cellules import ecrire_texte
from barometre_cli.gabarit.autocontrole import A_FAIRE_VERIFIER
from barometre_cli.gabarit.formules_partagees import partager_dans_classeur
from barometre_cli.gabarit.remplissage import Remplisseur, remplir
from barometre_cli.gabarit.saisie import (
    COLONNE_SAISIE,
    ENVELOPPE,
    GRAS,
    LIGNE_DONNEES,
    LIGNE_ENTETE_TABLEAU,
    LIGNE_IDENTIFICATION,
    LIGNE_RETROACTION,
    SOUS_TITRE,
    TITRE,
    Emplacement,
    Validations,
    disposition,
    ecrire_saisie,
    libelle,
    mise_en_page,
    saisie,
)

COURRIEL_MCN = "performanceri@mcn.gouv.qc.ca"

#: Date de création et de modification des gabarits de la version du format en vigueur. Un
#: classeur enregistré par un répondant porte ensuite sa propre date de modification.
DATE_GABARIT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

__all__ = [
    "COLONNE_SAISIE",
    "LIGNE_DONNEES",
    "LIGNE_ENTETE_TABLEAU",
    "LIGNE_IDENTIFICATION",
    "Emplacement",
    "construire_gabarit",
    "disposition",
    "documentation_interface",
    "generer_gabarits",
    "nom_fichier",
    "octets_gabarit",
]

#: Ce qu'il faut faire pour chaque type de saisie : l'étape 2 des instructions en est tirée.
_CONSIGNES = {
    Type.ENTIER: "Inscrivez des nombres entiers : sans décimales, sans texte ni symbole ; 0 est "
    "permis. Les nombres s'affichent sans espace entre les milliers : c'est voulu, pour qu'une "
    "date ou un pourcentage tapé par erreur se remarque.",
    Type.OUI_NON: "Choisissez Oui ou Non dans la liste de chaque cellule.",
    Type.STATUT: "Choisissez un statut dans la liste, pour chaque ligne.",
    Type.TEXTE: "Inscrivez le nom en texte, une ligne par élément ; laissez vides les lignes "
    "inutiles.",
}


def _types_saisis(cible: Cible) -> list[Type]:
    """Les types des saisies propres à la cible, dans l'ordre des champs, sans doublon."""
    types: list[Type] = []
    for champ in cible.champs:
        for type_ in [c.type for c in champ.colonnes] or [champ.type]:
            if type_ not in types:
                types.append(type_)
    return types


def _paragraphes(cible: Cible, periode: str, validateur: str | None):
    """Le texte de la feuille Instructions : (style, texte) dans l'ordre de lecture."""
    collecte = f"collecte {periode}" if periode else "collecte"
    yield "titre", f"Baromètre numériQc — {collecte} — Cible {cible.id}"
    yield "sous-titre", cible.titre
    yield "texte", f"Orientation {cible.orientation} : {ORIENTATIONS[cible.orientation]}."
    yield "texte", f"Ambition {cible.ambition} : {AMBITIONS[cible.ambition]}."
    yield "sous-titre", "Ce que mesure l'indicateur"
    yield "texte", f"{cible.indicateur}."
    yield "texte", f"Numérateur : {cible.numerateur}."
    yield "texte", f"Dénominateur : {cible.denominateur}."
    yield "texte", f"Valeur visée : {cible.valeur_visee_pct} %."
    yield "texte", f"Effet recherché : {cible.effet_recherche}"
    yield "sous-titre", "Quoi compter"
    yield "texte", cible.quoi_compter
    yield (
        "texte",
        f"Toutes les données sont cumulées depuis l'annonce de la Stratégie de transformation "
        f"numérique gouvernementale, le {DEBUT_PERIODE_REFERENCE}, jusqu'à la date de la "
        "collecte.",
    )
    for paragraphe in type_calcul(cible).paragraphes(cible):
        yield "texte", paragraphe
    yield "sous-titre", "Définitions utiles"
    for terme in cible.termes:
        yield "texte", f"{terme} : {LEXIQUE[terme]}"
    yield from _etapes(cible)
    yield "sous-titre", "Vérifier puis transmettre"
    yield "texte", _modele.texte_verification(validateur)
    yield (
        "texte",
        "Enregistrez le fichier au format Classeur Excel (.xlsx) ou, dans LibreOffice, au "
        "format Classeur ODF (.ods) : les deux sont acceptés. Sans mot de passe et sans macros, "
        f"transmettez-le ensuite au Ministère de la Cybersécurité et du Numérique "
        f"({COURRIEL_MCN}).",
    )


def _etapes(cible: Cible):
    """« Comment remplir le gabarit » : l'étape 2 suit les types des saisies de la cible."""
    yield "sous-titre", "Comment remplir le gabarit"
    yield (
        "texte",
        "1. Dans la feuille « Saisie », remplissez l'identification puis les cellules jaunes. "
        "Un message apparaît quand vous sélectionnez une cellule ; les listes se déroulent avec "
        "la flèche à droite de la cellule. Une saisie marquée « (facultatif) » peut rester "
        "vide.",
    )
    consignes = " ".join(_CONSIGNES[t] for t in _types_saisis(cible) if t in _CONSIGNES)
    yield "texte", f"2. {consignes}"
    yield (
        "texte",
        "3. La feuille se vérifie elle-même : une saisie à revoir se colore (rouge : à "
        "corriger ; orange : à vérifier) et un message s'affiche à sa droite ; la ligne "
        "« Vérification de la feuille », en haut, compte ce qui reste à faire, jusqu'à « Prêt "
        "à transmettre ». Les cellules grises se calculent seules et montrent votre résultat à "
        "titre indicatif ; le Ministère recalcule tout. Quand la feuille ne peut pas tout "
        f"vérifier, elle le dit (« {A_FAIRE_VERIFIER} ») : faites alors vérifier le fichier "
        "(voyez « Vérifier puis transmettre »).",
    )
    yield (
        "texte",
        "Une cellule de nombre qui montre une date, une heure ou un pourcentage (« 99\u00a0000\u00a0% ») "
        "a reçu ce format du tableur quand on y a tapé une date ou « 80 % » ; elle le garde même "
        f"si l'on y tape ensuite un nombre, et Suppr ne l'efface pas : {REMETTRE_STANDARD}.",
    )
    yield (
        "texte",
        "4. Ne renommez pas les feuilles et ne déplacez pas les cellules : le Ministère lit le "
        "classeur par ses noms définis.",
    )
    yield (
        "texte",
        "5. Facultatif : la feuille « Rétroaction » recueille votre avis sur le formulaire, le "
        "processus de collecte et l'accompagnement reçu, pour améliorer les prochaines "
        "collectes.",
    )
    tableau = next((c for c in cible.champs if c.colonnes), None)
    if tableau is not None:
        yield "sous-titre", "Plus de lignes"
        yield (
            "texte",
            f"Le tableau compte {entier(tableau.lignes)} lignes : inscrivez chaque élément sur "
            "une ligne et laissez la feuille protégée. Une ligne "
            "insérée n'aurait ni ses formules ni son message : la feuille ne pourrait plus se "
            f"vérifier. S'il vous faut plus de {entier(tableau.lignes)} lignes, écrivez au "
            f"Ministère ({COURRIEL_MCN}) avant de remplir le tableau.",
        )


def _ecrire_instructions(feuille, cible: Cible, periode: str, validateur: str | None) -> None:
    feuille.column_dimensions["A"].width = 110
    polices = {"titre": TITRE, "sous-titre": SOUS_TITRE}
    ligne = 1
    for style, texte in _paragraphes(cible, periode, validateur):
        if style == "sous-titre" and ligne > 1:
            ligne += 1
        cellule = feuille.cell(ligne, 1)
        ecrire_texte(cellule, texte)
        cellule.alignment = ENVELOPPE
        if style in polices:
            cellule.font = polices[style]
        # Les tableurs ne recalculent pas toujours la hauteur d'un texte replié : on la fixe.
        lignes_de_texte = -(-len(texte) // 105)
        feuille.row_dimensions[ligne].height = 15 * max(1, lignes_de_texte) + 4
        ligne += 1
    mise_en_page(feuille, f"A1:A{ligne - 1}")
    feuille.protection.sheet = True


def _ecrire_retroaction(feuille, cible: Cible) -> None:
    """Feuille facultative de rétroaction sur la collecte (section 2.6 du guide)."""
    places = disposition(cible)
    validations = Validations()
    feuille.column_dimensions["A"].width = 4
    feuille.column_dimensions["B"].width = 70
    feuille.column_dimensions["C"].width = 40
    libelle(feuille, 1, 2, "Rétroaction sur la collecte (facultatif)", TITRE)
    libelle(
        feuille,
        2,
        2,
        "Vos réponses aident le Ministère à améliorer le formulaire, le processus de collecte "
        "et l'accompagnement offert. Elles ne changent rien à vos résultats et peuvent rester "
        "vides.",
    )
    feuille.merge_cells("B2:C2")
    feuille.row_dimensions[2].height = 32
    libelle(feuille, 4, 2, "Échelle de réponse", SOUS_TITRE)
    for i, (note, texte) in enumerate(ECHELLE.items()):
        libelle(feuille, 5 + i, 2, f"{note} = {texte}")
    libelle(feuille, LIGNE_RETROACTION - 1, 2, "Énoncé", GRAS)
    libelle(feuille, LIGNE_RETROACTION - 1, 3, "Votre réponse", GRAS)
    for champ in RETROACTION:
        place = places[champ.nom]
        libelle(feuille, place.ligne, 2, champ.libelle)
        cellule = feuille.cell(place.ligne, place.colonne)
        saisie(cellule, None if champ.type is Type.ECHELLE else "@")
        if champ.type is Type.TEXTE:
            cellule.alignment = ENVELOPPE
            feuille.row_dimensions[place.ligne].height = 120
        else:
            feuille.row_dimensions[place.ligne].height = 32
        validations.ajouter(champ.type, champ.aide, cellule.coordinate)
    validations.poser(feuille)
    derniere = max(places[c.nom].ligne for c in RETROACTION)
    mise_en_page(feuille, f"A1:C{derniere}")
    feuille.protection.sheet = True
    feuille.protection.formatColumns = False
    feuille.protection.formatRows = False


def construire_gabarit(cible: Cible, periode: str = "", validateur: str | None = None) -> Workbook:
    """Le classeur de collecte de `cible`, avec la période préremplie si elle est donnée.

    `validateur` : l'adresse de la page de vérification nommée dans les instructions (par
    défaut, `catalogue.modele.ADRESSE_VALIDATEUR`).
    """
    classeur = Workbook()
    instructions = classeur.active
    instructions.title = FEUILLE_INSTRUCTIONS
    saisie_ = classeur.create_sheet(FEUILLE_SAISIE)
    _ecrire_instructions(instructions, cible, periode, validateur)
    ecrire_saisie(saisie_, cible, periode)
    _ecrire_retroaction(classeur.create_sheet(FEUILLE_RETROACTION), cible)
    classeur.active = 1
    for nom, place in disposition(cible).items():
        classeur.defined_names[nom] = DefinedName(nom, attr_text=place.reference())
    proprietes = classeur.custom_doc_props
    proprietes.append(IntProperty(name=PROP_VERSION, value=VERSION_FORMAT))
    proprietes.append(StringProperty(name=PROP_CIBLE, value=cible.id))
    proprietes.append(StringProperty(name=PROP_PERIODE, value=periode or "-"))
    proprietes.append(StringProperty(name=PROP_ORGANISATION, value="-"))
    classeur.properties.title = f"Baromètre numériQc — Cible {cible.id}"
    classeur.properties.subject = cible.titre
    classeur.properties.creator = "Ministère de la Cybersécurité et du Numérique"
    classeur.properties.language = "fr-CA"
    return classeur


@lru_cache(maxsize=64)
def _octets_base(cible: Cible, periode: str, validateur: str | None) -> bytes:
    """Le gabarit en octets, identique d'une exécution à l'autre.

    openpyxl date le document et les membres de l'archive de l'heure d'enregistrement ; on les
    fixe à `DATE_GABARIT`, pour que régénérer les gabarits publiés ne change aucun octet. Les
    formules répétées ligne à ligne d'un tableau deviennent des formules partagées : une
    feuille plusieurs fois plus petite à écrire, à transmettre et à lire.
    """
    tampon = io.BytesIO()
    construire_gabarit(cible, periode, validateur).save(tampon)
    return remplir(partager_dans_classeur(tampon.getvalue()), {}, modifie=DATE_GABARIT)


def octets_gabarit(
    cible: Cible,
    periode: str = "",
    organisation: Organisation | None = None,
    validateur: str | None = None,
) -> bytes:
    """Le gabarit en octets ; prérempli pour `organisation` par ses noms définis.

    Le gabarit d'une cible et d'une période n'est construit qu'une fois ; chaque organisation
    n'y ajoute que son code, son nom et, si le registre les donne, la personne à joindre et
    son courriel (quelques millisecondes) : rien n'est retapé dans dix classeurs.
    `validateur` vaut par défaut `catalogue.modele.ADRESSE_VALIDATEUR`, lue à l'appel.
    """
    adresse = validateur if validateur is not None else _modele.ADRESSE_VALIDATEUR
    base = _octets_base(cible, periode, adresse)
    if organisation is None:
        return base
    valeurs = {"organisation_code": organisation.code, "organisation_nom": organisation.nom}
    if organisation.contact_nom:
        valeurs["repondant_nom"] = organisation.contact_nom
    if organisation.contact_courriel:
        valeurs["repondant_courriel"] = organisation.contact_courriel
    remplisseur = _remplisseur(cible, periode, adresse)
    return remplisseur.remplir(valeurs, proprietes={PROP_ORGANISATION: organisation.code})


@lru_cache(maxsize=64)
def _remplisseur(cible: Cible, periode: str, validateur: str | None) -> Remplisseur:
    """Le gabarit de base, lu une fois pour toutes les organisations d'un registre."""
    return Remplisseur(_octets_base(cible, periode, validateur))


def nom_fichier(cible: Cible, periode: str = "", organisation: Organisation | None = None) -> str:
    """« barometre-2026-cible-5.1-ORG.xlsx » : lisible, triable, sans caractère interdit."""
    morceaux = ["barometre"]
    if periode:
        morceaux.append(periode)
    morceaux.append(f"cible-{cible.id}")
    if organisation is not None:
        morceaux.append(nom_dossier(organisation))
    return "-".join(morceaux) + ".xlsx"


def _verifier_dossiers_distincts(organisations: list[Organisation]) -> None:
    """Refuse les codes qui deviennent le même nom de dossier (« A B » et « A_B », « abc » et
    « ABC » : Windows et macOS ignorent la casse des noms de fichiers)."""
    from barometre_cli.domaine.erreurs import BarometreErreur

    par_dossier: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        par_dossier.setdefault(nom_dossier(organisation).casefold(), []).append(organisation)
    collisions = [groupe for groupe in par_dossier.values() if len(groupe) > 1]
    if not collisions:
        return
    details = " ; ".join(
        " et ".join(f"« {o.code} »" for o in groupe) + f" (dossier « {nom_dossier(groupe[0])} »)"
        for groupe in collisions
    )
    raise BarometreErreur(
        f"Ces codes d'organisation donnent le même nom de dossier et de fichier : {details}. "
        "Les noms de fichiers ne distinguent pas les majuscules des minuscules et remplacent "
        "les espaces et les caractères spéciaux par « _ » : rendez ces codes uniques dans le "
        "registre, puis relancez. Aucun gabarit n'a été écrit."
    )


def generer_gabarits(
    cibles: Iterable[Cible],
    sortie: Path,
    periode: str = "",
    organisations: Iterable[Organisation] | None = None,
) -> list[Path]:
    """Écrit les gabarits dans `sortie` (un dossier par organisation s'il y en a) ; rend les chemins.

    Deux codes qui donnent le même dossier sont refusés avant toute écriture : sinon les
    gabarits de l'une écraseraient en silence ceux de l'autre. Les gabarits (des centaines
    avec un registre) sont écrits dans un brouillon puis publiés d'un coup : une écriture
    interrompue ou refusée (un gabarit ouvert dans Excel) ne change aucun fichier de `sortie`.
    """
    from barometre_cli.ecriture.ensemble import ecrire_ensemble

    cibles = list(cibles)
    destinataires: list[Organisation | None] = (
        list(organisations) if organisations is not None else [None]
    )
    _verifier_dossiers_distincts([o for o in destinataires if o is not None])

    def ecrire(brouillon: Path) -> list[Path]:
        ecrits: list[Path] = []
        for organisation in destinataires:
            dossier = brouillon if organisation is None else brouillon / nom_dossier(organisation)
            dossier.mkdir(parents=True, exist_ok=True)
            for cible in cibles:
                chemin = dossier / nom_fichier(cible, periode, organisation)
                chemin.write_bytes(octets_gabarit(cible, periode, organisation))
                ecrits.append(chemin)
        return ecrits

    return ecrire_ensemble(sortie, ecrire, "la production des gabarits")


_TYPES_DOC = {
    Type.TEXTE: "texte (255 caractères au plus)",
    Type.COURRIEL: "texte : adresse courriel (254 caractères au plus)",
    Type.ANNEE: "nombre entier de 2019 à 2100",
    Type.ENTIER: "nombre entier ≥ 0",
    Type.OUI_NON: "« Oui » ou « Non » (casse et espaces ignorés)",
    Type.STATUT: "un des quatre statuts (casse, espaces et forme de l'apostrophe ignorés)",
    Type.ECHELLE: "nombre entier de 1 à 5",
}


def _type_doc(type_: Type, maximum: int | None) -> str:
    if type_ is Type.ENTIER and maximum is not None:
        return f"nombre entier de 0 à {maximum:,}".replace(",", "\u00a0")
    return _TYPES_DOC[type_]


def documentation_interface() -> str:
    """L'interface publique des gabarits en Markdown ; `docs/interface.md` en est la copie."""
    lignes = [
        "# Interface publique des gabarits",
        "",
        f"Version du format : **{VERSION_FORMAT}**. Chaque saisie d'un gabarit est joignable par",
        "un nom défini de portée classeur : une organisation peut préremplir le gabarit depuis",
        "ses propres systèmes (voir `barometre_cli.gabarit.remplissage.remplir`), et l'outil lit chaque",
        "saisie par son nom, jamais par sa position. Insérer des lignes dans un tableau ne change",
        "donc rien à la lecture : Excel et LibreOffice déplacent le nom avec les cellules.",
        "",
        "Métadonnées cachées (propriétés personnalisées du document) : "
        f"`{PROP_VERSION}` (version du format), `{PROP_CIBLE}` (cible), `{PROP_PERIODE}` "
        f"(année, « - » si non préremplie), `{PROP_ORGANISATION}` (code de l'organisation "
        "destinataire, « - » sinon).",
        "",
        "Enregistré par LibreOffice au format Classeur ODF (.ods), un gabarit garde ses noms (des",
        "plages nommées de portée classeur) et ses métadonnées (`meta:user-defined`) : l'outil",
        "le lit par les mêmes noms, avec les mêmes règles, et le type de valeur qu'OpenDocument",
        "écrit pour chaque cellule (date, heure, pourcentage) y tient lieu de format.",
        "",
        "Un nombre au-delà de son maximum plausible (colonne « type ») est refusé à la saisie",
        "par la validation de données, et « à vérifier » s'il est collé. Les cellules de saisie",
        "de nombres n'ont pas de format : une date ou un pourcentage tapé par erreur y laisse un",
        "format de date ou de pourcentage. La feuille Saisie se vérifie elle-même (messages à",
        "droite des saisies, bilan en B3 ; colonnes masquées : comptes du bilan en Z, textes",
        "des messages en AA, lecture de chaque nombre à partir de AB) : ces cellules sont",
        "calculées et ne se remplissent pas. Ce qu'elle vérifie : docs/feuille.md.",
        "",
        "Ce fichier est produit par `python -m barometre_cli.regenerer` ; `--verifier` (que lance",
        "la CI) vérifie qu'il est à jour.",
        "",
        "## Tous les gabarits",
        "",
        "| nom défini | cellule | contenu | type | obligatoire |",
        "| --- | --- | --- | --- | --- |",
    ]
    places = disposition(cibles()[0])
    for champ in IDENTIFICATION:
        lignes.append(
            f"| `{champ.nom}` | {places[champ.nom].reference()} | {champ.libelle} | "
            f"{_TYPES_DOC[champ.type]} | {'oui' if champ.obligatoire else 'non'} |"
        )
    lignes += ["", "## Rétroaction (facultative, tous les gabarits)", ""]
    lignes += ["| nom défini | cellule | contenu | type |", "| --- | --- | --- | --- |"]
    for champ in RETROACTION:
        lignes.append(
            f"| `{champ.nom}` | {places[champ.nom].reference()} | {champ.libelle} | "
            f"{_TYPES_DOC[champ.type]} |"
        )
    lignes += [
        "",
        "Échelle : " + " ; ".join(f"{n} = {t}" for n, t in ECHELLE.items()) + ".",
        "Une réponse hors échelle donne un avertissement, jamais une erreur.",
    ]
    for cible in cibles():
        places = disposition(cible)
        lignes += ["", f"## Cible {cible.id} — {cible.titre}", ""]
        lignes += ["| nom défini | plage | contenu | type |", "| --- | --- | --- | --- |"]
        for champ in cible.champs:
            if champ.colonnes:
                contenu = (
                    "tableau de "
                    + f"{champ.lignes} lignes : "
                    + " ; ".join(
                        f"colonne {i + 1} « {c.libelle} » ({_type_doc(c.type, c.maximum)})"
                        for i, c in enumerate(champ.colonnes)
                    )
                )
                type_ = "une ligne est vide ou complète"
            elif champ.lignes > 1:
                contenu = (
                    f"{champ.lignes} cellules, une par processus, lues avec le nom du processus "
                    "écrit sur la même ligne"
                )
                type_ = _TYPES_DOC[champ.type]
            else:
                contenu, type_ = champ.libelle, _type_doc(champ.type, champ.maximum)
            lignes.append(
                f"| `{champ.nom}` | {places[champ.nom].reference()} | {contenu} | {type_} |"
            )
            if champ.etiquettes:
                lignes.append(
                    f"| `{champ.etiquettes}` | {places[champ.etiquettes].reference()} | noms des "
                    "processus, préremplis et verrouillés (une liste triée reste lisible) | "
                    "texte |"
                )
        lignes += type_calcul(cible).documentation(cible)
    return "\n".join(lignes) + "\n"
