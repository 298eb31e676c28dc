"""Remplir un gabarit par ses noms définis, comme le ferait un système d'une organisation.

L'interface publique des gabarits est faite de noms définis : une organisation peut donc
préremplir son classeur depuis ses propres systèmes. Ce module en est l'exemple exécutable, et
le seul chemin de remplissage de l'outil : préremplissage des gabarits par organisation,
fabrication de l'exemple livré, des données des tests et du banc d'essai.

On écrit directement dans le XML des cellules de saisie, qui existent déjà (vides et stylées)
dans le gabarit : pas de relecture complète du classeur, d'où quelques millisecondes par
fichier au lieu d'une centaine avec openpyxl. Le texte est toujours écrit comme texte
(« inlineStr ») : un nom qui commence par « = » ne devient jamais une formule.

Pour préremplir un même gabarit des centaines de fois (`gabarit --registre`), `Remplisseur`
fait une fois ce qui ne change pas : il repère les cellules et garde les parties compressées ;
chaque organisation ne coûte que ses quelques cellules et la compression des deux parties qui
changent. Le résultat est, octet pour octet, celui de `remplir`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from barometre_cli.ecriture.archive_zip import ArchiveZip
from barometre_cli.ecriture.cellules import texte_sur
from barometre_cli.lecture.references import adresse, lire_reference

_NOM_DEFINI = re.compile(r'<definedName name="([^"]+)"[^>]*>([^<]*)</definedName>')
_FEUILLE = re.compile(r'<sheet\b[^>]*\bname="([^"]+)"[^>]*\br:id="([^"]+)"')
_RELATION = re.compile(r'<Relationship\b[^>]*\bId="([^"]+)"[^>]*\bTarget="([^"]+)"')
_RELATION_INV = re.compile(r'<Relationship\b[^>]*\bTarget="([^"]+)"[^>]*\bId="([^"]+)"')
#: Une cellule, vide (`<c …/>`, `<c …></c>`) ou déjà remplie (`<c …><v>2026</v></c>`).
_CELLULE = re.compile(r'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*?)\s*(?:/>|>.*?</c>)', re.DOTALL)


def _plages(membres: dict[str, bytes]) -> dict[str, tuple[str, int, int, int, int]]:
    """Nom défini → (partie XML de la feuille, ligne, colonne, lignes, colonnes)."""
    classeur = membres["xl/workbook.xml"].decode("utf-8")
    relations = membres["xl/_rels/workbook.xml.rels"].decode("utf-8")
    cibles = dict(_RELATION.findall(relations)) | {
        i: t for t, i in _RELATION_INV.findall(relations)
    }
    parties = {}
    for nom, rid in _FEUILLE.findall(classeur):
        cible = cibles[rid].lstrip("/")
        parties[nom.replace("&apos;", "'")] = cible if cible.startswith("xl/") else f"xl/{cible}"
    plages = {}
    for nom, reference in _NOM_DEFINI.findall(classeur):
        zone = lire_reference(reference.replace("&apos;", "'"))
        if zone is None:
            continue
        plages[nom] = (
            parties[zone.feuille],
            zone.ligne1,
            zone.colonne1,
            zone.ligne2 - zone.ligne1 + 1,
            zone.colonne2 - zone.colonne1 + 1,
        )
    return plages


def _contenu(valeur: object, formules: bool) -> tuple[str, str]:
    """(attribut de type, contenu XML) d'une cellule ; None la vide."""
    if valeur is None:
        return "", ""
    if isinstance(valeur, bool):
        return ' t="b"', f"<v>{int(valeur)}</v>"
    if isinstance(valeur, (int, float)):
        return "", f"<v>{valeur!r}</v>"
    texte = texte_sur(valeur)
    if formules and texte.startswith("="):
        return "", f"<f>{escape(texte[1:])}</f>"
    return ' t="inlineStr"', f'<is><t xml:space="preserve">{escape(texte)}</t></is>'


