"""The public agenda: what a family sees without an account, and what it never sees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitspas.accounts.tests.factories import UserFactory
from petitspas.activities.models import ActivityType, Public, Session
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    FacilitatorFactory,
    SessionFactory,
)
from petitspas.agenda.selectors import agenda_markers
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.attendance.models import Registration
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import SiteRelocation
from petitspas.places.tests.factories import SiteFactory

INDEX = reverse("agenda:index")


def listed(response) -> list:
    """The sessions of the page, in order."""
    return [entry.session for _day, entries in response.context["days"] for entry in entries]


def session_url(session) -> str:
    return reverse("agenda:session", kwargs={"session_pk": session.pk})


# --- The list ------------------------------------------------------------------------------


def test_agenda_shows_only_public_upcoming_sessions(client, make_session, programme):
    today = make_session(days=0)
    tomorrow = make_session(days=1)
    on_registration = make_session(
        days=2, activity_type=ActivityTypeFactory(programme=programme, on_registration=True)
    )
    make_session(days=-1)  # yesterday
    # Cancelled: still listed, marked, with its reason and a link to its page, which says so.
    cancelled = make_session(days=3, cancelled=True)
    make_session(days=3, activity_type=ActivityTypeFactory(programme=programme, on_referral=True))
    # On referral even if someone ticked "public": never in the agenda.
    make_session(
        days=3,
        activity_type=ActivityTypeFactory(
            programme=programme, on_referral=True, is_public=True, name="Crèche sur orientation"
        ),
    )
    make_session(days=3, activity_type=ActivityTypeFactory(programme=programme, is_public=False))
    make_session(days=7 * 8)  # beyond the eight weeks shown

    response = client.get(INDEX)

    assert response.status_code == 200
    assert listed(response) == [today, tomorrow, on_registration, cancelled]
    body = response.content.decode()
    assert "Crèche sur orientation" not in body
    assert "Séance annulée : Intempéries" in body
    assert session_url(cancelled) in body and session_url(today) in body


def test_sessions_are_grouped_by_day_in_order(client, make_session):
    late = make_session(days=2, start_time=datetime.time(16), end_time=datetime.time(17))
    early = make_session(days=2, morning=True)
    first = make_session(days=1)

    response = client.get(INDEX)

    days = response.context["days"]
    assert [day for day, _entries in days] == [in_days(1), in_days(2)]
    assert [e.session for e in days[1][1]] == [early, late]
    assert listed(response)[0] == first


def test_open_sessions_say_free_without_registration(client, make_session, programme):
    make_session()

    response = client.get(INDEX)

    assert "Gratuit, sans inscription" in response.content.decode()
    assert "Sur inscription" not in response.content.decode()


def test_sessions_on_registration_show_the_places_left(client, make_session, programme):
    workshop = ActivityTypeFactory(programme=programme, on_registration=True)
    session = make_session(activity_type=workshop, capacity=5)
    for household in HouseholdFactory.create_batch(2, organisation=programme.organisation):
        Registration.objects.create(session=session, household=household)
    full = make_session(days=2, activity_type=workshop, capacity=1)
    Registration.objects.create(
        session=full, household=HouseholdFactory(organisation=programme.organisation)
    )

    body = client.get(INDEX).content.decode()

    assert "Sur inscription" in body
    assert "3 places restantes" in body
    assert "Complet" in body
    assert "Gratuit, sans inscription" not in body


def test_the_list_is_capped_and_paginated(client, make_session):
    sessions = [make_session(days=1 + i // 4) for i in range(35)]

    first = client.get(INDEX)
    second = client.get(INDEX, {"page": 2})

    assert len(listed(first)) == 30
    assert listed(first) + listed(second) == sessions
    assert "Page 1 sur 2" in first.content.decode()


# --- Filters -------------------------------------------------------------------------------


def test_filter_by_town(client, make_session, lunel):
    in_pantin = make_session()
    make_session(site=lunel)

    response = client.get(INDEX, {"commune": "Pantin"})

    assert listed(response) == [in_pantin]


def test_filter_by_site(client, make_session, pantin, programme):
    other = SiteFactory(programme=programme, name="Square Lapérouse", town="Pantin")
    make_session()
    there = make_session(site=other)

    response = client.get(INDEX, {"lieu": other.pk})

    assert listed(response) == [there]


def test_filter_by_activity(client, make_session, programme):
    reading = ActivityTypeFactory(
        programme=programme, name="Lectures au parc", kind=ActivityType.Kind.READING
    )
    make_session()
    story = make_session(activity_type=reading)

    response = client.get(INDEX, {"activite": ActivityType.Kind.READING})

    assert listed(response) == [story]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("0-3", {Public.CHILDREN_0_3, Public.CHILDREN_0_6}),
        ("3-6", {Public.CHILDREN_0_6}),
        ("grossesse", {Public.PREGNANT}),
        ("parents", {Public.PARENTS}),
    ],
)
def test_filter_by_age_of_the_child(client, make_session, programme, age, expected):
    for public in Public:
        make_session(activity_type=ActivityTypeFactory(programme=programme, public=public))

    response = client.get(INDEX, {"age": age})

    assert {s.activity_type.public for s in listed(response)} == expected


def test_filter_this_week(client, make_session):
    today = timezone.localdate()
    sunday = 6 - today.weekday()
    this_week = [make_session(days=0), make_session(days=sunday)]
    make_session(days=sunday + 1)

    response = client.get(INDEX, {"periode": "semaine"})

    assert listed(response) == this_week


def test_filter_this_month(client, make_session):
    today = timezone.localdate()
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last_day = (next_month - today).days - 1
    this_month = [make_session(days=0), make_session(days=last_day)]
    make_session(days=last_day + 1)

    response = client.get(INDEX, {"periode": "mois"})

    assert listed(response) == this_month


def test_filters_combine(client, make_session, lunel, programme):
    reading = ActivityTypeFactory(programme=programme, kind=ActivityType.Kind.READING)
    make_session(activity_type=reading)
    wanted = make_session(site=lunel, activity_type=reading)
    make_session(site=lunel)

    response = client.get(INDEX, {"commune": "Lunel", "activite": "reading"})

    assert listed(response) == [wanted]


def test_filters_offer_only_what_the_agenda_holds(client, make_session, programme):
    SiteFactory(programme=programme, name="Lieu sans séance", town="Bobigny")
    make_session()

    response = client.get(INDEX)

    form = response.context["form"]
    assert [v for v, _label in form.fields["commune"].choices] == ["", "Pantin"]
    assert "Lieu sans séance" not in response.content.decode()
    assert [v for v, _label in form.fields["activite"].choices] == ["", "free_play"]


def test_an_unknown_filter_value_is_ignored(client, make_session):
    session = make_session()

    response = client.get(INDEX, {"commune": "Atlantide", "lieu": "abc", "periode": "jamais"})

    assert response.status_code == 200
    assert listed(response) == [session]


def test_htmx_gets_the_list_only(client, make_session, lunel):
    make_session(site=lunel)

    response = client.get(INDEX, {"commune": "Lunel"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.templates[0].name == "agenda/_results.html"
    assert "<html" not in body
    assert "Accueil de loisirs du parc" in body
    assert 'id="agenda-markers"' in body


def test_the_form_works_without_javascript(client, make_session):
    make_session()

    body = client.get(INDEX).content.decode()

    assert f'method="get" action="{INDEX}"' in body
    assert 'type="submit"' in body


def test_the_map_has_a_marker_per_site_with_coordinates(client, make_session, lunel, programme):
    make_session()
    make_session(days=2)
    make_session(site=lunel)
    make_session(site=SiteFactory(programme=programme, name="Sans coordonnées"))

    response = client.get(INDEX)

    markers = response.context["markers"]
    assert [(m["name"], m["lat"], m["lng"]) for m in markers] == [
        ("Accueil de loisirs du parc", 43.6761, 4.1358),
        ("Square Stalingrad", 48.8946, 2.4098),
    ]
    filtered = client.get(INDEX, {"commune": "Lunel"}).context["markers"]
    assert [m["name"] for m in filtered] == ["Accueil de loisirs du parc"]
    body = response.content.decode()
    assert "leaflet/leaflet.js" in body
    assert "leaflet/leaflet.css" in body


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"commune": "Pantin"},
        {"commune": "Lunel", "activite": "reading"},
        {"lieu": "lunel"},
        {"activite": "free_play"},
        {"age": "0-3"},
        {"age": "grossesse"},
        {"periode": "semaine"},
        {"periode": "mois"},
        {"periode": "semaine", "age": "parents"},
        {"commune": "Bobigny"},
    ],
    ids=lambda query: "&".join(f"{key}={value}" for key, value in query.items()) or "all",
)
def test_markers_are_the_sites_of_the_sessions_found(
    client, make_session, programme, pantin, lunel, query
):
    """The markers come from the window's offers, not from the sessions found: they must
    name the same sites for every filter."""
    bobigny = SiteFactory(programme=programme, name="Parc de la Bergère", town="Bobigny")
    bobigny.latitude, bobigny.longitude = pantin.latitude, pantin.longitude
    bobigny.save()
    reading = ActivityTypeFactory(
        programme=programme, kind=ActivityType.Kind.READING, public=Public.PREGNANT
    )
    parents = ActivityTypeFactory(programme=programme, public=Public.PARENTS)
    today = timezone.localdate()
    next_week = 7 - today.weekday()
    make_session(days=0)
    make_session(days=next_week, site=lunel, activity_type=reading)
    make_session(days=40, site=bobigny, activity_type=parents)
    make_session(days=1, site=bobigny, activity_type=parents, cancelled=True)
    make_session(days=2, site=SiteFactory(programme=programme, name="Sans coordonnées"))
    if query.get("lieu") == "lunel":
        query = {"lieu": lunel.pk}

    response = client.get(INDEX, query)

    # The map marks where sessions take place: a cancelled one is listed, not marked.
    found = {
        s.site
        for s in listed(response)
        if s.site.latitude is not None and s.status == Session.Status.PLANNED
    }
    assert [m["name"] for m in response.context["markers"]] == sorted(s.name for s in found)


def test_markers_refuse_a_period_that_does_not_start_today(db):
    today = timezone.localdate()

    with pytest.raises(ValueError):
        agenda_markers([], today=today, start=in_days(1), end=in_days(7))


def test_the_list_shows_where_a_relocated_session_really_is(client, make_session, pantin):
    SiteRelocation.objects.create(
        site=pantin,
        starts_on=in_days(-30),
        place_name="Centre de PMI Cornet",
        address="12 rue Cornet, 93500 Pantin",
    )
    make_session(days=working_day(1))

    body = client.get(INDEX).content.decode()

    assert "Centre de PMI Cornet, 12 rue Cornet, 93500 Pantin" in body


def test_index_query_count_does_not_grow_with_sessions(
    client, make_session, lunel, programme, django_assert_num_queries
):
    for days in range(10):
        make_session(days=days)
        make_session(days=days, site=lunel)
    make_session(activity_type=ActivityTypeFactory(programme=programme, on_registration=True))

    # The log's mark and the version (selectors.agenda_version), then the offers (filter
    # choices and markers), count, page, the page's sites' relocations, the page's sites'
    # co-hosts (places.hooks.site_cohosts).
    with django_assert_num_queries(7):
        response = client.get(INDEX)
    assert len(listed(response)) == 21

    # Another page: the mark (the version is kept with it), then the page's five.
    with django_assert_num_queries(6):
        client.get(INDEX, {"commune": "Lunel", "periode": "mois"}, headers={"HX-Request": "true"})
    with django_assert_num_queries(1):  # unchanged: the mark, then the page kept
        client.get(INDEX, {"commune": "Lunel", "periode": "mois"}, headers={"HX-Request": "true"})


# --- The session page ----------------------------------------------------------------------


def test_session_page_shows_what_a_family_needs(client, make_session):
    session = make_session(days=3, notes="Prévoir des chaussettes antidérapantes.")

    response = client.get(session_url(session))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Jeux libres à la Cabane" in body
    assert "Gratuit, sans inscription" in body
    assert "de 14:00 à 16:00" in body
    assert "Enfants de 0 à 3 ans et leurs parents" in body
    assert "Temps de jeu libre et d&#x27;écoute" in body
    assert "Square Stalingrad, 93500 Pantin" in body
    assert "Métro Hoche, puis 5 minutes à pied vers le canal." in body
    assert "Prévoir des chaussettes antidérapantes." in body
    assert (
        "https://www.openstreetmap.org/?mlat=48.89460&amp;mlon=2.40980#map=18/48.89460/2.40980"
        in body
    )
    assert reverse("agenda:session-ics", kwargs={"session_pk": session.pk}) in body
    assert "Ajouter à mon agenda" in body


def test_session_page_gives_the_address_of_the_day(client, make_session, pantin):
    SiteRelocation.objects.create(
        site=pantin,
        starts_on=in_days(2),
        ends_on=in_days(10),
        place_name="Centre de PMI Cornet",
        address="12 rue Cornet, 93500 Pantin",
    )
    before = make_session(days=1)
    hosted = make_session(days=working_day(3))

    body = client.get(session_url(hosted)).content.decode()
    assert "Centre de PMI Cornet" in body
    assert "12 rue Cornet, 93500 Pantin" in body
    assert "openstreetmap.org/search?query=12%20rue%20Cornet" in body
    # The usual site's directions would send the family to the wrong place.
    assert "Métro Hoche" not in body

    body = client.get(session_url(before)).content.decode()
    assert "Centre de PMI Cornet" not in body
    assert "Métro Hoche" in body


def test_session_page_follows_the_site_opening_rules_when_it_has_some(client, make_session, pantin):
    """The calendar function answers for a session within the site's weekly hours too."""
    session = make_session(days=working_day(3))
    pantin.weekly_openings.create(
        weekday=session.date.weekday(),
        half_day="pm",
        opens_at=datetime.time(13, 30),
        closes_at=datetime.time(17, 0),
    )
    SiteRelocation.objects.create(site=pantin, starts_on=in_days(0), place_name="Container du parc")

    body = client.get(session_url(session)).content.decode()

    assert "Container du parc" in body


