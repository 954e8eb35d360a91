"""Who reads a programme's figures: one door, ``access_programme_figures``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import active_memberships, organisation_ids
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Programme, Role
from petitspas.reporting.models import AnnualReport, BudgetLine, Funding

FIGURE_ROLES = frozenset({*STAFF_ROLES, Role.FUNDER})


def can_read_figures(user, programme: Programme) -> bool:
    """The programme organisation's admins, coordinators, professionals (their own
    households) and funders (aggregates, small cells hidden); not its prescribers or
    partners."""
    return programme.organisation_id in organisation_ids(user, FIGURE_ROLES)


def reads_figures(user) -> bool:
    """The menu's predicate: admins, coordinators and funders somewhere."""
    return any(
        m.role in (Role.ADMIN, Role.COORDINATOR, Role.FUNDER) for m in active_memberships(user)
    )


def access_programme_figures(user, programme_pk) -> Programme:
    """The programme whose figures ``user`` reads: 404 for another organisation's
    programme or a missing one (the same answer), 403 for a member who reads no
    figures (a prescriber, a partner)."""
    programme = get_visible_or_404(
        Programme.objects.visible_to(user).select_related("organisation"), programme_pk
    )
    if not can_read_figures(user, programme):
        raise PermissionDenied
    return programme


def programmes_with_figures(user):
    """The programmes whose figures ``user`` reads, for the list page."""
    return Programme.objects.where_role(user, FIGURE_ROLES).select_related("organisation")


# --- The monthly review, the observations chosen, the annual report --------------------


def can_review(user, programme: Programme) -> bool:
    """The monthly review and the choice of observations: the admins and coordinators of
    the programme's organisation (they read every observation of its sessions)."""
    return programme.organisation_id in organisation_ids(user, PLANNER_ROLES)


def access_programme_review(user, programme_pk) -> Programme:
    """The programme whose monthly reviews and report observations ``user`` works on: 404
    for another organisation's or a missing one, 403 for its other members."""
    programme = access_programme_figures(user, programme_pk)
    if not can_review(user, programme):
        raise PermissionDenied
    return programme


def can_download_report(user, report) -> bool:
    """The person who asked for it, and the admins and coordinators of the programme's
    organisation."""
    return (
        report.requested_by_id == user.pk
        or report.programme.organisation_id in organisation_ids(user, PLANNER_ROLES)
    )


def access_annual_report(user, report_pk):
    """An annual report's progress and file: 404 for another organisation's, a missing one
    or another member's (their figures may be exact where the reader's are not)."""
    programmes = Programme.objects.where_role(user, FIGURE_ROLES).values("pk")
    report = get_visible_or_404(
        AnnualReport.objects.filter(programme__in=programmes).select_related(
            "programme__organisation"
        ),
        report_pk,
    )
    if not can_download_report(user, report):
        raise Http404
    return report


# --- Money: a programme's budget and funding -------------------------------------------

BUDGET_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FUNDER})
BUDGET_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})


def can_read_budget(user, programme: Programme) -> bool:
    """The admins and coordinators of the programme's organisation and its funders: a
    budget is the organisation's, and its cost per family counts every family (a
    professional's figures count only theirs)."""
    return programme.organisation_id in organisation_ids(user, BUDGET_READERS)


def can_edit_budget(user, programme: Programme) -> bool:
    return programme.organisation_id in organisation_ids(user, BUDGET_EDITORS)


def access_programme_budget(user, programme_pk, *, for_: str = "view") -> Programme:
    """The programme whose budget and funding ``user`` reads (``view``) or enters
    (``edit``): 404 for another organisation's programme or a missing one, 403 for a
    member who may not (a professional, a prescriber, a partner; a funder for ``edit``)."""
    programme = get_visible_or_404(
        Programme.objects.visible_to(user).select_related("organisation"), programme_pk
    )
    allowed = can_edit_budget if for_ == "edit" else can_read_budget
    if not allowed(user, programme):
        raise PermissionDenied
    return programme


def access_budget_line(user, pk):
    """A budget line to edit or delete: the ``edit`` door of its programme."""
    line = get_visible_or_404(BudgetLine.objects.visible_to(user), pk)
    access_programme_budget(user, line.programme_id, for_="edit")
    return line


def access_funding(user, pk):
    """A funder's amount to edit or delete: the ``edit`` door of its programme."""
    funding = get_visible_or_404(Funding.objects.visible_to(user).select_related("funder"), pk)
    access_programme_budget(user, funding.programme_id, for_="edit")
    return funding


# --- The attendance rows ----------------------------------------------------------------


def access_programme_rows(user, programme_pk) -> Programme:
    """The programme whose attendance rows ``user`` exports: its organisation's admins and
    coordinators (they read every household counted); 404 for another organisation's or
    a missing one, 403 for its other members (professionals, funders never see a row)."""
    return access_programme_review(user, programme_pk)
