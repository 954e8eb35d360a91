import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitspas.core.models import AuditEntry
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.services import household_update
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def family(alice):
    household = HouseholdFactory(
        organisation=alice.organisation, code="F-0001", languages="arabe, français"
    )
    PersonFactory(household=household, parent=True, first_name="Awa")
    PersonFactory(household=household, child=True, first_name="Zoé")
    PersonFactory(household=household, expected=True)
    return household


def detail_url(household) -> str:
    return reverse("families:household-detail", kwargs={"household_pk": household.pk})


def object_urls(household) -> dict[str, str]:
    person = household.people.first()
    kwargs = {"household_pk": household.pk}
    person_kwargs = {**kwargs, "person_pk": person.pk}
    return {
        "detail": reverse("families:household-detail", kwargs=kwargs),
        "edit": reverse("families:household-edit", kwargs=kwargs),
        "person-add": reverse("families:person-create", kwargs=kwargs),
        "person-edit": reverse("families:person-edit", kwargs=person_kwargs),
        "person-delete": reverse("families:person-delete", kwargs=person_kwargs),
    }


PAGE_URLS = [
    "families:household-list",
    "families:household-create",
    "families:household-quick-create",
    "families:audit-log",
]


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGE_URLS)
def test_funders_and_prescribers_get_403_on_pages(client, funder, prescriber, name):
    for user in (funder, prescriber):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_funder_and_prescriber_get_404_on_family_files(client, family, funder, prescriber):
    for user in (funder, prescriber):
        client.force_login(user)
        for url in object_urls(family).values():
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", ["admin", "coordinator", "professional"])
def test_other_organisation_gets_404_on_every_family_url(client, family, bob, role):
    client.force_login(getattr(bob, role))
    for url in object_urls(family).values():
        assert client.get(url).status_code == 404
        assert client.post(url, {"first_name": "Pirate"}).status_code == 404
    assert not AuditEntry.objects.exists()
    assert family.people.count() == 3


def test_a_person_of_another_household_gives_404(client, alice, family):
    stranger = PersonFactory(household__organisation=alice.organisation)
    client.force_login(alice.coordinator)
    url = reverse(
        "families:person-edit", kwargs={"household_pk": family.pk, "person_pk": stranger.pk}
    )
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, family):
    for url in [reverse(name) for name in PAGE_URLS] + list(object_urls(family).values()):
        response = client.get(url)
        assert response.status_code == 302
        assert "/compte/connexion/" in response["Location"]


# The list and its search --------------------------------------------------------------------


