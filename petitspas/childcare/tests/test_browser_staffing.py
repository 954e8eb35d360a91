"""On a 390×844 phone: Lunel's coordinator plans the team of a full Tuesday morning (7
children) on the week grid; the half-day stays flagged with the two professionals and the
flag goes when the EJE is added. Planning the EJE twice is refused in French."""

import datetime
import os

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.childcare import services_staffing
from petitspas.childcare.models import BookingKind, Qualification, StaffAssignment
from petitspas.childcare.services_itinerary import itinerary_repeat
from petitspas.childcare.tests.conftest import make_agency, open_like_lunel
from petitspas.childcare.tests.factories import enrol
from petitspas.childcare.tests.test_bookings import book
from petitspas.childcare.tests.test_browser_bookings import a_week_without_holidays
from petitspas.conftest import PHONE
from petitspas.organisations.models import PrescriberKind, ProgrammePrescriber, Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.places.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-staffing"


def test_coordinator_plans_the_team_and_the_flag_goes_with_the_eje(browser, live_server, bob):
    os.makedirs(SHOTS, exist_ok=True)
    open_like_lunel(bob.site)
    agency = make_agency(
        "France Travail – Agence de Lunel", PrescriberKind.FRANCE_TRAVAIL, "conseil@ft-lunel.fr"
    )
    ProgrammePrescriber.objects.create(programme=bob.programme, organisation=agency.organisation)
    team = {}
    for first_name, qualification in (
        ("Nadia", Qualification.AUXILIARY),
        ("Sarah", Qualification.AUXILIARY),
        ("Claire", Qualification.EJE),
    ):
        user = MembershipFactory(
            organisation=bob.organisation,
            role=Role.PROFESSIONAL,
            user__first_name=first_name,
            user__last_name="Lunel",
        ).user
        team[first_name] = services_staffing.staff_member_add(
            programme=bob.programme, person=user, qualification=qualification, by=bob.coordinator
        )
    today = timezone.localdate()
    monday = a_week_without_holidays(today)
    tuesday = monday + datetime.timedelta(days=1)
    born = today - relativedelta(months=14)
    for n, name in enumerate(["Lina", "Adam", "Jade", "Noé", "Sacha", "Lou", "Inès"]):
        enrolment = enrol(bob.programme, first_name=name, birth_date=born, starts_on=today)
        book(bob, enrolment, day=tuesday, kind=BookingKind.EMERGENCY if n == 6 else "regular")

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, bob.coordinator.email)
    page.goto(f"{live_server.url}/accueil-enfants/garde/")
    page.get_by_role("link", name="Accueil de loisirs du parc").click()
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("heading", name=f"Semaine du {monday.day}")).to_be_visible()
    block = page.locator(f'[data-staffing="{tuesday:%Y-%m-%d}-am"]')
    expect(block).to_contain_text("Encadrement insuffisant")
    expect(block).to_contain_text("0 adulte sur 3 requis pour 7 enfants")

    select = page.locator(f"#staff-{tuesday:%Y%m%d}-am")
    for name in ("Nadia", "Sarah"):
        select.select_option(label=f"{name} Lunel (auxiliaire / CAP AEPE)")
        block.get_by_role("button", name="Ajouter").click()
        expect(block.locator(".pp-staffing__people")).to_contain_text(f"{name} Lunel")
    expect(block).to_contain_text("2 adultes sur 3 requis pour 7 enfants (il en manque 1)")
    expect(block).to_contain_text("aucune EJE")
    # The focus is back on the select, ready for the next person.
    expect(select).to_be_focused()
    block.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/1-signalee-telephone.png")

    select.select_option(label="Claire Lunel (EJE)")
    block.get_by_role("button", name="Ajouter").click()
    expect(block).to_contain_text("Encadrement suffisant")
    expect(block).to_contain_text("3 adultes pour 7 enfants")
    expect(block.get_by_text("Encadrement insuffisant")).to_have_count(0)
    block.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/2-complete-telephone.png")

    # The EJE again on the same half-day: refused in French, nothing lost.
    select.select_option(label="Claire Lunel (EJE)")
    block.get_by_role("button", name="Ajouter").click()
    expect(block.get_by_role("alert")).to_contain_text(
        "une même personne ne peut pas être à deux endroits à la fois"
    )
    expect(block).to_contain_text("Encadrement suffisant")
    assert StaffAssignment.objects.filter(day=tuesday).count() == 3
    block.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/3-refus-telephone.png")

    # No sideways scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The list of flagged half-days is empty once the team is complete.
    page.goto(f"{live_server.url}/accueil-enfants/garde/encadrement/")
    expect(
        page.get_by_text("Toutes les demi-journées réservées de la période ont leur équipe.")
    ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/4-liste-telephone.png", full_page=True)

    # The team page, and the itinerant micro-crèche's grid with the place of each day.
    page.goto(f"{live_server.url}/accueil-enfants/garde/programmes/{bob.programme.pk}/equipe/")
    expect(page.get_by_text("Claire Lunel", exact=True)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/5-equipe-telephone.png", full_page=True)
    itinerant = SiteFactory(programme=bob.programme, name="Micro-crèche itinérante")
    open_like_lunel(itinerant)
    itinerary_repeat(
        site=itinerant,
        places_by_weekday={1: ("Salle Abrivado", "Place des Arènes, 34400 Lunel")},
        starts_on=monday,
        ends_on=monday + datetime.timedelta(days=6),
        by=bob.coordinator,
    )
    page.goto(
        f"{live_server.url}/accueil-enfants/garde/lieux/{itinerant.pk}/?semaine={monday:%Y-%m-%d}"
    )
    tuesday_slot = page.locator(f'[data-slot="{tuesday:%Y-%m-%d}-am"]')
    expect(tuesday_slot).to_contain_text("Lieu du jour : Salle Abrivado")
    tuesday_slot.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/6-itinerante-telephone.png")
    context.close()
