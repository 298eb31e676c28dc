"""Valider un classeur lu : le seul chemin de `valider`, de la page Web et de `compiler`.

`valider_classeur` enchaîne les vérifications inscrites (`verifications.VERIFICATIONS`), dans
leur ordre : reconnaître le gabarit, l'identification, la rétroaction, les règles de chaque
cible (celles de son type de calcul), les valeurs hors du gabarit. Une erreur rattachée à une
cible n'exclut que cette cible ; une erreur sans cible (fichier, gabarit, identification)
exclut tout le fichier. Un mauvais classeur ne lève jamais d'exception : c'est un constat.
"""

from __future__ import annotations

from pathlib import Path

from barometre_cli.calculs import resultat_organisation
from barometre_cli.catalogue import cible
from barometre_cli.domaine.constats import Severite
from barometre_cli.lecture import ClasseurLu
from barometre_cli.validation.rapport import RapportFichier
from barometre_cli.validation.verifications import VERIFICATIONS, Contexte

__all__ = ["RapportFichier", "valider_classeur", "valider_fichier"]


def valider_classeur(classeur: ClasseurLu, cible_attendue: str | None = None) -> RapportFichier:
    """Toutes les vérifications sur un classeur déjà lu ; ne lève jamais pour un mauvais classeur."""
    rapport = RapportFichier(classeur.chemin, classeur.sha256, classeur.modifie, classeur.format)
    rapport.constats.extend(classeur.constats)
    rapport.lisible = classeur.lisible
    if classeur.constats:
        return rapport
    contexte = Contexte(classeur, rapport, cible_attendue)
    for verification in VERIFICATIONS:
        constats = list(verification.regle(contexte))
        rapport.constats.extend(constats)
        if verification.bloquante and (
            not contexte.cibles or any(c.severite is Severite.ERREUR for c in constats)
        ):
            return rapport
    if rapport.valide:
        rapport.resultats = [resultat_organisation(s, cible(i)) for i, s in rapport.saisies.items()]
    return rapport


def valider_fichier(chemin: Path | str, cible_attendue: str | None = None) -> RapportFichier:
    """Lit puis valide un fichier : le chemin unique de `valider` et de `compiler`."""
    from barometre_cli.lecture import lire_classeur

    return valider_classeur(lire_classeur(Path(chemin)), cible_attendue)
