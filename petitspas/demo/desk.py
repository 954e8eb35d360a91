"""La Clef d'Or's Point Info Famille and Suresnes' partner network (seed 002), loaded
through the directory's own services: the desk's slots come from the site's calendar, the
visits, orientations, meetings and registrations are written as the staff would write
them. Loading twice changes nothing: once the desk exists, the rest is left alone."""

import datetime
import random

from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.demo.data.territory import SURESNES
from petitspas.directory.desk import desk_openings, desk_slots
from petitspas.directory.models import Desk, Service, Structure, WorkingGroup
from petitspas.directory.services_desk import (
    appointment_create,
    orientation_create,
    orientation_follow_up,
    visit_create,
)
from petitspas.directory.services_network import (
    attendance_record,
    meeting_create,
    minutes_save,
    registration_create,
)
from petitspas.directory.themes import group_of
from petitspas.families.models import Household
from petitspas.organisations.models import Organisation
from petitspas.places.models import Site

AGENT = "accueil@suresnes.demo"
COORDINATOR = "coordination@suresnes.demo"
PARTNER = "partenaire@centresocial-suresnes.demo"
DESK_NAME = "Point Info Famille de La Clef d'Or"
GROUP_NAME = "Groupe « Soutien à la parentalité » du CLSM"
SESSIONS_NAME = "Sessions d'information pour les professionnels"

