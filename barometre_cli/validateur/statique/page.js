// Page du vérificateur : choisir des classeurs, les confier au Web Worker, montrer ses réponses.
//
// Tout texte venu d'un fichier est inséré par textContent, jamais comme du HTML. Le worker
// vérifie les classeurs un à la fois ; la page lui en confie quelques-uns d'avance (FENETRE)
// pour qu'il n'attende jamais. Si l'un d'eux dépasse DELAI_MAX, ou fait échouer le worker
// (une erreur dont Python ne se relève pas rendrait chaque fichier suivant inutilisable), le
// worker est arrêté et remplacé, le fichier signalé, et les suivants vérifiés quand même.
//
// Le worker démarre avec la bibliothèque standard allégée du site. S'il signale un module
// manquant (« manque »), son verdict en cours est écarté : il est remplacé par un worker qui
// charge la bibliothèque complète de Pyodide, et les fichiers qui lui étaient confiés sont
// vérifiés de nouveau. L'attribut data-bibliotheque de la page dit laquelle sert.

"use strict";

const DELAI_MAX = 60_000;
const FENETRE = 4;
/** Au-delà, la préparation est tenue pour bloquée (elle prend quelques secondes d'ordinaire). */
const PREPARATION_MAX = 180_000;

const racine = document.documentElement;
const empreinte = racine.dataset.empreinte;
const dossierPyodide = racine.dataset.pyodide;
const bibliothequeAllegee = racine.dataset.bibliothequeAllegee;

const zoneEtat = document.getElementById("etat-zone");
const texteEtat = document.getElementById("etat");
const progression = document.getElementById("progression");
const champ = document.getElementById("fichiers");
const depot = document.getElementById("depot");
const sectionResultats = document.getElementById("resultats");
const liste = document.getElementById("liste-fichiers");
const boutonEnregistrer = document.getElementById("enregistrer");

let worker = null;
let pret = false;
let enPanne = false;
/** Vrai une fois qu'un module a manqué : les workers suivants chargent la bibliothèque complète. */
let complete = false;
let minuterie = null;
let minuteriePreparation = null;
/** Les fichiers confiés au worker et pas encore rendus (peut-être d'un lot déjà remplacé). */
let confies = [];
/** L'identifiant du fichier que le worker est en train de vérifier. */
let courant = null;
let prochainId = 0;
/** L'instant (ms depuis l'ouverture de la page) où le dernier worker a été créé. */
let debutWorker = 0;
/** Le lot en cours : un élément par fichier choisi, dans l'ordre. */
let lot = [];
let lotConclu = false;
/** Le bilan du dernier lot, redit quand un worker remplacé est de nouveau prêt. */
let bilan = "";

function annoncer(texte, occupe = false) {
  texteEtat.textContent = texte;
  progression.hidden = !occupe;
  zoneEtat.classList.toggle("occupe", occupe);
}

function pluriel(n, mot) {
  return `${n} ${mot}${n > 1 ? "s" : ""}`;
}

// --- Le worker ---------------------------------------------------------------------------

function demarrerWorker() {
  pret = false;
  enPanne = false;
  racine.dataset.etat = "preparation";
  annoncer("Préparation du vérificateur…", true);
  if (location.protocol === "file:") {
    panne(
      "cette page doit être ouverte depuis le site Web qui la publie, pas " +
        "directement depuis un fichier de l'ordinateur."
    );
    return;
  }
  clearTimeout(minuteriePreparation);
  minuteriePreparation = setTimeout(() => {
    worker.terminate();
    panne(
      "la préparation dépasse trois minutes. Rechargez la page ; si le problème persiste, " +
        "signalez-le à l'équipe du Baromètre."
    );
  }, PREPARATION_MAX);
  debutWorker = performance.now();
  worker = new Worker(`verificateur.js?v=${empreinte}`, { type: "module" });
  worker.onmessage = (evenement) => recevoir(evenement.data);
  worker.onerror = (evenement) => {
    evenement.preventDefault();
    if (pret) {
      // Tombé en cours de route, hors de toute vérification attrapée : on le remplace.
      remplacer(
        courant,
        "Le vérificateur s'est arrêté pendant la vérification de ce fichier. Signalez-le à " +
          "l'équipe du Baromètre, ou utilisez la commande barometre valider."
      );
      return;
    }
    panne(
      "votre navigateur ne peut pas exécuter le vérificateur. Utilisez une version récente " +
        "de Microsoft Edge, Google Chrome ou Mozilla Firefox."
    );
  };
  worker.postMessage({
    type: "demarrer",
    pyodide: dossierPyodide,
    paquet: `barometre_cli.zip?v=${empreinte}`,
    bibliotheque: complete ? null : `${bibliothequeAllegee}?v=${empreinte}`,
  });
}

