"""The coordinator (at a computer) corrects then deletes an action of a meeting's minutes,
and cancels an information session with a reason; the person registered gets the
cancellation with its .ics, and the partner, on a 390×844 phone, finds the session marked
"annulée" with no registration form left."""

import datetime
import os
from pathlib import Path

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.directory.models import Meeting, MeetingItem, Participant
from petitspas.directory.tests import test_browser_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "/tmp/shots-deskedit"))
DESKTOP = {"width": 1280, "height": 900}

network = test_browser_network.network


def test_coordinator_corrects_the_minutes_and_cancels_a_session(
    browser, live_server, alice, network
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    partner, past, session = network
    structure = past.participants.get().structure
    MeetingItem.objects.create(
        meeting=past,
        kind=MeetingItem.Kind.ACTION,
        text="Relire les fiches du guide",
        owner=structure,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    MeetingItem.objects.create(
        meeting=past, kind=MeetingItem.Kind.DECISION, text="Prochaine réunion en juin"
    )
    Participant.objects.create(
        meeting=session,
        structure=structure,
        person_name="Nadia B.",
        email="nadia@example.fr",
        registered=True,
    )
    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR", timezone_id="Europe/Paris")
    page = desk.new_page()
    sign_in(page, live_server, alice.coordinator.email)

    # The minutes: an action corrected (bad input first), a decision deleted.
    page.goto(f"{live_server.url}/annuaire/reseau/reunions/{past.pk}/compte-rendu/")
    page.get_by_role("link", name="Corriger : Relire les fiches du guide").click()
    page.get_by_label("Décision ou action").fill("Relire les fiches 1 à 20 du guide")
    page.get_by_label("Échéance").fill("")
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.get_by_text("Une action a une échéance.")).to_be_visible()
    expect(page.get_by_label("Décision ou action")).to_have_value(
        "Relire les fiches 1 à 20 du guide"
    )
    page.screenshot(path=SCREENSHOTS / "6-item-error.png", full_page=True)
    page.get_by_label("Échéance").fill("2030-06-30")
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.get_by_role("status").first).to_contain_text("Action corrigée.")
    page.get_by_role("link", name="Supprimer : Prochaine réunion en juin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer cette décision ?")
    page.screenshot(path=SCREENSHOTS / "6-item-delete.png", full_page=True)
    page.get_by_role("button", name="Supprimer la décision").click()
    expect(page.get_by_role("status").first).to_contain_text("Décision supprimée")
    assert list(MeetingItem.objects.values_list("text", "due_on")) == [
        ("Relire les fiches 1 à 20 du guide", datetime.date(2030, 6, 30))
    ]

    # The session cancelled: a reason is required, then the person registered is told.
    page.goto(f"{live_server.url}/annuaire/reseau/reunions/{session.pk}/")
    page.get_by_role("link", name="Annuler la réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler la réunion ?")
    page.get_by_role("button", name="Annuler la réunion et prévenir").click()
    expect(page.get_by_text("Indiquez le motif")).to_have_count(1)
    page.get_by_label("Motif de l'annulation").fill("L'intervenante est malade ; report en juin.")
    page.screenshot(path=SCREENSHOTS / "7-cancel.png", full_page=True)
    page.get_by_role("button", name="Annuler la réunion et prévenir").click()
    expect(page.get_by_role("status").first).to_contain_text("La réunion est annulée.")
    expect(page.get_by_text("Motif : L'intervenante est malade")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "7-cancelled.png", full_page=True)
    desk.close()
    assert Meeting.objects.get(pk=session.pk).cancelled
    to_nadia = next(m for m in mail.outbox if "nadia@example.fr" in m.to)
    calendar = icalendar.Calendar.from_ical(to_nadia.attachments[0][1])
    assert calendar["METHOD"] == "CANCEL"

    phone = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = phone.new_page()
    sign_in(page, live_server, partner.email)
    page.goto(f"{live_server.url}/annuaire/mes-reunions/")
    expect(page.get_by_role("listitem").filter(has_text="Les écrans")).to_contain_text("Annulée")
    page.get_by_role("link", name="Les écrans et les tout-petits").click()
    expect(page.get_by_role("heading", name="Réunion annulée")).to_be_visible()
    expect(page.get_by_role("button", name="Inscrire")).to_have_count(0)
    expect(page.get_by_role("button", name="Annuler l'inscription")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "7-partner-cancelled-phone.png", full_page=True)
    phone.close()