def test_list_finds_by_first_name_without_accents(client, alice, family):
    PersonFactory(household__organisation=alice.organisation, first_name="Awa", parent=True)
    client.force_login(alice.coordinator)
    response = client.get(reverse("families:household-list"), {"q": "zoe"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "F-0001" in body
    assert "1 famille trouvée" in body
    assert "Zoé (" in body  # with the child's age


def test_list_search_by_code_prefix(client, alice, family):
    HouseholdFactory(organisation=alice.organisation, code="G-0002")
    client.force_login(alice.coordinator)
    body = client.get(reverse("families:household-list"), {"q": "f-0"}).content.decode()
    assert "F-0001" in body and "G-0002" not in body


def test_htmx_gets_the_results_only(client, alice, family):
    client.force_login(alice.coordinator)
    response = client.get(
        reverse("families:household-list"), {"q": "awa"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert [t.name for t in response.templates][0] == "families/_results.html"
    assert "<html" not in body
    assert 'id="resultats"' in body and "F-0001" in body


def test_list_never_shows_another_organisations_families(client, bob, family):
    client.force_login(bob.admin)
    for query in ("", "zoe", "F-0"):
        body = client.get(reverse("families:household-list"), {"q": query}).content.decode()
        assert "F-0001" not in body and "Zoé" not in body


def test_list_query_count_does_not_grow_with_families(
    client, alice, family, django_assert_num_queries
):
    client.force_login(alice.coordinator)
    url = reverse("families:household-list")
    client.get(url)  # session and user caches warm
    # session, user, second-factor device, memberships (nav + permission), their facts (nav), count,
    # households, people, sheets to fill in (navigation)
    with django_assert_num_queries(9):
        client.get(url, {"q": "f"})
    for _ in range(5):
        PersonFactory(household__organisation=alice.organisation, child=True)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["page"]) == 6


def test_htmx_results_query_count(client, alice, family, django_assert_num_queries):
    client.force_login(alice.coordinator)
    # session, user, second-factor device, memberships, their facts, count, households, people, the
    # sheets to fill in (read by the test client's copy of the context; a real fragment
    # does not read the navigation)
    with django_assert_num_queries(9):
        client.get(reverse("families:household-list"), {"q": "zo"}, headers={"HX-Request": "1"})


def test_searching_is_not_logged_as_opening_a_file(client, alice, family):
    client.force_login(alice.coordinator)
    client.get(reverse("families:household-list"), {"q": "zoe"})
    assert not AuditEntry.objects.filter(action="household.view").exists()


# Every page that shows a family file logs an access ----------------------------------------


@pytest.mark.parametrize("page", ["detail", "edit", "person-add", "person-edit", "person-delete"])
def test_every_family_page_logs_who_opened_which_file(client, alice, family, page):
    client.force_login(alice.coordinator)
    response = client.get(object_urls(family)[page])
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="household.view")
    assert entry.actor == alice.coordinator
    assert entry.organisation == alice.organisation
    assert entry.target_id == str(family.pk)
    assert entry.target_repr == "F-0001"
    assert entry.details == {"page": page}


def test_detail_shows_the_code_people_ages_languages_and_housing(client, alice, family):
    hotel = SiteFactory(programme=alice.programme, kind=Site.Kind.SOCIAL_HOTEL, name="Hôtel Avenir")
    household_update(
        household=family,
        housing=HousingSituation.SOCIAL_HOTEL,
        housing_site=hotel,
        by=alice.admin,
    )
    client.force_login(alice.coordinator)
    body = client.get(object_urls(family)["detail"]).content.decode()
    assert "Famille F-0001" in body
    assert "Awa" in body and "Zoé" in body
    assert "17 mois" in body or "18 mois" in body
    assert "naissance prévue le" in body
    assert "arabe" in body and "français" in body
    assert "Hôtel social — Hôtel Avenir" in body
    # The audit link is for admins only.
    assert reverse("families:audit-log") not in body


def test_detail_age_in_years_after_two(client, alice):
    person = PersonFactory(
        household__organisation=alice.organisation,
        role=Person.Role.CHILD,
        birth_date=timezone.localdate() - datetime.timedelta(days=365 * 3 + 30),
    )
    client.force_login(alice.coordinator)
    body = client.get(object_urls(person.household)["detail"]).content.decode()
    assert "3 ans" in body


# Creation -----------------------------------------------------------------------------------


def people_data(rows, extra=4):
    data = {
        "people-TOTAL_FORMS": str(extra),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "12",
    }
    for i in range(extra):
        row = rows[i] if i < len(rows) else {}
        for key in ("role", "first_name", "birth_date", "due_date"):
            data[f"people-{i}-{key}"] = row.get(key, "")
    return data


def test_create_page_renders(client, alice):
    SiteFactory(programme=alice.programme, kind=Site.Kind.SOCIAL_HOTEL, name="Hôtel Avenir")
    client.force_login(alice.coordinator)
    response = client.get(reverse("families:household-create"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hôtel Avenir" in body
    assert 'name="people-0-role"' in body
    assert "Jamais le nom de famille." in body
    assert 'name="organisation"' not in body  # staff of one organisation: no choice


def test_create_a_family_with_its_people(client, alice):
    hotel = SiteFactory(programme=alice.programme, kind=Site.Kind.SOCIAL_HOTEL)
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-create"),
        {
            "code": "",
            "commune": "Pantin — 93055",
            "housing": HousingSituation.SOCIAL_HOTEL,
            "housing_site": hotel.pk,
            "languages": "tamoul, anglais",
            **people_data(
                [
                    {"role": "parent", "first_name": "Kavya"},
                    {"role": "child", "first_name": "Arun", "birth_date": days(-200)},
                    {"role": "expected", "due_date": days(70)},
                ]
            ),
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == object_urls(household)["detail"]
    assert household.organisation == alice.organisation
    assert household.code.startswith("F-")
    assert (household.town, household.housing_site) == ("Pantin", hotel)
    assert sorted(household.people.values_list("role", flat=True)) == [
        "child",
        "expected",
        "parent",
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"role": "child", "first_name": "Arun", "birth_date": days(5)}],
            "La date de naissance ne peut pas être dans le futur.",
        ),
        (
            [{"role": "expected", "due_date": days(-5)}],
            "Cette date prévue d&#x27;accouchement est passée",
        ),
        ([], "Indiquez au moins une personne de la famille."),
        ([{"first_name": "Arun"}], "Indiquez s&#x27;il s&#x27;agit d&#x27;un parent"),
    ],
)
def test_create_refuses_bad_people_and_keeps_what_was_typed(client, alice, rows, message):
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-create"),
        {"code": "F-0100", "housing": "unknown", "languages": "wolof", **people_data(rows)},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="F-0100"' in body
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_create_refuses_a_duplicate_code(client, alice, family):
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-create"),
        {
            "code": "f-0001",
            "housing": "unknown",
            **people_data([{"role": "parent", "first_name": "Kavya"}]),
        },
    )
    assert "Une famille a déjà le code « F-0001 » dans l&#x27;organisation." in (
        response.content.decode()
    )
    assert Household.objects.count() == 1


