"""Activities' answers to places (``places.hooks``): after a closure, a new weekly rule or a
temporary move is saved, how many planned sessions it hits and the page that deals with
them. Counted with the same selectors as the pages, for the same user."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from petitspas.activities import selectors
from petitspas.activities.models import Session
from petitspas.activities.permissions import can_plan_activities
from petitspas.places import hooks


def closed(*, user, site) -> hooks.SessionsHit | None:
    if not can_plan_activities(user, site.programme):
        return None
    count = len(
        selectors.off_calendar_ids(
            Session.objects.visible_to(user).filter(site=site), today=timezone.localdate()
        )
    )
    if not count:
        return None
    url = reverse("activities:calendar-conflicts", kwargs={"programme_pk": site.programme_id})
    return hooks.SessionsHit(count, f"{url}?{urlencode({'lieu': site.pk})}")


def relocated(*, user, relocation) -> hooks.SessionsHit | None:
    if not can_plan_activities(user, relocation.site.programme):
        return None
    count = len(
        selectors.sessions_during_relocation(
            user=user, relocation=relocation, today=timezone.localdate()
        )
    )
    if not count:
        return None
    return hooks.SessionsHit(
        count,
        reverse(
            "activities:relocation-sessions",
            kwargs={"site_pk": relocation.site_id, "relocation_pk": relocation.pk},
        ),
    )


def install() -> None:
    hooks.provide_sessions_hit(closed=closed, relocated=relocated)
