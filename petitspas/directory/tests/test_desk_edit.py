"""Correcting and deleting the desk's records: a visit of the log, an orientation and its
follow-up. Through the services (permission, audit, rules) and the pages (the form keeps
what was typed, deleting asks first)."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from petitspas.core.audit import ACTION_SENTENCES
from petitspas.core.models import AuditEntry
from petitspas.directory.desk import orientation_counts
from petitspas.directory.models import Orientation, Visit
from petitspas.directory.services_desk import (
    orientation_create,
    orientation_delete,
    orientation_update,
    visit_create,
    visit_delete,
    visit_update,
)
from petitspas.directory.tests import test_desk
from petitspas.families.tests.factories import HouseholdFactory

# The desk and two partners' services, as the desk's own tests build them.
desk = test_desk.desk
partner_service = test_desk.partner_service
lawyer_service = test_desk.lawyer_service

LAW = "Accès au droit"
PSY = "Accompagnement psychosocial"


@pytest.fixture
def visit(desk, alice, travel):
    today = travel(datetime.date(2026, 3, 3))
    return visit_create(
        by=alice.professional,
        desk=desk,
        day=today,
        themes=[LAW],
        orientation_given="Permanence d'avocats",
    )


def test_a_visit_is_corrected_named_then_anonymous_again(visit, alice, bob, travel):
    household = HouseholdFactory(organisation=alice.organisation)
    with pytest.raises(ValidationError, match="qu'avec son accord"):
        visit_update(
            by=alice.professional, visit=visit, day=visit.day, themes=[LAW], household=household
        )
    with pytest.raises(ValidationError, match="six thèmes"):
        visit_update(by=alice.professional, visit=visit, day=visit.day, themes=["Santé"])
    with pytest.raises(ValidationError, match="futur"):
        visit_update(
            by=alice.professional, visit=visit, day=datetime.date(2026, 3, 4), themes=[LAW]
        )
    with pytest.raises(ValidationError, match="pas suivie"):
        visit_update(
            by=alice.professional,
            visit=visit,
            day=visit.day,
            themes=[LAW],
            consent=True,
            household=HouseholdFactory(organisation=bob.organisation),
        )
    with pytest.raises(PermissionDenied):
        visit_update(by=bob.admin, visit=visit, day=visit.day, themes=[PSY])
    visit_update(
        by=alice.professional,
        visit=visit,
        day=datetime.date(2026, 3, 2),
        themes=[PSY, LAW, PSY],
        orientation_given="Maison des familles",
        note=" Demande d'écoute ",
        consent=True,
        household=household,
    )
    visit.refresh_from_db()
    assert (visit.day, visit.themes, visit.note) == (
        datetime.date(2026, 3, 2),
        [PSY, LAW],
        "Demande d'écoute",
    )
    assert visit.household == household and visit.consent
    visit_update(by=alice.coordinator, visit=visit, day=visit.day, themes=[PSY], consent=False)
    visit.refresh_from_db()
    assert visit.household is None and not visit.consent
    entries = list(AuditEntry.objects.filter(action="desk.visit_update").order_by("pk"))
    assert [e.details for e in entries] == [
        {"named": True, "was_named": False},
        {"named": False, "was_named": True},
    ]
    assert all(e.organisation == alice.organisation for e in entries)


def test_deleting_a_visit_keeps_its_orientations(visit, alice, bob, partner_service):
    orientation = orientation_create(by=alice.professional, service=partner_service, visit=visit)
    with pytest.raises(PermissionDenied):
        visit_delete(by=bob.admin, visit=visit)
    assert visit_delete(by=alice.professional, visit=visit) == 1
    assert not Visit.objects.exists()
    orientation.refresh_from_db()
    assert orientation.visit is None and orientation.desk_id == visit.desk_id
    entry = AuditEntry.objects.get(action="desk.visit_delete")
    assert entry.details == {"orientations_kept": 1}
    assert entry.target_repr == "passage du 03/03/2026"


def test_an_orientation_and_its_follow_up_are_corrected(
    partner_service,
    lawyer_service,
    visit,
    alice,
    bob,
    travel,
):
    orientation = orientation_create(by=alice.professional, service=partner_service, visit=visit)
    assert orientation.theme == PSY
    day = visit.day
    with pytest.raises(PermissionDenied):
        orientation_update(by=bob.admin, orientation=orientation, service=lawyer_service, day=day)
    with pytest.raises(ValidationError, match="date du suivi"):
        orientation_update(
            by=alice.professional,
            orientation=orientation,
            service=partner_service,
            day=day,
            outcome="yes",
        )
    with pytest.raises(ValidationError, match="précéder"):
        orientation_update(
            by=alice.professional,
            orientation=orientation,
            service=partner_service,
            day=day,
            outcome="no",
            outcome_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(ValidationError, match="oui, non ou en cours"):
        orientation_update(
            by=alice.professional,
            orientation=orientation,
            service=partner_service,
            day=day,
            outcome="peut-être",
        )
    orientation_update(
        by=alice.professional,
        orientation=orientation,
        service=lawyer_service,
        day=datetime.date(2026, 3, 2),
        note="Rendez-vous pris",
        outcome="yes",
        outcome_on=datetime.date(2026, 3, 3),
    )
    orientation.refresh_from_db()
    assert orientation.service == lawyer_service and orientation.theme == LAW
    assert (orientation.outcome, orientation.outcome_on) == ("yes", datetime.date(2026, 3, 3))
    counts = orientation_counts(organisation_ids=[alice.organisation.pk])
    assert [(r["partner"], r["theme"], r["yes"]) for r in counts] == [
        ("Permanence d'avocats", LAW, 1)
    ]
    # Back to "en cours": the date may go.
    orientation_update(
        by=alice.professional, orientation=orientation, service=lawyer_service, day=orientation.day
    )
    orientation.refresh_from_db()
    assert (orientation.outcome, orientation.outcome_on) == ("pending", None)
    assert AuditEntry.objects.filter(action="orientation.update").count() == 2

    with pytest.raises(PermissionDenied):
        orientation_delete(by=bob.admin, orientation=orientation)
    orientation_delete(by=alice.coordinator, orientation=orientation)
    assert not Orientation.objects.exists()
    assert orientation_counts(organisation_ids=[alice.organisation.pk]) == []
    assert Visit.objects.filter(pk=visit.pk).exists()
    entry = AuditEntry.objects.get(action="orientation.delete")
    assert entry.details == {"service": lawyer_service.pk}


def test_the_new_audit_actions_read_in_french():
    for code in (
        "desk.visit_update",
        "desk.visit_delete",
        "orientation.update",
        "orientation.delete",
    ):
        assert "{objet}" in ACTION_SENTENCES[code]


def test_correct_a_visit_from_the_log_keeps_what_was_typed(client, visit, alice, travel):
    client.force_login(alice.professional)
    log = client.get(reverse("directory:desk-visits", args=[visit.desk_id]))
    edit_url = reverse("directory:visit-edit", args=[visit.pk])
    assert edit_url in log.text
    assert reverse("directory:visit-delete", args=[visit.pk]) in log.text
    assert edit_url in client.get(reverse("directory:desk", args=[visit.desk_id])).text
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'value="Permanence d&#x27;avocats"' in page.text
    response = client.post(
        edit_url,
        {
            "day": "2026-03-03",
            "themes": [PSY],
            "orientation_given": "Maison des familles",
            "note": "Écoute",
            "family_code": "F-INCONNU",
        },
    )
    assert response.status_code == 200
    assert "qu&#x27;avec son accord" in response.text
    assert 'value="Maison des familles"' in response.text and "Écoute" in response.text
    response = client.post(
        edit_url,
        {"day": "2026-03-03", "themes": [PSY], "consent": "on", "family_code": "F-INCONNU"},
    )
    assert "Aucune famille ne porte ce code" in response.text
    household = HouseholdFactory(organisation=alice.organisation, created_by=alice.professional)
    response = client.post(
        edit_url,
        {"day": "2026-03-03", "themes": [PSY], "consent": "on", "family_code": household.code},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.household == household and visit.themes == [PSY]


def test_a_named_visit_the_agent_cannot_open_stays_named(client, visit, alice, travel):
    household = HouseholdFactory(organisation=alice.organisation)
    visit_update(
        by=alice.admin, visit=visit, day=visit.day, themes=[LAW], consent=True, household=household
    )
    other = alice.professional
    assert not household.__class__.objects.visible_to(other).filter(pk=household.pk).exists()
    client.force_login(other)
    edit_url = reverse("directory:visit-edit", args=[visit.pk])
    page = client.get(edit_url)
    assert household.code not in page.text
    assert "que vous ne suivez pas" in page.text
    client.post(edit_url, {"day": "2026-03-03", "themes": [PSY], "consent": "on"})
    visit.refresh_from_db()
    assert visit.household == household and visit.themes == [PSY]


def test_deleting_asks_first_and_works_without_javascript(
    client,
    visit,
    alice,
    partner_service,
    travel,
):
    orientation = orientation_create(by=alice.professional, service=partner_service, visit=visit)
    client.force_login(alice.professional)
    url = reverse("directory:orientation-delete", args=[orientation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Supprimer cette orientation ?" in page.text
    assert 'method="post"' in page.text
    assert Orientation.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("directory:orientations")
    assert not Orientation.objects.exists()
    url = reverse("directory:visit-delete", args=[visit.pk])
    assert "Supprimer ce passage ?" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not Visit.objects.exists()


def test_correct_an_orientation_page(
    client,
    partner_service,
    lawyer_service,
    visit,
    alice,
    travel,
):
    orientation = orientation_create(by=alice.professional, service=partner_service, visit=visit)
    client.force_login(alice.professional)
    url = reverse("directory:orientation-edit", args=[orientation.pk])
    listing = client.get(reverse("directory:orientations"))
    assert url in listing.text
    page = client.get(url, {"q": "juridique"})
    assert "Consultation juridique gratuite" in page.text
    response = client.post(
        url,
        {
            "q": "juridique",
            "service": lawyer_service.pk,
            "day": "2026-03-03",
            "note": "Rappeler la famille",
            "outcome": "no",
            "outcome_on": "",
        },
    )
    assert response.status_code == 200
    assert "Indiquez la date du suivi." in response.text
    assert "Rappeler la famille" in response.text
    checked = re.search(
        r'<input[^>]*value="(\d+)"[^>]*checked[^>]*name="service"|'
        r'<input[^>]*name="service"[^>]*value="(\d+)"[^>]*checked',
        response.text,
    )
    assert checked and str(lawyer_service.pk) in checked.groups()
    response = client.post(
        url,
        {
            "service": lawyer_service.pk,
            "day": "2026-03-03",
            "note": "Rappeler la famille",
            "outcome": "no",
            "outcome_on": "2026-03-03",
        },
    )
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.service == lawyer_service and orientation.outcome == "no"


def test_other_organisations_and_funders_reach_nothing(
    client, visit, bob, funder, partner_service, alice
):
    orientation = orientation_create(by=alice.professional, service=partner_service, visit=visit)
    urls = [
        reverse("directory:visit-edit", args=[visit.pk]),
        reverse("directory:visit-delete", args=[visit.pk]),
        reverse("directory:orientation-edit", args=[orientation.pk]),
        reverse("directory:orientation-delete", args=[orientation.pk]),
    ]
    for user in (bob.admin, funder):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404
    assert Visit.objects.exists() and Orientation.objects.exists()