def test_create_refuses_another_organisations_hotel(client, alice, bob):
    bobs_hotel = SiteFactory(programme=bob.programme, kind=Site.Kind.SOCIAL_HOTEL)
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-create"),
        {
            "housing": HousingSituation.SOCIAL_HOTEL,
            "housing_site": bobs_hotel.pk,
            **people_data([{"role": "parent", "first_name": "Kavya"}]),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["housing_site"]
    assert not Household.objects.exists()


def test_create_refuses_an_unknown_commune(client, alice):
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-create"),
        {
            "commune": "Atlantide",
            "housing": "unknown",
            **people_data([{"role": "parent", "first_name": "Kavya"}]),
        },
    )
    assert "n&#x27;est pas une commune connue" in response.content.decode()
    assert not Household.objects.exists()


def test_staff_of_two_organisations_chooses_where_to_create(client, alice, bob):
    from petitspas.organisations.tests.factories import MembershipFactory

    MembershipFactory(user=alice.coordinator, organisation=bob.organisation, role="coordinator")
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("families:household-quick-create"),
        {"organisation": bob.organisation.pk, "first_name": "Noé", "role": "parent"},
    )
    assert response.status_code == 302
    assert Household.objects.get().organisation == bob.organisation


def test_quick_create_in_the_field(client, alice):
    client.force_login(alice.coordinator)
    assert client.get(reverse("families:household-quick-create")).status_code == 200
    response = client.post(
        reverse("families:household-quick-create"),
        {"first_name": "Zoé", "role": "child", "code": "hot-3"},
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert household.code == "HOT-3"
    assert household.people.get().first_name == "Zoé"


def test_quick_create_without_first_name(client, alice):
    client.force_login(alice.coordinator)
    response = client.post(reverse("families:household-quick-create"), {"role": "parent"})
    assert "Indiquez le prénom." in response.content.decode()
    assert not Household.objects.exists()


# Changes ------------------------------------------------------------------------------------


def test_edit_a_family(client, alice, family):
    client.force_login(alice.coordinator)
    response = client.get(object_urls(family)["edit"])
    assert 'value="F-0001"' in response.content.decode()
    response = client.post(
        object_urls(family)["edit"],
        {"code": "F-0001", "commune": "34145", "housing": "housed", "languages": "arabe"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.town, family.housing, family.languages) == ("Lunel", "housed", "arabe")
    assert AuditEntry.objects.filter(action="household.update").count() == 1


def test_edit_refuses_a_taken_code(client, alice, family):
    HouseholdFactory(organisation=alice.organisation, code="F-0002")
    client.force_login(alice.coordinator)
    response = client.post(
        object_urls(family)["edit"], {"code": "F-0002", "housing": "unknown", "languages": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    family.refresh_from_db()
    assert family.code == "F-0001"


def test_add_a_person(client, alice, family):
    client.force_login(alice.coordinator)
    response = client.post(
        object_urls(family)["person-add"],
        {"role": "child", "first_name": "Yanis", "birth_date": days(-100)},
    )
    assert response.status_code == 302
    assert family.people.filter(first_name="Yanis").exists()
    assert AuditEntry.objects.filter(action="person.create").count() == 1


def test_add_a_person_born_in_the_future_is_refused(client, alice, family):
    client.force_login(alice.coordinator)
    response = client.post(
        object_urls(family)["person-add"],
        {"role": "child", "first_name": "Yanis", "birth_date": days(10)},
    )
    assert "La date de naissance ne peut pas être dans le futur." in response.content.decode()
    assert not family.people.filter(first_name="Yanis").exists()


def test_edit_a_person_due_date_into_the_past_is_refused(client, alice, family):
    expected = family.people.get(role=Person.Role.EXPECTED_CHILD)
    url = reverse(
        "families:person-edit", kwargs={"household_pk": family.pk, "person_pk": expected.pk}
    )
    client.force_login(alice.coordinator)
    response = client.post(url, {"role": "expected", "due_date": days(-3)})
    assert response.status_code == 200
    assert "date prévue d&#x27;accouchement est passée" in response.content.decode()
    expected.refresh_from_db()
    assert expected.due_date > timezone.localdate()


def test_record_a_birth(client, alice, family):
    expected = family.people.get(role=Person.Role.EXPECTED_CHILD)
    url = reverse(
        "families:person-edit", kwargs={"household_pk": family.pk, "person_pk": expected.pk}
    )
    client.force_login(alice.coordinator)
    response = client.post(
        url, {"role": "child", "first_name": "Lina", "birth_date": days(-1), "due_date": ""}
    )
    assert response.status_code == 302
    expected.refresh_from_db()
    assert (expected.role, expected.first_name) == ("child", "Lina")


def test_remove_a_person_after_confirmation(client, alice, family):
    zoe = family.people.get(first_name="Zoé")
    url = reverse("families:person-delete", kwargs={"household_pk": family.pk, "person_pk": zoe.pk})
    client.force_login(alice.coordinator)
    assert "Retirer Zoé de la famille F-0001" in client.get(url).content.decode()
    assert family.people.filter(pk=zoe.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not family.people.filter(pk=zoe.pk).exists()
    assert AuditEntry.objects.filter(action="person.delete").count() == 1


# The audit log ------------------------------------------------------------------------------


def test_admin_sees_who_opened_which_file(client, alice, family):
    client.force_login(alice.coordinator)
    client.get(object_urls(family)["detail"])
    client.force_login(alice.admin)
    response = client.get(reverse("families:audit-log"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Journal des accès" in body
    assert "a consulté le dossier de la famille F-0001" in body
    assert alice.coordinator.email in body or alice.coordinator.get_full_name() in body
    assert "F-0001" in body


@pytest.mark.parametrize("role", ["coordinator", "professional"])
def test_staff_other_than_admins_get_403_on_the_audit_log(client, alice, role):
    client.force_login(getattr(alice, role))
    assert client.get(reverse("families:audit-log")).status_code == 403


def test_audit_log_filters_by_action_and_code(client, alice, family):
    other = HouseholdFactory(organisation=alice.organisation, code="G-0002")
    client.force_login(alice.coordinator)
    client.get(object_urls(family)["detail"])
    client.get(detail_url(other))
    client.post(object_urls(family)["person-add"], {"role": "parent", "first_name": "Ali"})
    client.force_login(alice.admin)
    url = reverse("families:audit-log")
    by_code = client.get(url, {"code": "g-0"}).context["page"]
    assert [e.target_repr for e in by_code] == ["G-0002"]
    by_action = client.get(url, {"action": "person.create"}).context["page"]
    assert [e.action for e in by_action] == ["person.create"]
    both = client.get(url, {"action": "household.view", "code": "F-0001"}).context["page"]
    # The person page opened the file too, before adding Ali.
    assert [(e.target_repr, e.details["page"]) for e in both] == [
        ("F-0001", "person-add"),
        ("F-0001", "detail"),
    ]


def test_audit_log_is_paginated_and_isolated(client, alice, bob, family):
    bobs = HouseholdFactory(organisation=bob.organisation, code="B-0001")
    client.force_login(bob.coordinator)
    client.get(detail_url(bobs))
    client.force_login(alice.coordinator)
    for _ in range(55):
        client.get(object_urls(family)["detail"])
    client.force_login(alice.admin)
    url = reverse("families:audit-log")
    first = client.get(url)
    assert len(first.context["page"]) == 50
    assert "1 sur 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 5
    assert all(e.target_repr != "B-0001" for e in second.context["page"])
    assert "B-0001" not in first.content.decode()


def test_audit_log_query_count(client, alice, family, django_assert_num_queries):
    client.force_login(alice.coordinator)
    for _ in range(3):
        client.get(object_urls(family)["detail"])
    client.force_login(alice.admin)
    url = reverse("families:audit-log")
    client.get(url)
    # session, user, second-factor device, memberships, their facts, organisations, people
    # and actions for the filters, count, entries (with actors and organisations), sheets to
    # fill in (navigation)
    with django_assert_num_queries(11):
        client.get(url, {"action": "household.view"})


def test_a_professional_is_told_their_list_shows_the_families_they_met(client, alice):
    client.force_login(alice.professional)
    body = client.get(reverse("families:household-list")).content.decode()
    assert "Vous voyez les familles rencontrées lors de vos séances" in body
    client.force_login(alice.coordinator)
    body = client.get(reverse("families:household-list")).content.decode()
    assert "Vous voyez les familles rencontrées" not in body
