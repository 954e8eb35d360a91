"""Site pages: create and edit a site with its week, read its calendar, add closures and
temporary moves, pick a commune. Figures from seed 001 (Ville de Lunel, Les Petits Pas):
open 8h30-12h15 and 13h30-17h, closed every Friday afternoon; "école maternelle
Arc-en-Ciel", 149 rue des 4 Vents, Lunel (INSEE 34145, postcode 34400), hosts the
Wednesdays and the school holidays."""

import re
from datetime import date, time

import pytest
from django.urls import reverse
from django.utils.html import escape

from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, ProgrammeFactory
from petitspas.places.models import (
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    WeeklyOpening,
)
from petitspas.places.services import NEVER_OPEN
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory

ALWAYS = SchoolHolidayRule.ALWAYS
TERM = SchoolHolidayRule.TERM_ONLY
HOLIDAYS = SchoolHolidayRule.HOLIDAYS_ONLY
MORNING = ("08:30", "12:15")
AFTERNOON = ("13:30", "17:00")
# Arc-en-Ciel: Wednesdays all year, the other weekdays in the school holidays only, and
# never on Friday afternoon (seed 001).
ARC_EN_CIEL_WEEK = {
    "0am": (*MORNING, HOLIDAYS),
    "0pm": (*AFTERNOON, HOLIDAYS),
    "1am": (*MORNING, HOLIDAYS),
    "1pm": (*AFTERNOON, HOLIDAYS),
    "2am": (*MORNING, ALWAYS),
    "2pm": (*AFTERNOON, ALWAYS),
    "3am": (*MORNING, HOLIDAYS),
    "3pm": (*AFTERNOON, HOLIDAYS),
    "4am": (*MORNING, HOLIDAYS),
}
# A Monday in term time, four weeks before zone C's spring holidays (12-27 April 2025).
MONDAY_10_MARCH_2025 = date(2025, 3, 10)


@pytest.fixture
def on_10_march_2025(travel):
    """The pages and services read today's date through django.utils.timezone."""
    return travel(MONDAY_10_MARCH_2025)


def week_data(week):
    """What the browser sends for the weekly table: every half-day's hours and rule, and
    ``<slot>_open`` for the ticked ones only."""
    data = {}
    for weekday in range(7):
        for half_day, (opens, closes) in (("am", ("09:00", "12:00")), ("pm", ("14:00", "17:00"))):
            key = f"{weekday}{half_day}"
            data.update(
                {f"{key}_opens": opens, f"{key}_closes": closes, f"{key}_rule": ALWAYS.value}
            )
    for key, (opens, closes, rule) in week.items():
        data.update(
            {
                f"{key}_open": "on",
                f"{key}_opens": opens,
                f"{key}_closes": closes,
                f"{key}_rule": rule,
            }
        )
    return data


def site_data(programme, *, week=None, **overrides):
    return {
        "programme": programme.pk,
        "name": "École maternelle Arc-en-Ciel",
        "kind": Site.Kind.SCHOOL.value,
        "address": "149 rue des 4 Vents",
        "postcode": "34400",
        "commune": "Lunel — 34145",
        "latitude": "",
        "longitude": "",
        "access_notes": "",
        **week_data(ARC_EN_CIEL_WEEK if week is None else week),
        **overrides,
    }


def lunel_site(programme, name="École maternelle Arc-en-Ciel", week=ARC_EN_CIEL_WEEK):
    site = SiteFactory(programme=programme, name=name, lunel=True, address="149 rue des 4 Vents")
    for key, (opens, closes, rule) in week.items():
        WeeklyOpeningFactory(
            site=site,
            weekday=int(key[0]),
            half_day=key[1:],
            opens_at=time.fromisoformat(opens),
            closes_at=time.fromisoformat(closes),
            school_holidays=rule,
        )
    return site


