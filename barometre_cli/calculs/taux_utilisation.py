"""Taux d'utilisation (5.1) : services dont l'usage numérique dépasse le seuil / services.

Chaque service compte au dénominateur ; il compte au numérateur quand ses utilisations
numériques sur ses utilisations totales passent `Cible.seuil` (« supérieur à 75 % », au sens
strict). Un service sans aucune utilisation reste au dénominateur.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barometre_cli.calculs.base import (
    A_REMPLIR,
    A_VERIFIER,
    ColonneCalculee,
    ColonneDetail,
    ControleFeuille,
    Detail,
    LigneResultat,
    PieceGabarit,
    TypeCalcul,
    oui_non,
)
from barometre_cli.calculs.tableau import (
    Ligne,
    controles_tableau,
    definir_double,
    en_erreur,
    parcourir,
    plage_etendue,
)
from barometre_cli.calculs.valeurs import Regle, collecter
from barometre_cli.catalogue import NON, OUI, Calcul, Cible, Seuil
from barometre_cli.domaine.constats import A, E, constat, definir
from barometre_cli.lecture import ClasseurLu, Plage

if TYPE_CHECKING:
    import pandas as pd


SERVICE_EN_DOUBLE = definir_double(
    "service-en-double", "Le même service figure sur plusieurs lignes."
)
TABLEAU_VIDE = definir(
    "tableau-vide",
    E,
    "Le tableau des services est vide.",
    "Le tableau des services numériques est vide. Inscrivez au moins un service, avec ses "
    "utilisations numériques et totales.",
    "Inscrivez au moins un service.",
    famille="calcul",
)
UTILISATIONS_INCOHERENTES = definir(
    "utilisations-incoherentes",
    E,
    "Les utilisations numériques dépassent les utilisations totales.",
    "« {nom} » : les utilisations numériques ({numeriques}) dépassent les utilisations totales "
    "({totales}), qui incluent tous les modes. Corrigez l'une ou l'autre.",
    "Dépasse les utilisations totales (tous modes).",
    famille="calcul",
)
SERVICE_SANS_UTILISATION = definir(
    "service-sans-utilisation",
    A,
    "Un service n'a aucune utilisation : il reste au dénominateur sans pouvoir compter au "
    "numérateur.",
    "« {nom} » n'a aucune utilisation : il compte au dénominateur sans pouvoir compter au "
    "numérateur. Vérifiez les nombres.",
    "Aucune utilisation : à vérifier.",
    famille="calcul",
)


#: Des noms de services pour l'exemple livré et le banc d'essai.
SERVICES_EXEMPLE = (
    "Demande de permis", "Renouvellement de carte", "Avis de changement d'adresse",
    "Demande d'aide financière", "Inscription en ligne", "Paiement de droits",
    "Prise de rendez-vous", "Dépôt d'une plainte", "Demande de certificat",
    "Déclaration annuelle", "Réservation d'un site", "Demande de remboursement",
)  # fmt: skip


@dataclass(frozen=True)
class Service:
    """Une ligne du tableau de la cible 5.1."""

    nom: str
    utilisations_numeriques: int
    utilisations_totales: int


@dataclass(frozen=True)
class SaisieServices:
    cible: str
    services: tuple[Service, ...]


def service_compte(cible: Cible, numeriques: int, totales: int) -> bool:
    """Le taux d'utilisation numérique passe le seuil de la cible (strictement, pour 5.1)."""
    return _seuil(cible).atteint(numeriques, totales)


def _seuil(cible: Cible) -> Seuil:
    if cible.seuil is None:
        raise ValueError(f"la cible {cible.id} n'a pas de seuil de taux d'utilisation")
    return cible.seuil


