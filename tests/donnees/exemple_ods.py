"""L'exemple livré (`exemples/classeurs`) converti en .ods par LibreOffice, gardé en cache.

Chaque classeur est ouvert puis enregistré au format « Classeur ODF » par `soffice
--convert-to ods` (la conversion garde la date de modification du document, celle qui départage
deux envois) ; ce qui n'est pas une archive ZIP (la note renommée .xlsx) est copié tel quel.
La conversion des 371 classeurs prend une à deux minutes sur deux cœurs : elle est faite une
fois, puis gardée dans `tests/donnees/cache/` (ignoré par git) sous l'empreinte de l'exemple
et de la version de LibreOffice.

    python -m tests.donnees.exemple_ods       # prépare le cache et affiche son chemin
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ICI = Path(__file__).resolve().parent
EXEMPLE = ICI.parents[1] / "exemples" / "classeurs"
CACHE = ICI / "cache"


def _version_soffice(soffice: str) -> str:
    sortie = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=120)
    return sortie.stdout.strip()


def empreinte(source: Path, soffice: str) -> str:
    """Les octets de chaque fichier de l'exemple, leur chemin et la version de LibreOffice."""
    somme = hashlib.sha256(_version_soffice(soffice).encode())
    for chemin in sorted(source.rglob("*")):
        if chemin.is_file():
            somme.update(chemin.relative_to(source).as_posix().encode() + b"\0")
            somme.update(chemin.read_bytes())
    return somme.hexdigest()[:16]


def _convertir_dossier(
    soffice: str, fichiers: list[Path], sortie: Path, profil: Path, format_: str
) -> None:
    sortie.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profil.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            format_,
            "--outdir",
            str(sortie),
            *map(str, fichiers),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, "SAL_ENABLE_FILE_LOCKING": "0"},
    )


def convertir(
    source: Path, destination: Path, soffice: str, processus: int = 2, format_: str = "ods"
) -> None:
    """Les classeurs répartis en `processus` lots, un `soffice` par lot (chacun son profil),
    enregistrés au `format_` (« ods », ou « xlsx » pour un aller-retour dans Calc) à plat puis
    remis à leur place ; vérifie qu'aucun ne manque à l'arrivée."""
    classeurs: list[Path] = []
    for chemin in sorted(source.rglob("*")):
        if not chemin.is_file():
            continue
        if chemin.suffix == ".xlsx" and chemin.read_bytes()[:2] == b"PK":
            classeurs.append(chemin)
        else:
            cible = destination / chemin.relative_to(source)
            cible.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(chemin, cible)
    if len({c.name for c in classeurs}) != len(classeurs):
        raise RuntimeError(
            "deux classeurs de l'exemple portent le même nom : conversion à plat impossible"
        )
    with tempfile.TemporaryDirectory(prefix="barometre-ods-") as temporaire:
        lots = [classeurs[i::processus] for i in range(processus)]

        def convertir_lot(numero: int) -> None:
            plat = Path(temporaire) / f"lot{numero}"
            profil = Path(temporaire) / f"profil{numero}"
            _convertir_dossier(soffice, lots[numero], plat, profil, format_)

        with ThreadPoolExecutor(processus) as groupe:
            list(groupe.map(convertir_lot, range(processus)))
        manquants = []
        for numero, lot in enumerate(lots):
            for classeur in lot:
                converti = Path(temporaire) / f"lot{numero}" / f"{classeur.stem}.{format_}"
                cible = (destination / classeur.relative_to(source)).with_suffix(f".{format_}")
                if not converti.is_file():
                    manquants.append(classeur.name)
                    continue
                cible.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(converti, cible)
    if manquants:
        raise RuntimeError(f"soffice n'a pas converti {len(manquants)} classeurs : {manquants[:3]}")


def exemple_en_ods() -> Path:
    """Le dossier de l'exemple converti en .ods (fait une fois, puis repris du cache)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) est requis pour convertir l'exemple en .ods.")
    dossier = CACHE / f"exemple-ods-{empreinte(EXEMPLE, soffice)}"
    pret = dossier / ".pret"
    if pret.is_file():
        return dossier / "classeurs"
    shutil.rmtree(dossier, ignore_errors=True)
    convertir(EXEMPLE, dossier / "classeurs", soffice)
    pret.write_text("ok\n", encoding="utf-8")
    return dossier / "classeurs"


if __name__ == "__main__":
    print(exemple_en_ods())
    sys.exit(0)
