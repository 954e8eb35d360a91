"""The Cabanes' monthly reviews (seed 003: "un accompagnement mensuel par la direction de
l'innovation du Département"; field feedback adapts the programme, the mobilisation and
the local partnerships) for the two months before today, and a few observations chosen
for this year's report, written through reporting's services."""

import datetime

from petitspas.accounts.models import User
from petitspas.attendance.models import Observation
from petitspas.demo.data.territory import CABANES
from petitspas.organisations.models import Programme
from petitspas.reporting.models import MonthlyReview
from petitspas.reporting.services_review import observation_select, review_save

COORDINATOR = "coordination@seinesaintdenis.demo"
REVIEWS = (
    {
        "conclusions": (
            "Fréquentation stable aux Lilas, en hausse à La Courneuve depuis l'installation "
            "du container. Beaucoup de premières venues de femmes enceintes orientées par la "
            "PMI ; les pères restent rares."
        ),
        "adjust_programme": "Ajouter un atelier d'éveil sensoriel le mercredi matin.",
        "adjust_mobilisation": (
            "Affiches dans les halls des immeubles et passage au marché le samedi."
        ),
        "adjust_partnerships": "Associer la ludothèque municipale aux ateliers jeux.",
    },
    {
        "conclusions": (
            "Moins de familles par grand froid ; les familles venues sont surtout des "
            "habituées. Questions fréquentes sur le sommeil et les écrans."
        ),
        "adjust_programme": "Atelier « sommeil du tout-petit » avec la puéricultrice.",
        "adjust_mobilisation": "",
        "adjust_partnerships": (
            "Proposer au centre social un relais d'information sur l'accès aux droits."
        ),
    },
)


def load_reviews(*, today: datetime.date) -> dict:
    programme = Programme.objects.filter(name=CABANES.name).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if programme is None or coordinator is None:
        return {"reviews": 0, "observations": 0}
    month = today.replace(day=1)
    written = 0
    for texts in REVIEWS:
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        if not MonthlyReview.objects.filter(programme=programme, month=month).exists():
            review_save(programme=programme, month=month, by=coordinator, today=today, **texts)
            written += 1
    notes = Observation.objects.filter(
        session__activity_type__programme=programme, observed_on__year=today.year
    ).order_by("observed_on", "pk")[:3]
    for note in notes:
        observation_select(programme=programme, year=today.year, observation=note, by=coordinator)
    return {"reviews": written, "observations": len(notes)}
