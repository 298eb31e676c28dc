"""Publier les sorties d'une opération comme un tout : toutes les nouvelles, ou rien de changé.

Les analystes recompilent souvent un dossier pendant la collecte, les sorties précédentes
ouvertes dans Excel. Écrire les fichiers un à un à leur place laisserait, au premier fichier
qui résiste, un dossier mêlant deux compilations (un sommaire neuf à côté d'un journal ancien).
Ici, chaque écrivain écrit dans un brouillon, un dossier caché créé dans le dossier de sortie
(même système de fichiers : un renommage y est immédiat et ne copie rien). Puis on vérifie que
chaque sortie existante peut être remplacée, en l'ouvrant en écriture sans rien y écrire ; si
l'une résiste, on la nomme avec ce qu'il faut faire et rien ne change. Enfin, on publie, de
l'une de deux façons.

**Par échange de dossiers** (Linux, `renameat2(RENAME_EXCHANGE)`) : un dossier frère, caché
(`.resultats.barometre-echange-…`), reçoit par liens physiques tout ce que le dossier de sortie
garde (fichiers que l'opération n'écrit pas, verrou compris) et les nouvelles sorties ; ses
données sont forcées sur le disque, puis le système échange les deux dossiers d'un seul
appel, atomique. Tué à n'importe quel moment (SIGKILL, panne de courant), le dossier montre
l'ensemble précédent entier ou le nouveau entier. L'ancien dossier, devenu le frère, est
ensuite effacé.

**Par renommages, sous manifeste** (Windows, macOS, système de fichiers sans échange ni liens
physiques, dossier trop fourni pour être reflété, dossier de travail du programme) : le
manifeste (`publication.json`, dans le brouillon) note ce qui va changer, puis chaque sortie
précédente est mise de côté dans le brouillon et la nouvelle prend sa place ; si un renommage
échoue en chemin, ceux déjà faits sont défaits. Le manifeste réécrit « publié » marque le
point de publication ; il est effacé en dernier. Tué pendant les renommages, le dossier peut
montrer un mélange : l'opération suivante, avant toute autre chose (`reprendre`), lit le
manifeste et remet les versions précédentes en place.

Dans les deux cas, l'opération suivante efface ce que l'opération tuée a laissé (brouillon,
dossier frère) et le dit (`reprendre` rend ces avis).

Sous Windows, Excel ouvre un classeur ou un CSV sans partager l'écriture ni la suppression :
tant qu'il est ouvert, l'ouvrir en écriture, le renommer ou le remplacer échoue par une
violation de partage (`PermissionError`, `winerror` 32). Un fichier en lecture seule (attribut
Windows, droits POSIX, `chattr +i` sous Linux) échoue de la même façon, avec un autre code. Les
deux cas se traitent pareil : rien n'est touché et le fichier est nommé. Sous Linux et macOS,
rien n'empêche de remplacer un fichier ouvert : le programme qui l'affiche garde l'ancien.
Un dossier (`fiches/`) se remplace en entier.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from barometre_cli.domaine.erreurs import BarometreErreur, raison_systeme
from barometre_cli.ecriture import echange, interruption
from barometre_cli.ecriture.verrou import verrouiller

#: Préfixe des brouillons : caché (point), ignoré par la découverte des fichiers.
PREFIXE_BROUILLON = ".barometre-ecriture-"
#: Violations de partage et de verrou sous Windows (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION).
_OUVERT_AILLEURS = {32, 33}


def message_irremplacable(
    chemin: Path, dossier: Path, exc: OSError, operation: str = "la compilation"
) -> str:
    """Pourquoi une sortie ne peut pas être remplacée, et quoi faire, en une phrase."""
    nom = chemin.relative_to(dossier).as_posix() if chemin.is_relative_to(dossier) else chemin.name
    rien = f"Rien n'a été modifié dans « {dossier} »."
    if getattr(exc, "winerror", None) in _OUVERT_AILLEURS:
        return (
            f"« {nom} » est ouvert dans un autre programme et ne peut pas être remplacé. "
            f"Fermez {chemin.name} dans Excel (ou le programme qui l'affiche), puis relancez "
            f"{operation}. {rien}"
        )
    if isinstance(exc, PermissionError):  # EACCES, EPERM, ou winerror 5 (lecture seule)
        return (
            f"« {nom} » est en lecture seule ou protégé ({raison_systeme(exc)}) et ne peut pas "
            f"être remplacé. Fermez {chemin.name} s'il est ouvert dans Excel, ou retirez sa "
            f"protection en lecture seule, puis relancez {operation}. {rien}"
        )
    return f"« {nom} » ne peut pas être remplacé ({raison_systeme(exc)}). {rien}"


def _fichiers(chemin: Path) -> Iterable[Path]:
    if chemin.is_dir() and not chemin.is_symlink():
        return sorted(p for p in chemin.rglob("*") if p.is_file())
    return [chemin]


def verifier_remplacables(
    dossier: Path, noms: Iterable[str | Path], operation: str = "la compilation"
) -> None:
    """Lève `BarometreErreur` si une sortie existante ne peut pas être remplacée.

    Ouvrir en écriture (en ajout, sans rien écrire) échoue exactement quand le remplacement
    échouerait sous Windows (ouvert dans Excel, lecture seule) ; sous Linux, un fichier
    `chattr +i` échoue aussi. Appelée tôt (avant de lire des milliers de classeurs) puis
    juste avant la publication.
    """
    for nom in noms:
        cible = dossier / nom
        if not os.path.lexists(cible):
            continue
        for fichier in _fichiers(cible):
            try:
                with open(fichier, "ab"):
                    pass
            except OSError as exc:
                raise BarometreErreur(
                    message_irremplacable(fichier, dossier, exc, operation)
                ) from None


class Ensemble:
    """Un brouillon dans `dossier`, publié d'un coup par `publier`, effacé sinon.

    À utiliser sous le verrou du dossier (`ecrire_ensemble` le prend) : ce qu'une opération
    tombée a laissé est repris à l'entrée (`reprendre`), et les avis qui le disent sont dans
    `avis`.
    """

    #: Faux pour publier par renommages même là où l'échange de dossiers existe (essais).
    echange = True

    def __init__(self, dossier: Path, operation: str = "la compilation") -> None:
        self.dossier = dossier
        self.operation = operation
        self.racine: Path | None = None
        self.publie = False
        #: une remise en place a échoué : le brouillon et son manifeste restent pour la reprise
        self.garder = False
        self.avis: list[str] = []

    @property
    def brouillon(self) -> Path:
        assert self.racine is not None, "Ensemble s'utilise dans un bloc with"
        return self.racine / "nouveau"

    @property
    def anciens(self) -> Path:
        assert self.racine is not None
        return self.racine / "anciens"

    def __enter__(self) -> Ensemble:
        with interruption.differer():
            self.dossier.mkdir(parents=True, exist_ok=True)
            self.avis = reprendre(self.dossier, self.operation)
            self.racine = Path(tempfile.mkdtemp(prefix=PREFIXE_BROUILLON, dir=self.dossier))
            self.brouillon.mkdir()
        return self

    def __exit__(self, *exc) -> None:
        with interruption.differer():
            if self.racine is not None and not self.publie and not self.garder:
                shutil.rmtree(self.racine, ignore_errors=True)

    def publier(self, chemins: list[Path]) -> list[Path]:
        """Met en place les `chemins` écrits dans le brouillon ; rend leurs chemins définitifs."""
        relatifs = _elements([Path(p).relative_to(self.brouillon) for p in chemins])
        verifier_remplacables(self.dossier, relatifs, self.operation)
        with interruption.differer():
            if not (self.echange and self._publier_par_echange(relatifs)):
                self._publier_par_renommages(relatifs)
        return [self.dossier / Path(p).relative_to(self.brouillon) for p in chemins]

    # --- Par échange de dossiers ------------------------------------------------------------

    def _publier_par_echange(self, relatifs: list[Path]) -> bool:
        """Publie en échangeant le dossier avec son reflet ; faux (rien de changé) si ce n'est
        pas possible ici, et la publication passe alors par les renommages."""
        assert self.racine is not None
        reel = Path(os.path.realpath(self.dossier))
        if not echange.echange_disponible() or _a_eviter(reel):
            return False
        try:
            miroir = Path(tempfile.mkdtemp(prefix=nom_miroir(reel, self.racine), dir=reel.parent))
        except OSError:  # dossier parent en lecture seule : les renommages restent possibles
            return False
        try:
            shutil.copystat(reel, miroir)
            compte = [0]
            echange.refleter(reel, miroir, set(relatifs), {self.racine.name}, compte)
            for relatif in relatifs:
                (miroir / relatif).parent.mkdir(parents=True, exist_ok=True)
                echange.lier(self.brouillon / relatif, miroir / relatif, compte)
            echange.synchroniser(miroir)
            if interruption.demandee():  # Ctrl+C pendant la préparation : rien n'a changé
                shutil.rmtree(miroir, ignore_errors=True)
                interruption.verifier()
            echange.echanger(miroir, reel)
        except OSError:  # liens physiques ou échange refusés : rien n'a changé
            shutil.rmtree(miroir, ignore_errors=True)
            return False
        self.publie = True  # point de publication : le dossier est l'ensemble nouveau, entier
        interruption.trop_tard()
        echange.synchroniser_dossier(reel.parent)
        shutil.rmtree(miroir, ignore_errors=True)  # l'ancien dossier, brouillon compris
        return True

    # --- Par renommages, sous manifeste -----------------------------------------------------

    def _publier_par_renommages(self, relatifs: list[Path]) -> None:
        assert self.racine is not None
        crees = _dossiers_a_creer(self.dossier, relatifs)
        manifeste = {
            "dossier": str(self.dossier),
            "elements": [p.as_posix() for p in relatifs],
            "crees": [p.relative_to(self.dossier).as_posix() for p in crees],
        }
        _ecrire_manifeste(self.racine / MANIFESTE, manifeste)
        faits = self._deplacer(relatifs, crees)
        if interruption.demandee():  # arrivé pendant les renommages : on défait tout
            self._annuler(faits)
            interruption.verifier()
        _ecrire_manifeste(self.racine / MANIFESTE, {**manifeste, "publie": True})
        self.publie = True  # point de publication
        interruption.trop_tard()
        _effacer_brouillon(self.racine)

    def _deplacer(self, relatifs: list[Path], crees: list[Path]) -> list[tuple[str, Path, Path]]:
        """Les renommages, notés pour pouvoir les défaire ; défaits tous si l'un échoue."""
        faits: list[tuple[str, Path, Path]] = []
        cible = self.dossier
        try:
            for parent in crees:
                parent.mkdir()
                faits.append(("cree", parent, parent))
            for relatif in relatifs:
                cible, nouveau, ancien = (
                    self.dossier / relatif,
                    self.brouillon / relatif,
                    self.anciens / relatif,
                )
                if os.path.lexists(cible):
                    ancien.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(cible, ancien)
                    faits.append(("ecarte", cible, ancien))
                os.rename(nouveau, cible)
                faits.append(("place", cible, nouveau))
        except OSError as exc:
            restes = self._annuler(faits)
            raise BarometreErreur(
                message_irremplacable(cible, self.dossier, exc, self.operation) + restes
            ) from None
        return faits

    def _annuler(self, faits: list[tuple[str, Path, Path]]) -> str:
        """Défait les renommages à rebours ; rend un avertissement si l'un n'a pas pu l'être.

        Tout défait, le manifeste n'a plus d'objet ; sinon il reste, et l'opération suivante
        finira de remettre les versions précédentes en place.
        """
        echecs = []
        for action, chemin, autre in reversed(faits):
            try:
                if action == "cree":
                    chemin.rmdir()
                elif action == "ecarte":
                    os.rename(autre, chemin)
                else:
                    os.rename(chemin, autre)
            except OSError:
                echecs.append(chemin)
        if not echecs:
            assert self.racine is not None
            (self.racine / MANIFESTE).unlink(missing_ok=True)
            return ""
        self.garder = True
        return (
            f" Attention : {len(echecs)} élément(s) n'ont pas pu être remis en place ; les "
            f"versions précédentes sont conservées dans « {self.anciens} », et la prochaine "
            f"opération sur « {self.dossier} » les remettra en place avant toute chose."
        )


