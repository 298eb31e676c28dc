"""Les dix cibles du Baromètre numériQc, décrites comme des données.

Tout le reste (gabarits, validation, calcul, rapports) lit ces données : ajouter ou corriger une
cible se fait ici, jamais dans le code qui la traite. Les titres, indicateurs, numérateurs,
dénominateurs, valeurs visées, seuils et listes viennent mot pour mot du *Guide
d'interprétation des indicateurs* (MCN, février 2023) ; les effets recherchés, de la page
Québec.ca sur la progression.
"""

from __future__ import annotations

from fractions import Fraction

from barometre_cli.catalogue.modele import Calcul, Champ, Cible, Colonne, Processus, Seuil, Type

#: Les douze processus administratifs prioritaires, dans l'ordre du guide (chapitre 4).
PROCESSUS_5_2: tuple[Processus, ...] = (
    Processus("Gestion RH", "Dotation"),
    Processus("Gestion RH", "Gestion de l'assiduité"),
    Processus("Gestion RH", "Gestion des apprentissages"),
    Processus("Gestion RH", "Appréciation des contributions"),
    Processus("Gestion financière", "Réclamation des dépenses"),
    Processus("Gestion financière", "Traitement des factures et des déboursés"),
    Processus("Gestion des communications", "Gestion des demandes d'accès à l'information"),
    Processus("Gestion de la sécurité d'information", "Gestion des accès"),
    Processus("Gestion documentaire", "Suivi des correspondances"),
    Processus("Gestion des ressources matérielles", "Gestion des contrats de service"),
    Processus("Gestion des connaissances", "Gestion des transferts des connaissances"),
    Processus("Gestion de la relation client", "Gestion des plaintes"),
)

#: Les quatre statuts permis pour un processus de la cible 5.2 ; seul le premier compte.
STATUT_SANS_PAPIER = "Sans papier de bout en bout"
STATUTS_5_2: tuple[str, ...] = (
    STATUT_SANS_PAPIER,
    "Partiellement sans papier",
    "Papier de bout en bout",
    "Inexistant dans l'organisation",
)

#: Seuils du guide, en fractions exactes : un taux de 75 % pile n'est pas « supérieur à 75 % ».
SEUIL_TAUX_UTILISATION = Seuil(Fraction(75, 100), strict=True)  # 5.1 : « supérieur à 75 % »
SEUIL_POINTS_AXE_A = Seuil(
    Fraction(50), strict=False, unite="points"
)  # 6.1 : « 50 points ou plus »
SEUIL_DIFFUSION = Seuil(Fraction(50, 100), strict=True)  # 6.1 : « plus de 50 % »


#: Bornes plausibles des dénombrements (`Champ.maximum`) : au-delà de toute valeur réelle
#: d'une organisation d'aujourd'hui, pour qu'un zéro de trop soit « à vérifier ». La validation
#: de données du gabarit refuse à la saisie un nombre plus grand : une borne trop basse
#: empêcherait une organisation réelle de répondre. D'où vient chaque chiffre :
#: - services, consultations, processus d'une organisation : le gouvernement entier offre
#:   « plus de 400 services aux citoyens » par quelque 80 ministères et organismes (Commission
#:   de révision permanente des programmes, rapportée par La Presse, 10 septembre 2015) ;
#:   10 000, c'est vingt-cinq fois tout le gouvernement ;
MAX_ELEMENTS = 10_000
#: - employés : Santé Québec, employeur unique du réseau de la santé depuis le 1er décembre
#:   2024, en compte environ 330 000 (Wikipédia, « Santé Québec ») ; c'est de loin le plus
#:   grand employeur public québécois : 500 000 laisse de la marge sans laisser passer un zéro
#:   de trop (3 300 000) ;
MAX_EMPLOYES = 500_000
#: - utilisations d'un service depuis le 3 juin 2019 : le Québec compte environ 9 millions
#:   d'habitants (Institut de la statistique du Québec, 2024) ; un milliard, c'est plus de cent
#:   utilisations d'un même service par habitant ;
MAX_UTILISATIONS = 1_000_000_000
#: - points à l'axe A de l'Outil de priorisation des données ouvertes : la grille du guide
#:   (annexe) totalise 90 points sans les demandes d'accès récurrentes, notées 0 dans son
#:   exemple ; avec elles, au plus 100.
MAX_POINTS = 100


