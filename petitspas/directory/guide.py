"""The printed "parentalité" guide of a territory: its content built from the directory as
one JSON snapshot (what an edition freezes), the difference between two snapshots ("what
changed since the last edition"), and its rendering as HTML and PDF (WeasyPrint, CSS paged
media) from one template.

A territory's guide holds the structures whose commune is in the territory
(``Territory.communes``) and all their services. A snapshot holds every text the guide
prints, hours already in words, so that an edition prints again identically whatever
happens to the directory or to the code that words hours afterwards."""

import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from petitspas.directory.hours import describe_hours
from petitspas.directory.models import Structure, Territory
from petitspas.directory.themes import (
    FRAIS,
    MODES_ACCUEIL,
    MODES_MOBILISATION,
    PUBLICS,
    SURESNES_GROUPS,
    THEMATIQUES,
    group_of,
)
from petitspas.places.communes import get_commune

SNAPSHOT_VERSION = 1
OTHER_GROUP = "Autres services"
TEMPLATE = "directory/guide/document.html"

# What the difference between two editions names, in the order it lists them.
STRUCTURE_LABELS = {
    "nom": "nom",
    "description": "présentation",
    "adresse": "adresse",
    "complement_adresse": "complément d'adresse",
    "code_postal": "code postal",
    "commune": "commune",
    "telephone": "téléphone",
    "courriel": "courriel",
    "site_web": "site web",
    "accessibilite_lieu": "accessibilité du lieu",
    "horaires": "horaires",
}
SERVICE_LABELS = {
    "nom": "nom",
    "structure_nom": "structure",
    "description": "description",
    "themes": "thèmes du guide",
    "thematiques": "thématiques",
    "publics": "publics",
    "publics_precisions": "précisions sur les publics",
    "frais": "frais",
    "frais_precisions": "précisions sur les frais",
    "conditions_acces": "conditions d'accès",
    "modes_accueil": "modes d'accueil",
    "modes_mobilisation": "comment s'y adresser",
    "mobilisation_precisions": "précisions pour s'y adresser",
    "adresse": "adresse",
    "horaires": "horaires",
    "telephone": "téléphone",
    "courriel": "courriel",
    "contact_nom_prenom": "contact",
    "lien_mobilisation": "lien pour s'inscrire",
}


def _labels(codes, table) -> list[str]:
    return [table.get(code, code) for code in codes or []]


def _key(entry) -> str:
    return f"{entry.source}|{entry.source_id}"


def _address(entry) -> str:
    town = " ".join(part for part in (entry.code_postal, entry.commune) if part)
    return ", ".join(part for part in (entry.adresse, entry.complement_adresse, town) if part)


def _structure_entry(structure: Structure) -> dict:
    return {
        "key": _key(structure),
        "nom": structure.nom,
        "description": structure.description,
        "adresse": structure.adresse,
        "complement_adresse": structure.complement_adresse,
        "code_postal": structure.code_postal,
        "commune": structure.commune or _commune_name(structure.code_insee),
        "telephone": structure.telephone,
        "courriel": structure.courriel,
        "site_web": structure.site_web,
        "accessibilite_lieu": structure.accessibilite_lieu,
        "horaires": describe_hours(structure.horaires_accueil),
        "date_maj": structure.date_maj.isoformat(),
    }


def _service_entry(service, structure: Structure) -> dict:
    themes = []
    for code in service.thematiques or []:
        group = group_of(code)
        if group and group not in themes:
            themes.append(group)
    own_address = _address(service)
    return {
        "key": _key(service),
        "structure": _key(structure),
        "structure_nom": structure.nom,
        "nom": service.nom,
        "description": service.description,
        "themes": sorted(themes, key=list(SURESNES_GROUPS).index) or [OTHER_GROUP],
        "thematiques": _labels(service.thematiques, THEMATIQUES),
        "publics": _labels(service.publics, PUBLICS),
        "publics_precisions": service.publics_precisions,
        "frais": FRAIS.get(service.frais, service.frais),
        "frais_precisions": service.frais_precisions,
        "conditions_acces": service.conditions_acces,
        "modes_accueil": _labels(service.modes_accueil, MODES_ACCUEIL),
        "modes_mobilisation": _labels(service.modes_mobilisation, MODES_MOBILISATION),
        "mobilisation_precisions": service.mobilisation_precisions,
        # Only where it differs from the structure's: the sheet prints the structure's.
        "adresse": own_address if own_address and own_address != _address(structure) else "",
        "horaires": describe_hours(service.horaires_accueil),
        "telephone": service.telephone if service.telephone != structure.telephone else "",
        "courriel": service.courriel if service.courriel != structure.courriel else "",
        "contact_nom_prenom": service.contact_nom_prenom,
        "lien_mobilisation": service.lien_mobilisation,
        "date_maj": service.date_maj.isoformat(),
    }


def _commune_name(code: str) -> str:
    commune = get_commune(code) if code else None
    return commune.name if commune else code


def build_snapshot(territory: Territory, *, today: datetime.date) -> dict:
    """The territory's guide as it stands: every structure of its communes with its
    services, in the order the guide prints them. Two queries."""
    structures = (
        Structure.objects.filter(code_insee__in=territory.communes)
        .prefetch_related("services")
        .order_by("nom", "pk")
    )
    structure_entries, service_entries = [], []
    for structure in structures:
        structure_entries.append(_structure_entry(structure))
        for service in sorted(structure.services.all(), key=lambda s: (s.nom, s.pk)):
            service_entries.append(_service_entry(service, structure))
    return {
        "version": SNAPSHOT_VERSION,
        "built_on": today.isoformat(),
        "territory": {
            "organisation": territory.organisation.name,
            "communes": [_commune_name(code) for code in territory.communes],
        },
        "structures": structure_entries,
        "services": service_entries,
    }


