import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("organisations", "0001_initial")]
AFTER = [("organisations", "0002_membership_invitation_state")]


@pytest.mark.django_db(transaction=True)
def test_members_without_a_password_yet_are_marked_as_invited():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("organisations", "Organisation")
    Membership = apps.get_model("organisations", "Membership")
    organisation = Organisation.objects.create(name="Asmae", slug="asmae", kind="association")
    created = timezone.now().replace(microsecond=0)
    invited = Membership.objects.create(
        user=User.objects.create(email="invitee@exemple.fr", password="!unusable"),
        organisation=organisation,
        role="professional",
        created_at=created,
    )
    member = Membership.objects.create(
        user=User.objects.create(email="membre@exemple.fr", password="md5$salt$hash"),
        organisation=organisation,
        role="coordinator",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Membership = apps.get_model("organisations", "Membership")

    assert Membership.objects.get(pk=invited.pk).invited_at == created
    assert Membership.objects.get(pk=member.pk).invited_at is None
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
