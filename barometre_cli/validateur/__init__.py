"""Le vérificateur Web : la validation de `valider`, dans le navigateur du répondant (Pyodide).

`site` écrit le site statique (page, Web Worker, environnement Python du paquet npm `pyodide`,
code de validation du projet) ; `navigateur` est le module Python que la page appelle dans
Pyodide. Aucun classeur ne quitte l'ordinateur : la page ne fait aucune requête hors de son hôte.
"""
