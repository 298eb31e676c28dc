"""Fabrique l'exemple livré : un registre fictif de 40 organisations et leurs classeurs remplis.

Déterministe (une suite aléatoire par organisation et par cible, dates fixes) : relancer
`python -m barometre_cli.regenerer` redonne le même contenu, et ajouter une cible au catalogue
ne change que ses propres classeurs. Les saisies viennent du type de calcul de chaque cible. L'exemple contient exprès les cas qu'un analyste rencontre : des erreurs de
saisie, un envoi en double, deux versions d'un même classeur sans date qui les départage (un
conflit), une organisation hors registre, un fichier qui n'est pas un classeur et des
organisations qui n'ont pas répondu. Le registre donne la personne à joindre de la plupart des
organisations ; pour quelques-unes, la case est vide : les relances s'adressent alors à la
personne répondante nommée dans leurs classeurs.
"""

from __future__ import annotations

import random
import shutil
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

from barometre_cli.calculs import type_calcul
from barometre_cli.catalogue import CIBLES
from barometre_cli.domaine.registre import Organisation
from barometre_cli.gabarit.classeur import nom_dossier, nom_fichier, octets_gabarit
from barometre_cli.gabarit.remplissage import remplir

ICI = Path(__file__).resolve().parent
PERIODE = "2026"

ORGANISATIONS = [
    Organisation("AP01", "Ministère des Services aux citoyens", "Administration publique"),
    Organisation("AP02", "Ministère de l'Environnement et des Parcs", "Administration publique"),
    Organisation("AP03", "Ministère des Finances publiques", "Administration publique"),
    Organisation("AP04", "Ministère du Transport durable", "Administration publique"),
    Organisation("AP05", "Ministère de la Culture et du Patrimoine", "Administration publique"),
    Organisation("AP06", "Office des permis et licences", "Administration publique"),
    Organisation("AP07", "Régie des données foncières", "Administration publique"),
    Organisation("AP08", "Commission des normes du travail", "Administration publique"),
    Organisation("AP09", "Agence du revenu régional", "Administration publique"),
    Organisation("AP10", "Société des parcs nationaux", "Administration publique"),
    Organisation("AP11", "Bureau des audiences publiques", "Administration publique"),
    Organisation("AP12", "Institut de la statistique sectorielle", "Administration publique"),
    Organisation("AP13", "Curateur aux services juridiques", "Administration publique"),
    Organisation("AP14", "Secrétariat aux affaires autochtones", "Administration publique"),
    Organisation("SS01", "CISSS de la Côte-Nord", "Santé et services sociaux"),
    Organisation("SS02", "CIUSSS du Centre-Sud", "Santé et services sociaux"),
    Organisation("SS03", "CISSS de l'Outaouais", "Santé et services sociaux"),
    Organisation("SS04", "CISSS de la Gaspésie", "Santé et services sociaux"),
    Organisation("SS05", "CIUSSS de l'Estrie", "Santé et services sociaux"),
    Organisation("SS06", "CISSS des Laurentides", "Santé et services sociaux"),
    Organisation("SS07", "CISSS de Lanaudière", "Santé et services sociaux"),
    Organisation("SS08", "Institut régional de cardiologie", "Santé et services sociaux"),
    Organisation("SS09", "Centre régional de santé du Nord", "Santé et services sociaux"),
    Organisation("SS10", "Héma-Service régional", "Santé et services sociaux"),
    Organisation("SS11", "CISSS du Bas-Saint-Laurent", "Santé et services sociaux"),
    Organisation("SS12", "CIUSSS de la Capitale", "Santé et services sociaux"),
    Organisation(
        "EE01", "Centre de services scolaire des Rivières", "Éducation et enseignement supérieur"
    ),
    Organisation(
        "EE02", "Centre de services scolaire des Monts", "Éducation et enseignement supérieur"
    ),
    Organisation(
        "EE03", "Centre de services scolaire du Littoral", "Éducation et enseignement supérieur"
    ),
    Organisation(
        "EE04", "Centre de services scolaire des Plaines", "Éducation et enseignement supérieur"
    ),
    Organisation("EE05", "Cégep de la Vallée", "Éducation et enseignement supérieur"),
    Organisation("EE06", "Cégep du Fleuve", "Éducation et enseignement supérieur"),
    Organisation("EE07", "Cégep des Îles", "Éducation et enseignement supérieur"),
    Organisation("EE08", "Cégep de la Baie", "Éducation et enseignement supérieur"),
    Organisation("EE09", "Université du Nord", "Éducation et enseignement supérieur"),
    Organisation(
        "EE10", "Université des Sciences appliquées", "Éducation et enseignement supérieur"
    ),
    Organisation("EE11", "Institut national de formation", "Éducation et enseignement supérieur"),
    Organisation("EE12", "École nationale d'administration", "Éducation et enseignement supérieur"),
    Organisation(
        "EE13", "Centre de services scolaire des Lacs", "Éducation et enseignement supérieur"
    ),
    Organisation("EE14", "Cégep des Hautes-Terres", "Éducation et enseignement supérieur"),
]

