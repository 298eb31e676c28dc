from barometre_cli.cli import main

main()
