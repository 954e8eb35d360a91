"""The team of each half-day, with the seed's numbers: 2 professionals and 1 EJE for 7
children (6 regular places + 1 settling-in or emergency)."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from petitspas.accounts.tests.factories import UserFactory
from petitspas.childcare import services_staffing as staffing_services
from petitspas.childcare.models import Qualification, StaffAssignment, StaffMember
from petitspas.childcare.staffing import (
    Requirement,
    flagged_half_days,
    required_staff,
    shortfall,
    staffing_of,
)
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.test_bookings import TUESDAY, fill
from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.places.models import SiteClosure
from petitspas.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

EJE, AUX = Qualification.EJE, Qualification.AUXILIARY


def body(response) -> str:
    return unescape(response.content.decode())


def member(lunel, first_name, qualification, role=Role.PROFESSIONAL):
    user = MembershipFactory(
        organisation=lunel.organisation,
        role=role,
        user=UserFactory(first_name=first_name, last_name="Lunel"),
    ).user
    return staffing_services.staff_member_add(
        programme=lunel.programme, person=user, qualification=qualification, by=lunel.coordinator
    )


@pytest.fixture
def team(lunel):
    """The seed's team: two professionals (CAP AEPE, auxiliaire) and one EJE."""
    return {
        "nadia": member(lunel, "Nadia", AUX),
        "sarah": member(lunel, "Sarah", AUX),
        "claire": member(lunel, "Claire", EJE),
    }


def assign(lunel, staff, day=TUESDAY, half_day="am", site=None, by=None):
    return staffing_services.staff_assign(
        site=site or lunel.site, day=day, half_day=half_day, staff=staff, by=by or lunel.coordinator
    )


# --- The rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("children", "adults", "eje"),
    [(0, 0, 0), (1, 2, 1), (3, 2, 1), (4, 2, 1), (6, 2, 1), (7, 3, 1)],
)
def test_required_staff_follows_the_children_booked(children, adults, eje):
    assert required_staff(children) == Requirement(adults=adults, eje=eje)


def test_the_seeds_team_is_exactly_enough_for_7_children():
    assert shortfall(7, [AUX, AUX, EJE]) == []
    assert shortfall(7, [AUX, AUX]) == [
        "2 adultes sur 3 requis pour 7 enfants (il en manque 1)",
        "aucune EJE (éducatrice de jeunes enfants) prévue",
    ]
    assert shortfall(7, [AUX, AUX, AUX]) == ["aucune EJE (éducatrice de jeunes enfants) prévue"]
    assert shortfall(6, [AUX, EJE]) == []
    assert shortfall(1, [EJE]) == ["1 adulte sur 2 requis pour 1 enfant (il en manque 1)"]
    assert shortfall(0, []) == []


def test_a_negative_number_of_children_is_a_bug():
    with pytest.raises(ValueError):
        required_staff(-1)


# --- Flags ---------------------------------------------------------------------------------


def test_a_full_half_day_is_flagged_until_the_eje_is_added(lunel, team):
    fill(lunel, regular=6, extra=1)
    assign(lunel, team["nadia"])
    assign(lunel, team["sarah"])
    staffing = staffing_of(lunel.site, TUESDAY, "am")
    assert staffing.children == 7
    assert staffing.is_flagged
    assert [
        row.staffing.day
        for row in flagged_half_days(
            sites=[lunel.site], start=MONDAY, end=MONDAY + datetime.timedelta(days=6)
        )
    ] == [TUESDAY]
    assign(lunel, team["claire"])
    assert not staffing_of(lunel.site, TUESDAY, "am").is_flagged
    assert flagged_half_days(sites=[lunel.site], start=MONDAY, end=TUESDAY) == []


def test_a_half_day_without_children_is_not_flagged_and_one_with_them_is(lunel, team):
    assign(lunel, team["nadia"], half_day="pm")
    assert not staffing_of(lunel.site, TUESDAY, "pm").is_flagged
    fill(lunel, regular=1, half_day="pm")
    assert staffing_of(lunel.site, TUESDAY, "pm").problems == [
        "1 adulte sur 2 requis pour 1 enfant (il en manque 1)",
        "aucune EJE (éducatrice de jeunes enfants) prévue",
    ]


