"""Refait les classeurs de `tests/donnees/` : des gabarits remplis puis enregistrés par LibreOffice.

Ces fichiers viennent d'une vraie suite bureautique (valeurs des formules en cache, propriétés
numériques devenues décimales, styles réécrits) : ils sont committés pour que les tests les
lisent même sur une machine sans LibreOffice. Pour les refaire :

    python -m tests.donnees.fabriquer              # conversion par soffice --convert-to
    python -m tests.donnees.fabriquer --saisies    # saisies au clavier, banc UNO (fr-CA)
    python -m tests.donnees.fabriquer --ods        # les mêmes, enregistrées en .ods (ODF)

Les `libreoffice-saisie-*.xlsx` partent des gabarits committés (`gabarits/`), dont les cellules
de dénombrement sont au format Standard : c'est sous ce format que Calc fr-CA laisse la trace
d'une date, d'une heure ou d'un pourcentage tapés (il pose `yyyy/mm/dd`, `hh:mm:ss` ou
`0.00\\ %`). Sous un format `#,##0`, il rangerait 43619 sans aucune trace de la date : le
lecteur ne pourrait plus la reconnaître.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from barometre_cli.catalogue import cible
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import octets_gabarit
from barometre_cli.gabarit.remplissage import remplir

ICI = Path(__file__).resolve().parent
GABARITS = ICI.parents[1] / "gabarits"
ORG = Organisation("MTQ01", "Ministère des Transports (fictif)", "Administration publique")
IDENTIFICATION = {
    "organisation_code": ORG.code,
    "organisation_nom": ORG.nom,
    "repondant_nom": "Jeanne Tremblay",
    "repondant_courriel": "jeanne.tremblay@exemple.gouv.qc.ca",
    "periode": 2026,
}

CLASSEURS = {
    # Un 5.1 correct : 3 services sur 4 dépassent 75 % (dont un à 75 % pile, qui ne compte pas).
    "libreoffice-cible-5.1.xlsx": (
        "5.1",
        {
            "c5_1_services": [
                ["Permis de conduire — renouvellement", 91_000, 100_000],
                ["Immatriculation", 75_000, 100_000],
                ["Demande de vignette", 4_800, 5_000],
                ["Réservation d'examen", 8_100, 9_000],
            ]
        },
    ),
    # Un 1.1 mal rempli, comme un répondant pressé : texte, décimale, courriel incomplet.
    "libreoffice-cible-1.1-erreurs.xlsx": (
        "1.1",
        {
            "repondant_courriel": "jeanne.tremblay",
            "c1_1_numerateur": "douze",
            "c1_1_denominateur": 10.5,
        },
    ),
    # Un 5.2 correct avec les deux formes d'apostrophe et des majuscules.
    "libreoffice-cible-5.2.xlsx": (
        "5.2",
        {
            "c5_2_statuts": [
                "Sans papier de bout en bout",
                "SANS PAPIER DE BOUT EN BOUT",
                "Partiellement sans papier",
                "Papier de bout en bout",
                "Inexistant dans l’organisation",
                "Inexistant dans l'organisation",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
                "Partiellement sans papier",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
                "Sans papier de bout en bout",
            ]
        },
    ),
}


def fabriquer() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) est requis pour refaire ces classeurs.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for nom, (id_cible, valeurs) in CLASSEURS.items():
            base = octets_gabarit(cible(id_cible), "2026", ORG)
            (tmp / nom).write_bytes(remplir(base, {**IDENTIFICATION, **valeurs}))
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profil",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(tmp / "lo"),
                *(str(tmp / nom) for nom in CLASSEURS),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for nom in CLASSEURS:
            shutil.copy(tmp / "lo" / nom, ICI / nom)


IDENTITE = [("C5", ORG.code), ("C6", ORG.nom), ("C9", "2026")]


def _rangees(premiere: int, rangees: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(cellule, texte) de lignes du tableau de 5.1 (colonnes B, C, D) à partir de `premiere`."""
    return [
        (f"{colonne}{premiere + k}", texte)
        for k, rangee in enumerate(rangees)
        for colonne, texte in zip("BCD", rangee, strict=True)
    ]


