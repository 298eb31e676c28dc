"""Formules partagées : une formule écrite une fois pour toute une colonne d'un tableau.

Les gabarits des tableaux (5.1, 6.1) portent, sur chacune de leurs 300 lignes, des formules de
vérification longues de 2 Ko. Écrites ligne par ligne (ce que fait openpyxl), elles font une
feuille de 730 Ko à lire, à compresser et à décompresser pour chaque classeur ; en « formule
partagée » (OOXML, ECMA-376 §18.3.1.40 : la première cellule porte la formule et la plage, les
suivantes la désignent), la feuille retombe à une fraction de cette taille. Excel et
LibreOffice lisent les formules partagées et en décalent les références relatives ligne par
ligne, exactement comme les formules écrites une à une.

On ne partage une formule que si celle de chaque ligne est bien la formule de la première
décalée : sinon, les cellules restent telles quelles.
"""

from __future__ import annotations

import io
import re
import zipfile

#: Une cellule à formule simple telle qu'openpyxl l'écrit (ni matricielle, ni déjà partagée).
_CELLULE = re.compile(r'<c r="([A-Z]{1,3})(\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>')
#: Une référence de cellule dans une formule, hors des noms de fonctions (LOG10, ATAN2…).
_REFERENCE = re.compile(r"(?<![A-Za-z_\d.$])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")


def _decaler(formule: str, lignes: int) -> str:
    """La formule décalée de `lignes` lignes : références relatives seulement, hors du texte."""
    morceaux = formule.split('"')
    for k in range(0, len(morceaux), 2):  # les morceaux pairs sont hors des chaînes
        morceaux[k] = _REFERENCE.sub(
            lambda m: (
                m.group(0)
                if m.group(3)
                else f"{m.group(1)}{m.group(2)}{m.group(3)}{int(m.group(4)) + lignes}"
            ),
            morceaux[k],
        )
    return '"'.join(morceaux)


def partager(xml: str) -> str:
    """La feuille où chaque suite de formules décalées d'une même colonne devient partagée."""
    cellules = list(_CELLULE.finditer(xml))
    par_colonne: dict[str, list[re.Match[str]]] = {}
    for m in cellules:
        par_colonne.setdefault(m.group(1), []).append(m)
    remplacements: dict[int, str] = {}
    si = 0
    for colonne, suite in par_colonne.items():
        debut = 0
        while debut < len(suite):
            maitre = suite[debut]
            ligne0, formule = int(maitre.group(2)), maitre.group(4)
            fin = debut + 1
            while (
                fin < len(suite)
                and int(suite[fin].group(2)) == ligne0 + (fin - debut)
                and suite[fin].group(4) == _decaler(formule, fin - debut)
            ):
                fin += 1
            if fin - debut >= 2:
                derniere = ligne0 + (fin - debut) - 1
                plage = f"{colonne}{ligne0}:{colonne}{derniere}"
                for k in range(debut, fin):
                    m = suite[k]
                    f = (
                        f'<f t="shared" ref="{plage}" si="{si}">{formule}</f>'
                        if k == debut
                        else f'<f t="shared" si="{si}"/>'
                    )
                    remplacements[m.start()] = (
                        f'<c r="{m.group(1)}{m.group(2)}"{m.group(3)}>{f}<v></v></c>'
                    )
                si += 1
            debut = fin
    if not remplacements:
        return xml
    morceaux, position = [], 0
    for m in cellules:
        if m.start() in remplacements:
            morceaux.append(xml[position : m.start()])
            morceaux.append(remplacements[m.start()])
            position = m.end()
    morceaux.append(xml[position:])
    return "".join(morceaux)


def partager_dans_classeur(octets: bytes) -> bytes:
    """Le classeur dont chaque feuille a ses formules partagées ; le reste, octet pour octet."""
    source = zipfile.ZipFile(io.BytesIO(octets))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as cible:
        for info in source.infolist():
            donnees = source.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                donnees = partager(donnees.decode("utf-8")).encode("utf-8")
            copie = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copie.compress_type = zipfile.ZIP_DEFLATED
            cible.writestr(copie, donnees)
    return tampon.getvalue()