@pytest.mark.parametrize(
    "kind",
    ["on_referral", "cancelled_on_referral", "hidden", "on_referral_marked_public", "unknown"],
)
def test_non_public_sessions_are_not_found(client, make_session, programme, kind):
    if kind == "cancelled_on_referral":
        activity = ActivityTypeFactory(programme=programme, on_referral=True)
        session = make_session(activity_type=activity, cancelled=True)
    elif kind == "unknown":
        session = make_session()
        session.pk += 1000
    else:
        activity = {
            "on_referral": ActivityTypeFactory(programme=programme, on_referral=True),
            "hidden": ActivityTypeFactory(programme=programme, is_public=False),
            "on_referral_marked_public": ActivityTypeFactory(
                programme=programme, on_referral=True, is_public=True
            ),
        }[kind]
        session = make_session(activity_type=activity)

    assert client.get(session_url(session)).status_code == 404
    ics = reverse("agenda:session-ics", kwargs={"session_pk": session.pk})
    assert client.get(ics).status_code == 404


@pytest.mark.parametrize("registration", [False, True])
def test_a_cancelled_session_page_says_so_with_the_reason_and_whom_to_ask(
    client, make_session, programme, registration
):
    organisation = programme.organisation
    organisation.contact_phone, organisation.contact_email = "01 49 15 40 00", "cabanes@pantin.fr"
    organisation.save()
    activity = ActivityTypeFactory(
        programme=programme, name="Atelier massage bébé", on_registration=registration
    )
    session = make_session(days=3, activity_type=activity, cancelled=True, capacity=8)

    response = client.get(session_url(session))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Annulée" in body
    assert "Séance annulée : Intempéries" in body
    assert "Cette séance n'aura pas lieu." in body
    assert "Pour toute question, contactez l'équipe de Ville de Pantin :" in body
    assert 'href="tel:0149154000"' in body and 'href="mailto:cabanes@pantin.fr"' in body
    # Nothing to ask for, nothing to add to a calendar.
    assert "Demander une place" not in body and 'name="first_name"' not in body
    assert "Ajouter à mon agenda" not in body
    assert "Sur inscription" not in body and "Gratuit, sans inscription" not in body
    # A request posted anyway, and the session's .ics, find no session.
    request_url = reverse("agenda:session-place-request", kwargs={"session_pk": session.pk})
    posted = {"first_name": "Awa", "phone": "0612345678", "children": "1", "consent": "on"}
    assert client.post(request_url, posted).status_code == 404
    ics = reverse("agenda:session-ics", kwargs={"session_pk": session.pk})
    assert client.get(ics).status_code == 404