def day_html(response, day: date) -> str:
    """The calendar cell of ``day``, tags removed."""
    content = response.content.decode()
    match = re.search(rf'data-date="{day:%Y-%m-%d}">(.*?)</div>', content, re.S)
    assert match, f"no calendar cell for {day}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def weekly_rows(site):
    return sorted(
        (
            row.weekday,
            row.half_day,
            f"{row.opens_at:%H:%M}",
            f"{row.closes_at:%H:%M}",
            row.school_holidays,
        )
        for row in site.weekly_openings.all()
    )


def expected_rows(week):
    return sorted(
        (int(key[0]), key[1:], opens, closes, rule) for key, (opens, closes, rule) in week.items()
    )


def counts():
    return Site.objects.count(), WeeklyOpening.objects.count(), AuditEntry.objects.count()


# --- Creating a site ------------------------------------------------------------------------


def test_coordinator_creates_arc_en_ciel_with_its_week(client, bob, on_10_march_2025):
    client.force_login(bob.coordinator)

    response = client.post(reverse("places:site-create"), site_data(bob.programme))

    site = Site.objects.get(name="École maternelle Arc-en-Ciel")
    assert response.status_code == 302
    assert response["Location"] == reverse("places:site-detail", args=[site.pk])
    assert (site.programme, site.commune_code, site.town, site.departement, site.postcode) == (
        bob.programme,
        "34145",
        "Lunel",
        "34",
        "34400",
    )
    assert weekly_rows(site) == expected_rows(ARC_EN_CIEL_WEEK)
    entry = AuditEntry.objects.get(action="site.create")
    assert (entry.actor, entry.organisation, entry.target_id) == (
        bob.coordinator,
        bob.organisation,
        str(site.pk),
    )


def test_new_site_page_shows_zone_c_and_eight_weeks_of_calendar(client, bob, on_10_march_2025):
    client.force_login(bob.coordinator)

    response = client.post(reverse("places:site-create"), site_data(bob.programme), follow=True)

    content = response.content.decode()
    assert "Le lieu « École maternelle Arc-en-Ciel » est créé." in content
    assert "Vacances scolaires : zone C" in content
    assert content.count('class="pp-calendar"') == 8
    assert content.count("data-date=") == 56
    wednesday = day_html(response, date(2025, 3, 12))
    assert "Matin : 08h30–12h15" in wednesday
    assert "Après-midi : 13h30–17h00" in wednesday


def test_calendar_follows_school_holidays_public_holidays_and_friday_afternoons(
    client, bob, on_10_march_2025
):
    site = lunel_site(bob.programme)
    client.force_login(bob.professional)

    response = client.get(reverse("places:site-detail", args=[site.pk]))

    assert response.status_code == 200
    assert "Hors vacances scolaires : fermé" in day_html(response, date(2025, 3, 10))
    # Zone C's spring holidays: the other weekdays open, but never on Friday afternoon.
    assert "Matin : 08h30–12h15" in day_html(response, date(2025, 4, 14))
    friday = day_html(response, date(2025, 4, 18))
    assert "Matin : 08h30–12h15" in friday
    assert "Après-midi" not in friday
    assert "Jour férié : Lundi de Pâques" in day_html(response, date(2025, 4, 21))
    assert "Vendredi matin : 08h30 – 12h15 (pendant les vacances scolaires seulement)" in (
        response.content.decode()
    )
    assert "pp-day--today" in response.content.decode()


# --- Bad input ------------------------------------------------------------------------------

