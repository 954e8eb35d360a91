"""Every programme can be tried: each demo account signs in with the README's password and
key, and each coordinator and professional finds their sessions on the day the demo is
loaded. The README's table is checked against the loader's accounts."""

import base64
import datetime
import io
import re
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape
from django_otp.oath import TOTP

from petitspas.accounts.mfa import mfa_required
from petitspas.accounts.models import User
from petitspas.activities.models import Session
from petitspas.attendance.models import Headcount
from petitspas.attendance.selectors import sessions_to_record, sessions_today
from petitspas.demo.consistency import rule_violations
from petitspas.demo.data import activities, childcare, territory
from petitspas.demo.loader import demo_totp_key
from petitspas.organisations.models import Membership, Role

# A Wednesday in term time: every programme but Lunel's childcare opens that afternoon.
TODAY = datetime.date(2026, 3, 11)
README = settings.BASE_DIR / "README.md"

# (coordinator, professional, the professional's programme, a site of today's session)
TEAMS = (
    (
        "coordination@suresnes.demo",
        "accueil@suresnes.demo",
        "La Clef d'Or / Maison des Familles",
        "La Clef d'Or",
    ),
    (
        "coordination@seinesaintdenis.demo",
        "pmi@seinesaintdenis.demo",
        "Cabanes des 1000 premiers jours",
        "Cabane des Lilas",
    ),
    (
        "coordination@paris.demo",
        "terrain@paris.demo",
        "Agir ensemble pour les enfants",
        "Kiosque des familles – micro-quartier du 14e",
    ),
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The command, once for the module; rolled back at its end."""
    out = io.StringIO()
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        call_command("load_demo", f"--today={TODAY}", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db, travel, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    travel(datetime.datetime(2026, 3, 11, 9, 0))
    return loaded


def readme_accounts() -> dict[str, tuple[str, str, str]]:
    """The README's table of demo accounts: e-mail -> (role, organisation, TOTP key)."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(".demo"):
            rows[cells[0]] = (cells[1], cells[2], cells[3].strip("`"))
    return rows


def loader_accounts() -> dict[str, tuple[str, str]]:
    return {
        spec.email: (spec.role_label, ", ".join(name for name, _ in spec.memberships) or "—")
        for spec in territory.ACCOUNTS + childcare.ACCOUNTS
    }


def test_the_readme_table_lists_every_demo_account_with_its_role_and_organisation():
    readme = readme_accounts()
    assert set(readme) == set(loader_accounts())
    for email, (role, organisations) in loader_accounts().items():
        assert readme[email][:2] == (role, organisations), email


def test_the_readme_gives_the_key_of_every_account_that_owes_a_second_factor(demo):
    readme = readme_accounts()
    for email in loader_accounts():
        user = User.objects.get(email=email)
        key = readme[email][2]
        if mfa_required(user):
            assert key == base64.b32encode(demo_totp_key(email)).decode(), email
            assert key in demo  # printed by the command too
        else:
            assert key == "", email


def test_every_programme_has_a_planner_and_a_professional_on_its_sessions(demo):
    for spec in territory.PROGRAMMES:
        roles = set(
            Membership.objects.filter(organisation__name=spec.organisation).values_list(
                "role", flat=True
            )
        )
        assert roles & {Role.ADMIN, Role.COORDINATOR}, spec.organisation
        if spec is territory.LES_PETITS_PAS:
            continue  # its childcare is not recorded in the field yet
        staffed = Session.objects.filter(
            activity_type__programme__name=spec.name,
            date__gte=TODAY,
            staff__memberships__role=Role.PROFESSIONAL,
        )
        assert staffed.exists(), spec.name


def test_the_demo_with_the_new_teams_breaks_no_rule_of_the_services(demo):
    assert rule_violations(today=TODAY) == []


def sign_in(client: Client, email: str) -> None:
    """Through the real forms: the README's password, then the code from its key."""
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": territory.DEMO_PASSWORD}
    )
    assert response.status_code == 302, email
    key = readme_accounts()[email][2]
    if key:
        # The password alone opens nothing: every page leads to the code step.
        assert client.get(reverse("web:home"))["Location"].startswith(
            reverse("accounts:mfa-verify")
        )
        code = f"{TOTP(base64.b32decode(key)).token():06d}"
        response = client.post(reverse("accounts:mfa-verify"), {"code": code})
        assert response.status_code == 302, email
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "Bonjour" in home.content.decode()


@pytest.mark.parametrize(("coordinator", "professional", "programme", "site"), TEAMS)
def test_the_professional_signs_in_and_records_today_s_session(
    demo, coordinator, professional, programme, site
):
    client = Client()
    sign_in(client, professional)
    page = client.get(reverse("attendance:today")).content.decode()
    assert escape(site) in page

    user = User.objects.get(email=professional)
    today = sessions_today(user=user).filter(is_staffed=True)
    assert today.exists()
    assert set(today.values_list("activity_type__programme__name", flat=True)) == {programme}
    session = today.filter(site__name=site).first()
    assert session.activity_type.is_anonymous
    response = client.post(
        reverse("attendance:session-record", kwargs={"session_pk": session.pk}),
        {"client_id": str(uuid.uuid4()), "adults": "5", "children_1_3": "3"},
    )
    assert response.status_code == 302
    saved = Headcount.objects.get(session=session)
    assert (saved.adults, saved.children_1_3, saved.recorded_by) == (5, 3, user)