#: nom → (cible, saisies, geste : (opération, arguments), saisies après le geste).
#: Les gestes réels de l'issue 10, tels que Calc fr-CA les enregistre.
SAISIES = {
    # Une date tapée au dénominateur de 1.1 : Calc range 43619 au format yyyy/mm/dd. Par AP14,
    # une organisation de l'exemple livré (`exemples/`) qui n'a pas transmis son 1.1.
    "libreoffice-saisie-1.1-date.xlsx": (
        "1.1",
        [
            ("C5", "AP14"),
            ("C6", "Secrétariat aux affaires autochtones"),
            ("C13", "3"),
            ("C14", "2019-06-03"),
        ],
        None,
        [],
    ),
    # « 80 % » et « 8:30 » tapés dans les deux dénombrements de 1.1.
    "libreoffice-saisie-1.1-pourcentage-heure.xlsx": (
        "1.1",
        [("C13", "80 %"), ("C14", "8:30")],
        None,
        [],
    ),
    # Trois services, puis la ligne du milieu supprimée (protection ôtée) : Calc écrit une
    # `<row r="1048576">` vide et déclare la zone A1:F1048576.
    "libreoffice-saisie-5.1-ligne-supprimee.xlsx": (
        "5.1",
        _rangees(20, [("A", "90", "100"), ("B", "10", "100"), ("C", "80", "100")]),
        ("supprimer_lignes", 21, 1),
        [],
    ),
    # Un service sur la dernière ligne du tableau, deux autres tapés juste dessous (protection
    # ôtée : les cellules sous le tableau sont verrouillées).
    "libreoffice-saisie-5.1-sous-le-tableau.xlsx": (
        "5.1",
        _rangees(319, [("A", "90", "100")]),
        ("deproteger",),
        _rangees(320, [("B", "80", "100"), ("C", "99", "100")]),
    ),
    # Les 300 lignes remplies, puis deux lignes insérées sous la dernière et remplies.
    "libreoffice-saisie-5.1-lignes-sous-la-derniere.xlsx": (
        "5.1",
        _rangees(20, [(f"Service {k}", "0", "10") for k in range(1, 301)]),
        ("inserer_lignes", 320, 2),
        _rangees(320, [("Permis", "90", "100"), ("Chasse", "80", "100")]),
    ),
    # Issue 19 : 6 700 lignes insérées à l'intérieur du tableau (qui en compte alors 7 000), un
    # service en tête, un au milieu des lignes insérées, un sur la dernière ligne.
    "libreoffice-saisie-5.1-6700-lignes-inserees.xlsx": (
        "5.1",
        _rangees(20, [("Permis", "90", "100")]),
        ("inserer_lignes", 21, 6700),
        _rangees(3500, [("Chasse", "80", "100")]) + _rangees(7019, [("Pêche", "5", "10")]),
    ),
}


def fabriquer_saisies(seulement: list[str] | None = None) -> None:
    """Tape les saisies de `SAISIES` dans Calc fr-CA, fait le geste, enregistre en .xlsx
    (`seulement` : les noms de fichiers à refaire, tous par défaut)."""
    from tests.donnees.libreoffice_uno import Calc

    with Calc() as calc:
        for nom, (id_cible, avant, geste, apres) in SAISIES.items():
            if seulement and nom not in seulement:
                continue
            with calc.ouvrir(GABARITS / f"barometre-cible-{id_cible}.xlsx") as doc:
                for cellule, texte in IDENTITE + avant:
                    doc.taper("Saisie", cellule, texte)
                if geste is not None:
                    doc.deproteger("Saisie")
                    if geste[0] != "deproteger":
                        getattr(doc, geste[0])("Saisie", *geste[1:])
                for cellule, texte in apres:
                    doc.taper("Saisie", cellule, texte)
                doc.recalculer()
                doc.enregistrer_xlsx(ICI / nom, zip_stable=True)