# (themes, orientation given, note): questions heard at the desk, without names.
QUESTIONS = (
    (
        ("Prises en charge et soins",),
        "Centre de PMI",
        "Cherche un mode de garde à la reprise du travail.",
    ),
    (
        ("Accompagnement psychosocial",),
        "Groupe de parole",
        "Mère isolée, fatiguée, demande un espace d'écoute.",
    ),
    (
        ("Accès aux aides légales et facultatives",),
        "CCAS",
        "Question sur les aides de la CAF après une séparation.",
    ),
    (("Accès au droit",), "Permanence d'avocats", "Question sur la résidence des enfants."),
    (
        ("Accès aux loisirs et à la culture",),
        "Ludothèque",
        "Activités pour un enfant de 4 ans le mercredi.",
    ),
    (("Participation citoyenne",), "Conseil des parents", "Souhaite s'engager dans l'école."),
    (
        ("Accompagnement psychosocial", "Accès au droit"),
        "Médiation familiale",
        "Conflit entre parents sur les écrans.",
    ),
    (
        ("Prises en charge et soins", "Accompagnement psychosocial"),
        "CMP",
        "Inquiétude sur le sommeil d'un enfant de 2 ans.",
    ),
)
MINUTES = (
    (
        "Tour de table des partenaires ; présentation de la nouvelle édition du guide "
        "parentalité ; point sur les demandes reçues au Point Info Famille.",
        (
            ("decision", "Le guide parentalité est mis à jour avant chaque rentrée.", None, None),
            ("action", "Relire les fiches « Accès au droit » du guide", 0, 30),
        ),
    ),
    (
        "Retour sur la semaine de la parentalité ; les écrans et les tout-petits ; "
        "organisation d'une session d'information pour les professionnels.",
        (
            (
                "decision",
                "Une session d'information sur les écrans est proposée aux équipes.",
                None,
                None,
            ),
            ("action", "Proposer deux dates de session d'information", 1, 21),
            ("action", "Diffuser l'affiche de la semaine de la parentalité", 2, 14),
        ),
    ),
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _service_for(group: str, services: list[Service], rng: random.Random) -> Service:
    matching = [s for s in services if any(group_of(t) == group for t in s.thematiques)]
    return rng.choice(matching or services)


def desk_history(
    desk: Desk,
    *,
    agent: User,
    services: list[Service],
    today: datetime.date,
    rng: random.Random,
    households: list | None = None,
) -> None:
    """Eight weeks of a desk's life, through its services: visits on its open days, a few
    named with consent (``households``, while they last), half of them oriented to one of
    ``services``, the older ones followed up, and four appointments in the coming week's
    free slots. The demo's desk and the benchmark's."""
    households = list(households or [])
    # Visits over the last eight weeks, on the desk's open days.
    days = sorted({o.day for o in desk_openings(desk, today - datetime.timedelta(weeks=8), today)})
    visits = []
    for index, day in enumerate(days):
        for _ in range(rng.choice((0, 1, 1, 2))):
            themes, given, note = QUESTIONS[(index + len(visits)) % len(QUESTIONS)]
            named = households.pop() if households and index % 9 == 4 else None
            visits.append(
                visit_create(
                    by=agent,
                    desk=desk,
                    day=day,
                    themes=list(themes),
                    orientation_given=given,
                    note=note,
                    consent=named is not None,
                    household=named,
                )
            )
    # Half of them oriented to a directory service; the older ones followed up.
    for visit in visits[::2]:
        orientation = orientation_create(
            by=agent,
            visit=visit,
            service=_service_for(visit.themes[0], services, rng),
            day=visit.day,
        )
        age = (today - visit.day).days
        if age > 14:
            outcome = rng.choice(("yes", "yes", "yes", "no", "pending"))
            orientation_follow_up(
                by=agent,
                orientation=orientation,
                outcome=outcome,
                outcome_on=min(visit.day + datetime.timedelta(days=10), today),
            )
    # Appointments in the coming week's free slots.
    free = desk_slots(desk, today + datetime.timedelta(days=1), today + datetime.timedelta(days=8))
    for slot, (first_name, note) in zip(
        free[1::5],
        (
            ("Fatou", "Mode de garde"),
            ("Sarah", "Aides après une naissance"),
            ("Karim", "Droit de visite"),
            ("Inès", "Activités du mercredi"),
        ),
        strict=False,
    ):
        appointment_create(
            by=agent, desk=desk, starts_at=slot.starts_at, first_name=first_name, note=note
        )


def load_desk_and_network(*, today: datetime.date, result=None) -> Desk:
    town = Organisation.objects.get(name=SURESNES)
    site = Site.objects.get(programme__organisation=town, name="La Clef d'Or")
    existing = Desk.objects.filter(organisation=town, name=DESK_NAME).first()
    if existing is not None:
        if result is not None:
            result.counts["Point Info Famille et réseau"] = [1, 0]
        return existing
    agent = User.objects.get(email=AGENT)
    coordinator = User.objects.get(email=COORDINATOR)
    desk = Desk.objects.create(organisation=town, site=site, name=DESK_NAME)
    rng = random.Random(17)
    services = list(Service.objects.filter(structure__code_insee="92073").order_by("pk"))

    # A few visits named with consent.
    households = list(Household.objects.filter(organisation=town).order_by("pk")[:2])
    desk_history(desk, agent=agent, services=services, today=today, rng=rng, households=households)

    # The working group: every Suresnes structure, three meetings a year.
    structures = list(Structure.objects.filter(code_insee="92073").order_by("nom"))
    group = WorkingGroup.objects.create(
        organisation=town,
        name=GROUP_NAME,
        description=(
            "Groupe de travail du conseil local de santé mentale : une quarantaine de "
            "partenaires, trois réunions par an."
        ),
    )
    group.members.set(structures)
    for months_ago, (minutes, items) in zip((8, 4), MINUTES, strict=True):
        day = today - datetime.timedelta(days=30 * months_ago)
        day += datetime.timedelta(days=(3 - day.weekday()) % 7)  # a Thursday
        meeting = meeting_create(
            by=coordinator,
            group=group,
            title="Réunion du groupe « Soutien à la parentalité »",
            starts_at=_at(day, 14),
            ends_at=_at(day, 16, 30),
            place="La Clef d'Or, 28 boulevard Henri-Sellier, Suresnes",
            agenda="1. Tour de table\n2. Guide parentalité\n3. Questions diverses",
        )
        participants = list(meeting.participants.order_by("pk"))
        present = {p.pk for p in participants if rng.random() < 0.65}
        attendance_record(by=coordinator, meeting=meeting, present_ids=present)
        minutes_save(by=coordinator, meeting=meeting, minutes=minutes)
        for kind, text, owner, due in items:
            minutes_save(
                by=coordinator,
                meeting=meeting,
                minutes=minutes,
                new_item={
                    "kind": kind,
                    "text": text,
                    "owner": structures[owner] if owner is not None else None,
                    "due_on": day + datetime.timedelta(days=due) if due else None,
                },
            )
    coming = today + datetime.timedelta(days=45)
    coming += datetime.timedelta(days=(3 - coming.weekday()) % 7)
    meeting_create(
        by=coordinator,
        group=group,
        title="Réunion du groupe « Soutien à la parentalité »",
        starts_at=_at(coming, 14),
        ends_at=_at(coming, 16, 30),
        place="La Clef d'Or, 28 boulevard Henri-Sellier, Suresnes",
        agenda=(
            "1. Bilan des orientations du Point Info Famille\n"
            "2. Mise à jour du guide parentalité\n"
            "3. Calendrier des sessions d'information"
        ),
    )

    # An information session for the partners' staff, with registrations.
    sessions = WorkingGroup.objects.create(
        organisation=town,
        name=SESSIONS_NAME,
        kind=WorkingGroup.Kind.INFO_SESSIONS,
        description="Ouvertes aux équipes des partenaires, sur inscription.",
    )
    sessions.members.set(structures)
    session_day = today + datetime.timedelta(days=20)
    session = meeting_create(
        by=coordinator,
        group=sessions,
        title="Les écrans et les tout-petits",
        starts_at=_at(session_day, 9, 30),
        ends_at=_at(session_day, 12),
        place="La Clef d'Or, salle de conférence",
        capacity=25,
        agenda="Repères 3-6-9-12, échanges de pratiques entre professionnels.",
    )
    partner = User.objects.get(email=PARTNER)
    # Registrations are taken until the session starts (a demo dated in the past has none).
    own = [s for s in structures if s.organisation_id] if not session.is_past else []
    for structure, (name, email) in zip(
        own, (("Nadia B.", "nadia@chenes.demo"), ("Julien R.", "julien@liberte.demo")), strict=False
    ):
        registration_create(
            by=partner, meeting=session, structure=structure, person_name=name, email=email
        )
    if result is not None:
        result.counts["Point Info Famille et réseau"] = [1, 1]
    return desk