def _ratio(
    prefixe: str, numerateur: str, denominateur: str, maximum: int = MAX_ELEMENTS
) -> tuple[Champ, ...]:
    """Les deux champs d'une cible calculée par un ratio de dénombrements."""
    return (
        Champ(
            f"{prefixe}_numerateur",
            numerateur,
            Type.ENTIER,
            "Nombre entier, 0 ou plus, au plus égal au dénominateur.",
            maximum=maximum,
        ),
        Champ(
            f"{prefixe}_denominateur",
            denominateur,
            Type.ENTIER,
            "Nombre entier, 0 ou plus.",
            maximum=maximum,
        ),
    )


def _cible_ratio(
    id: str,
    orientation: int,
    ambition: int,
    titre: str,
    valeur: int,
    indicateur: str,
    numerateur: str,
    denominateur: str,
    effet: str,
    termes: tuple[str, ...],
    quoi_compter: str,
    maximum: int = MAX_ELEMENTS,
) -> Cible:
    prefixe = "c" + id.replace(".", "_")
    return Cible(
        id=id,
        orientation=orientation,
        ambition=ambition,
        titre=titre,
        valeur_visee_pct=valeur,
        indicateur=indicateur,
        numerateur=numerateur,
        denominateur=denominateur,
        effet_recherche=effet,
        termes=termes,
        calcul=Calcul.RATIO,
        champs=_ratio(prefixe, numerateur, denominateur, maximum),
        quoi_compter=quoi_compter,
    )


LIGNES_TABLEAU = 300

