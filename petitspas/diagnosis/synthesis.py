"""The synthesis of an area's qualitative diagnosis: its codebook's themes by frequency
and by participant profile, with the coded passages, and its exports (CSV, XLSX).

Counting rules, one place:
- a theme counts the passages coded with it or with one of its codes, each passage once
  (a passage coded with two codes of one theme counts once for the theme);
- a code counts the passages coded with it;
- "enregistrements" is the number of distinct records where the theme (or code) appears;
- by profile: a passage counts under every profile present in its record (a focus group
  of parents and professionals counts under both); the record's counts of people are not
  multiplied in.
Themes are sorted by passages, most first, then by the codebook's order; themes never
coded close the list with 0."""

import csv
import dataclasses
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from petitspas.diagnosis.models import Area, Code, InquiryRecord, Passage
from petitspas.diagnosis.models.inquiry import PROFILES, Method


@dataclasses.dataclass
class Count:
    code: Code
    passages: int = 0
    records: set = dataclasses.field(default_factory=set)
    by_profile: dict = dataclasses.field(default_factory=lambda: dict.fromkeys(PROFILES, 0))

    def add(self, passage: Passage) -> None:
        self.passages += 1
        self.records.add(passage.record_id)
        for profile in passage.record.profiles_present():
            self.by_profile[profile] += 1

    @property
    def record_count(self) -> int:
        return len(self.records)

    @property
    def profile_counts(self) -> list[int]:
        return [self.by_profile[profile] for profile in PROFILES]


@dataclasses.dataclass
class ThemeCount(Count):
    codes: list = dataclasses.field(default_factory=list)
    quoted: list = dataclasses.field(default_factory=list)


def area_synthesis(area: Area) -> dict:
    """The area's themes by frequency and profile, with their passages. Three queries."""
    records = list(InquiryRecord.objects.filter(area=area).order_by("held_on", "pk"))
    passages = list(
        Passage.objects.filter(record__area=area)
        .select_related("record")
        .prefetch_related("codes")
        .order_by("record__held_on", "record_id", "start", "pk")
    )
    codebook = list(Code.objects.filter(organisation_id=area.organisation_id))
    themes = {code.pk: ThemeCount(code=code) for code in codebook if code.is_theme}
    codes = {code.pk: Count(code=code) for code in codebook if not code.is_theme}
    for code in sorted(codes.values(), key=lambda c: (c.code.position, c.code.name, c.code.pk)):
        themes[code.code.parent_id].codes.append(code)
    for passage in passages:
        given = list(passage.codes.all())
        for theme_id in sorted({code.theme_id for code in given}):
            theme = themes[theme_id]
            theme.add(passage)
            names = [code.name for code in given if code.theme_id == theme_id and not code.is_theme]
            theme.quoted.append({"passage": passage, "record": passage.record, "codes": names})
        for code in given:
            if not code.is_theme:
                codes[code.pk].add(passage)
    ordered = sorted(
        themes.values(), key=lambda t: (-t.passages, t.code.position, t.code.name, t.code.pk)
    )
    for theme in ordered:
        theme.codes.sort(key=lambda c: (-c.passages, c.code.position, c.code.name, c.code.pk))
    methods = dict.fromkeys(Method.values, 0)
    participants = dict.fromkeys(PROFILES, 0)
    for record in records:
        methods[record.method] += 1
        for profile in PROFILES:
            participants[profile] += getattr(record, profile)
    return {
        "area": area,
        "themes": ordered,
        "records": len(records),
        "passages": len(passages),
        "methods": [(label, methods[value]) for value, label in Method.choices],
        "participants": [(PROFILES[p], participants[p]) for p in PROFILES],
        "profile_labels": list(PROFILES.values()),
    }


HEADERS = ["Thème", "Code", "Passages", "Enregistrements", *PROFILES.values()]


def frequency_rows(synthesis: dict) -> list[list]:
    """One row per theme (its code column says "ensemble du thème"), then its codes."""
    rows = []
    for theme in synthesis["themes"]:
        rows.append(
            [
                theme.code.name,
                "(ensemble du thème)",
                theme.passages,
                theme.record_count,
                *theme.profile_counts,
            ]
        )
        for code in theme.codes:
            rows.append(
                [theme.code.name, code.code.name, code.passages, code.record_count]
                + code.profile_counts
            )
    return rows


PASSAGE_HEADERS = ["Thème", "Codes", "Date", "Méthode", "Enregistrement", "Passage"]


def passage_rows(synthesis: dict) -> list[list]:
    rows = []
    for theme in synthesis["themes"]:
        for quoted in theme.quoted:
            record = quoted["record"]
            rows.append(
                [
                    theme.code.name,
                    ", ".join(quoted["codes"]),
                    record.held_on,
                    record.get_method_display(),
                    record.title,
                    quoted["passage"].excerpt,
                ]
            )
    return rows


def _safe(value):
    """A cell that a spreadsheet would read as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def synthesis_csv(synthesis: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for row in frequency_rows(synthesis):
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def synthesis_xlsx(synthesis: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = f"Synthèse qualitative — {synthesis['area'].name}"
    for sheet_name, headers, rows in (
        ("Thèmes", HEADERS, frequency_rows(synthesis)),
        ("Passages codés", PASSAGE_HEADERS, passage_rows(synthesis)),
    ):
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
