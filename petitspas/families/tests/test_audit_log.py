"""The audit log page in words, its filters and its CSV export."""

import csv
import datetime
import html
import io

import pytest
from django.urls import reverse

from petitspas.core.audit import audit_log
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household
from petitspas.families.permissions import access_household
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.organisations.tests.factories import UserFactory
from petitspas.places.models import SiteClosure
from petitspas.places.services import site_closure_add
from petitspas.places.tests.factories import WeeklyOpeningFactory

PAGE = reverse("families:audit-log")
EXPORT = reverse("families:audit-log-export")


@pytest.fixture
def trail(alice, bob, travel):
    """Alice's coordinator opens a file on 3 March, her professional on 10 March, and the
    coordinator closes the site on 12 March; Bob's coordinator opens one of Bob's files."""
    household = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    WeeklyOpeningFactory(site=alice.site)
    travel(datetime.date(2026, 3, 3))
    access_household(alice.coordinator, household.pk)
    travel(datetime.date(2026, 3, 10))
    Household.objects.filter(pk=household.pk).update(created_by=alice.professional)
    access_household(alice.professional, household.pk)
    travel(datetime.date(2026, 3, 12))
    closure = SiteClosure(
        starts_on=datetime.date(2026, 4, 6), ends_on=datetime.date(2026, 4, 6), reason="Formation"
    )
    site_closure_add(site=alice.site, closure=closure, by=alice.coordinator)
    bobs = HouseholdFactory(organisation=bob.organisation, code="B-0001")
    access_household(bob.coordinator, bobs.pk)
    return household


def sentences(response) -> list[str]:
    from petitspas.core.audit import action_sentence

    return [action_sentence(e.action, e.target_repr) for e in response.context["page"]]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


def test_the_log_reads_in_words(client, alice, trail):
    client.force_login(alice.admin)
    body = client.get(PAGE).content.decode()
    assert f"a ajouté une fermeture à {alice.site}" in body
    assert "a consulté le dossier de la famille F-0001" in body
    assert alice.coordinator.get_full_name() in body
    assert "site.closure_add" not in body.split('class="fr-raw-list pp-audit"')[1]


def test_an_action_without_wording_still_reads(client, alice):
    audit_log(alice.admin, "site.painted", alice.site)
    client.force_login(alice.admin)
    response = client.get(PAGE)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f"a effectué l'action « site.painted » sur {alice.site}" in body


def test_filters_by_person(client, alice, trail):
    client.force_login(alice.admin)
    response = client.get(PAGE, {"person": alice.professional.pk})
    assert sentences(response) == ["a consulté le dossier de la famille F-0001"]
    assert {e.actor for e in response.context["page"]} == {alice.professional}


def test_filters_by_action(client, alice, trail):
    client.force_login(alice.admin)
    response = client.get(PAGE, {"action": "site.closure_add"})
    assert sentences(response) == [f"a ajouté une fermeture à {alice.site}"]


def test_filters_by_dates_included(client, alice, trail):
    client.force_login(alice.admin)
    response = client.get(PAGE, {"date_from": "2026-03-10", "date_to": "2026-03-12"})
    assert [e.at.date() for e in response.context["page"]] == [
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 10),
    ]
    only_the_3rd = client.get(PAGE, {"date_from": "03/03/2026", "date_to": "03/03/2026"})
    assert [e.actor for e in only_the_3rd.context["page"]] == [alice.coordinator]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "31/02/2026"}, "date_from", "Saisissez une date valide"),
        ({"date_to": "9999-12-31"}, "date_to", "La date doit être comprise entre"),
        ({"date_from": "0001-01-01"}, "date_from", "La date doit être comprise entre"),
        (
            {"date_from": "2026-03-03", "date_to": "2026-03-01"},
            "date_to",
            "La date de fin doit être égale ou postérieure",
        ),
        ({"action": "site.painted"}, "action", "Choisissez une action de la liste."),
        ({"person": "999999999999999999999"}, "person", "Choisissez une personne de la liste."),
        ({"person": "abc"}, "person", "Choisissez une personne de la liste."),
    ],
)
def test_bad_filters_get_a_french_message_and_keep_what_was_typed(
    client, alice, trail, params, field, message
):
    client.force_login(alice.admin)
    response = client.get(PAGE, {**params, "code": "F-0"})
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    body = html.unescape(response.content.decode())
    assert message in body
    # What was typed stays in the form; the valid filter (the code) still applies.
    for value in params.values():
        assert f'value="{value}"' in body or value in body
    assert {e.target_repr for e in response.context["page"]} == {"F-0001"}


