"""Every write of the diagnosis' participation: proposed places and their decision, urban
walks with their stops, registrations and attendance, the diagnosis groups and their
members who are people. Keyword-only arguments, one transaction, the permission check
and an audit entry.

The groups' meetings, attendance and minutes are the partners' network's
(``directory.services_network``): a diagnosis group is a ``WorkingGroup`` of one of the
diagnosis' kinds.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.core.scoping import organisation_ids
from petitspas.diagnosis.models import (
    Area,
    PlaceProposal,
    SiteCohost,
    UrbanWalk,
    WalkRegistration,
    WalkStop,
)
from petitspas.diagnosis.places_map import check_point, resource_places
from petitspas.directory.models import DIAGNOSIS_GROUP_KINDS, GroupPerson, WorkingGroup
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Membership

FULL = "Le parcours est complet : il n'y a plus de place."
CONTACT_WITHOUT_CONSENT = (
    "Un contact ne se garde qu'avec l'accord de la personne : cochez son accord ou "
    "effacez le contact."
)
MIN_STOPS = 2
MAX_STOPS = 12


def _manages(by, organisation_id) -> None:
    if organisation_id not in organisation_ids(by, PLANNER_ROLES):
        raise PermissionDenied


# --- Proposed places --------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    area: Area,
    name: str,
    address: str,
    proposer: str,
    description: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    by=None,
) -> PlaceProposal:
    """A resident or a professional proposes a place, with or without an account."""
    errors = {}
    if not name.strip():
        errors["name"] = "Indiquez le nom du lieu."
    if not address.strip():
        errors["address"] = "Indiquez son adresse ou un repère pour le trouver."
    if proposer not in PlaceProposal.Proposer.values:
        errors["proposer"] = "Dites si vous êtes habitant ou professionnel."
    problem = check_point(latitude, longitude)
    if problem:
        errors["latitude"] = problem
    if errors:
        raise ValidationError(errors)
    proposal = PlaceProposal.objects.create(
        area=area,
        name=name.strip(),
        address=address.strip(),
        description=description.strip(),
        latitude=latitude,
        longitude=longitude,
        proposer=proposer,
    )
    audit_log(by, "diagnosis.place_propose", proposal)
    return proposal


@transaction.atomic
def proposal_decide(
    *, by, proposal: PlaceProposal, validate: bool, reason: str = ""
) -> PlaceProposal:
    """Validate a proposed place (it joins the map) or refuse it with a reason."""
    proposal = PlaceProposal.objects.select_for_update().select_related("area").get(pk=proposal.pk)
    _manages(by, proposal.area.organisation_id)
    if proposal.status != PlaceProposal.Status.PROPOSED:
        raise ValidationError("Ce lieu a déjà été examiné.")
    if validate and proposal.latitude is None:
        raise ValidationError(
            {"latitude": "Placez le lieu (latitude et longitude) avant de le valider."}
        )
    if not validate and not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    proposal.status = PlaceProposal.Status.VALIDATED if validate else PlaceProposal.Status.REFUSED
    proposal.refusal_reason = "" if validate else reason.strip()
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    if validate:
        audit_log(by, "diagnosis.place_validate", proposal)
    else:
        audit_log(by, "diagnosis.place_refuse", proposal)
    return proposal


@transaction.atomic
def proposal_locate(
    *, by, proposal: PlaceProposal, latitude: float, longitude: float
) -> PlaceProposal:
    """Place a proposal on the map before validating it."""
    _manages(by, proposal.area.organisation_id)
    problem = check_point(latitude, longitude)
    if problem or latitude is None:
        raise ValidationError({"latitude": problem or "Indiquez la latitude et la longitude."})
    proposal.latitude, proposal.longitude = latitude, longitude
    proposal.save(update_fields=["latitude", "longitude"])
    audit_log(by, "diagnosis.place_locate", proposal)
    return proposal


# --- Urban walks ------------------------------------------------------------------------


def _stops(area: Area, stops: list[dict]) -> list[WalkStop]:
    """The walk's stops from what the form gives: ``place`` (a key of the area's resource
    places, "structure:12") or a ``label`` with an optional point; and a ``note``."""
    places = {p.key: p for p in resource_places(area)}
    built, errors = [], []
    for number, stop in enumerate(stops, 1):
        key = (stop.get("place") or "").strip()
        label = (stop.get("label") or "").strip()
        lat, lon = stop.get("latitude"), stop.get("longitude")
        if not key and not label:
            continue
        if key:
            place = places.get(key)
            if place is None:
                errors.append(f"Étape {number} : ce lieu n'est pas un lieu ressource du quartier.")
                continue
            built.append(
                WalkStop(
                    structure_id=place.pk if place.kind == "structure" else None,
                    site_id=place.pk if place.kind == "site" else None,
                    label=label or place.name,
                    latitude=place.lat if lat is None else lat,
                    longitude=place.lon if lon is None else lon,
                    note=(stop.get("note") or "").strip(),
                )
            )
            continue
        problem = check_point(lat, lon)
        if problem:
            errors.append(f"Étape {number} : {problem}")
            continue
        built.append(
            WalkStop(
                label=label, latitude=lat, longitude=lon, note=(stop.get("note") or "").strip()
            )
        )
    if errors:
        raise ValidationError({"stops": errors})
    if len(built) < MIN_STOPS:
        raise ValidationError({"stops": "Un parcours a au moins deux étapes."})
    if len(built) > MAX_STOPS:
        raise ValidationError({"stops": f"Un parcours a au plus {MAX_STOPS} étapes."})
    return built


def _walk_checked(
    area: Area,
    *,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    guide: str,
    capacity: int,
    stops: list[dict],
    registered: int = 0,
) -> list[WalkStop]:
    """A walk's stops, built, once everything the form gives is checked (every error at
    once): never fewer places than the ``registered`` people."""
    errors = {}
    if not title.strip():
        errors["title"] = "Donnez un titre au parcours."
    if not guide.strip():
        errors["guide"] = "Indiquez qui guide le parcours."
    if ends_at <= starts_at:
        errors["ends_at"] = "La fin doit être après le début."
    if not capacity or capacity < 1:
        errors["capacity"] = "Indiquez le nombre de places (au moins une)."
    elif capacity < registered:
        errors["capacity"] = (
            f"{registered} personnes sont déjà inscrites : gardez au moins {registered} places."
        )
    try:
        built = _stops(area, stops)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return built


def _set_stops(walk: UrbanWalk, built: list[WalkStop]) -> None:
    for position, stop in enumerate(built, 1):
        stop.walk, stop.position = walk, position
    WalkStop.objects.bulk_create(built)


@transaction.atomic
def walk_create(
    *,
    by,
    area: Area,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    guide: str,
    capacity: int,
    stops: list[dict],
    description: str = "",
) -> UrbanWalk:
    _manages(by, area.organisation_id)
    built = _walk_checked(
        area,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        guide=guide,
        capacity=capacity,
        stops=stops,
    )
    walk = UrbanWalk.objects.create(
        area=area,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        guide=guide.strip(),
        capacity=capacity,
        description=description.strip(),
    )
    _set_stops(walk, built)
    audit_log(by, "diagnosis.walk_create", walk, stops=len(built))
    return walk


WALK_CANCELLED = "Ce parcours est annulé."
WALK_ENDED = "Ce parcours est terminé : il ne se modifie plus."


@transaction.atomic
def walk_update(
    *,
    by,
    walk: UrbanWalk,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    guide: str,
    capacity: int,
    stops: list[dict],
    description: str = "",
) -> UrbanWalk:
    """Change a walk still to come or under way: its time, guide, places, presentation
    and stops (replaced by those given, in order). Not a cancelled walk, nor one that
    has ended (its attendance is noted then); never fewer places than people registered.
    The people registered keep their place: tell them of a new time."""
    walk = UrbanWalk.objects.select_for_update().select_related("area").get(pk=walk.pk)
    _manages(by, walk.area.organisation_id)
    if walk.cancelled:
        raise ValidationError(WALK_CANCELLED)
    if walk.ends_at <= timezone.now():
        raise ValidationError(WALK_ENDED)
    built = _walk_checked(
        walk.area,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        guide=guide,
        capacity=capacity,
        stops=stops,
        registered=walk.registrations.count(),
    )
    values = {
        "title": title.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "guide": guide.strip(),
        "capacity": capacity,
        "description": description.strip(),
    }
    changed = sorted(name for name, value in values.items() if getattr(walk, name) != value)
    for name, value in values.items():
        setattr(walk, name, value)
    walk.save(update_fields=list(values))
    walk.stops.all().delete()
    _set_stops(walk, built)
    audit_log(by, "diagnosis.walk_update", walk, changed=changed, stops=len(built))
    return walk


@transaction.atomic
def walk_cancel(*, by, walk: UrbanWalk) -> UrbanWalk:
    """Cancel a walk not yet started: it takes no more registration, leaves the lists of
    walks to come, and its calendar event says so. Cancelling it again changes nothing."""
    walk = UrbanWalk.objects.select_for_update().select_related("area").get(pk=walk.pk)
    _manages(by, walk.area.organisation_id)
    if walk.cancelled:
        return walk
    if walk.starts_at <= timezone.now():
        raise ValidationError("Ce parcours a commencé : il ne s'annule plus.")
    walk.cancelled = True
    walk.save(update_fields=["cancelled"])
    audit_log(by, "diagnosis.walk_cancel", walk, registered=walk.registrations.count())
    return walk


@transaction.atomic
def walk_register(
    *,
    by,
    walk: UrbanWalk,
    kind: str,
    first_name: str,
    structure_name: str = "",
    contact: str = "",
    consent: bool = False,
) -> WalkRegistration:
    """Register a resident (a first name, a contact only with consent) or a professional;
    refused when the walk is full or cancelled. A walk under way or past still takes
    someone who came without registering, so that their attendance is noted."""
    walk = UrbanWalk.objects.select_for_update().select_related("area").get(pk=walk.pk)
    _manages(by, walk.area.organisation_id)
    errors = {}
    if kind not in WalkRegistration.Kind.values:
        errors["kind"] = "Choisissez habitant ou professionnel."
    if not first_name.strip():
        errors["first_name"] = "Indiquez le prénom."
    if contact.strip() and not consent:
        errors["contact"] = CONTACT_WITHOUT_CONSENT
    if errors:
        raise ValidationError(errors)
    if walk.cancelled:
        raise ValidationError("Ce parcours est annulé : il ne prend plus d'inscription.")
    if walk.registrations.count() >= walk.capacity:
        raise ValidationError(FULL, code="full")
    registration = WalkRegistration.objects.create(
        walk=walk,
        kind=kind,
        first_name=first_name.strip(),
        structure_name=structure_name.strip() if kind == "professional" else "",
        contact=contact.strip(),
        consent=bool(consent),
    )
    audit_log(by, "diagnosis.walk_register", walk, kind=kind)
    return registration


@transaction.atomic
def walk_attendance(*, by, walk: UrbanWalk, present_ids: set[int]) -> int:
    """Mark the registrations ``present_ids`` present and the others absent."""
    walk = UrbanWalk.objects.select_for_update().select_related("area").get(pk=walk.pk)
    _manages(by, walk.area.organisation_id)
    if walk.starts_at > timezone.now():
        raise ValidationError("Les présences se notent une fois le parcours commencé.")
    rows = walk.registrations.all()
    if set(present_ids) - set(rows.values_list("pk", flat=True)):
        raise ValidationError("Une des personnes n'est pas inscrite à ce parcours.")
    rows.filter(pk__in=present_ids).update(attended=True)
    rows.exclude(pk__in=present_ids).update(attended=False)
    audit_log(by, "diagnosis.walk_attendance", walk, present=len(present_ids))
    return len(present_ids)


# --- Groups -----------------------------------------------------------------------------


@transaction.atomic
def group_create(*, by, organisation, name: str, kind: str, description: str = "") -> WorkingGroup:
    _manages(by, organisation.pk)
    errors = {}
    if not name.strip():
        errors["name"] = "Donnez un nom au groupe."
    if kind not in DIAGNOSIS_GROUP_KINDS:
        errors["kind"] = "Choisissez le type de groupe."
    if errors:
        raise ValidationError(errors)
    group = WorkingGroup.objects.create(
        organisation=organisation, name=name.strip(), kind=kind, description=description.strip()
    )
    audit_log(by, "diagnosis.group_create", group)
    return group


@transaction.atomic
def group_person_add(
    *,
    by,
    group: WorkingGroup,
    user=None,
    first_name: str = "",
    contact: str = "",
    consent: bool = False,
    role: str = "",
) -> GroupPerson:
    """Add a professional with an account (a staff member of the group's organisation) or
    a resident (a first name; a contact only with consent). The group's meetings to come
    invite them."""
    _manages(by, group.organisation_id)
    errors = {}
    if user is not None:
        staff = Membership.objects.filter(
            user=user, organisation_id=group.organisation_id, role__in=STAFF_ROLES, is_active=True
        )
        if not staff.exists():
            errors["user"] = "Cette personne ne fait pas partie de l'équipe de l'organisation."
        elif group.people.filter(user=user).exists():
            errors["user"] = "Cette personne est déjà membre du groupe."
        first_name, contact, consent = "", "", False
    elif not first_name.strip():
        errors["first_name"] = "Indiquez un prénom, ou choisissez un professionnel."
    if contact.strip() and not consent:
        errors["contact"] = CONTACT_WITHOUT_CONSENT
    if errors:
        raise ValidationError(errors)
    person = GroupPerson.objects.create(
        group=group,
        user=user,
        first_name=first_name.strip(),
        contact=contact.strip(),
        consent=bool(consent),
        role=role.strip(),
    )
    coming = group.meetings.filter(starts_at__gt=timezone.now(), cancelled=False)
    for meeting in coming:
        meeting.participants.create(person=person)
    audit_log(by, "diagnosis.group_person_add", group)
    return person


# --- The kiosque's co-hosts -------------------------------------------------------------


@transaction.atomic
def cohosts_set(*, by, site, structures, labels: list[str]) -> int:
    """Make ``structures`` (directory structures) then ``labels`` (residents, named as they
    wish to appear) the site's co-hosts, in that order; the number of co-hosts."""
    _manages(by, site.programme.organisation_id)
    names = [" ".join(label.split()) for label in labels]
    names = [n for n in dict.fromkeys(names) if n]
    if any(len(n) > 150 for n in names):
        raise ValidationError({"labels": "Un nom d'habitants tient en 150 caractères."})
    SiteCohost.objects.filter(site=site).delete()
    rows = [SiteCohost(site=site, structure=s, position=i) for i, s in enumerate(structures)]
    rows += [SiteCohost(site=site, label=n, position=len(rows) + i) for i, n in enumerate(names)]
    SiteCohost.objects.bulk_create(rows)
    audit_log(by, "diagnosis.cohosts_set", site, cohosts=len(rows))
    return len(rows)


# --- Retention --------------------------------------------------------------------------


def walk_contacts_purge(*, today: datetime.date | None = None) -> int:
    """Erase the contacts residents left when registering to a walk (by consent, to be told
    of a change) once the walk is more than ``PLACE_REQUEST_RETENTION_DAYS`` past; their
    first name, kind and presence stay for the walk's attendance. Run daily
    (``manage.py purge_walk_contacts``); logged without an actor, with the number erased."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.PLACE_REQUEST_RETENTION_DAYS)
    with transaction.atomic():
        count = (
            WalkRegistration.objects.filter(walk__ends_at__date__lt=limit)
            .exclude(contact="")
            .update(contact="", consent=False)
        )
        if count:
            audit_log(None, "walk_registration.purge", erased=count, before=limit.isoformat())
    return count
