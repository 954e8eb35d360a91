import pytest
from django.utils import timezone

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory


@pytest.fixture
def named_session(alice):
    """Today's reading workshop (on registration) of organisation A, staffed by its
    professional."""
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    return SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate(),
        staff=[alice.professional],
    )


@pytest.fixture
def open_session(alice):
    """Today's LAEP drop-in (open, anonymous) of organisation A, staffed by its
    professional."""
    activity = ActivityTypeFactory(programme=alice.programme, name="Accueil LAEP", kind="laep")
    return SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate(),
        staff=[alice.professional],
    )
