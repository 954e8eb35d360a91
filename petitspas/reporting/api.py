"""API: a programme's indicators, through the same door, scope and small-cell rule as the
dashboard (``reporting.indicators.figures_for``)."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from petitspas.core.api import OBJECT_ERRORS, ErrorOut, filter_id
from petitspas.core.bounds import is_possible_day
from petitspas.core.db import MAX_ID
from petitspas.core.replica import from_replica
from petitspas.reporting.forms import ORDER, OUT_OF_BOUNDS, TOO_LONG
from petitspas.reporting.indicators import Scope, figures_for
from petitspas.reporting.permissions import access_programme_figures
from petitspas.reporting.smallcells import SMALL


class IndicatorFilters(Schema):
    programme: int = Field(..., ge=1, le=MAX_ID, description="The programme's id.")
    start: datetime.date = Field(..., description="First day of the period, YYYY-MM-DD.")
    end: datetime.date = Field(..., description="Last day of the period (included).")
    site: int | None = filter_id("Only the sessions of this site of the programme.")
    activity_type: int | None = filter_id("Only the sessions of this activity type.")
    town: str = Field(
        "",
        max_length=100,
        pattern=r"^[^\x00-\x1f]*$",
        description="Only the households of this town (its name, as on the family file).",
    )


class IndicatorOut(Schema):
    name: str = Field(description="Stable snake_case name, e.g. households_reached.")
    label: str
    unit: str = Field(
        description="people, visits, half_days, sessions, hours, per_session, percent, days, "
        "hotels or reference (a published figure, not people the programme counted)."
    )
    value: int | float | str | None = Field(
        description="A number; null when there is nothing to divide or the figure does not apply "
        f'(childcare of a programme without it); "{SMALL}" for a hidden small cell (funders '
        "and observers)."
    )
    previous_year: int | float | str | None = Field(description="The same period one year earlier.")


class IndicatorsOut(Schema):
    programme: int
    start: datetime.date
    end: datetime.date
    small_cells_hidden: bool
    indicators: list[IndicatorOut]


router = Router()


@router.get(
    "/indicators",
    response={200: IndicatorsOut, 403: ErrorOut, **OBJECT_ERRORS},
    tags=["indicators"],
    summary="A programme's indicators over a period",
    description="Every indicator of the programme's dashboard under its stable name. The "
    "caller's scope applies: a professional counts the households they may open; funders "
    f'read counts under 5 people as "{SMALL}", with secondary suppression.',
)
def indicators(request, filters: Query[IndicatorFilters]):
    for field in ("start", "end"):
        if not is_possible_day(getattr(filters, field)):
            raise _invalid(field, OUT_OF_BOUNDS)
    if filters.end < filters.start:
        raise _invalid("end", ORDER)
    if filters.end - filters.start > datetime.timedelta(days=5 * 366):
        raise _invalid("end", TOO_LONG)
    programme = access_programme_figures(request.auth, filters.programme)
    if filters.site is not None and not programme.sites.filter(pk=filters.site).exists():
        raise HttpError(404, "Not Found")
    if (
        filters.activity_type is not None
        and not programme.activity_types.filter(pk=filters.activity_type).exists()
    ):
        raise HttpError(404, "Not Found")
    scope = Scope(
        programme=programme,
        start=filters.start,
        end=filters.end,
        site_id=filters.site,
        activity_type_id=filters.activity_type,
        town=filters.town.strip(),
    )
    with from_replica():  # a figure may lag: read the replica when there is one
        figures = figures_for(request.auth, scope, today=timezone.localdate())
    return {
        "programme": programme.pk,
        "start": scope.start,
        "end": scope.end,
        "small_cells_hidden": figures.protected,
        "indicators": [
            {
                "name": row["name"],
                "label": row["label"],
                "unit": row["indicator"].unit,
                "value": row["value"],
                "previous_year": row["previous"],
            }
            for row in figures.rows()
        ],
    }


def _invalid(field: str, message: str) -> ValidationError:
    """422 in the documented shape, with the page's French message."""
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])
