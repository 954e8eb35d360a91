from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from petitspas.accounts.tests.factories import UserFactory
from petitspas.accounts.tests.mfa import enrolled_device
from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Membership


def reset_url(side, user):
    membership = Membership.objects.get(user=user, organisation=side.organisation)
    return reverse("organisations:member-mfa-reset", args=[side.organisation.pk, membership.pk])


def test_admin_resets_a_member_who_then_enrols_again(client, alice):
    enrolled_device(alice.coordinator)
    StaticDevice.objects.create(user=alice.coordinator, name="Codes de secours")
    member = Membership.objects.get(user=alice.coordinator)
    edit = reverse("organisations:member-edit", args=[alice.organisation.pk, member.pk])

    client.force_login(alice.admin)
    assert "Réinitialiser la double authentification" in client.get(edit).content.decode()
    response = client.post(reset_url(alice, alice.coordinator), follow=True)
    assert "est réinitialisée" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice.coordinator).exists()
    assert not StaticDevice.objects.filter(user=alice.coordinator).exists()
    entry = AuditEntry.objects.get(action="mfa.reset")
    assert entry.actor == alice.admin
    assert entry.organisation == alice.organisation
    assert entry.target_id == str(alice.coordinator.pk)

    # The coordinator's open session is no longer verified: enrolment comes first.
    client.force_login(alice.coordinator, verified=False)
    assert client.get("/familles/")["Location"].startswith(reverse("accounts:mfa-enrol"))


def test_platform_admin_resets_anyone(client, bob):
    enrolled_device(bob.admin)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(reset_url(bob, bob.admin)).status_code == 302
    assert not TOTPDevice.objects.filter(user=bob.admin).exists()


def test_nobody_else_resets(client, alice, bob):
    enrolled_device(alice.coordinator)
    url = reset_url(alice, alice.coordinator)
    for user in (bob.admin, alice.coordinator, alice.professional):
        client.force_login(user)
        assert client.post(url).status_code in (403, 404)
    client.force_login(alice.admin)
    assert client.get(url).status_code == 405
    assert TOTPDevice.objects.filter(user=alice.coordinator).exists()
    assert not AuditEntry.objects.filter(action="mfa.reset").exists()
