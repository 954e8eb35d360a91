"""What every app's API router shares: bounded pagination and the documented error shapes
(so that the OpenAPI schema lists every status an operation can answer)."""

from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination

from petitspas.core.db import MAX_ID


def path_id(description: str = "The object's id."):
    """A path id bounded like a row's id: beyond, 422 rather than SQLite's overflow (500)."""
    return Path(..., ge=1, le=MAX_ID, description=description)


def filter_id(description: str):
    """An optional id in a query filter, bounded like ``path_id``."""
    return Field(None, ge=1, le=MAX_ID, description=description)


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with bounds: a page holds at most 100 items, and an offset past
    any real table is refused (a 64-bit overflow in the database would be a 500)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="Nombre d'éléments par page.")
        offset: int = Field(0, ge=0, le=1_000_000, description="Éléments à sauter.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=100, **kwargs)


class ErrorOut(Schema):
    """401 (no valid token or session) and 404 (missing, or of another organisation)."""

    detail: str


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: a parameter is malformed or out of range; ``msg`` says why."""

    detail: list[ValidationErrorItem]


READ_ERRORS = {401: ErrorOut, 422: ValidationErrorOut}
OBJECT_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
