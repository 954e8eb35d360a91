"""A professional records today's session on a 390×844 phone: 12 registered families and 3
walk-ins in well under a minute, an observation, the totals; a save whose answer is lost
on the way back is retried without counting twice; a colleague's save in between is never
overwritten unseen."""

import re
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance, Headcount, Observation, Submission
from petitspas.attendance.services import attendance_record
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.conftest import PHONE
from petitspas.families.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PARENTS = ["Awa", "Fatou", "Léa", "Mariam", "Sofia", "Nadia", "Amina", "Chloé", "Hawa", "Inès"]
PARENTS += ["Jade", "Salma"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


@pytest.fixture
def workshop(alice):
    """Today's reading workshop at Pantin, staffed by the professional, 12 families
    registered; a 13th family, Zoé's, comes without registering."""
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    session = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate(),
        staff=[alice.professional],
    )
    for n, parent in enumerate(PARENTS, start=1):
        household = family(alice.organisation, f"F-{n:04d}", parent=parent, children=["Noa"])
        RegistrationFactory(session=session, household=household)
    zoe = family(alice.organisation, "F-0100", parent="Zoé", children=["Lina"])
    # The professional met Zoé's family before: they created its file.
    Household.objects.filter(pk=zoe.pk).update(created_by=alice.professional)
    return session


def tick(page, label):
    """Tick a DSFR checkbox as a person does: by its visible box, which is the label."""
    box = page.get_by_label(label, exact=True)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def row(page, code):
    return page.locator(".pp-family", has=page.locator(".pp-family__code", has_text=code))


def mark(page, code, status="Présent"):
    row(page, code).locator("label", has_text=status).click()


def open_today_session(page, live_server, alice, name="Atelier lecture"):
    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/terrain/")
    page.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    # The heading shows once the page is parsed; htmx and the sheet's script, deferred, run
    # just after: typing before them would send no search.
    page.wait_for_load_state("load")


def test_professional_records_fifteen_families_on_a_phone(phone, live_server, alice, workshop):
    page = phone
    open_today_session(page, live_server, alice)
    expect(page.locator(".pp-family")).to_have_count(12)
    started = time.monotonic()

    for n in range(1, 13):
        mark(page, f"F-{n:04d}")
    expect(page.locator("[data-pp-count]")).to_have_text("12 familles présentes")

    # Walk-in 1: found by search, accents aside, one tap.
    page.get_by_label("Chercher par code ou prénom").fill("zoe")
    page.get_by_role("button", name=re.compile("F-0100")).click()
    expect(row(page, "F-0100").get_by_label("Présent")).to_be_checked()
    # Walk-ins 2 and 3: quick-created, one with the code the team gave.
    page.get_by_label("Prénom", exact=True).fill("Yanis")
    page.get_by_role("button", name="Créer et ajouter").click()
    expect(page.locator("#pp-quick-create")).to_contain_text("est ajoutée, présente.")
    expect(page.locator(".pp-family")).to_have_count(14)
    page.get_by_label("Prénom", exact=True).fill("Noé")
    page.get_by_label("Code famille (facultatif)").fill("F-0200")
    page.get_by_role("button", name="Créer et ajouter").click()
    expect(row(page, "F-0200").get_by_label("Présent")).to_be_checked()
    expect(page.locator("[data-pp-count]")).to_have_text("15 familles présentes")

    page.get_by_label("Ce que vous avez observé").fill(
        "Plusieurs parents parlent du sommeil des petits ; Yanis vient pour la première fois."
    )
    tick(page, "Sommeil")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    expect(page.locator('[data-total="families"]')).to_have_text("15")
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"recording took {elapsed:.1f} s"

    expect(page.locator('[data-total="adults"]')).to_have_text("15")
    expect(page.locator('[data-total="children_1_3"]')).to_have_text("13")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the sheet must not scroll sideways on a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # What the phone shows after the save; then the whole sheet, scrolled to the end so
    # that the sticky save bar is painted in its place, under the observation.
    page.screenshot(path=SCREENSHOTS / "field-session-phone.png")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=SCREENSHOTS / "field-session-phone-full.png", full_page=True)

    present = Attendance.objects.filter(session=workshop, status=Attendance.Status.PRESENT)
    assert present.values("household").distinct().count() == 15
    walk_ins = present.filter(is_walk_in=True).values_list("household__code", flat=True)
    assert {"F-0100", "F-0200"} < set(walk_ins)
    assert len(set(walk_ins)) == 3
    assert Household.objects.filter(people__first_name="Yanis").count() == 1
    assert Observation.objects.get(session=workshop).themes == ["sleep"]
    assert Submission.objects.filter(session=workshop, kind="record").count() == 1
    assert Submission.objects.filter(session=workshop, kind="walk_in").count() == 2