#: Manifeste d'une publication par renommages, dans la racine du brouillon.
MANIFESTE = "publication.json"
#: Ce qui suit le nom du dossier de sortie dans le nom de son reflet (dossier frère caché).
SUFFIXE_MIROIR = ".barometre-echange-"


def nom_miroir(dossier: Path, racine: Path) -> str:
    """« .resultats.barometre-echange-abc123 » : le reflet porte le nom de son brouillon, ce
    qui permet de savoir, après une panne, si l'échange avait eu lieu."""
    return f".{dossier.name}{SUFFIXE_MIROIR}{racine.name.removeprefix(PREFIXE_BROUILLON)}-"


def _a_eviter(dossier: Path) -> bool:
    """Un dossier qu'on n'échange pas : un point de montage, ou le dossier de travail du
    programme (ou un de ses parents) : le shell qui l'a lancé se retrouverait dans un dossier
    effacé."""
    if os.path.ismount(dossier):
        return True
    try:
        courant = Path(os.path.realpath(os.getcwd()))
    except OSError:  # dossier de travail effacé : rien à protéger
        return False
    return courant == dossier or dossier in courant.parents


def _ecrire_manifeste(chemin: Path, contenu: dict) -> None:
    """Écrit le manifeste et le force sur le disque avant le premier renommage."""
    temporaire = chemin.with_suffix(".tmp")
    with open(temporaire, "w", encoding="utf-8") as fichier:
        json.dump(contenu, fichier, ensure_ascii=False)
        fichier.flush()
        os.fsync(fichier.fileno())
    os.replace(temporaire, chemin)
    echange.synchroniser_dossier(chemin.parent)