#: Organisations du registre qui n'envoient rien (non-répondantes).
SILENCIEUSES = {"AP14", "SS10"}
#: Organisations qui n'envoient qu'une partie des cibles.
PARTIELLES = {"EE12": {"1.1", "4.1", "4.2", "5.2"}, "SS09": {"4.1", "5.2", "6.1"}}

#: Personne à joindre inscrite au registre (colonnes contact_nom, contact_courriel). Celles qui
#: n'en ont pas (cases vides) sont relancées auprès de la personne répondante de leurs classeurs.
PRENOMS = ["Julie", "Marc", "Sophie", "Louis", "Isabelle", "Mathieu", "Nathalie", "Simon"]
NOMS = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin"]
SANS_CONTACT = {"SS02", "EE05", "EE12", "AP07"}


def _personne(i: int, decalage: int) -> str:
    return f"{PRENOMS[(i + decalage) % len(PRENOMS)]} {NOMS[(i * 2 + decalage) % len(NOMS)]}"


def _courriel(personne: str, org: Organisation) -> str:
    decompose = unicodedata.normalize("NFD", personne.lower().replace(" ", "."))
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return f"{sans_accents}@{org.code.lower()}.exemple.gouv.qc.ca"


def contact(i: int, org: Organisation) -> tuple[str, str]:
    """La personne à joindre du registre : (nom, courriel), ou deux cases vides."""
    if org.code in SANS_CONTACT:
        return "", ""
    personne = _personne(i, 0)
    return personne, _courriel(personne, org)


def repondant(i: int, org: Organisation) -> tuple[str, str]:
    """La personne qui remplit les classeurs (souvent une autre que celle du registre)."""
    personne = _personne(i, 3)
    return personne, _courriel(personne, org)


COMMENTAIRES = [
    "Le guide est clair, mais le délai de collecte était court.",
    "La séance d'information nous a beaucoup aidés.",
    "Difficile d'obtenir les utilisations par mode pour certains services.",
    "Prévoir un gabarit unique pour les dix cibles.",
]


def retroaction(alea: random.Random) -> dict:
    """Une rétroaction plausible : souvent des notes, parfois un commentaire, parfois rien."""
    if alea.random() < 0.3:
        return {}
    reponses = {
        "retroaction_formulaire": alea.choice([3, 4, 4, 5, 5]),
        "retroaction_processus": alea.choice([2, 3, 4, 4, 5]),
        "retroaction_accompagnement": alea.choice([3, 4, 5, 5]),
    }
    if alea.random() < 0.3:
        reponses["retroaction_commentaire"] = alea.choice(COMMENTAIRES)
    return reponses


