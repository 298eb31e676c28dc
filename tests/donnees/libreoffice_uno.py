"""Piloter un vrai LibreOffice Calc réglé en français (Canada), comme une personne qui saisit.

Sert aux tests et aux scripts qui fabriquent des classeurs de test :

    with Calc() as calc:
        doc = calc.ouvrir("gabarits/barometre-cible-1.1.xlsx")   # ouvre une copie
        doc.taper("Saisie", "C13", "1 234")                     # analysé en fr-CA → 1234
        doc.enregistrer_xlsx("sortie.xlsx")
        assert doc.texte_affiche("Saisie", "C13") == "1 234"

`import uno` ne marche qu'avec le Python de Debian (`/usr/bin/python3`, paquet `python3-uno`),
pas avec celui du projet. Ce module-ci tourne sous le Python du projet, bibliothèque standard
seulement : il démarre son propre `soffice` (sans interface, profil privé et jetable réglé en
fr-CA, port libre sur 127.0.0.1), puis lance `_agent_uno.py` sous `/usr/bin/python3` et lui parle
en JSON, une ligne par requête. À la sortie du `with` (erreur comprise), il arrête l'agent puis
tue le groupe de processus de `soffice` par son PID. Chaque requête a un délai : un LibreOffice
bloqué (boîte de dialogue invisible…) devient une `ErreurCalc`, pas un test qui ne finit jamais.

La saisie passe par `.uno:EnterString` sur la cellule sélectionnée : Calc analyse le texte dans la
locale du profil, comme au clavier. Jamais `setFormula`/`setString`, qui analysent en en-US.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ICI = Path(__file__).resolve().parent
AGENT = ICI / "_agent_uno.py"
# Le Python où `import uno` marche ; surchargeable pour une autre distribution.
PYTHON_UNO = os.environ.get("BAROMETRE_PYTHON_UNO", "/usr/bin/python3")
LOCALE = "fr-CA"

PROFIL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="DecimalSeparatorAsLocale" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupCurrency" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="DateAcceptancePatterns" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowTipOfTheDay" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/AutoSave"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ErreurCalc(RuntimeError):
    """LibreOffice a échoué, refusé l'action, ou n'a pas répondu à temps."""


class CalcIndisponible(ErreurCalc):
    """`soffice` ou le Python de Debian avec `uno` manque sur cette machine."""


class CelluleProtegee(ErreurCalc):
    """Saisie dans une cellule verrouillée d'une feuille protégée : Calc la refuse."""


class FeuilleProtegee(ErreurCalc):
    """Insertion, suppression de lignes ou tri sur une feuille protégée : Calc les refuse."""


ERREURS = {c.__name__: c for c in (ErreurCalc, CelluleProtegee, FeuilleProtegee)}


