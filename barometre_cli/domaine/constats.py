"""Les constats : ce que la validation trouve dans un classeur, sous forme de données.

Un constat ne lève jamais d'exception : il dit quoi corriger, où (feuille, cellule) et avec
quelle gravité. Chaque code est stable (les scripts des analystes s'y fient) et documenté une
seule fois, dans `CODES` ; `docs/constats.md` est produit à partir de cette table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from barometre_cli.domaine.formats import sans_controle


class Severite(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"
    INFO = "info"


E, A, I = Severite.ERREUR, Severite.AVERTISSEMENT, Severite.INFO

#: code → (gravité, signification). L'ordre suit celui d'une lecture : fichier, gabarit,
#: identification, valeurs, règles propres aux cibles, compilation.
CODES: dict[str, tuple[Severite, str]] = {
    # Lecture défensive du fichier
    "fichier-illisible": (E, "Le fichier ne peut pas être ouvert (droits, fichier verrouillé)."),
    "fichier-vide": (E, "Le fichier ne contient aucun octet."),
    "pas-un-classeur": (
        E,
        "Le contenu n'est pas un classeur Excel (texte, CSV, PDF, page HTML renommés .xlsx).",
    ),
    "zip-corrompu": (E, "Le classeur est tronqué ou endommagé (archive ZIP invalide)."),
    "classeur-chiffre": (
        E,
        "Le classeur (.xlsx ou .ods) est protégé par un mot de passe à l'ouverture.",
    ),
    "format-xls": (E, "Ancien format Excel 97-2003 (.xls), même renommé en .xlsx."),
    "format-ods": (
        E,
        "Classeur OpenDocument en XML à plat (.fods), une variante illisible ici : à enregistrer "
        "en .ods ou en .xlsx (les .ods sont lus comme les .xlsx).",
    ),
    "macros-refusees": (
        E,
        "Le classeur contient des macros (.xlsm, vbaProject.bin ; LibreOffice Basic dans un .ods).",
    ),
    "format-strict": (E, "Classeur enregistré au format « Strict Open XML », illisible ici."),
    "xml-dangereux": (
        E,
        "Le classeur contient des déclarations XML interdites (entités, DTD) : refusé "
        "par sécurité.",
    ),
    "xml-invalide": (E, "Une partie XML du classeur est mal formée."),
    "zip-bombe": (
        E,
        "Le classeur dépasse les limites de taille ou de compression (bombe de "
        "décompression possible).",
    ),
    "donnees-hors-gabarit": (
        E,
        "Des cellules sont remplies très loin de la zone du gabarit (ex. XFD1048576).",
    ),
    # Reconnaissance du gabarit
    "gabarit-inconnu": (E, "Le classeur n'est pas un gabarit du Baromètre numériQc."),
    "gabarit-autre-cible": (E, "Le gabarit est celui d'une autre cible que celle attendue."),
    "version-perimee": (E, "Le gabarit est d'une autre version du format que celle en vigueur."),
    "nom-defini-manquant": (E, "Un nom défini de l'interface de saisie a été supprimé."),
    "nom-defini-brise": (
        E,
        "Un nom défini de l'interface pointe vers une plage supprimée ou invalide.",
    ),
    # Identification
    "identification-manquante": (E, "Le code ou le nom de l'organisation est vide."),
    "periode-manquante": (E, "L'année de la collecte est vide."),
    "periode-invalide": (E, "L'année de la collecte n'est pas une année sur quatre chiffres."),
    "periode-differente": (E, "L'année saisie diffère de celle du gabarit transmis."),
    "courriel-douteux": (A, "L'adresse courriel de la personne répondante semble invalide."),
    "organisation-differente": (
        A,
        "Le code d'organisation diffère de celui à qui le gabarit a été transmis.",
    ),
    # Valeurs saisies
    "valeur-manquante": (E, "Une valeur obligatoire est vide."),
    "nombre-en-texte": (
        A,
        "Un nombre a été saisi comme du texte ; il est accepté, mais vérifiez-le.",
    ),
    "nombre-decimal": (E, "Un nombre entier est attendu, pas un nombre décimal."),
    "nombre-negatif": (E, "Un nombre négatif a été saisi ; 0 ou plus est attendu."),
    "valeur-non-numerique": (E, "Un nombre est attendu, mais la cellule contient du texte."),
    "date-dans-nombre": (
        E,
        "Une date ou une heure a été saisie dans une cellule qui attend un dénombrement (le "
        "tableur la range comme un nombre, 43619 pour le 3 juin 2019).",
    ),
    "pourcentage-dans-nombre": (
        E,
        "Un pourcentage a été saisi dans une cellule qui attend un dénombrement (« 80 % » est "
        "rangé comme 0,8).",
    ),
    "valeur-elevee": (
        A,
        "Un nombre dépasse le maximum plausible du champ (un zéro de trop ?) ; il est accepté, "
        "mais vérifiez-le.",
    ),
    "numerateur-superieur": (E, "Le numérateur dépasse le dénominateur."),
    "non-applicable": (I, "Numérateur et dénominateur valent 0 : la cible est non applicable."),
    "oui-non-invalide": (E, "Seules les réponses Oui ou Non sont acceptées."),
    "statut-invalide": (E, "Le statut d'un processus n'est pas un des quatre statuts permis."),
    "processus-inconnu": (
        E,
        "Le nom d'un processus de la liste de 5.2 a été changé : son statut ne peut pas être "
        "attribué.",
    ),
    "processus-en-double": (E, "Un processus de la liste de 5.2 figure sur deux lignes."),
    "processus-manquant": (E, "Un des 12 processus de la liste de 5.2 n'y figure plus."),
    "formule-sans-valeur": (
        E,
        "Une cellule de saisie contient une formule jamais calculée (classeur jamais "
        "ouvert dans un tableur).",
    ),
    "formule-valeur": (
        I,
        "Une cellule de saisie contient une formule ; sa valeur calculée compte.",
    ),
    "valeur-erreur": (E, "Une cellule de saisie contient une erreur de formule (#DIV/0!, #REF!…)."),
    # Cible 5.1
    "ligne-incomplete": (E, "Une ligne d'un tableau est remplie en partie seulement."),
    "utilisations-incoherentes": (
        E,
        "Les utilisations numériques dépassent les utilisations totales.",
    ),
    "service-sans-utilisation": (
        A,
        "Un service n'a aucune utilisation : il reste au dénominateur sans pouvoir compter au "
        "numérateur.",
    ),
    "service-en-double": (A, "Le même service figure sur plusieurs lignes."),
    "tableau-vide": (E, "Le tableau des services est vide."),
    "lignes-sous-le-tableau": (
        A,
        "Des lignes saisies juste sous un tableau (ou insérées sous sa dernière ligne) sont "
        "lues comme ses lignes ; le résultat affiché dans la feuille ne les compte pas.",
    ),
    "valeur-a-cote-du-tableau": (
        E,
        "Sur une ligne saisie sous un tableau, une valeur est hors des colonnes du tableau.",
    ),
    "tableau-trop-long": (
        E,
        "Trop de valeurs sont saisies sous un tableau pour être toutes lues : il n'est pas compté.",
    ),
    # Cible 6.1
    "points-eleves": (A, "Un total de plus de 100 points à l'axe A est inhabituel."),
    "jeu-en-double": (A, "Le même jeu de données figure sur plusieurs lignes."),
    "aucun-jeu-haut-potentiel": (
        A,
        "Aucun jeu à 50 points ou plus à l'axe A : l'organisation ne peut pas atteindre la "
        "cible 6.1.",
    ),
    # Hors des champs du gabarit
    "valeur-hors-gabarit": (
        A,
        "Une valeur est saisie au-delà de la zone du gabarit (à droite des saisies, sous les "
        "tableaux) : elle n'est pas lue.",
    ),
    # Rétroaction facultative
    "retroaction-invalide": (
        A,
        "Une réponse de rétroaction n'est pas sur l'échelle de 1 à 5 ; elle est ignorée.",
    ),
    # Compilation (journal)
    "fichier-ignore": (
        I,
        "Fichier caché ou fichier de verrou d'Office (~$…) : noté au journal, jamais lu.",
    ),
    "organisation-hors-registre": (
        E,
        "L'organisation n'est pas dans le registre des organisations ciblées : fichier écarté.",
    ),
    "periode-exclue": (E, "L'année du classeur n'est pas celle de la compilation."),
    "doublon-remplace": (
        A,
        "Un classeur plus récent de la même organisation pour la même cible a été retenu.",
    ),
    "doublon-conflit": (
        E,
        "Deux classeurs de la même organisation pour la même cible, sans date de modification "
        "qui les départage : les deux sont écartés.",
    ),
    "lecture-interrompue": (
        E,
        "La lecture du fichier a fait échouer le processus de lecture ; le fichier est rejeté.",
    ),
}


@dataclass(frozen=True)
class Constat:
    """Un problème trouvé, localisé et expliqué. `cible` dit quelle cible il exclut, s'il y a lieu."""

    code: str
    severite: Severite
    feuille: str
    cellule: str
    message: str
    cible: str | None = None

    def vers_dict(self) -> dict[str, str]:
        """La forme publique (JSON) : exactement ces cinq clés."""
        return {
            "severite": self.severite.value,
            "code": self.code,
            "feuille": self.feuille,
            "cellule": self.cellule,
            "message": self.message,
        }


