"""Des processus de lecture que l'appelant contrôle de bout en bout.

La compilation répartit ses fichiers, par lots, sur quelques processus (un par cœur). Elle
n'utilise pas `concurrent.futures.ProcessPoolExecutor` : à Ctrl+C, celui-ci attend la fin des
lots déjà confiés, peut rester bloqué quand un processus tombe au même moment, et son crochet
de fin de programme attend encore ses processus (« Exception ignored in atexit callback »).
Ici, chaque processus appartient à l'appelant :

- un processus de lecture ignore Ctrl+C, que le terminal envoie à tout le groupe : c'est le
  processus principal qui décide, et il arrête de force ses processus en sortant (`finally`),
  quelle que soit la raison ; ils ne font que lire, il n'y a rien à terminer proprement ;
- l'attente se fait par tranches courtes (`ATTENTE`), pour que le processus principal traite un
  signal sans délai même quand le système l'a remis à un autre fil ;
- un processus qui tombe (plantage natif, mémoire épuisée) ne perd que son lot : le lot est
  relu un fichier à la fois, pour isoler le coupable, dont `isoler` fait le résultat ;
- chaque processus a toujours un lot d'avance (`EN_VOL`) : il enchaîne sans attendre que le
  processus principal, occupé à autre chose (imports, affichage), lui en confie un autre.
"""

from __future__ import annotations

import contextlib
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from barometre_cli.ecriture import interruption

T = TypeVar("T", bound=Hashable)
R = TypeVar("R")

#: Durée maximale d'une attente sans regarder si un signal est arrivé (secondes).
ATTENTE = 0.2
#: Lots confiés à un processus avant qu'il en ait rendu un : celui qu'il lit et un d'avance.
EN_VOL = 2
_BLOQUES = {signal.SIGINT, signal.SIGTERM}


def _ignorer_signaux() -> None:
    """Dans un processus de lecture : Ctrl+C ignoré, SIGTERM par défaut (il arrête le processus)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOQUES)


def _servir(canal, fonction: bytes) -> None:
    """La boucle d'un processus de lecture : un lot reçu, ses résultats rendus, jusqu'à None.

    La fonction arrive « marinée » (son module et son nom) et n'est chargée qu'une fois Ctrl+C
    ignoré : sous Windows (spawn), charger la lecture prend quelques dixièmes de seconde, et un
    Ctrl+C pendant ce temps afficherait une trace.
    """
    _ignorer_signaux()
    lire: Callable[[list[Any]], list[Any]] = pickle.loads(fonction)
    while True:
        try:
            lot = canal.recv()
        except (EOFError, OSError):
            return
        if lot is None:
            return
        try:
            reponse = (True, lire(lot))
        except Exception as exc:  # une erreur de programme : le parent la relance
            reponse = (False, exc)
        try:
            canal.send(reponse)
        except Exception:  # exception impossible à transmettre telle quelle
            canal.send((False, RuntimeError(traceback.format_exc())))


@contextlib.contextmanager
def _signaux_bloques() -> Iterator[None]:
    """Le temps de créer un processus, SIGINT et SIGTERM attendent.

    Un processus créé par fork hérite des gestionnaires du parent : sans cela, un Ctrl+C
    tombé entre sa création et `_ignorer_signaux` y lèverait `Interrompu` et afficherait une
    trace. Le masque passe au processus, qui le lève une fois ses propres gestionnaires en
    place ; le parent, lui, reçoit le signal dès la sortie du bloc.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows : le processus part de zéro (spawn)
        yield
        return
    anciens = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOQUES)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, anciens)


@dataclass
class _Lecteur:
    processus: Any
    canal: Any
    #: les lots confiés et pas encore rendus, dans l'ordre où le processus les lit
    lots: deque[list] = field(default_factory=deque)


def _demarrer(contexte, lire: Callable, lecteurs: list[_Lecteur]) -> _Lecteur:
    """Crée un processus de lecture et l'inscrit dans `lecteurs` avant qu'un signal ne passe."""
    with interruption.differer(), _signaux_bloques():
        parent, enfant = contexte.Pipe()
        processus = contexte.Process(target=_servir, args=(enfant, pickle.dumps(lire)), daemon=True)
        try:
            processus.start()
        finally:
            enfant.close()
        lecteur = _Lecteur(processus, parent)
        lecteurs.append(lecteur)
    return lecteur


