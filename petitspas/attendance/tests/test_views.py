import re
import uuid

import pytest
from django.urls import reverse

from petitspas.attendance.models import Attendance, Headcount, Observation, Submission
from petitspas.attendance.services import attendance_record
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.families.models import Household

PRESENT, EXCUSED, NO_SHOW = Attendance.Status


def record_url(session):
    return reverse("attendance:session-record", kwargs={"session_pk": session.pk})


def registered_families(session, organisation, count):
    households = [family(organisation, f"F-{n:04d}", parent=f"Parent{n}") for n in range(count)]
    for household in households:
        RegistrationFactory(session=session, household=household)
    return households


def client_id_in(response) -> str:
    return re.search(r'name="client_id" value="([0-9a-f-]+)"', response.content.decode())[1]


def based_on_in(response) -> str:
    return re.search(r'name="based_on" value="([0-9a-f-]*)"', response.content.decode())[1]


def colleague_saves(session, by, **arguments):
    """What a colleague's phone saved: the sheet's new version."""
    arguments.setdefault("marks", {})
    saved = attendance_record(session=session, client_id=uuid.uuid4(), by=by, **arguments)
    return str(saved.submission.client_id)


# --- Today ---


def test_today_links_to_the_sessions_the_professional_staffs(client, alice, named_session):
    client.force_login(alice.professional)

    response = client.get(reverse("attendance:today"))

    assert response.status_code == 200
    assert record_url(named_session) in response.content.decode()
    assert "Atelier lecture" in response.content.decode()


def test_today_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("attendance:today"))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


# --- Who may open a session's sheet ---


def test_staff_professional_opens_the_sheet_with_codes_and_first_names(
    client, alice, named_session
):
    household = family(alice.organisation, "F-0001", parent="Zoé", children=["Moussa"])
    RegistrationFactory(session=named_session, household=household)
    client.force_login(alice.professional)

    response = client.get(record_url(named_session))

    body = response.content.decode()
    assert response.status_code == 200
    assert "F-0001" in body
    assert "Zoé, Moussa" in body
    assert f'name="status-{household.pk}" value="present"' in body
    assert "Ajouter une famille venue sans inscription" in body


def test_coordinator_opens_a_sheet_without_staffing_it(client, alice, named_session):
    client.force_login(alice.coordinator)
    assert client.get(record_url(named_session)).status_code == 200


def test_professional_not_staffing_the_session_gets_403(client, alice, named_session):
    named_session.staff.clear()
    client.force_login(alice.professional)
    assert client.get(record_url(named_session)).status_code == 403


def test_funder_gets_403_and_never_reads_observations(client, alice, funder, named_session):
    Observation.objects.create(session=named_session, text="Isolement d'une maman.")
    client.force_login(funder)

    assert client.get(record_url(named_session)).status_code == 403
    assert client.post(record_url(named_session), {}).status_code == 403
    assert not Observation.objects.visible_to(funder).exists()


@pytest.mark.parametrize("role", ["admin", "coordinator", "professional"])
def test_other_organisation_gets_404(client, bob, named_session, role):
    client.force_login(getattr(bob, role))
    search = reverse("attendance:household-search", kwargs={"session_pk": named_session.pk})
    create = reverse("attendance:household-create", kwargs={"session_pk": named_session.pk})

    assert client.get(record_url(named_session)).status_code == 404
    assert client.post(record_url(named_session), {}).status_code == 404
    assert client.get(search, {"q": "a"}).status_code == 404
    assert client.post(create, {"new_first_name": "Awa"}).status_code == 404


# --- Query counts ---


def test_sheet_of_fifteen_families_takes_a_fixed_number_of_queries(
    client, alice, named_session, django_assert_max_num_queries
):
    households = registered_families(named_session, alice.organisation, 15)
    for household in households[:5]:
        for person in household.people.all():
            Attendance.objects.create(
                session=named_session, person=person, household=household, status=PRESENT
            )
    Observation.objects.create(session=named_session, text="RAS", author=alice.professional)
    client.force_login(alice.professional)

    # Auth session and user, the session, role, staff check, attendances, households,
    # people, headcount, observations, the session's places, navigation (and its facts)
    # and its count of sheets to fill in: none of them per household.
    with django_assert_max_num_queries(14):
        response = client.get(record_url(named_session))

    assert response.content.decode().count('class="pp-family"') == 15


