"""Les formules des gabarits, recalculées par un vrai LibreOffice Calc (fr-CA), donnent aux
valeurs limites les mêmes verdicts que le calcul de l'outil.

Cas limites du guide : un service à 75 % pile (« supérieur à 75 % » : ne compte pas), un jeu
à 50 points pile (« 50 points ou plus » : compte), une organisation qui diffuse 50 % pile de
ses jeux à haut potentiel (« plus de 50 % » : ne respecte pas). Les cellules sont trouvées par
la disposition du gabarit et les morceaux du type de calcul, comme le gabarit les écrit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre_cli.calculs import type_calcul
from barometre_cli.calculs.jeux_donnees import diffuse_majorite, jeu_haut_potentiel
from barometre_cli.calculs.taux_utilisation import service_compte
from barometre_cli.catalogue import NON, OUI, cible
from barometre_cli.gabarit.classeur import LIGNE_DONNEES, disposition
from barometre_cli.lecture import lettres_colonne
from tests.donnees.libreoffice_uno import raison_indisponible

GABARITS = Path(__file__).resolve().parents[1] / "gabarits"

pytestmark = pytest.mark.skipif(
    raison_indisponible() is not None, reason=f"banc LibreOffice UNO : {raison_indisponible()}"
)


def _colonnes(id_cible: str) -> tuple[int, dict[str, str]]:
    """Première ligne du tableau, et lettre de chaque colonne (saisies puis calculées)."""
    c = cible(id_cible)
    champ = c.champs[0]
    place = disposition(c)[champ.nom]
    cles = [k.cle for k in champ.colonnes]
    cles += [k.cle for k in type_calcul(c).piece_gabarit(c).colonnes]
    return place.ligne, {cle: lettres_colonne(place.colonne + j) for j, cle in enumerate(cles)}


def _ligne_resultat(id_cible: str, cle: str) -> str:
    """La cellule d'une ligne du bloc « Votre résultat » (sous l'en-tête du bloc)."""
    c = cible(id_cible)
    cles = [ligne.cle for ligne in type_calcul(c).piece_gabarit(c).lignes]
    return f"C{LIGNE_DONNEES + 1 + cles.index(cle)}"


def _oui(texte: str) -> bool:
    assert texte in (OUI, NON), texte
    return texte == OUI


def _taper_jeux(doc, jeux) -> None:
    """Tape chaque jeu (nom, points, diffusé) sur sa ligne du tableau de 6.1, puis recalcule."""
    premiere, lettres = _colonnes("6.1")
    for i, (nom, points, diffuse) in enumerate(jeux):
        ligne = premiere + i
        doc.taper("Saisie", f"{lettres['jeu']}{ligne}", nom)
        doc.taper("Saisie", f"{lettres['points_axe_a']}{ligne}", str(points))
        doc.taper("Saisie", f"{lettres['diffuse']}{ligne}", diffuse)
    doc.recalculer()


def test_5_1_service_a_75_pour_cent_pile(calc):
    services = [("Pile", 75, 100), ("Au-dessus", 76, 100), ("Juste", 751, 1000), ("Aucun", 0, 0)]
    premiere, lettres = _colonnes("5.1")
    with calc.ouvrir(GABARITS / "barometre-cible-5.1.xlsx") as doc:
        for i, (nom, numeriques, totales) in enumerate(services):
            ligne = premiere + i
            doc.taper("Saisie", f"{lettres['service']}{ligne}", nom)
            doc.taper("Saisie", f"{lettres['utilisations_numeriques']}{ligne}", str(numeriques))
            doc.taper("Saisie", f"{lettres['utilisations_totales']}{ligne}", str(totales))
        doc.recalculer()
        verdicts = [
            _oui(doc.texte_affiche("Saisie", f"{lettres['compte']}{premiere + i}"))
            for i in range(len(services))
        ]
        comptes = doc.valeur("Saisie", _ligne_resultat("5.1", "comptes"))
    attendus = [service_compte(cible("5.1"), n, t) for _, n, t in services]
    assert verdicts == attendus == [False, True, True, False]
    assert comptes == sum(attendus)


def test_6_1_cinquante_points_pile_et_cinquante_pour_cent_pile(calc):
    # Deux jeux à haut potentiel (50 pile et 60), un seul diffusé : 50 % pile, pas « plus de ».
    jeux = [("Pile", 50, OUI), ("Sous", 49, OUI), ("Autre", 60, NON)]
    premiere, lettres = _colonnes("6.1")
    with calc.ouvrir(GABARITS / "barometre-cible-6.1.xlsx") as doc:
        _taper_jeux(doc, jeux)
        hauts = [
            _oui(doc.texte_affiche("Saisie", f"{lettres['haut']}{premiere + i}"))
            for i in range(len(jeux))
        ]
        respecte = _oui(doc.texte_affiche("Saisie", _ligne_resultat("6.1", "respecte")))
    assert hauts == [jeu_haut_potentiel(cible("6.1"), p) for _, p, _ in jeux] == [True, False, True]
    assert respecte is diffuse_majorite(cible("6.1"), 1, 2) is False


def test_6_1_plus_de_la_moitie_diffusee_respecte(calc):
    jeux = [("Un", 50, OUI), ("Deux", 70, OUI), ("Trois", 90, NON)]
    with calc.ouvrir(GABARITS / "barometre-cible-6.1.xlsx") as doc:
        _taper_jeux(doc, jeux)
        respecte = _oui(doc.texte_affiche("Saisie", _ligne_resultat("6.1", "respecte")))
    assert respecte is diffuse_majorite(cible("6.1"), 2, 3) is True