class TauxUtilisation(TypeCalcul):
    calcul = Calcul.TAUX_UTILISATION
    cles_detail = ("service", "utilisations_numeriques", "utilisations_totales", "taux", "compte")

    def regles(self, classeur: ClasseurLu, cible: Cible) -> Regle[SaisieServices]:
        champ = cible.champs[0]
        plage = yield from plage_etendue(classeur, classeur.noms[champ.nom], cible)

        def retenir(ligne: Ligne, i: int) -> Regle[Service | None]:
            return (yield from self._ligne(plage, ligne, i, cible))

        constats, services = collecter(parcourir(plage, champ, cible, SERVICE_EN_DOUBLE, retenir))
        yield from constats
        if not services and not en_erreur(constats):
            yield constat(TABLEAU_VIDE, plage.feuille, plage.adresse(), cible.id)
        return SaisieServices(cible.id, tuple(services))

    @staticmethod
    def _ligne(plage: Plage, ligne: Ligne, i: int, cible: Cible) -> Regle[Service | None]:
        nom = ligne["service"]
        a, b = ligne["utilisations_numeriques"], ligne["utilisations_totales"]
        if a > b:
            yield constat(
                UTILISATIONS_INCOHERENTES,
                plage.feuille,
                plage.adresse(i, 1),
                cible.id,
                nom=nom[:80],
                numeriques=a,
                totales=b,
            )
            return None
        if b == 0:
            yield constat(
                SERVICE_SANS_UTILISATION, plage.feuille, plage.adresse(i, 2), cible.id, nom=nom[:80]
            )
        return Service(nom, a, b)

    def exemple(self, cible: Cible, alea: random.Random) -> dict[str, object]:
        lignes = []
        for nom in alea.sample(SERVICES_EXEMPLE, alea.randint(3, 9)):
            total = alea.randint(100, 50_000)
            lignes.append([nom, round(total * alea.uniform(0.3, 0.98)), total])
        return {cible.champs[0].nom: lignes}

    def numerateur_denominateur(self, saisie: SaisieServices, cible: Cible) -> tuple[int, int]:
        comptes = sum(
            service_compte(cible, s.utilisations_numeriques, s.utilisations_totales)
            for s in saisie.services
        )
        return comptes, len(saisie.services)

    def piece_gabarit(self, cible: Cible) -> PieceGabarit:
        seuil = _seuil(cible)
        taux = ColonneCalculee(
            "taux",
            "Taux d'utilisation numérique",
            "=IF(AND(ISNUMBER({utilisations_numeriques}),ISNUMBER({utilisations_totales}),"
            '{utilisations_totales}>0),{utilisations_numeriques}/{utilisations_totales},"")',
            "pourcentage",
        )
        passe = seuil.formule("{utilisations_numeriques}", "{utilisations_totales}")
        compte = ColonneCalculee(
            "compte",
            f"Compte ({seuil.symbole})",
            f'=IF({{service}}="","",IF(ISNUMBER({{taux}}),IF({passe},"{OUI}","{NON}"),"{NON}"))',
            "texte",
        )
        a, b = "{plage_utilisations_numeriques}", "{plage_utilisations_totales}"
        return PieceGabarit(
            lignes=(
                LigneResultat(
                    "inscrits", "Services inscrits", "=COUNTA({plage_service})", "entier"
                ),
                LigneResultat(
                    "comptes",
                    f"Services dont le taux numérique dépasse {seuil.nombre}",
                    f'=SUM(IFERROR((TRIM({{plage_service}})<>"")*ISNUMBER({a})*ISNUMBER({b})'
                    f"*({b}>0)*({seuil.formule(a, b)}),0))",
                    "entier",
                    matricielle=True,
                ),
            ),
            proportion='=IF({inscrits}>0,{comptes}/{inscrits},"")',
            colonnes=(taux, compte),
        )

    def controles_feuille(self, cible: Cible) -> tuple[ControleFeuille, ...]:
        champ = cible.champs[0]
        a, b = "{valeur_utilisations_numeriques}", "{valeur_utilisations_totales}"
        colonnes = "+".join(f"COUNTA({{plage_{c.cle}}})" for c in champ.colonnes)
        return (
            *controles_tableau(champ, SERVICE_EN_DOUBLE),
            ControleFeuille(
                "utilisations_numeriques",
                f"ISNUMBER({a})*ISNUMBER({b})*({a}>{b})",
                UTILISATIONS_INCOHERENTES,
            ),
            ControleFeuille(
                "utilisations_totales",
                f'(TRIM({{service}})<>"")*ISNUMBER({a})*ISNUMBER({b})*({b}=0)*({a}<={b})',
                SERVICE_SANS_UTILISATION,
                A_VERIFIER,
            ),
            ControleFeuille(
                "service",
                f"({colonnes})=0",
                TABLEAU_VIDE,
                A_REMPLIR,
                premiere_ligne=True,
            ),
        )

    def detail(self, cible: Cible) -> Detail:
        return Detail(
            f"{cible.id} Services",
            (
                ColonneDetail("Code", "code", None, 12),
                ColonneDetail("Réseau", "reseau", None, 30),
                ColonneDetail("Service numérique", "service", None, 50),
                ColonneDetail("Utilisations numériques", "utilisations_numeriques", "entier", 14),
                ColonneDetail("Utilisations totales", "utilisations_totales", "entier", 14),
                ColonneDetail("Taux numérique", "taux", "pourcentage", 11),
                ColonneDetail(f"Compte ({_seuil(cible).symbole})", "compte_texte", None, 11),
            ),
        )

    def lignes_detail(self, saisie: SaisieServices, cible: Cible) -> Iterator[dict[str, Any]]:
        for s in saisie.services:
            num, tot = s.utilisations_numeriques, s.utilisations_totales
            yield {
                "service": s.nom,
                "utilisations_numeriques": num,
                "utilisations_totales": tot,
                "taux": num / tot if tot else None,
                "compte": service_compte(cible, num, tot),
            }

    def presenter_detail(self, table: pd.DataFrame, cible: Cible) -> pd.DataFrame:
        return table.assign(compte_texte=[oui_non(v) for v in table["compte"]])


TYPE = TauxUtilisation()
