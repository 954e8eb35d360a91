"""The Cabanes des 1000 premiers jours as the demo holds them (seed 003): the Département's
programme, its two cabanes with their weekly half-days, its activity, its two series with
sessions since July 2024, its budget, and a family counted there. The coordinator who
copies it also coordinates the Ville de Saint-Denis, whose municipal PMI centres take the
model up, and is a professional of the Ville de Montreuil."""

import dataclasses
import datetime

from petitspas.accounts.tests.factories import UserFactory
from petitspas.activities.models import ActivityType, Series
from petitspas.activities.services import series_dates, series_sessions
from petitspas.attendance.models import Headcount
from petitspas.attendance.tests.factories import family
from petitspas.demo.data import activities as activity_data
from petitspas.demo.data import money as money_data
from petitspas.demo.data import territory
from petitspas.organisations.models import Organisation, Programme, Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory
from petitspas.places.calendar import SiteCalendar
from petitspas.places.communes import get_commune
from petitspas.places.models import Site, WeeklyOpening
from petitspas.reporting.models import BudgetLine

SOURCE_STARTS_ON = datetime.date(2024, 7, 1)


@dataclasses.dataclass
class Cabanes:
    organisation: Organisation
    programme: Programme
    lilas: Site
    courneuve: Site
    series: list[Series]
    coordinator: object
    target: Organisation
    not_yours: Organisation


def _site(programme, spec) -> Site:
    commune = get_commune(spec.commune_code)
    site = Site.objects.create(
        programme=programme,
        name=spec.name,
        kind=spec.kind,
        address=spec.address,
        postcode=spec.postcode,
        commune_code=spec.commune_code,
        town=commune.name,
        departement=commune.departement,
        is_qpv=spec.is_qpv,
        access_notes=spec.access_notes,
    )
    for opening in spec.openings:
        WeeklyOpening.objects.create(
            site=site,
            weekday=opening.weekday,
            half_day=opening.half_day,
            opens_at=opening.opens_at,
            closes_at=opening.closes_at,
            school_holidays=opening.school_holidays,
        )
    return site


def build_cabanes(*, until: datetime.date) -> Cabanes:
    spec = territory.CABANES
    organisation = OrganisationFactory(
        name=spec.organisation, kind=Organisation.Kind.DEPARTEMENT, departement="93"
    )
    programme = Programme.objects.create(
        organisation=organisation,
        name=spec.name,
        summary=spec.summary,
        public=spec.public,
        started_on=spec.started_on,
    )
    sites = {site_spec.name: _site(programme, site_spec) for site_spec in spec.sites}
    activities = {}
    for activity in activity_data.CABANES.activities:
        activities[activity.name] = ActivityType.objects.create(
            programme=programme,
            name=activity.name,
            kind=activity.kind,
            public=activity.public,
            registration_mode=activity.registration_mode,
            default_duration=activity.duration,
            default_capacity=activity.capacity,
            description=activity.description,
            is_public=activity.is_public,
        )
    all_series = []
    for series_spec in activity_data.CABANES.series:
        series = Series.objects.create(
            activity_type=activities[series_spec.activity],
            rrule=series_spec.rrule,
            starts_on=SOURCE_STARTS_ON,
            ends_on=until,
            start_time=series_spec.start_time,
            end_time=series_spec.end_time,
        )
        series.sites.set([sites[name] for name in series_spec.sites])
        for name in series_spec.sites:
            site = sites[name]
            dates = series_dates(series, SiteCalendar.for_site(site))
            for session in series_sessions(series, site, dates):
                session.save()
        all_series.append(series)
    budget = next(b for b in money_data.BUDGETS if b.programme == spec.name)
    for category, label, amount in budget.lines:
        BudgetLine.objects.create(
            programme=programme, year=2025, category=category, label=label, amount=amount
        )
    # A family counted at the cabanes, and an open session's headcount: never copied.
    family(organisation, "CAB-01", parent="Aminata", children=("Issa",))
    first = all_series[0].sessions.order_by("date").first()
    Headcount.objects.create(session=first, adults=6, children_1_3=4, first_visits=2)

    coordinator = UserFactory(
        email="coordination@seinesaintdenis.example",
        first_name="Fatou",
        last_name="Traoré",
    )
    MembershipFactory(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    target = OrganisationFactory(
        name="Ville de Saint-Denis", kind=Organisation.Kind.MUNICIPALITY, departement="93"
    )
    MembershipFactory(user=coordinator, organisation=target, role=Role.COORDINATOR)
    not_yours = OrganisationFactory(
        name="Ville de Montreuil", kind=Organisation.Kind.MUNICIPALITY, departement="93"
    )
    MembershipFactory(user=coordinator, organisation=not_yours, role=Role.PROFESSIONAL)
    return Cabanes(
        organisation=organisation,
        programme=programme,
        lilas=sites[territory.CABANES.sites[0].name],
        courneuve=sites[territory.CABANES.sites[1].name],
        series=all_series,
        coordinator=coordinator,
        target=target,
        not_yours=not_yours,
    )