function recommencerAvecLaBibliothequeComplete() {
  // Aucun verdict de ce worker n'est gardé pour les fichiers en cours : ils repassent tous.
  worker.terminate();
  clearTimeout(minuterie);
  minuterie = null;
  for (const element of confies) {
    element.etat = "attente";
  }
  confies = [];
  courant = null;
  complete = true;
  demarrerWorker();
}

function panne(message) {
  clearTimeout(minuteriePreparation);
  enPanne = true;
  racine.dataset.etat = "echec";
  annoncer(`Le vérificateur n'a pas pu démarrer : ${message}`);
  zoneEtat.classList.add("alerte");
}

function recevoir(message) {
  switch (message.type) {
    case "etat":
      annoncer(message.texte, true);
      break;
    case "python":
      racine.dataset.python = message.essai;
      break;
    case "pret":
      clearTimeout(minuteriePreparation);
      pret = true;
      racine.dataset.etat = "pret";
      racine.dataset.bibliotheque = message.bibliotheque;
      // Pour le banc d'essai : quand le worker a été créé et quand il a été prêt (ms depuis
      // l'ouverture de la page), et les durées de son démarrage.
      racine.dataset.jalons = JSON.stringify({
        worker: debutWorker,
        pret: performance.now(),
        ...message.durees,
      });
      zoneEtat.classList.remove("alerte");
      if (lot.some((f) => f.etat !== "fini")) {
        envoyer();
      } else {
        annoncer(bilan || "Le vérificateur est prêt : choisissez vos classeurs.");
      }
      break;
    case "debut":
      commencer(message.id);
      break;
    case "resultat":
      terminer(message.id, (element) => afficherResultat(element, message));
      break;
    case "manque":
      console.info(`Bibliothèque complète chargée (manquait : ${message.modules.join(", ")}).`);
      recommencerAvecLaBibliothequeComplete();
      break;
    case "echec":
      if (!pret) {
        panne(message.message);
      } else {
        // Une vérification ne lève jamais d'exception pour un mauvais fichier : un échec vient
        // d'une erreur dont Python ne se relève peut-être pas. Le worker est remplacé.
        remplacer(
          message.id,
          `La vérification n'a pas pu se faire (${message.message}). Signalez-le à ` +
            "l'équipe du Baromètre, ou utilisez la commande barometre valider."
        );
      }
      break;
  }
}

function commencer(id) {
  courant = id;
  clearTimeout(minuterie);
  minuterie = setTimeout(depasse, DELAI_MAX);
  const element = lot.find((f) => f.id === id);
  if (element) {
    const rang = lot.indexOf(element) + 1;
    annoncer(`Vérification de ${element.fichier.name} (${rang} sur ${lot.length})…`, true);
  }
}

function terminer(id, afficher) {
  clearTimeout(minuterie);
  minuterie = null;
  courant = null;
  confies = confies.filter((f) => f.id !== id);
  const element = lot.find((f) => f.id === id); // absent si le lot a été remplacé
  if (element) {
    element.etat = "fini";
    afficher(element);
  }
  envoyer();
}

function envoyer() {
  if (!pret) return;
  for (const suivant of lot) {
    if (confies.length >= FENETRE) break;
    if (suivant.etat !== "attente") continue;
    suivant.etat = "confie";
    confies.push(suivant);
    worker.postMessage({ type: "verifier", id: suivant.id, fichier: suivant.fichier });
  }
  conclureSiFini();
}

function conclureSiFini() {
  if (lot.length && !lotConclu && lot.every((f) => f.etat === "fini")) {
    lotConclu = true;
    conclure();
  }
}

function depasse() {
  // Le worker ne répond plus (la page, elle, n'a jamais cessé de répondre).
  remplacer(
    courant,
    `La vérification a dépassé ${DELAI_MAX / 1000} secondes et a été arrêtée. Ce fichier ` +
      "n'est pas un gabarit du Baromètre ordinaire : enregistrez-le de nouveau au format " +
      "« Classeur Excel (.xlsx) » ou « Classeur ODF (.ods) », ou signalez-le à l'équipe du " +
      "Baromètre."
  );
}