def test_a_family_met_by_a_colleague_joins_the_sheet_by_its_whole_code(
    phone, live_server, alice, workshop
):
    """Need-to-know: a family the professional never met is found only by its whole code,
    which it gives; once saved, the professional has met it."""
    colleagues = family(alice.organisation, "F-7KQ3M", parent="Ursule", children=["Léon"])
    page = phone
    open_today_session(page, live_server, alice)

    page.get_by_label("Chercher par code ou prénom").fill("Ursule")
    expect(page.locator(".pp-results")).to_have_count(0)
    page.get_by_label("Chercher par code ou prénom").fill("f-7kq3m")
    page.get_by_role("button", name=re.compile("F-7KQ3M")).click()
    expect(row(page, "F-7KQ3M").get_by_label("Présent")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    expect(row(page, "F-7KQ3M")).to_contain_text("Ursule")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "field-walk-in-by-code-phone.png", full_page=True)
    saved = Attendance.objects.filter(session=workshop, household=colleagues)
    assert set(saved.values_list("is_walk_in", flat=True)) == {True}
    assert Household.objects.visible_to(alice.professional).filter(pk=colleagues.pk).exists()


def test_a_save_whose_answer_is_lost_is_retried_without_counting_twice(
    phone, live_server, alice, workshop
):
    page = phone
    open_today_session(page, live_server, alice)
    for n in range(1, 5):
        mark(page, f"F-{n:04d}")
    page.get_by_label("Ce que vous avez observé").fill("Une maman très isolée.")
    client_id = page.locator("input[name='client_id']").input_value()

    def reach_the_server_then_lose_the_answer(route):
        route.fetch()
        route.abort("internetdisconnected")

    record_url = re.compile(rf"/terrain/seances/{workshop.pk}/$")
    page.route(record_url, reach_the_server_then_lose_the_answer)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("#pp-queue")).to_contain_text(
        "En attente de connexion — sera envoyé automatiquement"
    )
    expect(page.get_by_label("Ce que vous avez observé")).to_have_value("Une maman très isolée.")
    expect(row(page, "F-0004").get_by_label("Présent")).to_be_checked()
    expect(page.locator("input[name='client_id']")).to_have_value(client_id)
    assert Attendance.objects.filter(session=workshop).count() == 8

    page.unroute(record_url)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="déjà été reçu")).to_be_visible()
    expect(page.locator('[data-total="families"]')).to_have_text("4")
    assert page.locator("input[name='client_id']").input_value() != client_id
    assert Submission.objects.filter(session=workshop).count() == 1
    assert Attendance.objects.filter(session=workshop).count() == 8
    assert Observation.objects.filter(session=workshop).count() == 1


