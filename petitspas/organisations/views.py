from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from petitspas.accounts.mfa import has_second_factor, mfa_reset
from petitspas.core.forms import add_service_errors
from petitspas.organisations import services
from petitspas.organisations.forms import (
    InvitationPasswordForm,
    MemberInviteForm,
    MembershipForm,
    OrganisationContactForm,
    OrganisationForm,
    ProgrammeForm,
)
from petitspas.organisations.models import InvitationState, Membership, Organisation, Role
from petitspas.organisations.permissions import can_create_organisation, can_manage_organisation
from petitspas.organisations.selectors import (
    members_managed_by,
    organisations_managed_by,
    programmes_managed_by,
)
from petitspas.organisations.tokens import InvitationTokenGenerator


def _get_managed_organisation(request, organisation_pk) -> Organisation:
    """Another organisation is a 404, as a missing one; its members without the admin
    role get a 403."""
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user), pk=organisation_pk
    )
    if not can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


def _call(form, service, **kwargs):
    """Run the service on the form's data; its ValidationError goes back onto the form,
    which keeps what was typed. Returns None when refused."""
    try:
        return service(**form.service_kwargs(), **kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def organisation_list(request):
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "organisations": organisations_managed_by(user=request.user),
            "can_create": can_create_organisation(request.user),
        },
    )


@login_required
def organisation_create(request):
    if not can_create_organisation(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = _call(form, services.organisation_create, by=request.user)
        if organisation:
            messages.success(
                request,
                f"L'organisation « {organisation} » est créée. "
                "Invitez maintenant son premier administrateur.",
            )
            url = reverse("organisations:member-invite", args=[organisation.pk])
            return redirect(f"{url}?role={Role.ADMIN}")
    return render(request, "organisations/organisation_create.html", {"form": form})


@login_required
def organisation_detail(request, organisation_pk):
    organisation = _get_managed_organisation(request, organisation_pk)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members_managed_by(user=request.user, organisation=organisation),
            "programmes": programmes_managed_by(user=request.user, organisation=organisation),
        },
    )


@login_required
def member_invite(request, organisation_pk):
    organisation = _get_managed_organisation(request, organisation_pk)
    form = MemberInviteForm(request.POST or None, initial={"role": request.GET.get("role")})
    if request.method == "POST" and form.is_valid():
        membership = _call(
            form,
            services.member_invite,
            organisation=organisation,
            by=request.user,
            site_url=_site_url(request),
        )
        if membership:
            messages.success(
                request,
                f"Invitation envoyée à {membership.user.email} ({membership.get_role_display()}).",
            )
            return redirect("organisations:organisation-detail", organisation_pk=organisation.pk)
    return render(
        request,
        "organisations/member_invite.html",
        {"organisation": organisation, "form": form},
    )


def _get_managed_membership(request, organisation_pk, membership_pk):
    organisation = _get_managed_organisation(request, organisation_pk)
    membership = get_object_or_404(
        members_managed_by(user=request.user, organisation=organisation), pk=membership_pk
    )
    return organisation, membership


@login_required
def member_edit(request, organisation_pk, membership_pk):
    organisation, membership = _get_managed_membership(request, organisation_pk, membership_pk)
    initial = {"role": membership.role, "is_active": membership.is_active}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = _call(form, services.membership_update, membership=membership, by=request.user)
        if updated:
            messages.success(request, f"Les droits de {membership.user} sont enregistrés.")
            if not can_manage_organisation(request.user, organisation):
                return redirect("web:home")  # the admin has just given up their own role
            return redirect("organisations:organisation-detail", organisation_pk=organisation.pk)
    return render(
        request,
        "organisations/member_edit.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "has_second_factor": has_second_factor(membership.user),
        },
    )