function remplacer(idEnCause, texte) {
  // Le worker ne peut plus servir : délai dépassé, ou erreur dont Python ne se relève pas
  // (pile épuisée, mémoire…), après laquelle chaque fichier suivant échouerait aussi. On
  // l'arrête et on en démarre un neuf : le fichier en cause est signalé, les autres fichiers
  // confiés seront confiés au nouveau worker.
  worker.terminate();
  clearTimeout(minuterie);
  minuterie = null;
  for (const element of confies) {
    if (element.id !== idEnCause) {
      element.etat = "attente";
    } else if (lot.includes(element)) {
      element.etat = "fini";
      afficherProbleme(element, texte);
    }
  }
  confies = [];
  courant = null;
  demarrerWorker();
  conclureSiFini();
}

// --- Les fichiers ------------------------------------------------------------------------

function nouveauLot(fichiers) {
  if (!fichiers.length) return;
  // Des fichiers de l'ancien lot peuvent être confiés : leurs réponses seront ignorées.
  lot = Array.from(fichiers, (fichier) => ({
    id: ++prochainId,
    fichier,
    etat: "attente",
    rapport: null,
    valide: false,
    section: null,
  }));
  lotConclu = false;
  liste.replaceChildren(...lot.map(preparerSection));
  bilan = "";
  boutonEnregistrer.disabled = true;
  sectionResultats.hidden = false;
  delete racine.dataset.lot;
  if (enPanne) return;
  if (!pret) {
    annoncer(
      `Préparation du vérificateur… ${pluriel(lot.length, "fichier")} en attente.`,
      true
    );
    return;
  }
  envoyer();
}

function preparerSection(element) {
  const section = document.createElement("section");
  section.className = "fichier";
  section.dataset.fichier = element.fichier.name;
  const titre = document.createElement("h3");
  titre.id = `fichier-${element.id}`;
  titre.textContent = element.fichier.name;
  section.setAttribute("aria-labelledby", titre.id);
  const attente = document.createElement("p");
  attente.className = "attente";
  attente.textContent = "En attente de vérification…";
  section.append(titre, attente);
  element.section = section;
  return section;
}

function conclure() {
  const prets = lot.filter((f) => f.valide).length;
  const texte =
    lot.length === 1
      ? lot[0].valide
        ? "Vérification terminée : le fichier est prêt à transmettre."
        : "Vérification terminée : le fichier est à corriger."
      : `${lot.length} fichiers vérifiés : ${prets} prêt(s), ${lot.length - prets} à corriger.`;
  bilan = texte;
  annoncer(texte);
  boutonEnregistrer.disabled = !lot.some((f) => f.rapport !== null);
  racine.dataset.lot = "fini";
}

// --- Affichage ---------------------------------------------------------------------------

function element(balise, texte, classe) {
  const noeud = document.createElement(balise);
  if (texte !== undefined) noeud.textContent = texte;
  if (classe) noeud.className = classe;
  return noeud;
}

function tableau(idTitre, entetes, lignes, classeLigne, classeTable = "") {
  // Les rôles ARIA sont explicites : sur un écran étroit, le CSS empile chaque ligne (une
  // fiche par constat), ce qui retirerait sinon au tableau sa sémantique dans certains
  // navigateurs. Chaque cellule porte le nom de sa colonne, affiché devant elle quand empilée.
  const table = element("table", undefined, `empile ${classeTable}`.trim());
  table.setAttribute("role", "table");
  table.setAttribute("aria-labelledby", idTitre);
  const tete = element("thead");
  tete.setAttribute("role", "rowgroup");
  const ligneTete = element("tr");
  ligneTete.setAttribute("role", "row");
  for (const entete of entetes) {
    const th = element("th", entete);
    th.scope = "col";
    th.setAttribute("role", "columnheader");
    ligneTete.append(th);
  }
  tete.append(ligneTete);
  const corps = element("tbody");
  corps.setAttribute("role", "rowgroup");
  for (const ligne of lignes) {
    const tr = element("tr", undefined, classeLigne ? classeLigne(ligne) : undefined);
    tr.setAttribute("role", "row");
    ligne.cellules.forEach((cellule, j) => {
      const enTete = j === 0 && ligne.enTete;
      const td = element(enTete ? "th" : "td", cellule);
      if (enTete) td.scope = "row";
      td.setAttribute("role", enTete ? "rowheader" : "cell");
      td.dataset.libelle = entetes[j];
      tr.append(td);
    });
    corps.append(tr);
  }
  table.append(tete, corps);
  // Sur un écran large mais pas assez, seul le tableau défile, au clavier comme au doigt.
  const zone = element("div", undefined, "defilement");
  zone.tabIndex = 0;
  zone.setAttribute("role", "region");
  zone.setAttribute("aria-labelledby", idTitre);
  zone.append(table);
  return zone;
}

