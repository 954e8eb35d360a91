from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from petitspas.core.forms import add_service_errors
from petitspas.organisations.selectors import programmes_plannable_by
from petitspas.places.communes import search_communes
from petitspas.places.forms import (
    SiteClosureForm,
    SiteForm,
    SiteRelocationForm,
    WeeklyPatternForm,
)
from petitspas.places.hooks import SessionsHit, sessions_closed, sessions_relocated
from petitspas.places.models import Site, SiteClosure, SiteRelocation
from petitspas.places.permissions import (
    access_dated_rule,
    access_site,
    can_plan_site,
    site_address,
)
from petitspas.places.selectors import site_weeks, sites_visible
from petitspas.places.services import (
    site_closure_add,
    site_closure_delete,
    site_relocation_add,
    site_relocation_delete,
    site_save,
)

CLOSED_HIT = (
    "{count} séance(s) prévue(s) tombent désormais sur une demi-journée où le lieu est fermé "
    "ou en dehors de ses horaires : annulez-les ou déplacez-les."
)
RELOCATED_HIT = (
    "{count} séance(s) prévue(s) ont lieu pendant ce déménagement : maintenez-les au lieu "
    "d'accueil, déplacez-les ou annulez-les."
)


def _lead_to_sessions_hit(request, hit: SessionsHit, text: str):
    """After a change of the calendar, to the page (activities') that lists the planned
    sessions it hits: nothing stays silently on a closed half-day."""
    messages.warning(request, text.format(count=hit.count))
    return redirect(hit.url)


@login_required
def site_list(request):
    sites = sites_visible(user=request.user)
    return render(
        request,
        "places/site_list.html",
        {"sites": sites, "can_create": programmes_plannable_by(user=request.user).exists()},
    )


@login_required
def site_detail(request, site_pk):
    """The site and its next 8 weeks of openings, from the calendar function."""
    site = access_site(request.user, site_pk, rules=True)
    today = timezone.localdate()
    return render(
        request,
        "places/site_detail.html",
        {
            "site": site,
            "address": site_address(request.user, site),
            "weeks": site_weeks(site=site, start=today),
            "today": today,
            "can_plan": can_plan_site(request.user, site),
        },
    )


def _site_form_page(request, site: Site):
    programmes = programmes_plannable_by(user=request.user)
    if not programmes.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SiteForm(data, instance=site, programmes=programmes)
    pattern = WeeklyPatternForm(data, rows=site.weekly_openings.all() if site.pk else ())
    if request.method == "POST" and form.is_valid() and pattern.is_valid():
        creating = site.pk is None
        try:
            site = site_save(
                site=form.save(commit=False), weekly=pattern.weekly_rows, by=request.user
            )
        except ValidationError as error:
            add_service_errors(pattern, error)
        else:
            messages.success(
                request, f"Le lieu « {site.name} » est {'créé' if creating else 'enregistré'}."
            )
            hit = None if creating else sessions_closed(user=request.user, site=site)
            if hit is not None:
                return _lead_to_sessions_hit(request, hit, CLOSED_HIT)
            return redirect("places:site-detail", site_pk=site.pk)
    return render(
        request,
        "places/site_form.html",
        {"form": form, "pattern": pattern, "site": site if site.pk else None},
    )


@login_required
def site_create(request):
    return _site_form_page(request, Site())


@login_required
def site_edit(request, site_pk):
    return _site_form_page(request, access_site(request.user, site_pk, for_="plan"))


@login_required
def site_closures(request, site_pk):
    """Dated closures and temporary moves of a site, with a form for each."""
    site = access_site(request.user, site_pk, for_="plan", rules=True)
    closure_form = SiteClosureForm(prefix="closure")
    relocation_form = SiteRelocationForm(prefix="relocation")
    if request.method == "POST":
        if "closure-reason" in request.POST:
            closure_form = SiteClosureForm(request.POST, prefix="closure")
            form, add, what = closure_form, site_closure_add, "closure"
        else:
            relocation_form = SiteRelocationForm(request.POST, prefix="relocation")
            form, add, what = relocation_form, site_relocation_add, "relocation"
        if form.is_valid():
            try:
                rule = add(site=site, **{what: form.save(commit=False)}, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "C'est enregistré.")
                if what == "closure":
                    hit, text = sessions_closed(user=request.user, site=site), CLOSED_HIT
                else:
                    hit = sessions_relocated(user=request.user, relocation=rule)
                    text = RELOCATED_HIT
                if hit is not None:
                    return _lead_to_sessions_hit(request, hit, text)
                return redirect("places:site-closures", site_pk=site.pk)
    return render(
        request,
        "places/site_closures.html",
        {"site": site, "closure_form": closure_form, "relocation_form": relocation_form},
    )


@login_required
@require_POST
def site_closure_remove(request, site_pk, closure_pk):
    closure = access_dated_rule(request.user, SiteClosure, closure_pk, site_pk=site_pk)
    site_closure_delete(closure=closure, by=request.user)
    messages.success(request, "La fermeture est supprimée.")
    return redirect("places:site-closures", site_pk=site_pk)


@login_required
@require_POST
def site_relocation_remove(request, site_pk, relocation_pk):
    relocation = access_dated_rule(request.user, SiteRelocation, relocation_pk, site_pk=site_pk)
    site_relocation_delete(relocation=relocation, by=request.user)
    messages.success(request, "Le déménagement est supprimé.")
    return redirect("places:site-closures", site_pk=site_pk)


@login_required
@require_GET
def commune_options(request):
    """htmx: <option>s of the communes matching what is typed (public reference data)."""
    communes = search_communes(request.GET.get("commune", ""))
    return render(request, "places/_commune_options.html", {"communes": communes})
