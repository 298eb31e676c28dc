"""Les glissements d'un répondant, tapés dans Calc fr-CA : la feuille et `valider` d'accord.

Issue 18 : un répondant fait confiance à la ligne « Vérification de la feuille » de son
gabarit. Chaque cas ci-dessous est un geste réel (une date ou « 80 % » dans un dénombrement,
un pourcentage corrigé par « 990 » dans un fichier rouvert, « 1 000 » avec une espace fine, un
code d'organisation retapé en minuscules, des lignes insérées dans un tableau…), tapé par le
banc UNO (`libreoffice_uno.py`, `.uno:EnterString`, comme au clavier) dans un gabarit prérempli
pour AP14, une organisation de l'exemple livré qui n'a rien transmis. Calc recalcule et
enregistre en .xlsx dans `tests/donnees/verdicts/`.

`tests/test_verdicts.py` lit ces fichiers sans LibreOffice : pour chacun, le bilan de la feuille
(calculé par Calc, gardé dans le fichier) et le verdict de `valider` doivent être les mêmes, et
la feuille doit signaler les mêmes cellules. Pour les refaire (environ 1 min) :

    python -m tests.donnees.verdicts
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from barometre_cli.catalogue import cible
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import octets_gabarit

ICI = Path(__file__).resolve().parent
DOSSIER = ICI / "verdicts"
AP14 = Organisation(
    "AP14",
    "Secrétariat aux affaires autochtones",
    "Administration publique",
    "Mathieu Fortin",
    "mathieu.fortin@ap14.exemple.gouv.qc.ca",
)
#: Les verdicts : ce que la feuille dit en haut, et ce que `valider` en pense.
PRET = "prêt"  # « Prêt à transmettre » ; `valider` : aucune erreur
A_CORRIGER = "à corriger"  # « N problèmes à corriger » ; `valider` : des erreurs
A_CONFIRMER = "à confirmer"  # la feuille renvoie à la vérification ; `valider` : aucune erreur

#: Un geste : (opération, arguments). « taper » (feuille, cellule, texte), « commande »
#: (feuille, cellule, commande .uno), « rouvrir » (enregistrer puis rouvrir le fichier, comme
#: après l'avoir vérifié sur la page), « deproteger » (feuille), « inserer » (feuille, ligne,
#: nombre).
Geste = tuple


def _saisie(*paires: tuple[str, str]) -> tuple[Geste, ...]:
    return tuple(("taper", "Saisie", cellule, texte) for cellule, texte in paires)


def _rangees(premiere: int, rangees: list[tuple[str, ...]], colonnes: str = "BCD"):
    return _saisie(
        *(
            (f"{colonne}{premiere + k}", texte)
            for k, rangee in enumerate(rangees)
            for colonne, texte in zip(colonnes, rangee, strict=True)
            if texte
        )
    )


@dataclass(frozen=True)
class Cas:
    """Un fichier : la cible, les gestes, le verdict attendu de la feuille et de `valider`."""

    nom: str
    cible: str
    gestes: tuple[Geste, ...]
    verdict: str
    #: ce que le cas montre, en une phrase
    sens: str


ESPACE_FINE = "\u202f"
RETROACTION = (
    ("taper", "Rétroaction", "C12", "4"),
    ("taper", "Rétroaction", "C13", "2"),
    ("taper", "Rétroaction", "C14", "5"),
    ("taper", "Rétroaction", "C15", "Le gabarit est clair ; l'échéancier est serré."),
)

CAS: tuple[Cas, ...] = (
    Cas(
        "1.1-pret",
        "1.1",
        _saisie(("C13", "3"), ("C14", "4")),
        PRET,
        "Un gabarit bien rempli : les deux disent prêt.",
    ),
    Cas(
        "1.1-date",
        "1.1",
        _saisie(("C13", "3"), ("C14", "2024-03-15")),
        A_CORRIGER,
        "Une date tapée au dénominateur (Calc lui donne un format que CELL dit « G »).",
    ),
    Cas(
        "1.1-heure",
        "1.1",
        _saisie(("C13", "8:30"), ("C14", "12")),
        A_CORRIGER,
        "Une heure tapée au numérateur.",
    ),
    Cas(
        "4.2-date",
        "4.2",
        _saisie(("C13", "2024-03-15"), ("C14", "50000")),
        A_CORRIGER,
        "Une date au numérateur de 4.2, sous le maximum plausible d'employés.",
    ),
    Cas(
        "5.1-date",
        "5.1",
        _rangees(20, [("Permis", "2024-03-15", "50000"), ("Chasse", "90", "100")]),
        A_CORRIGER,
        "Une date dans les utilisations numériques d'une ligne du tableau.",
    ),
    Cas(
        "1.1-pourcentage",
        "1.1",
        _saisie(("C13", "80 %"), ("C14", "1000")),
        A_CORRIGER,
        "« 80 % » tapé au numérateur : la feuille dit qu'un pourcentage a été saisi.",
    ),
    Cas(
        "1.1-pourcentage-990-rouvert",
        "1.1",
        (
            *_saisie(("C13", "80 %"), ("C14", "1000")),
            ("rouvrir",),
            *_saisie(("C13", "990")),
        ),
        A_CORRIGER,
        "Corrigé par « 990 » dans le fichier rouvert : la cellule garde le format pourcentage "
        "(« 99 000 % ») ; toujours refusé, par les deux.",
    ),
    Cas(
        "1.1-pourcentage-efface-rouvert",
        "1.1",
        (
            *_saisie(("C13", "80 %"), ("C14", "1000")),
            ("rouvrir",),
            ("commande", "Saisie", "C13", ".uno:ClearContents"),
            *_saisie(("C13", "990")),
        ),
        A_CORRIGER,
        "Suppr puis « 990 » : Suppr efface la valeur, pas le format ; toujours refusé.",
    ),
    Cas(
        "1.1-pourcentage-corrige-rouvert",
        "1.1",
        (
            *_saisie(("C13", "80 %"), ("C14", "1000")),
            ("rouvrir",),
            ("commande", "Saisie", "C13", ".uno:ResetAttributes"),
            *_saisie(("C13", "990")),
        ),
        PRET,
        "Ce que dit le message : Effacer le formatage direct (Ctrl+M), puis « 990 » : prêt.",
    ),
    Cas(
        "1.1-date-corrigee-rouvert",
        "1.1",
        (
            *_saisie(("C13", "3"), ("C14", "2024-03-15")),
            ("rouvrir",),
            ("commande", "Saisie", "C14", ".uno:NumberFormatStandard"),
            *_saisie(("C14", "4")),
        ),
        PRET,
        "Format Standard (Ctrl+Maj+6) sur la date, puis « 4 » : prêt.",
    ),
    Cas(
        "1.1-espace-fine",
        "1.1",
        _saisie(("C13", "3"), ("C14", f"1{ESPACE_FINE}000")),
        PRET,
        "« 1 000 » avec une espace fine insécable (U+202F) : du texte pour le tableur, lu 1000 "
        "par les deux, un point à vérifier.",
    ),
    Cas(
        "1.1-espace-fine-superieur",
        "1.1",
        _saisie(("C13", f"2{ESPACE_FINE}000"), ("C14", "1000")),
        A_CORRIGER,
        "« 2 000 » (U+202F) au numérateur, 1000 au dénominateur : lu 2000 par les deux, qui "
        "refusent un numérateur plus grand.",
    ),
    Cas(
        "1.1-code-minuscule",
        "1.1",
        (*_saisie(("C5", "ap14"), ("C13", "3"), ("C14", "4")), *RETROACTION),
        PRET,
        "Le code retapé « ap14 » : lu comme AP14 (une info), prêt ; sa rétroaction compte.",
    ),
    Cas(
        "1.1-annee",
        "1.1",
        _saisie(("C9", "2025"), ("C13", "3"), ("C14", "4")),
        A_CORRIGER,
        "L'année du gabarit de 2026 changée pour 2025.",
    ),
    Cas(
        "5.1-pourcentage",
        "5.1",
        _rangees(20, [("Permis", "90", "95 %"), ("Chasse", "90", "100")]),
        A_CORRIGER,
        "« 95 % » dans les utilisations totales d'une ligne.",
    ),
    Cas(
        "5.1-lignes-inserees",
        "5.1",
        (
            *_rangees(20, [("Permis", "90", "100"), ("Chasse", "10", "100")]),
            ("deproteger", "Saisie"),
            ("inserer", "Saisie", 21, 2),
            *_rangees(21, [("Pêche", "99", "100"), ("Vignette", "abc", "100")]),
        ),
        A_CONFIRMER,
        "Deux lignes insérées dans le tableau (protection ôtée), dont une fautive : la feuille "
        "ne les vérifie pas et renvoie à la vérification du fichier, qui trouve l'erreur.",
    ),
    Cas(
        "5.1-sous-le-tableau",
        "5.1",
        (
            *_rangees(319, [("Permis", "90", "100")]),
            ("deproteger", "Saisie"),
            *_rangees(320, [("Chasse", "2024-03-15", "100"), ("Pêche", "99", "100")]),
        ),
        A_CONFIRMER,
        "Deux services tapés sous le tableau (protection ôtée), dont une date : la feuille ne "
        "les vérifie pas et renvoie à la vérification du fichier, qui trouve la date.",
    ),
    Cas(
        "6.1-lignes-inserees",
        "6.1",
        (
            *_rangees(20, [("Routes", "60", "Oui"), ("Écoles", "40", "Non")]),
            ("deproteger", "Saisie"),
            ("inserer", "Saisie", 21, 1),
            *_rangees(21, [("Hôpitaux", "70", "Oui")]),
        ),
        A_CONFIRMER,
        "Une ligne insérée dans le tableau de 6.1, juste : la feuille ne se dit pas prête, "
        "`valider` accepte le fichier.",
    ),
)


def fabriquer(dossier: Path = DOSSIER) -> list[Path]:
    """Tape chaque cas dans Calc fr-CA et l'enregistre dans `dossier` ; rend les chemins."""
    from tests.donnees.libreoffice_uno import Calc

    dossier.mkdir(parents=True, exist_ok=True)
    ecrits = []
    with tempfile.TemporaryDirectory() as tmp, Calc() as calc:
        gabarits = {}
        for id_ in sorted({c.cible for c in CAS}):
            chemin = Path(tmp) / f"barometre-2026-cible-{id_}-AP14.xlsx"
            chemin.write_bytes(octets_gabarit(cible(id_), "2026", AP14))
            gabarits[id_] = chemin
        for cas in CAS:
            ecrits.append(_taper(calc, cas, gabarits[cas.cible], dossier, Path(tmp)))
    return ecrits