def _elements(relatifs: list[Path]) -> list[Path]:
    """Sans doublon ni chemin contenu dans un autre (un dossier se publie en entier)."""
    uniques = list(dict.fromkeys(relatifs))
    presents = set(uniques)  # un ensemble : des milliers de gabarits restent linéaires
    return [p for p in uniques if not any(a in presents for a in p.parents)]


def _dossiers_a_creer(dossier: Path, relatifs: list[Path]) -> list[Path]:
    """Les dossiers parents des éléments qui n'existent pas encore, du haut vers le bas."""
    crees: dict[Path, None] = {}
    for relatif in relatifs:
        manquants = []
        parent = (dossier / relatif).parent
        while not parent.exists() and parent not in crees:
            manquants.append(parent)
            parent = parent.parent
        crees.update(dict.fromkeys(reversed(manquants)))
    return list(crees)


# --- Reprendre ce qu'une opération tuée a laissé ---------------------------------------------


def reprendre(dossier: Path, operation: str = "la compilation") -> list[str]:
    """Avant toute chose, sous le verrou : remet le dossier dans un état entier et efface ce
    qu'une opération tombée a laissé ; rend les avis qui le disent (vides s'il n'y avait rien).

    - un reflet (dossier frère) : la publication par échange a été tuée ; le dossier est déjà
      entier, l'ancien ensemble si le brouillon apparié y est encore, le nouveau sinon ;
    - un brouillon à manifeste non publié : la publication par renommages a été tuée en
      chemin ; les versions précédentes sont remises en place (`BarometreErreur` si l'une
      résiste, par exemple ouverte dans Excel : on ne va pas plus loin) ;
    - un brouillon à manifeste publié : tuée pendant l'effacement des versions précédentes ;
    - un brouillon sans manifeste : tuée avant de publier quoi que ce soit.
    """
    with interruption.differer():  # Ctrl+C attend la fin de la reprise (elle est courte)
        return _reprendre(dossier, operation)