def test_saving_fifteen_families_takes_a_fixed_number_of_queries(
    client, alice, named_session, django_assert_max_num_queries
):
    households = registered_families(named_session, alice.organisation, 15)
    client.force_login(alice.professional)
    data = {"client_id": str(uuid.uuid4()), "action": "save"}
    data |= {f"status-{h.pk}": PRESENT for h in households}

    # Auth (session, user), role, session, staff check, savepoint, the session's lock
    # (PostgreSQL only), id lookup, the households and those expected at the session (the
    # professional typed no code), their people, then the writes: the id (in a savepoint),
    # all attendance rows in one insert, the families present counted and written on the
    # session, the figures' refresh left pending (reporting, on sheet_saved: one row,
    # whatever the number of households), the audit entry.
    with django_assert_max_num_queries(20):
        response = client.post(record_url(named_session), data)

    assert response.status_code == 302
    assert Attendance.objects.filter(session=named_session).count() == 30


# --- Saving ---


def test_save_without_javascript_redirects_with_a_message(client, alice, named_session):
    registered = registered_families(named_session, alice.organisation, 2)
    walk_in = family(alice.organisation, "F-0099", parent="Zoé", children=[])
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {
            "client_id": str(uuid.uuid4()),
            f"status-{registered[0].pk}": PRESENT,
            f"status-{registered[1].pk}": EXCUSED,
            f"status-{walk_in.pk}": PRESENT,
            "walk_in": [str(walk_in.pk)],
            f"code-{walk_in.pk}": "F-0099",
            "observation": "Questions sur le sommeil.",
            "themes": ["sleep"],
            "action": "save",
        },
        follow=True,
    )

    body = response.content.decode()
    assert "C&#x27;est enregistré" in body
    assert re.search(r'data-total="families">\s*2\s*<', body)
    assert Attendance.objects.filter(session=named_session, is_walk_in=True).count() == 1
    assert Observation.objects.get(session=named_session).themes == ["sleep"]


