from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from petitspas.accounts.mfa import SECOND_FACTOR_DUE, has_second_factor, is_verified, mfa_required

# What a signed-in person who owes a second factor may still open (by URL name).
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:logout",
    "accounts:mfa-verify",
    "accounts:mfa-enrol",
    "set_language",
    "healthz",
}
SECOND_FACTOR_NEEDED = "Double authentification requise : terminez la connexion dans le navigateur."


class SecondFactorMiddleware:
    """Keep a session that has not passed the second factor on the code step (the person has
    a device) or on enrolment (their role requires one), whatever page they ask for.

    The password step signs the person in as Django does; until the code is given the
    session is not *verified* (django-otp), and this is the one place that says what an
    unverified session may do. Static files are served before (WhiteNoise). API calls with
    a token carry no session: tokens are not concerned (docs/security.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nobody is signed in; reading the user would mark public pages and feeds
            # ``Vary: Cookie`` and keep them out of shared caches.
            return None
        user = request.user
        if not user.is_authenticated or is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if mfa_required(user):
            target = "accounts:mfa-verify" if has_second_factor(user) else "accounts:mfa-enrol"
        elif request.session.get(SECOND_FACTOR_DUE) and has_second_factor(user):
            # Optional for this person, but they enrolled: the code is due at each sign-in.
            # Read from the session so that others pay no query per request.
            target = "accounts:mfa-verify"
        else:
            return None
        if match is not None and match.namespace == "api":
            return JsonResponse({"detail": SECOND_FACTOR_NEEDED}, status=401)
        url = reverse(target)
        if request.method == "GET" and request.path != reverse("web:home"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
