"""Les limites de lecture : ce qu'un classeur reçu ne peut pas dépasser, et pourquoi.

Les gabarits réels en sont très loin (< 400 lignes, < 10 colonnes, taux de compression ≤ 15:1).
Les autres modules lisent ces valeurs au moment de s'en servir (`limites.LIGNES_MAX`), pour
qu'un test puisse les abaisser.
"""

from __future__ import annotations

#: Taille maximale du fichier, en octets. Un gabarit rempli pèse moins de 100 Ko ; 20 Mo laisse
#: de la marge (images collées) tout en bornant la mémoire : le fichier n'est jamais lu au-delà.
TAILLE_MAX_FICHIER = 20 * 1024 * 1024

#: Nombre maximal de parties dans l'archive. Un gabarit en compte une quinzaine ; une archive
#: de milliers d'entrées ne sert qu'à ralentir la lecture de son répertoire.
MEMBRES_MAX = 500

#: Taille décompressée maximale d'une partie, telle que déclarée dans l'archive.
TAILLE_MAX_MEMBRE = 50 * 1024 * 1024

#: Somme maximale des tailles décompressées déclarées de toutes les parties.
TAILLE_MAX_DECOMPRESSEE = 100 * 1024 * 1024

#: Taux de compression maximal (décompressé / compressé) d'une partie de plus de
#: `SEUIL_TAUX_COMPRESSION` octets. Apache POI applique la même règle ; les gabarits réels
#: mesurés se compressent au plus à 15:1, une bombe de décompression à 1 000:1 et plus.
TAUX_COMPRESSION_MAX = 100

#: Sous cette taille décompressée, le taux n'est pas vérifié (un petit XML répétitif se
#: compresse légitimement très bien).
SEUIL_TAUX_COMPRESSION = 1024 * 1024

#: Dernière ligne permise pour une cellule AVEC une valeur dans une feuille lue. Les gabarits
#: utilisent moins de 400 lignes ; au-delà, des données ont été collées hors gabarit, ou le
#: fichier est fabriqué pour épuiser la mémoire d'un lecteur (cellule en XFD1048576). Une ligne
#: ou une cellule vide plus loin (Calc en écrit une en 1048576 quand on supprime une ligne) et
#: la zone déclarée (`<dimension>`) ne sont pas des données : elles n'arrêtent rien.
LIGNES_MAX = 10_000

#: Dernière colonne permise pour une valeur dans une feuille lue (200 = GR). Les gabarits en
#: utilisent < 10.
COLONNES_MAX = 200

#: Nombre maximal de cellules (`<c>`) d'une feuille lue, même vides : ~25 fois un gabarit
#: rempli. Borne le temps de lecture (≈ 4 µs par cellule) quelle que soit la taille de la partie.
CELLULES_MAX_FEUILLE = 100_000

#: Taille décompressée maximale d'une feuille lue (un gabarit rempli : ~100 Ko ; 100 000
#: cellules : 3 à 4 Mo). Borne aussi la mémoire de l'analyse (≈ 15 fois la taille du XML).
TAILLE_MAX_FEUILLE_LUE = 5 * 1024 * 1024

#: Taille décompressée maximale d'une partie XML à analyser (table des chaînes partagées,
#: classeur, relations, propriétés ; les feuilles ont leur propre limite, plus basse). Un
#: gabarit rempli en est très loin ; la limite garde chaque texte, attribut ou commentaire
#: sous les seuils de 10 Mo de libxml2, pour que lxml et le moteur standard (`xml`) jugent
#: toujours de la même façon.
TAILLE_MAX_XML = 8 * 1024 * 1024

#: Nombre maximal de styles de cellule (`<xf>` de `cellXfs`) et de formats de nombre
#: personnalisés (`<numFmt>`) lus pour dire le genre du format des cellules nommées. Un gabarit
#: en a une vingtaine ; au-delà, les genres restent inconnus (jamais de refus).
STYLES_MAX = 10_000
FORMATS_MAX = 1_000

#: Nombre maximal de valeurs gardées au-delà de la zone du gabarit, par feuille nommée : de
#: quoi lire quelques lignes sous un tableau et nommer les cellules saisies ailleurs ; au-delà,
#: la validation le dit une fois.
HORS_NOMS_MAX = 5_000

#: Longueur maximale du texte lu d'une cellule d'un .ods, en caractères (celle d'Excel). Une
#: espace répétée (`<text:s text:c="2000000000"/>`) annonce ce qu'elle veut : au-delà, le texte
#: est coupé, jamais déplié en mémoire. Les champs des gabarits sont limités à 255 caractères.
TEXTE_MAX = 32_767

#: Nombre maximal de chaînes partagées lues (la table est commune à toutes les feuilles).
CHAINES_MAX = 200_000

#: Nombre maximal de cellules d'un nom défini ; au-delà, le nom est rangé dans `noms_brises`
#: (la validation dit alors que le tableau est trop grand). Un tableau de trois colonnes doit
#: pouvoir s'étendre jusqu'à `LIGNES_MAX` : des milliers de lignes insérées à l'intérieur du
#: tableau de 5.1 (7 000 lignes : 21 000 cellules) se lisent.
CELLULES_MAX_PAR_NOM = 3 * LIGNES_MAX

#: Nombre maximal de noms définis de portée classeur (un gabarit en a quelques dizaines).
NOMS_MAX = 2_000

#: Nombre maximal de cellules, tous noms confondus, que la lecture peut avoir à produire.
CELLULES_MAX_NOMS = 200_000

#: Taille sous laquelle une feuille ou la table des chaînes est analysée d'un bloc (deux fois plus
#: rapide) plutôt qu'en flux ; au-delà, la mémoire reste bornée quelle que soit la taille.
TAILLE_ANALYSE_EN_BLOC = 2 * 1024 * 1024