def test_a_draft_survives_a_reload(phone, live_server, alice, workshop):
    page = phone
    open_today_session(page, live_server, alice)
    mark(page, "F-0001")
    mark(page, "F-0002", "Excusé")
    page.get_by_label("Chercher par code ou prénom").fill("zoé")
    page.get_by_role("button", name=re.compile("F-0100")).click()
    page.get_by_label("Ce que vous avez observé").fill("Brouillon à ne pas perdre.")

    page.reload()

    expect(page.get_by_text("Votre saisie non enregistrée a été reprise")).to_be_visible()
    expect(page.get_by_label("Ce que vous avez observé")).to_have_value(
        "Brouillon à ne pas perdre."
    )
    expect(row(page, "F-0001").get_by_label("Présent")).to_be_checked()
    expect(row(page, "F-0002").get_by_label("Excusé")).to_be_checked()
    expect(row(page, "F-0100").get_by_label("Présent")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()
    # The totals add up as boxes are ticked: wait for the save itself.
    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    expect(page.locator('[data-total="families"]')).to_have_text("2")
    walk_in = Attendance.objects.filter(household__code="F-0100")
    assert set(walk_in.values_list("is_walk_in", flat=True)) == {True}

    page.reload()
    expect(page.get_by_text("Votre saisie non enregistrée a été reprise")).to_be_hidden()


def colleague_marks(session, alice, code, status):
    household = Household.objects.get(code=code)
    attendance_record(
        session=session, marks={household.pk: status}, client_id=uuid.uuid4(), by=alice.coordinator
    )


def test_a_draft_restored_after_a_colleague_s_save_warns_and_waits(
    phone, live_server, alice, workshop
):
    page = phone
    open_today_session(page, live_server, alice)
    mark(page, "F-0001")
    mark(page, "F-0002")
    # The phone loses its connection; meanwhile a colleague records two families.
    colleague_marks(workshop, alice, "F-0001", Attendance.Status.EXCUSED)
    colleague_marks(workshop, alice, "F-0003", Attendance.Status.NO_SHOW)

    page.reload()

    expect(page.get_by_role("alert")).to_contain_text(
        "Une collègue a enregistré cette feuille après votre brouillon : vérifiez les "
        "présences avant d'enregistrer."
    )
    expect(row(page, "F-0001").get_by_label("Présent")).to_be_checked()
    expect(row(page, "F-0001")).to_contain_text("Actuellement enregistré : Excusé")
    # A family the draft never marked keeps the colleague's mark, nothing to flag.
    expect(row(page, "F-0003").get_by_label("Absent")).to_be_checked()
    expect(page.locator("[data-pp-stored]")).to_have_count(1)
    assert Submission.objects.filter(session=workshop).count() == 2
    page.screenshot(path=SCREENSHOTS / "field-draft-conflict-phone.png", full_page=True)

    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    statuses = dict(
        Attendance.objects.filter(session=workshop).values_list("household__code", "status")
    )
    assert statuses == {"F-0001": "present", "F-0002": "present", "F-0003": "no_show"}


def test_a_save_after_a_colleague_s_is_refused_then_made_knowingly(
    phone, live_server, alice, workshop
):
    page = phone
    open_today_session(page, live_server, alice)
    colleague_marks(workshop, alice, "F-0001", Attendance.Status.EXCUSED)
    mark(page, "F-0001")
    page.get_by_label("Ce que vous avez observé").fill("Texte gardé.")

    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("alert").filter(has_text="Rien n'a été enregistré")).to_contain_text(
        "Une collègue a enregistré cette feuille pendant votre saisie"
    )
    expect(page.locator("#pp-offline")).to_be_hidden()
    expect(row(page, "F-0001")).to_contain_text("Actuellement enregistré : Excusé")
    expect(row(page, "F-0001").get_by_label("Présent")).to_be_checked()
    expect(page.get_by_label("Ce que vous avez observé")).to_have_value("Texte gardé.")
    assert not Observation.objects.filter(session=workshop).exists()

    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    assert Attendance.objects.get(household__code="F-0001", person__role="parent").status == (
        Attendance.Status.PRESENT
    )
    assert Observation.objects.filter(session=workshop).count() == 1


def test_anonymous_counters_never_go_below_zero(phone, live_server, alice):
    activity = ActivityTypeFactory(programme=alice.programme, name="Accueil LAEP", kind="laep")
    session = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate(),
        staff=[alice.professional],
    )
    page = phone
    open_today_session(page, live_server, alice, name="Accueil LAEP")

    for _ in range(3):
        page.get_by_role("button", name="Adultes : un de plus").click()
    page.get_by_role("button", name="Enfants de 1 à 3 ans : un de plus").click()
    page.get_by_role("button", name="Femmes enceintes : un de moins").click()
    expect(page.get_by_label("Femmes enceintes", exact=True)).to_have_value("0")
    # The totals follow the counters before anything is saved.
    expect(page.locator('[data-total="adults"]')).to_have_text("3")
    expect(page.locator('[data-total="children"]')).to_have_text("1")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    expect(page.locator('[data-total="adults"]')).to_have_text("3")
    headcount = Headcount.objects.get(session=session)
    assert (headcount.adults, headcount.children_1_3, headcount.pregnant_women) == (3, 1, 0)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=SCREENSHOTS / "field-headcount-phone.png", full_page=True)


def test_the_sheet_works_without_javascript(browser, live_server, alice, workshop):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", java_script_enabled=False
    )
    page = context.new_page()
    open_today_session(page, live_server, alice)
    mark(page, "F-0001")
    mark(page, "F-0002", "Absent")
    page.get_by_label("Chercher par code ou prénom").fill("zoe")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name=re.compile("F-0100")).click()
    expect(row(page, "F-0100").get_by_label("Présent")).to_be_checked()
    expect(row(page, "F-0001").get_by_label("Présent")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    expect(page.locator('[data-total="families"]')).to_have_text("2")
    assert Submission.objects.filter(session=workshop).count() == 1
    context.close()