@cache
def raison_indisponible() -> str | None:
    """Pourquoi le banc ne peut pas tourner ici (pour `pytest.skip`), ou None s'il le peut."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) absent : apt-get install libreoffice-calc"
    if not Path(PYTHON_UNO).is_file():
        return f"{PYTHON_UNO} absent : le pont UNO demande le Python de Debian et python3-uno"
    essai = subprocess.run(
        [PYTHON_UNO, "-c", "import uno, unohelper"], capture_output=True, text=True, timeout=60
    )
    if essai.returncode != 0:
        return f"`import uno` échoue sous {PYTHON_UNO} (apt-get install python3-uno)"
    return None


def pages_pdf(chemin: str | os.PathLike) -> int:
    """Nombre de pages d'un PDF : `pdfinfo` (poppler-utils) s'il est là, sinon l'arbre des pages."""
    if shutil.which("pdfinfo"):
        sortie = subprocess.run(
            ["pdfinfo", str(chemin)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        trouve = re.search(r"^Pages:\s+(\d+)\s*$", sortie, re.MULTILINE)
        if trouve:
            return int(trouve.group(1))
    # LibreOffice écrit un PDF non compressé au niveau des objets : la racine /Pages porte
    # le total (/Count), et les nœuds intermédiaires ont aussi un /Count ; le plus grand gagne.
    octets = Path(chemin).read_bytes()
    comptes = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", octets)]
    comptes += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", octets)]
    if not comptes:
        raise ErreurCalc(f"nombre de pages introuvable dans {chemin}")
    return max(comptes)


def _port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _membres_du_groupe(groupe: int) -> list[int]:
    """PID vivants (non zombies) du groupe de processus, lus dans /proc."""
    membres = []
    for entree in Path("/proc").iterdir():
        if not entree.name.isdigit():
            continue
        try:
            stat = (entree / "stat").read_text()
        except OSError:
            continue
        champs = stat[stat.rindex(")") + 2 :].split()  # après « pid (comm) »
        if champs[0] != "Z" and int(champs[2]) == groupe:
            membres.append(int(entree.name))
    return membres


@dataclass(frozen=True)
class Cellule:
    """Ce que Calc montre d'une cellule."""

    type: str  # vide, nombre, texte, formule
    valeur: float | str | None  # nombre, texte, ou résultat d'une formule
    texte: str  # texte affiché, mis en forme (cell.getString())
    formule: str  # syntaxe de l'API (anglaise), « =C13/C14 »
    format: str  # code de format tel que Calc l'affiche dans la locale du format
    format_locale: str  # "" = locale du document (fr-CA ici)
    verrouillee: bool
    commentaire: str = ""  # le texte du commentaire de la cellule, s'il y en a un
    fond: int = -1  # couleur de fond (0xRRGGBB), -1 si transparente


class Calc:
    """Un `soffice` privé, réglé en fr-CA, et son agent UNO. S'utilise avec `with`."""

    def __init__(
        self,
        *,
        delai_demarrage: float = 60.0,
        delai_action: float = 60.0,
        verifier_locale: bool = True,
    ):
        self.delai_demarrage = delai_demarrage
        self.delai_action = delai_action
        self.verifier = verifier_locale
        self.dossier: Path | None = None
        self._soffice: subprocess.Popen | None = None
        self._agent: subprocess.Popen | None = None
        self._reponses: queue.Queue = queue.Queue()
        self._verrou = threading.Lock()
        self._copies = 0
        self._finaliseur: weakref.finalize | None = None
        self._fichiers: list = []  # journaux de soffice et de l'agent, à fermer
        self._lecteur: threading.Thread | None = None

    # --- cycle de vie ---------------------------------------------------------------------

    def __enter__(self) -> Calc:
        self.demarrer()
        return self

    def __exit__(self, *exc) -> None:
        self.arreter()

    def demarrer(self) -> None:
        raison = raison_indisponible()
        if raison:
            raise CalcIndisponible(raison)
        if self._soffice is not None:
            raise ErreurCalc("ce Calc est déjà démarré")
        self._reponses = queue.Queue()
        self.dossier = Path(tempfile.mkdtemp(prefix="barometre-calc-"))
        profil = self.dossier / "profil"
        (profil / "user").mkdir(parents=True)
        (profil / "user" / "registrymodifications.xcu").write_text(
            PROFIL.format(locale=LOCALE), encoding="utf-8"
        )
        port = _port_libre()
        journal_soffice = open(self.dossier / "soffice.log", "wb")  # noqa: SIM115
        journal_agent = open(self.dossier / "agent.log", "wb")  # noqa: SIM115
        self._fichiers = [journal_soffice, journal_agent]
        env = {
            **os.environ,
            # La locale vient du profil, pas de l'environnement : on neutralise ce dernier.
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            # Pas de fichiers « .~lock.x.xlsx# » : un soffice tué les laisserait derrière lui,
            # et le suivant refuserait alors d'ouvrir le fichier sans rien dire.
            "SAL_ENABLE_FILE_LOCKING": "0",
        }
        try:
            self._soffice = subprocess.Popen(
                [
                    shutil.which("soffice") or "soffice",
                    f"-env:UserInstallation={profil.as_uri()}",
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--norestore",
                    "--nodefault",
                    "--nolockcheck",
                    f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=journal_soffice,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # son propre groupe : on le tue d'un coup par son PID
            )
            # Filet si arreter() n'est jamais appelé : à la collecte de l'objet ou à la sortie.
            self._finaliseur = weakref.finalize(self, Calc._nettoyer_urgence, self._soffice.pid)
            self._agent = subprocess.Popen(
                [
                    PYTHON_UNO,
                    str(AGENT),
                    f"--port={port}",
                    f"--delai={self.delai_demarrage}",
                    f"--groupe={self._soffice.pid}",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=journal_agent,
                env=env,
                text=True,
                encoding="utf-8",
                start_new_session=True,
            )
            self._lecteur = threading.Thread(target=self._lire_reponses, daemon=True)
            self._lecteur.start()
            self._attendre_demarrage()
            if self.verifier:
                self.verifier_locale()
        except BaseException:
            self.arreter()
            raise

    def arreter(self) -> None:
        """Ferme les documents, arrête l'agent, puis tue le groupe de soffice ; sans exception."""
        agent, soffice = self._agent, self._soffice
        self._agent = self._soffice = None
        poli = False  # soffice a-t-il accepté de se terminer de lui-même ?
        if agent is not None:
            if agent.poll() is None and soffice is not None:
                with contextlib.suppress(Exception):
                    self._envoyer(agent, "terminer", {}, 15, abandonner=False)
                    poli = True
            with contextlib.suppress(Exception):
                agent.stdin.close()
            try:
                agent.wait(timeout=5)
            except subprocess.TimeoutExpired:
                agent.kill()
                agent.wait()
            if self._lecteur is not None:
                self._lecteur.join(timeout=5)
            with contextlib.suppress(Exception):
                agent.stdout.close()
        if soffice is not None:
            groupe = soffice.pid
            limite = time.monotonic() + (10 if poli else 0)
            # Le meneur n'est pas récolté (pas de poll/wait) avant killpg : tant qu'il reste
            # zombie, son PID, donc le numéro du groupe, ne peut pas servir à un autre processus.
            while _membres_du_groupe(groupe) and time.monotonic() < limite:
                time.sleep(0.1)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if not _membres_du_groupe(groupe):
                    break
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(groupe, sig)
                time.sleep(0.5)
            soffice.wait()
        for fichier in self._fichiers:
            fichier.close()
        self._fichiers = []
        if self._finaliseur is not None:
            self._finaliseur.detach()
            self._finaliseur = None
        if self.dossier is not None:
            shutil.rmtree(self.dossier, ignore_errors=True)
            self.dossier = None

    @staticmethod
    def _nettoyer_urgence(groupe: int) -> None:
        """Filet de sécurité si `arreter()` n'a pas été appelé (objet oublié, fin du programme)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(groupe, signal.SIGKILL)

    # --- protocole ------------------------------------------------------------------------

    def _attendre_demarrage(self) -> None:
        """Attend « pret » de l'agent, en surveillant soffice : s'il meurt, inutile d'attendre."""
        assert self._soffice is not None
        limite = time.monotonic() + self.delai_demarrage + 10
        while self._reponses.empty() and time.monotonic() < limite:
            # WNOWAIT : savoir si le meneur est sorti sans le récolter (voir arreter()).
            etat = os.waitid(os.P_PID, self._soffice.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            if etat is not None:
                journal = self._journaux()
                self._abandonner()
                raise ErreurCalc(
                    f"soffice s'est arrêté au démarrage (code {etat.si_status}).\n{journal}"
                )
            time.sleep(0.05)
        self._attendre(1, "démarrage de soffice")

    def _lire_reponses(self) -> None:
        agent = self._agent
        assert agent is not None and agent.stdout is not None
        for ligne in agent.stdout:
            self._reponses.put(ligne)
        self._reponses.put(None)  # fin : l'agent est mort

    def _attendre(self, delai: float, quoi: str, abandonner: bool = True) -> Any:
        try:
            ligne = self._reponses.get(timeout=delai)
        except queue.Empty:
            if abandonner:
                self._abandonner()
            raise ErreurCalc(f"LibreOffice n'a pas répondu en {delai:.0f} s ({quoi})") from None
        if ligne is None:
            journal = self._journaux()
            if abandonner:
                self._abandonner()
            raise ErreurCalc(f"l'agent UNO s'est arrêté ({quoi}).\n{journal}")
        reponse = json.loads(ligne)
        if not reponse["ok"]:
            classe = ERREURS.get(reponse["erreur"], ErreurCalc)
            raise classe(
                reponse["message"] + ("\n" + reponse["trace"] if "trace" in reponse else "")
            )
        return reponse["resultat"]

    def _abandonner(self) -> None:
        """Plus rien à espérer de cette instance : tout tuer, sans politesse."""
        if self._agent is not None:
            self._agent.kill()
        if self._soffice is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._soffice.pid, signal.SIGKILL)
        self.arreter()

    def _journaux(self) -> str:
        if self.dossier is None:
            return ""
        morceaux = []
        for nom in ("agent.log", "soffice.log"):
            chemin = self.dossier / nom
            if chemin.exists():
                texte = chemin.read_text(errors="replace").strip()
                if texte:
                    morceaux.append(f"--- {nom}\n{texte[-3000:]}")
        return "\n".join(morceaux)

    def _envoyer(
        self, agent: subprocess.Popen, op: str, args: dict, delai: float, abandonner: bool = True
    ) -> Any:
        assert agent.stdin is not None
        agent.stdin.write(json.dumps({"op": op, "args": args}, ensure_ascii=False) + "\n")
        agent.stdin.flush()
        return self._attendre(delai, op, abandonner)

    def requete(self, op: str, **args: Any) -> Any:
        """Une opération de l'agent (voir `_agent_uno.py`, méthodes `op_*`)."""
        with self._verrou:
            if self._agent is None:
                raise ErreurCalc("Calc n'est pas démarré (utiliser `with Calc() as calc:`)")
            try:
                return self._envoyer(self._agent, op, args, self.delai_action)
            except BrokenPipeError:
                journal = self._journaux()
                self._abandonner()
                raise ErreurCalc(f"l'agent UNO ne répond plus ({op}).\n{journal}") from None

    # --- documents ------------------------------------------------------------------------

    def ouvrir(self, chemin: str | os.PathLike) -> Document:
        """Ouvre une copie du fichier (l'original n'est jamais touché ni verrouillé)."""
        source = Path(chemin).resolve()
        if not source.is_file():
            raise FileNotFoundError(source)
        assert self.dossier is not None
        self._copies += 1
        copie = self.dossier / f"ouverts/{self._copies}/{source.name}"
        copie.parent.mkdir(parents=True)
        shutil.copyfile(source, copie)
        return Document(self, self.requete("ouvrir", chemin=str(copie)), source.name)

    def nouveau(self) -> Document:
        """Un classeur vierge, comme Fichier > Nouveau > Classeur."""
        return Document(self, self.requete("nouveau"), "Sans nom")

    def configuration(self, chemin: str = "/org.openoffice.Setup/L10N") -> dict[str, Any]:
        """Valeurs d'un nœud de configuration du profil, lues dans LibreOffice."""
        return self.requete("config", chemin=chemin)

    def verifier_locale(self) -> dict[str, Cellule]:
        """Tape quatre saisies témoins dans un classeur vierge ; ErreurCalc si ce n'est pas fr-CA."""
        attendu = {
            "10,5": (10.5, "Standard"),
            "1 234": (1234.0, "Standard"),
            "75 %": (0.75, "0,00 %"),
            "2019-06-03": (43619.0, "AAAA-MM-JJ"),
        }
        lus: dict[str, Cellule] = {}
        with self.nouveau() as doc:
            feuille = doc.feuilles()[0]
            for ligne, texte in enumerate(attendu, start=1):
                doc.taper(feuille, f"A{ligne}", texte)
                lus[texte] = doc.lire(feuille, f"A{ligne}")
        ecarts = {
            t: (c.valeur, c.format)
            for t, c in lus.items()
            if c.type != "nombre"
            or c.valeur != attendu[t][0]
            or c.format.replace('" "', " ").replace("\u00a0", " ") != attendu[t][1]
        }
        if ecarts:
            raise ErreurCalc(f"le profil n'analyse pas les saisies en {LOCALE} : {ecarts}")
        return lus


class Document:
    """Un classeur ouvert dans Calc. Feuilles par nom, cellules en notation A1 (« C13 »)."""

    def __init__(self, calc: Calc, numero: int, nom: str):
        self.calc = calc
        self.numero = numero
        self.nom = nom

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(ErreurCalc):
            self.fermer()

    def __repr__(self) -> str:
        return f"<Document {self.numero} {self.nom}>"

    def _r(self, op: str, **args: Any) -> Any:
        return self.calc.requete(op, doc=self.numero, **args)

    # --- saisie et édition, comme au clavier ----------------------------------------------

    def taper(self, feuille: str, cellule: str, texte: str) -> None:
        """Sélectionne la cellule et y entre le texte (.uno:EnterString), analysé en fr-CA.

        Comme Entrée au clavier, sauf deux choses : la validation de données n'est PAS appliquée
        (Calc 7.4 accepte « douze » dans une cellule « nombre entier ») et l'autocomplétion ni
        l'autocorrection ne jouent. Lève CelluleProtegee sur une cellule verrouillée d'une
        feuille protégée (Calc y refuse toute saisie).
        """
        if "\n" in texte or "\t" in texte:
            raise ValueError("une seule ligne, sans tabulation, par cellule")
        self._r("taper", feuille=feuille, cellule=cellule, texte=texte)

    def commande(self, feuille: str, plage: str, commande: str, **args: Any) -> None:
        """Sélectionne la plage et lance une commande de menu, comme un raccourci clavier :
        `.uno:ResetAttributes` (Format > Effacer le formatage direct, Ctrl+M),
        `.uno:ClearContents` (touche Suppr). Sans effet visible si Calc la refuse."""
        self._r("commande", feuille=feuille, plage=plage, commande=commande, args=args)

    def coller_texte(self, feuille: str, cellule: str, texte: str) -> None:
        """Colle un texte brut (presse-papiers + .uno:Paste) : contourne la validation de données."""
        if "\n" in texte or "\t" in texte:
            raise ValueError("une seule ligne sans tabulation : sinon Calc ouvre l'import de texte")
        self._r("coller_texte", feuille=feuille, cellule=cellule, texte=texte)

    def inserer_lignes(
        self, feuille: str, ligne: int, nombre: int = 1, *, essayer: bool = False
    ) -> bool:
        """Insère `nombre` lignes au-dessus de `ligne` (1 = première), comme Insérer des lignes.

        Sur une feuille protégée, lève FeuilleProtegee, sauf avec `essayer` : Calc tente
        l'insertion (une protection peut la permettre) ; rend vrai si des lignes ont été
        insérées."""
        return self._r(
            "inserer_lignes", feuille=feuille, ligne=ligne, nombre=nombre, essayer=essayer
        )

    def supprimer_lignes(self, feuille: str, ligne: int, nombre: int = 1) -> None:
        """Supprime les lignes `ligne` à `ligne + nombre - 1`."""
        self._r("supprimer_lignes", feuille=feuille, ligne=ligne, nombre=nombre)

    def trier(
        self,
        feuille: str,
        plage: str,
        colonne: int | str = 1,
        *,
        croissant: bool = True,
        entete: bool = False,
    ) -> None:
        """Trie les lignes de la plage selon une colonne : lettre (« C ») ou rang dans la plage (1 = première)."""
        if isinstance(colonne, str):
            debut = re.match(r"\$?([A-Za-z]+)", plage.split("!")[-1])
            assert debut, plage
            colonne = _numero_colonne(colonne) - _numero_colonne(debut.group(1)) + 1
        self._r(
            "trier",
            feuille=feuille,
            plage=plage,
            colonne=colonne - 1,
            croissant=croissant,
            entete=entete,
        )

    def proteger(self, feuille: str, mot_de_passe: str = "") -> None:
        self._r("proteger", feuille=feuille, mot_de_passe=mot_de_passe)

    def deproteger(self, feuille: str, mot_de_passe: str = "") -> None:
        """Ôte la protection de la feuille (les gabarits la posent sans mot de passe)."""
        self._r("deproteger", feuille=feuille, mot_de_passe=mot_de_passe)

    def protegee(self, feuille: str) -> bool:
        return self._r("protegee", feuille=feuille)

    def recalculer(self) -> None:
        self._r("recalculer")

    # --- lecture --------------------------------------------------------------------------

    def feuilles(self) -> list[str]:
        return self._r("feuilles")

    def lire(self, feuille: str, cellule: str) -> Cellule:
        return Cellule(**self._r("lire", feuille=feuille, cellule=cellule))

    def texte_affiche(self, feuille: str, cellule: str) -> str:
        """Le texte que voit la personne : valeur mise en forme par Calc (cell.getString())."""
        return self.lire(feuille, cellule).texte

    def valeur(self, feuille: str, cellule: str) -> float | str | None:
        return self.lire(feuille, cellule).valeur

    def formule(self, feuille: str, cellule: str) -> str:
        return self.lire(feuille, cellule).formule

    def format_nombre(self, feuille: str, cellule: str) -> str:
        return self.lire(feuille, cellule).format

    # --- enregistrement -------------------------------------------------------------------

    def enregistrer_xlsx(
        self, chemin: str | os.PathLike, *, garder_date: bool = True, zip_stable: bool = False
    ) -> Path:
        """Enregistre une copie au format « Calc MS Excel 2007 XML » ; le document reste ouvert.

        `garder_date` : la date de modification du fichier ouvert est conservée (sinon Calc
        inscrit « maintenant »). `zip_stable` : réécrit le conteneur avec des horodatages fixes
        (le contenu XML reste celui de Calc), pour des fichiers de test identiques octet pour
        octet d'une fabrication à l'autre.
        """
        chemin = Path(chemin).resolve()
        chemin.parent.mkdir(parents=True, exist_ok=True)
        self._r("enregistrer_xlsx", chemin=str(chemin), garder_date=garder_date)
        if zip_stable:
            stabiliser_zip(chemin)
        return chemin

    def enregistrer_ods(
        self,
        chemin: str | os.PathLike,
        *,
        garder_date: bool = True,
        zip_stable: bool = False,
        mot_de_passe: str = "",
    ) -> Path:
        """Enregistre une copie au format « Classeur ODF » (.ods, filtre calc8), comme le
        répondant qui répond « Utiliser le format ODF ! » ; le document reste ouvert.

        Mêmes options que `enregistrer_xlsx` ; `mot_de_passe` chiffre le contenu comme la case
        « Enregistrer avec mot de passe ».
        """
        chemin = Path(chemin).resolve()
        chemin.parent.mkdir(parents=True, exist_ok=True)
        self._r(
            "enregistrer_ods",
            chemin=str(chemin),
            garder_date=garder_date,
            mot_de_passe=mot_de_passe,
        )
        if zip_stable:
            stabiliser_zip(chemin)
        return chemin

    def exporter_pdf(self, chemin: str | os.PathLike) -> int:
        """Exporte tout le classeur en PDF (comme Fichier > Exporter en PDF) ; rend le nombre de pages."""
        chemin = Path(chemin).resolve()
        chemin.parent.mkdir(parents=True, exist_ok=True)
        self._r("exporter_pdf", chemin=str(chemin))
        return pages_pdf(chemin)

    def fermer(self) -> None:
        self._r("fermer")


def _numero_colonne(lettres: str) -> int:
    n = 0
    for c in lettres.upper():
        n = n * 26 + ord(c) - ord("A") + 1
    return n


def stabiliser_zip(chemin: Path, date: tuple[int, ...] = (2026, 1, 1, 0, 0, 0)) -> None:
    """Réécrit un .xlsx ou un .ods avec des horodatages d'entrées fixes, mêmes entrées, même ordre.

    Le `mimetype` d'un .ods reste non compressé, comme OpenDocument l'exige.
    """
    import zipfile

    temporaire = chemin.with_suffix(chemin.suffix + ".tmp")
    with zipfile.ZipFile(chemin) as source, zipfile.ZipFile(temporaire, "w") as cible:
        for info in source.infolist():
            neuve = zipfile.ZipInfo(info.filename, date_time=date)
            neuve.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            neuve.external_attr = 0o600 << 16
            cible.writestr(neuve, source.read(info))
    temporaire.replace(chemin)
