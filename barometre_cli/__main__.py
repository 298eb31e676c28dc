"""`python -m barometre_cli` : la même commande que `barometre`."""

from barometre_cli.cli import main

# La garde compte sous Windows : les processus de lecture (« spawn ») réimportent ce module.
if __name__ == "__main__":
    main()
