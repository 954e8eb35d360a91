"""The second factor's pages: the code step of sign-in, enrolment, recovery codes.

Each is the person's own: there is no object to scope, only ``request.user``. What an
unverified session may open is decided by ``SecondFactorMiddleware``."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe

from petitspas.accounts import mfa
from petitspas.accounts.forms_mfa import CodeForm, SignInCodeForm
from petitspas.accounts.ratelimits import code_step_limited

RECOVERY_CODES_SESSION_KEY = "mfa_new_recovery_codes"


def _next_url(request) -> str:
    """Where to go once the step is passed: a local ``next``, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    return f"{resolve_url(name)}?{urlencode({'next': _next_url(request)})}"


def _qr_svg(device) -> str:
    # segno writes the SVG from the otpauth:// URL alone (no user text in the markup).
    qr = segno.make(device.config_url, error="m")
    return mark_safe(qr.svg_inline(scale=5, border=4, dark="#000", light="#fff"))  # noqa: S308


@login_required
@code_step_limited
def mfa_verify(request):
    """The code step of sign-in, after the password."""
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.has_second_factor(request.user):  # never enrolled, or reset by an admin
        request.session.pop(mfa.SECOND_FACTOR_DUE, None)
        if mfa.mfa_required(request.user):
            return redirect(_with_next("accounts:mfa-enrol", request))
        return redirect(_next_url(request))
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.code_verify(request=request, code=form.cleaned_data["code"])
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            return redirect(_next_url(request))
    return render(request, "accounts/mfa/verify.html", {"form": form, "next": _next_url(request)})


@login_required
@code_step_limited
def mfa_enrol(request):
    """Scan the QR code (or type the secret), then confirm with a first code."""
    if mfa.has_second_factor(request.user):
        if not mfa.is_verified(request):
            return redirect("accounts:mfa-verify")
        messages.info(request, "La double authentification est déjà active sur votre compte.")
        return redirect("accounts:account")
    device = mfa.totp_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.totp_confirm(request=request, device=device, code=form.cleaned_data["code"])
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, "La double authentification est activée.")
            return redirect(_with_next("accounts:mfa-recovery-codes", request))
    return render(
        request,
        "accounts/mfa/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": _qr_svg(device),
            "secret": mfa.secret_base32(device),
            "required": mfa.mfa_required(request.user),
        },
    )


@login_required
def mfa_recovery_codes(request):
    """New recovery codes are shown once, right after they are made; the page then only
    offers to replace them."""
    if not mfa.has_second_factor(request.user):
        return redirect("accounts:mfa-enrol")
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = mfa.recovery_codes_regenerate(
            user=request.user
        )
        return redirect("accounts:mfa-recovery-codes")
    return render(
        request,
        "accounts/mfa/recovery_codes.html",
        {
            "codes": request.session.pop(RECOVERY_CODES_SESSION_KEY, None),
            "left": mfa.recovery_codes_left(request.user),
            "next": _next_url(request),
        },
    )


@login_required
def mfa_disable_view(request):
    """A confirmation page, then the POST that turns the second factor off."""
    if not mfa.has_second_factor(request.user):
        return redirect("accounts:account")
    required = mfa.mfa_required(request.user)
    if request.method == "POST":
        try:
            mfa.mfa_disable(user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La double authentification est désactivée.")
        return redirect("accounts:account")
    return render(request, "accounts/mfa/disable.html", {"required": required})
