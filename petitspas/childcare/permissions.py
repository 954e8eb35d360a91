"""Who may refer, decide and read referrals. One door per thing, ``access_referral``, for
the pages and the API; the predicates guard the pages without an object and every write.

- The prescribers of a prescriber organisation refer families to the programmes their
  organisation is linked to (``ProgrammePrescriber``) and read their organisation's
  referrals: state and outcome, never the family's file or an observation.
- The admins and coordinators of the programme's organisation read its referrals and
  decide. Professionals, partners and funders read none.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q

from petitspas.activities.models import ActivityType, RegistrationMode
from petitspas.childcare.models import Booking, Enrolment, Referral
from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import active_memberships, membership_fact, organisation_ids
from petitspas.organisations.models import (
    PLANNER_ROLES,
    Organisation,
    Programme,
    ProgrammePrescriber,
    Role,
)
from petitspas.organisations.permissions import holds_role_somewhere, plans_somewhere, role_in
from petitspas.places.models import Site


def is_prescriber(user) -> bool:
    """ "Mes orientations": whoever is a prescriber somewhere."""
    return holds_role_somewhere(user, {Role.PRESCRIBER})


def programmes_referable_by(user):
    """The active programmes the user's prescriber organisations refer families to."""
    referring = organisation_ids(user, {Role.PRESCRIBER})
    if not referring:
        return Programme.objects.none()
    return (
        Programme.objects.filter(is_active=True, prescriber_links__organisation_id__in=referring)
        .select_related("organisation")
        .distinct()
        .order_by("name", "pk")
    )


def can_refer(user) -> bool:
    """The referral form: a prescriber whose organisation refers to an active programme."""
    return is_prescriber(user) and programmes_referable_by(user).exists()


def can_refer_to(user, programme: Programme, prescriber_organisation: Organisation) -> bool:
    return (
        role_in(user, prescriber_organisation) == Role.PRESCRIBER
        and programme.is_active
        and ProgrammePrescriber.objects.filter(
            programme=programme, organisation=prescriber_organisation
        ).exists()
    )


RECEIVES_REFERRALS = "receives_referrals"


def receives_referrals() -> models.Expression:
    """Whether a membership's organisation receives referrals: one of its programmes has a
    prescriber organisation linked, or an activity on referral ("Sur orientation", planned
    before any prescriber is linked). An annotation over ``Membership``, read with the
    memberships (``core.scoping.provide_membership_fact``)."""
    organisation = OuterRef("organisation")
    linked = ProgrammePrescriber.objects.filter(programme__organisation=organisation)
    on_referral = ActivityType.objects.filter(
        programme__organisation=organisation, registration_mode=RegistrationMode.REFERRAL
    )
    return ExpressionWrapper(
        Q(Exists(linked)) | Q(Exists(on_referral)), output_field=models.BooleanField()
    )


def reviews_referrals(user) -> bool:
    """The coordinator's inbox ("Orientations"): the admins and coordinators of an
    organisation that receives referrals, who decide on them and link the prescriber
    organisations that send them. Read from the memberships already loaded (with their
    organisation's fact): the menu asks it on every page without a query."""
    return any(
        membership.role in PLANNER_ROLES and membership_fact(membership, RECEIVES_REFERRALS)
        for membership in active_memberships(user)
    )


def can_link_prescribers(user, programme: Programme) -> bool:
    """Which prescriber organisations refer to a programme, and inviting their prescribers:
    the programme's admins and coordinators."""
    return role_in(user, programme.organisation_id) in PLANNER_ROLES


def can_decide_referral(user, referral: Referral) -> bool:
    """Every move of the state machine: the admins and coordinators of the programme's
    organisation."""
    return role_in(user, referral.programme.organisation_id) in PLANNER_ROLES


def access_referral(user, referral_pk, *, for_: str = "view") -> Referral:
    """The referral ``referral_pk`` as ``user`` may see it: 404 when it is another
    organisation's (another agency's, for a prescriber), missing, or an id no row holds;
    403 when visible but ``for_="decide"`` is not allowed (a prescriber)."""
    referral = get_visible_or_404(
        Referral.objects.visible_to(user).select_related(
            "programme__organisation", "prescriber_organisation", "created_by"
        ),
        referral_pk,
    )
    if for_ == "decide" and not can_decide_referral(user, referral):
        raise PermissionDenied
    return referral


def access_programme_prescribers(user, programme_pk) -> Programme:
    """A programme whose prescribers the user manages: 404 unless they are its admin or
    coordinator (another organisation's programme and a missing one alike)."""
    return get_visible_or_404(
        Programme.objects.where_role(user, PLANNER_ROLES).select_related("organisation"),
        programme_pk,
    )


# --- Bookings of half-days -----------------------------------------------------------------


def childcare_programmes(user):
    """The programmes with childcare on referral (a prescriber organisation refers to them)
    that the user administers or coordinates."""
    return (
        Programme.objects.where_role(user, PLANNER_ROLES)
        .filter(prescriber_links__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


def books_childcare(user) -> bool:
    """The menu's "Demi-journées", asked after ``reviews_referrals`` (an organisation that
    receives referrals): its admins and coordinators, read from the memberships already
    loaded."""
    return plans_somewhere(user)


def can_book(user, programme: Programme) -> bool:
    """Booking and cancelling half-days: the programme's admins and coordinators."""
    return role_in(user, programme.organisation_id) in PLANNER_ROLES


def access_childcare_site(user, site_pk) -> Site:
    """A site whose half-days the user books, with what the calendar needs: 404 unless
    they administer or coordinate its programme (another organisation's site, a missing one
    and an impossible id alike)."""
    return get_visible_or_404(
        Site.objects.where_role(user, PLANNER_ROLES)
        .select_related("programme__organisation")
        .prefetch_related("weekly_openings", "closures", "relocations"),
        site_pk,
    )


def access_enrolment(user, enrolment_pk) -> Enrolment:
    """An enrolment, for booking its reference week: its programme's admins and
    coordinators; 404 for anyone else."""
    return get_visible_or_404(
        Enrolment.objects.visible_to(user).select_related(
            "programme__organisation", "referral", "child"
        ),
        enrolment_pk,
    )


def access_booking(user, booking_pk) -> Booking:
    """A booking, for cancelling it: its programme's admins and coordinators; 404 else."""
    return get_visible_or_404(
        Booking.objects.visible_to(user).select_related(
            "slot__site", "enrolment__programme__organisation", "enrolment__child"
        ),
        booking_pk,
    )
