"""Agent UNO : tourne sous le Python de Debian (`/usr/bin/python3`), le seul où `import uno` marche.

Ne pas l'importer depuis le projet : `libreoffice_uno.py` le lance en sous-processus, lui passe le
port du `soffice` qu'il a démarré, puis lui envoie une requête JSON par ligne sur l'entrée standard
(`{"op": "taper", "args": {...}}`) ; l'agent répond une ligne JSON par requête
(`{"ok": true, "resultat": ...}` ou `{"ok": false, "erreur": "CelluleProtegee", "message": ...}`).

Bibliothèque standard et `uno` seulement. Si l'entrée standard se ferme (le processus du projet est
mort), l'agent tue le groupe de processus de `soffice` qu'on lui a confié, puis sort.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
import traceback

import uno
import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.datatransfer import DataFlavor, XTransferable
from com.sun.star.table import TableSortField

FILTRE_XLSX = "Calc MS Excel 2007 XML"
FILTRE_ODS = "calc8"
FILTRE_PDF = "calc_pdf_Export"
TYPES = {"EMPTY": "vide", "VALUE": "nombre", "TEXT": "texte", "FORMULA": "formule"}


class ErreurAgent(Exception):
    """Erreur à renvoyer au projet sous un nom de classe connu de lui."""

    def __init__(self, nom: str, message: str):
        super().__init__(message)
        self.nom = nom


def pv(nom: str, valeur) -> PropertyValue:
    p = PropertyValue()
    p.Name = nom
    p.Value = valeur
    return p


class TexteAColler(unohelper.Base, XTransferable):
    """Un texte brut dans le presse-papiers, comme copié depuis un autre logiciel."""

    def __init__(self, texte: str):
        self.texte = texte

    def _saveur(self) -> DataFlavor:
        saveur = DataFlavor()
        saveur.MimeType = "text/plain;charset=utf-16"
        saveur.HumanPresentableName = "Unicode-Text"
        saveur.DataType = uno.getTypeByName("string")
        return saveur

    def getTransferData(self, flavor):
        return self.texte

    def getTransferDataFlavors(self):
        return (self._saveur(),)

    def isDataFlavorSupported(self, flavor):
        return flavor.MimeType.startswith("text/plain")


class Agent:
    def __init__(self, port: int, delai: float):
        local = uno.getComponentContext()
        resolveur = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
        limite = time.monotonic() + delai
        while True:
            try:
                self.ctx = resolveur.resolve(url)
                break
            except Exception as exc:
                if time.monotonic() > limite:
                    raise ErreurAgent(
                        "ErreurCalc", f"soffice ne répond pas sur le port {port} après {delai} s"
                    ) from exc
                time.sleep(0.1)
        self.smgr = self.ctx.ServiceManager
        self.bureau = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.repartiteur = self.smgr.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", self.ctx
        )
        self.docs: dict[int, object] = {}
        self.dates: dict[int, object] = {}
        self.suivant = 1

    # --- outils ---------------------------------------------------------------------------

    def _doc(self, doc: int):
        try:
            return self.docs[doc]
        except KeyError:
            raise ErreurAgent("ErreurCalc", f"document {doc} inconnu ou fermé") from None

    def _feuille(self, doc: int, feuille: str):
        d = self._doc(doc)
        if not d.Sheets.hasByName(feuille):
            raise ErreurAgent(
                "ErreurCalc", f"feuille « {feuille} » absente : {d.Sheets.ElementNames}"
            )
        return d, d.Sheets.getByName(feuille)

    def _selectionner(self, doc: int, feuille: str, plage: str):
        d, f = self._feuille(doc, feuille)
        controleur = d.CurrentController
        controleur.setActiveSheet(f)
        cible = f.getCellRangeByName(plage)
        controleur.select(cible)
        return d, f, cible

    def _commande(self, d, commande: str, *args: PropertyValue) -> None:
        self.repartiteur.executeDispatch(d.CurrentController.Frame, commande, "", 0, tuple(args))

    def _verifier_modifiable(self, f, cellule, plage: str) -> None:
        if f.isProtected() and cellule.CellProtection.IsLocked:
            raise ErreurAgent(
                "CelluleProtegee",
                f"{f.Name}!{plage} est verrouillée sur une feuille protégée : Calc refuse la saisie",
            )

    def _verifier_feuille(self, f, action: str) -> None:
        if f.isProtected():
            raise ErreurAgent(
                "FeuilleProtegee", f"« {f.Name} » est protégée : Calc refuse {action}"
            )

    def _ouvrir_url(self, url: str, *options: PropertyValue):
        options = (
            pv("Hidden", True),
            pv("MacroExecutionMode", 0),  # NEVER_EXECUTE
            pv("UpdateDocMode", 0),  # NO_UPDATE : pas de question sur les liens externes
            *options,
        )
        d = self.bureau.loadComponentFromURL(url, "_blank", 0, options)
        if d is None:
            raise ErreurAgent("ErreurCalc", f"Calc n'a pas pu ouvrir {url}")
        numero = self.suivant
        self.suivant += 1
        self.docs[numero] = d
        props = d.DocumentProperties
        self.dates[numero] = props.ModificationDate
        return numero

    # --- opérations -----------------------------------------------------------------------

    def op_config(self, chemin: str) -> dict:
        fournisseur = self.smgr.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx
        )
        acces = fournisseur.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess", (pv("nodepath", chemin),)
        )
        valeurs = {}
        for nom in acces.ElementNames:
            v = acces.getByName(nom)
            valeurs[nom] = v if isinstance(v, str | bool | int | float) or v is None else str(v)
        return valeurs

    def op_ouvrir(self, chemin: str) -> int:
        return self._ouvrir_url(uno.systemPathToFileUrl(chemin))

    def op_nouveau(self) -> int:
        return self._ouvrir_url("private:factory/scalc")

    def op_fermer(self, doc: int) -> None:
        d = self.docs.pop(doc, None)
        self.dates.pop(doc, None)
        if d is not None:
            d.close(True)

    def op_feuilles(self, doc: int) -> list[str]:
        return list(self._doc(doc).Sheets.ElementNames)

    def op_taper(self, doc: int, feuille: str, cellule: str, texte: str) -> None:
        d, f, c = self._selectionner(doc, feuille, cellule)
        self._verifier_modifiable(f, c, cellule)
        self._commande(d, ".uno:EnterString", pv("StringName", texte))

    def op_commande(
        self, doc: int, feuille: str, plage: str, commande: str, args: dict | None = None
    ) -> None:
        """Sélectionne la plage puis lance une commande de menu (`.uno:ResetAttributes`…)."""
        d, _, _ = self._selectionner(doc, feuille, plage)
        self._commande(d, commande, *(pv(k, v) for k, v in (args or {}).items()))

    def op_coller_texte(self, doc: int, feuille: str, cellule: str, texte: str) -> None:
        d, f, c = self._selectionner(doc, feuille, cellule)
        self._verifier_modifiable(f, c, cellule)
        presse_papiers = self.smgr.createInstanceWithContext(
            "com.sun.star.datatransfer.clipboard.SystemClipboard", self.ctx
        )
        presse_papiers.setContents(TexteAColler(texte), None)
        self._commande(d, ".uno:Paste")

    def _lignes(
        self, doc: int, feuille: str, ligne: int, nombre: int, action: str, essayer: bool = False
    ):
        if ligne < 1 or nombre < 1:
            raise ErreurAgent("ErreurCalc", f"ligne {ligne} et nombre {nombre} doivent être ≥ 1")
        d, f = self._feuille(doc, feuille)
        if not essayer:
            self._verifier_feuille(f, action)
        self._selectionner(doc, feuille, f"A{ligne}:A{ligne + nombre - 1}")
        return d

    def op_inserer_lignes(
        self, doc: int, feuille: str, ligne: int, nombre: int, essayer: bool = False
    ) -> bool:
        """Insère des lignes ; `essayer` : même sur une feuille protégée, qui peut le permettre.
        Rend vrai si la feuille a bien grandi (Calc refuse sans rien dire)."""
        d = self._lignes(doc, feuille, ligne, nombre, "l'insertion de lignes", essayer)
        f = d.Sheets.getByName(feuille)
        curseur = f.createCursor()
        curseur.gotoEndOfUsedArea(False)
        avant = curseur.RangeAddress.EndRow
        self._commande(d, ".uno:InsertRowsBefore")
        curseur = f.createCursor()
        curseur.gotoEndOfUsedArea(False)
        return curseur.RangeAddress.EndRow > avant

    def op_supprimer_lignes(self, doc: int, feuille: str, ligne: int, nombre: int) -> None:
        d = self._lignes(doc, feuille, ligne, nombre, "la suppression de lignes")
        self._commande(d, ".uno:DeleteRows")

    def op_trier(
        self, doc: int, feuille: str, plage: str, colonne: int, croissant: bool, entete: bool
    ) -> None:
        _, f = self._feuille(doc, feuille)
        self._verifier_feuille(f, "le tri")
        cible = f.getCellRangeByName(plage)
        adresse = cible.RangeAddress
        largeur = adresse.EndColumn - adresse.StartColumn + 1
        if not 0 <= colonne < largeur:
            raise ErreurAgent("ErreurCalc", f"colonne {colonne + 1} hors de la plage {plage}")
        champ = TableSortField()
        champ.Field = colonne
        champ.IsAscending = croissant
        champ.IsCaseSensitive = False
        descripteur = list(cible.createSortDescriptor())
        valeurs = {"SortFields": uno.Any("[]com.sun.star.table.TableSortField", (champ,))}
        valeurs |= {"ContainsHeader": entete, "IsSortColumns": False}
        for p in descripteur:
            if p.Name in valeurs:
                p.Value = valeurs[p.Name]
        uno.invoke(cible, "sort", (tuple(descripteur),))

    def op_proteger(self, doc: int, feuille: str, mot_de_passe: str) -> None:
        self._feuille(doc, feuille)[1].protect(mot_de_passe)

    def op_deproteger(self, doc: int, feuille: str, mot_de_passe: str) -> None:
        self._feuille(doc, feuille)[1].unprotect(mot_de_passe)

    def op_recalculer(self, doc: int) -> None:
        self._doc(doc).calculateAll()

    def op_lire(self, doc: int, feuille: str, cellule: str) -> dict:
        d, f = self._feuille(doc, feuille)
        c = f.getCellRangeByName(cellule)
        genre = TYPES[c.Type.value]
        if genre == "vide":
            valeur = None
        elif genre == "nombre":
            valeur = c.getValue()
        elif genre == "texte":
            valeur = c.getString()
        else:
            resultat = c.FormulaResultType2
            valeur = c.getValue() if resultat == 1 else c.getString()  # FormulaResult.VALUE
        fmt = d.NumberFormats.getByKey(c.NumberFormat)
        locale = "-".join(x for x in (fmt.Locale.Language, fmt.Locale.Country) if x)
        return {
            "type": genre,
            "valeur": valeur,
            "texte": c.getString(),
            "formule": c.getFormula(),
            "format": fmt.FormatString,
            "format_locale": locale,
            "verrouillee": bool(c.CellProtection.IsLocked),
            "commentaire": c.Annotation.String,
            "fond": c.CellBackColor,
        }

    def op_protegee(self, doc: int, feuille: str) -> bool:
        return bool(self._feuille(doc, feuille)[1].isProtected())

    def _enregistrer(
        self, doc: int, chemin: str, filtre: str, garder_date: bool, mot_de_passe: str = ""
    ) -> None:
        d = self._doc(doc)
        modifie = d.isModified()
        if garder_date:
            # Calc inscrit « maintenant » comme date de modification d'un document modifié :
            # on remet celle du fichier ouvert et on marque le document comme non modifié.
            d.DocumentProperties.ModificationDate = self.dates[doc]
            d.setModified(False)
        try:
            options = [pv("FilterName", filtre)]
            if mot_de_passe:  # comme « Enregistrer avec mot de passe » : contenu chiffré
                options.append(pv("Password", mot_de_passe))
            d.storeToURL(uno.systemPathToFileUrl(chemin), tuple(options))
        finally:
            if modifie:
                d.setModified(True)

    def op_enregistrer_xlsx(self, doc: int, chemin: str, garder_date: bool) -> None:
        self._enregistrer(doc, chemin, FILTRE_XLSX, garder_date)

    def op_enregistrer_ods(
        self, doc: int, chemin: str, garder_date: bool, mot_de_passe: str = ""
    ) -> None:
        self._enregistrer(doc, chemin, FILTRE_ODS, garder_date, mot_de_passe)

    def op_exporter_pdf(self, doc: int, chemin: str) -> None:
        self._enregistrer(doc, chemin, FILTRE_PDF, True)

    def op_terminer(self) -> None:
        for numero in list(self.docs):
            with contextlib.suppress(Exception):
                self.op_fermer(numero)
        # La connexion tombe souvent pendant terminate() : c'est normal.
        with contextlib.suppress(Exception):
            self.bureau.terminate()


def tuer_groupe(groupe: int | None) -> None:
    if groupe:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(groupe, signal.SIGKILL)


def main() -> int:
    parseur = argparse.ArgumentParser()
    parseur.add_argument("--port", type=int, required=True)
    parseur.add_argument("--delai", type=float, default=60.0)
    parseur.add_argument("--groupe", type=int, default=None, help="groupe de soffice à tuer si…")
    options = parseur.parse_args()

    # Le protocole garde sa propre copie de la sortie standard ; tout ce que UNO ou LibreOffice
    # écriraient sur le descripteur 1 part vers l'erreur standard.
    protocole = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def repondre(message: dict) -> None:
        protocole.write(json.dumps(message, ensure_ascii=False) + "\n")
        protocole.flush()

    fini = False
    try:
        try:
            agent = Agent(options.port, options.delai)
        except ErreurAgent as exc:
            repondre({"ok": False, "erreur": exc.nom, "message": str(exc)})
            return 1
        repondre({"ok": True, "resultat": "pret"})
        for ligne in sys.stdin:
            requete = json.loads(ligne)
            op = requete["op"]
            try:
                resultat = getattr(agent, f"op_{op}")(**requete.get("args", {}))
                repondre({"ok": True, "resultat": resultat})
            except ErreurAgent as exc:
                repondre({"ok": False, "erreur": exc.nom, "message": str(exc)})
            except Exception as exc:
                repondre(
                    {
                        "ok": False,
                        "erreur": "ErreurCalc",
                        "message": f"{op} : {type(exc).__name__} : {exc}",
                        "trace": traceback.format_exc(),
                    }
                )
            if op == "terminer":
                fini = True
                break
    finally:
        if not fini:
            # Le projet a disparu sans dire au revoir : ne laisser aucun soffice derrière.
            tuer_groupe(options.groupe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