#: Les dix gabarits remplis au clavier dans Calc fr-CA, avec les écarts d'un vrai répondant :
#: cible → gestes, chacun une méthode du banc et ses arguments (« taper » une saisie, ôter la
#: protection, trier). Chaque document est enregistré deux fois, en .xlsx et en .ods
#: (« Utiliser le format ODF ! »), pour comparer les deux lectures côte à côte.
DIX_GABARITS: dict[str, list[tuple[str, ...]]] = {
    # Milliers tapés avec une espace, courriel incomplet, commentaire à deux espaces.
    "1.1": [
        ("taper", "Saisie", "C8", "jeanne.tremblay"),
        ("taper", "Saisie", "C13", "1 234"),
        ("taper", "Saisie", "C14", "2 000"),
        ("taper", "Rétroaction", "C12", "4"),
        ("taper", "Rétroaction", "C15", "Très  clair, merci"),
    ],
    # Un nombre en lettres et un nombre décimal.
    "1.2": [("taper", "Saisie", "C13", "douze"), ("taper", "Saisie", "C14", "10,5")],
    # « 80 % » et « 8:30 » dans les deux dénombrements.
    "1.3": [("taper", "Saisie", "C13", "80 %"), ("taper", "Saisie", "C14", "8:30")],
    # Une date ISO et une date courte (« 3/4 »).
    "2.1": [("taper", "Saisie", "C13", "2019-06-03"), ("taper", "Saisie", "C14", "3/4")],
    # Un nombre négatif ; une note de rétroaction hors de l'échelle.
    "3.1": [
        ("taper", "Saisie", "C13", "-5"),
        ("taper", "Saisie", "C14", "12"),
        ("taper", "Rétroaction", "C12", "8"),
    ],
    # « oui » en minuscules, puis une réponse qui n'est ni Oui ni Non.
    "4.1": [("taper", "Saisie", "C13", "oui"), ("taper", "Saisie", "C14", "Peut-être")],
    # Le numérateur dépasse le dénominateur ; une note tapée à droite du gabarit (protection
    # ôtée), hors de sa zone.
    "4.2": [
        ("taper", "Saisie", "C13", "150"),
        ("taper", "Saisie", "C14", "100"),
        ("deproteger", "Saisie"),
        ("taper", "Saisie", "F13", "voir la note"),
    ],
    # Un service correct, une ligne incomplète, un service en double, une date en utilisations.
    "5.1": [
        ("taper", "Saisie", cellule, texte)
        for cellule, texte in _rangees(
            20,
            [
                ("Permis de conduire", "91 000", "100 000"),
                ("Immatriculation", "80", ""),
                ("permis de conduire", "5", "10"),
                ("Vignette", "2019-06-03", "100"),
            ],
        )
        if texte
    ],
    # Les douze statuts, avec majuscules, apostrophe typographique et un statut abrégé, puis la
    # liste triée par statut (protection ôtée) : chaque statut doit rester à son processus.
    "5.2": [
        *(
            ("taper", "Saisie", f"C{14 + k}", statut)
            for k, statut in enumerate(
                [
                    "Sans papier de bout en bout",
                    "SANS PAPIER DE BOUT EN BOUT",
                    "Partiellement sans papier",
                    "Papier de bout en bout",
                    "Inexistant dans l’organisation",
                    "Sans papier",
                    "Sans papier de bout en bout",
                    "Sans papier de bout en bout",
                    "Partiellement sans papier",
                    "Sans papier de bout en bout",
                    "Sans papier de bout en bout",
                    "Sans papier de bout en bout",
                ]
            )
        ),
        ("deproteger", "Saisie"),
        ("trier", "Saisie", "A14:C25", "C"),
    ],
    # Des jeux de données : un correct, des points hors de l'échelle, un « oui » en minuscules,
    # un jeu en double.
    "6.1": [
        ("taper", "Saisie", cellule, texte)
        for cellule, texte in _rangees(
            20,
            [
                ("Permis délivrés", "55", "Oui"),
                ("Routes", "120", "Non"),
                ("Ponts", "50", "oui"),
                ("permis délivrés", "10", "Non"),
            ],
        )
    ],
}


def chemin_ods(nom_xlsx: str) -> Path:
    """Le .ods fait des mêmes saisies qu'un classeur .xlsx de `tests/donnees/`."""
    return ICI / Path(nom_xlsx).with_suffix(".ods").name


def fabriquer_ods() -> None:
    """Les saisies de `SAISIES` enregistrées en .ods, et les dix gabarits remplis (`DIX_GABARITS`)
    enregistrés en .xlsx et en .ods depuis le même document Calc."""
    from tests.donnees.libreoffice_uno import Calc

    with Calc() as calc:
        for nom, (id_cible, avant, geste, apres) in SAISIES.items():
            with calc.ouvrir(GABARITS / f"barometre-cible-{id_cible}.xlsx") as doc:
                for cellule, texte in IDENTITE + avant:
                    doc.taper("Saisie", cellule, texte)
                if geste is not None:
                    doc.deproteger("Saisie")
                    if geste[0] != "deproteger":
                        getattr(doc, geste[0])("Saisie", *geste[1:])
                for cellule, texte in apres:
                    doc.taper("Saisie", cellule, texte)
                doc.recalculer()
                doc.enregistrer_ods(chemin_ods(nom), zip_stable=True)
        for id_cible, gestes in DIX_GABARITS.items():
            with calc.ouvrir(GABARITS / f"barometre-cible-{id_cible}.xlsx") as doc:
                for cellule, texte in IDENTITE:
                    doc.taper("Saisie", cellule, texte)
                for geste, *arguments in gestes:
                    getattr(doc, geste)(*arguments)
                doc.recalculer()
                for extension in ("xlsx", "ods"):
                    chemin = DOSSIER_ODS / f"libreoffice-cible-{id_cible}.{extension}"
                    enregistrer = (
                        doc.enregistrer_ods if extension == "ods" else doc.enregistrer_xlsx
                    )
                    enregistrer(chemin, zip_stable=True)


#: Les dix gabarits remplis, en paires .xlsx/.ods enregistrées du même document.
DOSSIER_ODS = ICI / "ods"


if __name__ == "__main__":
    if "--ods" in sys.argv[1:]:
        fabriquer_ods()
    elif "--saisies" in sys.argv[1:]:
        fabriquer_saisies([a for a in sys.argv[1:] if a.endswith(".xlsx")])
    else:
        fabriquer()
    print(f"Classeurs écrits dans {ICI}")