def _reprendre(dossier: Path, operation: str) -> list[str]:
    avis: list[str] = []
    reel = Path(os.path.realpath(dossier))
    prefixe = f".{reel.name}{SUFFIXE_MIROIR}"
    if reel.parent.is_dir():
        for miroir in sorted(reel.parent.glob(f"{glob.escape(prefixe)}*")):
            cle = miroir.name.removeprefix(prefixe).rsplit("-", 1)[0]
            apparie = reel / f"{PREFIXE_BROUILLON}{cle}"
            shutil.rmtree(miroir, ignore_errors=True)
            if apparie.is_dir():  # échange jamais fait : le brouillon est encore là
                shutil.rmtree(apparie, ignore_errors=True)
                avis.append(_avis(dossier, "avant"))
            else:
                avis.append(_avis(dossier, "apres"))
    if not dossier.is_dir():
        return avis
    for racine in sorted(dossier.glob(PREFIXE_BROUILLON + "*")):
        if not racine.is_dir():
            continue
        etat = _etat_manifeste(racine)
        if not any(racine.iterdir()):  # tuée juste après l'avoir créé, ou juste avant de l'ôter
            avis.append(_avis(dossier, "vide"))
        elif etat == "en cours":
            remis = _remettre_en_place(dossier, racine, operation)
            avis.append(_avis(dossier, "defaite" if remis else "avant", remis))
        else:
            avis.append(_avis(dossier, "apres" if etat == "publie" else "avant"))
        _effacer_brouillon(racine)
    return avis


def _avis(dossier: Path, cas: str, remis: int = 0) -> str:
    """Ce que l'opération suivante dit d'une opération tuée, selon où elle en était."""
    debut = f"Une opération précédente sur « {dossier} » a été interrompue"
    if cas == "apres":
        return (
            f"{debut} à la toute fin : le dossier contient ses nouvelles sorties, complètes ; "
            "ses fichiers de travail cachés (les versions précédentes) ont été effacés."
        )
    if cas == "vide":
        return f"{debut} ; son dossier de travail caché, vide, a été effacé."
    if cas == "defaite":
        return (
            f"{debut} pendant la mise en place de ses sorties : {remis} élément(s) ont retrouvé "
            "leur version précédente, le dossier contient de nouveau les sorties précédentes, "
            "entières, et ses fichiers de travail cachés ont été effacés."
        )
    return (
        f"{debut} avant d'avoir mis en place ses sorties : le dossier contient les sorties "
        "précédentes, intactes ; ses fichiers de travail cachés ont été effacés."
    )


