"""A family asks for a place at a public session "sur inscription" without an account; the
staff accept or decline it; the family is told by e-mail; old requests are erased."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import PlaceRequest, Registration
from petitspas.attendance.services_registrations import place_request_decide
from petitspas.attendance.tests.factories import family
from petitspas.core.models import AuditEntry
from petitspas.privacy.services import place_requests_purge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def still_clock(time_machine):
    """Rate-limit windows end with the clock: it stands still inside the test."""
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def session(alice):
    """A reading workshop in ten days, 7 places (seed 004's "7 places restantes")."""
    organisation = alice.organisation
    organisation.contact_phone = "01 48 45 12 00"
    organisation.contact_email = "accueil@asmae.example"
    organisation.save()
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    return SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate() + datetime.timedelta(days=10),
        capacity=7,
        staff=[alice.professional],
    )


def request_url(session):
    return reverse("agenda:session-place-request", args=[session.pk])


VALID = {
    "first_name": "Mariam",
    "phone": "06 12 34 56 78",
    "email": "mariam@example.org",
    "children": "2",
    "consent": "on",
}


def test_the_public_page_shows_the_contact_and_the_form(client, session):
    body = client.get(reverse("agenda:session", args=[session.pk])).content.decode()
    assert "7 places restantes" in body
    assert "01 48 45 12 00" in body and "accueil@asmae.example" in body
    assert "Demander une place" in body and 'name="consent"' in body
    assert "effacés 30 jours après la séance" in body


def test_an_open_session_has_no_request_form(client, alice):
    laep = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme, kind="laep"),
        site=alice.site,
        date=timezone.localdate() + datetime.timedelta(days=3),
    )
    body = client.get(reverse("agenda:session", args=[laep.pk])).content.decode()
    assert "Demander une place" not in body
    response = client.post(request_url(laep), VALID)
    assert response.status_code == 400
    assert not PlaceRequest.objects.exists()


def test_a_valid_request_is_saved_and_acknowledged(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(session), VALID)

    assert response.status_code == 302
    assert response["Location"].endswith("?demande=envoyee#demande")
    request = PlaceRequest.objects.get()
    assert (request.first_name, request.phone, request.children) == ("Mariam", "06 12 34 56 78", 2)
    assert request.status == PlaceRequest.Status.PENDING and request.consent_at is not None
    [message] = mail.outbox
    assert message.to == ["mariam@example.org"]
    assert "Atelier lecture" in message.subject
    assert "Bonjour Mariam" in message.body and "01 48 45 12 00" in message.body
    entry = AuditEntry.objects.get(action="place_request.create")
    assert entry.actor is None and "Mariam" not in str(entry.details) + entry.target_repr
    shown = client.get(response["Location"]).content.decode()
    assert "Votre demande est envoyée." in shown
    assert "Envoyer ma demande" not in shown  # not sent twice by mistake


def test_a_phone_alone_is_enough_and_sends_no_mail(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(session), VALID | {"email": ""})
    assert response.status_code == 302
    assert PlaceRequest.objects.get().email == ""
    assert mail.outbox == []


