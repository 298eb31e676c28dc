"""Valider un classeur lu : un seul jeu de règles pour `valider`, la page Web et `compiler`."""