def test_person_filter_offers_only_people_of_the_trail(client, alice, bob, trail):
    client.force_login(alice.admin)
    form = client.get(PAGE).context["form"]
    offered = {value for value, _ in form.fields["person"].choices if value}
    assert offered == {alice.coordinator.pk, alice.professional.pk}
    # Bob's coordinator is in Bob's trail, not Alice's: naming them is refused.
    response = client.get(PAGE, {"person": bob.coordinator.pk})
    assert response.status_code == 400


def test_the_log_is_paginated_with_its_filters(client, alice, trail):
    for _ in range(55):
        audit_log(alice.coordinator, "site.update", alice.site)
    client.force_login(alice.admin)
    response = client.get(PAGE, {"action": "site.update"})
    assert len(response.context["page"]) == 50
    assert "action=site.update&amp;page=2" in response.content.decode()
    second = client.get(PAGE, {"action": "site.update", "page": 2})
    assert len(second.context["page"]) == 5


@pytest.mark.parametrize("role", ["coordinator", "professional"])
def test_only_admins_read_and_export_the_log(client, alice, role):
    client.force_login(getattr(alice, role))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_funders_never_reach_the_log(client, funder):
    client.force_login(funder)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_export_is_a_streamed_csv_in_french_with_the_filters(client, alice, trail):
    client.force_login(alice.admin)
    response = client.get(EXPORT, {"person": alice.coordinator.pk, "date_to": "2026-03-11"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Date et heure",
        "Organisation",
        "Personne",
        "Action",
        "Code de l'action",
        "Objet",
    ]
    assert rows[1:] == [
        [
            "03/03/2026 10:00:00",
            alice.organisation.name,
            alice.coordinator.get_full_name(),
            "a consulté le dossier de la famille F-0001",
            "household.view",
            "F-0001",
        ]
    ]


def test_the_export_is_itself_logged_without_the_code_typed(client, alice, trail):
    client.force_login(alice.admin)
    csv_rows(client.get(EXPORT, {"action": "household.view", "code": "F-00"}))
    entry = AuditEntry.objects.get(action="audit_log.export")
    assert entry.actor == alice.admin
    assert entry.organisation == alice.organisation
    assert entry.details["action_filter"] == "household.view"
    assert entry.details["by_family_code"] is True
    assert "F-00" not in str(entry.details)
    page = client.get(PAGE).content.decode()
    assert "a exporté le journal des accès" in page


def test_export_with_a_bad_filter_exports_and_logs_nothing(client, alice, trail):
    client.force_login(alice.admin)
    response = client.get(EXPORT, {"date_from": "demain"})
    assert response.status_code == 400
    assert not response.streaming
    assert "Saisissez une date valide" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_log.export").exists()


def test_export_holds_only_the_admins_organisations(client, alice, bob, trail):
    client.force_login(bob.admin)
    rows = csv_rows(client.get(EXPORT))
    assert {row[1] for row in rows[1:]} == {bob.organisation.name}
    assert all("F-0001" not in cell for row in rows for cell in row)


def test_a_typed_formula_is_exported_as_text(client, alice):
    alice.coordinator.first_name, alice.coordinator.last_name = "=HYPERLINK(1)", ""
    alice.coordinator.save()
    audit_log(alice.coordinator, "site.update", alice.site)
    client.force_login(alice.admin)
    rows = csv_rows(client.get(EXPORT))
    assert rows[-1][2] == "'=HYPERLINK(1)"


def test_platform_admin_reads_and_exports_every_organisation(client, alice, bob, trail):
    platform = UserFactory(email="plateforme@exemple.fr", is_superuser=True, is_staff=True)
    client.force_login(platform)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert {e.organisation for e in page.context["page"]} == {alice.organisation, bob.organisation}
    only_bob = csv_rows(client.get(EXPORT, {"organisation": bob.organisation.pk}))
    assert {row[1] for row in only_bob[1:]} == {bob.organisation.name}
    logged = AuditEntry.objects.get(action="audit_log.export")
    assert (logged.actor, logged.organisation) == (platform, bob.organisation)


def test_an_admin_of_one_organisation_cannot_pick_another(client, alice, bob, trail):
    client.force_login(alice.admin)
    form = client.get(PAGE).context["form"]
    assert "organisation" not in form.fields  # one organisation: nothing to choose
    response = client.get(EXPORT, {"organisation": bob.organisation.pk})
    # The field is not offered: the id is ignored, and only Alice's trail is exported.
    rows = csv_rows(response)
    assert {row[1] for row in rows[1:]} == {alice.organisation.name}
