"""Un petit module par format de sortie : console (rich), JSON, classeur, CSV ouvert."""
