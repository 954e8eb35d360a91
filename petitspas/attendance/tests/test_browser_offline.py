"""The field sheet on a 390×844 phone, offline first: 15 families recorded in a handful of
taps with "Tous présents" and the live totals; a sheet opened with no network from what the
service worker kept, saved offline, sent when the connection comes back, counted once."""

import re
import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.models import ActivityType
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance, Submission
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.conftest import PHONE
from petitspas.families.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PARENTS = ["Awa", "Fatou", "Léa", "Mariam", "Sofia", "Nadia", "Amina", "Chloé", "Hawa", "Inès"]
PARENTS += ["Jade", "Salma", "Zoé", "Maya", "Rose"]


@pytest.fixture
def phone(browser, live_server):
    # The live server listens on 127.0.0.1, a secure context: service workers run there.
    context = browser.new_context(
        viewport=PHONE,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        service_workers="allow",
        base_url=live_server.url,
    )
    yield context
    context.close()


@pytest.fixture
def workshop(alice):
    """Today's reading workshop at Pantin, staffed by the professional, 15 families
    registered (a parent and a child of about 18 months each; the last three have a baby
    too)."""
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
        babies = ["Lou"] if n > 12 else []
        household = family(
            alice.organisation, f"F-{n:04d}", parent=parent, children=["Noa"], under_1=babies
        )
        RegistrationFactory(session=session, household=household)
    return session


