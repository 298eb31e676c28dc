"""Le rapport d'un fichier : ce que la validation en dit et ce qu'elle en a lu."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from barometre_cli.calculs.base import Resultat
from barometre_cli.domaine.constats import Constat, Severite


@dataclass
class RapportFichier:
    """Le verdict sur un fichier : constats, données retenues par cible, résultats du répondant."""

    fichier: Path
    sha256: str = ""
    modifie: datetime | None = None
    #: format reconnu à la lecture : « xlsx », « ods », ou vide (voir `ClasseurLu.format`)
    format: str = ""
    organisation_code: str = ""
    organisation_nom: str = ""
    periode: str = ""
    cibles: list[str] = field(default_factory=list)
    constats: list[Constat] = field(default_factory=list)
    repondant_nom: str = ""
    repondant_courriel: str = ""
    #: données validées (saisie de son type de calcul), seulement pour les cibles sans erreur
    saisies: dict[str, Any] = field(default_factory=dict)
    resultats: list[Resultat] = field(default_factory=list)
    #: réponses de rétroaction non vides : nom défini → note (1 à 5) ou commentaire
    retroaction: dict[str, int | str] = field(default_factory=dict)
    #: la lecture défensive a accepté le fichier (sinon, aucune copie annotée n'est possible)
    lisible: bool = True

    @property
    def erreurs(self) -> list[Constat]:
        return [c for c in self.constats if c.severite is Severite.ERREUR]

    @property
    def valide(self) -> bool:
        return not self.erreurs

    @property
    def identifie(self) -> bool:
        """Le fichier est utilisable : aucune erreur qui ne soit rattachée à une cible."""
        return not any(c.cible is None for c in self.erreurs)
