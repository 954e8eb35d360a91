"""Freshness: stale services, the signed "toujours exact" link of the monthly e-mail, and
the freshness rate per thématique for coordinators."""

import dataclasses

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from petitspas.directory.models import OWNER_ROLES, Service, stale_before
from petitspas.directory.themes import THEMATIQUES

SALT = "directory.confirm"


def max_age_days() -> int:
    return getattr(settings, "DIRECTORY_LINK_MAX_AGE_DAYS", 45)


def confirm_token(service: Service) -> str:
    return signing.dumps({"s": service.pk}, salt=SALT, compress=True)


class LinkRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_token(token: str) -> int:
    """The service id the link is for; ``LinkRefused`` ("expired" or "invalid")."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_days() * 86400)
    except signing.SignatureExpired as exc:
        raise LinkRefused("expired") from exc
    except signing.BadSignature as exc:
        raise LinkRefused("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise LinkRefused("invalid")
    return data["s"]


@dataclasses.dataclass
class ThemeRate:
    code: str
    label: str
    total: int
    fresh: int

    @property
    def rate(self) -> int:
        return round(100 * self.fresh / self.total) if self.total else 100


def freshness_by_theme(services) -> list[ThemeRate]:
    """Per thématique present among ``services``: how many are confirmed within 6 months."""
    limit = stale_before()
    rates: dict[str, ThemeRate] = {}
    for service in services:
        for code in service.thematiques or ["—"]:
            rate = rates.setdefault(
                code, ThemeRate(code, THEMATIQUES.get(code, "Sans thématique"), 0, 0)
            )
            rate.total += 1
            rate.fresh += service.confirmed_on >= limit
    return sorted(rates.values(), key=lambda r: (r.rate, r.label))


def send_reminders(*, base_url: str) -> tuple[int, int]:
    """One e-mail per partner organisation with stale services, to its members who edit
    them. (e-mails sent, services listed)."""
    stale = (
        Service.objects.stale()
        .filter(structure__organisation__isnull=False)
        .select_related("structure__organisation")
        .order_by("structure__organisation__name", "structure__nom", "nom")
    )
    by_org: dict = {}
    for service in stale:
        by_org.setdefault(service.structure.organisation, []).append(service)
    sent = listed = 0
    for organisation, services in by_org.items():
        recipients = sorted(
            {
                m.user.email
                for m in organisation.memberships.filter(
                    is_active=True, role__in=OWNER_ROLES, user__is_active=True
                ).select_related("user")
            }
        )
        if not recipients:
            continue
        entries = [
            {
                "service": s,
                "confirm_url": base_url + reverse("directory:confirm", args=[confirm_token(s)]),
                "edit_url": base_url + reverse("directory:service-edit", args=[s.pk]),
            }
            for s in services
        ]
        context = {"organisation": organisation, "entries": entries, "days": max_age_days()}
        send_mail(
            subject=f"Annuaire : {len(entries)} fiche(s) à vérifier pour {organisation.name}",
            message=render_to_string("directory/email/reminder.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
        sent += 1
        listed += len(entries)
    return sent, listed