def test_save_with_htmx_answers_a_fresh_sheet_with_a_new_client_id(client, alice, named_session):
    (household,) = registered_families(named_session, alice.organisation, 1)
    client.force_login(alice.professional)
    sent = str(uuid.uuid4())

    response = client.post(
        record_url(named_session),
        {"client_id": sent, f"status-{household.pk}": PRESENT, "action": "save"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="pp-record"')
    assert "pp-saved" in response["HX-Trigger-After-Settle"]
    assert client_id_in(response) != sent
    assert re.search(r'data-total="families">\s*1\s*<', body)
    assert 'value="present" checked' in body


def test_resubmission_with_the_same_client_id_does_not_count_twice(client, alice, open_session):
    client.force_login(alice.professional)
    data = {
        "client_id": str(uuid.uuid4()),
        "adults": "3",
        "children_1_3": "2",
        "observation": "Première venue d'une maman isolée.",
        "action": "save",
    }
    client.post(record_url(open_session), data, headers={"HX-Request": "true"})

    again = client.post(record_url(open_session), data, headers={"HX-Request": "true"})

    assert "déjà été reçu" in again.content.decode()
    assert Submission.objects.count() == 1
    assert Observation.objects.count() == 1
    headcount = Headcount.objects.get(session=open_session)
    assert (headcount.adults, headcount.children_1_3) == (3, 2)


def test_open_session_shows_counters_and_no_names(client, alice, open_session):
    household = family(alice.organisation, "F-0001", parent="Zoé")
    RegistrationFactory(session=open_session, household=household)
    Headcount.objects.create(session=open_session, adults=4)
    client.force_login(alice.professional)

    body = client.get(record_url(open_session)).content.decode()

    assert "Comptage anonyme" in body
    assert 'name="adults"' in body and 'value="4"' in body
    assert "F-0001" not in body and "Zoé" not in body


# --- A colleague saved the sheet in between: refused, shown, nothing lost ---


def test_the_sheet_carries_the_version_of_its_last_save(client, alice, named_session):
    (household,) = registered_families(named_session, alice.organisation, 1)
    client.force_login(alice.professional)

    before = client.get(record_url(named_session))
    version = colleague_saves(named_session, alice.coordinator, marks={household.pk: PRESENT})
    after = client.get(record_url(named_session))

    assert based_on_in(before) == ""
    assert 'data-pp-version=""' in before.content.decode()
    assert based_on_in(after) == version
    assert f'data-pp-version="{version}"' in after.content.decode()


def test_a_save_after_a_colleague_s_is_refused_with_her_marks_beside_what_was_typed(
    client, alice, named_session
):
    ours, theirs = registered_families(named_session, alice.organisation, 2)
    client.force_login(alice.professional)
    shown = based_on_in(client.get(record_url(named_session)))
    version = colleague_saves(named_session, alice.coordinator, marks={theirs.pk: EXCUSED})
    sheet = {
        "client_id": str(uuid.uuid4()),
        "based_on": shown,
        f"status-{ours.pk}": PRESENT,
        f"status-{theirs.pk}": PRESENT,
        "observation": "Texte gardé",
        "action": "save",
    }

    refused = client.post(record_url(named_session), sheet, headers={"HX-Request": "true"})

    body = refused.content.decode()
    assert refused.status_code == 409
    assert "HX-Trigger-After-Settle" not in refused
    assert body.lstrip().startswith('<div id="pp-record"')
    assert "Rien n'a été enregistré." in body
    assert "Une collègue a enregistré cette feuille pendant votre saisie" in body
    assert body.count("Actuellement enregistré") == 1
    assert "Actuellement enregistré : Excusé" in body
    assert f'name="status-{theirs.pk}" value="present" checked' in body
    assert f'name="status-{ours.pk}" value="present" checked' in body
    assert "Texte gardé" in body
    assert client_id_in(refused) == sheet["client_id"]
    assert based_on_in(refused) == version
    assert Submission.objects.count() == 1
    assert not Observation.objects.exists()

    saved = client.post(record_url(named_session), {**sheet, "based_on": version})

    assert saved.status_code == 302
    assert set(Attendance.objects.values_list("status", flat=True)) == {PRESENT}


def test_a_headcount_saved_by_a_colleague_is_shown_beside_the_counter(client, alice, open_session):
    client.force_login(alice.professional)
    colleague_saves(open_session, alice.coordinator, headcount={"adults": 4, "children_1_3": 2})

    response = client.post(
        record_url(open_session),
        {"client_id": str(uuid.uuid4()), "based_on": "", "adults": "3", "children_1_3": "2"},
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert body.count("Actuellement enregistré") == 1
    assert "Actuellement enregistré : 4" in body
    assert 'name="adults" value="3"' in body
    assert Headcount.objects.get().adults == 4


def test_an_error_elsewhere_keeps_the_sheet_on_the_version_it_was_shown_at(
    client, alice, open_session
):
    client.force_login(alice.professional)
    colleague_saves(open_session, alice.coordinator, headcount={"adults": 4})
    sheet = {"client_id": str(uuid.uuid4()), "based_on": "", "adults": "3"}

    wrong = client.post(record_url(open_session), {**sheet, "children_1_3": "-1"})
    refused = client.post(record_url(open_session), {**sheet, "children_1_3": "1"})

    assert wrong.status_code == 200
    assert based_on_in(wrong) == ""
    assert refused.status_code == 409


def test_a_page_without_a_version_still_saves(client, alice, named_session):
    (household,) = registered_families(named_session, alice.organisation, 1)
    colleague_saves(named_session, alice.coordinator, marks={household.pk: EXCUSED})
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {"client_id": str(uuid.uuid4()), f"status-{household.pk}": PRESENT, "action": "save"},
    )

    assert response.status_code == 302
    assert set(Attendance.objects.values_list("status", flat=True)) == {PRESENT}


# --- Bad input: French messages, nothing saved, nothing lost ---


def test_negative_headcount_is_refused_and_what_was_typed_is_kept(client, alice, open_session):
    client.force_login(alice.professional)

    response = client.post(
        record_url(open_session),
        {
            "client_id": str(uuid.uuid4()),
            "adults": "-2",
            "children_1_3": "5",
            "observation": "Texte gardé",
            "action": "save",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "« Adultes » ne peut pas être négatif." in body
    assert "Rien n'a été enregistré." in body
    assert 'value="5"' in body and "Texte gardé" in body
    assert not Headcount.objects.exists()
    assert not Submission.objects.exists()


def test_unknown_status_is_refused(client, alice, named_session):
    (household,) = registered_families(named_session, alice.organisation, 1)
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {"client_id": str(uuid.uuid4()), f"status-{household.pk}": "late", "action": "save"},
    )

    assert "Présence inconnue : « late »" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_household_of_another_organisation_is_refused(client, alice, bob, named_session):
    (ours,) = registered_families(named_session, alice.organisation, 1)
    theirs = family(bob.organisation, "L-0001", parent="Secret")
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {
            "client_id": str(uuid.uuid4()),
            f"status-{ours.pk}": PRESENT,
            f"status-{theirs.pk}": PRESENT,
            "walk_in": [str(theirs.pk)],
            "action": "save",
        },
    )

    body = response.content.decode()
    assert "n&#x27;appartient pas à l&#x27;organisation de la séance" in body
    assert "Secret" not in body and "L-0001" not in body
    assert 'value="present" checked' in body
    assert not Attendance.objects.exists()


def test_a_missing_client_id_asks_to_reload(client, alice, named_session):
    (household,) = registered_families(named_session, alice.organisation, 1)
    client.force_login(alice.professional)

    response = client.post(record_url(named_session), {f"status-{household.pk}": PRESENT})

    assert "rechargez la page" in response.content.decode()
    assert not Attendance.objects.exists()


# --- Walk-ins ---


def test_search_finds_families_without_accents(client, alice, named_session):
    zoe = family(alice.organisation, "F-0001", parent="Zoé")
    Household.objects.filter(pk=zoe.pk).update(created_by=alice.professional)  # met before
    client.force_login(alice.professional)
    url = reverse("attendance:household-search", kwargs={"session_pk": named_session.pk})

    body = client.get(url, {"q": "zoe"}, headers={"HX-Request": "true"}).content.decode()

    assert f'data-pp-add="{zoe.pk}"' in body
    assert f'<template id="pp-row-{zoe.pk}">' in body
    assert f'name="walk_in" value="{zoe.pk}"' in body
    assert "Aucune famille trouvée pour « xyz »" in client.get(url, {"q": "xyz"}).content.decode()


def test_quick_create_with_htmx_answers_the_row_out_of_band(client, alice, named_session):
    client.force_login(alice.professional)
    url = reverse("attendance:household-create", kwargs={"session_pk": named_session.pk})

    response = client.post(
        url, {"new_first_name": "  Yanis ", "new_code": ""}, headers={"HX-Request": "true"}
    )

    household = Household.objects.get(organisation=alice.organisation)
    body = response.content.decode()
    assert household.people.get().first_name == "Yanis"
    assert 'hx-swap-oob="beforeend:#pp-households"' in body
    assert f'name="walk_in" value="{household.pk}"' in body
    assert f"La famille {household.code} est ajoutée, présente." in body


def test_a_double_tap_on_quick_create_makes_one_family(client, alice, named_session):
    client.force_login(alice.professional)
    url = reverse("attendance:household-create", kwargs={"session_pk": named_session.pk})
    data = {"new_first_name": "Yanis", "new_code": "", "new_client_id": str(uuid.uuid4())}

    first = client.post(url, data, headers={"HX-Request": "true"})
    second = client.post(url, data, headers={"HX-Request": "true"})

    household = Household.objects.get(organisation=alice.organisation)
    assert f'name="walk_in" value="{household.pk}"' in first.content.decode()
    assert f'name="walk_in" value="{household.pk}"' in second.content.decode()
    # The emptied form carries a new id for the next family.
    assert data["new_client_id"] not in first.content.decode()


def test_quick_create_says_what_is_missing(client, alice, named_session):
    family(alice.organisation, "F-0001")
    client.force_login(alice.professional)
    url = reverse("attendance:household-create", kwargs={"session_pk": named_session.pk})

    no_name = client.post(url, {"new_first_name": " "}, headers={"HX-Request": "true"})
    taken = client.post(
        url, {"new_first_name": "Awa", "new_code": "f-0001"}, headers={"HX-Request": "true"}
    )

    assert "Indiquez le prénom." in no_name.content.decode()
    assert "Une famille a déjà le code « F-0001 »" in taken.content.decode()
    assert Household.objects.count() == 1


def test_walk_ins_are_not_searched_on_an_open_session(client, alice, open_session):
    client.force_login(alice.professional)
    url = reverse("attendance:household-search", kwargs={"session_pk": open_session.pk})
    assert client.get(url, {"q": "a"}).status_code == 404


# --- Without JavaScript: search, add and create post the whole sheet, nothing is lost ---


def test_without_javascript_search_and_add_keep_what_was_ticked(client, alice, named_session):
    (registered,) = registered_families(named_session, alice.organisation, 1)
    zoe = family(alice.organisation, "F-0050", parent="Zoé")
    Household.objects.filter(pk=zoe.pk).update(created_by=alice.professional)  # met before
    client.force_login(alice.professional)
    sheet = {"client_id": str(uuid.uuid4()), f"status-{registered.pk}": EXCUSED}

    searched = client.post(record_url(named_session), {**sheet, "q": "zoé", "action": "search"})
    added = client.post(record_url(named_session), {**sheet, "action": f"add-{zoe.pk}"})

    assert f'value="add-{zoe.pk}-F-0050"' in searched.content.decode()
    body = added.content.decode()
    assert f'name="walk_in" value="{zoe.pk}"' in body
    assert f'id="status-{zoe.pk}-present" name="status-{zoe.pk}" value="present" checked' in body
    assert f'name="status-{registered.pk}" value="excused" checked' in body
    assert not Attendance.objects.exists()


def test_without_javascript_quick_create_adds_the_family_to_the_sheet(client, alice, named_session):
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {"client_id": str(uuid.uuid4()), "new_first_name": "Noé", "action": "create"},
    )

    household = Household.objects.get()
    assert f'name="walk_in" value="{household.pk}"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_family_cannot_be_created_from_an_anonymous_sheet_without_javascript(
    client, alice, open_session
):
    client.force_login(alice.professional)
    url = reverse("attendance:session-record", kwargs={"session_pk": open_session.pk})

    response = client.post(
        url, {"client_id": str(uuid.uuid4()), "new_first_name": "Noé", "action": "create"}
    )

    assert response.status_code == 404
    assert not Household.objects.exists()
