"""Le parcours commun des tableaux de saisie (services de 5.1, jeux de données de 6.1).

Chaque ligne est vide ou complète ; chaque colonne est lue selon le type que le catalogue lui
donne (texte, nombre entier, Oui/Non), jamais selon sa position ; un même nom sur deux lignes
est signalé. Le type de calcul décide ensuite, ligne à ligne, ce que la ligne devient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from barometre_cli.calcul import A_VERIFIER, Verification, verifications_saisie
from barometre_cli.catalogue import Champ, Cible, Colonne, Type, normaliser_libelle
from barometre_cli.constats import Constat, Severite, constat
from barometre_cli.lecture import Plage
from barometre_cli.valeurs import Regle, entier, oui_non, texte, vide

#: Une ligne lue : clé de colonne → valeur normalisée (None si la cellule est inutilisable).
Ligne = dict[str, Any]


def _cellule(
    plage: Plage, i: int, j: int, colonne: Colonne, cible: str, borne: bool = True
) -> Regle[Any]:
    if colonne.type is Type.ENTIER:
        maximum = colonne.maximum if borne else None
        return (yield from entier(plage, i, j, colonne.libelle, cible, maximum))
    if colonne.type is Type.OUI_NON:
        return (yield from oui_non(plage, i, j, colonne.libelle, cible))
    return (yield from texte(plage, i, j, cible))


def parcourir(
    plage: Plage,
    champ: Champ,
    cible: Cible,
    code_double: str,
    retenir: Callable[[Ligne, int], Regle[Any]],
    bornes_propres: tuple[str, ...] = (),
) -> Regle[list[Any]]:
    """Lit chaque ligne non vide et rend ce que `retenir` en fait (None : ligne écartée).

    `bornes_propres` : les colonnes dont le type de calcul contrôle lui-même le maximum, avec
    son propre constat (les points de 6.1) ; les autres le sont ici (`valeur-elevee`).
    """
    retenus: list[Any] = []
    vus: dict[str, str] = {}
    j_nom = next(j for j, c in enumerate(champ.colonnes) if c.type is Type.TEXTE)
    for i, rang in enumerate(plage.valeurs):
        if all(vide(v) for v in rang):
            continue
        manquantes = [j for j, v in enumerate(rang) if vide(v)]
        if manquantes:
            colonnes = ", ".join(f"« {champ.colonnes[j].libelle} »" for j in manquantes)
            yield constat(
                "ligne-incomplete",
                f"La ligne {plage.ligne + i} est incomplète : {colonnes} "
                f"{'manquent' if len(manquantes) > 1 else 'manque'}. Remplissez "
                "toute la ligne ou videz-la entièrement.",
                plage.feuille,
                plage.adresse(i, manquantes[0]),
                cible.id,
            )
            continue
        ligne: Ligne = {}
        for j, colonne in enumerate(champ.colonnes):
            borne = colonne.cle not in bornes_propres
            ligne[colonne.cle] = yield from _cellule(plage, i, j, colonne, cible.id, borne)
        nom = ligne[champ.colonnes[j_nom].cle]
        cle = normaliser_libelle(nom)
        if cle in vus:
            yield constat(
                code_double,
                f"« {nom[:80]} » figure déjà à la cellule {vus[cle]}. Regroupez les deux lignes "
                "ou distinguez leurs noms.",
                plage.feuille,
                plage.adresse(i, j_nom),
                cible.id,
            )
        else:
            vus[cle] = plage.adresse(i, j_nom)
        if any(v is None for v in ligne.values()):
            continue
        retenu = yield from retenir(ligne, i)
        if retenu is not None:
            retenus.append(retenu)
    return retenus


def en_erreur(constats: list[Constat]) -> bool:
    return any(c.severite is Severite.ERREUR for c in constats)


def verifications_tableau(champ: Champ, code_double: str) -> tuple[Verification, ...]:
    """Les contrôles communs d'un tableau, ceux que `parcourir` fait ligne à ligne.

    Chaque colonne selon son type ; une ligne commencée signale sa première cellule vide
    (comme `valider`) ; un nom déjà inscrit plus haut est à vérifier.
    """
    cles = [c.cle for c in champ.colonnes]
    controles: list[Verification] = []
    for j, colonne in enumerate(champ.colonnes):
        controles += verifications_saisie(colonne.cle, colonne.type, False, colonne.maximum)
        precedentes = "".join(f'*(TRIM({{{k}}})<>"")' for k in cles[:j])
        commencee = "+".join(f'(TRIM({{{k}}})<>"")' for k in cles if k != colonne.cle)
        controles.append(
            Verification(
                colonne.cle,
                f'(TRIM({{{colonne.cle}}})=""){precedentes}*(({commencee})>0)',
                "Ligne commencée : remplissez-la ou videz-la.",
                "ligne-incomplete",
            )
        )
    nom = next(c.cle for c in champ.colonnes if c.type is Type.TEXTE)
    controles.append(
        Verification(
            nom,
            f'(TRIM({{{nom}}})<>"")*(SUMPRODUCT(--(TRIM({{debut_{nom}}})=TRIM({{{nom}}})))>1)',
            "Nom déjà inscrit plus haut : à vérifier.",
            code_double,
            A_VERIFIER,
            compte=f'SUM(IFERROR((TRIM({{plage_{nom}}})<>"")'
            f'*(1-1/COUNTIF({{plage_{nom}}},{{plage_{nom}}}&"")),0))',
        )
    )
    return tuple(controles)
