"""Two editions of Suresnes' printed "parentalité" guide, with what changed between them,
written through the directory's own services: the first edition is published four months
ago from the directory as loaded; then the coordinator edits the directory as a real year
would (a new Saturday service, new hours, a structure that moves to Puteaux and so leaves
the guide) and publishes the second ten days ago. Loading again adds nothing once the
territory has editions."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.demo.data.territory import SURESNES
from petitspas.directory.models import Service, Structure, Territory
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.services_guide import guide_publish

COORDINATOR = "coordination@suresnes.demo"


def _edit_directory(by) -> None:
    relais = Structure.objects.get(nom="Relais petite enfance", code_insee="92073")
    service_save(
        by=by,
        service=Service(
            structure=relais,
            nom="Permanence du samedi matin",
            description=(
                "Le premier samedi du mois, le relais reçoit les parents qui travaillent en "
                "semaine et cherchent un mode d'accueil pour leur enfant."
            ),
            thematiques=["famille--garde-denfants"],
            publics=["familles"],
            frais="gratuit",
            modes_accueil=["en-presentiel"],
            zone_eligibilite=["92073"],
            horaires_accueil="Sa[1] 09:30-12:00",
        ),
    )
    ludotheque = Structure.objects.get(nom="Ludothèque La Toupie")
    ludotheque.horaires_accueil = "We,Sa 10:00-12:30,14:00-18:00; Fr 16:30-18:30"
    ludotheque.telephone = "01 99 00 00 12"
    structure_save(by=by, structure=ludotheque)
    consultations = Service.objects.get(nom="Consultations des nourrissons")
    consultations.description = (
        consultations.description + " Sans rendez-vous le mardi matin, sur rendez-vous ensuite."
    )
    service_save(by=by, service=consultations)
    # The workshop moves to the neighbouring town: it leaves Suresnes' guide.
    atelier = Structure.objects.get(nom="Atelier bien-être des mamans")
    atelier.adresse = "7 rue Voltaire"
    atelier.code_insee, atelier.code_postal, atelier.commune = "92062", "92800", "Puteaux"
    structure_save(by=by, structure=atelier)


def load_guide(*, result=None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    territory = Territory.objects.get(organisation__name=SURESNES)
    created = 0
    if not territory.editions.exists():
        coordinator = User.objects.get(email=COORDINATOR)
        guide_publish(
            by=coordinator, territory=territory, published_on=today - relativedelta(months=4)
        )
        _edit_directory(coordinator)
        guide_publish(
            by=coordinator, territory=territory, published_on=today - datetime.timedelta(days=10)
        )
        created = 2
    if result is not None:
        result.counts["Éditions du guide parentalité"] = [territory.editions.count(), created]
