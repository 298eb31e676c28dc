"""L'écriture sûre, commune aux gabarits, aux copies annotées et aux sorties : brouillon publié
d'un coup, écriture atomique, verrou du dossier, Ctrl+C, CSV et texte de classeur jamais
exécutables, styles et formats de nombre des classeurs.

Rien ici ne sait ce qu'est une cible : ces modules servent les couches du dessus.
"""
