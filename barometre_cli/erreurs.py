"""L'unique exception du domaine : « l'outil ne peut pas faire ce qu'on lui demande ».

Un classeur mal rempli n'est jamais une exception : c'est un constat (voir `constats`).
`BarometreErreur` sert aux options inutilisables (registre illisible, cible inconnue…) ; la CLI
l'affiche en une phrase et sort avec le code 2.
"""


class BarometreErreur(Exception):
    """Une demande impossible à exécuter, expliquée en une phrase en français."""
