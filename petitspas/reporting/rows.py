"""A programme's attendance rows over a period, one line per person marked at a session,
for the evaluators' own analyses: CSV streamed as it is read, XLSX through openpyxl's
write-only mode into a temporary file. Memory stays flat whatever the number of rows.

Rows are pseudonymous: the household's code, the person's role and, for a child, the age
band on the day; never a name, a birth date or an address. Only the admins and
coordinators of the programme's organisation export them (``access_programme_rows``), and
each export is written in the audit log.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook

from petitspas.attendance.models import Attendance
from petitspas.reporting.aggregates import child_band

CHUNK = 5000
HEADERS = [
    "date",
    "lieu",
    "activité",
    "séance",
    "famille (code)",
    "rôle",
    "tranche d'âge",
    "présence",
    "venue sans être attendue",
]
ROLES = {"parent": "parent", "child": "enfant"}
BANDS = {
    "children_under_1": "0-1 an",
    "children_1_3": "1-3 ans",
    "children_3_6": "3-6 ans",
    "children_other": "6 ans et plus, ou âge inconnu",
}


def attendance_rows(
    programme, start: datetime.date, end: datetime.date, *, site=None, activity_type=None
):
    """The rows, in date and session order (one site, one activity type of the programme
    when given), read in chunks (a server-side cursor on PostgreSQL)."""
    rows = Attendance._base_manager.filter(
        session__activity_type__programme=programme,
        session__date__gte=start,
        session__date__lte=end,
    )
    if site is not None:
        rows = rows.filter(session__site=site)
    if activity_type is not None:
        rows = rows.filter(session__activity_type=activity_type)
    return (
        rows.order_by("session__date", "session_id", "household_id", "person_id")
        .values_list(
            "session__date",
            "session__site__name",
            "session__activity_type__name",
            "session_id",
            "household__code",
            "person__role",
            "person__birth_date",
            "status",
            "is_walk_in",
        )
        .iterator(chunk_size=CHUNK)
    )


def _line(row) -> list:
    day, site, activity, session, code, role, birth, status, walk_in = row
    band = BANDS.get(child_band(birth, day), "") if role == "child" else ""
    return [
        day.isoformat(),
        site,
        activity,
        session,
        code,
        ROLES.get(role, role),
        band,
        Attendance.Status(status).label,
        "oui" if walk_in else "non",
    ]


class _Line:
    """A file-like object that hands back what the csv writer wrote."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows) -> Iterator[str]:
    """The CSV (semicolon-separated, as French spreadsheets read it), line by line."""
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(HEADERS)
    for row in rows:
        yield writer.writerow(_line(row))


# A worksheet holds at most 1,048,576 rows (Excel, LibreOffice): past them, the rows go
# on in a new sheet, each with the title and the headers.
SHEET_ROWS = 1_048_576


def xlsx_file(rows, *, title: str):
    """The XLSX in a temporary file (rewound), written row by row: openpyxl's write-only
    mode keeps no row in memory. A sheet full, the rows go on in the next ("Présences
    (2)"…), so that a spreadsheet opens every row of a programme's years."""
    workbook = Workbook(write_only=True)
    sheets = 0
    room = 0
    for row in rows:
        if not room:
            sheets += 1
            sheet = _rows_sheet(workbook, title, sheets)
            room = SHEET_ROWS - 2
        sheet.append(_line(row))
        room -= 1
    if not sheets:
        _rows_sheet(workbook, title, 1)
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(out)
    out.seek(0)
    return out


def _rows_sheet(workbook, title: str, number: int):
    sheet = workbook.create_sheet("Présences" if number == 1 else f"Présences ({number})")
    sheet.append([title])
    sheet.append(HEADERS)
    return sheet
