from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from petitspas.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
)
from petitspas.accounts.mfa import mfa_status
from petitspas.accounts.models import ApiToken
from petitspas.accounts.ratelimits import (
    TOO_MANY_RESETS,
    password_reset_retry_after,
    too_many_requests,
)
from petitspas.accounts.services import api_token_create, api_token_revoke, user_update_name
from petitspas.core.scoping import active_memberships


def _account_page(request, *, form=None, profile_form=None, new_token=None):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "form": form or ApiTokenForm(),
            "profile_form": profile_form
            or ProfileForm(initial={"first_name": user.first_name, "last_name": user.last_name}),
            "new_token": new_token,
            "tokens": ApiToken.objects.visible_to(user),
            "memberships": active_memberships(user),
            "mfa": mfa_status(user),
        },
    )


@login_required
def account(request):
    """The user's own page: name, password, memberships and personal API tokens."""
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return _account_page(request, form=form, new_token=new_token)


@login_required
def profile_edit(request):
    """The user's own first and last name, from the form on "Mon compte" (which a GET
    goes back to)."""
    if request.method != "POST":
        return redirect("accounts:account")
    form = ProfileForm(request.POST)
    if form.is_valid():
        user_update_name(user=request.user, **form.cleaned_data, by=request.user)
        messages.success(request, "Votre nom est enregistré.")
        return redirect("accounts:account")
    return _account_page(request, profile_form=form)


@login_required
@require_POST
def api_token_revoke_view(request, token_pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_pk)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:account")


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the address and mails a link if an active account has it. The next page is
    the same either way, so the form tells nobody which addresses have an account."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    title = "Mot de passe oublié"

    def post(self, request, *args, **kwargs):
        retry_after = password_reset_retry_after(request)
        if retry_after is not None:
            return too_many_requests(request, retry_after, message=TOO_MANY_RESETS)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = "Vérifiez votre messagerie"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view checks the token (single use: it changes with the password; valid for
    ``PASSWORD_RESET_TIMEOUT``) and keeps it out of the Referer."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    title = "Choisir un nouveau mot de passe"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = "Mot de passe enregistré"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")
    title = "Changer de mot de passe"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    title = "Mot de passe changé"
