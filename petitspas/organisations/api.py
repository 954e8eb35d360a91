"""API: organisations and programmes, read-only, scoped by ``visible_to`` like the web.

``petitspas.api.urls`` mounts this router and sets authentication for every operation
(``request.auth`` is the calling user). Nothing here lists members or e-mail addresses.
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from petitspas.core.api import OBJECT_ERRORS, READ_ERRORS, Pagination, filter_id, path_id
from petitspas.organisations.models import Organisation, Programme

# --- Organisations and programmes ---------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str = Field(description="association, municipality, departement, state, …")
    kind_label: str
    departement: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return obj.get_kind_display()


class ProgrammeOut(Schema):
    id: int
    organisation_id: int
    name: str
    slug: str
    summary: str
    public: str
    started_on: datetime.date | None
    is_active: bool


router = Router()


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **READ_ERRORS},
    tags=["organisations"],
    summary="Organisations visible to the caller",
)
@paginate(Pagination)
def organisation_list(request):
    return Organisation.objects.visible_to(request.auth).order_by("name", "pk")


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **OBJECT_ERRORS},
    tags=["organisations"],
    summary="One organisation",
)
def organisation_detail(request, organisation_id: int = path_id()):
    return get_object_or_404(Organisation.objects.visible_to(request.auth), pk=organisation_id)


class ProgrammeFilters(Schema):
    organisation: int | None = filter_id("Only this organisation's programmes.")


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut], **READ_ERRORS},
    tags=["programmes"],
    summary="Programmes visible to the caller",
)
@paginate(Pagination)
def programme_list(request, filters: Query[ProgrammeFilters]):
    programmes = Programme.objects.visible_to(request.auth)
    if filters.organisation is not None:
        programmes = programmes.filter(organisation_id=filters.organisation)
    return programmes.order_by("name", "pk")


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, **OBJECT_ERRORS},
    tags=["programmes"],
    summary="One programme",
)
def programme_detail(request, programme_id: int = path_id()):
    return get_object_or_404(Programme.objects.visible_to(request.auth), pk=programme_id)
