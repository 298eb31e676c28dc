"""Compiler un dossier de classeurs : lire et retenir (`collecte`, `processus`), calculer
chaque portée (`consolidation`), suivre ce qui manque (`suivi`), contrôler avant publication
(`a_verifier`) et comparer à la collecte précédente (`precedent`, `evolution`).

Ces modules rendent des données ; les mots et les fichiers sont l'affaire de `sorties`.
"""
