"""Who calls the API: a personal token (``Authorization: Bearer pp_…``) for scripts, or the
browser's session so that the docs page works for a signed-in user.

Either way ``request.auth`` is the user, and every operation scopes its reads with
``visible_to(request.auth)``. The API only reads (GET); a future write operation keeps
Django's CSRF check for session callers through ``SessionAuth(csrf=True)``.

Rate limits (``RATELIMIT_API``) count per token, or per person for session callers; calls
with no valid credential (a wrong token included, so that tokens cannot be guessed at
speed) count per address (``RATELIMIT_API_ANONYMOUS``).
"""

import hashlib

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from petitspas.accounts.services import api_token_authenticate
from petitspas.core.ratelimit import retry_after

INVALID_TOKEN = "Jeton d'API invalide ou révoqué."


class ApiRateLimited(Exception):
    """Over the API's rate: answered 429 with ``Retry-After`` (see ``urls.py``)."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


def _limit(request, *, key, rate: str, group: str) -> None:
    wait = retry_after(request, group=group, key=key, rate=rate)
    if wait is not None:
        raise ApiRateLimited(wait)


def _limit_anonymous(request) -> None:
    _limit(request, group="api-anonymous", key="ip", rate="RATELIMIT_API_ANONYMOUS")


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            _limit_anonymous(request)
            # A token was presented and is wrong, revoked or its owner deactivated: refuse
            # outright rather than fall back on a session cookie sent alongside it.
            raise AuthenticationError(message=INVALID_TOKEN)
        # The counter is keyed by a digest: the cache never holds a usable token.
        digest = "token:" + hashlib.sha256(token.encode()).hexdigest()
        _limit(request, group="api", key=lambda group, request: digest, rate="RATELIMIT_API")
        # Code below the API (audit log, selectors) reads request.user.
        request.user = user
        return user


class LimitedSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            _limit_anonymous(request)
        else:
            who = f"user:{user.pk}"
            _limit(request, group="api", key=lambda group, request: who, rate="RATELIMIT_API")
        return user


api_auth = [ApiTokenAuth(), LimitedSessionAuth(csrf=True)]