def _shown(value) -> str:
    if isinstance(value, list):
        value = " ; ".join(str(v) for v in value)
    text = str(value or "").strip() or "(vide)"
    return text if len(text) <= 160 else text[:159] + "…"


def _compare(kind: str, old: dict, new: dict, labels: dict) -> list[dict]:
    return [
        {"label": label, "before": _shown(old.get(field)), "after": _shown(new.get(field))}
        for field, label in labels.items()
        if old.get(field) != new.get(field)
    ]


def diff_snapshots(old: dict | None, new: dict) -> dict:
    """What changed from ``old`` to ``new`` (two snapshots), by identity (source and id):
    structures and services added, removed, and modified with each field that changed,
    before and after. The "mis à jour le" alone is not a change."""
    changes: dict[str, list] = {"added": [], "removed": [], "modified": []}
    if old is None:
        return changes
    for kind, labels in (("structure", STRUCTURE_LABELS), ("service", SERVICE_LABELS)):
        collection = f"{kind}s"
        before = {entry["key"]: entry for entry in old.get(collection, [])}
        after = {entry["key"]: entry for entry in new.get(collection, [])}
        for key, entry in after.items():
            where = entry.get("structure_nom", "")
            item = {"kind": kind, "nom": entry["nom"], "structure": where}
            if key not in before:
                changes["added"].append(item)
            else:
                fields = _compare(kind, before[key], entry, labels)
                if fields:
                    changes["modified"].append({**item, "fields": fields})
        for key, entry in before.items():
            if key not in after:
                changes["removed"].append(
                    {"kind": kind, "nom": entry["nom"], "structure": entry.get("structure_nom", "")}
                )
    for items in changes.values():
        items.sort(key=lambda item: (item["kind"] != "structure", item["nom"], item["structure"]))
    return changes


def has_changes(changes: dict) -> bool:
    return any(changes[kind] for kind in ("added", "removed", "modified"))


def count_in_words(number: int, word: str) -> str:
    """French plural: "0 retrait", "1 ajout", "2 ajouts"."""
    return f"{number} {word}{'s' if number > 1 else ''}"


def changes_in_words(changes: dict) -> str:
    return (
        f"{count_in_words(len(changes['added']), 'ajout')}, "
        f"{count_in_words(len(changes['removed']), 'retrait')} et "
        f"{count_in_words(len(changes['modified']), 'modification')}"
    )


def _anchor(key: str) -> str:
    return "s-" + "".join(c if c.isalnum() else "-" for c in key)


def guide_context(
    snapshot: dict,
    *,
    number: int | None,
    published_on: datetime.date | None,
    changes: dict | None,
    previous_number: int | None,
    pdf: bool = False,
) -> dict:
    """What the guide's template prints, from a snapshot alone."""
    structures = [dict(entry, anchor=_anchor(entry["key"])) for entry in snapshot["structures"]]
    by_key = {entry["key"]: entry for entry in structures}
    for entry in structures:
        entry["services"] = []
    groups: dict[str, list[dict]] = {name: [] for name in (*SURESNES_GROUPS, OTHER_GROUP)}
    for service in snapshot["services"]:
        structure = by_key.get(service["structure"])
        service = dict(service, anchor=structure["anchor"] if structure else "")
        if structure is not None:
            structure["services"].append(service)
        for theme in service["themes"]:
            groups.setdefault(theme, []).append(service)
    themes = [
        {"name": name, "anchor": f"theme-{index}", "services": sorted(items, key=_by_name)}
        for index, (name, items) in enumerate(groups.items(), 1)
        if items or name != OTHER_GROUP
    ]
    towns: dict[str, list[dict]] = {}
    for entry in structures:
        towns.setdefault(entry["commune"] or "Commune non précisée", []).append(entry)
    return {
        "snapshot": snapshot,
        "territory_name": ", ".join(snapshot["territory"]["communes"])
        or snapshot["territory"]["organisation"],
        "organisation_name": snapshot["territory"]["organisation"],
        "number": number,
        "published_on": published_on,
        "built_on": datetime.date.fromisoformat(snapshot["built_on"]),
        "themes": themes,
        "structures": structures,
        "towns": sorted(towns.items(), key=lambda item: item[0]),
        "changes": changes,
        "has_changes": bool(changes) and has_changes(changes),
        "changes_in_words": changes_in_words(changes) if changes else "",
        "partners_in_words": count_in_words(len(structures), "partenaire"),
        "services_in_words": count_in_words(len(snapshot["services"]), "service"),
        "previous_number": previous_number,
        "service_count": len(snapshot["services"]),
        "pdf": pdf,
    }


def _by_name(service: dict) -> tuple[str, str]:
    return (service["nom"].casefold(), service["structure_nom"].casefold())


def render_html(context: dict, *, request=None) -> str:
    return render_to_string(TEMPLATE, context, request=request)


def render_pdf(context: dict) -> bytes:
    """The guide as PDF: the same template, printed by WeasyPrint with the print CSS
    (``directory/guide.css``), fonts from the system (DejaVu, Liberation)."""
    import weasyprint  # noqa: PLC0415  (heavy; only the PDF needs it)

    html = render_to_string(TEMPLATE, {**context, "pdf": True})
    stylesheet = weasyprint.CSS(filename=finders.find("directory/guide.css"))
    # The guide prints no image nor remote resource: a URL that reached the document
    # (entries' texts are escaped, so none should) is never fetched, whatever its protocol.
    fetch_nothing = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetch_nothing)
    return document.write_pdf(stylesheets=[stylesheet])