class Taps:
    """Every click or tap of the journey goes through here, so that it is counted."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def row(page, code):
    return page.locator(".pp-family", has=page.locator(".pp-family__code", has_text=code))


def total(page, name):
    return page.locator(f'[data-total="{name}"]')


def sign_out(page):
    """On a phone, "Se déconnecter" is in the menu."""
    menu = page.locator("#menu-principal")
    if not menu.get_by_role("button", name="Se déconnecter").is_visible():
        page.get_by_role("button", name="Menu").click()
    menu.get_by_role("button", name="Se déconnecter").click()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"offline-{name}.png")


def test_fifteen_families_in_at_most_twenty_taps(phone, live_server, alice, workshop):
    page = phone.new_page()
    sign_in(page, live_server, alice.professional.email)
    tap = Taps()
    page.goto("/terrain/")
    started = time.monotonic()

    tap(page.get_by_role("link", name=re.compile("Atelier lecture")))
    expect(page.locator(".pp-family")).to_have_count(15)
    expect(page.locator("[data-pp-count]")).to_have_text("0 famille présente · 15 à pointer")
    tap(page.get_by_role("button", name="Tous présents"))

    # The totals follow the taps, before anything is saved.
    expect(page.locator("[data-pp-count]")).to_have_text("15 familles présentes")
    expect(total(page, "families")).to_have_text("15")
    expect(total(page, "adults")).to_have_text("15")
    expect(total(page, "children_under_1")).to_have_text("3")
    expect(total(page, "children_1_3")).to_have_text("15")
    expect(total(page, "children")).to_have_text("18")
    shot(page, "all-present")

    tap(row(page, "F-0004").locator("label", has_text="Absent"))
    tap(row(page, "F-0013").locator("label", has_text="Excusé"))
    expect(page.locator("[data-pp-count]")).to_have_text("13 familles présentes")
    expect(total(page, "families")).to_have_text("13")
    expect(total(page, "adults")).to_have_text("13")
    expect(total(page, "children_under_1")).to_have_text("2")
    expect(total(page, "children")).to_have_text("15")

    tap(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("status").filter(has_text="C'est enregistré")).to_be_visible()
    elapsed = time.monotonic() - started
    shot(page, "saved")

    assert tap.count <= 20, f"{tap.count} taps"
    assert elapsed < 60, f"recording took {elapsed:.1f} s"
    expect(total(page, "families")).to_have_text("13")
    statuses = dict(
        Attendance.objects.filter(session=workshop, person__role="parent").values_list(
            "household__code", "status"
        )
    )
    assert len(statuses) == 15
    assert statuses["F-0004"] == Attendance.Status.NO_SHOW
    assert statuses["F-0013"] == Attendance.Status.EXCUSED
    assert list(statuses.values()).count(Attendance.Status.PRESENT) == 13
    assert Submission.objects.filter(session=workshop).count() == 1


def test_a_sheet_kept_by_the_worker_opens_and_saves_offline(phone, live_server, alice, workshop):
    page = phone.new_page()
    sign_in(page, live_server, alice.professional.email)
    page.goto("/terrain/")
    # The worker kept "Aujourd'hui" and the sheet of today's session.
    status = page.locator("[data-pp-offline-list]")
    expect(status).to_have_attribute("data-pp-kept", "2", timeout=15000)
    expect(status).to_contain_text("Disponible sans connexion")
    shot(page, "today-kept")

    # What the server would now say differs from what was kept: the page shown offline
    # must be the kept one.
    ActivityType.objects.filter(pk=workshop.activity_type_id).update(name="Renommée")
    phone.set_offline(True)
    page.goto(f"/terrain/seances/{workshop.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier lecture")
    expect(page.locator(".pp-family")).to_have_count(15)

    page.get_by_role("button", name="Tous présents").click()
    row(page, "F-0002").locator("label", has_text="Absent").click()
    page.get_by_label("Ce que vous avez observé").fill("Séance sans réseau à la PMI.")
    page.get_by_role("button", name="Enregistrer").click()

    queue = page.locator("#pp-queue")
    expect(queue).to_contain_text("En attente de connexion — sera envoyé automatiquement")
    shot(page, "queued")
    assert Submission.objects.filter(session=workshop).count() == 0

    # A family file is never kept: the browser has nothing to show. A field page the
    # worker did not keep says there is no connection, in French.
    other = phone.new_page()
    household = Household.objects.get(code="F-0001")
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        other.goto(f"/familles/{household.pk}/")
    other.close()
    other = phone.new_page()
    other.goto("/terrain/a-saisir/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Pas de connexion")
    other.close()

    phone.set_offline(False)
    expect(queue).to_contain_text(
        "Envoyé : l'enregistrement fait sans connexion est arrivé", timeout=15000
    )
    expect(page.locator("#pp-result")).to_contain_text("C'est enregistré")
    shot(page, "sent")

    assert Submission.objects.filter(session=workshop).count() == 1
    present = Attendance.objects.filter(session=workshop, status=Attendance.Status.PRESENT)
    assert present.values("household").distinct().count() == 14
    # Opened again, online: nothing waits, nothing is sent twice.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Renommée")
    expect(queue).to_be_hidden()
    page.wait_for_timeout(500)
    assert Submission.objects.filter(session=workshop).count() == 1
    assert page.evaluate("window.PetitsPas.offline.count()") == 0


def test_signing_out_asks_before_deleting_a_waiting_save_then_deletes_everything(
    phone, live_server, alice, workshop
):
    page = phone.new_page()
    sign_in(page, live_server, alice.professional.email)
    page.goto("/terrain/")
    expect(page.locator("[data-pp-offline-list]")).to_have_attribute(
        "data-pp-kept", "2", timeout=15000
    )
    page.get_by_role("link", name=re.compile("Atelier lecture")).click()
    page.wait_for_load_state("load")  # the sheet's deferred script listens from then on
    page.get_by_role("button", name="Tous présents").click()
    # The save never reaches the server (a network that fails on the way there).
    record_url = re.compile(rf"/terrain/seances/{workshop.pk}/$")
    page.route(record_url, lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#pp-queue")).to_contain_text("En attente de connexion")
    # Another page says that a save waits (and the network still fails to send it).
    page.goto("/activites/ma-semaine/")
    expect(page.locator("#pp-queue-notice")).to_contain_text(
        "1 enregistrement en attente de connexion"
    )

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    sign_out(page)
    assert "n'ont pas encore été envoyées" in dialogs[0]
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma semaine")
    assert page.evaluate("window.PetitsPas.offline.count()") == 1

    sign_out(page)
    expect(page.locator("body[data-pp-signed-out]")).to_be_attached()
    assert len(dialogs) == 2
    stored = page.evaluate(
        "Object.keys(localStorage).filter(function (k) { return k.indexOf('petitspas:') === 0; })"
    )
    assert stored == []
    kept = page.evaluate(
        "caches.keys().then(function (names) { return names.filter(function (n) {"
        " return n.indexOf('petitspas-pages-') === 0; }); })"
    )
    assert kept == []
    assert Submission.objects.filter(session=workshop).count() == 0
