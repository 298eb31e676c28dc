// Vérificateur du Baromètre numériQc : Web Worker (module) qui exécute la validation en Python.
//
// Le fil principal reste libre pendant que Pyodide démarre et que chaque classeur est lu, même
// piégé. Messages reçus : {type: "demarrer", pyodide, paquet, bibliotheque} puis {type:
// "verifier", id, fichier}. Messages envoyés : {type: "etat", texte}, {type: "python", essai,
// version}, {type: "pret", bibliotheque, durees}, {type: "debut", id}, {type: "resultat", id, rapport,
// affichage}, {type: "manque", id?, modules}, {type: "echec", id?, message}.
//
// Démarrage : tout part en même temps (les deux modules de Pyodide, le code du projet, la
// vérification du type du .wasm) ; le fichier de verrouillage de Pyodide est dans ce code même
// (la page ne charge aucun paquet). `bibliotheque` est la bibliothèque standard allégée et déjà
// compilée du site ; sans elle (null), Pyodide charge sa bibliothèque complète.
//
// Si la validation cherche un module que la bibliothèque allégée n'a pas (la sentinelle Python
// le note), le verdict est écarté et la page relance le worker avec la bibliothèque complète :
// message « manque ». Une bibliothèque allégée peut coûter du temps, jamais un verdict.
//
// Chaque classeur est monté dans le système de fichiers virtuel de Pyodide sous son nom
// d'origine (WORKERFS : les octets sont lus à la demande dans le File, sans copie) ; la
// validation lit au plus la taille permise, comme la commande.

/** Le fichier de verrouillage de Pyodide, sans paquets (écrit par `barometre validateur`). */
const VERROU = /*__VERROU_PYODIDE__*/ null;

let pyodide = null;
let navigateur = null;
let allegee = false;
let numero = 0;

function etat(texte) {
  postMessage({ type: "etat", texte });
}

class Manque extends Error {
  constructor(modules) {
    super(`modules absents de la bibliothèque allégée : ${modules.join(", ")}`);
    this.modules = modules;
  }
}

async function telecharger(adresse, quoi) {
  const reponse = await fetch(adresse);
  if (!reponse.ok) {
    throw new Error(`${quoi} (${adresse.pathname}) sont introuvables (HTTP ${reponse.status}).`);
  }
  return reponse.arrayBuffer();
}

async function demarrer({ pyodide: dossier, paquet, bibliotheque }) {
  const debut = performance.now();
  etat("Préparation du vérificateur : chargement de Python…");
  allegee = Boolean(bibliotheque);
  const base = new URL(dossier, import.meta.url);
  const archive = telecharger(new URL(paquet, import.meta.url), "les règles de validation");
  archive.catch(() => {}); // attendue plus bas ; évite un rejet « non traité » entre-temps
  const typeWasm = verifierTypeWasm(new URL("pyodide.asm.wasm", base));
  const [{ loadPyodide }] = await Promise.all([
    import(new URL("pyodide.mjs", base).href),
    import(new URL("pyodide.asm.mjs", base).href), // déjà là quand loadPyodide le demande
    typeWasm,
  ]);
  const options = {
    indexURL: base.href,
    lockFileContents: VERROU,
    stdout: () => {},
    stderr: (ligne) => console.warn(ligne),
  };
  if (bibliotheque) options.stdLibURL = new URL(bibliotheque, import.meta.url).href;
  try {
    pyodide = await loadPyodide(options);
  } catch (erreur) {
    if (allegee) throw new Manque(["(démarrage de Python)"]);
    throw erreur;
  }
  const python = performance.now();
  etat("Préparation du vérificateur : chargement des règles de validation…");
  pyodide.FS.writeFile("/barometre_cli.zip", new Uint8Array(await archive));
  try {
    pyodide.runPython("import sys; sys.path.insert(0, '/barometre_cli.zip')");
    if (allegee) {
      pyodide.runPython("from barometre_cli.validateur import sentinelle; sentinelle.installer()");
    }
    // Un appel simple d'abord : l'environnement Python et le code du projet répondent.
    const essai = pyodide.runPython(
      "from barometre_cli.domaine.formats import pourcentage; pourcentage(0.627)"
    );
    if (essai !== "62,7 %") {
      throw new Error(`l'environnement Python répond mal (« ${essai} »).`);
    }
    navigateur = pyodide.pyimport("barometre_cli.validateur.navigateur");
    postMessage({ type: "python", essai, version: pyodide.version });
  } finally {
    signalerManque();
  }
  // Durées en millisecondes, pour le banc d'essai : Python démarré, puis le code du projet.
  const durees = { python: python - debut, projet: performance.now() - python };
  postMessage({ type: "pret", bibliotheque: allegee ? "allegee" : "complete", durees });
}

function signalerManque() {
  // Lève `Manque` si la sentinelle a vu chercher un module laissé de côté.
  if (!allegee || !pyodide) return;
  const manques = pyodide.runPython(
    "from barometre_cli.validateur.sentinelle import manquants; '\\n'.join(manquants())"
  );
  if (manques) throw new Manque(manques.split("\n"));
}

async function verifierTypeWasm(adresse) {
  // Servi avec un autre type, le .wasm est refusé et Pyodide attend sans fin : mieux vaut
  // dire tout de suite à l'hébergeur quoi corriger.
  let type = null;
  try {
    const reponse = await fetch(adresse, { method: "HEAD" });
    if (reponse.ok) type = reponse.headers.get("content-type");
  } catch {
    return; // la vraie requête dira ce qui ne va pas
  }
  if (type && !type.toLowerCase().startsWith("application/wasm")) {
    throw new Error(
      `le serveur Web sert pyodide.asm.wasm avec le type « ${type} » au lieu de ` +
        "« application/wasm ». L'hébergeur du site doit corriger ce type de fichier."
    );
  }
}

function verifier({ id, fichier }) {
  postMessage({ type: "debut", id });
  const FS = pyodide.FS;
  const dossier = `/classeurs/${++numero}`;
  FS.mkdirTree(dossier);
  FS.mount(FS.filesystems.WORKERFS, { files: [fichier] }, dossier);
  let reponse;
  try {
    reponse = navigateur.verifier(`${dossier}/${fichier.name}`);
  } finally {
    FS.unmount(dossier);
    FS.rmdir(dossier);
    signalerManque(); // avant tout verdict, même quand Python a levé une exception
  }
  postMessage({ type: "resultat", id, ...JSON.parse(reponse) });
}

function raison(erreur) {
  // Une exception Python arrive avec toute sa trace : la ligne « XxxError: … » suffit.
  const lignes = String((erreur && erreur.message) || erreur).trim().split("\n");
  const ligne = lignes.findLast((l) => /^[A-Za-z_.]*(Error|Exception)\b/.test(l));
  return (ligne || lignes[lignes.length - 1]).slice(0, 500);
}

onmessage = async (evenement) => {
  const message = evenement.data;
  try {
    if (message.type === "demarrer") {
      await demarrer(message);
    } else if (message.type === "verifier") {
      verifier(message);
    }
  } catch (erreur) {
    if (erreur instanceof Manque) {
      postMessage({ type: "manque", id: message.id, modules: erreur.modules });
    } else {
      postMessage({ type: "echec", id: message.id, message: raison(erreur) });
    }
  }
};
