"""The participation in Paris' territorial diagnosis (seed 004, « Agir ensemble pour les
enfants »): resource places for the four micro-neighbourhoods, two urban walks (one past
with its attendance, one to come), the groups with their meetings, and the kiosque with
its co-hosts. Everything goes through the services, as the coordination would write it.
Loading twice changes nothing: once the first walk exists, the rest is left alone.

The structures are invented but plausible, placed in their arrondissement."""

import datetime

from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.demo.data.territory import PARIS
from petitspas.diagnosis.models import Area, UrbanWalk
from petitspas.diagnosis.services_participation import (
    cohosts_set,
    group_create,
    group_person_add,
    proposal_create,
    proposal_decide,
    walk_attendance,
    walk_create,
    walk_register,
)
from petitspas.directory.models import Structure, Territory, WorkingGroup
from petitspas.directory.services import structure_save
from petitspas.directory.services_network import attendance_record, meeting_create, minutes_save
from petitspas.organisations.models import Organisation
from petitspas.places.models import Site

COORDINATOR = "coordination@paris.demo"
PROFESSIONAL = "terrain@paris.demo"
SOURCE = "demo-diagnostic-paris"

# (name, INSEE code, postcode, commune), the areas the diagnosis studies.
AREAS = (
    ("Quartier Porte de Vincennes (12e)", "75112"),
    ("Quartier Didot – Porte de Vanves (14e)", "75114"),
    ("Quartier Porte Montmartre – Porte de Clignancourt (18e)", "75118"),
    ("Quartier Flandre (19e)", "75119"),
)

# (source id, name, INSEE code, postcode, address, latitude, longitude)
STRUCTURES = (
    ("p12-1", "Centre social Relais 59", "75112", "75012", "1 rue Hector Malot", 48.8451, 2.3752),
    ("p12-2", "Médiathèque Hélène Berr", "75112", "75012", "70 rue de Picpus", 48.8419, 2.3990),
    ("p14-1", "Centre social Didot", "75114", "75014", "52 rue Didot", 48.8318, 2.3150),
    (
        "p14-2",
        "Ludothèque Porte de Vanves",
        "75114",
        "75014",
        "12 rue Vercingétorix",
        48.8300,
        2.3105,
    ),
    (
        "p14-3",
        "Centre de PMI Losserand",
        "75114",
        "75014",
        "120 rue Raymond Losserand",
        48.8290,
        2.3120,
    ),
    ("p18-1", "Centre social Belliard", "75118", "75018", "10 rue Belliard", 48.8977, 2.3400),
    (
        "p18-2",
        "Espace parents Championnet",
        "75118",
        "75018",
        "90 rue Championnet",
        48.8966,
        2.3430,
    ),
    (
        "p18-3",
        "Bibliothèque Maurice Genevoix",
        "75118",
        "75018",
        "19 rue Tristan Tzara",
        48.8950,
        2.3580,
    ),
    (
        "p19-1",
        "Maison des familles Flandre",
        "75119",
        "75019",
        "50 avenue de Flandre",
        48.8880,
        2.3770,
    ),
    ("p19-2", "Ludothèque Crimée", "75119", "75019", "140 rue de Crimée", 48.8890, 2.3800),
)

# (area's INSEE code, name, address, proposer, point or None, validated?)
PROPOSALS = (
    ("75112", "Square Courteline", "Avenue de Saint-Mandé", "resident", (48.8460, 2.4010), True),
    ("75114", "Jardin partagé Didot", "rue Didot", "resident", (48.8310, 2.3140), True),
    ("75118", "Square Léon Serpollet", "rue Championnet", "resident", (48.8975, 2.3415), True),
    ("75118", "Laverie solidaire", "rue du Poteau", "professional", None, False),
    ("75119", "Parvis de la bibliothèque", "rue de Crimée", "resident", (48.8885, 2.3790), None),
)


