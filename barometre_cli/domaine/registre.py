"""Le registre des organisations ciblées : un CSV `code,nom,reseau` exporté d'Excel ou LibreOffice.

Il fixe le dénominateur des cibles qui en dépendent, les taux de réponse et les réseaux ; il sert
aussi à préremplir les gabarits et, par ses colonnes facultatives `contact_nom` et
`contact_courriel`, à savoir à qui écrire pour les relances (`relances.csv`).

C'est le fichier de l'analyste : il est lu sans indulgence (`csv_strict`), car une organisation
perdue en chemin fausserait le dénominateur sans que rien ne se voie. On accepte ce que les
tableurs produisent réellement — virgule, point-virgule ou tabulation (« Texte Unicode »
d'Excel, exports de bases de données), UTF-8 avec ou sans BOM, UTF-16 avec BOM, Windows-1252
(« CSV » d'Excel sous Windows) — et rien d'ambigu : un guillemet isolé, un champ sur deux
lignes, une ligne qui n'a pas autant de champs que l'en-tête, un en-tête et des données séparés
différemment, un fichier qui mêle deux encodages, un code vide ou en double, un texte trop long
ou qui contient un caractère invisible arrêtent la commande en nommant la ligne.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from barometre_cli.catalogue import RESEAUX, normaliser_libelle
from barometre_cli.domaine import csv_strict
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.domaine.formats import COURRIEL_MAX, TEXTE_MAX, caractere_invisible


@dataclass(frozen=True)
class Organisation:
    """Une organisation ciblée ; son code s'écrit comme le registre l'écrit."""

    code: str
    nom: str
    reseau: str = ""
    #: personne à joindre pour les relances (colonnes facultatives du registre)
    contact_nom: str = ""
    contact_courriel: str = ""


def courriel_plausible(adresse: str) -> bool:
    """Quelque chose, une arobase, un domaine avec un point et une fin de deux caractères ou plus.

    Sans expression régulière, en un passage : une adresse collée de 100 000 caractères se juge
    aussi vite qu'une vraie (un motif à retour arrière y mettait des minutes).
    """
    if not adresse or len(adresse) > COURRIEL_MAX or adresse.count("@") != 1:
        return False
    if any(c.isspace() for c in adresse):
        return False
    local, domaine = adresse.split("@")
    point = domaine.find(".", 1)  # un point après au moins un caractère de domaine…
    return bool(local) and 0 < point <= len(domaine) - 3  # … et suivi d'au moins deux


def cle_code(code: str) -> str:
    """La forme de comparaison d'un code d'organisation : « ap01 » tapé vaut « AP01 ».

    Partout (registre, `valider`, `compiler`, préremplissage), deux codes sont le même s'ils ne
    diffèrent que par la casse ou les espaces autour ; les sorties montrent le code du registre.
    """
    return code.strip().casefold()


def code_canonique(code: str, registre: dict[str, Organisation] | None = None) -> str:
    """Le code sous lequel une organisation est rangée partout (journal, fiches, rétroaction,
    relances, organisations.csv) : celui du registre (`registre` : `cle_code` → organisation)
    s'il le connaît, sinon le code tapé, sans espaces autour et en majuscules."""
    connue = registre.get(cle_code(code)) if registre else None
    return connue.code if connue is not None else code.strip().upper()


def nom_dossier(organisation: Organisation) -> str:
    """Le code de l'organisation, réduit aux caractères sûrs dans un nom de fichier Windows."""
    return re.sub(r"[^\w.-]+", "_", organisation.code).strip("._") or "organisation"


#: Longueur maximale d'un nom de fichier, en octets (NTFS, ext4, APFS : 255).
NOM_FICHIER_MAX = 255
#: Longueur maximale d'un chemin sous Windows sans les « chemins longs » (MAX_PATH, 260 avec
#: le nul final), brouillon caché de la publication compris (`ensemble`, ~40 caractères).
CHEMIN_MAX_WINDOWS = 259 - 40


def verifier_chemin(organisation: Organisation, chemin: Path) -> None:
    """Un code qui donnerait un nom de fichier trop long se dit avant toute écriture, en le
    nommant (le système ne dirait que « chemin trop long », sans dire à cause de quel code)."""
    noms_trop_longs = [p for p in chemin.parts if len(os.fsencode(p)) > NOM_FICHIER_MAX]
    windows = os.name == "nt" and len(str(chemin.absolute())) > CHEMIN_MAX_WINDOWS
    if not (noms_trop_longs or windows):
        return
    code = organisation.code
    apercu = f"{code[:30]}…{code[-10:]}" if len(code) > 45 else code
    trop = (
        f"un nom de fichier de {len(os.fsencode(noms_trop_longs[0]))} octets ({NOM_FICHIER_MAX} "
        "au plus)"
        if noms_trop_longs
        else f"un chemin de plus de {CHEMIN_MAX_WINDOWS} caractères, trop long pour Windows"
    )
    raise BarometreErreur(
        f"le code d'organisation « {apercu} » ({len(code)} caractères) donne {trop}. "
        "Raccourcissez ce code (dans le registre, ou dans le classeur de l'organisation), ou "
        "choisissez un dossier de sortie plus court, puis relancez. Rien n'a été écrit."
    )


_RESEAUX_NORMALISES = {normaliser_libelle(r): r for r in RESEAUX}

#: Colonnes reconnues (libellé normalisé → champ) ; les autres sont permises et ignorées.
_COLONNES = {
    "code": "code",
    "nom": "nom",
    "reseau": "reseau",
    "réseau": "reseau",
    "contact_nom": "contact_nom",
    "contact_courriel": "contact_courriel",
}


def _entete_attendue(separateur: str) -> str:
    if separateur == "\t":
        return "code, nom et reseau, séparés par des tabulations"
    return f"code{separateur}nom{separateur}reseau"