def ecrire(
    dossier: Path, org: Organisation, cible, valeurs: dict, quand: datetime, suffixe=""
) -> None:
    rang = next((i for i, o in enumerate(ORGANISATIONS) if o.code == org.code), 0)
    nom, courriel = repondant(rang, org)
    identification = {
        "organisation_code": org.code,
        "organisation_nom": org.nom,
        "repondant_nom": nom,
        "repondant_courriel": courriel,
        "periode": int(PERIODE),
    }
    octets = remplir(octets_gabarit(cible, PERIODE, org), {**identification, **valeurs}, quand)
    chemin = (
        dossier
        / nom_dossier(org)
        / nom_fichier(cible, PERIODE, org).replace(".xlsx", f"{suffixe}.xlsx")
    )
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes(octets)


def fabriquer(dossier: Path = ICI) -> None:
    classeurs = dossier / "classeurs"
    shutil.rmtree(classeurs, ignore_errors=True)
    registre = "\ufeffcode;nom;reseau;contact_nom;contact_courriel\n" + "".join(
        f"{o.code};{o.nom};{o.reseau};{';'.join(contact(i, o))}\n"
        for i, o in enumerate(ORGANISATIONS)
    )
    (dossier / "registre.csv").write_text(registre, encoding="utf-8", newline="")
    debut = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for i, org in enumerate(ORGANISATIONS):
        if org.code in SILENCIEUSES:
            continue
        for cible in CIBLES:
            if org.code in PARTIELLES and cible.id not in PARTIELLES[org.code]:
                continue
            # Une suite aléatoire par organisation et par cible : ajouter une cible ne change
            # que ses propres classeurs. Le type de calcul sait remplir son gabarit.
            alea = random.Random(f"{PERIODE}/{org.code}/{cible.id}")
            valeurs = type_calcul(cible).exemple(cible, alea)
            if cible is CIBLES[0]:  # une rétroaction par organisation, avec son premier gabarit
                valeurs |= retroaction(random.Random(f"{PERIODE}/{org.code}/retroaction"))
            ecrire(classeurs, org, cible, valeurs, debut + timedelta(hours=i))

    ap03, ss02, ee05, ap06, ee12 = (
        next(o for o in ORGANISATIONS if o.code == c)
        for c in ("AP03", "SS02", "EE05", "AP06", "EE12")
    )
    cible = {c.id: c for c in CIBLES}
    # Erreurs de saisie : chacune n'exclut que la cible concernée.
    ecrire(classeurs, ap03, cible["1.2"], {"c1_2_numerateur": 30, "c1_2_denominateur": 12}, debut)
    ecrire(classeurs, ss02, cible["5.1"],
           {"c5_1_services": [["Prise de rendez-vous", 900, 1000], ["Demande de permis", "", 50]]}, debut)  # fmt: skip
    statuts = ["Sans papier de bout en bout"] * 11 + ["Presque sans papier"]
    ecrire(classeurs, ee05, cible["5.2"], {"c5_2_statuts": statuts}, debut)
    # Un envoi en double : la version corrigée, plus récente, est retenue.
    ecrire(classeurs, ap06, cible["1.1"], {"c1_1_numerateur": 9, "c1_1_denominateur": 12},
           debut + timedelta(days=10), suffixe="-corrige")  # fmt: skip
    # Deux versions d'une cible que l'organisation n'avait pas encore envoyée, enregistrées au
    # même moment : rien ne les départage, les deux sont mises de côté (conflit).
    for suffixe, numerateur in (("", 4), ("-version-2", 5)):
        ecrire(classeurs, ee12, cible["1.2"], {"c1_2_numerateur": numerateur,
               "c1_2_denominateur": 10}, debut + timedelta(days=3), suffixe=suffixe)  # fmt: skip
    # Une organisation absente du registre.
    intrus = Organisation("XX99", "Organisme non visé", "")
    ecrire(classeurs, intrus, cible["1.3"], {"c1_3_numerateur": 1, "c1_3_denominateur": 2}, debut)
    # Un fichier qui n'est pas un classeur, renommé en .xlsx.
    (classeurs / "AP02" / "notes-de-reunion.xlsx").write_text(
        "Notes de la rencontre du comité ; à ne pas transmettre.\n", encoding="utf-8"
    )


if __name__ == "__main__":
    fabriquer()
    print(f"Exemple écrit dans {ICI}")
