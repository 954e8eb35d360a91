"""Who calls the API: a personal token (``Authorization: Bearer pp_…``) for scripts, or the
browser's session so that the docs page works for a signed-in user.

Either way ``request.auth`` is the user, and every operation scopes its reads with
``visible_to(request.auth)``. The API only reads (GET); a future write operation keeps
Django's CSRF check for session callers through ``SessionAuth(csrf=True)``.
"""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from petitspas.accounts.services import api_token_authenticate

INVALID_TOKEN = "Jeton d'API invalide ou révoqué."


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            # A token was presented and is wrong, revoked or its owner deactivated: refuse
            # outright rather than fall back on a session cookie sent alongside it.
            raise AuthenticationError(message=INVALID_TOKEN)
        # Code below the API (audit log, selectors) reads request.user.
        request.user = user
        return user


api_auth = [ApiTokenAuth(), SessionAuth(csrf=True)]
