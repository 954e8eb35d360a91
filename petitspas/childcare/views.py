"""Pages of childcare on referral: the prescriber's "Mes orientations" and referral form,
the coordinator's inbox and decisions, the prescribers of a programme, the signed link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.childcare import emails, services
from petitspas.childcare.forms import (
    AcceptForm,
    ChildFormSet,
    EndForm,
    PrescriberInviteForm,
    PrescriberLinkForm,
    ReferralForm,
    RefuseForm,
    ReviewForm,
    WaitForm,
)
from petitspas.childcare.models import DECISION_DUE_DAYS, State
from petitspas.childcare.permissions import (
    access_programme_prescribers,
    access_referral,
    can_decide_referral,
    can_refer,
    is_prescriber,
    programmes_referable_by,
    reviews_referrals,
)
from petitspas.childcare.selectors import (
    INBOX_TABS,
    inbox_counts,
    my_referrals,
    prescriber_links,
    prescriber_organisations_to_link,
    reference_half_days,
    referral_history,
    referral_inbox,
    referral_outcome,
    referral_outcomes,
)
from petitspas.childcare.transitions import TRANSITIONS, allowed_targets
from petitspas.core.forms import add_service_errors
from petitspas.core.scoping import organisation_ids
from petitspas.organisations.models import Organisation, ProgrammePrescriber, Role
from petitspas.organisations.selectors import programmes_plannable_by
from petitspas.organisations.services import member_invite

LINK_EXPIRED = (
    "Ce lien a expiré : il est valable {days} jours. Retrouvez l'orientation dans "
    "« Mes orientations »."
)
LINK_INVALID = (
    "Ce lien n'est pas valide : il a peut-être été mal copié. Retrouvez l'orientation dans "
    "« Mes orientations »."
)


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- The prescriber ------------------------------------------------------------------------


@login_required
def my_referrals_page(request):
    if not is_prescriber(request.user):
        raise PermissionDenied
    referrals = list(my_referrals(user=request.user))
    return render(
        request,
        "childcare/my_referrals.html",
        {
            "referrals": list(zip(referrals, referral_outcomes(referrals), strict=True)),
            "can_refer": can_refer(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def referral_create(request):
    if not can_refer(request.user):
        raise PermissionDenied
    programmes = programmes_referable_by(request.user)
    organisations = (
        Organisation.objects.filter(
            pk__in=organisation_ids(request.user, {Role.PRESCRIBER}),
            programme_links__programme__in=programmes,
        )
        .distinct()
        .order_by("name")
    )
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, programmes=programmes, organisations=organisations)
    children = ChildFormSet(data, prefix="enfants")
    if request.method == "POST":
        form_ok, children_ok = form.is_valid(), children.is_valid()
        if form_ok and children_ok:
            try:
                referral = services.referral_create(
                    **form.service_kwargs(), children=children.children(), by=request.user
                )
            except ValidationError as error:
                # The children's rules are said above the children; the rest on its field.
                about_children = getattr(error, "error_dict", {}).pop("children", None)
                if about_children:
                    children._non_form_errors = children.error_class(
                        ValidationError(about_children).messages
                    )
                if not hasattr(error, "error_dict") or error.error_dict:
                    add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Orientation envoyée : l'équipe de {referral.programme.name} l'étudie et "
                    "vous écrira à chaque décision.",
                )
                return redirect("childcare:referral-detail", referral_pk=referral.pk)
    return render(
        request,
        "childcare/referral_form.html",
        {
            "form": form,
            "children": children,
            "programmes": programmes,
            "organisations": organisations,
        },
    )


# --- The coordinator -----------------------------------------------------------------------


@login_required
def referral_inbox_page(request):
    if not reviews_referrals(request.user):
        raise PermissionDenied
    tab = request.GET.get("onglet", "a-traiter")
    if tab not in INBOX_TABS:
        tab = "a-traiter"
    counts = inbox_counts(user=request.user)
    linked = ProgrammePrescriber.objects.visible_to(request.user).exists()
    programmes = programmes_plannable_by(user=request.user).order_by("name")
    return render(
        request,
        "childcare/inbox.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, (label, _states) in INBOX_TABS.items()],
            "overdue": counts["en-retard"],
            "due_days": DECISION_DUE_DAYS,
            "referrals": referral_inbox(user=request.user, tab=tab),
            "today": timezone.localdate(),
            "programmes": programmes,
            "linked": linked,
        },
    )


DECISION_FORMS = {
    State.UNDER_REVIEW: ("review", ReviewForm),
    State.ACCEPTED: ("accept", AcceptForm),
    State.WAITING_LIST: ("wait", WaitForm),
    State.REFUSED: ("refuse", RefuseForm),
    State.ENDED: ("end", EndForm),
}
ACTIONS = {action: (state, form) for state, (action, form) in DECISION_FORMS.items()}


def _decision_form(referral, state, data=None):
    _action, form_class = DECISION_FORMS[state]
    kwargs = {"prefix": state}
    if form_class is AcceptForm:
        kwargs["half_days"] = reference_half_days(referral.programme)
        today = timezone.localdate()
        start = max(referral.needed_from, today)
        kwargs["initial"] = {"starts_on": start, "settling_in_until": start}
    return form_class(data, **kwargs)


def _detail(request, referral, bound=None):
    decides = can_decide_referral(request.user, referral)
    forms = []
    if decides:
        for state in allowed_targets(referral.state):
            action, _form_class = DECISION_FORMS[state]
            form = bound if bound is not None and bound.prefix == state else None
            forms.append(
                {
                    "state": state,
                    "label": TRANSITIONS[(referral.state, state)],
                    "action": action,
                    "form": form or _decision_form(referral, state),
                    "open": form is not None,
                }
            )
    return render(
        request,
        "childcare/referral_detail.html",
        {
            "referral": referral,
            "children": list(referral.children.all()),
            "outcome": referral_outcome(referral),
            "history": referral_history(referral, for_prescriber=not decides),
            "decides": decides,
            "enrolments": list(referral.enrolments.select_related("child")) if decides else [],
            "decisions": forms,
            # A move the table refuses (the page was stale): said above the decisions.
            "refused": []
            if bound is None or any(f["open"] for f in forms)
            else bound.non_field_errors(),
            "today": timezone.localdate(),
            "due_days": DECISION_DUE_DAYS,
        },
        status=400 if bound is not None else 200,
    )


@login_required
def referral_detail(request, referral_pk):
    referral = access_referral(request.user, referral_pk)
    return _detail(request, referral)


@login_required
@require_POST
def referral_decide(request, referral_pk, action):
    referral = access_referral(request.user, referral_pk, for_="decide")
    state, _form_class = ACTIONS[action]
    form = _decision_form(referral, state, request.POST)
    if form.is_valid():
        service = {
            "review": services.referral_start_review,
            "accept": services.referral_accept,
            "wait": services.referral_wait,
            "refuse": services.referral_refuse,
            "end": services.referral_end,
        }[action]
        extra = {} if action == "review" else {"site_url": _site_url(request)}
        try:
            service(referral=referral, **form.service_kwargs(), by=request.user, **extra)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Orientation : {State(state).label.lower()}.")
            return redirect("childcare:referral-detail", referral_pk=referral.pk)
    referral.refresh_from_db()
    return _detail(request, referral, bound=form)


@login_required
def prescribers_page(request, programme_pk):
    programme = access_programme_prescribers(request.user, programme_pk)
    links = prescriber_links(programme=programme)
    to_link = prescriber_organisations_to_link(programme=programme).order_by("name")
    linked = Organisation.objects.filter(pk__in=[link.organisation_id for link in links])
    data = request.POST if request.method == "POST" else None
    link_form = PrescriberLinkForm(
        data if request.POST.get("form") == "lier" else None, organisations=to_link
    )
    invite_form = PrescriberInviteForm(
        data if request.POST.get("form") == "inviter" else None, organisations=linked
    )
    if request.method == "POST":
        if request.POST.get("form") == "lier" and link_form.is_valid():
            try:
                link = services.prescriber_link(
                    programme=programme, **link_form.service_kwargs(), by=request.user
                )
            except ValidationError as error:
                add_service_errors(link_form, error)
            else:
                messages.success(
                    request, f"{link.organisation.name} oriente désormais vers {programme.name}."
                )
                return redirect("childcare:prescribers", programme_pk=programme.pk)
        elif request.POST.get("form") == "inviter" and invite_form.is_valid():
            try:
                membership = member_invite(
                    **invite_form.service_kwargs(),
                    role=Role.PRESCRIBER,
                    by=request.user,
                    site_url=_site_url(request),
                )
            except ValidationError as error:
                add_service_errors(invite_form, error)
            else:
                messages.success(
                    request,
                    f"Invitation envoyée à {membership.user.email} "
                    f"({membership.organisation.name}).",
                )
                return redirect("childcare:prescribers", programme_pk=programme.pk)
        elif request.POST.get("form") not in ("lier", "inviter"):
            raise Http404
    return render(
        request,
        "childcare/prescribers.html",
        {
            "programme": programme,
            "links": links,
            "link_form": link_form,
            "invite_form": invite_form,
            "can_link": bool(to_link),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The signed link -----------------------------------------------------------------------


@login_required
def referral_link(request, token):
    """The link of an e-mail: after sign-in, the referral's page, through the same door as
    every other page; an expired or altered link gets a French page."""
    try:
        referral_pk = emails.read_link_token(token)
    except signing.SignatureExpired:
        message = LINK_EXPIRED.format(days=settings.REFERRAL_LINK_MAX_AGE_DAYS)
        return render(request, "childcare/link_refused.html", {"message": message}, status=403)
    except signing.BadSignature:
        return render(request, "childcare/link_refused.html", {"message": LINK_INVALID}, status=403)
    referral = access_referral(request.user, referral_pk)
    return redirect("childcare:referral-detail", referral_pk=referral.pk)