def _refus(chemin: Path, ligne: int, detail: str) -> BarometreErreur:
    """Une erreur du registre qui nomme la ligne et dit quoi faire."""
    lieu = f"Registre « {chemin.name} », ligne {ligne}" if ligne else f"Registre « {chemin.name} »"
    return BarometreErreur(
        f"{lieu} : {detail} Corrigez le registre (ou réenregistrez-le depuis votre tableur au "
        "format « CSV »), puis relancez : rien n'a été écrit."
    )


def lire_registre(chemin: Path | str) -> list[Organisation]:
    """Lit le registre ; toute anomalie devient une `BarometreErreur` qui nomme la ligne."""
    chemin = Path(chemin)
    try:
        octets = chemin.read_bytes()
    except OSError as exc:
        raise BarometreErreur(
            f"Impossible de lire le registre « {chemin} » : {raison_systeme(exc)}. "
            "Vérifiez le chemin du fichier."
        ) from None
    if octets[:2] == b"PK" or octets.startswith(b"\xd0\xcf\x11\xe0"):
        raise BarometreErreur(
            f"Le registre « {chemin.name} » n'est pas un fichier CSV (c'est un classeur). Dans "
            "votre tableur, utilisez « Enregistrer sous » et le type « CSV », avec les "
            "colonnes code, nom, reseau."
        )
    try:
        lu = csv_strict.lire(octets)
    except csv_strict.CsvInvalide as exc:
        raise _refus(chemin, exc.ligne, exc.detail) from None
    return _organisations(chemin, lu)


def _organisations(chemin: Path, lu: csv_strict.Csv) -> list[Organisation]:
    """Les organisations des rangées du CSV ; toute anomalie nomme sa ligne."""
    if not any(c.strip() for c in lu.entete):
        raise BarometreErreur(f"Le registre « {chemin.name} » est vide.")
    colonnes = [normaliser_libelle(c) for c in lu.entete]
    if "code" not in colonnes:
        raise BarometreErreur(
            f"Le registre « {chemin.name} » n'a pas de colonne « code » (colonnes trouvées : "
            f"{', '.join(c.strip()[:40] for c in lu.entete)}). La première ligne doit être : "
            f"{_entete_attendue(lu.separateur)}."
        )
    positions: dict[str, int] = {}
    for i, colonne in enumerate(colonnes):
        champ = _COLONNES.get(colonne)
        if champ is None:
            continue
        if champ in positions:
            raise _refus(
                chemin,
                1,
                f"la colonne « {lu.entete[i].strip()} » figure deux fois dans l'en-tête.",
            )
        positions[champ] = i

    organisations: list[Organisation] = []
    vus: dict[str, int] = {}
    for rangee in lu.rangees:
        valeurs = {champ: rangee.champs[i].strip() for champ, i in positions.items()}
        _verifier_textes(chemin, rangee.numero, valeurs, lu.entete, positions)
        code = valeurs["code"]
        if not code:
            raise _refus(chemin, rangee.numero, "le code de l'organisation est vide.")
        if cle_code(code) in vus:
            raise _refus(
                chemin,
                rangee.numero,
                f"le code « {code} » figure déjà à la ligne {vus[cle_code(code)]}. Chaque "
                "organisation doit avoir un code unique (les majuscules et les espaces autour ne "
                "comptent pas).",
            )
        vus[cle_code(code)] = rangee.numero
        reseau = valeurs.get("reseau", "")
        if reseau:
            connu = _RESEAUX_NORMALISES.get(normaliser_libelle(reseau))
            if connu is None:
                raise BarometreErreur(
                    f"Registre « {chemin.name} », ligne {rangee.numero} : réseau « {reseau} » "
                    f"inconnu. Réseaux permis : {' ; '.join(RESEAUX)}."
                )
            reseau = connu
        courriel = valeurs.get("contact_courriel", "")
        if courriel and not courriel_plausible(courriel):
            # Une erreur plutôt qu'un avertissement : le registre est le fichier de l'analyste,
            # vite corrigé, alors qu'une relance partie vers une adresse fautive se perd.
            raise BarometreErreur(
                f"Registre « {chemin.name} », ligne {rangee.numero}, colonne contact_courriel : "
                f"« {courriel[:80]} » n'est pas une adresse courriel. Corrigez-la, ou videz la "
                "case : la personne répondante nommée dans les classeurs de l'organisation "
                "sera alors utilisée pour les relances."
            )
        organisations.append(
            Organisation(
                code,
                valeurs.get("nom", ""),
                reseau,
                valeurs.get("contact_nom", ""),
                courriel,
            )
        )
    if not organisations:
        raise BarometreErreur(f"Le registre « {chemin.name} » ne contient aucune organisation.")
    return organisations


def _verifier_textes(
    chemin: Path, numero: int, valeurs: dict[str, str], entete: list[str], positions: dict
) -> None:
    """Chaque texte est borné et sans caractère invisible, avant toute autre vérification."""
    for champ, valeur in valeurs.items():
        colonne = entete[positions[champ]].strip()
        maximum = COURRIEL_MAX if champ == "contact_courriel" else TEXTE_MAX
        if len(valeur) > maximum:
            raise _refus(
                chemin,
                numero,
                f"la colonne {colonne} compte {len(valeur)} caractères (« {valeur[:40]}… ») ; "
                f"{maximum} au plus sont permis.",
            )
        invisible = caractere_invisible(valeur)
        if invisible:
            raise _refus(
                chemin,
                numero,
                f"la colonne {colonne} contient un caractère invisible ({invisible} : "
                "caractère de contrôle ou de direction du texte), qui ferait afficher le texte "
                "autrement qu'il n'est écrit. Retirez-le.",
            )
