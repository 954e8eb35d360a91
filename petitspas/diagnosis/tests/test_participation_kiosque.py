"""The kiosque: a site co-hosted by structures and residents, whose sessions list every
co-host on the session page and in the public agenda."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.diagnosis.models import SiteCohost
from petitspas.diagnosis.services_participation import cohosts_set
from petitspas.directory.models import Structure
from petitspas.places.hooks import site_cohosts
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory


@pytest.fixture
def kiosque(alice):
    return SiteFactory(
        programme=alice.programme, name="Kiosque Binet", commune_code="75118", town="Paris",
        kind=Site.Kind.PUBLIC_SPACE,
    )  # fmt: skip


@pytest.fixture
def structures():
    return [
        Structure.objects.create(source_id="k-1", nom="Centre social Belliard", code_insee="75118"),
        Structure.objects.create(
            source_id="k-2", nom="Ludothèque Denise Garon", code_insee="75118"
        ),
    ]


def test_cohosts_in_order_and_by_the_coordination(alice, bob, kiosque, structures):
    count = cohosts_set(
        by=alice.coordinator,
        site=kiosque,
        structures=structures,
        labels=["Collectif des habitantes Binet", " ", "Collectif des habitantes Binet"],
    )
    assert count == 3
    assert site_cohosts([kiosque.pk, alice.site.pk]) == {
        kiosque.pk: [
            "Centre social Belliard",
            "Ludothèque Denise Garon",
            "Collectif des habitantes Binet",
        ]
    }
    with pytest.raises(PermissionDenied):
        cohosts_set(by=alice.professional, site=kiosque, structures=[], labels=[])
    with pytest.raises(PermissionDenied):
        cohosts_set(by=bob.admin, site=kiosque, structures=[], labels=[])
    with pytest.raises(ValidationError):
        cohosts_set(by=alice.coordinator, site=kiosque, structures=[], labels=["x" * 151])
    assert SiteCohost.objects.filter(site=kiosque).count() == 3


def test_sessions_list_their_cohosts(client, alice, kiosque, structures, travel):
    travel(datetime.date(2030, 6, 1))
    cohosts_set(
        by=alice.coordinator, site=kiosque, structures=structures[:1], labels=["Les habitantes"]
    )
    activity = ActivityTypeFactory(programme=alice.programme, name="Kiosque des familles")
    session = SessionFactory(activity_type=activity, site=kiosque, date=datetime.date(2030, 6, 4))
    other = SessionFactory(activity_type=activity, site=alice.site, date=datetime.date(2030, 6, 5))
    public = client.get(reverse("agenda:session", kwargs={"session_pk": session.pk}))
    assert "Co-animé avec" in public.content.decode()
    assert "Centre social Belliard" in public.content.decode()
    assert "Les habitantes" in public.content.decode()
    listing = client.get(reverse("agenda:index")).content.decode()
    assert "Co-animé avec <bdi>Centre social Belliard, Les habitantes</bdi>" in listing
    assert listing.count("Co-animé avec") == 1  # not on the other site's session
    assert (
        "Co-animé"
        not in client.get(
            reverse("agenda:session", kwargs={"session_pk": other.pk})
        ).content.decode()
    )
    client.force_login(alice.professional)
    page = client.get(reverse("activities:session-detail", kwargs={"session_pk": session.pk}))
    assert "Lieu co-animé avec" in page.content.decode()


def test_cohosts_page(client, alice, kiosque, structures):
    url = reverse("diagnosis:site-cohosts", kwargs={"site_pk": kiosque.pk})
    client.force_login(alice.professional)
    assert client.get(url).status_code == 403
    client.force_login(alice.coordinator)
    page = client.get(url).content.decode()
    assert "Ludothèque Denise Garon" in page
    client.post(url, {"structures": [structures[1].pk], "labels": "Les pères du quartier"})
    assert site_cohosts([kiosque.pk])[kiosque.pk] == [
        "Ludothèque Denise Garon",
        "Les pères du quartier",
    ]
