"""The dashboard's tables as CSV (the key figures, one row per indicator) and XLSX (one
sheet per table), from the same protected rows as the page."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from petitspas.reporting.tables import Table


def _cell(value):
    return "" if value is None else value


def key_figures_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def tables_xlsx(tables: list[Table], *, title: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet[:31])
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([table.title])
        sheet.append(table.headers)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