@pytest.mark.parametrize(("coordinator", "professional", "programme", "site"), TEAMS)
def test_the_coordinator_signs_in_with_the_key_plans_and_sees_what_is_left_to_record(
    demo, coordinator, professional, programme, site
):
    client = Client()
    sign_in(client, coordinator)
    assert escape(site) in client.get(reverse("attendance:today")).content.decode()
    home = client.get(reverse("web:home")).content.decode()
    user = User.objects.get(email=coordinator)
    waiting = sessions_to_record(user=user)
    # The professional's last two sessions before today are waiting for their sheet.
    assert waiting.count() == 2
    assert set(waiting.values_list("staff__email", flat=True)) == {professional}
    assert "À saisir (2)" in home
    assert "Activités" in home
    programme_id = Session.objects.filter(activity_type__programme__name=programme).values_list(
        "activity_type__programme", flat=True
    )[0]
    month = client.get(reverse("activities:programme-month", kwargs={"programme_pk": programme_id}))
    assert month.status_code == 200


def test_each_professional_works_every_week_on_the_programme_s_opening_days(demo):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    for _, professional, programme, _ in TEAMS:
        mine = Session.objects.filter(staff__email=professional, status=Session.Status.PLANNED)
        week = mine.filter(date__range=(TODAY, TODAY + datetime.timedelta(days=7)))
        assert week.values("date").distinct().count() >= 4, professional
        assert not mine.exclude(activity_type__programme__name=programme).exists()
        assert mine.filter(date__range=(monday, monday + datetime.timedelta(days=6))).exists()


def test_cabanes_keep_two_half_days_a_week_per_site(demo):
    sessions = Session.objects.filter(
        activity_type__programme__name="Cabanes des 1000 premiers jours",
        date__range=(TODAY, TODAY + datetime.timedelta(days=6)),
    )
    by_site = {}
    for name, day, half_day in sessions.values_list("site__name", "date", "start_time"):
        by_site.setdefault(name, set()).add((day, half_day))
    assert {name: len(slots) for name, slots in by_site.items()} == {
        activities.CABANE_LILAS: 2,
        activities.CABANE_COURNEUVE: 2,
    }


def test_paris_professional_meets_families_in_the_four_micro_neighbourhoods(demo):
    sites = Session.objects.filter(staff__email="terrain@paris.demo").values_list(
        "site__postcode", flat=True
    )
    assert set(sites) == {"75012", "75014", "75018", "75019"}


def test_the_partner_signs_in_and_reaches_no_session_or_family(demo):
    client = Client()
    sign_in(client, "partenaire@centresocial-suresnes.demo")
    home = client.get(reverse("web:home")).content.decode()
    assert "Centre social de Suresnes" in home
    assert "Partenaire" in home
    assert not re.search(r"Aujourd(&#x27;|')hui</a>", home)
    partner = User.objects.get(email="partenaire@centresocial-suresnes.demo")
    assert not sessions_today(user=partner).exists()
    assert not Session.objects.filter(Q(staff=partner)).exists()


def test_the_departement_s_coordinator_copies_the_cabanes_to_saint_denis(demo):
    """Seed 003's replication, on the demo's own rows: the Cabanes to a PMI centre of the
    Ville de Saint-Denis, which she also coordinates; not one family row follows."""
    from django.apps import apps

    from petitspas.diagnosis.services_replication import (
        NewSite,
        SiteTarget,
        programme_copy,
        series_patterns,
    )
    from petitspas.organisations.models import Organisation, Programme
    from petitspas.places.models import Site
    from petitspas.privacy.services import FAMILY_DATA

    families = {label: apps.get_model(label).objects.count() for label in FAMILY_DATA}
    cabanes = Programme.objects.get(name="Cabanes des 1000 premiers jours")
    lilas = Site.objects.get(programme=cabanes, name="Cabane des Lilas")
    courneuve = Site.objects.get(programme=cabanes, name="Cabane de La Courneuve")
    copy = programme_copy(
        by=User.objects.get(email="coordination@seinesaintdenis.demo"),
        source=cabanes,
        organisation=Organisation.objects.get(name="Ville de Saint-Denis"),
        name="Cabane des 1000 premiers jours – Saint-Denis",
        activity_types=list(cabanes.activity_types.all()),
        series=series_patterns(cabanes),
        budget_year=TODAY.year,
        starts_on=datetime.date(2026, 3, 16),
        ends_on=datetime.date(2026, 6, 30),
        sites=[
            SiteTarget(
                source=lilas,
                new=NewSite(
                    name="Centre de PMI du Franc-Moisin",
                    kind=Site.Kind.PMI_CENTRE,
                    address="Rue Danielle-Casanova",
                    postcode="93200",
                    commune="Saint-Denis",
                ),
            ),
            SiteTarget(source=courneuve, join=lilas),
        ],
    )
    sessions = Session.objects.filter(activity_type__programme=copy)
    assert sessions.count() > 0
    assert not sessions.filter(date__lt=datetime.date(2026, 3, 16)).exists()
    assert {label: apps.get_model(label).objects.count() for label in FAMILY_DATA} == families