def constat(
    code: str, message: str, feuille: str = "", cellule: str = "", cible: str | None = None
) -> Constat:
    """Crée un constat ; la gravité vient de la table `CODES`, jamais de l'appelant."""
    severite, _ = CODES[code]
    return Constat(code, severite, feuille, cellule, sans_controle(message), cible)


def documentation_markdown() -> str:
    """La table des codes en Markdown : `docs/constats.md` en est la copie vérifiée par un test."""
    lignes = [
        "# Codes des constats",
        "",
        "Chaque constat de `barometre valider` et du journal de `barometre compiler` porte un code",
        "stable, sur lequel un script peut s'appuyer. Une **erreur** empêche de retenir la cible",
        "concernée (ou tout le fichier quand elle touche le fichier, le gabarit ou",
        "l'identification) ; un **avertissement** signale une valeur à vérifier, acceptée telle",
        "quelle ; une **info** explique comment une valeur sera comptée.",
        "",
        "Ce fichier est produit par `python -m barometre_cli.domaine.constats` ; un test vérifie qu'il est",
        "à jour.",
        "",
        "| code | gravité | signification |",
        "| --- | --- | --- |",
    ]
    lignes += [f"| `{code}` | {sev.value} | {texte} |" for code, (sev, texte) in CODES.items()]
    return "\n".join(lignes) + "\n"


if __name__ == "__main__":
    print(documentation_markdown(), end="")
