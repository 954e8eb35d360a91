"""Import and export in the layout data·inclusion publishes: ``structures`` and
``services`` as JSON lists or CSV files (lists in CSV are comma-separated codes).

An import reads the whole file first (wrong encoding, missing columns, bad JSON: the file
is refused, nothing is written), checks every row with the schema package
(``directory.schema``), then writes the valid rows in one transaction. Identity is
(``source``, ``id``): importing the same file again changes nothing. A row whose entry was
edited here since its last import is not overwritten: it is reported."""

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.directory.models import Change, Service, Structure
from petitspas.directory.schema import (
    INTEGER_FIELDS,
    LIST_FIELDS,
    NUMBER_FIELDS,
    SERVICE_FIELDS,
    STRUCTURE_FIELDS,
    apply_record,
    check_service,
    check_structure,
    service_record,
    structure_record,
)
from petitspas.directory.services import INDEX_FIELDS, index_service, index_structure
from petitspas.directory.terms import write_terms

REQUIRED_STRUCTURE = ("source", "id", "nom", "date_maj")
REQUIRED_SERVICE = ("source", "structure_id", "id", "nom", "description", "date_maj")


class ImportFileError(ValueError):
    """The file cannot be read as a whole: nothing is imported."""


@dataclasses.dataclass
class RowError:
    kind: str  # "structure" | "service"
    row: int  # 1-based record number (CSV: the line number, header = 1)
    ident: str
    messages: list[str]

    def __str__(self):
        label = "structure" if self.kind == "structure" else "service"
        return f"{label}, ligne {self.row} ({self.ident or 'sans id'}) : " + " ; ".join(
            self.messages
        )


@dataclasses.dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    # Local edits a newer import would have overwritten: "kind id".
    kept_local: list[str] = dataclasses.field(default_factory=list)


# Reading ----------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} n'est pas en UTF-8 (octet illisible en position {exc.start}) : "
            "enregistrez-le en « CSV UTF-8 » puis recommencez. Rien n'a été importé."
        ) from exc


def _csv_value(name: str, text: str):
    text = (text or "").strip()
    if text == "":
        return None
    if name in LIST_FIELDS:
        return [part.strip() for part in text.split(",") if part.strip()]
    if name in NUMBER_FIELDS:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    if name in INTEGER_FIELDS:
        return int(text) if text.isdigit() else text
    return text


def read_records(path: Path, kind: str) -> list[tuple[int, dict]]:
    """(row number, record) of a JSON or CSV file of ``kind`` ("structures"/"services")."""
    text = _decode(path.read_bytes(), path.name)
    fields = STRUCTURE_FIELDS if kind == "structures" else SERVICE_FIELDS
    required = REQUIRED_STRUCTURE if kind == "structures" else REQUIRED_SERVICE
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{path.name} n'est pas un JSON valide (ligne {exc.lineno}) : rien n'a été importé."
            ) from exc
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ImportFileError(
                f"{path.name} doit contenir une liste d'objets : rien n'a été importé."
            )
        return [(i, {k: r.get(k) for k in fields}) for i, r in enumerate(data, start=1)]
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFileError(
                f"{path.name} : colonnes manquantes {', '.join(missing)}. Rien n'a été importé."
            )
        return [
            (line, {k: _csv_value(k, row.get(k) or "") for k in fields})
            for line, row in enumerate(reader, start=2)
        ]
    raise ImportFileError(f"{path.name} : seuls les fichiers .json et .csv sont lus.")


def find_files(path: Path) -> tuple[Path | None, Path]:
    """(structures file or None, services file) of a folder, or a single services file."""
    if path.is_dir():
        found = {}
        for kind in ("structures", "services"):
            for suffix in (".json", ".csv"):
                candidate = path / f"{kind}{suffix}"
                if candidate.exists():
                    found[kind] = candidate
                    break
        if "services" not in found:
            raise ImportFileError(
                f"{path} : ni services.json ni services.csv dans ce dossier. Rien n'a été importé."
            )
        return found.get("structures"), found["services"]
    if not path.exists():
        raise ImportFileError(f"{path} : fichier introuvable.")
    return None, path


# Writing ----------------------------------------------------------------------------------


