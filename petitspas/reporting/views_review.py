"""The monthly review of a programme and the choice of observations for its report: the
programme's admins and coordinators (``access_programme_review``)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from petitspas.core.access import get_visible_or_404
from petitspas.core.bounds import is_possible_day
from petitspas.core.forms import add_service_errors
from petitspas.reporting.forms_review import MonthlyReviewForm
from petitspas.reporting.models import MonthlyReview, ReportObservation
from petitspas.reporting.permissions import access_programme_review
from petitspas.reporting.review import (
    by_theme,
    month_label,
    month_review,
    next_month,
    short_month,
    year_observations,
)
from petitspas.reporting.services_review import (
    observation_select,
    observation_unselect,
    review_save,
)


def _posted_id(value: str):
    """A posted id as the access door takes it: an int, or None (a 404 there)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 20 else None


def _month(year: int, month: int) -> datetime.date:
    """The first day of the month in the URL; 404 for a month that cannot be."""
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        raise Http404
    day = datetime.date(year, month, 1)
    if not is_possible_day(day):
        raise Http404
    return day


@login_required
def review_list(request, programme_id):
    programme = access_programme_review(request.user, programme_id)
    today = timezone.localdate()
    reviews = MonthlyReview.objects.filter(programme=programme).select_related(
        "created_by", "updated_by"
    )
    return render(
        request,
        "reporting/review_list.html",
        {
            "programme": programme,
            "reviews": reviews,
            "this_month": today.replace(day=1),
            "last_month": (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_month(request, programme_id, year, month):
    programme = access_programme_review(request.user, programme_id)
    first_day = _month(year, month)
    today = timezone.localdate()
    review = (
        MonthlyReview.objects.filter(programme=programme, month=first_day)
        .select_related("created_by", "updated_by")
        .first()
    )
    initial = (
        {name: getattr(review, name) for name in MonthlyReviewForm.base_fields} if review else None
    )
    form = MonthlyReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review_save(
                programme=programme,
                month=first_day,
                by=request.user,
                today=today,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Revue de {month_label(first_day)} enregistrée.")
            return redirect("reporting:review-month", programme.pk, year, month)
    data = month_review(request.user, programme, first_day, today=today)
    following = next_month(first_day)
    return render(
        request,
        "reporting/review_month.html",
        {
            "programme": programme,
            "review": review,
            "edited": review is not None
            and (
                review.updated_by_id != review.created_by_id
                or (review.updated_at - review.created_at).total_seconds() > 60
            ),
            "data": data,
            "form": form,
            "label": month_label(first_day),
            "previous_label": month_label(data.previous),
            "short": short_month(first_day),
            "previous_short": short_month(data.previous),
            "following": following if following <= today else None,
            "future": first_day > today,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_observations(request, programme_id, year):
    """The year's observations of the programme; the coordinator chooses those a report
    may quote, and reads the text it will quote (codes and first names taken out)."""
    programme = access_programme_review(request.user, programme_id)
    _month(year, 1)
    observations = year_observations(request.user, programme, year)
    if request.method == "POST":
        try:
            if "retenir" in request.POST:
                observation = get_visible_or_404(observations, _posted_id(request.POST["retenir"]))
                observation_select(
                    programme=programme, year=year, observation=observation, by=request.user
                )
                messages.success(request, "Observation retenue pour le rapport.")
            elif "retirer" in request.POST:
                chosen = get_visible_or_404(
                    ReportObservation.objects.filter(programme=programme, year=year),
                    _posted_id(request.POST["retirer"]),
                )
                observation_unselect(chosen=chosen, by=request.user)
                messages.success(request, "Observation retirée du rapport.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reporting:report-observations", programme.pk, year)
    chosen = {
        c.observation_id: c
        for c in ReportObservation.objects.filter(programme=programme, year=year)
    }
    listed = list(observations.select_related("session__site", "session__activity_type"))
    for observation in listed:
        observation.chosen = chosen.get(observation.pk)
    return render(
        request,
        "reporting/review_observations.html",
        {
            "programme": programme,
            "year": year,
            "themes": by_theme(listed),
            "observations": listed,
            "chosen": sorted(chosen.values(), key=lambda c: (c.observed_on, c.pk)),
        },
    )
