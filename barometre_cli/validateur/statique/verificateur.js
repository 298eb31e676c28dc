// Vérificateur du Baromètre numériQc : Web Worker (module) qui exécute la validation en Python.
//
// Le fil principal reste libre pendant que Pyodide démarre et que chaque classeur est lu, même
// piégé. Messages reçus : {type: "demarrer", pyodide, paquet} puis {type: "verifier", id,
// fichier}. Messages envoyés : {type: "etat", texte}, {type: "pret"}, {type: "debut", id},
// {type: "resultat", id, rapport, affichage}, {type: "echec", id?, message}.
//
// Chaque classeur est monté dans le système de fichiers virtuel de Pyodide sous son nom
// d'origine (WORKERFS : les octets sont lus à la demande dans le File, sans copie) ; la
// validation lit au plus la taille permise, comme la commande.

let pyodide = null;
let navigateur = null;
let numero = 0;

function etat(texte) {
  postMessage({ type: "etat", texte });
}

async function demarrer({ pyodide: dossier, paquet }) {
  etat("Préparation du vérificateur : chargement de Python…");
  const base = new URL(dossier, import.meta.url);
  await verifierTypeWasm(new URL("pyodide.asm.wasm", base));
  const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
  pyodide = await loadPyodide({
    indexURL: base.href,
    stdout: () => {},
    stderr: (ligne) => console.warn(ligne),
  });
  etat("Préparation du vérificateur : chargement des règles de validation…");
  const reponse = await fetch(new URL(paquet, import.meta.url));
  if (!reponse.ok) {
    throw new Error(`les règles de validation (${paquet}) sont introuvables (HTTP ${reponse.status}).`);
  }
  pyodide.unpackArchive(await reponse.arrayBuffer(), "zip", { extractDir: "/barometre" });
  pyodide.runPython("import sys; sys.path.insert(0, '/barometre')");
  // Un appel simple d'abord : l'environnement Python et le code du projet répondent.
  const essai = pyodide.runPython(
    "from barometre_cli.domaine.formats import pourcentage; pourcentage(0.627)"
  );
  if (essai !== "62,7 %") {
    throw new Error(`l'environnement Python répond mal (« ${essai} »).`);
  }
  postMessage({ type: "python", essai, version: pyodide.version });
  navigateur = pyodide.pyimport("barometre_cli.validateur.navigateur");
  postMessage({ type: "pret" });
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
  try {
    const reponse = JSON.parse(navigateur.verifier(`${dossier}/${fichier.name}`));
    postMessage({ type: "resultat", id, ...reponse });
  } finally {
    FS.unmount(dossier);
    FS.rmdir(dossier);
  }
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
    postMessage({ type: "echec", id: message.id, message: raison(erreur) });
  }
};
