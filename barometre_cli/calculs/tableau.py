"""Le parcours commun des tableaux de saisie (services de 5.1, jeux de données de 6.1).

Chaque ligne est vide ou complète ; chaque colonne est lue selon le type que le catalogue lui
donne (texte, nombre entier, Oui/Non), jamais selon sa position ; un même nom sur deux lignes
est signalé. Le type de calcul décide ensuite, ligne à ligne, ce que la ligne devient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from barometre_cli.calculs.base import (
    A_CONFIRMER,
    A_VERIFIER,
    ControleFeuille,
    controles_saisie,
)
from barometre_cli.calculs.valeurs import Regle, designer_cellules, entier, oui_non, texte, vide
from barometre_cli.catalogue import Champ, Cible, Colonne, Type, normaliser_libelle
from barometre_cli.domaine.constats import A, Code, Constat, E, I, Severite, constat, definir
from barometre_cli.domaine.formats import entier as milliers
from barometre_cli.lecture import ClasseurLu, Plage, adresse, limites

#: Ce que la personne fait quand le tableau ne suffit pas : le gabarit offre assez de lignes,
#: et la feuille ne vérifie que les siennes (une ligne insérée n'a ni ses formules ni son
#: message) ; voyez « Plus de lignes » dans la feuille Instructions.
_PLUS_DE_LIGNES = (
    "inscrivez-les dans les lignes vides du tableau (voyez « Plus de lignes » dans la feuille "
    "Instructions)"
)

LIGNE_INCOMPLETE = definir(
    "ligne-incomplete",
    E,
    "Une ligne d'un tableau est remplie en partie seulement.",
    "La ligne {ligne} est incomplète : {colonnes} {manque}. Remplissez toute la ligne ou "
    "videz-la entièrement.",
    "Ligne commencée : remplissez-la ou videz-la.",
    famille="calcul",
)
LIGNES_SOUS_LE_TABLEAU = definir(
    "lignes-sous-le-tableau",
    A,
    "Des lignes saisies juste sous un tableau (ou insérées sous sa dernière ligne) sont lues "
    "comme ses lignes ; le résultat affiché dans la feuille ne les compte pas.",
    "{lignes}, saisie{s} sous le tableau (lignes {debut} à {fin}), {lues} comme des lignes du "
    "tableau et comptent dans le résultat. La feuille ne les vérifie pas et son résultat ne "
    "les compte pas : " + _PLUS_DE_LIGNES + ".",
    "Lignes sous le tableau : faites vérifier le fichier.",
    famille="calcul",
)
VALEUR_A_COTE = definir(
    "valeur-a-cote-du-tableau",
    E,
    "Sur une ligne saisie sous un tableau, une valeur est hors des colonnes du tableau.",
    "{cellules} : valeur saisie à côté des colonnes du tableau, sur une ligne lue comme une "
    "ligne du tableau. Déplacez-la dans la bonne colonne, ou effacez-la.",
    famille="calcul",
)
TABLEAU_TROP_LONG = definir(
    "tableau-trop-long",
    E,
    "Trop de valeurs sont saisies sous un tableau pour être toutes lues : il n'est pas compté.",
    "Plus de {maximum} valeurs sont saisies au-delà du gabarit, notamment sous le tableau : "
    "l'outil ne peut pas toutes les lire, et ne compte donc pas ce tableau. Plutôt que de "
    "saisir sous le tableau, " + _PLUS_DE_LIGNES + ".",
    famille="calcul",
)


LIGNES_INSEREES = definir(
    "lignes-inserees",
    I,
    "Des lignes ont été insérées dans un tableau : elles sont lues et comptées, mais la feuille "
    "ne les vérifie pas (une ligne insérée n'a ni ses formules ni son message).",
    "Le tableau compte {lignes} lignes au lieu des {gabarit} du gabarit : des lignes y ont été "
    "insérées. Elles sont lues et comptées, mais la feuille ne les vérifie pas : seule cette "
    "vérification le fait.",
    "Lignes insérées : faites vérifier le fichier (Instructions).",
    famille="calcul",
)


def definir_double(code: str, sens: str) -> Code:
    """Le code d'un nom inscrit deux fois dans un tableau : même message pour chaque tableau."""
    return definir(
        code,
        A,
        sens,
        "« {nom} » figure déjà à la cellule {premiere}. Regroupez les deux lignes ou "
        "distinguez leurs noms.",
        "Nom déjà inscrit plus haut : à vérifier.",
        famille="calcul",
    )


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
    return (yield from texte(plage, i, j, cible, colonne.libelle))


