"""The Cabanes' model copied to a new PMI centre (seed 003: "une extension à d'autres PMI
après l'expérimentation sur deux sites"), and what the copy refuses."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.activities.models import ActivityType, Series, Session
from petitspas.core.models import AuditEntry
from petitspas.diagnosis import services_replication
from petitspas.diagnosis.services_replication import (
    NewSite,
    SiteTarget,
    copy_plan,
    programme_copy,
    series_patterns,
)
from petitspas.diagnosis.tests.replication_fixtures import build_cabanes
from petitspas.organisations.models import Programme
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.models import Site
from petitspas.privacy.services import FAMILY_DATA
from petitspas.reporting.models import BudgetLine

TODAY = datetime.date(2026, 1, 5)  # a Monday
UNTIL = datetime.date(2026, 6, 30)
PMI_CENTRE = NewSite(
    name="Centre de PMI du Franc-Moisin",
    kind=Site.Kind.PMI_CENTRE,
    address="Rue Danielle-Casanova",
    postcode="93200",
    commune="Saint-Denis",
    is_qpv=True,
)


@pytest.fixture
def cabanes(db, travel):
    travel(TODAY)
    return build_cabanes(until=datetime.date(2026, 8, 31))


def _choices(cabanes, **overrides) -> dict:
    choices = {
        "source": cabanes.programme,
        "organisation": cabanes.target,
        "name": "Cabane des 1000 premiers jours – Saint-Denis",
        "activity_types": list(ActivityType.objects.filter(programme=cabanes.programme)),
        "series": series_patterns(cabanes.programme),
        "budget_year": 2025,
        "starts_on": TODAY,
        "ends_on": UNTIL,
        # Both cabanes in the one PMI centre: it takes their four half-days.
        "sites": [
            SiteTarget(source=cabanes.lilas, new=PMI_CENTRE),
            SiteTarget(source=cabanes.courneuve, join=cabanes.lilas),
        ],
    }
    return choices | overrides


def _family_rows() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in FAMILY_DATA}


def test_the_cabanes_copied_to_a_new_pmi_centre_keep_their_model(cabanes):
    families_before = _family_rows()
    copy = programme_copy(by=cabanes.coordinator, **_choices(cabanes))

    assert copy.organisation == cabanes.target
    assert copy.summary == cabanes.programme.summary
    assert copy.started_on == TODAY
    source_activity = ActivityType.objects.get(programme=cabanes.programme)
    activity = ActivityType.objects.get(programme=copy)
    fields = (
        "name",
        "kind",
        "public",
        "registration_mode",
        "default_duration",
        "default_capacity",
        "description",
        "is_public",
    )
    assert [getattr(activity, f) for f in fields] == [getattr(source_activity, f) for f in fields]

    (site,) = Site.objects.filter(programme=copy)
    assert (site.name, site.kind, site.commune_code, site.town, site.departement) == (
        "Centre de PMI du Franc-Moisin",
        Site.Kind.PMI_CENTRE,
        "93066",
        "Saint-Denis",
        "93",
    )
    source_openings = sorted(
        (o.weekday, o.half_day, o.opens_at, o.closes_at, o.school_holidays)
        for s in (cabanes.lilas, cabanes.courneuve)
        for o in s.weekly_openings.all()
    )
    assert (
        sorted(
            (o.weekday, o.half_day, o.opens_at, o.closes_at, o.school_holidays)
            for o in site.weekly_openings.all()
        )
        == source_openings
    )
    assert (
        len(source_openings) == 4
    )  # Monday and Wednesday afternoons, Thursday and Friday mornings

    patterns = sorted(
        (s.activity_type.name, s.rrule, s.start_time, s.end_time, s.capacity, s.sites_mode)
        for s in Series.objects.filter(activity_type__programme=copy)
    )
    assert patterns == sorted(
        (s.activity_type.name, s.rrule, s.start_time, s.end_time, s.capacity, s.sites_mode)
        for s in cabanes.series
    )
    # 5 January – 30 June 2026. Mondays 26 less Easter Monday and Whit Monday: 24;
    # Wednesdays 25; Thursdays 25 less Ascension: 24; Fridays 25 less 1 and 8 May: 23.
    counts = {
        s.rrule: s.sessions.count() for s in Series.objects.filter(activity_type__programme=copy)
    }
    assert counts == {"FREQ=WEEKLY;BYDAY=MO,WE": 24 + 25, "FREQ=WEEKLY;BYDAY=TH,FR": 24 + 23}
    sessions = Session.objects.filter(activity_type__programme=copy)
    assert not sessions.filter(date__lt=TODAY).exists()
    assert not sessions.filter(date__gt=UNTIL).exists()
    assert not sessions.filter(staff__isnull=False).exists()
    assert not sessions.filter(facilitators__isnull=False).exists()

    assert sorted(
        BudgetLine.objects.filter(programme=copy).values_list("year", "label", "amount")
    ) == sorted(
        (2026, label, amount)
        for label, amount in BudgetLine.objects.filter(
            programme=cabanes.programme, year=2025
        ).values_list("label", "amount")
    )
    assert _family_rows() == families_before
    assert (
        not apps.get_model("families.Household")
        .objects.filter(organisation=cabanes.target)
        .exists()
    )


def test_two_cabanes_copied_as_two_places_each_keep_their_days(cabanes):
    """A series over both cabanes whose rule names a day each one is closed (Monday and
    Wednesday afternoons) gives each new place the days it opens, as at the source."""
    second = NewSite(
        name="Centre de PMI Pierre-Sémard",
        kind=Site.Kind.PMI_CENTRE,
        address="Rue Pierre-Sémard",
        postcode="93200",
        commune="93066",
    )
    copy = programme_copy(
        by=cabanes.coordinator,
        **_choices(
            cabanes,
            sites=[
                SiteTarget(source=cabanes.lilas, new=PMI_CENTRE),
                SiteTarget(source=cabanes.courneuve, new=second),
            ],
        ),
    )
    afternoons = Series.objects.get(activity_type__programme=copy, rrule__contains="MO,WE")
    by_site = {
        site.name: sorted(
            {
                d.weekday()
                for d in afternoons.sessions.filter(site=site).values_list("date", flat=True)
            }
        )
        for site in afternoons.sites.all()
    }
    # Les Lilas opens on Wednesday afternoons, La Courneuve on Monday afternoons.
    assert by_site == {"Centre de PMI du Franc-Moisin": [2], "Centre de PMI Pierre-Sémard": [0]}


def test_the_copy_is_logged_in_both_organisations(cabanes):
    copy = programme_copy(by=cabanes.coordinator, **_choices(cabanes))
    entry = AuditEntry.objects.get(action="replication.copy")
    assert entry.organisation == cabanes.target
    assert entry.target_id == str(copy.pk)
    assert entry.details["source_programme"] == cabanes.programme.pk
    assert entry.details["sessions"] == 96
    assert entry.details["sites"] == 1
    out = AuditEntry.objects.get(action="replication.copied_out")
    assert (out.organisation, out.details["target_programme"]) == (cabanes.organisation, copy.pk)
    assert AuditEntry.objects.filter(action="site.create", organisation=cabanes.target).count() == 1
    assert (
        AuditEntry.objects.filter(action="series.create", organisation=cabanes.target).count() == 2
    )


def test_the_plan_is_what_the_copy_creates(cabanes):
    plan = copy_plan(by=cabanes.coordinator, **_choices(cabanes))
    assert plan.counts() == {
        "activity_types": 1,
        "sites": 1,
        "weekly_openings": 4,
        "series": 2,
        "sessions": 96,
        "budget_lines": 6,
    }
    assert plan.budget_total == 375_000
    assert not Programme.objects.filter(organisation=cabanes.target).exists()


def test_a_failure_in_the_middle_rolls_the_whole_copy_back(cabanes, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"amount": "Refusé."})

    monkeypatch.setattr(services_replication, "budget_line_save", refuse)
    with pytest.raises(ValidationError):
        programme_copy(by=cabanes.coordinator, **_choices(cabanes))
    assert not Programme.objects.filter(organisation=cabanes.target).exists()
    assert not Site.objects.filter(programme__organisation=cabanes.target).exists()
    assert not ActivityType.objects.filter(programme__organisation=cabanes.target).exists()
    assert not AuditEntry.objects.filter(organisation=cabanes.target).exists()


def test_an_organisation_the_user_does_not_plan_in_is_refused(cabanes):
    with pytest.raises(PermissionDenied):
        programme_copy(by=cabanes.coordinator, **_choices(cabanes, organisation=cabanes.not_yours))


def test_someone_outside_the_source_organisation_cannot_copy_it(cabanes, bob):
    from petitspas.organisations.tests.factories import MembershipFactory

    MembershipFactory(user=bob.coordinator, organisation=cabanes.target, role="coordinator")
    with pytest.raises(PermissionDenied):
        programme_copy(by=bob.coordinator, **_choices(cabanes))


def test_the_source_organisation_is_not_a_target(cabanes):
    with pytest.raises(ValidationError) as error:
        copy_plan(by=cabanes.coordinator, **_choices(cabanes, organisation=cabanes.organisation))
    assert error.value.message_dict["organisation"] == [
        "Le programme appartient déjà à « Département de la Seine-Saint-Denis » : choisissez "
        "une autre organisation. Pour ouvrir un nouveau lieu dans la même organisation, "
        "ajoutez-le au programme."
    ]


def test_a_name_the_target_already_uses_is_refused(cabanes):
    ProgrammeFactory(
        organisation=cabanes.target, name="CABANE des 1000 premiers jours – Saint-Denis"
    )
    with pytest.raises(ValidationError) as error:
        programme_copy(by=cabanes.coordinator, **_choices(cabanes))
    assert (
        "« Ville de Saint-Denis » a déjà un programme nommé" in error.value.message_dict["name"][0]
    )
    assert Programme.objects.filter(organisation=cabanes.target).count() == 1


def test_sessions_never_start_in_the_past(cabanes):
    with pytest.raises(ValidationError) as error:
        copy_plan(by=cabanes.coordinator, **_choices(cabanes, starts_on=datetime.date(2026, 1, 2)))
    assert error.value.message_dict["starts_on"] == [
        "Les séances copiées commencent au plus tôt aujourd'hui (lundi 5 janvier 2026) : "
        "choisissez une date à venir."
    ]


def test_a_series_without_its_activity_is_refused(cabanes):
    with pytest.raises(ValidationError) as error:
        copy_plan(by=cabanes.coordinator, **_choices(cabanes, activity_types=[]))
    assert (
        "a besoin de son activité « Atelier des 1000 premiers jours »"
        in (error.value.message_dict["series"][0])
    )


def test_a_series_whose_places_are_all_left_out_is_refused(cabanes):
    with pytest.raises(ValidationError) as error:
        copy_plan(
            by=cabanes.coordinator,
            **_choices(
                cabanes,
                sites=[SiteTarget(source=cabanes.lilas), SiteTarget(source=cabanes.courneuve)],
            ),
        )
    assert "n'a plus aucun lieu repris" in error.value.message_dict["series"][0]


def test_joining_a_place_that_is_not_new_is_refused(cabanes):
    with pytest.raises(ValidationError) as error:
        copy_plan(
            by=cabanes.coordinator,
            **_choices(
                cabanes,
                sites=[
                    SiteTarget(source=cabanes.lilas),
                    SiteTarget(source=cabanes.courneuve, join=cabanes.lilas),
                ],
            ),
        )
    assert error.value.message_dict["sites"] == [
        "« Cabane de La Courneuve » devait rejoindre le nouveau lieu de « Cabane des Lilas », "
        "qui n'est pas repris comme nouveau lieu : décrivez-le ou choisissez un autre "
        "regroupement."
    ]


def test_an_unknown_commune_is_refused(cabanes):
    wrong = NewSite(**{**PMI_CENTRE.__dict__, "commune": "Saint-Denis", "postcode": "93100"})
    with pytest.raises(ValidationError) as error:
        copy_plan(
            by=cabanes.coordinator,
            **_choices(cabanes, sites=[SiteTarget(source=cabanes.lilas, new=wrong)], series=[]),
        )
    assert (
        "la commune « Saint-Denis » n'est pas connue avec le code postal 93100"
        in (error.value.message_dict["sites"][0])
    )


def test_merged_places_whose_hours_differ_on_one_half_day_are_refused(cabanes):
    cabanes.courneuve.weekly_openings.filter(weekday=0).update(weekday=2)  # Wed 14:00-17:00
    cabanes.lilas.weekly_openings.filter(weekday=2).update(opens_at=datetime.time(13, 30))
    with pytest.raises(ValidationError) as error:
        copy_plan(by=cabanes.coordinator, **_choices(cabanes))
    assert (
        "ouvrent tous deux le mercredi après-midi avec des horaires différents"
        in (error.value.message_dict["sites"][0])
    )


def test_another_part_of_the_model_plugs_into_the_same_copy(cabanes, monkeypatch):
    """The diagnosis method (codebook, guides, groups) will register itself as a part: the
    copy offers it when the source has one and writes it in the same transaction."""
    copied = []

    def copy(*, source, programme, by):
        copied.append((source, programme, by))
        return {"codes": 12}

    part = services_replication.ReplicationPart(
        key="method",
        label="La méthode du diagnostic",
        available=lambda source, user: source == cabanes.programme,
        copy=copy,
    )
    monkeypatch.setitem(services_replication.PARTS, "method", part)
    assert services_replication.parts_available(cabanes.programme, cabanes.coordinator) == [part]
    programme = programme_copy(by=cabanes.coordinator, **_choices(cabanes, parts=["method"]))
    assert copied == [(cabanes.programme, programme, cabanes.coordinator)]
    entry = AuditEntry.objects.get(action="replication.copy")
    assert entry.details["method"] == {"codes": 12}


def test_a_part_the_source_does_not_have_is_refused(cabanes, monkeypatch):
    part = services_replication.ReplicationPart(
        key="method", label="Méthode", available=lambda source, user: False, copy=None
    )
    monkeypatch.setitem(services_replication.PARTS, "method", part)
    with pytest.raises(PermissionDenied):
        copy_plan(by=cabanes.coordinator, **_choices(cabanes, parts=["method"]))
