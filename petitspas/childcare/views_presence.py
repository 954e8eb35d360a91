"""The professional's "Demi-journées du jour": today's booked children per site and
half-day, with their arrival and departure in one tap each, an absence with its reason
instead of an arrival, and the undo of a wrong tap. Each tap is a plain form (it works
without JavaScript); htmx posts it and swaps the child's row and the half-day's counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.childcare import services_presence
from petitspas.childcare.models import AbsenceReason
from petitspas.childcare.permissions import access_booking_presence, records_childcare_presence
from petitspas.childcare.selectors_presence import presence_row, today_half_days

ACTIONS = ("check_in", "check_out", "absence", "undo")


@login_required
def today_page(request):
    if not records_childcare_presence(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "childcare/today.html",
        {
            "today": today,
            "half_days": today_half_days(user=request.user, day=today),
            "absence_reasons": AbsenceReason.choices,
            "error": "",
            "notice": "",
            "oob": False,
        },
    )


def _done(booking, action: str, undone: str = "") -> str:
    name = booking.enrolment.child.first_name
    clock = services_presence.clock
    if action == "check_in":
        return f"Arrivée de {name} notée à {clock(booking.checked_in_at)}."
    if action == "check_out":
        return f"Départ de {name} noté à {clock(booking.checked_out_at)}."
    if action == "absence":
        return f"Absence de {name} notée : {booking.get_absence_display().lower()}."
    undone_label = {"départ": "Départ", "arrivée": "Arrivée", "absence": "Absence"}[undone]
    return f"{undone_label} de {name} {'annulé' if undone == 'départ' else 'annulée'}."


@login_required
@require_POST
def presence_record(request, booking_pk, action):
    """One tap on a booked child: ``action`` is check_in, check_out, absence (with
    ``absence=<reason>``) or undo."""
    booking = access_booking_presence(request.user, booking_pk)
    error = notice = ""
    try:
        if action == "check_in":
            services_presence.booking_check_in(booking=booking, by=request.user)
        elif action == "check_out":
            services_presence.booking_check_out(booking=booking, by=request.user)
        elif action == "absence":
            services_presence.booking_mark_absent(
                booking=booking, reason=request.POST.get("absence", ""), by=request.user
            )
        else:
            undone = services_presence.booking_presence_undo(booking=booking, by=request.user)
            notice = _done(booking, action, undone)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    else:
        notice = notice or _done(booking, action)
    if request.htmx:
        day = booking.slot.day
        group = next(
            (
                g
                for g in today_half_days(user=request.user, day=day)
                if g.site.pk == booking.slot.site_id and g.half_day == booking.slot.half_day
            ),
            None,
        )
        return render(
            request,
            "childcare/_presence_row.html",
            {
                "row": presence_row(booking, day),
                "group": group,
                "error": error,
                "notice": notice,
                "absence_reasons": AbsenceReason.choices,
                "oob": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(f"{reverse('childcare:presence-today')}#enfant-{booking.pk}")
