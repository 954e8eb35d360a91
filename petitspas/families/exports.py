"""The audit log as CSV, for a spreadsheet: French headers, semicolons and a byte-order
mark (what a French spreadsheet opens as is), one line per entry, written as it is read."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from petitspas.core.audit import action_sentence
from petitspas.families.selectors import audit_actor

AUDIT_CSV_HEADERS = (
    "Date et heure",
    "Organisation",
    "Personne",
    "Action",
    "Code de l'action",
    "Objet",
)
# A cell starting with one of these is a formula to a spreadsheet: names and objects are
# typed by people, so they are written as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes to it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def audit_csv_lines(entries: Iterable) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(AUDIT_CSV_HEADERS)
    for entry in entries.iterator(chunk_size=2000) if hasattr(entries, "iterator") else entries:
        yield writer.writerow(
            (
                f"{timezone.localtime(entry.at):%d/%m/%Y %H:%M:%S}",
                _cell(entry.organisation.name if entry.organisation else ""),
                _cell(audit_actor(entry)),
                _cell(action_sentence(entry.action, entry.target_repr)),
                entry.action,
                _cell(entry.target_repr),
            )
        )
