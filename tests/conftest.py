"""Réglages communs : une console large et sans couleur, pour des sorties stables."""

from __future__ import annotations

import os

os.environ.setdefault("COLUMNS", "200")
os.environ["NO_COLOR"] = "1"
os.environ.setdefault("TERMINAL_WIDTH", "200")