def test_a_closed_half_day_is_never_listed_as_flagged(lunel, team):
    fill(lunel, regular=2)
    SiteClosure.objects.create(
        site=lunel.site, starts_on=TUESDAY, ends_on=TUESDAY, reason="Formation de l'équipe"
    )
    assert flagged_half_days(sites=[lunel.site], start=MONDAY, end=TUESDAY) == []


# --- Assigning -----------------------------------------------------------------------------


def test_assigning_is_logged_and_the_same_person_twice_is_refused(lunel, team):
    assignment = assign(lunel, team["claire"])
    assert AuditEntry.objects.filter(
        action="childcare_staff.assign", target_id=str(assignment.pk)
    ).exists()
    with pytest.raises(ValidationError) as error:
        assign(lunel, team["claire"])
    assert error.value.message_dict["staff"] == [
        "Claire Lunel travaille déjà le mardi 11 mars 2025 matin (Accueil de loisirs du parc) : "
        "une même personne ne peut pas être à deux endroits à la fois."
    ]
    assert StaffAssignment.objects.count() == 1


def test_the_same_person_cannot_be_at_two_sites_at_once(lunel, team):
    from petitspas.childcare.tests.conftest import open_like_lunel

    school = SiteFactory(programme=lunel.programme, name="École Arc-en-Ciel")
    open_like_lunel(school)
    assign(lunel, team["claire"])
    with pytest.raises(ValidationError, match="Accueil de loisirs du parc"):
        assign(lunel, team["claire"], site=school)
    # The afternoon is another half-day.
    assign(lunel, team["claire"], site=school, half_day="pm")