BAD_INPUT = {
    "unknown_insee_code": (
        {"commune": "99999"},
        "« 99999 » n'est pas un code INSEE de commune connu : choisissez la commune dans la "
        "liste proposée ou saisissez son code à 5 caractères.",
    ),
    "postcode_of_another_commune": (
        {"commune": "Suresnes — 92073"},
        "Le code postal 34400 ne correspond pas à Suresnes (codes postaux : 92150).",
    ),
    "postcode_not_five_digits": ({"postcode": "344"}, "Le code postal doit comporter 5 chiffres."),
    "closing_before_opening": (
        {"2am_opens": "12:15", "2am_closes": "08:30"},
        "Le mercredi matin, l'heure de fermeture (08:30) doit être après l'heure "
        "d'ouverture (12:15).",
    ),
    "morning_overlapping_afternoon": (
        {"2pm_opens": "12:00"},
        "Le mercredi, les horaires du matin (08:30-12:15) et de l'après-midi (12:00-17:00) "
        "se chevauchent.",
    ),
    "ticked_without_hours": (
        {"2am_opens": ""},
        "Indiquez les heures d'ouverture le mercredi matin.",
    ),
    "hour_not_a_time": ({"2am_closes": "25:00"}, "Heure invalide (HH:MM)."),
    "empty_name": ({"name": ""}, "Donnez un nom au lieu."),
}


