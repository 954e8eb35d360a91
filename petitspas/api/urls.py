from ninja import NinjaAPI

from petitspas.api.auth import ApiRateLimited, api_auth
from petitspas.childcare.api import router as childcare_router
from petitspas.core.ratelimit import too_many_requests
from petitspas.directory.api import router as directory_router
from petitspas.organisations.api import router as organisations_router
from petitspas.places.api import router as places_router
from petitspas.reporting.api import router as reporting_router

api = NinjaAPI(
    title="Petits Pas API",
    version="1",
    description="Organisations, programmes, sites and their openings; a childcare "
    "referral's state for its prescriber; a programme's indicators. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`. "
    "Lists are paged: `?limit=` (50 by default, 100 at most) and `?offset=`; the answer is "
    '`{"items": [...], "count": <total>}`, and the next page starts at `offset + limit` '
    "while that is below `count`.",
    urls_namespace="api",
    auth=api_auth,
)

api.add_exception_handler(ApiRateLimited, lambda request, exc: too_many_requests(request, exc.wait))

api.add_router("/", organisations_router)
api.add_router("/", places_router)
api.add_router("/", childcare_router)
api.add_router("/", reporting_router)
api.add_router("/", directory_router)
