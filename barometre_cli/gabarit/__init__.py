"""Les gabarits Excel de collecte : le classeur (`classeur`), sa feuille de saisie (`saisie`),
ses contrôles dans la feuille (`autocontrole`), le préremplissage par les noms définis
(`remplissage`) et les formules partagées (`formules_partagees`).
"""