def _arreter(lecteurs: list[_Lecteur]) -> None:
    """Arrête chaque processus de force et attend sa fin : aucun ne survit à l'appel."""
    with interruption.differer():
        for lecteur in lecteurs:
            if lecteur.processus.is_alive():
                lecteur.processus.kill()
        for lecteur in lecteurs:
            lecteur.processus.join(timeout=5)
            lecteur.canal.close()
        lecteurs.clear()


def _cause(processus) -> str:
    processus.join(timeout=1)
    code = processus.exitcode
    if code is None:
        return "processus arrêté"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"processus arrêté par le signal {signal.Signals(-code).name}"
    return f"processus terminé avec le code {code}"


def _attendre_fil(fil: threading.Thread | None) -> None:
    """Jamais de fork pendant qu'un fil importe ; l'attente reste interruptible."""
    while fil is not None and fil.is_alive():
        fil.join(ATTENTE)


def repartir(
    lots: list[list[T]],
    jobs: int,
    lire: Callable[[list[T]], list[R]],
    isoler: Callable[[T, str], R],
    avancer: Callable[[int], None],
    pendant: Callable[[], threading.Thread | None] | None = None,
) -> dict[T, R]:
    """Lit chaque lot sur l'un des `jobs` processus ; rend élément → résultat.

    `lire` doit être une fonction de module (transmise par son nom). `isoler
    (element, cause)` donne le résultat d'un élément qui fait tomber son processus. `pendant`
    est appelé une fois les processus créés : le fil qu'il rend est attendu avant d'en créer
    un autre. Lève `interruption.Interrompu` sans laisser de processus derrière.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    contexte = multiprocessing.get_context()
    a_faire: deque[list[T]] = deque(lots)
    resultats: dict[T, R] = {}
    lecteurs: list[_Lecteur] = []

    def confier(lecteur: _Lecteur) -> None:
        # Le lot d'avance seulement s'il en reste pour tous : en fin de lecture, aucun
        # processus ne garde deux lots pendant qu'un autre n'a plus rien.
        while a_faire and (
            not lecteur.lots or (len(lecteur.lots) < EN_VOL and len(a_faire) >= len(lecteurs))
        ):
            lot = a_faire.popleft()
            lecteur.lots.append(lot)
            with contextlib.suppress(OSError):  # processus tombé : vu à la prochaine attente
                lecteur.canal.send(lot)

    try:
        for _ in range(min(jobs, len(lots))):
            _demarrer(contexte, lire, lecteurs)
        fil = pendant() if pendant else None
        for lecteur in list(lecteurs):
            confier(lecteur)
        while occupes := [le for le in lecteurs if le.lots]:
            prets = wait(
                [le.canal for le in occupes] + [le.processus.sentinel for le in occupes], ATTENTE
            )
            for lecteur in occupes:
                if lecteur.canal not in prets and lecteur.processus.sentinel not in prets:
                    continue
                if _recevoir(lecteur, resultats, avancer):
                    confier(lecteur)
                    continue
                # Le processus est tombé en lisant son premier lot ; les suivants, jamais
                # commencés, sont rendus tels quels.
                lot, cause = lecteur.lots.popleft(), _cause(lecteur.processus)
                a_faire.extendleft(reversed(lecteur.lots))
                lecteurs.remove(lecteur)
                _arreter([lecteur])
                if len(lot) > 1:  # relire un à un pour trouver le coupable
                    a_faire.extend([element] for element in lot)
                else:
                    resultats[lot[0]] = isoler(lot[0], cause)
                    avancer(1)
                if a_faire:
                    _attendre_fil(fil)
                    confier(_demarrer(contexte, lire, lecteurs))
    finally:
        _arreter(lecteurs)
    return resultats


def _recevoir(lecteur: _Lecteur, resultats: dict, avancer: Callable[[int], None]) -> bool:
    """Range les résultats d'un lot terminé ; False si le processus est tombé en le lisant."""
    if not lecteur.canal.poll():
        return False
    try:
        reussi, valeur = lecteur.canal.recv()
    except (EOFError, OSError):
        return False
    if not reussi:
        raise valeur
    lot = lecteur.lots.popleft()
    for element, resultat in zip(lot, valeur, strict=True):
        resultats[element] = resultat
    avancer(len(lot))
    return True
