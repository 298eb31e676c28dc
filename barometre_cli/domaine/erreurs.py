"""L'unique exception du domaine : « l'outil ne peut pas faire ce qu'on lui demande ».

Un classeur mal rempli n'est jamais une exception : c'est un constat (voir `constats`).
`BarometreErreur` sert aux options inutilisables (registre illisible, cible inconnue…) ; la CLI
l'affiche en une phrase et sort avec le code 2.
"""


class BarometreErreur(Exception):
    """Une demande impossible à exécuter, expliquée en une phrase en français."""


def raison_systeme(exc: OSError) -> str:
    """La cause d'une erreur du système de fichiers, en français (le système parle anglais)."""
    import errno

    raisons = {
        errno.ENOENT: "fichier ou dossier introuvable",
        errno.EACCES: "accès refusé (droits insuffisants ou fichier ouvert ailleurs)",
        errno.EPERM: "opération non permise",
        errno.EEXIST: "un fichier porte déjà ce nom",
        errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
        errno.EISDIR: "c'est un dossier, pas un fichier",
        errno.ENOSPC: "disque plein",
        errno.EFBIG: "fichier trop gros pour ce disque ou ce compte",
        errno.EIO: "erreur d'entrée-sortie du disque",
        getattr(errno, "EDQUOT", -1): "quota du disque atteint",
        errno.EROFS: "support en lecture seule",
        errno.ENAMETOOLONG: "chemin trop long",
    }
    return raisons.get(exc.errno, exc.strerror or type(exc).__name__)
