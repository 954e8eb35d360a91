"""Publishing an edition of the printed guide: keyword-only arguments, one transaction, the
permission check and an audit entry."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.directory.guide import build_snapshot, diff_snapshots, has_changes
from petitspas.directory.models import GuideEdition, Territory
from petitspas.directory.permissions import can_publish_guide

PUBLISH_REFUSED = (
    "Seuls les administrateurs et coordinateurs de l'organisation qui coordonne ce "
    "territoire publient son guide."
)
NO_SERVICE = (
    "Le guide ne contient aucun service : ajoutez d'abord les services des partenaires du "
    "territoire dans l'annuaire, puis publiez l'édition."
)
NOTHING_CHANGED = (
    "Rien n'a changé dans l'annuaire depuis l'édition n° {number} : il n'y a pas de "
    "nouvelle édition à publier. L'édition n° {number} reste celle à imprimer."
)
DATE_BEFORE_LAST = "Une édition ne peut pas être datée d'avant l'édition n° {number} ({day})."


def latest_edition(territory: Territory) -> GuideEdition | None:
    return territory.editions.order_by("-number").first()


@transaction.atomic
def guide_publish(
    *, by, territory: Territory, published_on: datetime.date | None = None
) -> GuideEdition:
    """Freeze the territory's guide as it stands into a new edition, numbered after the
    last one. Refused with a French message when the guide has no service or nothing has
    changed since the last edition. ``published_on`` (today by default) dates an edition
    loaded after the fact, as the demo does."""
    # The territory's row is the lock: two coordinators publishing at once get two numbers.
    territory = (
        Territory.objects.select_for_update().select_related("organisation").get(pk=territory.pk)
    )
    if not can_publish_guide(by, territory):
        raise PermissionDenied(PUBLISH_REFUSED)
    day = published_on or timezone.localdate()
    snapshot = build_snapshot(territory, today=day)
    if not snapshot["services"]:
        raise ValidationError(NO_SERVICE, code="empty")
    previous = latest_edition(territory)
    if previous is not None:
        if day < previous.published_on:
            raise ValidationError(
                DATE_BEFORE_LAST.format(
                    number=previous.number, day=previous.published_on.strftime("%d/%m/%Y")
                ),
                code="date",
            )
        if not has_changes(diff_snapshots(previous.snapshot, snapshot)):
            raise ValidationError(NOTHING_CHANGED.format(number=previous.number), code="unchanged")
    edition = GuideEdition.objects.create(
        territory=territory,
        number=previous.number + 1 if previous else 1,
        published_on=day,
        published_by=by,
        snapshot=snapshot,
    )
    audit_log(
        by,
        "directory.guide_publish",
        edition,
        structures=len(snapshot["structures"]),
        services=len(snapshot["services"]),
    )
    return edition
