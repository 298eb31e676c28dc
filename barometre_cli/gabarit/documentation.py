"""`docs/feuille.md` : ce que la feuille d'un gabarit vérifie seule, et ce que seul `valider` voit.

La liste vient des contrôles eux-mêmes (`saisie.controles_gabarit`, pour chaque cible) et des
codes inscrits (`domaine.constats.CODES`) : un contrôle ajouté change la page. Seules les
raisons pour lesquelles un code échappe à la feuille s'écrivent ici, par famille de codes, avec
les mesures faites dans Calc fr-CA qui fondent la lecture des formats.
"""

from __future__ import annotations

from barometre_cli.calculs.base import A_CONFIRMER, DATE, POURCENTAGE, TEXTE
from barometre_cli.calculs.valeurs import ESPACES_NOMBRE, REMETTRE_STANDARD
from barometre_cli.catalogue import cibles
from barometre_cli.domaine.constats import CODES, FAMILLES, Severite
from barometre_cli.gabarit.autocontrole import A_FAIRE_VERIFIER
from barometre_cli.gabarit.saisie import controles_gabarit

#: Pourquoi la feuille ne montre pas les codes d'une famille (sauf mention par code).
_HORS_FEUILLE = {
    "lecture": "le fichier lui-même (format, archive, XML) : la feuille n'existe qu'une fois "
    "le fichier ouvert par le tableur",
    "gabarit": "la structure du classeur (propriétés cachées, noms définis), qu'aucune "
    "formule ne voit ; il faut ôter la protection pour la casser",
    "hors-gabarit": "au-delà de la zone du gabarit, dans des cellules verrouillées : il faut "
    "ôter la protection pour y écrire",
    "retroaction": "la feuille Rétroaction est facultative et n'entre pas dans le bilan ; sa "
    "validation de données refuse à la saisie une note hors de 1 à 5",
}
_HORS_FEUILLE_CODE = {
    "organisation-differente": "le destinataire du gabarit est une propriété cachée, que les "
    "formules ne lisent pas",
    "formule-sans-valeur": "un classeur jamais ouvert dans un tableur : sa feuille ne s'est "
    "jamais calculée",
    "valeur-erreur": "la feuille y lit un texte et dit « Nombre attendu, pas du texte » : même "
    "verdict, autre message",
    "valeur-a-cote-du-tableau": "sous le tableau, dans des cellules verrouillées : il faut ôter "
    "la protection pour y écrire",
    "tableau-trop-long": "sous le tableau, dans des cellules verrouillées : il faut ôter la "
    "protection pour y écrire",
    **dict.fromkeys(
        ("processus-en-double", "processus-inconnu", "processus-manquant"),
        "les noms des processus sont préremplis dans des cellules verrouillées : il faut ôter "
        "la protection pour les changer",
    ),
}
_INFO = "une info : rien à corriger"
#: Un code qu'aucun contrôle de la feuille n'annonce, sans raison écrite ci-dessus.
_SANS_CONTROLE = "aucun contrôle de la feuille ne l'annonce : seul `valider` le fait"


def _controles() -> dict[str, str]:
    """Code → ce que la feuille affiche (son message court ; « à confirmer » le cas échéant)."""
    vus: dict[str, str] = {}
    for c in cibles():
        for v in controles_gabarit(c, "2026"):
            texte = f"« {v.message} »"
            if v.nature == A_CONFIRMER:
                texte += f" et, en haut, « {A_FAIRE_VERIFIER} »"
            vus.setdefault(v.code.code, texte)
    return vus