def test_a_cancelled_session_without_reason_or_contact(client, make_session):
    session = make_session(days=-2, cancelled=True, cancel_reason="")

    body = client.get(session_url(session)).content.decode()

    assert "Séance annulée" in body and "Séance annulée :" not in body
    assert "Cette séance n'a pas eu lieu." in body
    assert "Cette séance a déjà eu lieu." not in body
    assert "Pour toute question" not in body


def test_a_past_public_session_says_it_took_place(client, make_session):
    session = make_session(days=-7)

    body = client.get(session_url(session)).content.decode()

    assert "Cette séance a déjà eu lieu." in body


def test_session_page_query_count(client, make_session, django_assert_num_queries):
    session = make_session()

    # The session with its activity, programme, organisation and site; the site's relocations
    # and its co-hosts.
    with django_assert_num_queries(3):
        assert client.get(session_url(session)).status_code == 200


# --- Public, and never a person ------------------------------------------------------------


def test_no_account_is_needed(client, make_session, programme, pantin):
    session = make_session()
    urls = [
        INDEX,
        session_url(session),
        reverse("agenda:session-ics", kwargs={"session_pk": session.pk}),
        reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk}),
        reverse("agenda:site-ics", kwargs={"site_pk": pantin.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_signed_in_members_see_the_same_agenda(client, make_session, bob):
    session = make_session()
    client.force_login(bob.professional)

    response = client.get(INDEX)

    assert listed(response) == [session]


def test_no_person_ever_appears(client, make_session, programme, pantin):
    staff = UserFactory(first_name="Bérénice", last_name="Quatremare", email="bq@exemple.fr")
    facilitator = FacilitatorFactory(organisation=programme.organisation, name="Ophélie Santerre")
    household = HouseholdFactory(organisation=programme.organisation, code="FAM-7731")
    PersonFactory(household=household, first_name="Zéphyrine")
    session = make_session(staff=[staff])
    session.facilitators.add(facilitator)
    Registration.objects.create(session=session, household=household)
    urls = [
        INDEX,
        session_url(session),
        reverse("agenda:session-ics", kwargs={"session_pk": session.pk}),
        reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk}),
        reverse("agenda:site-ics", kwargs={"site_pk": pantin.pk}),
    ]

    for url in urls:
        body = client.get(url).content.decode()
        assert "Jeux libres" in body, url
        for secret in ("Bérénice", "Quatremare", "bq@exemple.fr", "Ophélie", "Santerre"):
            assert secret not in body, (url, secret)
        for secret in ("FAM-7731", "Zéphyrine"):
            assert secret not in body, (url, secret)


def test_other_programmes_public_sessions_are_listed_too(client, make_session):
    """The agenda is the territory's: every organisation's public sessions, side by side."""
    mine = make_session()
    theirs = SessionFactory(date=in_days(1))

    assert set(listed(client.get(INDEX))) == {mine, theirs}


def test_sessions_in_a_social_hotel_are_never_published(client, make_session, programme):
    """A social hotel's address is where families live: its sessions are for residents."""
    hotel = SiteFactory(
        programme=programme, name="Hôtel social – Bobigny centre", kind="social_hotel"
    )
    in_town = make_session(days=1)
    make_session(days=1, site=hotel)

    response = client.get(INDEX)

    assert listed(response) == [in_town]
    assert "Bobigny centre" not in response.content.decode()
    feed = client.get(reverse("agenda:site-ics", kwargs={"site_pk": hotel.pk}))
    assert b"VEVENT" not in feed.content
