"""La consolidation : une voix par organisation pour la rétroaction, une seule règle de calcul."""

from __future__ import annotations

from fractions import Fraction

import pytest

from barometre_cli.calculs import base as calcul
from barometre_cli.compilation import consolidation
from barometre_cli.compilation.consolidation import consolider, synthese_retroaction

# 3. Rétroaction : une voix par organisation ciblée --------------------------------------------


def test_retroaction_une_reponse_par_organisation(collecte_retroaction):
    synthese, _ = synthese_retroaction(collecte_retroaction)
    formulaire, processus = synthese.iloc[0], synthese.iloc[1]
    # A : 2 (mai) ; B : 4 (avril, le doublon de mars et 2025 ne comptent pas) ; Z ignorée.
    assert (formulaire.reponses, formulaire.moyenne) == (2, 3.0)
    assert [formulaire[f"note_{n}"] for n in range(1, 6)] == [0, 1, 0, 1, 0]
    # A n'a pas répondu au processus en mai : sa réponse la plus récente est celle d'avril.
    assert (processus.reponses, processus.moyenne, processus.note_3) == (1, 3.0, 1)
    assert list(synthese.columns) == ["question", "reponses", "moyenne", "note_1", "note_2",
                                      "note_3", "note_4", "note_5"]  # fmt: skip


def test_commentaires_un_par_organisation_et_par_texte(collecte_retroaction):
    _, commentaires = synthese_retroaction(collecte_retroaction)
    assert list(commentaires.columns) == ["code", "organisation", "cibles", "fichier",
                                          "commentaire"]  # fmt: skip
    lignes = commentaires.to_dict("records")
    assert [(x["code"], x["fichier"], x["commentaire"]) for x in lignes] == [
        ("A", "A/4.2.xlsx", "Merci"),
        ("A", "A/1.2.xlsx", "trop   LONG"),  # le plus récent des deux, tel quel
    ]
    assert lignes[0]["organisation"] == "Agence A" and lignes[0]["cibles"] == "4.2"


def test_retroaction_dans_la_consolidation(collecte_retroaction):
    conso = consolider(collecte_retroaction)
    assert conso.retroaction.iloc[0].reponses == 2
    assert len(conso.commentaires) == 2


# 4. Une seule règle de calcul -----------------------------------------------------------------


def test_consolidation_passe_par_les_regles_de_calcul(collecte_retroaction, monkeypatch):
    appels = {"proportion": 0, "taux_atteinte": 0}

    def compter(nom, regle):
        def espion(*args):
            appels[nom] += 1
            return regle(*args)

        return espion

    assert consolidation.proportion is calcul.proportion
    assert consolidation.taux_atteinte is calcul.taux_atteinte
    monkeypatch.setattr(consolidation, "proportion", compter("proportion", calcul.proportion))
    monkeypatch.setattr(
        consolidation, "taux_atteinte", compter("taux_atteinte", calcul.taux_atteinte)
    )
    conso = consolider(collecte_retroaction)
    assert appels["proportion"] > 0 and appels["taux_atteinte"] > 0
    ligne = conso.resultats.set_index(["portee", "cible"]).loc[("ensemble", "1.1")]
    # A 1/2 et B 1/2 → 2/4 ; cible 1.1 visée à 75 % → taux d'atteinte 2/3.
    assert ligne.resultat == pytest.approx(0.5)
    assert ligne.taux_atteinte == pytest.approx(float(Fraction(2, 3)))


# Les deux comptes de la réponse ------------------------------------------------------------


def test_ayant_transmis_retenues_non_repondants_et_a_corriger(tmp_path):
    """Envoyer des fichiers à corriger n'est pas ne pas répondre : A est retenue ; B n'a envoyé
    qu'un classeur rejeté (elle a transmis, elle est à corriger) ; C seulement un classeur
    d'une autre période et D rien (deux non-répondants) ; E un classeur sans période."""
    from barometre_cli.compilation.collecte import collecter
    from barometre_cli.domaine.registre import Organisation
    from tests.outils import classeur, identification

    d = tmp_path / "recus"
    ratio = {"c1_1_numerateur": 1, "c1_1_denominateur": 2}
    classeur(d, "A/1.1.xlsx", "1.1", ratio, code="A")
    classeur(d, "B/1.1.xlsx", "1.1", {"c1_1_numerateur": 5, "c1_1_denominateur": 2}, code="B")
    for code, periode in (("C", 2025), ("E", None)):
        classeur(d, f"{code}/1.1.xlsx", "1.1", {**identification(code, periode=periode), **ratio},
                 sans_identification=True)  # fmt: skip
    registre = [Organisation(c, f"Organisation {c}") for c in "ABCDE"]
    conso = consolider(collecter(d, registre, "2026"))
    assert (conso.organisations_ciblees, conso.organisations_ayant_transmis) == (5, 3)
    assert conso.organisations_repondantes == 1 and conso.taux_reponse == pytest.approx(0.2)
    assert list(conso.non_repondants["code"]) == ["C", "D"]
    assert list(conso.a_corriger["code"]) == ["B", "E"]
