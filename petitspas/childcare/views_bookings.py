"""Pages of the bookings of half-days, for the programme's admins and coordinators: the
follow-up page (sites, children under the monthly minimum, turning 3, occupancy), a site's
week grid, one half-day (book, wait, cancel), an enrolment's reference week over a period."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.childcare import services_bookings
from petitspas.childcare.forms import BookingForm, PeriodBookingForm
from petitspas.childcare.models import (
    CAPACITY,
    EXTRA_PLACES,
    MIN_HALF_DAYS_PER_MONTH,
    REGULAR_PLACES,
    TURNING_THREE_NOTICE_DAYS,
)
from petitspas.childcare.permissions import (
    access_booking,
    access_childcare_site,
    access_enrolment,
    books_childcare,
    childcare_programmes,
)
from petitspas.childcare.selectors import half_day_label
from petitspas.childcare.selectors_bookings import (
    bookable_enrolments,
    enrolment_bookings,
    monday_of,
    monthly_occupancy,
    site_week,
    slot_cell,
    turning_three,
    under_minimum,
    waiting_list,
)
from petitspas.core.forms import add_service_errors
from petitspas.places.models import HalfDay, Site


def _date_param(value: str | None, default: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31) else default


def _month_param(value: str | None, default: datetime.date) -> datetime.date:
    return _date_param(f"{value}-01" if value else None, default).replace(day=1)


def _week_url(site_pk, day):
    url = reverse("childcare:site-week", kwargs={"site_pk": site_pk})
    return f"{url}?semaine={monday_of(day):%Y-%m-%d}"


@login_required
def follow_up_page(request):
    if not books_childcare(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month_param(request.GET.get("mois"), today)
    programmes = list(childcare_programmes(request.user))
    sites = list(
        Site.objects.filter(programme__in=programmes, is_active=True)
        .select_related("programme")
        .prefetch_related("weekly_openings", "closures", "relocations")
        .order_by("programme__name", "name")
    )
    return render(
        request,
        "childcare/follow_up.html",
        {
            "month": month,
            "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
            "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
            "sites": sites,
            "under_minimum": under_minimum(user=request.user, month=month),
            "minimum": MIN_HALF_DAYS_PER_MONTH,
            "turning_three": turning_three(user=request.user, today=today),
            "notice_days": TURNING_THREE_NOTICE_DAYS,
            "occupancy": monthly_occupancy(sites=sites, month=month),
            "today": today,
        },
    )


@login_required
def site_week_page(request, site_pk):
    site = access_childcare_site(request.user, site_pk)
    today = timezone.localdate()
    monday = monday_of(_date_param(request.GET.get("semaine"), today))
    return render(
        request,
        "childcare/site_week.html",
        {
            "site": site,
            "monday": monday,
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "this_week": monday_of(today),
            "days": site_week(site, monday),
            "half_days": HalfDay.choices,
            "capacity": CAPACITY,
            "regular_places": REGULAR_PLACES,
            "extra_places": EXTRA_PLACES,
        },
    )


@login_required
def half_day_page(request, site_pk):
    """One half-day: who is booked, the waiting list, the booking form. ``?jour=&demi=``."""
    site = access_childcare_site(request.user, site_pk)
    today = timezone.localdate()
    day = _date_param(request.GET.get("jour"), today)
    half_day = request.GET.get("demi")
    if half_day not in HalfDay.values:
        half_day = HalfDay.MORNING.value
    enrolments = bookable_enrolments(site.programme, day)
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, enrolments=enrolments)
    status = 200
    if request.method == "POST":
        wait = request.POST.get("action") == "attente"
        if form.is_valid():
            service = (
                services_bookings.waiting_entry_create if wait else services_bookings.booking_create
            )
            try:
                service(
                    site=site,
                    day=day,
                    half_day=half_day,
                    **form.service_kwargs(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = (
                    409 if getattr(error, "code", None) in services_bookings.REFUSAL_CODES else 400
                )
            else:
                child = form.cleaned_data["enrolment"].child.first_name
                label = services_bookings.slot_label(day, half_day)
                messages.success(
                    request,
                    f"{child} est sur la liste d'attente du {label}."
                    if wait
                    else f"Demi-journée réservée pour {child} : {label}.",
                )
                return redirect(f"{request.path}?jour={day:%Y-%m-%d}&demi={half_day}")
        else:
            status = 400
    cell = slot_cell(site, day, half_day)
    full_for_form = (
        form.errors and cell.is_open and not cell.places.takes(form.data.get("kind", "regular"))
    )
    return render(
        request,
        "childcare/half_day.html",
        {
            "site": site,
            "day": day,
            "half_day": half_day,
            "label": services_bookings.slot_label(day, half_day),
            "cell": cell,
            "waiting": waiting_list(site, day, half_day),
            "form": form,
            "offer_waiting_list": bool(full_for_form),
            "has_enrolments": enrolments.exists(),
            "week_url": _week_url(site.pk, day),
            "capacity": CAPACITY,
            "regular_places": REGULAR_PLACES,
        },
        status=status,
    )


@login_required
@require_POST
def booking_cancel(request, booking_pk):
    booking = access_booking(request.user, booking_pk)
    slot = booking.slot
    back = (
        f"{reverse('childcare:half-day', kwargs={'site_pk': slot.site_id})}"
        f"?jour={slot.day:%Y-%m-%d}&demi={slot.half_day}"
    )
    try:
        offered = services_bookings.booking_cancel(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    label = services_bookings.slot_label(slot.day, slot.half_day)
    messages.success(
        request, f"Réservation de {booking.enrolment.child.first_name} annulée ({label})."
    )
    if offered is not None:
        messages.info(
            request,
            f"La place libérée va à {offered.enrolment.child.first_name}, premier ou première "
            "sur la liste d'attente : prévenez la famille, et annulez si elle ne la prend pas.",
        )
    return redirect(back)


@login_required
def enrolment_bookings_page(request, enrolment_pk):
    """An enrolment's half-days to come, and its reference week booked over a period."""
    enrolment = access_enrolment(request.user, enrolment_pk)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = PeriodBookingForm(
        data,
        initial={
            "starts_on": max(today, enrolment.starts_on),
            "ends_on": max(today, enrolment.starts_on) + datetime.timedelta(days=27),
        },
    )
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services_bookings.bookings_for_reference_week(
                    enrolment=enrolment, **form.service_kwargs(), by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                booked = len(result.booked)
                messages.success(
                    request,
                    f"{booked} demi-journée{'s' if booked > 1 else ''} réservée"
                    f"{'s' if booked > 1 else ''} pour {enrolment.child.first_name}.",
                )
                if not result.refused:
                    return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "childcare/enrolment_bookings.html",
        {
            "enrolment": enrolment,
            "reference_week": [half_day_label(code) for code in enrolment.reference_week],
            "bookings": enrolment_bookings(enrolment, since=today - datetime.timedelta(days=31)),
            "form": form,
            "result": result,
            "today": today,
        },
        status=status,
    )