def canonical(record: dict) -> dict:
    """A record as the export writes it (sorted lists, None for empty), to compare."""
    out = {}
    for key, value in record.items():
        if key == "date_maj":
            continue
        if key in LIST_FIELDS:
            value = sorted(value) if value else None
        elif value == "":
            value = None
        elif key in NUMBER_FIELDS and value is not None:
            value = float(value)
        out[key] = value
    return out


def import_records(
    *,
    structures: list[tuple[int, dict]],
    services: list[tuple[int, dict]],
    organisation=None,
    by=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every record, then write the valid ones in one transaction. ``organisation``
    owns the structures created (None: they are edited by their territory's coordination).

    The entries already in the directory are read by batches, the new ones inserted by
    batches (``BATCH`` rows a statement) with their ``Change``: a data·inclusion dump of
    tens of thousands of services takes seconds, and as many queries whatever its size.
    Entries that change are saved one by one, as an edit is."""
    report = ImportReport()
    total = len(structures) + len(services)
    valid_structures = []
    for row, record in structures:
        try:
            valid_structures.append(check_structure(record))
        except ValidationError as exc:
            report.errors.append(
                RowError("structure", row, str(record.get("id") or ""), _flat(exc))
            )
    checked_services = []
    for row, record in services:
        try:
            checked_services.append((row, check_service(record)))
        except ValidationError as exc:
            report.errors.append(RowError("service", row, str(record.get("id") or ""), _flat(exc)))
    known = {(r["source"], r["id"]) for r in valid_structures}
    wanted = {(r["source"], r["structure_id"]) for _row, r in checked_services}
    in_directory = set(_existing(Structure, wanted - known, only=("source", "source_id")))
    valid_services = []
    for row, record in checked_services:
        key = (record["source"], record["structure_id"])
        if key not in known and key not in in_directory:
            report.errors.append(
                RowError(
                    "service",
                    row,
                    str(record["id"]),
                    [
                        f"structure : aucune structure « {record['structure_id']} » (source "
                        f"« {record['source']} ») dans le fichier ni dans l'annuaire"
                    ],
                )
            )
            continue
        valid_services.append(record)

    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    with transaction.atomic():
        writes = _Writes(by)
        entries = _existing(Structure, known | wanted)
        for record in valid_structures:
            _upsert_structure(record, organisation, entries, writes, report)
            step()
        writes.insert(Structure)
        present = _existing(
            Service,
            {(r["source"], r["id"]) for r in valid_services},
            related=("structure",),
        )
        for record in valid_services:
            _upsert_service(record, entries, present, writes, report)
            step()
        writes.insert(Service)
        writes.reindex_services_of_changed_structures()
        write_terms(writes.new[Service] + writes.indexed)
        Change.objects.bulk_create(writes.changes, batch_size=BATCH)
        audit_log(
            by,
            "directory.import",
            None,
            organisation=organisation,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            refused=len(report.errors),
            kept_local=len(report.kept_local),
        )
    return report


BATCH = 500  # rows a statement (SQLite takes at most 32,766 parameters)


def _existing(model, keys, *, only=(), related=()) -> dict:
    """The entries of ``model`` with these (source, id) keys, read by batches."""
    by_source: dict[str, list[str]] = {}
    for source, ident in keys:
        by_source.setdefault(source, []).append(ident)
    found = {}
    for source, idents in by_source.items():
        for start in range(0, len(idents), BATCH):
            rows = model.objects.filter(source=source, source_id__in=idents[start : start + BATCH])
            if only:
                rows = rows.only(*only)
            if related:
                rows = rows.select_related(*related)
            found.update(((e.source, e.source_id), e) for e in rows)
    return found


class _Writes:
    """What an import writes, gathered to be written by batches."""

    def __init__(self, by):
        self.by = by
        self.new: dict[type, list] = {Structure: [], Service: []}
        self.changes: list[Change] = []
        self.changed_structures: list[Structure] = []
        self.indexed: list[Service] = []  # saved ones whose search columns changed

    def change(self, structure, service, kind, fields) -> None:
        self.changes.append(
            Change(
                structure=structure,
                service=service,
                by=self.by,
                kind=kind,
                fields=fields,
                note="import",
            )
        )

    def insert(self, model) -> None:
        model.objects.bulk_create(self.new[model], batch_size=BATCH)

    def reindex_services_of_changed_structures(self) -> None:
        """A structure's name, description, commune and place are in its services' search
        columns: refresh those of the structures this import changed."""
        if not self.changed_structures:
            return
        by_pk = {s.pk: s for s in self.changed_structures}
        services = list(Service.objects.filter(structure__in=list(by_pk)))
        for service in services:
            service.structure = by_pk[service.structure_id]
            index_service(service)
        Service.objects.bulk_update(services, INDEX_FIELDS, batch_size=BATCH)
        self.indexed.extend(services)


def _flat(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms]


def _upsert_structure(record: dict, organisation, entries, writes, report) -> None:
    key = (record["source"], record["id"])
    structure = entries.get(key)
    incoming = canonical(record)
    if structure is None:
        structure = Structure(
            source=record["source"], source_id=record["id"], organisation=organisation
        )
        changes = apply_record(structure, record, STRUCTURE_FIELDS)
        report.created += 1
        structure.imported = incoming
        index_structure(structure)
        entries[key] = structure
        writes.new[Structure].append(structure)
        writes.change(structure, None, Change.Kind.CREATE, changes)
        return
    current = canonical(structure_record(structure))
    if structure.imported == incoming or current == incoming:
        report.unchanged += 1
        if current == incoming and structure.imported != incoming:
            structure.imported = incoming
            if structure.pk:
                structure.save(update_fields=["imported"])
        return
    if structure.imported is not None and current != structure.imported:
        report.kept_local.append(f"structure {record['id']}")
        return
    changes = apply_record(structure, record, STRUCTURE_FIELDS)
    report.updated += 1
    structure.imported = incoming
    index_structure(structure)
    if structure.pk:  # else created earlier in the same file: inserted as it ends
        structure.save()
        writes.changed_structures.append(structure)
    writes.change(structure, None, Change.Kind.IMPORT, changes)


def _upsert_service(record: dict, entries, present, writes, report) -> None:
    structure = entries[(record["source"], record["structure_id"])]
    key = (record["source"], record["id"])
    service = present.get(key)
    incoming = canonical(record)
    if service is None:
        service = Service(source=record["source"], source_id=record["id"], structure=structure)
        changes = apply_record(service, record, SERVICE_FIELDS)
        # Confirmed as of its producer's last update.
        service.confirmed_on = service.date_maj
        report.created += 1
        service.imported = incoming
        index_service(service)
        present[key] = service
        writes.new[Service].append(service)
        writes.change(structure, service, Change.Kind.CREATE, changes)
        return
    current = canonical(service_record(service))
    if service.imported == incoming or current == incoming:
        report.unchanged += 1
        if current == incoming and service.imported != incoming:
            service.imported = incoming
            if service.pk:
                service.save(update_fields=["imported"])
        return
    if service.imported is not None and current != service.imported:
        report.kept_local.append(f"service {record['id']}")
        return
    changes = apply_record(service, record, SERVICE_FIELDS)
    service.structure = structure
    service.confirmed_on = max(service.confirmed_on, service.date_maj)
    report.updated += 1
    service.imported = incoming
    index_service(service)
    if service.pk:  # else created earlier in the same file: inserted as it ends
        service.save()
        writes.indexed.append(service)
    writes.change(structure, service, Change.Kind.IMPORT, changes)


# Export -----------------------------------------------------------------------------------


def export_records() -> tuple[list[dict], list[dict]]:
    structures = [structure_record(s) for s in Structure.objects.order_by("source", "source_id")]
    services = [
        service_record(s)
        for s in Service.objects.select_related("structure").order_by("source", "source_id")
    ]
    return structures, services


def write_export(out: Path, fmt: str) -> tuple[int, int]:
    out.mkdir(parents=True, exist_ok=True)
    structures, services = export_records()
    for kind, rows, fields in (
        ("structures", structures, STRUCTURE_FIELDS),
        ("services", services, SERVICE_FIELDS),
    ):
        if fmt == "json":
            (out / f"{kind}.json").write_text(
                json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        else:
            with (out / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields)
                writer.writeheader()
                for row in rows:
                    writer.writerow(
                        {
                            k: ",".join(v) if isinstance(v, list) else ("" if v is None else v)
                            for k, v in row.items()
                        }
                    )
    return len(structures), len(services)


def now_stamp() -> str:
    return timezone.now().isoformat()
