import datetime
import io

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from petitspas.activities.tests.factories import ActivityTypeFactory
from petitspas.childcare import emails, services
from petitspas.childcare.models import Enrolment, Referral, State
from petitspas.childcare.permissions import reviews_referrals
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("childcare:referral-create")


def form_data(agency, lunel, **overrides):
    data = {
        "programme": lunel.programme.pk,
        "prescriber_organisation": agency.organisation.pk,
        "parent_first_name": "Amina",
        "contact_phone": "06 12 34 56 78",
        "contact_email": "",
        "pathway": "plie",
        "adviser_name": "Claire Vidal",
        "needed_from": "2025-03-17",
        "needs": "Mardis matin : atelier PLIE.",
        "comment": "",
        "enfants-TOTAL_FORMS": "3",
        "enfants-INITIAL_FORMS": "0",
        "enfants-MIN_NUM_FORMS": "0",
        "enfants-MAX_NUM_FORMS": "6",
        "enfants-0-first_name": "Lina",
        "enfants-0-birth_date": "2024-01-20",
        "enfants-1-first_name": "",
        "enfants-1-birth_date": "",
        "enfants-2-first_name": "",
        "enfants-2-birth_date": "",
    }
    data.update(overrides)
    return data


def test_the_prescriber_refers_from_the_form(client, agency, lunel):
    client.force_login(agency.prescriber)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert "Les Petits Pas" in page.content.decode()
    response = client.post(CREATE, form_data(agency, lunel))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "childcare:referral-detail", kwargs={"referral_pk": referral.pk}
    )
    assert referral.programme == lunel.programme
    assert referral.prescriber_organisation == agency.organisation
    assert [c.first_name for c in referral.children.all()] == ["Lina"]


