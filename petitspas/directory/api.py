"""The directory in data·inclusion's layout, public like the directory pages: the same
records as ``manage.py directory_export`` (every one validates against the schema
package), filtered by the one search (``search_services``)."""

from ninja import Router

from petitspas.directory.models import Structure
from petitspas.directory.schema import service_record, structure_record
from petitspas.directory.search import Filters, search_services

router = Router(tags=["annuaire"])


@router.get("/annuaire/structures", auth=None, response=list[dict])
def directory_structures(request):
    return [structure_record(s) for s in Structure.objects.order_by("source", "source_id")]


@router.get("/annuaire/services", auth=None, response=list[dict])
def directory_services(
    request,
    q: str = "",
    thematique: str = "",
    public: str = "",
    commune: str = "",
    gratuit: bool = False,
):
    filters = Filters(q=q, thematique=thematique, public=public, commune=commune, gratuit=gratuit)
    return [service_record(s) for s in search_services(filters)]
