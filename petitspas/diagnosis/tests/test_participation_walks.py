"""Urban walks: an ordered route of stops, registrations by consent, attendance, the
route sheet (read back from its PDF) and the .ics event."""

import datetime
import io
import re

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from petitspas.diagnosis.models import Area, UrbanWalk, WalkRegistration
from petitspas.diagnosis.services_participation import (
    walk_attendance,
    walk_cancel,
    walk_create,
    walk_register,
    walk_update,
)
from petitspas.directory.models import Structure
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory


def paris(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def area(alice):
    return Area.objects.create(
        organisation=alice.organisation,
        name="Quartier Didot – Porte de Vanves (14e)",
        commune="75114",
    )


@pytest.fixture
def route(alice, area):
    structure = Structure.objects.create(
        source_id="w-1", nom="Centre social Didot", code_insee="75114",
        adresse="5 rue Didot", commune="Paris", latitude=48.830, longitude=2.314,
    )  # fmt: skip
    site = SiteFactory(
        programme=alice.programme, name="Kiosque Vanves", commune_code="75114", town="Paris",
        latitude=48.827, longitude=2.305, kind=Site.Kind.PUBLIC_SPACE,
    )  # fmt: skip
    return [
        {"place": f"structure:{structure.pk}", "note": "Accueil des parents le mardi"},
        {"place": f"site:{site.pk}"},
        {"label": "Square du Cardinal-Wyszynski", "latitude": 48.833, "longitude": 2.311},
    ]


def plan(alice, area, stops, day=datetime.date(2030, 5, 14), **values):
    data = {
        "title": "Découvrir le quartier Didot",
        "starts_at": paris(day, 14),
        "ends_at": paris(day, 16),
        "guide": "Mme Benali, coordinatrice sociale territoriale",
        "capacity": 2,
        "stops": stops,
    }
    data.update(values)
    return walk_create(by=alice.coordinator, area=area, **data)


def test_walk_keeps_its_stops_in_order(alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    stops = list(walk.stops.all())
    assert [(s.position, s.label) for s in stops] == [
        (1, "Centre social Didot"),
        (2, "Kiosque Vanves"),
        (3, "Square du Cardinal-Wyszynski"),
    ]
    assert stops[0].structure_id and stops[1].site_id and not stops[2].structure_id
    assert (stops[1].latitude, stops[2].longitude) == (48.827, 2.311)


def test_walk_refuses_bad_stops_and_keeps_nothing(alice, bob, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    elsewhere = Structure.objects.create(source_id="w-9", nom="Ailleurs", code_insee="93055")
    with pytest.raises(ValidationError) as error:
        plan(alice, area, [route[0], {"place": f"structure:{elsewhere.pk}"}])
    assert "Étape 2 : ce lieu n'est pas un lieu ressource du quartier." in error.value.messages
    with pytest.raises(ValidationError) as error:
        plan(
            alice,
            area,
            [route[0], {"label": "Central Park", "latitude": 40.78, "longitude": -73.97}],
        )
    assert "pas en France" in error.value.message_dict["stops"][0]
    with pytest.raises(ValidationError) as error:
        plan(alice, area, [route[0], {}, {}], capacity=0, guide=" ")
    assert set(error.value.message_dict) == {"stops", "capacity", "guide"}
    with pytest.raises(ValidationError) as error:
        plan(alice, area, route, ends_at=paris(datetime.date(2030, 5, 14), 13))
    assert "ends_at" in error.value.message_dict
    day = datetime.date(2030, 5, 14)
    for someone in (alice.professional, bob.coordinator):
        with pytest.raises(PermissionDenied):
            walk_create(
                by=someone, area=area, title="x", starts_at=paris(day, 14),
                ends_at=paris(day, 16), guide="x", capacity=3, stops=route,
            )  # fmt: skip
    assert not UrbanWalk.objects.exists()


def test_registrations_by_consent_up_to_the_capacity(alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    with pytest.raises(ValidationError) as error:
        walk_register(
            by=alice.coordinator, walk=walk, kind="resident", first_name="Awa", contact="06 12"
        )
    assert "accord" in error.value.message_dict["contact"][0]
    walk_register(
        by=alice.coordinator, walk=walk, kind="resident", first_name="Awa",
        contact="06 12 34 56 78", consent=True,
    )  # fmt: skip
    walk_register(
        by=alice.coordinator, walk=walk, kind="professional", first_name="Karim",
        structure_name="Centre social Didot",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Lina")
    assert error.value.code == "full"
    assert WalkRegistration.objects.filter(walk=walk).count() == 2


def test_attendance_once_the_walk_has_started(alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route, capacity=3)
    awa = walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Awa")
    karim = walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Karim")
    with pytest.raises(ValidationError):
        walk_attendance(by=alice.coordinator, walk=walk, present_ids={awa.pk})
    travel(paris(datetime.date(2030, 5, 14), 17))
    assert walk_attendance(by=alice.coordinator, walk=walk, present_ids={awa.pk}) == 1
    awa.refresh_from_db()
    karim.refresh_from_db()
    assert (awa.attended, karim.attended) == (True, False)
    with pytest.raises(ValidationError):
        walk_attendance(by=alice.coordinator, walk=walk, present_ids={awa.pk + 1000})
    # Someone who came without registering is added afterwards, then marked present.
    lina = walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Lina")
    walk_attendance(by=alice.coordinator, walk=walk, present_ids={awa.pk, lina.pk})
    assert walk.registrations.filter(attended=True).count() == 2


def test_route_sheet_pdf_and_ics(client, alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    client.force_login(alice.professional)
    response = client.get(reverse("diagnosis:walk-sheet-pdf", kwargs={"walk_pk": walk.pk}))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Découvrir le quartier Didot" in text
    assert "mardi 14 mai 2030, 14:00–16:00" in text
    assert "Centre social Didot — 5 rue Didot Paris" in text
    assert (
        text.index("Centre social Didot —")
        < text.index("Kiosque Vanves")
        < text.index("Square du Cardinal-Wyszynski")
    )
    response = client.get(reverse("diagnosis:walk-ics", kwargs={"walk_pk": walk.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Parcours urbain : Découvrir le quartier Didot"
    assert event.decoded("DTSTART") == paris(datetime.date(2030, 5, 14), 14)
    assert "Départ : Centre social Didot" in str(event["LOCATION"])
    assert "3. Square du Cardinal-Wyszynski" in str(event["DESCRIPTION"])


def test_walk_form_keeps_what_was_typed(client, alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    client.force_login(alice.coordinator)
    url = reverse("diagnosis:walk-create", kwargs={"area_pk": area.pk})
    data = {
        "title": "Parcours du 14e",
        "day": "2030-05-14",
        "starts": "14:00",
        "ends": "16:00",
        "guide": "Mme Benali",
        "capacity": "12",
        "stop_1_place": route[0]["place"],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Un parcours a au moins deux étapes." in body and "Parcours du 14e" in body
    data["stop_2_place"] = route[1]["place"]
    response = client.post(url, data)
    walk = UrbanWalk.objects.get()
    assert response["Location"] == reverse("diagnosis:walk", kwargs={"walk_pk": walk.pk})
    client.force_login(alice.professional)
    assert client.get(url).status_code == 403
    page = client.get(reverse("diagnosis:walk", kwargs={"walk_pk": walk.pk})).content.decode()
    assert "0 inscrit pour 12 places (12 restantes)" in page
    # The route's points are drawn where they are: SVG numbers never take the French comma.
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', page)
    assert len(circles) == 2
    assert all(re.fullmatch(r"\d+(\.\d+)?", v) for xy in circles for v in xy)


def test_residents_contacts_are_erased_a_month_after_the_walk(alice, area, route, travel):
    from petitspas.core.models import AuditEntry
    from petitspas.diagnosis.services_participation import walk_contacts_purge

    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    walk_register(
        by=alice.coordinator, walk=walk, kind="resident", first_name="Awa",
        contact="06 12 34 56 78", consent=True,
    )  # fmt: skip
    # 30 days after the walk (14 May), the contact is still useful; the day after, not.
    assert walk_contacts_purge(today=datetime.date(2030, 6, 13)) == 0
    assert walk_contacts_purge(today=datetime.date(2030, 6, 14)) == 1
    registration = WalkRegistration.objects.get(walk=walk)
    assert (registration.first_name, registration.contact, registration.consent) == (
        "Awa",
        "",
        False,
    )
    assert AuditEntry.objects.get(action="walk_registration.purge").details["erased"] == 1
    assert walk_contacts_purge(today=datetime.date(2030, 7, 1)) == 0


def register(alice, walk, name):
    return walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name=name)


def changes(route, **values):
    data = {
        "title": "Découvrir le quartier Didot",
        "starts_at": paris(datetime.date(2030, 5, 14), 14),
        "ends_at": paris(datetime.date(2030, 5, 14), 16),
        "guide": "Mme Benali, coordinatrice sociale territoriale",
        "capacity": 2,
        "stops": route,
    }
    data.update(values)
    return data


def test_a_walk_to_come_is_changed_and_its_stops_replaced_in_order(alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    register(alice, walk, "Awa")
    walk_update(
        by=alice.coordinator,
        walk=walk,
        **changes(
            [route[2], route[0]],
            starts_at=paris(datetime.date(2030, 5, 21), 10),
            ends_at=paris(datetime.date(2030, 5, 21), 12),
            capacity=15,
        ),
    )
    walk.refresh_from_db()
    assert (walk.starts_at, walk.capacity) == (paris(datetime.date(2030, 5, 21), 10), 15)
    assert [(s.position, s.label) for s in walk.stops.all()] == [
        (1, "Square du Cardinal-Wyszynski"),
        (2, "Centre social Didot"),
    ]
    # The people registered keep their place.
    assert list(walk.registrations.values_list("first_name", flat=True)) == ["Awa"]
    from petitspas.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="diagnosis.walk_update").get()
    assert entry.details["changed"] == ["capacity", "ends_at", "starts_at"]


def test_a_walk_change_is_refused_whole(alice, bob, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route, capacity=3)
    for name in ("Awa", "Binta", "Chloé"):
        register(alice, walk, name)
    with pytest.raises(ValidationError) as error:
        walk_update(by=alice.coordinator, walk=walk, **changes([route[0]], capacity=2, title=" "))
    assert error.value.message_dict["capacity"] == [
        "3 personnes sont déjà inscrites : gardez au moins 3 places."
    ]
    assert set(error.value.message_dict) == {"capacity", "stops", "title"}
    for someone in (alice.professional, bob.coordinator):
        with pytest.raises(PermissionDenied):
            walk_update(by=someone, walk=walk, **changes(route, capacity=9))
    walk.refresh_from_db()
    assert (walk.capacity, walk.title, walk.stops.count()) == (3, "Découvrir le quartier Didot", 3)
    # Once it has ended, it is history: its attendance is noted, it is not moved.
    travel(datetime.date(2030, 5, 15))
    with pytest.raises(ValidationError, match="terminé"):
        walk_update(by=alice.coordinator, walk=walk, **changes(route, capacity=9))


def test_a_cancelled_walk_takes_no_registration_and_says_so(client, alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    register(alice, walk, "Awa")
    walk_cancel(by=alice.coordinator, walk=walk)
    walk_cancel(by=alice.coordinator, walk=walk)  # again: nothing changes
    walk.refresh_from_db()
    assert walk.cancelled
    with pytest.raises(ValidationError, match="annulé"):
        register(alice, walk, "Binta")
    with pytest.raises(ValidationError, match="annulé"):
        walk_update(by=alice.coordinator, walk=walk, **changes(route))
    client.force_login(alice.coordinator)
    url = reverse("diagnosis:walk", kwargs={"walk_pk": walk.pk})
    page = client.get(url).content.decode()
    assert "Ce parcours est annulé" in page
    assert reverse("diagnosis:walk-edit", kwargs={"walk_pk": walk.pk}) not in page
    response = client.get(reverse("diagnosis:walk-ics", kwargs={"walk_pk": walk.pk}))
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    areas = reverse("diagnosis:area-walks", kwargs={"area_pk": area.pk})
    assert "Découvrir le quartier Didot" in client.get(areas).content.decode()


def test_a_walk_under_way_is_not_cancelled(alice, area, route, travel):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route)
    travel(paris(datetime.date(2030, 5, 14), 15))
    with pytest.raises(ValidationError, match="commencé"):
        walk_cancel(by=alice.coordinator, walk=walk)
    assert not UrbanWalk.objects.get().cancelled


def test_walk_edit_form_shows_the_walk_and_keeps_what_was_typed(
    client, alice, bob, area, route, travel
):
    travel(datetime.date(2030, 5, 1))
    walk = plan(alice, area, route, description="Rendez-vous devant la PMI")
    url = reverse("diagnosis:walk-edit", kwargs={"walk_pk": walk.pk})
    client.force_login(alice.coordinator)
    form = client.get(url).context["form"]
    assert {name: form[name].value() for name in ("day", "starts", "ends", "capacity")} == {
        "day": datetime.date(2030, 5, 14),
        "starts": datetime.time(14),
        "ends": datetime.time(16),
        "capacity": 2,
    }
    assert form["stop_1_place"].value() == route[0]["place"]
    assert form["stop_1_note"].value() == "Accueil des parents le mardi"
    assert form["stop_1_label"].value() == ""  # the place's own name
    assert form["stop_3_place"].value() is None
    assert form["stop_3_label"].value() == "Square du Cardinal-Wyszynski"
    assert form["description"].value() == "Rendez-vous devant la PMI"
    data = {
        "title": "Parcours du 14e, nouvelle date",
        "day": "2030-05-21",
        "starts": "10:00",
        "ends": "09:00",
        "guide": "Mme Benali",
        "capacity": "12",
        "stop_1_place": route[1]["place"],
        "stop_2_label": "Square du Cardinal-Wyszynski",
        "stop_2_latitude": "48.833",
        "stop_2_longitude": "2.311",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "La fin doit être après le début." in body and "nouvelle date" in body
    data["ends"] = "12:00"
    response = client.post(url, data)
    assert response["Location"] == reverse("diagnosis:walk", kwargs={"walk_pk": walk.pk})
    walk.refresh_from_db()
    assert walk.title == "Parcours du 14e, nouvelle date"
    assert [s.label for s in walk.stops.all()] == ["Kiosque Vanves", "Square du Cardinal-Wyszynski"]
    cancel = reverse("diagnosis:walk-cancel", kwargs={"walk_pk": walk.pk})
    for someone, status in ((alice.professional, 403), (bob.coordinator, 404)):
        client.force_login(someone)
        assert client.get(url).status_code == status
        assert client.post(url, data).status_code == status
        assert client.post(cancel).status_code == status
    client.force_login(alice.coordinator)
    assert client.get(cancel).status_code == 405
    client.post(cancel)
    assert UrbanWalk.objects.get().cancelled