def _remplir_feuille(xml: str, cellules: dict[str, object], formules: bool) -> str:
    restantes = dict(cellules)

    def remplacer(trouve: re.Match) -> str:
        ref = trouve.group(1)
        if ref not in restantes:
            return trouve.group(0)
        valeur = restantes.pop(ref)
        style = re.search(r' s="\d+"', trouve.group(2))
        type_, contenu = _contenu(valeur, formules)
        style = style.group(0) if style else ""
        return f'<c r="{ref}"{style}{type_}>{contenu}</c>' if contenu else f'<c r="{ref}"{style}/>'

    xml = _CELLULE.sub(remplacer, xml)
    if restantes:
        raise ValueError(f"cellules absentes du gabarit : {', '.join(sorted(restantes))}")
    return xml


def _proprietes(xml: str, valeurs: Mapping[str, str]) -> str:
    for nom, valeur in valeurs.items():
        xml, n = re.subn(
            rf'(<property [^>]*name="{re.escape(nom)}"[^>]*>\s*<vt:lpwstr[^>]*>)[^<]*(</vt:lpwstr>)',
            lambda t, v=valeur: t.group(1) + escape(texte_sur(v)) + t.group(2),
            xml,
        )
        if not n:
            raise ValueError(f"propriété absente du gabarit : {nom}")
    return xml


def _dater(xml: str, horodatage: str) -> str:
    for balise in ("created", "modified"):
        xml = re.sub(
            rf"(<dcterms:{balise}[^>]*>)[^<]*(</dcterms:{balise}>)",
            rf"\g<1>{horodatage}\g<2>",
            xml,
        )
    return xml


def remplir(
    gabarit: bytes,
    valeurs: Mapping[str, object],
    modifie: datetime | None = None,
    formules: bool = False,
    proprietes: Mapping[str, str] | None = None,
) -> bytes:
    """Le gabarit rempli : une valeur par nom simple, une liste de lignes par tableau.

    `modifie` fixe la date de modification du document (celle qui départage deux envois) ;
    `formules=True` écrit les chaînes « =… » comme formules sans valeur calculée (pour les
    tests) ; `proprietes` remplace des propriétés personnalisées texte (organisation
    destinataire). `None` vide une cellule.
    """
    source = zipfile.ZipFile(io.BytesIO(gabarit))
    membres = {info.filename: source.read(info) for info in source.infolist()}
    plages = _plages(membres)
    par_partie: dict[str, dict[str, object]] = {}
    for nom, valeur in valeurs.items():
        partie, ligne, colonne, hauteur, largeur = plages[nom]
        cellules = par_partie.setdefault(partie, {})
        if isinstance(valeur, Sequence) and not isinstance(valeur, str):
            if len(valeur) > hauteur:
                raise ValueError(f"{nom} : {len(valeur)} lignes pour {hauteur} places")
            for i, rang in enumerate(valeur):
                rang = rang if isinstance(rang, Sequence) and not isinstance(rang, str) else [rang]
                for j, v in enumerate(rang[:largeur]):
                    cellules[adresse(ligne + i, colonne + j)] = v
        else:
            cellules[adresse(ligne, colonne)] = valeur
    for partie, cellules in par_partie.items():
        membres[partie] = _remplir_feuille(
            membres[partie].decode("utf-8"), cellules, formules
        ).encode("utf-8")
    if proprietes:
        membres["docProps/custom.xml"] = _proprietes(
            membres["docProps/custom.xml"].decode("utf-8"), proprietes
        ).encode("utf-8")
    horodatage = None
    if modifie is not None:
        horodatage = modifie.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        membres["docProps/core.xml"] = _dater(
            membres["docProps/core.xml"].decode("utf-8"), horodatage
        ).encode("utf-8")
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as cible:
        for info in source.infolist():
            copie = zipfile.ZipInfo(
                info.filename, date_time=modifie.timetuple()[:6] if modifie else info.date_time
            )
            copie.compress_type = zipfile.ZIP_DEFLATED
            cible.writestr(copie, membres[info.filename])
    return tampon.getvalue()


