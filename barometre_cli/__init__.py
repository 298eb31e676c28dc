"""barometre : collecte et compilation du Baromètre numériQc."""

__version__ = "0.1.0"
