"""Reminders to parents the day before a booked half-day: e-mail in French, console SMS in
development, never twice, none for a cancelled booking, and the place of the day."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from petitspas.childcare import services_bookings
from petitspas.childcare.models import BookingReminder, Referral, State
from petitspas.childcare.reminders import ConsoleSmsChannel, EmailChannel, send_reminders
from petitspas.childcare.tests.test_bookings import TUESDAY, book, child
from petitspas.core.models import AuditEntry
from petitspas.places.models import SiteClosure, SiteRelocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(lunel):
    """Lina's Tuesday morning, booked on Monday; her mother Amina gave her e-mail."""
    enrolment = child(lunel, first_name="Lina")
    Referral.objects.filter(pk=enrolment.referral_id).update(contact_email="amina@exemple.fr")
    return book(lunel, enrolment)


def test_the_parent_is_reminded_the_day_before_in_french(lunel, booked):
    run = send_reminders(channels=[EmailChannel()])
    assert run.sent == 1
    [message] = mail.outbox
    assert message.to == ["amina@exemple.fr"]
    assert message.subject == "Rappel : accueil de Lina demain, mardi 11 mars 2025"
    assert "Bonjour Amina," in message.body
    assert "Nous accueillons Lina demain, mardi 11 mars 2025, le matin de 8h30 à 12h15." in (
        message.body
    )
    assert f"Lieu : Accueil de loisirs du parc, {lunel.site.address}" in message.body
    assert "L'équipe Les Petits Pas" in message.body
    reminder = BookingReminder.objects.get()
    assert reminder.booking == booked and reminder.channel == "email"
    assert AuditEntry.objects.filter(action="booking.remind", target_id=str(booked.pk)).exists()


def test_a_reminder_is_never_sent_twice(lunel, booked):
    send_reminders(channels=[EmailChannel()])
    again = send_reminders(channels=[EmailChannel()])
    assert (again.sent, again.already_sent) == (0, 1)
    assert len(mail.outbox) == 1
    assert BookingReminder.objects.count() == 1


def test_a_cancelled_booking_gets_no_reminder(lunel, booked):
    services_bookings.booking_cancel(booking=booked, by=lunel.coordinator)
    run = send_reminders(channels=[EmailChannel()])
    assert run.sent == 0 and mail.outbox == []


def test_an_ended_referral_gets_no_reminder(lunel, booked):
    Referral.objects.filter(pk=booked.enrolment.referral_id).update(state=State.ENDED)
    assert send_reminders(channels=[EmailChannel()]).sent == 0


def test_only_tomorrows_half_days_are_reminded(lunel, booked, travel):
    travel(TUESDAY)
    assert send_reminders(channels=[EmailChannel()]).sent == 0
    assert send_reminders(day=TUESDAY, channels=[EmailChannel()]).sent == 1


def test_a_parent_without_an_address_is_counted_then_reminded_once_it_is_given(lunel, booked):
    Referral.objects.filter(pk=booked.enrolment.referral_id).update(contact_email="")
    run = send_reminders(channels=[EmailChannel()])
    assert (run.sent, run.no_contact) == (0, 1)
    assert not BookingReminder.objects.exists()
    Referral.objects.filter(pk=booked.enrolment.referral_id).update(contact_email="a@exemple.fr")
    assert send_reminders(channels=[EmailChannel()]).sent == 1


def test_a_half_day_closed_since_the_booking_is_not_reminded(lunel, booked):
    SiteClosure.objects.create(
        site=lunel.site, starts_on=TUESDAY, ends_on=TUESDAY, reason="Dégât des eaux"
    )
    run = send_reminders(channels=[EmailChannel()])
    assert (run.sent, run.closed) == (0, 1)
    assert mail.outbox == []


def test_the_reminder_says_where_the_site_is_that_day(lunel, booked):
    SiteRelocation.objects.create(
        site=lunel.site,
        starts_on=TUESDAY,
        ends_on=TUESDAY,
        place_name="Salle Georges Brassens",
        address="12 avenue de Mauguio, 34400 Lunel",
    )
    send_reminders(channels=[EmailChannel()])
    assert "Lieu : Salle Georges Brassens, 12 avenue de Mauguio, 34400 Lunel" in mail.outbox[0].body


def test_the_console_sms_channel_writes_the_text_and_is_recorded_apart(lunel, booked):
    stream = io.StringIO()
    run = send_reminders(channels=[EmailChannel(), ConsoleSmsChannel(stream)])
    assert run.sent == 2
    assert stream.getvalue() == (
        "SMS à 06 12 34 56 78 : Les Petits Pas : Lina est attendu(e) demain mardi 11 mars "
        f"2025, le matin de 8h30 à 12h15, à Accueil de loisirs du parc, {lunel.site.address}. "
        "En cas d'empêchement, prévenez l'équipe.\n"
    )
    assert sorted(BookingReminder.objects.values_list("channel", flat=True)) == ["email", "sms"]


class BrokenGateway:
    name = "sms"

    def recipient(self, reminder):
        return reminder.phone

    def send(self, reminder):
        raise ConnectionError("passerelle injoignable")


def test_a_failed_sending_is_not_recorded_and_goes_next_time(lunel, booked):
    run = send_reminders(channels=[BrokenGateway()])
    assert (run.sent, run.failed) == (0, 1)
    assert not BookingReminder.objects.exists()
    assert not AuditEntry.objects.filter(action="booking.remind").exists()
    stream = io.StringIO()
    assert send_reminders(channels=[ConsoleSmsChannel(stream)]).sent == 1


def test_the_command_uses_the_settings_channels_and_reports(lunel, booked, settings):
    settings.CHILDCARE_REMINDER_CHANNELS = ["petitspas.childcare.reminders.EmailChannel"]
    out = io.StringIO()
    call_command("send_childcare_reminders", stdout=out)
    assert out.getvalue().startswith("Rappels envoyés : 1 ; déjà envoyés : 0")
    out = io.StringIO()
    call_command("send_childcare_reminders", "--jour", "2025-03-11", stdout=out)
    assert "Rappels envoyés : 0 ; déjà envoyés : 1" in out.getvalue()
    with pytest.raises(CommandError, match="Date illisible"):
        call_command("send_childcare_reminders", "--jour", "11/03/2025")


def test_the_command_fails_loudly_when_a_reminder_could_not_go(lunel, booked, settings):
    settings.CHILDCARE_REMINDER_CHANNELS = [f"{__name__}.BrokenGateway"]
    with pytest.raises(CommandError, match="n'ont pas pu partir"):
        call_command("send_childcare_reminders", stdout=io.StringIO())


def test_every_booked_child_of_a_full_half_day_is_reminded_once(lunel):
    enrolments = [child(lunel, n) for n in range(7)]
    for n, enrolment in enumerate(enrolments):
        Referral.objects.filter(pk=enrolment.referral_id).update(contact_email=f"p{n}@exemple.fr")
        book(lunel, enrolment, kind="emergency" if n == 6 else "regular")
    assert send_reminders(channels=[EmailChannel()]).sent == 7
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@exemple.fr" for n in range(7)]


def test_the_familys_export_holds_the_reminders_sent(lunel, booked):
    from petitspas.privacy.services import household_export

    send_reminders(channels=[EmailChannel()])
    household = booked.enrolment.referral.household
    export = household_export(household=household, by=lunel.admin)
    [referral] = export["referrals"]
    [reminder] = referral["enrolments"][0]["bookings"][0]["reminders"]
    assert reminder["channel"] == "email"
    assert reminder["place"] == f"Accueil de loisirs du parc, {lunel.site.address}"
