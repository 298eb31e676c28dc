"""Ctrl+C et SIGTERM : arrêter une opération qui écrit sans rien laisser à moitié fait.

Le temps d'une opération (`interruptible`), la bibliothèque remplace les gestionnaires de
SIGINT et de SIGTERM : un signal lève `Interrompu` dans le fil principal, là où le programme en
est. Chaque couche défait alors ce qu'elle a commencé (processus de lecture arrêtés, brouillon
effacé, verrou rendu) et la CLI n'a plus qu'à afficher la phrase et sortir avec le code 130.
Les gestionnaires d'origine sont rendus à la sortie : un carnet qui appelle `compiler` retrouve
son Ctrl+C habituel.

Une section critique (`differer`) — poser un verrou, les renommages qui publient les sorties,
le nettoyage — note le signal au lieu de s'arrêter au milieu, et le traite à sa sortie. Une
fois `Interrompu` levé, les signaux suivants (un second Ctrl+C impatient) sont seulement notés :
le nettoyage va au bout.

`Interrompu` dérive de `BaseException`, comme `KeyboardInterrupt` : aucun `except Exception`
de la lecture défensive ne peut l'avaler. Il ne dérive pas de `KeyboardInterrupt`, que Click
transformerait en « Aborted! ».
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

#: Les signaux qui demandent l'arrêt ; SIGBREAK (Ctrl+Pause) n'existe que sous Windows.
SIGNAUX: tuple[int, ...] = tuple(
    getattr(signal, nom) for nom in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, nom)
)
_CAUSES = {"SIGINT": "Ctrl+C", "SIGTERM": "arrêt demandé par le système", "SIGBREAK": "Ctrl+Pause"}


class Interrompu(BaseException):
    """L'utilisateur (Ctrl+C) ou le système (SIGTERM) a demandé l'arrêt de l'opération.

    `operation` et `bilan` sont remplis par l'opération interrompue : ce qu'elle faisait et
    ce qui reste vrai du disque (« aucun fichier de « resultats » n'a été modifié »).
    """

    def __init__(self, numero: int, operation: str = "", bilan: str = "") -> None:
        super().__init__(numero)
        self.numero = numero
        self.operation = operation
        self.bilan = bilan

    @property
    def cause(self) -> str:
        try:
            return _CAUSES.get(signal.Signals(self.numero).name, signal.Signals(self.numero).name)
        except ValueError:
            return f"signal {self.numero}"

    def __str__(self) -> str:
        texte = f"{self.operation or 'Opération'} interrompue ({self.cause})"
        return f"{texte} : {self.bilan}" if self.bilan else f"{texte}."


class _Etat:
    """L'état du fil principal ; seul ce fil reçoit les signaux en Python."""

    actif = False
    #: profondeur des sections critiques en cours
    differe = 0
    #: signal reçu et pas encore traité
    recu: int | None = None
    #: `Interrompu` déjà levé, ou opération déjà publiée : un signal ne lève plus rien
    leve = False


_etat = _Etat()


def _fil_principal() -> bool:
    return threading.current_thread() is threading.main_thread()


def a_capter() -> list[int]:
    """Les signaux à capter : pas ceux qu'on a reçus ignorés exprès (tâche de fond d'un script,
    `nohup`), que le programme doit continuer d'ignorer."""
    return [n for n in SIGNAUX if signal.getsignal(n) is not signal.SIG_IGN]


def _gestionnaire(numero: int, _cadre) -> None:
    if _etat.differe or _etat.leve:
        _etat.recu = _etat.recu or numero
        return
    _etat.leve = True
    raise Interrompu(numero)


@contextlib.contextmanager
def interruptible(operation: str, bilan: str) -> Iterator[None]:
    """Pendant le bloc, Ctrl+C et SIGTERM lèvent `Interrompu(operation, bilan)`.

    Hors du fil principal (Python n'y permet aucun gestionnaire) ou à l'intérieur d'un autre
    bloc `interruptible`, ne change pas les gestionnaires ; le bloc le plus proche du travail
    donne sa phrase à l'exception.
    """
    installe = not _etat.actif and _fil_principal()
    precedents: dict[int, object] = {}
    if installe:
        _etat.actif, _etat.differe, _etat.recu, _etat.leve = True, 0, None, False
    try:
        if installe:
            for numero in a_capter():
                precedents[numero] = signal.signal(numero, _gestionnaire)
        yield
    except Interrompu as exc:
        if not exc.bilan:
            exc.operation, exc.bilan = operation, bilan
        raise
    finally:
        if installe:
            _etat.leve = True  # un signal pendant la restauration est seulement noté
            for numero, precedent in precedents.items():
                signal.signal(numero, precedent)
            _etat.actif, _etat.differe, _etat.recu = False, 0, None


@contextlib.contextmanager
def differer() -> Iterator[None]:
    """Section critique : un signal reçu pendant le bloc est traité à sa sortie, pas au milieu.

    Si le bloc se termine normalement et qu'un signal est arrivé, `Interrompu` est levé à la
    sortie de la section la plus extérieure ; si le bloc lève déjà une exception, elle suit
    son cours.
    """
    if not (_etat.actif and _fil_principal()):
        yield
        return
    _etat.differe += 1
    try:
        yield
    finally:
        _etat.differe -= 1
    if not _etat.differe:
        verifier()


def demandee() -> bool:
    """Un signal est arrivé pendant une section critique et n'a pas encore été traité."""
    return _etat.actif and _etat.recu is not None and not _etat.leve


def verifier() -> None:
    """Lève `Interrompu` si un signal noté pendant une section critique attend d'être traité."""
    if demandee():
        numero, _etat.recu, _etat.leve = _etat.recu, None, True
        raise Interrompu(numero)


def trop_tard() -> None:
    """L'opération vient d'être publiée : un signal ne peut plus l'annuler, elle finit normalement.

    Jusqu'à la fin du bloc `interruptible`, les signaux sont seulement notés, puis oubliés.
    """
    if _etat.actif and _fil_principal():
        _etat.recu, _etat.leve = None, True
