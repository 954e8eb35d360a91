"""API: sites, their opening rules and their openings, read-only, scoped by ``visible_to``.

Openings come from ``SiteCalendar``, the only code that knows public and school holidays.
"""

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import PlainSerializer, WithJsonSchema

from petitspas.core.api import OBJECT_ERRORS, READ_ERRORS, Pagination, filter_id, path_id
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, FIRST_DAY, LAST_DAY, is_possible_day
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import Site
from petitspas.places.permissions import access_site, site_address

# The openings window: eight weeks by default, like the calendar page; a year at most so
# that one request stays cheap. Dates far from now are refused rather than computed.
DEFAULT_OPENINGS_DAYS = 56
MAX_OPENINGS_DAYS = 366

END_BEFORE_START = "La date de fin doit être égale ou postérieure à la date de début."
RANGE_TOO_LONG = f"La période demandée ne peut pas dépasser {MAX_OPENINGS_DAYS} jours."

# Wall-clock hours in France, "08:30". JSON Schema's "time" format wants a UTC offset, which
# a weekly rule does not have.
LocalTime = Annotated[
    datetime.time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["08:30"]}
    ),
]

# INSEE commune code: five digits, or 2A/2B and three digits in Corsica.
COMMUNE_CODE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"


def _address(site: Site, context):
    return site_address(context["request"].auth, site)


class SiteOut(Schema):
    id: int
    programme_id: int
    organisation_id: int
    name: str
    kind: str
    kind_label: str
    address: str = Field(description="Empty where families live, unless the caller is staff.")
    postcode: str = Field(description="Empty where families live, unless the caller is staff.")
    commune_code: str
    town: str
    departement: str
    school_zone: str | None = Field(description="A, B or C; none for Corsica and overseas.")
    latitude: float | None
    longitude: float | None
    is_qpv: bool
    access_notes: str
    is_active: bool

    @staticmethod
    def resolve_organisation_id(obj: Site) -> int:
        return obj.programme.organisation_id

    # Where families live (a social hotel), only the staff of the site's organisation read
    # its street, postcode, coordinates and access notes; others get empty values and the
    # town (``places.permissions.site_address``).
    @staticmethod
    def resolve_address(obj: Site, context) -> str:
        return _address(obj, context).street

    @staticmethod
    def resolve_postcode(obj: Site, context) -> str:
        return _address(obj, context).postcode

    @staticmethod
    def resolve_latitude(obj: Site, context) -> float | None:
        return _address(obj, context).latitude

    @staticmethod
    def resolve_longitude(obj: Site, context) -> float | None:
        return _address(obj, context).longitude

    @staticmethod
    def resolve_access_notes(obj: Site, context) -> str:
        return _address(obj, context).access_notes

    @staticmethod
    def resolve_kind_label(obj: Site) -> str:
        return obj.get_kind_display()


class WeeklyOpeningOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday.")
    half_day: str = Field(description="am or pm.")
    opens_at: LocalTime
    closes_at: LocalTime
    school_holidays: str = Field(
        description="always, term (outside school holidays only) "
        "or holidays (during school holidays only)."
    )


class ClosureOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    half_day: str | None = Field(description="am or pm when only one half-day is closed.")
    reason: str

    @staticmethod
    def resolve_half_day(obj) -> str | None:
        return obj.half_day or None


class RelocationOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date | None
    place_name: str
    address: str
    reason: str


class SiteDetailOut(SiteOut):
    weekly_openings: list[WeeklyOpeningOut]
    closures: list[ClosureOut]
    relocations: list[RelocationOut]

    @staticmethod
    def resolve_weekly_openings(obj: Site):
        return obj.weekly_openings.all()

    @staticmethod
    def resolve_closures(obj: Site):
        return obj.closures.all()

    @staticmethod
    def resolve_relocations(obj: Site):
        return obj.relocations.all()


class OpeningOut(Schema):
    day: datetime.date
    half_day: str = Field(description="am or pm.")
    opens_at: LocalTime
    closes_at: LocalTime
    place_name: str
    address: str
    relocated: bool = Field(description="True when held elsewhere for a while.")


class OpeningsOut(Schema):
    site_id: int
    start: datetime.date
    end: datetime.date
    openings: list[OpeningOut]


class SiteFilters(Schema):
    programme: int | None = filter_id("Only this programme's sites.")
    commune_code: str | None = Field(
        None, pattern=COMMUNE_CODE_PATTERN, description="INSEE code of the commune."
    )


class OpeningsRange(Schema):
    start: datetime.date | None = Field(
        None, description=f"First day (default: today), from {FIRST_DAY} to {LAST_DAY}."
    )
    end: datetime.date | None = Field(
        None, description=f"Last day, included (default: start + {DEFAULT_OPENINGS_DAYS - 1} days)."
    )


router = Router(tags=["sites"])


@router.get(
    "/sites",
    response={200: list[SiteOut], **READ_ERRORS},
    summary="Sites visible to the caller",
)
@paginate(Pagination)
def site_list(request, filters: Query[SiteFilters]):
    sites = Site.objects.visible_to(request.auth).select_related("programme")
    if filters.programme is not None:
        sites = sites.filter(programme_id=filters.programme)
    if filters.commune_code is not None:
        sites = sites.filter(commune_code=filters.commune_code)
    return sites.order_by("programme__name", "name", "pk")


@router.get(
    "/sites/{site_id}",
    response={200: SiteDetailOut, **OBJECT_ERRORS},
    summary="One site with its weekly openings, closures and relocations",
)
def site_detail(request, site_id: int = path_id()):
    return access_site(request.auth, site_id, rules=True)


@router.get(
    "/sites/{site_id}/openings",
    response={200: OpeningsOut, **OBJECT_ERRORS},
    summary="The site's open half-days between two dates",
    description="Public and school holidays, closures and relocations applied. "
    f"At most {MAX_OPENINGS_DAYS} days; 422 when the range is invalid or when the school "
    "holidays it depends on are not published yet.",
)
def site_openings(request, dates: Query[OpeningsRange], site_id: int = path_id()):
    site = access_site(request.auth, site_id, rules=True)
    start, end = _openings_range(dates.start, dates.end)
    address = site_address(request.auth, site)
    calendar = SiteCalendar.for_site(site, address=address.street or address.town)
    try:
        openings = calendar.openings(start, end)
    except SchoolCalendarUnavailable as error:
        raise _invalid("end", str(error), "school_calendar_unavailable") from error
    return {"site_id": site.pk, "start": start, "end": end, "openings": openings}


def _openings_range(start, end) -> tuple[datetime.date, datetime.date]:
    if start is None:
        start = timezone.localdate()
    for name, day in (("start", start), ("end", end)):
        if day is not None and not is_possible_day(day):
            raise _invalid(name, DAY_OUT_OF_BOUNDS)
    if end is None:
        end = min(start + datetime.timedelta(days=DEFAULT_OPENINGS_DAYS - 1), LAST_DAY)
    if end < start:
        raise _invalid("end", END_BEFORE_START)
    if (end - start).days + 1 > MAX_OPENINGS_DAYS:
        raise _invalid("end", RANGE_TOO_LONG)
    return start, end


def _invalid(field: str, message: str, kind: str = "value_error") -> ValidationError:
    # Same shape as ninja's own 422, so clients read one error format.
    return ValidationError([{"type": kind, "loc": ["query", field], "msg": message}])