@login_required
@require_POST
def invitation_resend(request, organisation_pk, membership_pk):
    organisation, membership = _get_managed_membership(request, organisation_pk, membership_pk)
    try:
        services.invitation_resend(
            membership=membership, by=request.user, site_url=_site_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Nouvelle invitation envoyée à {membership.user.email}.")
    return redirect("organisations:member-edit", organisation.pk, membership.pk)


@login_required
@require_POST
def invitation_revoke(request, organisation_pk, membership_pk):
    organisation, membership = _get_managed_membership(request, organisation_pk, membership_pk)
    try:
        services.invitation_revoke(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"L'invitation de {membership.user.email} est annulée : son lien ne fonctionne plus.",
        )
    return redirect("organisations:member-edit", organisation.pk, membership.pk)


@login_required
@require_POST
def member_mfa_reset(request, organisation_pk, membership_pk):
    """The member lost their phone: they enrol again at their next sign-in."""
    organisation, membership = _get_managed_membership(request, organisation_pk, membership_pk)
    mfa_reset(member=membership.user, by=request.user, organisation=organisation)
    messages.success(
        request,
        f"La double authentification de {membership.user} est réinitialisée : "
        "un nouvel enrôlement sera demandé à sa prochaine connexion.",
    )
    return redirect("organisations:member-edit", organisation.pk, membership.pk)


@login_required
def organisation_contact(request, organisation_pk):
    """The contact the public agenda shows for sessions on registration: admins."""
    organisation = _get_managed_organisation(request, organisation_pk)
    form = OrganisationContactForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        updated = _call(
            form, services.organisation_contact_update, organisation=organisation, by=request.user
        )
        if updated:
            messages.success(request, "Le contact public est enregistré.")
            return redirect("organisations:organisation-detail", organisation_pk=organisation.pk)
    return render(
        request,
        "organisations/programme_form.html",
        {"organisation": organisation, "form": form, "title": "Contact public"},
    )


@login_required
def programme_create(request, organisation_pk):
    organisation = _get_managed_organisation(request, organisation_pk)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = _call(
            form, services.programme_create, organisation=organisation, by=request.user
        )
        if programme:
            messages.success(request, f"Le programme « {programme} » est créé.")
            return redirect("organisations:organisation-detail", organisation_pk=organisation.pk)
    return render(
        request,
        "organisations/programme_form.html",
        {"organisation": organisation, "form": form, "title": "Nouveau programme"},
    )


@login_required
def programme_edit(request, organisation_pk, programme_pk):
    organisation = _get_managed_organisation(request, organisation_pk)
    programme = get_object_or_404(
        programmes_managed_by(user=request.user, organisation=organisation), pk=programme_pk
    )
    title = f"Modifier le programme « {programme.name} »"  # before the form changes it
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        updated = _call(form, services.programme_update, programme=programme, by=request.user)
        if updated:
            messages.success(request, f"Le programme « {programme} » est enregistré.")
            return redirect("organisations:organisation-detail", organisation_pk=organisation.pk)
    return render(
        request,
        "organisations/programme_form.html",
        {"organisation": organisation, "form": form, "title": title},
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses a password from the e-mailed link, then signs in.
    Django's password-reset view checks the token and keeps it out of the Referer; the
    link names the invitation (membership), which must still be pending."""

    form_class = InvitationPasswordForm
    template_name = "organisations/invitation_accept.html"
    success_url = reverse_lazy("accounts:login")
    title = "Choisir votre mot de passe"
    membership = None

    def get_user(self, uidb64):
        try:
            pk = int(force_str(urlsafe_base64_decode(uidb64)))
            self.membership = Membership.objects.select_related("user").get(pk=pk)
        except (TypeError, ValueError, OverflowError, Membership.DoesNotExist):
            return None
        self.token_generator = InvitationTokenGenerator(self.membership)
        if self.membership.invitation_state != InvitationState.SENT:
            return None
        return self.membership.user

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_context_data(self, **kwargs):
        state = self.membership.invitation_state if self.membership else None
        return {**super().get_context_data(**kwargs), "invitation_state": state or ""}

    def form_valid(self, form):
        messages.success(
            self.request,
            "Votre mot de passe est enregistré. "
            "Connectez-vous avec votre adresse électronique et ce mot de passe.",
        )
        return super().form_valid(form)


invitation_accept = InvitationAcceptView.as_view()