def test_the_database_refuses_one_person_twice_at_the_same_time(lunel, team):
    first = assign(lunel, team["claire"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffAssignment.objects.create(
            slot=first.slot, staff=team["claire"], day=TUESDAY, half_day="am"
        )


def test_a_closed_half_day_takes_no_staff(lunel, team):
    friday = MONDAY + datetime.timedelta(days=4)
    with pytest.raises(ValidationError, match="fermé le vendredi 14 mars 2025 après-midi"):
        assign(lunel, team["claire"], day=friday, half_day="pm")
    assert not StaffAssignment.objects.exists()


def test_someone_of_another_programme_or_who_left_is_refused(lunel, team, alice):
    other = StaffMember.objects.create(
        programme=alice.programme, user=alice.professional, qualification=EJE
    )
    with pytest.raises(ValidationError, match="ne fait pas partie de l'équipe d'accueil"):
        assign(lunel, other)
    staffing_services.staff_member_update(
        staff=team["sarah"], qualification=AUX, is_active=False, by=lunel.coordinator
    )
    with pytest.raises(ValidationError, match="ne fait plus partie"):
        assign(lunel, team["sarah"])


def test_only_the_programmes_coordinators_manage_the_team(lunel, team, alice):
    for user in (lunel.professional, alice.coordinator):
        with pytest.raises(PermissionDenied):
            assign(lunel, team["claire"], by=user)
        with pytest.raises(PermissionDenied):
            staffing_services.staff_member_add(
                programme=lunel.programme, person=user, qualification=EJE, by=user
            )
    assign(lunel, team["claire"], by=lunel.admin)


def test_a_non_member_cannot_join_the_team(lunel, alice, team):
    with pytest.raises(ValidationError) as error:
        staffing_services.staff_member_add(
            programme=lunel.programme,
            person=alice.professional,
            qualification=EJE,
            by=lunel.coordinator,
        )
    assert "n'est pas membre de l'équipe de Ville de Lunel" in error.value.messages[0]
    prescriber = MembershipFactory(organisation=lunel.organisation, role=Role.FUNDER).user
    with pytest.raises(ValidationError, match="n'est pas membre"):
        staffing_services.staff_member_add(
            programme=lunel.programme, person=prescriber, qualification=AUX, by=lunel.coordinator
        )
    with pytest.raises(ValidationError, match="fait déjà partie"):
        staffing_services.staff_member_add(
            programme=lunel.programme,
            person=team["claire"].user,
            qualification=EJE,
            by=lunel.coordinator,
        )
    with pytest.raises(ValidationError, match="Choisissez la qualification"):
        staffing_services.staff_member_add(
            programme=lunel.programme,
            person=lunel.professional,
            qualification="nurse",
            by=lunel.coordinator,
        )


def test_someone_who_left_the_organisation_is_refused_and_not_offered(lunel, team):
    from petitspas.childcare.staffing import team_of
    from petitspas.organisations.models import Membership

    Membership.objects.filter(user=team["sarah"].user).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        assign(lunel, team["sarah"])
    assert error.value.message_dict["staff"][0].startswith(
        "Sarah Lunel n'est pas membre de l'équipe de Ville de Lunel"
    )
    assert [s.user.first_name for s in team_of(lunel.programme.pk)] == ["Claire", "Nadia"]


def test_someone_who_left_comes_back_with_a_new_qualification(lunel, team):
    sarah = team["sarah"]
    staffing_services.staff_member_update(
        staff=sarah, qualification=AUX, is_active=False, by=lunel.coordinator
    )
    back = staffing_services.staff_member_add(
        programme=lunel.programme, person=sarah.user, qualification=EJE, by=lunel.coordinator
    )
    assert back.pk == sarah.pk and back.is_active and back.qualification == EJE


# --- Copying a week ------------------------------------------------------------------------


def test_copying_a_week_repeats_each_half_day_and_says_what_it_could_not(lunel, team):
    assign(lunel, team["nadia"], day=MONDAY)
    assign(lunel, team["claire"], day=TUESDAY, half_day="pm")
    next_monday = MONDAY + datetime.timedelta(days=7)
    # Claire is already planned next Tuesday afternoon at the school; Nadia's Monday is
    # closed by a training day.
    from petitspas.childcare.tests.conftest import open_like_lunel

    school = SiteFactory(programme=lunel.programme, name="École Arc-en-Ciel")
    open_like_lunel(school)
    assign(
        lunel,
        team["claire"],
        site=school,
        day=next_monday + datetime.timedelta(days=1),
        half_day="pm",
    )
    SiteClosure.objects.create(
        site=lunel.site, starts_on=next_monday, ends_on=next_monday, reason="Formation"
    )
    result = staffing_services.staff_copy_week(
        site=lunel.site, from_monday=MONDAY, to_monday=next_monday, by=lunel.coordinator
    )
    assert result.copied == []
    assert [(label, name) for label, name, _reason in result.skipped] == [
        ("lundi 17 mars 2025 matin", "Nadia Lunel"),
        ("mardi 18 mars 2025 après-midi", "Claire Lunel"),
    ]
    assert "Formation" in result.skipped[0][2]
    assert "travaille déjà" in result.skipped[1][2]
    assert AuditEntry.objects.filter(action="childcare_staff.copy_week").count() == 1


def test_copying_twice_adds_nothing_the_second_time(lunel, team):
    for person in team.values():
        assign(lunel, person)
    next_monday = MONDAY + datetime.timedelta(days=7)
    first = staffing_services.staff_copy_week(
        site=lunel.site, from_monday=MONDAY, to_monday=next_monday, by=lunel.coordinator
    )
    assert len(first.copied) == 3
    again = staffing_services.staff_copy_week(
        site=lunel.site, from_monday=MONDAY, to_monday=next_monday, by=lunel.coordinator
    )
    assert again.copied == [] and again.skipped == []
    assert StaffAssignment.objects.filter(day=TUESDAY + datetime.timedelta(days=7)).count() == 3


def test_copying_needs_two_different_mondays(lunel, team):
    with pytest.raises(ValidationError, match="lundi"):
        staffing_services.staff_copy_week(
            site=lunel.site, from_monday=TUESDAY, to_monday=MONDAY, by=lunel.coordinator
        )
    with pytest.raises(ValidationError, match="autre semaine"):
        staffing_services.staff_copy_week(
            site=lunel.site, from_monday=MONDAY, to_monday=MONDAY, by=lunel.coordinator
        )


# --- Pages ---------------------------------------------------------------------------------


def week_url(lunel):
    return reverse("childcare:site-week", kwargs={"site_pk": lunel.site.pk}) + "?semaine=2025-03-10"


def staff_url(lunel, day="2025-03-11", half_day="am"):
    return (
        reverse("childcare:half-day-staff", kwargs={"site_pk": lunel.site.pk})
        + f"?jour={day}&demi={half_day}"
    )


def test_the_week_grid_shows_the_flag_and_htmx_removes_it(client, lunel, team):
    fill(lunel, regular=6, extra=1)
    assign(lunel, team["nadia"])
    assign(lunel, team["sarah"])
    client.force_login(lunel.coordinator)
    page = body(client.get(week_url(lunel)))
    assert "Encadrement insuffisant" in page
    assert "2 adultes sur 3 requis pour 7 enfants" in page
    fragment = client.post(
        staff_url(lunel), {"staff": team["claire"].pk}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    text = body(fragment)
    assert "Encadrement suffisant" in text and "3 adultes pour 7 enfants" in text
    assert "<html" not in text


def test_assigning_twice_on_the_page_answers_in_french_and_keeps_the_team(client, lunel, team):
    assign(lunel, team["claire"])
    client.force_login(lunel.coordinator)
    fragment = client.post(
        staff_url(lunel), {"staff": team["claire"].pk}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 409
    assert "ne peut pas être à deux endroits" in body(fragment)
    # Without JavaScript: back to the week, with the message.
    response = client.post(staff_url(lunel), {"staff": team["claire"].pk}, follow=True)
    assert "ne peut pas être à deux endroits" in body(response)
    assert StaffAssignment.objects.count() == 1


def test_a_posted_id_of_another_organisation_is_refused(client, lunel, team, alice):
    other = StaffMember.objects.create(
        programme=alice.programme, user=alice.professional, qualification=EJE
    )
    client.force_login(lunel.coordinator)
    fragment = client.post(staff_url(lunel), {"staff": other.pk}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert "Choisissez une personne de l'équipe d'accueil" in body(fragment)
    for bad in ("abc", "99999999999999999999", ""):
        response = client.post(staff_url(lunel), {"staff": bad}, headers={"HX-Request": "true"})
        assert response.status_code == 400
    assert not StaffAssignment.objects.exists()


def test_removing_and_copying_from_the_pages(client, lunel, team):
    assignment = assign(lunel, team["claire"])
    client.force_login(lunel.coordinator)
    response = client.post(
        reverse("childcare:staff-copy-week", kwargs={"site_pk": lunel.site.pk}),
        {"semaine": "2025-03-10"},
        follow=True,
    )
    assert "1 présence ajoutée" in body(response)
    response = client.post(
        reverse("childcare:assignment-delete", kwargs={"assignment_pk": assignment.pk}),
        follow=True,
    )
    assert "n'est plus dans l'équipe du mardi 11 mars 2025 matin" in body(response)
    assert list(StaffAssignment.objects.values_list("day", flat=True)) == [
        TUESDAY + datetime.timedelta(days=7)
    ]
    bad = client.post(
        reverse("childcare:staff-copy-week", kwargs={"site_pk": lunel.site.pk}),
        {"semaine": "2025-02-31"},
    )
    assert bad.status_code == 400


def test_the_team_page_adds_changes_and_removes(client, lunel):
    client.force_login(lunel.coordinator)
    url = reverse("childcare:staff", kwargs={"programme_pk": lunel.programme.pk})
    response = client.post(url, {"person": lunel.professional.pk, "qualification": ""})
    assert response.status_code == 400
    assert "Choisissez la qualification." in body(response)
    response = client.post(url, {"person": lunel.professional.pk, "qualification": "eje"})
    assert response.status_code == 302
    staff = StaffMember.objects.get()
    assert staff.qualification == EJE
    update = reverse("childcare:staff-update", kwargs={"staff_pk": staff.pk})
    client.post(update, {"qualification": "auxiliary", "is_active": "on"})
    staff.refresh_from_db()
    assert staff.qualification == AUX and staff.is_active
    client.post(update, {"qualification": "auxiliary", "is_active": ""})
    staff.refresh_from_db()
    assert not staff.is_active
    assert AuditEntry.objects.filter(action__startswith="childcare_staff.").count() == 3


def test_the_professional_cannot_open_the_staffing_pages(client, lunel, team):
    client.force_login(lunel.professional)
    assert client.get(reverse("childcare:staff-flagged")).status_code == 403
    url = reverse("childcare:staff", kwargs={"programme_pk": lunel.programme.pk})
    assert client.get(url).status_code == 404
    assert client.post(staff_url(lunel), {"staff": team["claire"].pk}).status_code == 404


def test_the_flagged_list_names_the_half_days(client, lunel, team):
    fill(lunel, regular=6, extra=1)
    assign(lunel, team["nadia"])
    client.force_login(lunel.coordinator)
    page = body(client.get(reverse("childcare:staff-flagged")))
    assert "Mardi 11 mars 2025 matin" in page
    assert "7 enfants, 1 adulte prévu" in page
    assert "1 adulte sur 3 requis pour 7 enfants (il en manque 2)" in page