def _paris(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _areas(paris: Organisation) -> dict[str, Area]:
    areas = {}
    for name, commune in AREAS:
        area, _ = Area.objects.get_or_create(
            organisation=paris, name=name, defaults={"commune": commune}
        )
        areas[commune] = area
    return areas


def _structures(coordinator: User) -> dict[str, Structure]:
    structures = {}
    for source_id, name, code, postcode, address, lat, lon in STRUCTURES:
        existing = Structure.objects.filter(source=SOURCE, source_id=source_id).first()
        structures[source_id] = existing or structure_save(
            by=coordinator,
            structure=Structure(
                source=SOURCE,
                source_id=source_id,
                nom=name,
                code_insee=code,
                code_postal=postcode,
                commune="Paris",
                adresse=address,
                latitude=lat,
                longitude=lon,
            ),
        )
    return structures


def load_diagnosis_participation(*, today: datetime.date, result=None) -> None:
    paris = Organisation.objects.get(name=PARIS)
    coordinator = User.objects.get(email=COORDINATOR)
    professional = User.objects.get(email=PROFESSIONAL)
    areas = _areas(paris)
    walks = UrbanWalk.objects.filter(area__organisation=paris)
    if walks.exists():
        if result is not None:
            result.counts["Parcours urbains du diagnostic"] = [walks.count(), 0]
        return
    # The Paris coordination looks after the directory entries of its four arrondissements.
    territory, _ = Territory.objects.get_or_create(organisation=paris)
    territory.communes = sorted(set(territory.communes) | {code for _, code in AREAS})
    territory.save(update_fields=["communes"])
    structures = _structures(coordinator)

    for commune, name, address, proposer, point, validated in PROPOSALS:
        lat, lon = point or (None, None)
        proposal = proposal_create(
            area=areas[commune],
            name=name,
            address=address,
            proposer=proposer,
            latitude=lat,
            longitude=lon,
        )
        if validated is True:
            proposal_decide(by=coordinator, proposal=proposal, validate=True)
        elif validated is False:
            proposal_decide(
                by=coordinator,
                proposal=proposal,
                validate=False,
                reason="Lieu privé : il ne peut pas figurer sur la carte.",
            )

    _walks(today, areas, structures, coordinator)
    _groups(today, paris, structures, coordinator, professional)
    kiosque = Site.objects.get(
        programme__organisation=paris, name="Kiosque des familles – micro-quartier du 14e"
    )
    cohosts_set(
        by=coordinator,
        site=kiosque,
        structures=[structures["p14-1"], structures["p14-2"]],
        labels=["Collectif des habitantes de la Porte de Vanves"],
    )
    if result is not None:
        result.counts["Parcours urbains du diagnostic"] = [walks.count(), walks.count()]


def _walks(today, areas, structures, coordinator) -> None:
    past_day = today - datetime.timedelta(days=20)
    past = walk_create(
        by=coordinator,
        area=areas["75118"],
        title="Découvrir les lieux ressources de la Porte Montmartre",
        starts_at=_paris(past_day, 14),
        ends_at=_paris(past_day, 16, 30),
        guide="Hélène Dubois, coordinatrice sociale de territoire",
        capacity=15,
        description="Parcours à pied avec les parents de l'école élémentaire.",
        stops=[
            {"place": f"structure:{structures['p18-1'].pk}", "note": "Accueil par l'équipe"},
            {
                "place": f"structure:{structures['p18-2'].pk}",
                "note": "Présentation du café des parents",
            },
            {
                "place": f"structure:{structures['p18-3'].pk}",
                "note": "Inscription à la bibliothèque",
            },
        ],
    )
    people = [
        ("resident", "Aminata", "", "06 12 34 56 78", True),
        ("resident", "Sofia", "", "", False),
        ("resident", "Nadia", "", "", False),
        ("resident", "Ousmane", "", "sow.o@exemple.fr", True),
        ("resident", "Rachida", "", "", False),
        ("resident", "Lucie", "", "", False),
        ("professional", "Karima", "Centre social Belliard", "", False),
        ("professional", "Jérôme", "Espace parents Championnet", "", False),
    ]
    registrations = [
        walk_register(
            by=coordinator,
            walk=past,
            kind=kind,
            first_name=first_name,
            structure_name=structure,
            contact=contact,
            consent=consent,
        )
        for kind, first_name, structure, contact, consent in people
    ]
    # Six of the eight came.
    walk_attendance(
        by=coordinator, walk=past, present_ids={r.pk for r in registrations[:4] + registrations[6:]}
    )

    next_day = today + datetime.timedelta(days=12)
    coming = walk_create(
        by=coordinator,
        area=areas["75114"],
        title="Parcours urbain Didot – Porte de Vanves",
        starts_at=_paris(next_day, 10),
        ends_at=_paris(next_day, 12),
        guide="Mamadou Sow, Agir ensemble pour les enfants",
        capacity=12,
        stops=[
            {"place": f"structure:{structures['p14-1'].pk}"},
            {"place": f"structure:{structures['p14-3'].pk}", "note": "Consultations et ateliers"},
            {"label": "Square du Cardinal-Wyszynski", "latitude": 48.8335, "longitude": 2.3110},
        ],
    )
    for first_name in ("Fatima", "Inès", "Moussa"):
        walk_register(by=coordinator, walk=coming, kind="resident", first_name=first_name)


GROUPS = (
    (
        WorkingGroup.Kind.ENGINEERING,
        "Groupe d'ingénierie – Agir ensemble",
        "Pilote la recherche-action avec l'Observatoire social de la DASES.",
    ),
    (
        WorkingGroup.Kind.RESOURCE,
        "Groupe-ressource Porte Montmartre",
        "Professionnels et habitants qui partagent le diagnostic du quartier.",
    ),
    (
        WorkingGroup.Kind.RELAYS,
        "Habitants-relais du quartier Flandre",
        "Des habitants font connaître les lieux ressources à leurs voisins.",
    ),
    (
        WorkingGroup.Kind.RESIDENTS,
        "Association des habitants de la Porte de Vanves",
        "Association partenaire du kiosque des familles.",
    ),
)


def _groups(today, paris, structures, coordinator, professional) -> None:
    groups = {
        kind: group_create(
            by=coordinator, organisation=paris, name=name, kind=kind, description=description
        )
        for kind, name, description in GROUPS
    }
    group_person_add(by=coordinator, group=groups["ingenierie"], user=coordinator, role="Pilote")
    group_person_add(by=coordinator, group=groups["ingenierie"], user=professional)
    groups["ressource"].members.add(structures["p18-1"], structures["p18-2"])
    group_person_add(by=coordinator, group=groups["ressource"], user=professional)
    for first_name, contact in (("Aminata", "06 12 34 56 78"), ("Mariam", ""), ("Yacine", "")):
        group_person_add(
            by=coordinator,
            group=groups["ressource"],
            first_name=first_name,
            contact=contact,
            consent=bool(contact),
            role="Habitante" if first_name != "Yacine" else "Habitant",
        )
    for first_name in ("Djeneba", "Hocine", "Marie"):
        group_person_add(
            by=coordinator, group=groups["relais"], first_name=first_name, role="Habitant-relais"
        )
    groups["habitants"].members.add(structures["p14-1"])
    group_person_add(
        by=coordinator, group=groups["habitants"], first_name="Christine", role="Présidente"
    )

    for kind, place in (
        ("ingenierie", "DASES, 94-96 quai de la Rapée"),
        ("ressource", "Centre social Belliard"),
        ("relais", "Maison des familles Flandre"),
        ("habitants", "Kiosque des familles"),
    ):
        group = groups[kind]
        past_day = today - datetime.timedelta(days=30)
        past = meeting_create(
            by=coordinator,
            group=group,
            title=f"{group.name} : réunion de rentrée",
            starts_at=_paris(past_day, 18),
            ends_at=_paris(past_day, 19, 30),
            place=place,
            agenda="Retour sur le diagnostic ; prochains parcours urbains.",
        )
        participants = list(past.participants.order_by("pk"))
        attendance_record(
            by=coordinator,
            meeting=past,
            present_ids={p.pk for p in participants[:-1] or participants},
        )
        minutes_save(
            by=coordinator,
            meeting=past,
            minutes="Le groupe a relu la carte des lieux ressources du quartier.",
            new_item={
                "kind": "action",
                "text": "Préparer le prochain parcours urbain",
                "owner": None,
                "owner_label": "La coordination",
                "due_on": today + datetime.timedelta(days=10),
            },
        )
        next_day = today + datetime.timedelta(days=21)
        meeting_create(
            by=coordinator,
            group=group,
            title=f"{group.name} : point d'étape",
            starts_at=_paris(next_day, 18),
            ends_at=_paris(next_day, 19, 30),
            place=place,
        )
