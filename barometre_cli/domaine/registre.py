"""Le registre des organisations ciblées : un CSV `code,nom,reseau` exporté d'Excel ou LibreOffice.

Il fixe le dénominateur des cibles 4.1 et 6.1, les taux de réponse et les réseaux ; il sert aussi
à préremplir les gabarits et, par ses colonnes facultatives `contact_nom` et `contact_courriel`,
à savoir à qui écrire pour les relances (`relances.csv`). On accepte ce que les tableurs produisent réellement : virgule,
point-virgule ou tabulation (« texte Unicode » d'Excel, exports de bases de données), UTF-8 avec
ou sans BOM, et à défaut Windows-1252 (« CSV » d'Excel sous Windows).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from barometre_cli.catalogue import RESEAUX, normaliser_libelle
from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme


@dataclass(frozen=True)
class Organisation:
    """Une organisation ciblée ; son code s'écrit comme le registre l'écrit."""

    code: str
    nom: str
    reseau: str = ""
    #: personne à joindre pour les relances (colonnes facultatives du registre)
    contact_nom: str = ""
    contact_courriel: str = ""


#: Une adresse courriel plausible : quelque chose, une arobase, un domaine avec un point.
COURRIEL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


def courriel_plausible(adresse: str) -> bool:
    return bool(COURRIEL.match(adresse))


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


_RESEAUX_NORMALISES = {normaliser_libelle(r): r for r in RESEAUX}


def _decoder(octets: bytes) -> str:
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        return octets.decode("cp1252", errors="replace")


#: Séparateurs reconnus, du plus usuel au moins usuel : à égalité, le premier l'emporte.
SEPARATEURS = (",", ";", "\t")


def _separateur(entete: str) -> str:
    """Le séparateur le plus fréquent de la ligne d'en-tête (la virgule à défaut)."""
    return max(SEPARATEURS, key=entete.count)


def _entete_attendue(separateur: str) -> str:
    if separateur == "\t":
        return "code, nom et reseau, séparés par des tabulations"
    return f"code{separateur}nom{separateur}reseau"


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
    if b"\x00" in octets[:4096] or octets[:2] == b"PK":
        raise BarometreErreur(
            f"Le registre « {chemin.name} » n'est pas un fichier CSV. Dans votre tableur, "
            "utilisez « Enregistrer sous » et le type « CSV », avec les colonnes code, nom, reseau."
        )
    texte = _decoder(octets)
    # Fins de ligne Windows, Unix ou Mac classique (retour chariot seul) : toutes acceptées.
    texte = texte.replace("\r\n", "\n").replace("\r", "\n")
    separateur = _separateur(texte.split("\n", 1)[0])
    try:
        rangees = list(csv.reader(io.StringIO(texte, newline=""), delimiter=separateur))
    except csv.Error as exc:
        raise BarometreErreur(
            f"Le registre « {chemin.name} » n'est pas un CSV lisible (ligne "
            f"{getattr(exc, 'line_num', '?')}). Réenregistrez-le depuis votre tableur au "
            "format « CSV », avec les colonnes code, nom, reseau."
        ) from None
    return _organisations(chemin, rangees, separateur)


def _organisations(chemin: Path, rangees: list[list[str]], separateur: str) -> list[Organisation]:
    """Les organisations des rangées du CSV ; toute anomalie nomme sa ligne."""
    lecteur = iter(rangees)
    entete = next(lecteur, None)
    if not entete:
        raise BarometreErreur(f"Le registre « {chemin.name} » est vide.")
    colonnes = [normaliser_libelle(c) for c in entete]
    if "code" not in colonnes:
        raise BarometreErreur(
            f"Le registre « {chemin.name} » n'a pas de colonne « code » (colonnes trouvées : "
            f"{', '.join(entete)}). La première ligne doit être : "
            f"{_entete_attendue(separateur)}."
        )
    i_code = colonnes.index("code")
    i_nom = colonnes.index("nom") if "nom" in colonnes else None
    i_reseau = next((colonnes.index(c) for c in ("reseau", "réseau") if c in colonnes), None)
    i_contact = colonnes.index("contact_nom") if "contact_nom" in colonnes else None
    i_courriel = colonnes.index("contact_courriel") if "contact_courriel" in colonnes else None

    organisations: list[Organisation] = []
    vus: dict[str, int] = {}
    for numero, ligne in enumerate(lecteur, start=2):
        if not any(cellule.strip() for cellule in ligne):
            continue

        def champ(i: int | None, ligne: list[str] = ligne) -> str:
            return ligne[i].strip() if i is not None and i < len(ligne) else ""

        code = champ(i_code)
        if not code:
            raise BarometreErreur(
                f"Registre « {chemin.name} », ligne {numero} : le code de l'organisation est vide."
            )
        if cle_code(code) in vus:
            raise BarometreErreur(
                f"Registre « {chemin.name} » : le code « {code} » figure deux fois (lignes "
                f"{vus[cle_code(code)]} et {numero}). Chaque organisation doit avoir un code "
                "unique (les majuscules et les espaces autour ne comptent pas)."
            )
        vus[cle_code(code)] = numero
        reseau = champ(i_reseau)
        if reseau:
            connu = _RESEAUX_NORMALISES.get(normaliser_libelle(reseau))
            if connu is None:
                raise BarometreErreur(
                    f"Registre « {chemin.name} », ligne {numero} : réseau « {reseau} » inconnu. "
                    f"Réseaux permis : {' ; '.join(RESEAUX)}."
                )
            reseau = connu
        courriel = champ(i_courriel)
        if courriel and not courriel_plausible(courriel):
            # Une erreur plutôt qu'un avertissement : le registre est le fichier de l'analyste,
            # vite corrigé, alors qu'une relance partie vers une adresse fautive se perd.
            raise BarometreErreur(
                f"Registre « {chemin.name} », ligne {numero}, colonne contact_courriel : "
                f"« {courriel[:80]} » n'est pas une adresse courriel. Corrigez-la, ou videz la "
                "case : la personne répondante nommée dans les classeurs de l'organisation "
                "sera alors utilisée pour les relances."
            )
        organisations.append(Organisation(code, champ(i_nom), reseau, champ(i_contact), courriel))
    if not organisations:
        raise BarometreErreur(f"Le registre « {chemin.name} » ne contient aucune organisation.")
    return organisations
