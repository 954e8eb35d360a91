from ninja import NinjaAPI

api = NinjaAPI(
    title="Petits Pas API",
    version="1",
    description="Organisations, programmes, sites and their openings. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`.",
    urls_namespace="api",
)