#: Lignes vides permises entre le tableau (ou la dernière ligne lue sous lui) et une ligne
#: saisie dessous : une ligne laissée vide par mégarde ne coupe pas le tableau ; au-delà, ce
#: qui est saisi plus bas n'en fait plus partie (c'est une note, signalée comme telle).
ECART_SOUS_TABLEAU = 2


def lignes_sous_tableau(classeur: ClasseurLu, plage: Plage) -> list[int]:
    """Les numéros des lignes saisies sous le tableau et lues comme ses lignes.

    Celles qui suivent sa dernière ligne, avec au plus `ECART_SOUS_TABLEAU` lignes vides entre
    deux, et au moins une valeur dans ses colonnes : des services tapés juste dessous, ou des
    lignes insérées sous la dernière (le nom défini ne grandit que si on insère à l'intérieur).
    Elles viennent de `ClasseurLu.hors_noms` : des valeurs au-delà de la zone du gabarit.
    """
    hors = classeur.hors_noms.get(plage.feuille)
    if hors is None or not plage.valeurs:
        return []
    premiere, derniere = plage.colonne, plage.colonne + len(plage.valeurs[0]) - 1
    fin = plage.ligne + len(plage.valeurs) - 1
    candidates = sorted(
        {
            ligne
            for (ligne, colonne), valeur in hors.valeurs.items()
            if ligne > fin and premiere <= colonne <= derniere and not vide(valeur)
        }
    )
    retenues: list[int] = []
    for ligne in candidates:
        if ligne - (retenues[-1] if retenues else fin) - 1 > ECART_SOUS_TABLEAU:
            break
        retenues.append(ligne)
    return retenues


def cellules_sous_tableau(classeur: ClasseurLu, plage: Plage) -> set[tuple[int, int]]:
    """Les cellules hors des noms dont le tableau rend compte (lignes lues sous lui)."""
    lignes = set(lignes_sous_tableau(classeur, plage))
    hors = classeur.hors_noms.get(plage.feuille)
    return {lieu for lieu in hors.valeurs if lieu[0] in lignes} if hors and lignes else set()


def plage_etendue(classeur: ClasseurLu, plage: Plage, cible: Cible) -> Regle[Plage]:
    """Le tableau avec les lignes saisies sous lui (`lignes_sous_tableau`), et ce qu'on en dit.

    Ces lignes comptent : un avertissement le dit, parce que la feuille, elle, ne les compte
    pas. Dans ces lignes, une valeur hors des colonnes du tableau est une erreur à sa cellule.
    Des lignes insérées dans le tableau sont lues comme les autres ; une info le dit.
    """
    champ = next((c for c in cible.champs if c.nom == plage.nom), None)
    if champ is not None:
        yield from lignes_inserees(plage, champ, cible)
    lignes = lignes_sous_tableau(classeur, plage)
    if not lignes:
        return plage
    hors = classeur.hors_noms[plage.feuille]
    if hors.tronque:  # des lignes du tableau n'ont peut-être pas été gardées : aucun chiffre
        yield constat(
            TABLEAU_TROP_LONG,
            plage.feuille,
            adresse(lignes[0], plage.colonne),
            cible.id,
            maximum=milliers(limites.HORS_NOMS_MAX),
        )
        return plage
    largeur, hauteur = len(plage.valeurs[0]), len(plage.valeurs)
    colonnes = range(plage.colonne, plage.colonne + largeur)
    fin = plage.ligne + hauteur - 1
    plusieurs = len(lignes) > 1
    yield constat(
        LIGNES_SOUS_LE_TABLEAU,
        plage.feuille,
        adresse(lignes[0], plage.colonne),
        cible.id,
        lignes=_lignes(lignes),
        s="s" if plusieurs else "",
        debut=plage.ligne,
        fin=fin,
        lues="sont lues" if plusieurs else "est lue",
    )
    a_cote = sorted(
        (lieu for lieu in hors.valeurs if lieu[0] in set(lignes) and lieu[1] not in colonnes),
    )
    if a_cote:
        yield constat(
            VALEUR_A_COTE,
            plage.feuille,
            adresse(*a_cote[0]),
            cible.id,
            cellules=designer_cellules(a_cote),
        )
    nouvelles = tuple(
        tuple(hors.valeurs.get((ligne, colonne)) for colonne in colonnes)
        for ligne in range(fin + 1, lignes[-1] + 1)
    )

    def formats() -> tuple[tuple[str | None, ...], ...]:
        dessus = plage.formats or ((None,) * largeur,) * hauteur
        return dessus + tuple(
            tuple(hors.format((ligne, colonne)) for colonne in colonnes)
            for ligne in range(fin + 1, lignes[-1] + 1)
        )

    def genre(i: int, j: int) -> str | None:
        if i < hauteur:
            return plage.format(i, j)
        return hors.format((plage.ligne + i, plage.colonne + j))

    return Plage(
        plage.nom,
        plage.feuille,
        plage.ligne,
        plage.colonne,
        plage.valeurs + nouvelles,
        plage.formules,
        formats,
        genre,
    )


