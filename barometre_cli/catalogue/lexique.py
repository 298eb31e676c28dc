"""Les textes communs du catalogue : lexique du guide, orientations, ambitions, champs
d'identification et questions de rétroaction (les mêmes dans tous les gabarits)."""

from __future__ import annotations

from barometre_cli.catalogue.modele import Champ, Type

ORIENTATIONS: dict[int, str] = {
    1: "Le numérique pour des relations adaptées à la réalité des citoyens",
    2: "Le numérique pour une administration publique innovante, efficiente et transparente",
}

AMBITIONS: dict[int, str] = {
    1: "Les citoyens sont au centre de l'évolution des services, des programmes et des politiques",
    2: "Les citoyens communiquent leurs informations une seule fois à l'administration publique",
    3: "Les organisations publiques sont proactives dans leurs relations avec les citoyens",
    4: "Les employés sont au cœur de la transformation",
    5: "Les services publics sont numériques de bout en bout",
    6: "Les données sont valorisées et redonnées aux citoyens",
}

#: Lexique (chapitre 4 du guide), reformulé brièvement ; la clé est le terme du guide.
LEXIQUE: dict[str, str] = {
    "Approche Agile": (
        "Manière de travailler qui mise sur les échanges entre les personnes, la collaboration "
        "avec les utilisateurs et l'adaptation rapide aux changements."
    ),
    "Citoyen": (
        "Toute personne qui reçoit des services publics, pour elle-même ou comme représentante ou "
        "mandataire d'une autre personne ou d'une entreprise, au sens large (personnes immigrantes, "
        "étudiants étrangers, milieu communautaire, entreprises). Le mandataire d'une organisation "
        "publique n'en fait pas partie. Les services visés sont ceux de la Déclaration de services "
        "aux citoyens (article 6 de la Loi sur l'administration publique)."
    ),
    "Consultation publique": (
        "Échange dans les deux sens entre l'Administration et la population : le gouvernement "
        "demande l'avis des citoyens et les tient informés (panel, débat, questionnaire, "
        "rencontre, audience publique, etc.)."
    ),
    "Donnée à haut potentiel de réutilisation": (
        "Jeu de données qui obtient 50 points ou plus à l'axe A (valeur du jeu) de l'Outil de "
        "priorisation des données ouvertes : enjeux socioéconomiques et environnementaux, "
        "meilleure prestation de services, innovation, transparence, demandes récurrentes."
    ),
    "Données ouvertes": (
        "Données brutes et structurées, diffusées en format ouvert avec une licence qui en "
        "garantit le libre accès ; au Québec, sur le portail Données Québec."
    ),
    "Employé": (
        "Toute personne nommée en vertu de la Loi sur la fonction publique : régulière, "
        "occasionnelle, saisonnière, étudiante, de toute classe d'emploi, y compris le personnel "
        "d'encadrement et les titulaires d'un emploi supérieur."
    ),
    "Lean management": (
        "Ensemble de concepts et d'outils pour améliorer sans cesse les processus, avec la "
        "participation des personnes qui font le travail."
    ),
    "Organisation publique": (
        "Organisme public visé par la Loi sur la gouvernance et la gestion des ressources "
        "informationnelles, sauf les entreprises du gouvernement : ministères, organismes, "
        "centres de services scolaires, cégeps, universités, établissements de santé, etc."
    ),
    "Plan de transformation numérique": (
        "Plan propre à chaque organisation, demandé pour la mise en œuvre de la Stratégie TNG, "
        "qui l'amène à réaliser des initiatives numériques alignées sur la Stratégie."
    ),
    "Processus administratif sans papier": (
        "Processus administratif prioritaire entièrement numérique, qui ne demande aucun "
        "support papier du début à la fin."
    ),
    "Service": (
        "Service offert à la population et aux entreprises au sens de l'article 6 de la Loi sur "
        "l'administration publique ; la Déclaration de services aux citoyens sert de base pour "
        "en dresser la liste. Il peut être offert par plusieurs modes (en ligne, téléphone, "
        "comptoir, etc.)."
    ),
    "Service numérique": (
        "Service offert en ligne et accessible par des moyens numériques (ordinateur, appareil "
        "mobile, réponse vocale interactive transactionnelle, assistant vocal, etc.) qui rend "
        "l'utilisateur autonome et fait circuler les données sans papier ni ressaisie."
    ),
    "Transaction en ligne": (
        "Échange d'information, mais aussi d'engagements et de responsabilités, entre des "
        "personnes et des organisations."
    ),
}

#: Champs d'identification, présents dans tous les gabarits.
IDENTIFICATION: tuple[Champ, ...] = (
    Champ(
        "organisation_code",
        "Code de l'organisation",
        Type.TEXTE,
        "Code attribué à votre organisation par le Ministère.",
    ),
    Champ("organisation_nom", "Nom de l'organisation", Type.TEXTE, "Nom officiel."),
    Champ(
        "repondant_nom",
        "Nom de la personne répondante",
        Type.TEXTE,
        "Personne à joindre pour toute question.",
        obligatoire=False,
    ),
    Champ(
        "repondant_courriel",
        "Courriel de la personne répondante",
        Type.COURRIEL,
        "Adresse courriel professionnelle.",
        obligatoire=False,
    ),
    Champ(
        "periode",
        "Année de la collecte",
        Type.ANNEE,
        "Année sur quatre chiffres, par exemple 2026.",
    ),
)

#: Échelle d'accord des questions de rétroaction (section 2.6 du guide).
ECHELLE: dict[int, str] = {
    1: "Pas du tout d'accord",
    2: "Plutôt en désaccord",
    3: "Ni en accord ni en désaccord",
    4: "Plutôt d'accord",
    5: "Tout à fait d'accord",
}

_AIDE_ECHELLE = "Facultatif. De 1 (pas du tout d'accord) à 5 (tout à fait d'accord)."

#: Rétroaction facultative sur la collecte : le formulaire, le processus, l'accompagnement.
RETROACTION: tuple[Champ, ...] = (
    Champ(
        "retroaction_formulaire",
        "Le formulaire (ce gabarit) était clair et facile à remplir.",
        Type.ECHELLE,
        _AIDE_ECHELLE,
        obligatoire=False,
    ),
    Champ(
        "retroaction_processus",
        "Le processus de collecte (échéancier, vérification, transmission) était adéquat.",
        Type.ECHELLE,
        _AIDE_ECHELLE,
        obligatoire=False,
    ),
    Champ(
        "retroaction_accompagnement",
        "L'accompagnement reçu (séance d'information, soutien du Ministère) a répondu à vos "
        "besoins.",
        Type.ECHELLE,
        _AIDE_ECHELLE,
        obligatoire=False,
    ),
    Champ(
        "retroaction_commentaire",
        "Vos commentaires et suggestions pour les prochaines collectes",
        Type.TEXTE,
        "Facultatif. Ce qui vous a aidé, ce qui vous a nui, ce qu'il faudrait changer.",
        obligatoire=False,
    ),
)
