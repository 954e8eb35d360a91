"""Where families are not reached: the coverage of the social hotels (read by the staff
of the programme's organisation and its funders, by town only for funders), the import
of the hotels' list and the reference figures (admins and coordinators)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from petitspas.core.forms import add_service_errors
from petitspas.core.replica import reads_replica
from petitspas.reporting.coverage import coverage_page
from petitspas.reporting.forms import FiguresFilterForm, default_period
from petitspas.reporting.forms_coverage import HotelsFileForm, ReferenceForm
from petitspas.reporting.hotels import HotelFileError, read_hotels
from petitspas.reporting.indicators import Scope
from petitspas.reporting.models import SocialHotel
from petitspas.reporting.permissions import access_programme_coverage, can_edit_coverage
from petitspas.reporting.services_coverage import hotels_import, reference_save


@login_required
@reads_replica
def coverage(request, programme_id):
    programme = access_programme_coverage(request.user, programme_id)
    today = timezone.localdate()
    filtered = "start" in request.GET or "end" in request.GET
    form = FiguresFilterForm(
        request.GET if filtered else default_period(today), programme=programme
    )
    page = None
    if form.is_valid():
        scope = Scope(
            programme=programme,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            site_id=form.cleaned_data["site"].pk if form.cleaned_data["site"] else None,
            activity_type_id=(
                form.cleaned_data["activity_type"].pk
                if form.cleaned_data["activity_type"]
                else None
            ),
        )
        page = coverage_page(request.user, scope, today=today)
    return render(
        request,
        "reporting/coverage.html",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "editable": can_edit_coverage(request.user, programme),
            "tiles_url": settings.DIRECTORY_MAP_TILES_URL,
            "attribution": settings.DIRECTORY_MAP_ATTRIBUTION,
        },
    )


@login_required
def coverage_import(request, programme_id):
    """The hotels' CSV file and the reference figures, each its own form."""
    programme = access_programme_coverage(request.user, programme_id, for_="edit")
    file_form, reference_form, report = HotelsFileForm(), ReferenceForm(), None
    status = 200
    if request.method == "POST" and "reference" in request.POST:
        reference_form = ReferenceForm(request.POST)
        if reference_form.is_valid():
            try:
                reference = reference_save(
                    by=request.user, programme=programme, **reference_form.service_kwargs()
                )
            except ValidationError as error:
                add_service_errors(reference_form, error)
            else:
                messages.success(request, f"Les {reference} sont enregistrés.")
                return redirect("reporting:coverage-import", programme.pk)
        status = 400
    elif request.method == "POST":
        file_form = HotelsFileForm(request.POST, request.FILES)
        if file_form.is_valid():
            try:
                rows, errors = read_hotels(
                    file_form.cleaned_data["file"].read(), programme=programme
                )
            except HotelFileError as error:
                file_form.add_error("file", str(error))
                status = 400
            else:
                report = hotels_import(
                    by=request.user, programme=programme, rows=rows, errors=errors
                )
        else:
            status = 400
    return render(
        request,
        "reporting/coverage_import.html",
        {
            "programme": programme,
            "file_form": file_form,
            "reference_form": reference_form,
            "report": report,
            "hotels": SocialHotel.objects.visible_to(request.user)
            .filter(programme=programme)
            .count(),
        },
        status=status,
    )
