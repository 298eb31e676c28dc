"""Les constats : ce que la validation trouve dans un classeur, sous forme de données.

Un constat ne lève jamais d'exception : il dit quoi corriger, où (feuille, cellule) et avec
quelle gravité. Chaque code est stable (les scripts des analystes s'y fient) et défini une seule
fois, par `definir`, à côté de la règle qui le produit : sa gravité, son sens (la table de
docs/constats.md), le modèle du message que lit la personne (ses champs `{nom}` sont remplis à
la détection) et, s'il y a lieu, le message court que la feuille qui se vérifie affiche à côté
de la cellule. Aucune phrase d'un constat n'est écrite ailleurs.
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

#: Les familles de codes, dans l'ordre d'une lecture : (clé, titre de la section de la doc).
FAMILLES: tuple[tuple[str, str], ...] = (
    ("lecture", "Lecture défensive du fichier"),
    ("gabarit", "Reconnaissance du gabarit"),
    ("identification", "Identification"),
    ("valeurs", "Valeurs saisies"),
    ("calcul", "Règles propres à un type de calcul"),
    ("hors-gabarit", "Hors des champs du gabarit"),
    ("retroaction", "Rétroaction facultative"),
    ("compilation", "Compilation (journal)"),
)


@dataclass(frozen=True)
class Code:
    """Un code de constat et tout ce qui s'en dit, écrit une fois.

    `message` : le modèle de la phrase que lit la personne (`str.format`, champs nommés remplis
    par la règle qui détecte) ; `court` : le message de la feuille qui se vérifie (60 caractères
    au plus, même syntaxe) ; `sens` : ce que le code signifie, pour docs/constats.md.
    """

    code: str
    severite: Severite
    sens: str
    message: str = ""
    court: str = ""
    famille: str = ""

    def texte(self, **valeurs: object) -> str:
        """Le message rempli de ses valeurs."""
        return self.message.format(**valeurs)

    def texte_court(self, **valeurs: object) -> str:
        return self.court.format(**valeurs)


#: Tous les codes définis, par code. Chaque module qui détecte y inscrit les siens à l'import.
CODES: dict[str, Code] = {}
_CLES_FAMILLES = {cle for cle, _ in FAMILLES}


def definir(
    code: str,
    severite: Severite,
    sens: str,
    message: str = "",
    court: str = "",
    famille: str = "",
) -> Code:
    """Inscrit un code ; le même code défini deux fois autrement est une erreur de programme."""
    definition = Code(code, severite, sens, message, court, famille)
    if famille not in _CLES_FAMILLES:
        raise ValueError(f"famille inconnue pour {code} : {famille!r}")
    if len(court) > 60:
        raise ValueError(f"message court de {code} trop long ({len(court)} > 60)")
    if CODES.get(code, definition) != definition:
        raise ValueError(f"code défini deux fois : {code}")
    CODES[code] = definition
    return definition


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
    code: Code | str,
    /,
    feuille: str = "",
    cellule: str = "",
    cible: str | None = None,
    *,
    message: str | None = None,
    **valeurs: object,
) -> Constat:
    """Crée un constat : gravité et phrase viennent de la définition du code, jamais de
    l'appelant, qui ne donne que le lieu et les valeurs du modèle.

    Le modèle peut nommer le lieu (`{feuille}`, `{cellule}`, `{cible}`) comme les valeurs.
    `message` n'est donné que par les refus de lecture (`lecture.refus`), dont la phrase dépend
    du fichier reçu et qui sont écrits, chacun une fois, dans ce seul module.
    """
    definition = code if isinstance(code, Code) else CODES[code]
    if message is None:  # le lieu sert aussi au modèle : « Cible {cible} : … »
        message = definition.texte(feuille=feuille, cellule=cellule, cible=cible or "", **valeurs)
    message = sans_controle(message)
    return Constat(definition.code, definition.severite, feuille, cellule, message, cible)


def documentation_markdown() -> str:
    """La table des codes en Markdown (docs/constats.md), par famille puis par code.

    Les codes sont inscrits par les modules qui les détectent : l'appelant importe d'abord
    chacun d'eux (`regenerer` le fait), pour une table complète.
    """
    lignes = [
        "# Codes des constats",
        "",
        "Chaque constat de `barometre valider` et du journal de `barometre compiler` porte un code",
        "stable, sur lequel un script peut s'appuyer. Une **erreur** empêche de retenir la cible",
        "concernée (ou tout le fichier quand elle touche le fichier, le gabarit ou",
        "l'identification) ; un **avertissement** signale une valeur à vérifier, acceptée telle",
        "quelle ; une **info** explique comment une valeur sera comptée.",
        "",
        "Ce fichier est produit par `python -m barometre_cli.regenerer` ; `--verifier` (que lance",
        "la CI) vérifie qu'il est à jour.",
    ]
    for cle, titre in FAMILLES:
        codes = sorted((c for c in CODES.values() if c.famille == cle), key=lambda c: c.code)
        if not codes:
            continue
        lignes += [
            "",
            f"## {titre}",
            "",
            "| code | gravité | signification |",
            "| --- | --- | --- |",
        ]
        lignes += [f"| `{c.code}` | {c.severite.value} | {c.sens} |" for c in codes]
    return "\n".join(lignes) + "\n"