def documentation_feuille() -> str:
    """La page en Markdown ; `docs/feuille.md` en est la copie (les codes doivent être inscrits :
    `regenerer.modules_des_constats`)."""
    espaces = ", ".join(f"U+{ord(e):04X}" for e in ESPACES_NOMBRE)
    lignes = [
        "# Ce que la feuille vérifie, et ce que seul `valider` voit",
        "",
        "La feuille Saisie de chaque gabarit se vérifie elle-même, dans Excel comme dans",
        "LibreOffice : une saisie à revoir se colore, un message s'affiche à sa droite et la ligne",
        "« Vérification de la feuille » compte ce qui reste à faire. `barometre valider` et la",
        "page Web du Ministère (la même vérification) restent l'autorité. Trois règles :",
        "",
        "- chaque contrôle de la feuille annonce le constat que `valider` ferait à la même",
        "  cellule, avec la même gravité (rouge : une erreur ; orange : un avertissement) ;",
        "- la feuille ne dit jamais « Prêt à transmettre » d'un fichier que `valider` refuse ;",
        f"  quand elle sait qu'elle n'a pas tout vu, elle dit « {A_FAIRE_VERIFIER} » ;",
        "- ce qu'elle ne peut pas voir touche le fichier lui-même, ou demande d'ôter la",
        "  protection de la feuille, ce que les instructions ne demandent jamais.",
        "",
        "Les classeurs de `tests/donnees/verdicts/`, tapés dans LibreOffice Calc en français",
        "(Canada) par `tests/donnees/verdicts.py`, montrent chaque glissement d'un répondant (une",
        "date ou « 80 % » dans un dénombrement, « 990 » tapé dans la cellule restée au format",
        "pourcentage d'un fichier rouvert, « 1 000 » avec une espace fine, un code retapé en",
        "minuscules, des lignes insérées dans un tableau…) ; `tests/test_verdicts.py` vérifie,",
        "fichier par fichier, que le bilan calculé par Calc et le verdict de `valider` sont les",
        "mêmes, et que la feuille signale les mêmes cellules.",
        "",
        "Ce fichier est produit par `python -m barometre_cli.regenerer` ; `--verifier` (que lance",
        "la CI) vérifie qu'il est à jour.",
        "",
        "## Comment la feuille lit une cellule de dénombrement",
        "",
        "Une colonne masquée lit chaque cellule de nombre comme `valider` la lit : le nombre, ou",
        f"« {DATE} », « {POURCENTAGE} », « {TEXTE} ». Ses contrôles partent de cette lecture.",
        "",
        "**Une date, une heure, un pourcentage.** Tapés dans une cellule au format Standard, ils",
        'y laissent un format ; la formule CELL("format") le voit. Mesuré dans LibreOffice Calc',
        "7.4 réglé en fr-CA (banc UNO) :",
        "",
        '| saisie tapée | format posé par Calc | CELL("format") |',
        "| --- | --- | --- |",
        "| « 12 » | Standard | F0 |",
        "| « 2024-03-15 » | AAAA-MM-JJ (ISO 8601) | G ; D1 une fois le fichier rouvert |",
        "| « 3/4 », « 15 mars 2024 » | AAAA-MM-JJ | D1 |",
        "| « 8:30 » | HH:MM:SS | D8 |",
        "| « 80 % », « 100 % » | 0,00 % | P2 |",
        "| « 990 » dans la cellule restée au format pourcentage | 0,00 % (« 99000,00 % ») | P2 |",
        "",
        "Excel rend « G » pour Standard, « D1 » à « D9 » pour les dates et les heures, « P0 » ou",
        "« P2 » pour les pourcentages (documentation de CELL). Calc rend « F0 » pour Standard et",
        "« G » pour un format de date qu'il ne classe pas : la feuille compare donc la cellule à",
        "une cellule témoin au format Standard. « D… » est une date ou une heure partout ; « G »",
        "n'en est une que dans un tableur où Standard ne rend pas « G ». Une valeur dans la plage",
        "des dates d'aujourd'hui (43 466 à 47 848) n'est pas un indice : 45 000 utilisations",
        "d'un service sont plausibles.",
        "",
        "**La règle d'une cellule au format pourcentage (ou date, ou heure).** Elle est refusée",
        "quel que soit le nombre qu'elle contient, par la feuille comme par `valider` : « 990 »",
        "tapé dans la cellule restée au format pourcentage s'affiche « 99 000 % » dans Calc, et",
        "Excel, qui ajoute « % » à la saisie, le range 9,9 ; « 100 % » y vaudrait 1. Ce que la",
        "cellule montre n'est pas un dénombrement. Le message dit comment en sortir, dans les",
        f"deux tableurs : {REMETTRE_STANDARD}. Mesuré dans Calc sur la feuille protégée d'un",
        "fichier rouvert : Format > Effacer le formatage direct (Ctrl+M) et Format Standard",
        "(Ctrl+Maj+6) rendent la cellule au format Standard, toujours déverrouillée ; Suppr",
        "efface la valeur et garde le format ; Ctrl+Z ne défait rien d'un fichier rouvert. La",
        "protection du gabarit permet le format des cellules, pour qu'Excel accepte Accueil >",
        "Nombre > Standard sans ôter la protection.",
        "",
        f"**Un nombre saisi comme du texte.** Les espaces {espaces} (ordinaire, insécable,",
        "fine insécable de l'autocorrection française, fine) sont retirées ; reste un entier",
        "écrit en chiffres (ni zéro de tête, ni signe +, ni décimales : « 12,0 » vaut 120 pour",
        "un Excel en anglais) ? La feuille et `valider` le lisent comme ce nombre, « à",
        "vérifier », et s'en servent pour leurs autres contrôles (numérateur au plus égal au",
        "dénominateur…). Sinon, c'est une erreur pour les deux.",
        "",
        "**Des lignes insérées dans un tableau, ou saisies dessous** (5.1, 6.1). Le tableau offre",
        "300 lignes et la feuille reste protégée : une ligne insérée n'a ni ses formules ni son",
        "message, et les cellules sous le tableau sont verrouillées. Si des lignes sont insérées",
        "ou saisies dessous quand même (protection ôtée), la feuille le voit (à la hauteur du",
        "tableau ; à une valeur dans les trois lignes qui le suivent, où `valider` commence à",
        "lire), le dit sur la première ligne du tableau et renvoie à la vérification",
        f"(« {A_FAIRE_VERIFIER} ») ; `valider` lit ces lignes, les compte et le dit (une info,",
        "ou un avertissement pour des lignes sous le tableau), avec les erreurs qu'elles",
        "contiennent.",
        "",
        "## Les constats, un par un",
        "",
        "« ✔ » : la feuille signale le constat à sa cellule, avec ce message. « — » : seul",
        "`valider` le voit, pour la raison dite. Les codes du journal de `compiler` ne",
        "concernent pas la feuille.",
    ]
    montres = _controles()
    for cle, titre in FAMILLES:
        if cle == "compilation":
            continue
        codes = sorted((c for c in CODES.values() if c.famille == cle), key=lambda c: c.code)
        if not codes:
            continue
        lignes += ["", f"### {titre}", "", "| code | gravité | la feuille |", "| --- | --- | --- |"]
        for code in codes:
            if code.code in montres:
                feuille = f"✔ {montres[code.code]}"
            else:
                raison = _HORS_FEUILLE_CODE.get(code.code) or (
                    _INFO if code.severite is Severite.INFO else _HORS_FEUILLE.get(cle, "")
                )
                feuille = f"— {raison or _SANS_CONTROLE}"
            lignes.append(f"| `{code.code}` | {code.severite.value} | {feuille} |")
    return "\n".join(lignes) + "\n"