def _etat_manifeste(racine: Path) -> str:
    """« en cours » (renommages commencés), « publie » (point de publication passé) ou « »."""
    chemin = racine / MANIFESTE
    if not chemin.exists():
        return ""
    try:
        publie = json.loads(chemin.read_text(encoding="utf-8")).get("publie") is True
    except (OSError, ValueError, AttributeError):
        publie = False  # illisible : `_remettre_en_place` le dira
    return "publie" if publie else "en cours"


def _effacer_brouillon(racine: Path) -> None:
    """Efface un brouillon, son manifeste en dernier : tué en chemin, le manifeste dit encore
    où en était la publication."""
    for enfant in racine.iterdir():
        if enfant.name != MANIFESTE:
            if enfant.is_dir() and not enfant.is_symlink():
                shutil.rmtree(enfant, ignore_errors=True)
            else:
                enfant.unlink(missing_ok=True)
    (racine / MANIFESTE).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        racine.rmdir()


def _remettre_en_place(dossier: Path, racine: Path, operation: str) -> int:
    """Défait une publication par renommages tuée en chemin, d'après son manifeste ; rend le
    nombre d'éléments remis. Chaque étape regarde l'état du disque : refaite après une seconde
    panne, elle reprend où elle en était."""
    try:
        contenu = json.loads((racine / MANIFESTE).read_text(encoding="utf-8"))
        elements = [Path(p) for p in contenu["elements"]]
        crees = [Path(p) for p in contenu.get("crees", [])]
    except (OSError, ValueError, KeyError, TypeError):
        raise BarometreErreur(
            f"Le manifeste « {racine / MANIFESTE} » d'une publication interrompue est illisible : "
            f"vérifiez le contenu de « {dossier} » (les versions précédentes sont dans "
            f"« {racine / 'anciens'} », les nouvelles dans « {racine / 'nouveau'} »), puis "
            f"effacez « {racine.name} » et relancez {operation}."
        ) from None
    remis = 0
    for relatif in reversed(elements):
        cible = dossier / relatif
        nouveau, ancien = racine / "nouveau" / relatif, racine / "anciens" / relatif
        change = False
        try:
            if not os.path.lexists(nouveau) and os.path.lexists(cible):
                nouveau.parent.mkdir(parents=True, exist_ok=True)
                os.rename(cible, nouveau)  # la nouvelle version était en place : retirée
                change = True
            if os.path.lexists(ancien):
                os.rename(ancien, cible)  # la version précédente reprend sa place
                change = True
        except OSError as exc:
            raise BarometreErreur(
                f"Une opération précédente sur « {dossier} » a été interrompue pendant la mise "
                f"en place de ses sorties, et « {relatif.as_posix()} » ne peut pas retrouver sa "
                f"version précédente ({raison_systeme(exc)}). Fermez {cible.name} s'il est "
                f"ouvert dans Excel, puis relancez {operation} : les versions précédentes "
                f"attendent dans « {racine / 'anciens'} » et seront remises en place avant "
                "toute chose."
            ) from None
        remis += change
    for parent in reversed(crees):
        with contextlib.suppress(OSError):
            (dossier / parent).rmdir()
    return remis


def ecrire_ensemble(
    dossier: Path,
    ecrire: Callable[[Path], list[Path]],
    operation: str = "la compilation",
) -> list[Path]:
    """Verrouille `dossier`, appelle `ecrire(brouillon)`, puis publie ce qu'il rend, d'un coup.

    Ce que `ecrire` rend (fichiers ou dossiers du brouillon) remplace les éléments de même
    nom du dossier ; rien d'autre n'est touché. Si `ecrire` échoue, ou si une sortie ne peut
    pas être remplacée, le dossier reste tel quel.
    """
    with verrouiller(dossier, operation), Ensemble(dossier, operation) as ensemble:
        return ensemble.publier(ecrire(ensemble.brouillon))


__all__ = [
    "Ensemble",
    "ecrire_ensemble",
    "message_irremplacable",
    "verifier_remplacables",
    "verrouiller",
]
