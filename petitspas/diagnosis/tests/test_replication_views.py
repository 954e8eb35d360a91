"""The two steps of "Copier vers un autre territoire" through the pages."""

import datetime

import pytest
from django.urls import reverse

from petitspas.activities.models import Session
from petitspas.diagnosis.services_replication import series_patterns
from petitspas.diagnosis.tests.replication_fixtures import build_cabanes
from petitspas.organisations.models import Programme, Role
from petitspas.organisations.tests.factories import MembershipFactory, ProgrammeFactory
from petitspas.places.models import Site

TODAY = datetime.date(2026, 1, 5)


@pytest.fixture
def cabanes(db, travel):
    travel(TODAY)
    return build_cabanes(until=datetime.date(2026, 8, 31))


def _step_one(cabanes, **overrides) -> dict:
    data = {
        "organisation": cabanes.target.pk,
        "name": "Cabane des 1000 premiers jours – Saint-Denis",
        "starts_on": "2026-01-05",
        "ends_on": "2026-06-30",
        "activity_types": [a.pk for a in cabanes.programme.activity_types.all()],
        "series": [s.pk for s in series_patterns(cabanes.programme)],
        "budget_year": "2025",
    }
    return data | overrides


def _step_two(cabanes, **overrides) -> dict:
    lilas, courneuve = f"lieu-{cabanes.lilas.pk}", f"lieu-{cabanes.courneuve.pk}"
    data = {
        f"{lilas}-fate": "new",
        f"{lilas}-name": "Centre de PMI du Franc-Moisin",
        f"{lilas}-kind": Site.Kind.PMI_CENTRE,
        f"{lilas}-address": "Rue Danielle-Casanova",
        f"{lilas}-postcode": "93200",
        f"{lilas}-commune": "Saint-Denis",
        f"{lilas}-is_qpv": "on",
        f"{courneuve}-fate": f"join-{cabanes.lilas.pk}",
    }
    return data | overrides


def _start(cabanes):
    return reverse("diagnosis:replication-start", args=[cabanes.programme.pk])


def _sites(cabanes):
    return reverse("diagnosis:replication-sites", args=[cabanes.programme.pk])


def test_the_coordinator_copies_the_cabanes_in_two_steps(client, cabanes):
    client.force_login(cabanes.coordinator)
    page = client.get(_start(cabanes)).content.decode()
    # Only the organisations they plan in, not the programme's own.
    assert "Ville de Saint-Denis" in page
    assert "Ville de Montreuil" not in page
    assert 'value="Cabanes des 1000 premiers jours"' in page

    page = client.get(_start(cabanes), _step_one(cabanes)).content.decode()
    assert "Ce que la copie va créer" in page
    assert "Atelier des 1000 premiers jours" in page
    assert "Mercredi après-midi, 14h–17h" in page
    assert "375\u202f000\u00a0€" in page
    assert reverse("diagnosis:replication-sites", args=[cabanes.programme.pk]) in page

    response = client.get(_sites(cabanes), _step_one(cabanes))
    assert response.status_code == 200
    assert "Un nouveau lieu, décrit ci-dessous" in response.content.decode()

    page = client.post(
        _sites(cabanes), _step_one(cabanes) | _step_two(cabanes) | {"apercu": "1"}
    ).content.decode()
    assert 'data-apercu="seances">96<' in page
    assert "Créer la copie" in page
    assert not Programme.objects.filter(organisation=cabanes.target).exists()

    response = client.post(
        _sites(cabanes), _step_one(cabanes) | _step_two(cabanes) | {"confirmer": "1"}
    )
    copy = Programme.objects.get(organisation=cabanes.target)
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:programme-month", args=[copy.pk])
    assert Session.objects.filter(activity_type__programme=copy).count() == 96
    page = client.get(response["Location"]).content.decode()
    assert "est créé dans Ville de Saint-Denis" in page


def test_an_organisation_not_planned_by_the_user_is_refused(client, cabanes):
    client.force_login(cabanes.coordinator)
    page = client.get(
        _start(cabanes), _step_one(cabanes, organisation=cabanes.not_yours.pk)
    ).content.decode()
    assert "Choisissez une organisation que vous administrez ou coordonnez." in page
    assert "Ce que la copie va créer" not in page


def test_the_programme_s_own_organisation_gets_its_reason(client, cabanes):
    client.force_login(cabanes.coordinator)
    page = client.get(
        _start(cabanes), _step_one(cabanes, organisation=cabanes.organisation.pk)
    ).content.decode()
    assert "Le programme appartient déjà à « Département de la Seine-Saint-Denis »" in page


