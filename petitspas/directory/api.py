"""The directory in data·inclusion's layout: the same records as ``manage.py
directory_export`` (every one validates against the schema package), services filtered
by the one search (``search_services``). Token authentication as the rest of the API;
families read the same entries on the public pages."""

from ninja import Router

from petitspas.core.api import READ_ERRORS
from petitspas.core.bounds import search_text
from petitspas.directory.models import Structure
from petitspas.directory.schema import service_record, structure_record
from petitspas.directory.search import Filters, search_services

router = Router(tags=["annuaire"])


@router.get(
    "/annuaire/structures",
    response={200: list[dict], **READ_ERRORS},
    summary="Structures de l'annuaire (format data·inclusion v1)",
)
def directory_structures(request):
    return [structure_record(s) for s in Structure.objects.order_by("source", "source_id")]


@router.get(
    "/annuaire/services",
    response={200: list[dict], **READ_ERRORS},
    summary="Services de l'annuaire (format data·inclusion v1), recherche et filtres",
)
def directory_services(
    request,
    q: str = "",
    thematique: str = "",
    public: str = "",
    commune: str = "",
    gratuit: bool = False,
):
    filters = Filters(
        q=search_text(q),
        thematique=search_text(thematique),
        public=search_text(public),
        commune=search_text(commune),
        gratuit=gratuit,
    )
    return [service_record(s) for s in search_services(filters)]
