import datetime

from petitspas.demo.diagnosis_participation import load_diagnosis_participation
from petitspas.demo.loader import load_demo
from petitspas.diagnosis.models import Area, PlaceProposal, SiteCohost, UrbanWalk
from petitspas.diagnosis.places_map import resource_places
from petitspas.directory.models import Meeting, WorkingGroup
from petitspas.places.hooks import site_cohosts


def test_demo_diagnosis_participation(db, travel):
    today = travel(datetime.date(2026, 3, 10))
    load_demo()
    areas = list(Area.objects.filter(organisation__name="Ville de Paris – DASES"))
    assert sorted(a.commune for a in areas) == ["75112", "75114", "75118", "75119"]
    for area in areas:
        places = resource_places(area)
        kinds = {p.kind for p in places}
        # Each area has directory structures and a programme's site on its map.
        assert {"structure", "site"} <= kinds, area.name
    assert PlaceProposal.objects.filter(status="validated").count() == 3
    assert PlaceProposal.objects.filter(status="proposed").count() == 1

    past, coming = UrbanWalk.objects.order_by("starts_at")
    assert past.ends_at.date() < today < coming.starts_at.date()
    assert past.stops.count() == coming.stops.count() == 3
    assert past.registrations.count() == 8
    assert past.registrations.filter(attended=True).count() == 6
    assert not coming.registrations.filter(attended__isnull=False).exists()

    groups = WorkingGroup.objects.filter(
        kind__in=["ingenierie", "ressource", "relais", "habitants"]
    )
    assert groups.count() == 4
    for group in groups:
        assert group.people.exists()
        meetings = list(Meeting.objects.filter(group=group).order_by("starts_at"))
        assert len(meetings) == 2
        assert meetings[0].minutes and meetings[0].participants.filter(attended=True).exists()

    kiosque = SiteCohost.objects.values_list("site_id", flat=True).distinct().get()
    assert site_cohosts([kiosque])[kiosque] == [
        "Centre social Didot",
        "Ludothèque Porte de Vanves",
        "Collectif des habitantes de la Porte de Vanves",
    ]

    # Loading again changes nothing.
    counts = (UrbanWalk.objects.count(), PlaceProposal.objects.count(), Meeting.objects.count())
    load_diagnosis_participation(today=today)
    assert (
        UrbanWalk.objects.count(),
        PlaceProposal.objects.count(),
        Meeting.objects.count(),
    ) == counts