@pytest.mark.parametrize("overrides, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_explained_and_nothing_is_saved(client, bob, overrides, message):
    client.force_login(bob.coordinator)
    before = counts()
    data = site_data(bob.programme, **overrides)

    response = client.post(reverse("places:site-create"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Le lieu n'est pas enregistré" in content
    assert escape(message) in content
    assert counts() == before
    # What was typed comes back, for the person to correct it.
    for field in ("name", "postcode", "commune", "2am_opens", "2am_closes", "2pm_opens"):
        assert f'name="{field}"' in content
        assert f'value="{escape(data[field])}"' in content or not data[field]
    assert re.search(r'<input type="checkbox" name="2am_open"[^>]* checked', content)
    assert not re.search(r'<input type="checkbox" name="5am_open"[^>]* checked', content)


def test_mistakes_in_the_site_and_in_the_week_are_shown_together(client, bob):
    client.force_login(bob.coordinator)
    data = site_data(bob.programme, postcode="344", **{"2pm_opens": "12:00"})

    response = client.post(reverse("places:site-create"), data)

    content = response.content.decode()
    assert "Le code postal doit comporter 5 chiffres." in content
    assert "se chevauchent." in content
    assert not Site.objects.filter(town="Lunel").exists()


def test_a_site_with_no_half_day_ticked_is_refused(client, bob):
    client.force_login(bob.coordinator)
    before = counts()

    response = client.post(reverse("places:site-create"), site_data(bob.programme, week={}))

    assert response.status_code == 200
    assert "Cochez au moins une demi-journée d&#x27;ouverture." in response.content.decode()
    assert counts() == before


def test_site_name_is_unique_in_its_programme_whatever_the_case(client, bob):
    client.force_login(bob.coordinator)
    before = counts()
    data = site_data(bob.programme, name="accueil de loisirs du parc")

    response = client.post(reverse("places:site-create"), data)

    assert response.status_code == 200
    assert "Un lieu porte déjà ce nom dans ce programme." in response.content.decode()
    assert counts() == before


def test_same_site_name_is_allowed_in_another_programme(client, alice, bob, on_10_march_2025):
    client.force_login(alice.coordinator)

    response = client.post(
        reverse("places:site-create"), site_data(alice.programme, name="Accueil de loisirs du parc")
    )

    assert response.status_code == 302
    assert Site.objects.filter(name__iexact="accueil de loisirs du parc").count() == 2


def test_week_that_existing_closures_leave_never_open_is_refused(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    # Written directly: the closure service itself refuses it (see test_services).
    SiteClosure.objects.create(
        site=site, starts_on=date(2025, 3, 1), ends_on=date(2026, 4, 30), reason="Travaux"
    )
    client.force_login(bob.coordinator)
    data = site_data(bob.programme, week={"0am": (*MORNING, TERM)})

    response = client.post(reverse("places:site-edit", args=[site.pk]), data)

    assert response.status_code == 200
    assert escape(NEVER_OPEN) in response.content.decode()
    assert weekly_rows(site) == expected_rows(ARC_EN_CIEL_WEEK)
    assert not AuditEntry.objects.filter(action="site.update").exists()


@pytest.mark.parametrize(
    "today",
    [date(2025, 3, 10), date(2025, 3, 11)],
    ids=["saved_on_a_monday", "saved_on_a_tuesday"],
)
def test_school_holiday_rule_is_refused_where_the_zone_is_unknown(client, bob, travel, today):
    travel(today)
    client.force_login(bob.coordinator)
    before = counts()
    data = site_data(
        bob.programme,
        commune="Ajaccio — 2A004",
        postcode="20000",
        week={"0am": (*MORNING, TERM), "2am": (*MORNING, ALWAYS)},
    )

    response = client.post(reverse("places:site-create"), data)

    assert response.status_code == 200
    assert "choisissez « en période scolaire et pendant les vacances »" in (
        response.content.decode()
    )
    assert counts() == before


# --- Who may do what ------------------------------------------------------------------------


def planning_urls(site):
    return [
        reverse("places:site-create"),
        reverse("places:site-edit", args=[site.pk]),
        reverse("places:site-closures", args=[site.pk]),
    ]


@pytest.mark.parametrize("member", ["professional", "funder"])
def test_professional_and_funder_may_not_plan_sites(client, alice, funder, member):
    user = funder if member == "funder" else alice.professional
    client.force_login(user)
    before = counts()

    for url in planning_urls(alice.site):
        assert client.get(url).status_code == 403, url
        assert client.post(url, site_data(alice.programme)).status_code == 403, url
    assert counts() == before


@pytest.mark.parametrize("member", ["professional", "funder"])
def test_professional_and_funder_may_not_delete_closures(client, alice, funder, member):
    user = funder if member == "funder" else alice.professional
    closure = SiteClosure.objects.create(
        site=alice.site, starts_on=date(2025, 5, 2), ends_on=date(2025, 5, 2), reason="Pont"
    )
    relocation = SiteRelocation.objects.create(
        site=alice.site, starts_on=date(2025, 5, 2), place_name="Centre de PMI"
    )
    client.force_login(user)

    closure_url = reverse("places:site-closure-delete", args=[alice.site.pk, closure.pk])
    relocation_url = reverse("places:site-relocation-delete", args=[alice.site.pk, relocation.pk])

    assert client.post(closure_url).status_code == 403
    assert client.post(relocation_url).status_code == 403
    assert SiteClosure.objects.filter(pk=closure.pk).exists()
    assert SiteRelocation.objects.filter(pk=relocation.pk).exists()


def test_professional_reads_the_calendar_without_planning_links(client, alice):
    client.force_login(alice.professional)

    response = client.get(reverse("places:site-detail", args=[alice.site.pk]))

    assert response.status_code == 200
    assert reverse("places:site-edit", args=[alice.site.pk]) not in response.content.decode()
    assert reverse("places:site-closures", args=[alice.site.pk]) not in response.content.decode()


def test_coordinator_sees_planning_links(client, alice):
    client.force_login(alice.coordinator)

    response = client.get(reverse("places:site-detail", args=[alice.site.pk]))

    assert reverse("places:site-edit", args=[alice.site.pk]) in response.content.decode()
    assert reverse("places:site-closures", args=[alice.site.pk]) in response.content.decode()


@pytest.mark.parametrize("member", ["admin", "coordinator", "professional"])
def test_member_of_other_organisation_gets_404_on_a_site(client, alice, bob, member):
    closure = SiteClosure.objects.create(
        site=alice.site, starts_on=date(2025, 5, 2), ends_on=date(2025, 5, 2), reason="Pont"
    )
    relocation = SiteRelocation.objects.create(
        site=alice.site, starts_on=date(2025, 5, 2), place_name="Centre de PMI"
    )
    client.force_login(getattr(bob, member))
    pk = alice.site.pk

    for url in [
        reverse("places:site-detail", args=[pk]),
        reverse("places:site-edit", args=[pk]),
        reverse("places:site-closures", args=[pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, site_data(bob.programme)).status_code == 404, url
    assert (
        client.post(reverse("places:site-closure-delete", args=[pk, closure.pk])).status_code == 404
    )
    assert (
        client.post(reverse("places:site-relocation-delete", args=[pk, relocation.pk])).status_code
        == 404
    )
    assert SiteClosure.objects.filter(pk=closure.pk).exists()
    assert SiteRelocation.objects.filter(pk=relocation.pk).exists()


def test_closure_of_another_site_is_not_found_under_this_site(client, alice, bob):
    other_site = SiteFactory(programme=alice.programme)
    closure = SiteClosure.objects.create(
        site=other_site, starts_on=date(2025, 5, 2), ends_on=date(2025, 5, 2), reason="Pont"
    )
    client.force_login(alice.coordinator)

    url = reverse("places:site-closure-delete", args=[alice.site.pk, closure.pk])

    assert client.post(url).status_code == 404
    assert SiteClosure.objects.filter(pk=closure.pk).exists()


def test_site_list_shows_only_own_organisation_sites(client, alice, bob):
    client.force_login(bob.professional)

    response = client.get(reverse("places:site-list"))

    content = response.content.decode()
    assert bob.site.name in content
    assert alice.site.name not in content
    assert reverse("places:site-create") not in content.split("<main", 1)[-1]


def test_anonymous_visitor_is_sent_to_sign_in(client, alice):
    for url in [
        reverse("places:site-list"),
        reverse("places:site-create"),
        reverse("places:site-detail", args=[alice.site.pk]),
        reverse("places:commune-options") + "?commune=lun",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_create_form_offers_only_own_plannable_programmes(client, alice, bob):
    elsewhere = ProgrammeFactory(name="Cabanes")  # an organisation alice is not part of
    client.force_login(alice.coordinator)

    response = client.get(reverse("places:site-create"))

    programmes = list(response.context["form"].fields["programme"].queryset)
    assert programmes == [alice.programme]
    assert bob.programme.name not in response.content.decode()
    assert elsewhere.name not in response.content.decode()


def test_creating_a_site_in_another_organisation_programme_is_refused(client, alice, bob):
    client.force_login(alice.coordinator)
    before = counts()

    response = client.post(reverse("places:site-create"), site_data(bob.programme))

    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert counts() == before


def test_programme_of_an_organisation_where_one_is_only_professional_is_not_offered(
    client, alice, bob
):
    # Alice's coordinator also helps at Lunel as a professional.
    MembershipFactory(user=alice.coordinator, organisation=bob.organisation, role=Role.PROFESSIONAL)
    client.force_login(alice.coordinator)
    before = counts()

    response = client.post(reverse("places:site-create"), site_data(bob.programme))

    assert list(response.context["form"].fields["programme"].queryset) == [alice.programme]
    assert "programme" in response.context["form"].errors
    assert counts() == before


# --- Editing --------------------------------------------------------------------------------


def test_edit_form_is_prefilled(client, bob):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)

    response = client.get(reverse("places:site-edit", args=[site.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Lunel — 34145"' in content
    assert 'value="École maternelle Arc-en-Ciel"' in content
    assert 'value="149 rue des 4 Vents"' in content
    assert re.search(r'<input type="checkbox" name="2am_open"[^>]* checked', content)
    assert not re.search(r'<input type="checkbox" name="4pm_open"[^>]* checked', content)
    assert 'name="4am_opens" id="id_4am_opens" value="08:30"' in content
    friday_morning_rule = content.split('name="4am_rule"', 1)[1].split("</select>", 1)[0]
    assert '<option value="holidays" selected>' in friday_morning_rule
    pattern = response.context["pattern"]
    assert pattern["4am_rule"].value() == HOLIDAYS
    assert pattern["4pm_opens"].value() == time(14, 0)  # the default for an unticked half-day


def test_editing_the_week_replaces_its_rows(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)
    # From September the Wednesday afternoon starts at 14h, and Friday mornings stop.
    new_week = {**ARC_EN_CIEL_WEEK, "2pm": ("14:00", "17:00", ALWAYS)}
    del new_week["4am"]

    response = client.post(
        reverse("places:site-edit", args=[site.pk]), site_data(bob.programme, week=new_week)
    )

    assert response.status_code == 302
    assert weekly_rows(site) == expected_rows(new_week)
    assert WeeklyOpening.objects.filter(site=site).count() == 8
    assert AuditEntry.objects.filter(action="site.update", target_id=str(site.pk)).count() == 1
    assert not AuditEntry.objects.filter(action="site.create").exists()


def test_editing_keeps_the_name_check_against_other_sites_only(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)

    same = client.post(
        reverse("places:site-edit", args=[site.pk]),
        site_data(bob.programme, name="ÉCOLE MATERNELLE ARC-EN-CIEL"),
    )
    other = client.post(
        reverse("places:site-edit", args=[site.pk]),
        site_data(bob.programme, name="Accueil de loisirs du parc"),
    )

    assert same.status_code == 302
    assert other.status_code == 200
    assert "Un lieu porte déjà ce nom dans ce programme." in other.content.decode()
    site.refresh_from_db()
    assert site.name == "ÉCOLE MATERNELLE ARC-EN-CIEL"


# --- Closures and temporary moves -----------------------------------------------------------


def closure_data(starts_on, ends_on, half_day="", reason="Journée pédagogique"):
    return {
        "closure-starts_on": starts_on,
        "closure-ends_on": ends_on,
        "closure-half_day": half_day,
        "closure-reason": reason,
    }


def relocation_data(starts_on, ends_on, place_name, address="", reason=""):
    return {
        "relocation-starts_on": starts_on,
        "relocation-ends_on": ends_on,
        "relocation-place_name": place_name,
        "relocation-address": address,
        "relocation-reason": reason,
    }


def test_coordinator_closes_a_site_for_a_day(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)
    url = reverse("places:site-closures", args=[site.pk])

    response = client.post(url, closure_data("2025-03-19", "2025-03-19"))

    assert response.status_code == 302
    assert response["Location"] == url
    closure = SiteClosure.objects.get(site=site)
    assert (closure.starts_on, closure.ends_on, closure.half_day) == (
        date(2025, 3, 19),
        date(2025, 3, 19),
        "",
    )
    assert AuditEntry.objects.filter(
        action="site.closure_add", target_id=str(site.pk), actor=bob.coordinator
    ).exists()
    page = client.get(url).content.decode()
    assert "Journée pédagogique : du 19/03/2025 au 19/03/2025" in page
    calendar = client.get(reverse("places:site-detail", args=[site.pk]))
    wednesday = day_html(calendar, date(2025, 3, 19))
    assert "Matin : Fermeture : Journée pédagogique" in wednesday
    assert "Après-midi : Fermeture : Journée pédagogique" in wednesday


def test_half_day_closure_closes_only_that_half_day(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)

    response = client.post(
        reverse("places:site-closures", args=[site.pk]),
        closure_data("2025-03-19", "2025-03-19", half_day="pm", reason="Réunion d'équipe"),
    )

    assert response.status_code == 302
    calendar = client.get(reverse("places:site-detail", args=[site.pk]))
    wednesday = day_html(calendar, date(2025, 3, 19))
    assert "Matin : 08h30–12h15" in wednesday
    assert "Après-midi : Fermeture : Réunion d" in wednesday
    assert "Après-midi : 13h30–17h00" in day_html(calendar, date(2025, 3, 26))


CLOSURE_REFUSALS = {
    "end_before_start": (
        closure_data("2025-03-19", "2025-03-18"),
        "La fin de la fermeture précède son début.",
    ),
    "half_day_over_several_days": (
        closure_data("2025-03-19", "2025-03-26", half_day="am"),
        "Une fermeture d'une demi-journée ne porte que sur un seul jour.",
    ),
    "no_reason": (closure_data("2025-03-19", "2025-03-19", reason=""), "Indiquez le motif"),
    "never_open_again": (closure_data("2025-03-01", "2026-04-30"), NEVER_OPEN),
}


@pytest.mark.parametrize("data, message", CLOSURE_REFUSALS.values(), ids=CLOSURE_REFUSALS.keys())
def test_closure_refused_with_a_french_message(client, bob, on_10_march_2025, data, message):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)

    response = client.post(reverse("places:site-closures", args=[site.pk]), data)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not SiteClosure.objects.exists()
    assert not AuditEntry.objects.filter(action="site.closure_add").exists()
    # The dates typed are kept.
    assert f'value="{data["closure-starts_on"]}"' in response.content.decode()


def test_coordinator_deletes_a_closure(client, bob):
    site = lunel_site(bob.programme)
    closure = SiteClosure.objects.create(
        site=site, starts_on=date(2025, 3, 19), ends_on=date(2025, 3, 19), reason="Pont"
    )
    client.force_login(bob.coordinator)

    response = client.post(reverse("places:site-closure-delete", args=[site.pk, closure.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("places:site-closures", args=[site.pk])
    assert not SiteClosure.objects.exists()
    assert AuditEntry.objects.filter(action="site.closure_delete", target_id=str(site.pk)).exists()


def test_deleting_needs_a_post(client, bob):
    site = lunel_site(bob.programme)
    closure = SiteClosure.objects.create(
        site=site, starts_on=date(2025, 3, 19), ends_on=date(2025, 3, 19), reason="Pont"
    )
    client.force_login(bob.coordinator)

    response = client.get(reverse("places:site-closure-delete", args=[site.pk, closure.pk]))

    assert response.status_code == 405
    assert SiteClosure.objects.exists()


def test_coordinator_records_the_cabanes_moves(client, bob, on_10_march_2025):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)
    url = reverse("places:site-closures", args=[site.pk])

    pmi = client.post(
        url,
        relocation_data(
            "2024-10-01", "2025-08-31", "Centre de PMI", reason="Accueil à l'intérieur l'hiver"
        ),
    )
    container = client.post(
        url, relocation_data("2025-09-01", "2027-08-31", "Container", address="Square du parc")
    )

    assert (pmi.status_code, container.status_code) == (302, 302)
    assert list(
        SiteRelocation.objects.filter(site=site).values_list("place_name", "starts_on", "ends_on")
    ) == [
        ("Centre de PMI", date(2024, 10, 1), date(2025, 8, 31)),
        ("Container", date(2025, 9, 1), date(2027, 8, 31)),
    ]
    assert AuditEntry.objects.filter(action="site.relocation_add").count() == 2
    page = client.get(url).content.decode()
    assert "Centre de PMI : à partir du 01/10/2024 jusqu'au 31/08/2025" in page
    assert "Container, Square du parc : à partir du 01/09/2025 jusqu'au 31/08/2027" in page
    # Same days and hours, another place.
    calendar = client.get(reverse("places:site-detail", args=[site.pk]))
    assert "Matin : 08h30–12h15 à Centre de PMI" in day_html(calendar, date(2025, 3, 12))


def test_overlapping_move_is_refused(client, bob):
    site = lunel_site(bob.programme)
    SiteRelocation.objects.create(
        site=site,
        starts_on=date(2024, 10, 1),
        ends_on=date(2025, 8, 31),
        place_name="Centre de PMI",
    )
    SiteRelocation.objects.create(
        site=site, starts_on=date(2025, 9, 1), ends_on=date(2027, 8, 31), place_name="Container"
    )
    client.force_login(bob.coordinator)

    response = client.post(
        reverse("places:site-closures", args=[site.pk]),
        relocation_data("2025-06-01", "", "Médiathèque"),
    )

    assert response.status_code == 200
    assert (
        "Ce déménagement chevauche « Centre de PMI » (à partir du 01/10/2024)."
        in response.content.decode()
    )
    assert 'value="Médiathèque"' in response.content.decode()
    assert SiteRelocation.objects.count() == 2
    assert not AuditEntry.objects.filter(action="site.relocation_add").exists()


def test_move_ending_before_it_starts_is_refused(client, bob):
    site = lunel_site(bob.programme)
    client.force_login(bob.coordinator)

    response = client.post(
        reverse("places:site-closures", args=[site.pk]),
        relocation_data("2025-09-01", "2025-08-31", "Container"),
    )

    assert response.status_code == 200
    assert "La fin du déménagement précède son début." in response.content.decode()
    assert not SiteRelocation.objects.exists()


def test_coordinator_deletes_a_move(client, bob):
    site = lunel_site(bob.programme)
    relocation = SiteRelocation.objects.create(
        site=site,
        starts_on=date(2024, 10, 1),
        ends_on=date(2025, 8, 31),
        place_name="Centre de PMI",
    )
    client.force_login(bob.coordinator)

    response = client.post(reverse("places:site-relocation-delete", args=[site.pk, relocation.pk]))

    assert response.status_code == 302
    assert not SiteRelocation.objects.exists()
    assert AuditEntry.objects.filter(
        action="site.relocation_delete", target_id=str(site.pk), actor=bob.coordinator
    ).exists()


# --- Commune picker -------------------------------------------------------------------------


def test_commune_options_offer_lunel_for_lun(client, bob):
    client.force_login(bob.coordinator)

    response = client.get(reverse("places:commune-options"), {"commune": "lun"})

    assert response.status_code == 200
    assert '<option value="Lunel — 34145">' in response.content.decode()
    assert "codes postaux 34400" in response.content.decode()


def test_commune_options_find_lunel_by_insee_code(client, bob):
    client.force_login(bob.coordinator)

    response = client.get(reverse("places:commune-options"), {"commune": "34145"})

    assert '<option value="Lunel — 34145">' in response.content.decode()


@pytest.mark.parametrize("query", ["", "l", " l "])
def test_commune_options_wait_for_two_characters(client, bob, query):
    client.force_login(bob.coordinator)

    response = client.get(reverse("places:commune-options"), {"commune": query})

    assert response.status_code == 200
    assert "<option" not in response.content.decode()


def test_commune_options_answer_get_only(client, bob):
    client.force_login(bob.coordinator)

    assert client.post(reverse("places:commune-options"), {"commune": "lun"}).status_code == 405


# --- Query counts ---------------------------------------------------------------------------


def test_site_page_queries_do_not_grow_with_rules(
    client, bob, on_10_march_2025, django_assert_num_queries
):
    site = lunel_site(bob.programme)
    for day in (19, 20, 21):
        SiteClosure.objects.create(
            site=site, starts_on=date(2025, 3, day), ends_on=date(2025, 3, day), reason="Pont"
        )
    SiteRelocation.objects.create(site=site, starts_on=date(2024, 10, 1), place_name="PMI")
    client.force_login(bob.coordinator)
    url = reverse("places:site-detail", args=[site.pk])

    # Session, user, second-factor device, the user's memberships (roles and navigation)
    # and their facts, site, its week, closures and moves, the sheets to fill in
    # (navigation).
    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200


def test_site_list_queries_do_not_grow_with_sites(client, bob, django_assert_num_queries):
    for n in range(5):
        SiteFactory(programme=bob.programme, name=f"Lieu {n}")
    SiteFactory(programme=ProgrammeFactory(organisation=bob.organisation))
    client.force_login(bob.coordinator)

    # Session, user, second-factor device, sites with programmes, may create a site, the
    # memberships' facts,
    # navigation and its sheets to fill in.
    with django_assert_num_queries(8):
        response = client.get(reverse("places:site-list"))

    assert response.status_code == 200
    assert response.content.decode().count("fr-tile__title") == 7
