"""Les colonnes publiées, définies une seule fois : chaque sortie les lit d'ici.

Le fichier de données ouvertes (`resultats.csv`), son évolution, le journal des fichiers, la
table des résultats par organisation, son historique (`organisations.csv`) et les relances ont
chacun plusieurs lecteurs et écrivains (CSV, classeur, JSON, fiches, relecture d'une collecte
précédente) : une colonne ajoutée ici l'est partout.
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
    # Ajoutée en dernier, jamais entre les autres : un script qui lit les colonnes par leur
    # position continue de lire les fichiers des années précédentes, qui ne l'ont pas.
    "periode",
]

#: Colonnes qu'un `resultats.csv` d'une collecte précédente doit avoir : ceux d'avant 2026 n'ont
#: pas `periode` (la période se lit alors dans le `datapackage.json` voisin, s'il existe).
COLONNES_RESULTATS_REQUISES = [c for c in COLONNES_RESULTATS if c != "periode"]

#: Colonnes ajoutées par l'évolution, dans cet ordre, après celles du résultat.
COLONNES_EVOLUTION = ["resultat_precedent", "variation"]

#: Le journal : un fichier par ligne, son sort et ses raisons. (clé, titre, largeur) : la clé
#: nomme la colonne du CSV, le titre et la largeur celle de la feuille Journal du sommaire.
JOURNAL: tuple[tuple[str, str, int], ...] = (
    ("fichier", "Fichier", 45),
    ("statut", "Statut", 10),
    ("organisation_code", "Code", 12),
    ("organisation_nom", "Organisation", 35),
    ("periode", "Période", 9),
    ("cibles", "Cibles", 10),
    ("cibles_retenues", "Cibles retenues", 12),
    ("modifie", "Modifié le", 17),
    ("erreurs", "Erreurs", 8),
    ("avertissements", "Avertissements", 13),
    ("raisons", "Raisons", 80),
    ("constats", "Constats", 80),
    ("sha256", "SHA-256", 66),
    # Ajoutée en dernier : « xlsx » ou « ods » (vide pour ce qui n'est pas un classeur lisible).
    ("format", "Format", 8),
)
COLONNES_JOURNAL = [cle for cle, _, _ in JOURNAL]

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

#: Ajoutées à la table par organisation quand la collecte précédente a son `organisations.csv`.
COLONNES_EVOLUTION_ORGANISATION = ["resultat_precedent", "respecte_precedent", "variation"]

#: `organisations.csv` : l'historique par organisation, qu'une collecte suivante relit
#: (`--precedent`) ; une ligne par organisation ciblée et par cible retenue. Format décrit dans
#: docs/suivi.md.
COLONNES_HISTORIQUE = [
    "periode",
    "organisation_code",
    "organisation_nom",
    "reseau",
    "cible",
    "numerateur",
    "denominateur",
    "resultat",
    "respecte",
]
#: Ce qu'une collecte suivante doit y trouver pour comparer (les autres colonnes sont lues si
#: elles sont là).
COLONNES_HISTORIQUE_REQUISES = ["organisation_code", "cible", "resultat"]

#: `relances.csv` : une ligne par organisation ciblée qui doit encore quelque chose, prête pour
#: un publipostage (docs/suivi.md). `details`, `salutation` et `cibles_dues` partent chez
#: l'organisation : des phrases, aucun code ; `codes` garde les codes pour les scripts.
COLONNES_RELANCES = [
    "organisation_code",
    "organisation_nom",
    "reseau",
    "contact_nom",
    "contact_courriel",
    "contact_source",
    "cibles_a_suivre",
    "details",
    "periode",
    # Ajoutées après les premières, jamais entre elles (un script lit peut-être par position).
    "salutation",
    "cibles_dues",
    "codes",
]
