"""The diagnosis' areas: the list, drawing an area, importing boundaries and indicator
files, an area's page (its figures beside its arrondissement's and its city's, the
choropleth, the programmes' reach) and its impact report."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from petitspas.core.forms import add_service_errors
from petitspas.diagnosis import geo
from petitspas.diagnosis.forms_areas import (
    AreaForm,
    BoundariesImportForm,
    ImpactForm,
    IndicatorsUploadForm,
    MappingForm,
)
from petitspas.diagnosis.models import Area, Indicator
from petitspas.diagnosis.permissions_areas import (
    access_area,
    access_diagnosis_organisation,
    can_edit_areas,
    can_read_diagnosis,
    editable_organisations,
)
from petitspas.diagnosis.selectors_areas import (
    area_figures,
    area_reach,
    choropleth,
    impact,
    years_with_values,
)
from petitspas.diagnosis.services_areas import (
    area_geometry,
    area_save,
    boundaries_import,
    csv_rows,
    decode_csv,
    indicators_ensure,
    indicators_import,
    suggested_mapping,
)


def _map_settings() -> dict:
    return {
        "tiles_url": settings.DIRECTORY_MAP_TILES_URL,
        "attribution": "© les contributeurs d'OpenStreetMap",
    }


@login_required
def area_list(request):
    if not can_read_diagnosis(request.user):
        raise PermissionDenied
    areas = Area.objects.visible_to(request.user).select_related("organisation", "programme")
    return render(
        request,
        "diagnosis/areas/area_list.html",
        {"areas": areas, "can_edit": editable_organisations(request.user).exists()},
    )


def _area_form_page(request, form, area=None, status=200):
    # An area made of IRIS shows their contour on the map, to adjust it into a drawn one.
    outline = area_geometry(area) if area is not None and not area.geometry else None
    return render(
        request,
        "diagnosis/areas/area_form.html",
        {"form": form, "area": area, "map": _map_settings(), "outline": outline},
        status=status,
    )


def _save_area(request, area=None):
    organisations = editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    initial = {}
    if area is not None:
        initial = {
            "organisation": area.organisation_id,
            "name": area.name,
            "commune": area.commune,
            "programme": area.programme_id,
            "iris_codes": ", ".join(area.iris_codes),
            "geometry": _json(area.geometry) if area.geometry else "",
            "description": area.description,
        }
    form = AreaForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        organisation = kwargs.pop("organisation")
        if area is not None and organisation.pk != area.organisation_id:
            raise PermissionDenied
        try:
            area = area_save(by=request.user, organisation=organisation, area=area, **kwargs)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Le quartier « {area.name} » est enregistré.")
            return redirect("diagnosis:area", area.pk)
    return _area_form_page(request, form, area, status=400 if form.errors else 200)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@login_required
def area_create(request):
    return _save_area(request)


@login_required
def area_edit(request, area_pk):
    area = access_area(request.user, area_pk, for_="edit")
    return _save_area(request, area)


@login_required
def boundaries_import_view(request):
    organisations = editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = BoundariesImportForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        organisation = access_diagnosis_organisation(
            request.user, form.cleaned_data["organisation"].pk
        )
        try:
            result = boundaries_import(
                by=request.user,
                organisation=organisation,
                content=form.cleaned_data["file"].read(),
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            errors = error.messages
    return render(
        request,
        "diagnosis/areas/boundaries_import.html",
        {"form": form, "errors": errors, "result": result},
        status=400 if errors or form.errors else 200,
    )


@login_required
def indicators_import_view(request):
    """Two steps: the file (with its source and year), then its columns, proposed from the
    organisation's last mapping or INSEE's names; the import reports each refused row."""
    organisations = editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    upload = IndicatorsUploadForm(organisations=organisations)
    mapping_form, errors, result = None, [], None
    if request.method == "POST" and "text" not in request.POST:
        upload = IndicatorsUploadForm(request.POST, request.FILES, organisations=organisations)
        if upload.is_valid():
            organisation = upload.cleaned_data["organisation"]
            try:
                text = decode_csv(upload.cleaned_data["file"].read())
                header, _ = csv_rows(text)
            except ValidationError as error:
                upload.add_error("file", error)
            else:
                place, columns = suggested_mapping(organisation, header)
                mapping_form = MappingForm(
                    initial={
                        "organisation": organisation.pk,
                        "text": text,
                        "source": upload.cleaned_data["source"],
                        "year": upload.cleaned_data["year"],
                        "place_column": place,
                    },
                    header=header,
                    indicators=indicators_ensure(organisation).values(),
                    mapping=columns,
                )
    elif request.method == "POST":
        try:
            organisation_pk = int(request.POST.get("organisation", ""))
        except ValueError:
            organisation_pk = None
        organisation = access_diagnosis_organisation(request.user, organisation_pk)
        try:
            header, _ = csv_rows(request.POST.get("text", ""))
        except ValidationError:
            header = []
        indicators = indicators_ensure(organisation).values()
        mapping_form = MappingForm(request.POST, header=header, indicators=indicators)
        if mapping_form.is_valid():
            try:
                result = indicators_import(
                    by=request.user, organisation=organisation, **mapping_form.service_kwargs()
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    errors = error.error_dict.pop("__all__", [])
                    errors = [m for e in errors for m in e.messages]
                    if error.error_dict:
                        add_service_errors(mapping_form, ValidationError(error.error_dict))
                else:
                    errors = error.messages
            else:
                mapping_form = None
    failed = bool(errors or upload.errors or (mapping_form is not None and mapping_form.errors))
    return render(
        request,
        "diagnosis/areas/indicators_import.html",
        {
            "upload": upload,
            "mapping_form": mapping_form,
            "errors": errors,
            "result": result,
            "areas": Area.objects.filter(organisation__in=organisations),
        },
        status=400 if failed else 200,
    )


def _year(request, years):
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return years[0] if years else None
    return year if year in years else (years[0] if years else None)


@login_required
def area_detail(request, area_pk):
    area = access_area(request.user, area_pk)
    years = years_with_values(area.organisation_id)
    year = _year(request, years)
    figures = area_figures(area, year)
    shown = [row.indicator for row in figures.rows]
    chosen = next((i for i in shown if str(i.pk) == request.GET.get("indicateur")), None)
    if chosen is None and shown:
        chosen = next((i for i in shown if i.denominator_id), shown[0])
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    try:
        reach_year = int(request.GET.get("activite", today.year))
    except ValueError:
        reach_year = today.year
    if 2000 <= reach_year <= today.year:
        start = datetime.date(reach_year, 1, 1)
    end = min(datetime.date(start.year, 12, 31), today)
    reach = area_reach(request.user, area, start, end, today=today)
    geometry = area_geometry(area)
    return render(
        request,
        "diagnosis/areas/area_detail.html",
        {
            "area": area,
            "figures": figures,
            "chosen": chosen,
            "indicators": shown,
            "map_data": choropleth(area, chosen, figures.year) if chosen else None,
            "area_geometry": geometry,
            "bbox": geo.bbox(geometry) if geometry else None,
            "reach": reach,
            "reach_years": list(range(today.year, today.year - 5, -1)),
            "can_edit": can_edit_areas(request.user, area.organisation_id),
            "map": _map_settings(),
        },
    )


@login_required
def area_impact(request, area_pk):
    area = access_area(request.user, area_pk)
    indicators = Indicator.objects.filter(organisation_id=area.organisation_id)
    form = ImpactForm(request.GET or None, indicators=indicators)
    report = None
    if request.GET and form.is_valid():
        report = impact(
            request.user,
            area,
            on=form.cleaned_data["on"],
            indicator_ids=[i.pk for i in form.cleaned_data["indicators"]],
            months=form.cleaned_data["months"],
            today=timezone.localdate(),
        )
    return render(
        request,
        "diagnosis/areas/area_impact.html",
        {
            "area": area,
            "form": form,
            "report": report,
            "cleaned": getattr(form, "cleaned_data", {}),
        },
        status=400 if form.errors else 200,
    )
