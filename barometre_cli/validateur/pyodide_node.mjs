// Exécuter un programme Python dans Pyodide sous Node : ce que `barometre validateur` utilise pour
// compiler, avec le Python même du navigateur, la bibliothèque standard et le code du projet.
//
//   node pyodide_node.mjs DOSSIER_PYODIDE DOSSIER_DE_TRAVAIL PROGRAMME.py [ARGUMENTS…]
//
// Le dossier de travail est monté sous /travail dans Pyodide (lecture et écriture) : le
// programme y trouve ses fichiers et y écrit ses résultats. Il reçoit ses arguments dans
// sys.argv. Code de sortie : 0 si le programme s'est terminé normalement, 1 sinon (le message
// est sur la sortie d'erreur). Les chemins sont ceux du système, sous Windows comme ailleurs.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dossier, travail, programme, ...argumentsPython] = process.argv.slice(2);
if (!dossier || !travail || !programme) {
  console.error("usage : node pyodide_node.mjs DOSSIER_PYODIDE DOSSIER_DE_TRAVAIL PROGRAMME.py …");
  process.exit(2);
}

try {
  const racine = path.resolve(dossier) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(path.join(racine, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    indexURL: racine,
    stdout: (ligne) => process.stdout.write(ligne + "\n"),
    stderr: (ligne) => process.stderr.write(ligne + "\n"),
  });
  pyodide.FS.mkdir("/travail");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(travail) }, "/travail");
  const source = await readFile(programme, "utf8");
  pyodide.globals.set("_arguments", pyodide.toPy([programme, ...argumentsPython]));
  pyodide.runPython("import sys; sys.argv = list(_arguments); del _arguments");
  pyodide.runPython(source, { filename: programme });
  process.exit(0);
} catch (erreur) {
  console.error(String((erreur && erreur.message) || erreur).slice(-2000));
  process.exit(1);
}
