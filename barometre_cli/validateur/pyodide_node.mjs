// Exécuter un programme Python dans Pyodide sous Node : ce que `barometre validateur` utilise pour
// compiler, avec le Python même du navigateur, la bibliothèque standard et le code du projet.
//
//   node pyodide_node.mjs DOSSIER_PYODIDE PROGRAMME.py [ARGUMENTS…]
//
// Le système de fichiers de la machine est monté sous /hote dans Pyodide (un chemin absolu
// /x/y s'y lit /hote/x/y) ; le programme reçoit ses arguments dans sys.argv. Code de sortie :
// 0 si le programme s'est terminé normalement, 1 sinon (le message est sur la sortie d'erreur).

import { readFile } from "node:fs/promises";
import path from "node:path";

const [dossier, programme, ...argumentsPython] = process.argv.slice(2);
if (!dossier || !programme) {
  console.error("usage : node pyodide_node.mjs DOSSIER_PYODIDE PROGRAMME.py [ARGUMENTS…]");
  process.exit(2);
}

try {
  const racine = path.resolve(dossier) + path.sep;
  const { loadPyodide } = await import(new URL(`file://${racine}pyodide.mjs`).href);
  const pyodide = await loadPyodide({
    indexURL: racine,
    stdout: (ligne) => process.stdout.write(ligne + "\n"),
    stderr: (ligne) => process.stderr.write(ligne + "\n"),
  });
  pyodide.FS.mkdir("/hote");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: "/" }, "/hote");
  const source = await readFile(programme, "utf8");
  pyodide.globals.set("_arguments", pyodide.toPy([programme, ...argumentsPython]));
  pyodide.runPython("import sys; sys.argv = list(_arguments); del _arguments");
  pyodide.runPython(source, { filename: programme });
  process.exit(0);
} catch (erreur) {
  console.error(String((erreur && erreur.message) || erreur));
  process.exit(1);
}