def test_a_request_without_contact_keeps_what_was_typed(client, session):
    response = client.post(request_url(session), VALID | {"phone": "", "email": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Indiquez un numéro de téléphone ou une adresse électronique" in body
    assert 'value="Mariam"' in body and 'value="2"' in body
    assert not PlaceRequest.objects.exists()


@pytest.mark.parametrize(
    ("children", "message"),
    [
        ("-1", "entre 0 et 12"),
        ("50", "entre 0 et 12"),
        ("deux", "en chiffres"),
        ("", "0 si vous venez sans enfant"),
    ],
)
def test_a_bad_number_of_children_is_refused(client, session, children, message):
    response = client.post(request_url(session), VALID | {"children": children})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlaceRequest.objects.exists()


def test_consent_and_a_valid_phone_are_required(client, session):
    data = {k: v for k, v in VALID.items() if k != "consent"} | {"phone": "12"}
    body = client.post(request_url(session), data).content.decode()
    assert "Cochez la case" in body and "Ce numéro de téléphone n&#x27;est pas valide" in body
    assert not PlaceRequest.objects.exists()


def test_a_robot_filling_the_hidden_field_is_dropped(client, session):
    response = client.post(request_url(session), VALID | {"website": "http://spam.example"})
    assert response.status_code == 302
    assert not PlaceRequest.objects.exists()


def test_requests_are_rate_limited_per_address(client, session, settings):
    settings.RATELIMIT_PLACE_REQUESTS = "2/h"
    for _ in range(2):
        assert (
            client.post(request_url(session), VALID, REMOTE_ADDR="203.0.113.9").status_code == 302
        )
    response = client.post(request_url(session), VALID, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert PlaceRequest.objects.count() == 2
    assert client.post(request_url(session), VALID, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_the_request_form_keeps_csrf(session):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(request_url(session), VALID).status_code == 403


def test_a_get_on_the_request_url_is_refused(client, session):
    assert client.get(request_url(session)).status_code == 405


# --- The staff's decision --------------------------------------------------------------------


def make_request(session, **values):
    return PlaceRequest.objects.create(
        session=session,
        first_name=values.get("first_name", "Mariam"),
        phone=values.get("phone", "0612345678"),
        email=values.get("email", "mariam@example.org"),
        children=values.get("children", 2),
        consent_at=timezone.now(),
    )


def test_accepting_creates_the_family_and_registers_it(
    alice, session, django_capture_on_commit_callbacks
):
    request = make_request(session)
    with django_capture_on_commit_callbacks(execute=True):
        place_request_decide(
            session=session, place_request_id=request.pk, accept=True, by=alice.professional
        )
    request.refresh_from_db()
    assert request.status == PlaceRequest.Status.ACCEPTED
    assert request.household.people.get().first_name == "Mariam"
    registration = Registration.objects.get(session=session)
    assert registration.household == request.household
    assert registration.status == Registration.Status.CONFIRMED
    [message] = mail.outbox
    assert "une place vous est réservée" in message.body
    assert AuditEntry.objects.filter(action="place_request.accept").exists()


def test_accepting_when_full_puts_the_family_on_the_waiting_list(
    alice, session, django_capture_on_commit_callbacks
):
    for n in range(7):
        Registration.objects.create(
            session=session, household=family(alice.organisation, f"PLEIN{n}")
        )
    request = make_request(session)
    with django_capture_on_commit_callbacks(execute=True):
        place_request_decide(
            session=session, place_request_id=request.pk, accept=True, by=alice.coordinator
        )
    request.refresh_from_db()
    assert Registration.objects.get(household=request.household_id).status == "waiting"
    assert "vous êtes sur la liste d'attente" in mail.outbox[0].body  # plain text


def test_accepting_with_a_whole_code_links_the_known_family(alice, session):
    known = family(alice.organisation, "CONNU")
    request = make_request(session)
    place_request_decide(
        session=session,
        place_request_id=request.pk,
        accept=True,
        code="connu",
        by=alice.professional,
    )
    request.refresh_from_db()
    assert request.household == known
    with pytest.raises(Exception, match="Aucune famille de l'organisation n'a ce code"):
        place_request_decide(
            session=session,
            place_request_id=make_request(session).pk,
            accept=True,
            code="CON",
            by=alice.professional,
        )


def test_declining_tells_the_family(alice, session, django_capture_on_commit_callbacks):
    request = make_request(session)
    with django_capture_on_commit_callbacks(execute=True):
        place_request_decide(
            session=session, place_request_id=request.pk, accept=False, by=alice.coordinator
        )
    request.refresh_from_db()
    assert request.status == PlaceRequest.Status.DECLINED and request.household is None
    assert "ne peut pas vous proposer de place" in mail.outbox[0].body
    assert not Registration.objects.exists()


def test_staff_decide_on_the_registrations_page(alice, session, client):
    request = make_request(session)
    client.force_login(alice.professional)
    url = reverse("attendance:session-registrations", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Demandes reçues par l'agenda (1)" in page and "0612345678" in page

    response = client.post(
        url, {"action": "request-accept", "place_request": request.pk, "code": ""}, follow=True
    )
    assert "La demande est acceptée" in response.content.decode()
    # A second answer to the same request finds it answered.
    again = client.post(url, {"action": "request-decline", "place_request": request.pk})
    assert "déjà été traitée" in again.content.decode()


def test_a_request_of_another_organisation_is_not_found(alice, bob, session, client):
    bob_session = SessionFactory(
        activity_type=ActivityTypeFactory(programme=bob.programme, on_registration=True),
        site=bob.site,
        date=session.date,
    )
    theirs = make_request(bob_session)
    client.force_login(alice.coordinator)
    url = reverse("attendance:session-registrations", args=[session.pk])
    response = client.post(url, {"action": "request-accept", "place_request": theirs.pk})
    assert "déjà été traitée" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == PlaceRequest.Status.PENDING


def test_the_programme_lists_pending_requests_to_its_staff(alice, bob, session, client):
    make_request(session, first_name="Mariam")
    url = reverse("attendance:place-requests", args=[alice.programme.pk])
    client.force_login(alice.professional)
    assert "Mariam" in client.get(url).content.decode()
    session.staff.clear()
    assert "Mariam" not in client.get(url).content.decode()
    client.force_login(alice.coordinator)
    assert "Mariam" in client.get(url).content.decode()
    client.force_login(bob.admin)
    assert client.get(url).status_code == 404


# --- Retention -----------------------------------------------------------------------------


def test_requests_are_erased_thirty_days_after_their_session(alice, session, travel):
    make_request(session)
    travel(session.date + datetime.timedelta(days=30))
    assert place_requests_purge() == 0
    travel(session.date + datetime.timedelta(days=31))
    call_command("anonymise_expired_families")
    assert not PlaceRequest.objects.exists()
    assert AuditEntry.objects.get(action="place_request.purge").details["erased"] == 1


# --- The organisation's contact ------------------------------------------------------------


def test_the_admin_edits_the_public_contact(alice, client):
    url = reverse("organisations:organisation-contact", args=[alice.organisation.pk])
    client.force_login(alice.admin)
    bad = client.post(url, {"contact_email": "pas-une-adresse", "contact_phone": "01 48 45 12 00"})
    assert "adresse électronique n&#x27;est pas valide" in bad.content.decode()
    assert 'value="01 48 45 12 00"' in bad.content.decode()

    response = client.post(
        url, {"contact_email": "accueil@asmae.example", "contact_phone": " 01  48 45 12 00 "}
    )
    assert response.status_code == 302
    alice.organisation.refresh_from_db()
    assert alice.organisation.contact_phone == "01 48 45 12 00"
    entry = AuditEntry.objects.get(action="organisation.update_contact")
    assert entry.details == {"changed": ["contact_email", "contact_phone"]}
    client.force_login(alice.coordinator)
    assert client.get(url).status_code == 403
