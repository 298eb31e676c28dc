"""Programme exécuté par le Python de Pyodide, sous Node, quand `barometre validateur` écrit le site.

    node pyodide_node.mjs DOSSIER_PYODIDE DOSSIER_DE_TRAVAIL precompilation.py

Sous Pyodide, `zipimport` ne garde aucun cache de compilation : chaque visite de la page
recompilait depuis les sources les quelque 190 modules que Python importe au démarrage et pour
valider. On les compile ici une fois, avec le Python même de la page (même version, même
format de bytecode) :

Le dossier de travail (monté sous /travail) contient `modules.txt` (les modules que la page
importe) et `sources/` (les sources du projet, `barometre_cli/…`) ; le programme y écrit :

- `stdlib.zip` : les modules de la bibliothèque standard listés dans `modules.txt` (et leurs
  paquets parents), en bytecode seul (`.pyc` « unchecked-hash » : aucune source à relire), et
  `_barometre_absents`, la liste des modules de la bibliothèque complète laissés de côté, dont
  la sentinelle de la page (`sentinelle.py`) se sert pour reconnaître un module manquant ;
- `paquet.zip` : les modules du projet, importés par la page directement depuis l'archive : en
  bytecode seul ceux que `modules.txt` nomme (la validation), en source les autres (jamais
  importés par la page d'ordinaire).

Les archives sont reproductibles octet pour octet (dates fixes, ordre trié).
"""

from __future__ import annotations

import sys

TRAVAIL = "/travail"
DATE_ZIP = (2020, 1, 1, 0, 0, 0)


def _bytecode(source: bytes, nom: str) -> bytes:
    """Le .pyc d'une source, comme l'écrirait py_compile en mode « unchecked-hash »."""
    import _imp
    import importlib._bootstrap_external as externe

    code = compile(source, nom, "exec", dont_inherit=True)
    # La clé du hachage des sources : `_imp.pyc_magic_number_token` depuis Python 3.14.
    cle = getattr(_imp, "pyc_magic_number_token", None)
    if cle is None:  # pragma: no cover - Python 3.13 et avant
        cle = externe._RAW_MAGIC_NUMBER
    empreinte = _imp.source_hash(cle, source)
    return bytes(externe._code_to_hash_pyc(code, empreinte, False))


def _ajouter(archive, nom: str, donnees: bytes) -> None:
    import zipfile

    info = zipfile.ZipInfo(nom, DATE_ZIP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, donnees)


def _module(chemin: str) -> str:
    """« xml/etree/__init__.py » → « xml.etree »."""
    sans = chemin[: -len("/__init__.py")] if chemin.endswith("/__init__.py") else chemin[:-3]
    return sans.replace("/", ".")


def _lignes(chemin: str) -> list[str]:
    with open(chemin, encoding="utf-8") as fichier:
        return [ligne.strip() for ligne in fichier if ligne.strip() and not ligne.startswith("#")]


def main() -> None:
    import os
    import zipfile

    liste, sources = f"{TRAVAIL}/modules.txt", f"{TRAVAIL}/sources"
    bibliotheque = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
    complete = zipfile.ZipFile(bibliotheque)
    fichiers = {_module(n): n for n in complete.namelist() if n.endswith(".py")}
    voulus: set[str] = set()
    projet = {m for m in _lignes(liste) if m.split(".")[0] == "barometre_cli"}
    for module in _lignes(liste):
        if module in projet:
            continue
        if module not in fichiers:
            raise SystemExit(
                f"le module « {module} » de la liste n'est pas dans la bibliothèque standard de "
                "cette version de Pyodide : refaites la liste (voir tests/donnees/README.md)"
            )
        parties = module.split(".")
        voulus.update(".".join(parties[:i]) for i in range(1, len(parties) + 1))
    with zipfile.ZipFile(f"{TRAVAIL}/stdlib.zip", "w") as archive:
        for module in sorted(voulus):
            nom = fichiers[module]
            _ajouter(archive, nom + "c", _bytecode(complete.read(nom), f"{bibliotheque}/{nom}"))
        absents = sorted(set(fichiers) - voulus)
        source = f"ABSENTS = frozenset({absents!r})\n".encode()
        nom = "_barometre_absents.py"
        _ajouter(archive, nom + "c", _bytecode(source, f"{bibliotheque}/{nom}"))
    relatifs = [
        os.path.relpath(os.path.join(dossier, nom), sources).replace(os.sep, "/")
        for dossier, _, noms in os.walk(sources)
        for nom in noms
        if nom.endswith(".py")
    ]
    with zipfile.ZipFile(f"{TRAVAIL}/paquet.zip", "w") as archive:
        for relatif in sorted(relatifs):
            with open(f"{sources}/{relatif}", "rb") as fichier:
                source = fichier.read()
            if _module(relatif) in projet:
                _ajouter(archive, relatif + "c", _bytecode(source, f"/barometre/{relatif}"))
            else:
                _ajouter(archive, relatif, source)


if __name__ == "__main__":
    main()
