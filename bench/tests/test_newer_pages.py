"""The setup of issues 16, 17 and 19's pages in the pages' measurement
(``bench.newer_pages.prepare``), at the test scale: each page the bench times answers its
user with what it is meant to show, and a second run reuses what the first wrote."""

import datetime
import re

from django.urls import reverse
from django.utils.html import escape

from bench import measure_booking, measure_search
from bench.measure_pages import _client, _pages
from bench.newer_pages import prepare
from bench.results import Recorder
from bench.subjects import find_subjects
from bench.territory import generate_territory
from petitspas.childcare.models import CAPACITY, REGULAR_PLACES, Referral, State
from petitspas.diagnosis.models import Area
from petitspas.diagnosis.places_map import resource_places
from petitspas.diagnosis.selectors_areas import sites_in_area
from petitspas.directory.models import Orientation, Service, Structure, WorkingGroup

TODAY = datetime.date(2026, 11, 25)  # a Wednesday, inside the published school calendar
NEW_PAGES = {
    "childcare_inbox",
    "childcare_my_referrals",
    "childcare_follow_up",
    "childcare_half_day",
    "directory_search",
    "directory_index",
    "desk",
    "network_group",
    "guide",
    "diagnosis_areas",
    "diagnosis_area",
    "area_places",
}


def test_each_new_page_answers_the_bench_s_user_with_its_content(
    db, time_machine, monkeypatch, settings
):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # the bench's client asks as 127.0.0.1
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0), tick=False)
    monkeypatch.setenv("BENCH_SEARCH_SERVICES", "50")  # one import batch
    generate_territory(scale="test", seed=3, today=TODAY, out=lambda _line: None)
    subjects = find_subjects()
    recorder = Recorder(database="SQLite", scale="test")
    newer = prepare(recorder, subjects)

    area = Area.objects.get(pk=newer.area)
    assert area.organisation == subjects.organisation
    assert subjects.site in sites_in_area(area)
    users = {
        "professional": subjects.professional,
        "coordinator": subjects.coordinator,
        "prescriber": newer.prescriber,
    }
    pages = {page.name: page for page in _pages(subjects, newer)}
    assert pages.keys() >= NEW_PAGES
    shown = {}
    for name in NEW_PAGES:
        page = pages[name]
        client = _client(users.get(page.as_user))
        response = client.get(
            reverse(page.url_name, kwargs=page.kwargs), page.query, headers=dict(page.headers)
        )
        assert response.status_code == 200, name
        shown[name] = response.content.decode()
    # The referrals accepted, in the coordinator's inbox and the adviser's list.
    accepted = Referral.objects.filter(state=State.ACCEPTED).of_prescriber(newer.prescriber)
    assert accepted.count() == REGULAR_PLACES + measure_booking.CONTENDERS
    for name in ("childcare_inbox", "childcare_my_referrals"):
        for referral in accepted:
            assert f'href="/accueil-enfants/orientations/{referral.pk}/"' in shown[name], name
    # The half-day with one place left; the area's busiest site; services found near it.
    assert (
        f"<strong>{CAPACITY - 1}/{CAPACITY}</strong> places prises" in shown["childcare_half_day"]
    )
    pending = Orientation.objects.filter(desk=newer.desk, outcome=Orientation.Outcome.PENDING)
    assert pending.exists()
    assert escape(pending.select_related("service").first().service.nom) in shown["desk"]
    group = WorkingGroup.objects.get(pk=newer.group)
    assert group.members.count() > 0 and group.meetings.count() == 3
    for meeting in group.meetings.all():
        assert f'href="/annuaire/reseau/reunions/{meeting.pk}/"' in shown["network_group"]
    in_town = Structure.objects.filter(code_insee=subjects.site.commune_code)
    assert in_town.count() > 1
    services = Service.objects.filter(structure__in=in_town).count()
    assert f"{in_town.count()} partenaires et {services} services" in shown["guide"]
    assert subjects.site.name in shown["diagnosis_area"]
    places = resource_places(area)
    assert places
    for place in places:
        assert escape(place.name) in shown["area_places"]
    assert area.name in shown["diagnosis_areas"]
    for name in ("directory_search", "directory_index"):
        found = re.search(r"(\d+) services? trouvés? · à moins de 5 km", shown[name])
        assert found and int(found.group(1)) > 0, name

    # Run again on the same database: the same desk, area and directory, the next half-day.
    services = Service.objects.filter(source=measure_search.SOURCE).count()
    again = prepare(recorder, subjects)
    assert (again.area, again.desk, again.group, again.territory) == (
        newer.area,
        newer.desk,
        newer.group,
        newer.territory,
    )
    assert Service.objects.filter(source=measure_search.SOURCE).count() == services
    assert again.half_day != newer.half_day
