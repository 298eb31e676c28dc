"""Le vocabulaire partagé de l'outil : constats, décisions, colonnes publiées, formats de
nombre à la québécoise, l'exception du domaine et le registre des organisations ciblées.

Ces modules ne dépendent que du catalogue ; tout le reste peut les lire.
"""
