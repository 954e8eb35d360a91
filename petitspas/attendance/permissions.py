"""Who may record what happened at a session. One door, ``access_sheet``, for the field
screens; the predicate ``can_record_attendance`` also guards every write."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from petitspas.activities.models import Session
from petitspas.activities.permissions import can_record_session
from petitspas.core.access import get_visible_or_404

NO_NAMES = "Séance anonyme : pas de familles nommées."


# The rule is the session's (activities): who staffs it, who plans it.
can_record_attendance = can_record_session


def access_sheet(user, session_pk, *, for_: str = "record") -> Session:
    """The session whose sheet ``user`` opens. 404 for another organisation's session or a
    missing one (the same answer); 403 when visible but the user may not record it (a
    funder, a professional not staffing it). ``for_="names"``: the named-family tools
    (search, quick-create), which an anonymous session does not have (404)."""
    session = get_visible_or_404(
        Session.objects.visible_to(user).select_related(
            "activity_type__programme__organisation", "site"
        ),
        session_pk,
    )
    if not can_record_attendance(user, session):
        raise PermissionDenied
    if for_ == "names" and session.activity_type.is_anonymous:
        raise Http404(NO_NAMES)
    return session
