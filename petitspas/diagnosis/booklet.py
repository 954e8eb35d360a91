"""The methodological booklet of the qualitative diagnosis (seed 004: « un livret
méthodologique permettra à d'autres professionnels de mobiliser les outils élaborés »).

Its content is one JSON snapshot: the sections the coordinators write (the steps of the
method, the tools such as the interview and focus-group guides, the groups' roles, the
lessons), the organisation's codebook, and for each area the themes its records brought
out (counts only: no passage, no person leaves the organisation in the booklet). An
edition freezes a snapshot, so that it prints again identically; the next one says what
changed. One template renders it as HTML and, through WeasyPrint, as PDF."""

import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from petitspas.diagnosis.models import Area, BookletSection, Code
from petitspas.diagnosis.models.inquiry import BookletPart
from petitspas.diagnosis.synthesis import area_synthesis

SNAPSHOT_VERSION = 1
TEMPLATE = "diagnosis/inquiry/booklet_document.html"
# The codebook prints among the tools, after the coordinators' own tools.
CODEBOOK_TITLE = "La grille de codage"


def build_snapshot(organisation, *, today: datetime.date) -> dict:
    sections = [
        {"part": s.part, "title": s.title, "body": s.body}
        for s in BookletSection.objects.filter(organisation=organisation).order_by("position", "pk")
    ]
    order = list(BookletPart.values)
    sections.sort(key=lambda s: order.index(s["part"]))
    codes = list(Code.objects.filter(organisation=organisation))
    themes = [
        {
            "name": theme.name,
            "description": theme.description,
            "codes": [
                {"name": c.name, "description": c.description}
                for c in codes
                if c.parent_id == theme.pk
            ],
        }
        for theme in codes
        if theme.is_theme
    ]
    areas = []
    for area in Area.objects.filter(organisation=organisation).order_by("commune", "name"):
        synthesis = area_synthesis(area)
        if not synthesis["records"]:
            continue
        areas.append(
            {
                "name": area.name,
                "records": synthesis["records"],
                "passages": synthesis["passages"],
                "methods": [[label, n] for label, n in synthesis["methods"] if n],
                "themes": [
                    [theme.code.name, theme.passages, theme.record_count]
                    for theme in synthesis["themes"]
                    if theme.passages
                ],
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "built_on": today.isoformat(),
        "organisation": organisation.name,
        "sections": sections,
        "codebook": themes,
        "areas": areas,
    }


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def diff_snapshots(old: dict | None, new: dict) -> dict:
    """Sections added, removed and modified (by part and title), themes and codes of the
    codebook added and removed, areas whose synthesis changed."""
    changes: dict[str, list[str]] = {"added": [], "removed": [], "modified": []}
    if old is None:
        return changes
    labels = dict(BookletPart.choices)

    def sections(snapshot):
        return {(s["part"], s["title"]): s["body"] for s in snapshot["sections"]}

    before, after = sections(old), sections(new)
    for key in after:
        name = f"{labels.get(key[0], key[0])} : « {key[1]} »"
        if key not in before:
            changes["added"].append(name)
        elif before[key] != after[key]:
            changes["modified"].append(name)
    for key in before:
        if key not in after:
            changes["removed"].append(f"{labels.get(key[0], key[0])} : « {key[1]} »")

    def codebook(snapshot):
        entries = {}
        for theme in snapshot["codebook"]:
            entries[f"thème « {theme['name']} »"] = theme["description"]
            for code in theme["codes"]:
                entries[f"code « {code['name']} » ({theme['name']})"] = code["description"]
        return entries

    before, after = codebook(old), codebook(new)
    for name in after:
        if name not in before:
            changes["added"].append(f"Grille de codage : {name}")
        elif before[name] != after[name]:
            changes["modified"].append(f"Grille de codage : {name}")
    for name in before:
        if name not in after:
            changes["removed"].append(f"Grille de codage : {name}")
    old_areas = {a["name"]: a for a in old.get("areas", [])}
    for area in new.get("areas", []):
        if old_areas.get(area["name"]) != area:
            changes["modified"].append(f"Synthèse du {area['name']}")
    return changes


def has_changes(changes: dict) -> bool:
    return any(changes[kind] for kind in ("added", "removed", "modified"))


def booklet_context(
    snapshot: dict,
    *,
    number: int | None,
    published_on: datetime.date | None,
    changes: dict | None,
    changes_note: str = "",
    previous_number: int | None = None,
    pdf: bool = False,
) -> dict:
    parts = []
    for value, label in BookletPart.choices:
        sections = [
            {"title": s["title"], "paragraphs": _paragraphs(s["body"])}
            for s in snapshot["sections"]
            if s["part"] == value
        ]
        parts.append(
            {
                "key": value,
                "label": label,
                "sections": sections,
                "codebook": snapshot["codebook"] if value == BookletPart.TOOLS else None,
            }
        )
    return {
        "snapshot": snapshot,
        "organisation_name": snapshot["organisation"],
        "parts": parts,
        "codebook_title": CODEBOOK_TITLE,
        "areas": snapshot["areas"],
        "number": number,
        "published_on": published_on,
        "built_on": datetime.date.fromisoformat(snapshot["built_on"]),
        "changes": changes,
        "has_changes": bool(changes) and has_changes(changes),
        "changes_note_paragraphs": _paragraphs(changes_note),
        "previous_number": previous_number,
        "pdf": pdf,
    }


def render_html(context: dict, *, request=None) -> str:
    return render_to_string(TEMPLATE, context, request=request)


def render_pdf(context: dict) -> bytes:
    """The booklet as PDF: the same template printed by WeasyPrint with the print CSS
    (``diagnosis/booklet.css``); no remote resource is ever fetched."""
    import weasyprint  # noqa: PLC0415  (heavy; only the PDF needs it)

    html = render_to_string(TEMPLATE, {**context, "pdf": True})
    stylesheet = weasyprint.CSS(filename=finders.find("diagnosis/booklet.css"))
    fetch_nothing = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetch_nothing)
    return document.write_pdf(stylesheets=[stylesheet])
