"""Les colonnes publiées, définies une seule fois : chaque sortie les lit d'ici.

Le fichier de données ouvertes (`resultats.csv`), son évolution, le journal des fichiers et la
table des résultats par organisation ont chacun plusieurs lecteurs et écrivains (CSV, classeur,
JSON, fiches, relecture d'une collecte précédente) : une colonne ajoutée ici l'est partout.
"""

from __future__ import annotations

#: Colonnes du fichier de données ouvertes, dans l'ordre publié.
COLONNES_RESULTATS = [
    "portee",
    "cible",
    "indicateur",
    "valeur_cible",
    "resultat",
    "taux_atteinte",
    "numerateur",
    "denominateur",
    "organisations_repondantes",
    "organisations_ciblees",
]

#: Colonnes ajoutées par l'évolution, dans cet ordre, après celles du résultat.
COLONNES_EVOLUTION = ["resultat_precedent", "variation"]

#: Le journal : un fichier par ligne, son sort et ses raisons.
COLONNES_JOURNAL = [
    "fichier",
    "statut",
    "organisation_code",
    "organisation_nom",
    "periode",
    "cibles",
    "cibles_retenues",
    "modifie",
    "erreurs",
    "avertissements",
    "raisons",
    "constats",
    "sha256",
]

#: Le résultat d'une organisation pour une cible, typé : proportion, condition, absence.
COLONNES_ORGANISATION = [
    "code",
    "nom",
    "reseau",
    "cible",
    "numerateur",
    "denominateur",
    "resultat",
    "respecte",
    "absence",
    "fichier",
    "rejete_plus_recent",
]