# --- Préremplir un même gabarit des centaines de fois -----------------------------------------


class Remplisseur:
    """Un gabarit lu une fois, à préremplir pour chaque organisation : `remplir(valeurs)` rend
    les mêmes octets que `remplir(gabarit, valeurs)`, sans décompresser ni recompresser les
    parties qui ne changent pas et sans repasser sur toute la feuille pour quelques cellules.
    """

    def __init__(self, gabarit: bytes) -> None:
        self._archive = ArchiveZip(gabarit)
        self._plages: dict[str, tuple[str, int, int, int, int]] | None = None
        self._textes: dict[str, bytes] = {}
        self._cellules: dict[str, dict[str, tuple[int, int, bytes]]] = {}

    def _texte(self, partie: str) -> bytes:
        if partie not in self._textes:
            self._textes[partie] = self._archive.lire(partie)
        return self._textes[partie]

    def _emplacements(self, partie: str) -> dict[str, tuple[int, int, bytes]]:
        """Cellule → (début, fin, attribut de style) dans les octets de la feuille, comme les
        trouve `_remplir_feuille` (la première occurrence)."""
        if partie not in self._cellules:
            xml = self._texte(partie).decode("utf-8")
            trouvees: dict[str, tuple[int, int, bytes]] = {}
            octet = caractere = 0
            for trouve in _CELLULE.finditer(xml):
                octet += len(xml[caractere : trouve.start()].encode("utf-8"))
                fin = octet + len(trouve.group(0).encode("utf-8"))
                style = re.search(r' s="\d+"', trouve.group(2))
                trouvees.setdefault(
                    trouve.group(1), (octet, fin, style.group(0).encode() if style else b"")
                )
                octet, caractere = fin, trouve.end()
            self._cellules[partie] = trouvees
        return self._cellules[partie]

    def remplir(
        self, valeurs: Mapping[str, object], proprietes: Mapping[str, str] | None = None
    ) -> bytes:
        """Le gabarit rempli de `valeurs` (noms simples) ; `proprietes` : propriétés texte."""
        if self._plages is None:
            membres = {n: self._texte(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
            self._plages = _plages(membres)
        par_partie: dict[str, dict[str, object]] = {}
        for nom, valeur in valeurs.items():
            partie, ligne, colonne, _, _ = self._plages[nom]
            if isinstance(valeur, Sequence) and not isinstance(valeur, str):
                raise ValueError(f"{nom} : un tableau se remplit avec remplir()")
            par_partie.setdefault(partie, {})[adresse(ligne, colonne)] = valeur
        nouvelles = {
            partie: self._remplir_feuille(partie, cellules)
            for partie, cellules in par_partie.items()
        }
        if proprietes:
            nouvelles["docProps/custom.xml"] = _proprietes(
                self._texte("docProps/custom.xml").decode("utf-8"), proprietes
            ).encode("utf-8")
        return self._archive.remplacer(nouvelles)

    def _remplir_feuille(self, partie: str, cellules: dict[str, object]) -> bytes:
        emplacements = self._emplacements(partie)
        absentes = sorted(set(cellules) - set(emplacements))
        if absentes:
            raise ValueError(f"cellules absentes du gabarit : {', '.join(absentes)}")
        texte = self._texte(partie)
        morceaux, suite = [], 0
        for debut, fin, style, ref in sorted((*emplacements[ref], ref) for ref in cellules):
            type_, contenu = _contenu(cellules[ref], False)
            cellule = (
                f'<c r="{ref}"{style.decode()}{type_}>{contenu}</c>'
                if contenu
                else f'<c r="{ref}"{style.decode()}/>'
            )
            morceaux += [texte[suite:debut], cellule.encode("utf-8")]
            suite = fin
        morceaux.append(texte[suite:])
        return b"".join(morceaux)