def test_bad_input_keeps_everything_typed(client, agency, lunel):
    client.force_login(agency.prescriber)
    # A 2-month-old baby beside her sister, and no contact.
    response = client.post(
        CREATE,
        form_data(
            agency,
            lunel,
            contact_phone="",
            **{"enfants-1-first_name": "Bébé", "enfants-1-birth_date": "2025-01-17"},
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "L'orientation n'est pas envoyée" in body
    assert body.count("Bébé aura 2 mois le 17 mars 2025") == 1
    assert "Indiquez un téléphone ou une adresse électronique" in body
    for typed in ("Amina", "Claire Vidal", "Lina", "2024-01-20", "2025-01-17", "Mardis matin"):
        assert typed in body
    assert not Referral.objects.exists()


def test_a_referral_without_a_child_is_refused(client, agency, lunel):
    client.force_login(agency.prescriber)
    response = client.post(
        CREATE, form_data(agency, lunel, **{"enfants-0-first_name": "", "enfants-0-birth_date": ""})
    )
    body = response.content.decode()
    assert "Indiquez le prénom de l&#x27;enfant." in body
    assert "Indiquez la date de naissance de l&#x27;enfant." in body
    assert not Referral.objects.exists()


def test_a_child_without_birth_date_is_refused(client, agency, lunel):
    client.force_login(agency.prescriber)
    response = client.post(CREATE, form_data(agency, lunel, **{"enfants-0-birth_date": ""}))
    assert "Indiquez la date de naissance de l&#x27;enfant." in response.content.decode()
    assert not Referral.objects.exists()


def test_my_referrals_reads_their_outcomes_once_for_the_whole_list(client, agency, lunel):
    """ "Mes orientations" lists every referral with its outcome: the queries do not grow
    with the referrals listed."""

    def accepted(name):
        referral = ReferralFactory(
            programme=lunel.programme,
            prescriber_organisation=agency.organisation,
            parent_first_name=name,
        )
        services.referral_start_review(referral=referral, by=lunel.coordinator)
        services.referral_accept(
            referral=referral, starts_on=MONDAY, settling_in_until=MONDAY, by=lunel.coordinator
        )

    client.force_login(agency.prescriber)
    counted = []
    for names in (("Amina",), ("Fatou", "Inès", "Samira")):
        for name in names:
            accepted(name)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("childcare:my-referrals")).content.decode()
        assert all(name in page for name in names)
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert (
        Enrolment.objects.filter(referral__prescriber_organisation=agency.organisation).count() == 4
    )


def test_the_prescriber_sees_only_its_agencys_referrals(client, agency, plie, lunel):
    ours = ReferralFactory(
        programme=lunel.programme,
        prescriber_organisation=agency.organisation,
        parent_first_name="Amina",
    )
    theirs = ReferralFactory(
        programme=lunel.programme,
        prescriber_organisation=plie.organisation,
        parent_first_name="Yasmine",
    )
    client.force_login(agency.prescriber)
    page = client.get(reverse("childcare:my-referrals")).content.decode()
    assert "Amina" in page and "Yasmine" not in page
    detail = reverse("childcare:referral-detail", kwargs={"referral_pk": theirs.pk})
    assert client.get(detail).status_code == 404
    api = f"/api/childcare/referrals/{theirs.pk}"
    assert client.get(api).status_code == 404
    assert client.get(f"/api/childcare/referrals/{ours.pk}").status_code == 200
    # Deciding is the coordinator's: visible, not allowed.
    accept = reverse("childcare:referral-review", kwargs={"referral_pk": ours.pk})
    assert client.post(accept).status_code == 403


def test_the_prescriber_never_reaches_the_family_file(
    client, agency, lunel, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    services.referral_start_review(referral=referral, by=lunel.coordinator, note="Note interne")
    services.referral_accept(
        referral=referral, starts_on=MONDAY, settling_in_until=MONDAY, by=lunel.coordinator
    )
    referral.refresh_from_db()
    client.force_login(agency.prescriber)
    page = client.get(reverse("childcare:referral-detail", kwargs={"referral_pk": referral.pk}))
    body = page.content.decode()
    assert "Accepté / inscrit" in body
    assert "Note interne" not in body and referral.household.code not in body
    household = reverse("families:household-detail", kwargs={"household_pk": referral.household_id})
    assert client.get(household).status_code in (403, 404)
    assert client.get(reverse("families:household-list")).status_code == 403


def test_the_coordinators_inbox_shows_ages_waiting_times_and_the_flag(
    client, agency, lunel, travel
):
    ReferralFactory(
        programme=lunel.programme,
        prescriber_organisation=agency.organisation,
        parent_first_name="Amina",
        children=[("Lina", datetime.date(2024, 1, 10))],
    )
    travel(MONDAY + datetime.timedelta(days=31))
    client.force_login(lunel.coordinator)
    body = client.get(reverse("childcare:referral-inbox")).content.decode()
    assert "Lina, 10 janvier 2024 (1 an et 3 mois)" in body
    assert "Attend depuis 31 jours" in body
    assert "1 orientation sans décision depuis plus de 30 jours" in body
    nav = client.get(reverse("web:home")).content.decode()
    assert "Orientations" in nav


def test_the_menu_names_the_prescribers_page(client, agency):
    client.force_login(agency.prescriber)
    body = client.get(reverse("web:home")).content.decode()
    assert reverse("childcare:my-referrals") in body


def test_the_coordinator_accepts_from_the_page(
    client, agency, lunel, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    client.force_login(lunel.coordinator)
    kwargs = {"referral_pk": referral.pk}
    client.post(reverse("childcare:referral-review", kwargs=kwargs), {"under_review-note": ""})
    bad = client.post(
        reverse("childcare:referral-accept", kwargs=kwargs),
        {
            "accepted-starts_on": "2025-03-17",
            "accepted-settling_in_until": "2025-03-14",
            "accepted-reference_week": ["1am"],
        },
    )
    assert bad.status_code == 400
    assert escape(services.SETTLING_BEFORE_START) in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            reverse("childcare:referral-accept", kwargs=kwargs),
            {
                "accepted-starts_on": "2025-03-17",
                "accepted-settling_in_until": "2025-03-21",
                "accepted-reference_week": ["1am", "3pm"],
            },
        )
    assert good.status_code == 302
    assert Enrolment.objects.get().reference_week == ["1am", "3pm"]
    assert len(mail.outbox) == 1
    illegal = client.post(reverse("childcare:referral-review", kwargs=kwargs))
    assert illegal.status_code == 400
    assert "ne peut pas passer à l&#x27;état" in illegal.content.decode()


def test_signed_link_opens_the_referral_after_sign_in(client, agency, lunel):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    link = emails.referral_link(referral)
    response = client.get(link)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    client.force_login(agency.prescriber)
    response = client.get(link)
    assert response["Location"] == reverse(
        "childcare:referral-detail", kwargs={"referral_pk": referral.pk}
    )


def test_a_tampered_or_expired_link_is_refused_in_french(client, agency, lunel, travel):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    token = emails.make_link_token(referral)
    client.force_login(agency.prescriber)
    other = signing.dumps(referral.pk + 1, salt="autre")
    for bad in (token[:-2] + "xx", other):
        response = client.get(reverse("childcare:referral-link", kwargs={"token": bad}))
        assert response.status_code == 403
        assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    travel(MONDAY + datetime.timedelta(days=31))
    client.force_login(agency.prescriber)
    response = client.get(reverse("childcare:referral-link", kwargs={"token": token}))
    assert response.status_code == 403
    assert "Ce lien a expiré : il est valable 30 jours." in response.content.decode()


def test_a_link_forwarded_to_another_agency_opens_nothing(client, agency, plie, lunel):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    client.force_login(plie.prescriber)
    assert client.get(emails.referral_link(referral)).status_code == 404


def test_the_api_answers_the_state_and_shared_reason_only(client, agency, lunel):
    referral = ReferralFactory(
        programme=lunel.programme, prescriber_organisation=agency.organisation
    )
    services.referral_start_review(referral=referral, by=lunel.coordinator)
    services.referral_refuse(
        referral=referral, reason="out_of_area", reason_shared=False, by=lunel.coordinator
    )
    client.force_login(agency.prescriber)
    data = client.get(f"/api/childcare/referrals/{referral.pk}").json()
    assert (data["state"], data["state_label"], data["refusal_reason"]) == (
        "refused",
        "Refusée",
        "",
    )
    assert "contact_phone" not in data and data["children"] == []
    schema = client.get("/api/openapi.json").json()
    assert "/api/childcare/referrals/{referral_id}" in schema["paths"]


def test_the_weekly_digest(agency, plie, lunel):
    referral = ReferralFactory(
        programme=lunel.programme,
        prescriber_organisation=agency.organisation,
        parent_first_name="Amina",
    )
    call_command(
        "send_referral_digests", site_url="https://petitspas.example", stdout=io.StringIO()
    )
    [message] = mail.outbox
    assert message.to == ["conseil@ft-lunel.fr"]
    assert message.subject == "Vos orientations vers Les Petits Pas : point de la semaine"
    assert "- Amina, orientée le 10 mars 2025 vers Les Petits Pas : nouvelle" in message.body
    assert "https://petitspas.example/accueil-enfants/lien/" in message.body
    assert referral.state == State.NEW


def test_the_coordinator_invites_a_prescriber_from_the_programme_page(client, agency, lunel):
    client.force_login(lunel.coordinator)
    url = reverse("childcare:prescribers", kwargs={"programme_pk": lunel.programme.pk})
    page = client.get(url).content.decode()
    assert "France Travail – Agence de Lunel" in page and "conseil@ft-lunel.fr" in page
    bad = client.post(
        url,
        {
            "form": "inviter",
            "organisation": agency.organisation.pk,
            "email": "x",
            "first_name": "Lou",
            "last_name": "Ba",
        },
    )
    assert bad.status_code == 400 and "Lou" in bad.content.decode()
    response = client.post(
        url,
        {
            "form": "inviter",
            "organisation": agency.organisation.pk,
            "email": "new@ft.fr",
            "first_name": "Lou",
            "last_name": "Ba",
        },
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@ft.fr"]


def test_an_inbox_without_prescribers_says_how_to_link_one(client, alice):
    # A programme with an activity on referral, before any prescriber is linked.
    ActivityTypeFactory(programme=alice.programme, on_referral=True)
    client.force_login(alice.coordinator)
    body = client.get(reverse("childcare:referral-inbox")).content.decode()
    assert "n&#x27;oriente encore de famille" in body or "n'oriente encore de famille" in body
    assert reverse("childcare:prescribers", kwargs={"programme_pk": alice.programme.pk}) in body
    client.force_login(alice.professional)
    assert client.get(reverse("childcare:referral-inbox")).status_code == 403


def test_the_menu_shows_orientations_only_where_referrals_are_received(
    client, alice, lunel, agency
):
    inbox = reverse("childcare:referral-inbox")
    # Asmae runs no programme on referral: its admin and coordinator see no inbox.
    for user in (alice.admin, alice.coordinator):
        client.force_login(user)
        assert ">Orientations<" not in client.get(reverse("web:home")).content.decode()
        assert client.get(inbox).status_code == 403
    # Les Petits Pas has France Travail linked: its coordinator and admin do; its
    # professional does not.
    for user, shown in (
        (lunel.coordinator, True),
        (lunel.admin, True),
        (lunel.professional, False),
    ):
        client.force_login(user)
        assert (">Orientations<" in client.get(reverse("web:home")).content.decode()) is shown
    # An activity on referral, before any prescriber is linked, opens the inbox to link one.
    ActivityTypeFactory(programme=alice.programme, on_referral=True)
    client.force_login(alice.coordinator)
    assert ">Orientations<" in client.get(reverse("web:home")).content.decode()
    assert client.get(inbox).status_code == 200


def test_the_menu_reads_the_fact_once_after_the_memberships(client, lunel, agency):
    from petitspas.core.scoping import active_memberships, membership_fact

    with CaptureQueriesContext(connection) as queries:
        memberships = active_memberships(lunel.coordinator)
        assert reviews_referrals(lunel.coordinator)
        assert reviews_referrals(lunel.coordinator)
    assert len(queries) == 2
    assert [membership_fact(m, "receives_referrals") for m in memberships] == [True]
