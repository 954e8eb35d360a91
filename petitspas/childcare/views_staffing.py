"""Pages of the childcare team, for the programme's admins and coordinators: the team and
its qualifications, who works each half-day (on the week grid, swapped by htmx), copying a
week's team to the next, and the half-days whose staff falls short of the rule."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.accounts.models import User
from petitspas.childcare import services_staffing
from petitspas.childcare.forms_staffing import AssignForm, StaffMemberForm, StaffUpdateForm
from petitspas.childcare.models import Qualification, StaffMember
from petitspas.childcare.permissions import (
    access_childcare_site,
    books_childcare,
    childcare_programmes,
)
from petitspas.childcare.permissions_staffing import (
    access_staff_assignment,
    access_staff_member,
    access_staffing_programme,
)
from petitspas.childcare.selectors_bookings import monday_of
from petitspas.childcare.staffing import (
    CHILDREN_PER_ADULT,
    MIN_ADULTS,
    flagged_half_days,
    staffing_of,
    team_of,
)
from petitspas.core.bounds import parse_day
from petitspas.core.forms import add_service_errors
from petitspas.organisations.models import STAFF_ROLES
from petitspas.places.models import HalfDay, Site

# The list of flagged half-days looks this many days ahead.
FLAGGED_HORIZON_DAYS = 28


def _day(value, default):
    day = parse_day(value) if value else None
    return day or default


def _team(site):
    return team_of(site.programme_id)


def _week_url(site_pk, day, half_day=None):
    url = reverse("childcare:site-week", kwargs={"site_pk": site_pk})
    anchor = f"#equipe-{day:%Y%m%d}-{half_day}" if half_day else ""
    return f"{url}?semaine={monday_of(day):%Y-%m-%d}{anchor}"


@login_required
def staff_page(request, programme_pk):
    """The programme's childcare team: add a member of the organisation with their
    qualification, change it, take someone out of the team."""
    programme = access_staffing_programme(request.user, programme_pk)
    team = list(
        StaffMember.objects.filter(programme=programme)
        .select_related("user")
        .order_by("-is_active", "user__first_name", "user__last_name", "pk")
    )
    in_team = [s.user_id for s in team if s.is_active]
    people = (
        User.objects.filter(
            memberships__organisation_id=programme.organisation_id,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .exclude(pk__in=in_team)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    form = StaffMemberForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                staff = services_staffing.staff_member_add(
                    programme=programme, **form.service_kwargs(), by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, f"{staff.name} fait partie de l'équipe d'accueil.")
                return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "childcare/staffing_team.html",
        {
            "programme": programme,
            "team": team,
            "form": form,
            "qualifications": Qualification.choices,
            "min_adults": MIN_ADULTS,
            "children_per_adult": CHILDREN_PER_ADULT,
        },
        status=status,
    )


@login_required
@require_POST
def staff_update(request, staff_pk):
    staff = access_staff_member(request.user, staff_pk)
    form = StaffUpdateForm(request.POST)
    back = reverse("childcare:staff", kwargs={"programme_pk": staff.programme_id})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services_staffing.staff_member_update(staff=staff, **form.service_kwargs(), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{staff.name} : {staff.get_qualification_display()}."
            if staff.is_active
            else f"{staff.name} ne fait plus partie de l'équipe d'accueil.",
        )
    return redirect(back)


def _staffing_cell(request, site, day, half_day, *, form=None, status=200):
    form = form or AssignForm(team=_team(site))
    return render(
        request,
        "childcare/_staffing_inner.html",
        {
            "site": site,
            "day": day,
            "half_day": half_day,
            "staffing": staffing_of(site, day, half_day),
            "team": list(form.fields["staff"].queryset),
            "errors": [e for errors in form.errors.values() for e in errors],
        },
        status=status,
    )


@login_required
def half_day_staff(request, site_pk):
    """One half-day's team (``?jour=&demi=``): a fragment for htmx, the week grid without.
    POST adds a person."""
    site = access_childcare_site(request.user, site_pk)
    day = _day(request.GET.get("jour"), timezone.localdate())
    half_day = request.GET.get("demi")
    if half_day not in HalfDay.values:
        half_day = HalfDay.MORNING.value
    if request.method != "POST":
        if request.htmx:
            return _staffing_cell(request, site, day, half_day)
        return redirect(_week_url(site.pk, day, half_day))
    form = AssignForm(request.POST, team=_team(site))
    error_status = 400
    if form.is_valid():
        try:
            services_staffing.staff_assign(
                site=site, day=day, half_day=half_day, **form.service_kwargs(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            error_status = 409
        else:
            if request.htmx:
                return _staffing_cell(request, site, day, half_day)
            messages.success(
                request,
                f"{form.cleaned_data['staff'].name} est dans l'équipe du "
                f"{services_staffing.slot_label(day, half_day)}.",
            )
            return redirect(_week_url(site.pk, day, half_day))
    if request.htmx:
        return _staffing_cell(request, site, day, half_day, form=form, status=error_status)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(_week_url(site.pk, day, half_day))


@login_required
@require_POST
def assignment_delete(request, assignment_pk):
    assignment = access_staff_assignment(request.user, assignment_pk)
    site, day, half_day = assignment.slot.site, assignment.day, assignment.half_day
    name = assignment.staff.name
    services_staffing.staff_unassign(assignment=assignment, by=request.user)
    if request.htmx:
        site = access_childcare_site(request.user, site.pk)
        return _staffing_cell(request, site, day, half_day)
    messages.success(
        request,
        f"{name} n'est plus dans l'équipe du {services_staffing.slot_label(day, half_day)}.",
    )
    return redirect(_week_url(site.pk, day, half_day))


@login_required
@require_POST
def copy_week(request, site_pk):
    """Copy the team of the week ``semaine`` to the following one."""
    site = access_childcare_site(request.user, site_pk)
    monday = monday_of(_day(request.POST.get("semaine"), timezone.localdate()))
    target = monday + datetime.timedelta(days=7)
    try:
        result = services_staffing.staff_copy_week(
            site=site, from_monday=monday, to_monday=target, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_week_url(site.pk, monday))
    copied = len(result.copied)
    messages.success(
        request,
        f"Équipe de la semaine recopiée sur la semaine du {target:%d/%m/%Y} : "
        f"{copied} présence{'s' if copied > 1 else ''} ajoutée{'s' if copied > 1 else ''}.",
    )
    for label, name, reason in result.skipped:
        messages.warning(request, f"{name}, {label} : {reason}")
    return redirect(_week_url(site.pk, target))


@login_required
def flagged_page(request):
    """The half-days of the coming weeks whose staff falls short of the rule."""
    if not books_childcare(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    programmes = list(childcare_programmes(request.user))
    sites = list(
        Site.objects.filter(programme__in=programmes, is_active=True)
        .prefetch_related("weekly_openings", "closures", "relocations")
        .order_by("name", "pk")
    )
    end = today + datetime.timedelta(days=FLAGGED_HORIZON_DAYS - 1)
    return render(
        request,
        "childcare/staffing_flagged.html",
        {
            "rows": flagged_half_days(sites=sites, start=today, end=end),
            "programmes": programmes,
            "today": today,
            "end": end,
            "horizon": FLAGGED_HORIZON_DAYS,
            "min_adults": MIN_ADULTS,
            "children_per_adult": CHILDREN_PER_ADULT,
        },
    )
