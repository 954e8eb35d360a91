"""The directory in data·inclusion's layout: the same records as ``manage.py
directory_export`` (every one validates against the schema package), services filtered
by the one search (``search_services``). Token authentication as the rest of the API;
families read the same entries on the public pages.

Both lists are paged like every list of the API (``?limit=&offset=``, ``core.api``):
``{"items": [...], "count": N}``, at most 100 records a page, so that no caller has the
server serialise the whole directory. A search's page is read with its count in one
query, as the public pages do (``Results``)."""

from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import paginate

from petitspas.core.api import READ_ERRORS, Pagination
from petitspas.core.bounds import search_text
from petitspas.directory import geo
from petitspas.directory.models import Structure
from petitspas.directory.schema import service_record, structure_record
from petitspas.directory.search import Filters, Results, search_services
from petitspas.directory.themes import PUBLICS, THEMATIQUES

router = Router(tags=["annuaire"])


@router.get(
    "/annuaire/structures",
    response={200: list[dict], **READ_ERRORS},
    summary="Structures de l'annuaire (format data·inclusion v1)",
)
@paginate(Pagination)
def directory_structures(request):
    """Every structure, ordered by ``source`` then ``id``, a page at a time."""
    structures = Structure.objects.defer("imported", "search_index", "search_name")
    return Records(structures.order_by("source", "source_id"), structure_record)


@router.get(
    "/annuaire/services",
    response={200: list[dict], **READ_ERRORS},
    summary="Services de l'annuaire (format data·inclusion v1), recherche et filtres",
)
@paginate(Pagination)
def directory_services(
    request,
    q: str = "",
    thematique: str = "",
    public: str = "",
    commune: str = "",
    gratuit: bool = False,
    pres_de: str = Query("", description="Près de : une adresse, une commune ou « lat, lon »."),
    latitude: float | None = Query(None, ge=-90, le=90, description="Près de ce point…"),
    longitude: float | None = Query(None, ge=-180, le=180, description="…avec la latitude."),
    rayon_km: float = Query(geo.DEFAULT_RADIUS_KM, gt=0, le=geo.MAX_RADIUS_KM),
):
    """Best match first (a hit in a name before one in a description, then by name);
    with ``pres_de`` or ``latitude`` and ``longitude``: the services within ``rayon_km``,
    nearest first (``directory.geo``). The order is total (ties by id), so that paging
    with ``offset`` reaches every service once."""
    filters = Filters(
        q=search_text(q),
        thematique=search_text(thematique),
        public=search_text(public),
        commune=search_text(commune),
        gratuit=gratuit,
    )
    unknown = _unknown_codes(filters)
    if unknown:
        raise ValidationError(unknown)
    try:
        near = _near(search_text(pres_de), latitude, longitude)
    except geo.GeocodingError as error:
        field = "pres_de" if pres_de else "latitude"
        detail = [{"type": "value_error", "loc": ["query", field], "msg": str(error.message)}]
        raise ValidationError(detail) from None
    return Records(search_services(filters, near=near, radius_km=rayon_km), service_record)


class Records:
    """Rows seen as the standard's records by ninja's paginator, which cuts its page
    (``[offset:offset + limit]``) and then counts (``.all().count()``): only the page's
    rows are read and turned into records; a search's page comes with its count."""

    def __init__(self, rows, record):
        self.rows = rows
        self.record = record

    def all(self):
        return self

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict]:
        if isinstance(self.rows, Results):
            page = self.rows.counted_slice(index.start, index.stop)
        else:
            page = self.rows[index]
        return [self.record(row) for row in page]


def _unknown_codes(filters: Filters) -> list[dict]:
    """A thématique or a public the standard does not have is said, not answered with an
    empty list that would read as "no service"."""
    errors = []
    if filters.thematique and filters.thematique not in THEMATIQUES:
        errors.append(
            {
                "type": "value_error",
                "loc": ["query", "thematique"],
                "msg": f"Thématique inconnue « {filters.thematique[:80]} » : donnez un code "
                "de thématique data·inclusion, par exemple « famille--garde-denfants ».",
            }
        )
    if filters.public and filters.public not in PUBLICS:
        errors.append(
            {
                "type": "value_error",
                "loc": ["query", "public"],
                "msg": f"Public inconnu « {filters.public[:80]} » : donnez un code de public "
                "data·inclusion, par exemple « familles ».",
            }
        )
    return errors


def _near(text: str, latitude, longitude):
    if (latitude is None) != (longitude is None):
        raise geo.GeocodingError("Donnez la latitude et la longitude, ou aucune des deux.")
    if latitude is not None:
        if not geo.in_france(latitude, longitude):
            raise geo.GeocodingError(geo.OUTSIDE_FRANCE % {"lat": latitude, "lon": longitude})
        return geo.Point(latitude, longitude)
    if text:
        return geo.geocode(text).point
    return None
