from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from petitspas.accounts.forms import ApiTokenForm
from petitspas.accounts.mfa import mfa_status
from petitspas.accounts.models import ApiToken
from petitspas.accounts.services import api_token_create, api_token_revoke
from petitspas.core.scoping import active_memberships


@login_required
def account(request):
    """The user's own page: memberships and personal API tokens."""
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.visible_to(request.user),
            "memberships": active_memberships(request.user),
            "mfa": mfa_status(request.user),
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request, token_pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_pk)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:account")
