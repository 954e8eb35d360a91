"""Writes on the social hotels' coverage: the reference list and the reference figures.
Keyword-only arguments, one transaction, the permission check and the audit entry inside.
``by=None`` is the shell (``manage.py import_social_hotels``, the demo): no account."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from petitspas.core.audit import audit_log
from petitspas.core.bounds import FIRST_DAY, LAST_DAY
from petitspas.core.text import fold
from petitspas.reporting.hotels import HotelRow, RowError
from petitspas.reporting.models import CoverageReference, SocialHotel
from petitspas.reporting.permissions import can_edit_coverage

FIELDS = ("address", "town", "children", "latitude", "longitude", "site_id")


@dataclasses.dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.created + self.updated + self.unchanged


def _check(by, programme) -> None:
    if by is not None and not can_edit_coverage(by, programme):
        raise PermissionDenied


@transaction.atomic
def hotels_import(
    *, by, programme, rows: list[HotelRow], errors: list[RowError] = ()
) -> ImportReport:
    """Create or update the hotels of ``rows`` (from ``hotels.read_hotels``); hotels of the
    list that the file does not name are kept. Importing the same file twice changes
    nothing."""
    _check(by, programme)
    report = ImportReport(errors=list(errors))
    existing = {
        (hotel.departement, fold(hotel.name), hotel.commune_code): hotel
        for hotel in SocialHotel.objects.filter(programme=programme).order_by(Lower("name"))
    }
    for row in rows:
        values = {
            "address": row.address,
            "town": row.town,
            "children": row.children,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "site_id": row.site.pk if row.site else None,
        }
        hotel = existing.get(row.identity)
        if hotel is None:
            hotel = SocialHotel.objects.create(
                programme=programme,
                departement=row.departement,
                name=row.name,
                commune_code=row.commune_code,
                **values,
            )
            existing[row.identity] = hotel
            report.created += 1
            continue
        if all(getattr(hotel, field) == value for field, value in values.items()) and (
            hotel.name == row.name
        ):
            report.unchanged += 1
            continue
        hotel.name = row.name
        for field, value in values.items():
            setattr(hotel, field, value)
        hotel.save()
        report.updated += 1
    audit_log(
        by,
        "coverage.hotels_import",
        programme,
        organisation=programme.organisation,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        refused=len(report.errors),
    )
    return report


NOT_A_DEPARTEMENT = "Indiquez un numéro de département (93, 2A, 971…)."
BAD_YEAR = f"Choisissez une année entre {FIRST_DAY.year} et {LAST_DAY.year}."
MORE_YOUNG = "Les enfants de 0 à 6 ans ne peuvent être plus nombreux que l'ensemble des enfants."
SOURCE_REQUIRED = "Indiquez la source de ces chiffres (par exemple l'étude qui les publie)."


@transaction.atomic
def reference_save(
    *,
    by,
    programme,
    departement: str,
    hotels: int,
    children: int,
    children_0_6: int | None,
    source: str,
    year: int,
) -> CoverageReference:
    """Set the reference figures of ``departement`` for ``programme`` (one set per
    département, replaced)."""
    _check(by, programme)
    departement = (departement or "").strip().upper()
    source = (source or "").strip()
    errors = {}
    if not ((len(departement) in (2, 3) and departement.isdigit()) or departement in ("2A", "2B")):
        errors["departement"] = NOT_A_DEPARTEMENT
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        errors["year"] = BAD_YEAR
    if children_0_6 is not None and children_0_6 > children:
        errors["children_0_6"] = MORE_YOUNG
    if not source:
        errors["source"] = SOURCE_REQUIRED
    if errors:
        raise ValidationError(errors)
    reference, created = CoverageReference.objects.update_or_create(
        programme=programme,
        departement=departement,
        defaults={
            "hotels": hotels,
            "children": children,
            "children_0_6": children_0_6,
            "source": source,
            "year": year,
        },
    )
    audit_log(
        by,
        "coverage.reference_save",
        reference,
        organisation=programme.organisation,
        programme=programme.pk,
        hotels=hotels,
        children=children,
        children_0_6=children_0_6,
        year=year,
        created=created,
    )
    return reference
