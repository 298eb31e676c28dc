"""`python -m barometre_cli` et la commande `barometre`.

Ce module reste léger : il pose les gestionnaires de Ctrl+C et de SIGTERM avant de charger la
CLI (Typer, Rich), dont l'import prend quelques dixièmes de seconde. Un Ctrl+C pendant ce
chargement donne le même message, sans trace Python, avec le code 130.
"""

import signal
import sys


def main() -> None:
    """Point d'entrée du script `barometre`."""
    from barometre_cli.ecriture.interruption import Interrompu, a_capter

    def au_demarrage(numero: int, _cadre) -> None:
        raise Interrompu(numero, "Commande", "rien n'a été modifié.")

    for numero in a_capter():
        signal.signal(numero, au_demarrage)
    try:
        from barometre_cli.cli import main as principal
    except Interrompu as exc:
        sys.stderr.write(f"\n{exc}\n")
        sys.exit(130)
    principal()


# La garde compte sous Windows : les processus de lecture (« spawn ») réimportent ce module.
if __name__ == "__main__":
    main()