def _lignes(lignes: list[int]) -> str:
    if len(lignes) == 1:
        return f"La ligne {lignes[0]}"
    if len(lignes) > 2 and lignes == list(range(lignes[0], lignes[-1] + 1)):
        return f"Les lignes {lignes[0]} à {lignes[-1]}"
    return f"Les lignes {', '.join(map(str, lignes[:-1]))} et {lignes[-1]}"


def parcourir(
    plage: Plage,
    champ: Champ,
    cible: Cible,
    code_double: Code,
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
                LIGNE_INCOMPLETE,
                plage.feuille,
                plage.adresse(i, manquantes[0]),
                cible.id,
                ligne=plage.ligne + i,
                colonnes=colonnes,
                manque="manquent" if len(manquantes) > 1 else "manque",
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
                plage.feuille,
                plage.adresse(i, j_nom),
                cible.id,
                nom=nom[:80],
                premiere=vus[cle],
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


def controles_tableau(champ: Champ, code_double: Code) -> tuple[ControleFeuille, ...]:
    """Les contrôles communs d'un tableau, ceux que `parcourir` fait ligne à ligne.

    Chaque colonne selon son type ; une ligne commencée signale sa première cellule vide
    (comme `valider`) ; un nom déjà inscrit plus haut est à vérifier ; des lignes insérées
    dans le tableau (la feuille ne les vérifie pas) rendent le bilan « à confirmer ».
    """
    cles = [c.cle for c in champ.colonnes]
    controles: list[ControleFeuille] = []
    for j, colonne in enumerate(champ.colonnes):
        controles += controles_saisie(colonne.cle, colonne.type, False, colonne.maximum)
        precedentes = "".join(f'*(TRIM({{{k}}})<>"")' for k in cles[:j])
        commencee = "+".join(f'(TRIM({{{k}}})<>"")' for k in cles if k != colonne.cle)
        controles.append(
            ControleFeuille(
                colonne.cle,
                f'(TRIM({{{colonne.cle}}})=""){precedentes}*(({commencee})>0)',
                LIGNE_INCOMPLETE,
            )
        )
    nom = next(c.cle for c in champ.colonnes if c.type is Type.TEXTE)
    controles.append(
        ControleFeuille(
            nom,
            f'(TRIM({{{nom}}})<>"")*(SUMPRODUCT(--(TRIM({{debut_{nom}}})=TRIM({{{nom}}})))>1)',
            code_double,
            A_VERIFIER,
            compte=f'SUM(IFERROR((TRIM({{plage_{nom}}})<>"")'
            f'*(1-1/COUNTIF({{plage_{nom}}},{{plage_{nom}}}&"")),0))',
        )
    )
    controles.append(
        ControleFeuille(
            nom,
            f"ROWS({{plage_{nom}}})>{champ.lignes}",
            LIGNES_INSEREES,
            A_CONFIRMER,
            premiere_ligne=True,
        )
    )
    # Juste sous sa dernière ligne (où `lignes_sous_tableau` commence à lire) : la zone suit le
    # tableau, même si des lignes sont insérées dessous.
    derniere = f"INDEX({{plage_{nom}}},ROWS({{plage_{nom}}}),1)"
    dessous = f"OFFSET({derniere},1,0,{ECART_SOUS_TABLEAU + 1},{len(cles)})"
    controles.append(
        ControleFeuille(
            nom, f"COUNTA({dessous})>0", LIGNES_SOUS_LE_TABLEAU, A_CONFIRMER, premiere_ligne=True
        )
    )
    return tuple(controles)


def lignes_inserees(plage: Plage, champ: Champ, cible: Cible) -> Regle[None]:
    """Un tableau plus haut que celui du gabarit : des lignes y ont été insérées (une info)."""
    if len(plage.valeurs) > champ.lignes:
        yield constat(
            LIGNES_INSEREES,
            plage.feuille,
            plage.adresse(),
            cible.id,
            lignes=milliers(len(plage.valeurs)),
            gabarit=milliers(champ.lignes),
        )
