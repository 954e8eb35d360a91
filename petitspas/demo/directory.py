"""Loads the Suresnes partner directory (``data/directory.py``) through the directory's own
import (``directory.interop.import_records``): every record is checked by the
data·inclusion schema package, and loading twice changes nothing (identity = source + id).
Ville de Suresnes coordinates the directory of its commune (``Territory``)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.text import slugify

from petitspas.demo.data import directory as data
from petitspas.demo.data.territory import SURESNES, SURESNES_PARTNER
from petitspas.directory.interop import import_records
from petitspas.directory.models import Territory
from petitspas.organisations.models import Organisation

SOURCE = "demo-suresnes"


def _records(specs, today: datetime.date):
    code_insee, code_postal, commune = data.SURESNES
    structures, services = [], []
    for name, street, hours, service_specs in specs:
        day = today - (relativedelta(months=8) if name in data.STALE else relativedelta(days=20))
        ident = f"{SOURCE}--{slugify(name)[:80]}"
        slug = slugify(name)[:30].strip("-")
        structures.append(
            {
                "source": SOURCE,
                "id": ident,
                "nom": name,
                "date_maj": day.isoformat(),
                "adresse": street,
                "code_insee": code_insee,
                "code_postal": code_postal,
                "commune": commune,
                "telephone": "01 99 00 00 00",
                "courriel": f"contact@{slug}.demo",
                "horaires_accueil": hours,
            }
        )
        for nom, description, thematiques, publics, frais in service_specs:
            services.append(
                {
                    "source": SOURCE,
                    "structure_id": ident,
                    "id": f"{ident}--{slugify(nom)[:60]}",
                    "nom": nom,
                    "description": description,
                    "date_maj": day.isoformat(),
                    "thematiques": list(thematiques),
                    "publics": list(publics),
                    "frais": frais,
                    "modes_accueil": ["en-presentiel"],
                    "zone_eligibilite": [code_insee],
                    "code_insee": code_insee,
                }
            )
    return list(enumerate(structures, 1)), list(enumerate(services, 1))


def load_directory(*, result=None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    partner = Organisation.objects.get(name=SURESNES_PARTNER)
    town = Organisation.objects.get(name=SURESNES)
    Territory.objects.update_or_create(organisation=town, defaults={"communes": ["92073"]})
    owned = [s for s in data.STRUCTURES if s[0] in data.OWNED_BY_PARTNER]
    others = [s for s in data.STRUCTURES if s[0] not in data.OWNED_BY_PARTNER]
    reports = []
    for specs, owner in ((owned, partner), (others, None)):
        structures, services = _records(specs, today)
        report = import_records(structures=structures, services=services, organisation=owner)
        if report.errors:
            raise ValueError("; ".join(str(e) for e in report.errors))
        reports.append(report)
    if result is not None:
        count = sum(len(s[3]) + 1 for s in data.STRUCTURES)
        created = sum(r.created for r in reports)
        result.counts["Fiches de l'annuaire"] = [count, created]
    return reports
