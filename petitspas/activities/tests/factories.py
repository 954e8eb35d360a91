import datetime

import factory

from petitspas.activities.models import (
    ActivityType,
    Facilitator,
    Public,
    RegistrationMode,
    Series,
    Session,
)
from petitspas.organisations.tests.factories import OrganisationFactory, ProgrammeFactory
from petitspas.places.models import WeeklyOpening
from petitspas.places.tests.factories import SiteFactory


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    """An open free-play time by default; ``on_registration`` and ``on_referral`` traits."""

    class Meta:
        model = ActivityType

    class Params:
        on_registration = factory.Trait(
            registration_mode=RegistrationMode.REGISTRATION, default_capacity=10
        )
        on_referral = factory.Trait(registration_mode=RegistrationMode.REFERRAL, is_public=False)
        conference = factory.Trait(kind=ActivityType.Kind.CONFERENCE, public=Public.PARENTS)

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Activité {n}")
    kind = ActivityType.Kind.FREE_PLAY
    public = Public.CHILDREN_0_3
    registration_mode = RegistrationMode.OPEN


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Intervenant {n}")
    role = "Psychomotricienne"


class SeriesFactory(factory.django.DjangoModelFactory):
    """A weekly Tuesday series in September-October 2025; add sites with ``sites=[...]``.

    The factory stores the series only: materialising sessions is ``series_create``'s job."""

    class Meta:
        model = Series
        skip_postgeneration_save = True

    activity_type = factory.SubFactory(ActivityTypeFactory)
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    starts_on = datetime.date(2025, 9, 2)
    ends_on = datetime.date(2025, 10, 31)
    start_time = datetime.time(14, 0)
    end_time = datetime.time(16, 0)

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """A planned afternoon session on a site of the activity's programme.

    Traits: ``morning``, ``cancelled``, ``on_registration`` (activity on registration with
    10 places)."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    class Params:
        morning = factory.Trait(start_time=datetime.time(9, 30), end_time=datetime.time(11, 30))
        cancelled = factory.Trait(status=Session.Status.CANCELLED, cancel_reason="Intempéries")
        on_registration = factory.Trait(
            activity_type=factory.SubFactory(ActivityTypeFactory, on_registration=True),
            capacity=10,
        )

    activity_type = factory.SubFactory(ActivityTypeFactory)
    site = factory.SubFactory(
        SiteFactory, programme=factory.SelfAttribute("..activity_type.programme")
    )
    date = datetime.date(2025, 10, 7)
    start_time = datetime.time(14, 0)
    end_time = datetime.time(16, 0)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.set(extracted)


# Hours of a typical site (seed 001, Lunel): 8h30-12h15 and 13h30-17h.
MORNING = (datetime.time(8, 30), datetime.time(12, 15))
AFTERNOON = (datetime.time(13, 30), datetime.time(17, 0))


def open_site(*, weekdays=range(5), closed=(), hours=None, **site_kwargs):
    """A site open mornings and afternoons on ``weekdays`` (Monday is 0), all year, except
    the half-days in ``closed`` (``(4, "pm")`` for Friday afternoon). ``hours`` maps
    ``"am"``/``"pm"`` to ``(opens_at, closes_at)``."""
    hours = {"am": MORNING, "pm": AFTERNOON, **(hours or {})}
    site = SiteFactory(**site_kwargs)
    WeeklyOpening.objects.bulk_create(
        [
            WeeklyOpening(
                site=site,
                weekday=weekday,
                half_day=half_day,
                opens_at=hours[half_day][0],
                closes_at=hours[half_day][1],
            )
            for weekday in weekdays
            for half_day in ("am", "pm")
            if (weekday, half_day) not in closed
        ]
    )
    return site