CIBLES: tuple[Cible, ...] = (
    _cible_ratio(
        "1.1",
        1,
        1,
        "75 % des nouveaux services numériques sont conçus en impliquant les citoyens",
        75,
        "Proportion de nouveaux services numériques conçus avec l'implication des citoyens",
        "Nombre de nouveaux services numériques conçus avec l'implication des citoyens",
        "Nombre de nouveaux services numériques",
        "Que les organisations publiques intègrent dans leurs façons de faire l'habitude "
        "d'impliquer le citoyen lors de l'élaboration de tout nouveau service numérique.",
        ("Citoyen", "Service numérique"),
        "Comptez les services numériques conçus, révisés ou améliorés depuis le 3 juin 2019 "
        "(dénominateur) puis, parmi eux, ceux pour lesquels des techniques de recherche "
        "utilisateur (groupes de discussion, sondages, entrevues, observation sur le terrain, "
        "etc.) ont servi à comprendre la réalité des citoyens dès le départ et tout au long de "
        "l'évolution du service (numérateur). Partez de votre Déclaration de services aux "
        "citoyens.",
    ),
    _cible_ratio(
        "1.2",
        1,
        1,
        "75 % des services numériques évolueront grâce à l'évaluation en continu des citoyens",
        75,
        "Proportion de services numériques offrant au citoyen la possibilité d'évaluer en "
        "continu le service reçu",
        "Nombre de services numériques offrant au citoyen la possibilité d'évaluer en continu "
        "le service reçu",
        "Nombre de services numériques",
        "Que les organisations publiques considèrent cet intrant dans la priorisation de "
        "l'évolution de leurs services numériques afin de toujours mieux servir les citoyens.",
        ("Citoyen", "Service numérique"),
        "Comptez tous vos services numériques existants (dénominateur) puis, parmi eux, ceux où "
        "le citoyen peut donner son appréciation du service reçu (clarté, rapidité, facilité, "
        "etc.) à la suite de son expérience (numérateur). Partez de votre Déclaration de "
        "services aux citoyens.",
    ),
    _cible_ratio(
        "1.3",
        1,
        1,
        "75 % des consultations publiques proposent un moyen numérique pour y participer",
        75,
        "Proportion des consultations publiques proposant un moyen numérique pour y participer",
        "Nombre de consultations publiques proposant un moyen numérique pour y participer",
        "Nombre de consultations publiques",
        "Que les organisations publiques prennent avantage du numérique pour joindre un plus "
        "grand nombre de citoyens lors des consultations publiques.",
        ("Citoyen", "Consultation publique"),
        "Comptez les consultations publiques tenues depuis le 3 juin 2019 (dénominateur) puis, "
        "parmi elles, celles où l'on pouvait participer en ligne, par un site Web ou une "
        "plateforme interactive (numérateur). Si la même consultation se tient aussi en "
        "personne, le moyen numérique doit permettre d'exprimer les mêmes avis.",
    ),
    _cible_ratio(
        "2.1",
        1,
        2,
        "50 % des services ne redemandent pas au citoyen une information déjà connue",
        50,
        "Proportion de services numériques ne redemandant pas une information déjà connue",
        "Nombre de services numériques transactionnels ne redemandant pas une information déjà "
        "connue",
        "Nombre de services numériques transactionnels",
        "Que les organisations publiques développent le réflexe de vérifier dès le départ si "
        "l'information qu'elles demandent est déjà détenue par l'organisation ou disponible "
        "ailleurs dans l'administration publique.",
        ("Citoyen", "Service numérique", "Transaction en ligne"),
        "Comptez vos services numériques transactionnels qui demandent de l'information aux "
        "citoyens (dénominateur) puis, parmi eux, ceux qui ne redemandent pas une information "
        "que l'organisation peut déjà obtenir en vertu d'une loi, d'une entente ou par "
        "consentement, par exemple la date de naissance ou l'adresse (numérateur).",
    ),
    _cible_ratio(
        "3.1",
        1,
        3,
        "60 % des échéances font l'objet de rappels numériques",
        60,
        "Proportion des services offrant un rappel numérique",
        "Nombre de services numériques offrant un rappel numérique",
        "Nombre de services numériques qui impliquent un rappel",
        "Que les organisations publiques exploitent l'instantanéité du numérique pour mieux "
        "servir les citoyens.",
        ("Citoyen", "Service numérique"),
        "Comptez vos services numériques qui comportent un rappel aux citoyens, avant ou après "
        "une échéance ou pour suivre un dossier (dénominateur) puis, parmi eux, ceux dont le "
        "rappel est fait de façon numérique, par courriel ou par message texte (numérateur).",
    ),
    Cible(
        id="4.1",
        orientation=2,
        ambition=4,
        titre="100 % des organisations déploient des mesures pour réaliser la transformation "
        "numérique",
        valeur_visee_pct=100,
        indicateur="Proportion des organisations publiques ayant déployé au moins une mesure "
        "pour réaliser la transformation numérique",
        numerateur="Nombre d'organisations publiques ayant élaboré un plan de transformation "
        "numérique et ayant déployé au moins une mesure",
        denominateur="Nombre total d'organisations publiques ciblées",
        effet_recherche="Que les organisations publiques se mettent en marche de manière "
        "structurée vers l'atteinte des cibles de transformation.",
        termes=("Organisation publique", "Plan de transformation numérique"),
        calcul=Calcul.CONDITION,
        champs=(
            Champ(
                "c4_1_plan_depose",
                "Plan de transformation numérique déposé",
                Type.OUI_NON,
                "Choisissez Oui ou Non.",
            ),
            Champ(
                "c4_1_initiative_terminee",
                "Au moins une initiative du plan terminée depuis le 3 juin 2019",
                Type.OUI_NON,
                "Choisissez Oui ou Non.",
            ),
        ),
        quoi_compter="Répondez Oui à la première question si votre plan de transformation "
        "numérique est complété et déposé, et Oui à la seconde si au moins une initiative de ce "
        "plan est terminée depuis le 3 juin 2019. Votre organisation respecte la cible "
        "seulement si les deux réponses sont Oui.",
    ),
    _cible_ratio(
        "4.2",
        2,
        4,
        "60 % des employés bénéficient d'un milieu de travail et de façons de faire transformés",
        60,
        "Proportion des employés disposant d'un milieu de travail et de façons de faire "
        "transformés",
        "Nombre d'employés disposant d'un milieu de travail et de façons de faire transformés",
        "Nombre total d'employés",
        "Que les organisations publiques soient en migration vers un environnement de travail "
        "et des façons de faire favorisant l'agilité et la collaboration, exploitant les outils "
        "de travail modernes pour favoriser une organisation du travail efficiente et "
        "l'attractivité de l'administration publique.",
        ("Approche Agile", "Employé", "Lean management"),
        "Comptez tous vos employés au sens de la Loi sur la fonction publique (réguliers, "
        "occasionnels, saisonniers, étudiants, gestionnaires) : c'est le dénominateur. Parmi "
        "eux, comptez ceux qui ont à la fois la possibilité de travailler à distance avec des "
        "accès équivalents à ceux du bureau et la possibilité de travailler selon une approche "
        "Agile ou de Lean management : c'est le numérateur.",
        maximum=MAX_EMPLOYES,
    ),
    Cible(
        id="5.1",
        orientation=2,
        ambition=5,
        titre="75 % des services numériques présentent un taux d'utilisation "
        f"{SEUIL_TAUX_UTILISATION.superieur}",
        valeur_visee_pct=75,
        indicateur="Proportion des services numériques dont le taux d'utilisation par un moyen "
        f"numérique est {SEUIL_TAUX_UTILISATION.superieur}",
        numerateur="Nombre de services numériques ayant un taux d'utilisation par des moyens "
        f"numériques {SEUIL_TAUX_UTILISATION.symbole}",
        denominateur="Nombre total de services numériques offerts",
        effet_recherche="Que les organisations publiques s'attardent aux différents facteurs "
        "favorisant l'utilisation des services numériques, afin de maximiser leur utilisation et "
        "optimiser la performance des modes traditionnels.",
        termes=("Service", "Service numérique"),
        calcul=Calcul.TAUX_UTILISATION,
        seuil=SEUIL_TAUX_UTILISATION,
        champs=(
            Champ(
                "c5_1_services",
                "Services numériques",
                Type.TEXTE,
                "Une ligne par service numérique.",
                lignes=LIGNES_TABLEAU,
                colonnes=(
                    Colonne(
                        "service",
                        "Service numérique",
                        Type.TEXTE,
                        "Nom du service, tel qu'il figure dans votre Déclaration de services "
                        "aux citoyens.",
                        court="Service",
                    ),
                    Colonne(
                        "utilisations_numeriques",
                        "Utilisations par des moyens numériques",
                        Type.ENTIER,
                        "Nombre entier, 0 ou plus : utilisations du service en ligne depuis le "
                        "3 juin 2019.",
                        maximum=MAX_UTILISATIONS,
                        court="Utilisations numériques",
                    ),
                    Colonne(
                        "utilisations_totales",
                        "Utilisations totales (tous modes)",
                        Type.ENTIER,
                        "Nombre entier, 0 ou plus, au moins égal aux utilisations numériques.",
                        maximum=MAX_UTILISATIONS,
                        court="Utilisations totales",
                    ),
                ),
            ),
        ),
        quoi_compter="Inscrivez chacun de vos services numériques sur une ligne. Pour chacun, "
        "indiquez le nombre d'utilisations par un site Web ou une plateforme accessible par "
        "Internet (ordinateur, appareil mobile, assistant vocal, etc.) et le nombre total "
        "d'utilisations, tous modes confondus (en ligne, téléphone, comptoir, etc.), depuis le "
        "3 juin 2019. Un service compte au numérateur quand ses utilisations numériques "
        f"dépassent {SEUIL_TAUX_UTILISATION.nombre} du total ({SEUIL_TAUX_UTILISATION.nombre} "
        "pile ne suffit pas) ; tous les services listés comptent "
        "au dénominateur, même ceux sans utilisation.",
    ),
    Cible(
        id="5.2",
        orientation=2,
        ambition=5,
        titre="75 % des processus administratifs sont sans papier",
        valeur_visee_pct=75,
        indicateur="Proportion des processus administratifs prioritaires qui sont sans papier "
        "de bout en bout",
        numerateur="Nombre de processus administratifs visés sans papier de bout en bout",
        denominateur="Nombre de processus administratifs visés (12)",
        effet_recherche="Que les organisations publiques veillent à l'évolution de leurs "
        "processus administratifs de manière à en favoriser l'efficience par le numérique.",
        termes=("Processus administratif sans papier",),
        calcul=Calcul.LISTE_FIXE,
        liste=PROCESSUS_5_2,
        statuts=STATUTS_5_2,
        champs=(
            Champ(
                "c5_2_statuts",
                "Statut du processus",
                Type.STATUT,
                "Choisissez un des quatre statuts de la liste.",
                lignes=len(PROCESSUS_5_2),
                etiquettes="c5_2_processus",
            ),
        ),
        quoi_compter="Pour chacun des douze processus prioritaires, choisissez son statut dans "
        "votre organisation. Seuls les processus « Sans papier de bout en bout » comptent au "
        "numérateur ; le dénominateur est toujours 12, même pour un processus inexistant chez "
        "vous. Votre organisation fixe elle-même la portée de chaque processus, son début et sa "
        "fin.",
    ),
    Cible(
        id="6.1",
        orientation=2,
        ambition=6,
        titre="60 % des organisations diffusent la majorité de leurs données à haut potentiel "
        "de réutilisation",
        valeur_visee_pct=60,
        indicateur="Proportion des organisations diffusant la majorité de leurs données à haut "
        "potentiel de réutilisation",
        numerateur=f"Nombre d'organisations diffusant {SEUIL_DIFFUSION.libelle} de leurs données à "
        "haut potentiel de réutilisation",
        denominateur="Nombre d'organisations publiques ciblées",
        effet_recherche="Que les organisations publiques collectent, mettent à profit et rendent "
        "disponibles, en toute transparence, leurs données à haut potentiel de réutilisation au "
        "sein de l'administration publique (dans une perspective d'efficience) et diffusent "
        "davantage de données publiques.",
        termes=("Donnée à haut potentiel de réutilisation", "Données ouvertes"),
        calcul=Calcul.JEUX_DONNEES,
        seuil=SEUIL_POINTS_AXE_A,
        seuil_organisation=SEUIL_DIFFUSION,
        champs=(
            Champ(
                "c6_1_jeux",
                "Jeux de données",
                Type.TEXTE,
                "Une ligne par jeu de données évalué avec l'Outil de priorisation.",
                lignes=LIGNES_TABLEAU,
                colonnes=(
                    Colonne(
                        "jeu",
                        "Jeu de données",
                        Type.TEXTE,
                        "Nom du jeu de données (un ensemble structuré de données).",
                        court="Jeu",
                    ),
                    Colonne(
                        "points_axe_a",
                        "Points à l'axe A",
                        Type.ENTIER,
                        "Total de l'axe A (valeur du jeu) selon l'Outil de priorisation des "
                        "données ouvertes : nombre entier de 0 à 100.",
                        maximum=MAX_POINTS,
                        court="Points",
                    ),
                    Colonne(
                        "diffuse",
                        "Diffusé sur Données Québec",
                        Type.OUI_NON,
                        "Oui si le jeu est diffusé en format ouvert sur Données Québec.",
                        court="Diffusé",
                    ),
                ),
                obligatoire=False,
            ),
        ),
        quoi_compter="Inscrivez vos jeux de données évalués avec l'Outil de priorisation des "
        "données ouvertes, avec leur total de points à l'axe A et s'ils sont diffusés sur "
        f"Données Québec. Un jeu à {SEUIL_POINTS_AXE_A.libelle} est à haut potentiel de "
        "réutilisation ; votre organisation respecte la cible quand elle en diffuse "
        f"{SEUIL_DIFFUSION.part} ({SEUIL_DIFFUSION.nombre} pile ne suffit pas). Sans aucun jeu "
        "à haut potentiel, elle ne la respecte pas. Votre répondant en gouvernement ouvert peut "
        "vous aider.",
    ),
)
