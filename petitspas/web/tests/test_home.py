"""The public home page leads families to the agenda; signed in, it shows the person's
organisations."""

from django.urls import reverse


def test_the_public_home_page_leads_families_to_the_agenda(client, db):
    body = client.get(reverse("web:home")).content.decode()
    agenda = reverse("agenda:index")
    assert (
        f'id="trouver-un-atelier" href="{agenda}">Trouver un atelier près de chez vous</a>' in body
    )
    assert "fr-btn--lg" in body
    # A tile for the agenda in the families' section, the professionals' sign-in below.
    assert f'<a href="{agenda}">Agenda des ateliers</a>' in body
    assert body.index("Pour les familles") < body.index("Vous êtes professionnel ?")
    assert f'href="{reverse("accounts:login")}">Se connecter</a>' in body
    assert client.get(agenda).status_code == 200


def test_signed_in_the_home_page_shows_the_organisations_not_the_families_pitch(client, alice):
    client.force_login(alice.professional)
    body = client.get(reverse("web:home")).content.decode()
    assert alice.organisation.name in body
    assert "Trouver un atelier près de chez vous" not in body