function afficherResultat(element_, { rapport, affichage }) {
  element_.rapport = rapport;
  element_.valide = affichage.valide;
  const section = element_.section;
  const id = element_.id;
  section.querySelector(".attente").remove();
  section.dataset.valide = String(affichage.valide);
  if (affichage.organisation || affichage.cibles) {
    const identite = element("p", undefined, "identite");
    if (affichage.organisation) {
      identite.append(element("span", `Organisation : ${affichage.organisation}`));
    }
    if (affichage.cibles) {
      identite.append(element("span", `Cible : ${affichage.cibles}`));
    }
    section.append(identite);
  }
  if (affichage.constats.length) {
    const titre = element("h4", `Constats (${affichage.constats.length})`);
    titre.id = `constats-${id}`;
    section.append(
      titre,
      tableau(
        titre.id,
        ["Gravité", "Code", "Feuille", "Cellule", "Message"],
        affichage.constats.map((c) => ({
          cellules: [c.gravite, c.code, c.feuille, c.cellule, c.message],
          severite: c.severite,
        })),
        (ligne) => `constat ${ligne.severite}`
      )
    );
  } else {
    section.append(element("p", "Aucun constat : rien à signaler.", "rien"));
  }
  if (affichage.resultats.length) {
    const titre = element("h4", "Ce qui sera compté pour votre organisation");
    titre.id = `resultats-${id}`;
    section.append(
      titre,
      tableau(
        titre.id,
        affichage.colonnes_resultats,
        affichage.resultats.map((cellules) => ({ cellules, enTete: true })),
        () => "resultat",
        "resultats-table"
      )
    );
  }
  section.append(
    element("p", affichage.verdict, `verdict ${affichage.valide ? "pret" : "a-corriger"}`)
  );
}

function afficherProbleme(element_, texte) {
  const section = element_.section;
  section.querySelector(".attente")?.remove();
  section.dataset.valide = "false";
  section.append(element("p", `✘ ${texte}`, "verdict a-corriger"));
}

// --- Rapport JSON ------------------------------------------------------------------------

function rapportJson() {
  // Le texte de `valider --format json` : chaque rapport (déjà indenté par Python) à sa place.
  const rapports = lot.filter((f) => f.rapport !== null).map((f) => f.rapport);
  const decale = rapports.map((r) => r.replace(/^/gm, "    "));
  return `{\n  "fichiers": [\n${decale.join(",\n")}\n  ]\n}\n`;
}

boutonEnregistrer.addEventListener("click", () => {
  const blob = new Blob([rapportJson()], { type: "application/json" });
  const lien = document.createElement("a");
  lien.href = URL.createObjectURL(blob);
  lien.download =
    lot.length === 1
      ? `${lot[0].fichier.name.replace(/\.[^.]*$/, "")}-rapport.json`
      : "rapport-verification.json";
  document.body.append(lien);
  lien.click();
  lien.remove();
  setTimeout(() => URL.revokeObjectURL(lien.href), 10_000);
});

// --- Choix et dépôt ----------------------------------------------------------------------

champ.addEventListener("change", () => {
  nouveauLot(champ.files);
  champ.value = "";
});

// Un fichier déposé ailleurs sur la page ne doit pas remplacer la page par le classeur.
for (const type of ["dragover", "drop"]) {
  window.addEventListener(type, (evenement) => evenement.preventDefault());
}
depot.addEventListener("dragover", (evenement) => {
  evenement.preventDefault();
  evenement.dataTransfer.dropEffect = "copy";
  depot.classList.add("survol");
});
depot.addEventListener("dragleave", () => depot.classList.remove("survol"));
depot.addEventListener("drop", (evenement) => {
  evenement.preventDefault();
  depot.classList.remove("survol");
  nouveauLot(evenement.dataTransfer.files);
});

demarrerWorker();
