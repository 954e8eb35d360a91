import datetime

from petitspas.demo.desk import DESK_NAME, GROUP_NAME, SESSIONS_NAME, load_desk_and_network
from petitspas.demo.loader import load_demo
from petitspas.directory.models import (
    Appointment,
    Desk,
    Meeting,
    Orientation,
    Structure,
    Visit,
    WorkingGroup,
)


def test_demo_desk_and_network(db, travel):
    today = travel(datetime.date(2026, 3, 10))
    load_demo()
    desk = Desk.objects.get(name=DESK_NAME)
    assert desk.site.name == "La Clef d'Or"
    visits = list(Visit.objects.filter(desk=desk))
    assert len(visits) >= 20
    named = [v for v in visits if v.household_id]
    assert 0 < len(named) <= 2 and all(v.consent for v in named)
    orientations = list(Orientation.objects.filter(desk=desk))
    assert len(orientations) >= 10
    assert {o.outcome for o in orientations} >= {"yes", "pending"}
    assert all(o.theme for o in orientations)
    assert Appointment.objects.filter(desk=desk, starts_at__date__gt=today).count() == 4

    group = WorkingGroup.objects.get(name=GROUP_NAME)
    # "About 40 partners" (seed 002): every Suresnes structure of the directory, 39 since
    # the demo guide's second edition moved a workshop to Puteaux.
    suresnes = set(Structure.objects.filter(code_insee="92073"))
    assert set(group.members.all()) == suresnes and len(suresnes) == 39
    meetings = list(group.meetings.order_by("starts_at"))
    assert len(meetings) == 3
    past, coming = meetings[:2], meetings[2]
    for meeting in past:
        assert meeting.minutes and meeting.items.filter(kind="action").exists()
        present = meeting.participants.filter(attended=True).count()
        assert 15 <= present <= 35
    assert coming.starts_at.date() > today and not coming.participants.filter(attended=True)
    session = Meeting.objects.get(group__name=SESSIONS_NAME)
    assert session.capacity == 25 and session.participants.filter(registered=True).count() == 2

    # Loading again changes nothing.
    counts = (Visit.objects.count(), Orientation.objects.count(), Meeting.objects.count())
    load_desk_and_network(today=today)
    assert (Visit.objects.count(), Orientation.objects.count(), Meeting.objects.count()) == counts
