"""Des couches qu'on voit : chaque paquet n'importe que les couches du dessous, sans cycle.

L'ordre est celui du README (« Architecture ») : le catalogue et le domaine en bas, la lecture
et l'écriture sûre, les calculs, la validation, la compilation et les gabarits, les sorties, puis
l'interface (`commandes`, `cli`, le vérificateur Web, `regenerer`). Un import qui remonterait
fait échouer ce test en nommant le module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PAQUET = Path(__file__).resolve().parents[1] / "barometre_cli"

#: Couche → les couches qu'elle peut importer (les modules du haut sont des couches aussi).
PERMIS: dict[str, set[str]] = {
    "catalogue": set(),
    "domaine": {"catalogue"},
    "ecriture": {"domaine"},
    "lecture": {"domaine"},
    "calculs": {"catalogue", "domaine", "lecture"},
    "validation": {"catalogue", "domaine", "lecture", "calculs"},
    "compilation": {"catalogue", "domaine", "ecriture", "lecture", "calculs", "validation"},
    "gabarit": {"catalogue", "domaine", "ecriture", "lecture", "calculs"},
    "sorties": {
        "__init__", "catalogue", "domaine", "ecriture", "lecture", "calculs", "validation",
        "compilation",
    },
    "validateur": {"__init__", "domaine", "validation", "sorties"},
    "commandes": {
        "catalogue", "domaine", "ecriture", "lecture", "calculs", "validation", "compilation",
        "gabarit", "sorties", "validateur",
    },
    "regenerer": {"catalogue", "domaine", "compilation", "lecture", "validation", "gabarit",
                  "sorties"},
    "cli": {"commandes", "domaine", "ecriture", "francais", "sorties"},
    "francais": set(),
    "__main__": {"cli", "ecriture"},
    "__init__": set(),
}  # fmt: skip
#: Les seuls modules qui parlent aux gens : eux seuls importent les sorties.
INTERFACE = {"cli", "commandes", "validateur", "regenerer", "sorties"}


def _couche(chemin: Path) -> str:
    relatif = chemin.relative_to(PAQUET)
    return relatif.parts[0] if len(relatif.parts) > 1 else relatif.stem


def _imports(chemin: Path) -> set[str]:
    """Les couches du paquet qu'un module importe (au chargement ou dans une fonction)."""
    trouves: set[str] = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms = [noeud.module]
            if noeud.module == "barometre_cli":  # un module du paquet, ou un nom de __init__
                noms = [
                    f"barometre_cli.{a.name}"
                    if (PAQUET / f"{a.name}.py").exists() or (PAQUET / a.name).is_dir()
                    else "barometre_cli"
                    for a in noeud.names
                ]
        elif isinstance(noeud, ast.Import):
            noms = [a.name for a in noeud.names]
        else:
            continue
        for nom in noms:
            morceaux = nom.split(".")
            if morceaux[0] == "barometre_cli":
                trouves.add(morceaux[1] if len(morceaux) > 1 else "__init__")
    return trouves


def test_chaque_couche_n_importe_que_le_dessous():
    fautes = []
    for chemin in sorted(PAQUET.rglob("*.py")):
        couche = _couche(chemin)
        assert couche in PERMIS, f"{chemin.relative_to(PAQUET)} : couche inconnue, à placer"
        for importee in _imports(chemin) - {couche} - PERMIS[couche]:
            fautes.append(f"{chemin.relative_to(PAQUET)} importe {importee}")
    assert not fautes, "\n".join(fautes)


def test_seule_l_interface_importe_les_sorties():
    for chemin in sorted(PAQUET.rglob("*.py")):
        if "sorties" in _imports(chemin):
            assert _couche(chemin) in INTERFACE, chemin.relative_to(PAQUET)


def test_aucun_cycle_entre_couches():
    graphe: dict[str, set[str]] = {}
    for chemin in PAQUET.rglob("*.py"):
        graphe.setdefault(_couche(chemin), set()).update(_imports(chemin) - {_couche(chemin)})
    visites: dict[str, int] = {}

    def parcourir(noeud: str, pile: tuple[str, ...]) -> None:
        assert noeud not in pile, " → ".join((*pile, noeud))
        if visites.get(noeud):
            return
        for suivant in graphe.get(noeud, ()):
            parcourir(suivant, (*pile, noeud))
        visites[noeud] = 1

    for noeud in graphe:
        parcourir(noeud, ())


def test_une_poignee_de_modules_au_sommet():
    sommet = sorted(p.stem for p in PAQUET.glob("*.py"))
    assert sommet == ["__init__", "__main__", "cli", "commandes", "francais", "regenerer"]
