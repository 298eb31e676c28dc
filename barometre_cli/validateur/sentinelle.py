"""La sentinelle de la page : repère un module de la bibliothèque standard laissé de côté.

La page charge une bibliothèque standard allégée (les modules que la validation importe, voir
`site.py`). Si un classeur fait un jour passer la validation par un module qui n'y est pas,
l'importation échoue — et la lecture, qui ne lève jamais, en ferait un constat : un verdict
faux. La sentinelle, placée en dernier dans `sys.meta_path`, note toute recherche d'un module
que la bibliothèque complète aurait fourni ; la page écarte alors le verdict, recharge Python
avec la bibliothèque complète et vérifie le fichier de nouveau. Une bibliothèque allégée peut
coûter du temps, jamais un verdict.

Rien d'autre que `sys` n'est importé ici : la sentinelle s'installe avant tout le reste.
"""

from __future__ import annotations

import sys


class Sentinelle:
    """Un chercheur de modules qui ne trouve jamais rien, mais note ce qu'on lui demande."""

    def __init__(self, absents: frozenset[str]) -> None:
        self.absents = absents
        self.manques: list[str] = []

    def find_spec(self, nom: str, chemin: object = None, cible: object = None) -> None:
        if nom in self.absents and nom not in self.manques:
            self.manques.append(nom)


_sentinelle: Sentinelle | None = None


def installer(absents: frozenset[str] | None = None) -> Sentinelle:
    """Place la sentinelle en fin de `sys.meta_path` (une seule fois).

    Sans `absents`, la liste vient du module `_barometre_absents` que la bibliothèque allégée
    contient (écrit par `precompilation.py`).
    """
    global _sentinelle
    if absents is None:
        from _barometre_absents import ABSENTS  # type: ignore[import-not-found]

        absents = ABSENTS
    if _sentinelle is None or _sentinelle not in sys.meta_path:
        _sentinelle = Sentinelle(frozenset(absents))
        sys.meta_path.append(_sentinelle)
    return _sentinelle


def manquants() -> list[str]:
    """Les modules de la bibliothèque complète cherchés en vain depuis l'installation."""
    return list(_sentinelle.manques) if _sentinelle is not None else []