def test_a_name_clash_is_said_on_the_name_and_keeps_the_choices(client, cabanes):
    ProgrammeFactory(
        organisation=cabanes.target, name="Cabane des 1000 premiers jours – Saint-Denis"
    )
    client.force_login(cabanes.coordinator)
    page = client.get(_start(cabanes), _step_one(cabanes, ends_on="2026-03-31")).content.decode()
    assert "« Ville de Saint-Denis » a déjà un programme nommé" in page
    assert 'value="2026-03-31"' in page


def test_a_name_taken_between_the_steps_is_said_on_step_two(client, cabanes):
    client.force_login(cabanes.coordinator)
    ProgrammeFactory(
        organisation=cabanes.target, name="Cabane des 1000 premiers jours – Saint-Denis"
    )
    response = client.post(
        _sites(cabanes), _step_one(cabanes) | _step_two(cabanes) | {"confirmer": "1"}
    )
    page = response.content.decode()
    assert "La copie n&#x27;est pas créée" not in page  # the alert's title is plain text
    assert "La copie n'est pas créée" in page
    assert "« Ville de Saint-Denis » a déjà un programme nommé" in page
    assert 'value="Centre de PMI du Franc-Moisin"' in page
    assert Programme.objects.filter(organisation=cabanes.target).count() == 1


def test_a_new_place_without_its_address_keeps_what_was_typed(client, cabanes):
    client.force_login(cabanes.coordinator)
    lilas = f"lieu-{cabanes.lilas.pk}"
    page = client.post(
        _sites(cabanes),
        _step_one(cabanes) | _step_two(cabanes, **{f"{lilas}-address": ""}) | {"confirmer": "1"},
    ).content.decode()
    assert "Indiquez l&#x27;adresse du nouveau lieu." in page
    assert 'value="Centre de PMI du Franc-Moisin"' in page
    assert not Programme.objects.filter(organisation=cabanes.target).exists()


def test_an_unknown_commune_is_said_above_the_places(client, cabanes):
    client.force_login(cabanes.coordinator)
    lilas = f"lieu-{cabanes.lilas.pk}"
    page = client.post(
        _sites(cabanes),
        _step_one(cabanes) | _step_two(cabanes, **{f"{lilas}-commune": "Saint-Dnis"}),
    ).content.decode()
    assert "la commune « Saint-Dnis » n&#x27;est pas connue avec le code postal 93200" in page
    assert "Créer la copie" not in page


def test_a_professional_of_the_source_copies_without_the_budget(client, cabanes):
    professional = MembershipFactory(organisation=cabanes.organisation, role=Role.PROFESSIONAL).user
    MembershipFactory(user=professional, organisation=cabanes.target, role=Role.COORDINATOR)
    client.force_login(professional)
    page = client.get(_start(cabanes)).content.decode()
    assert "Copier les lignes du budget" not in page
    response = client.post(
        _sites(cabanes),
        _step_one(cabanes, budget_year="") | _step_two(cabanes) | {"confirmer": "1"},
    )
    assert response.status_code == 302


def test_without_another_organisation_to_plan_in_the_page_says_why(client, alice):
    client.force_login(alice.coordinator)
    page = client.get(
        reverse("diagnosis:replication-start", args=[alice.programme.pk])
    ).content.decode()
    assert "Vous n'êtes administrateur ou coordinateur d'aucune autre organisation" in page


def test_the_list_shows_the_programmes_of_the_organisations_one_plans_in(client, cabanes, alice):
    client.force_login(cabanes.coordinator)
    page = client.get(reverse("diagnosis:replication-index")).content.decode()
    assert "Cabanes des 1000 premiers jours" in page
    assert alice.programme.name not in page


def test_a_funder_and_a_professional_without_planning_role_get_no_list(client, alice, funder):
    for user in (funder, alice.professional):
        client.force_login(user)
        assert client.get(reverse("diagnosis:replication-index")).status_code == 403


def test_the_list_takes_the_same_queries_whatever_the_number_of_programmes(
    client, cabanes, django_assert_num_queries
):
    client.force_login(cabanes.coordinator)
    # The same seven queries for one programme to copy as for six.
    with django_assert_num_queries(7):
        client.get(reverse("diagnosis:replication-index"))
    for number in range(5):
        ProgrammeFactory(organisation=cabanes.target, name=f"Programme {number}")
    with django_assert_num_queries(7):
        page = client.get(reverse("diagnosis:replication-index")).content.decode()
    assert "Programme 4" in page