def _taper(calc, cas: Cas, gabarit: Path, dossier: Path, tmp: Path) -> Path:
    doc = calc.ouvrir(gabarit)
    try:
        for geste in cas.gestes:
            operation, *arguments = geste
            if operation == "taper":
                doc.taper(*arguments)
            elif operation == "commande":
                doc.commande(*arguments)
            elif operation == "deproteger":
                doc.deproteger(*arguments)
            elif operation == "inserer":
                doc.inserer_lignes(*arguments)
            elif operation == "rouvrir":
                doc.recalculer()
                intermediaire = doc.enregistrer_xlsx(tmp / f"{cas.nom}-avant.xlsx")
                doc.fermer()
                doc = calc.ouvrir(intermediaire)
            else:
                raise ValueError(f"geste inconnu : {geste}")
        doc.recalculer()
        sortie = doc.enregistrer_xlsx(tmp / f"{cas.nom}.xlsx", zip_stable=True)
    finally:
        doc.fermer()
    return Path(shutil.copy(sortie, dossier / f"{cas.nom}.xlsx"))


if __name__ == "__main__":
    for chemin in fabriquer(Path(sys.argv[1]) if len(sys.argv) > 1 else DOSSIER):
        print(
            f"écrit : {chemin.relative_to(Path.cwd()) if chemin.is_relative_to(Path.cwd()) else chemin}"
        )
