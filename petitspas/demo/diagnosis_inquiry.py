"""The qualitative diagnosis of « Agir ensemble pour les enfants » (seed 004): the
codebook of the four Paris micro-neighbourhoods, an interview in each, a focus group in
the 18e and an observation at the 14e's kiosque, their passages coded, and the
methodological booklet in two editions. Everything goes through the diagnosis' own
services, as the coordinator would; loading again adds nothing once the codebook exists.

The people are invented and never named: records hold profiles and counts only."""

import datetime

from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.demo.data.territory import PARIS
from petitspas.diagnosis import services_inquiry as services
from petitspas.diagnosis.models import Area, Code
from petitspas.organisations.models import Organisation

COORDINATOR = "coordination@paris.demo"
PROFESSIONAL = "terrain@paris.demo"

AREAS = (
    ("Quartier Porte de Vincennes (12e)", "75112"),
    ("Quartier Didot – Porte de Vanves (14e)", "75114"),
    ("Quartier Porte Montmartre – Porte de Clignancourt (18e)", "75118"),
    ("Quartier Flandre (19e)", "75119"),
)

CODEBOOK = (
    (
        "Isolement des parents",
        "Ce que les parents disent de leur solitude, de leur réseau, de leur arrivée.",
        (
            ("Arrivée récente dans le quartier", ""),
            ("Absence de réseau familial", "Famille restée au pays ou en province."),
            ("Solitude au quotidien", ""),
        ),
    ),
    (
        "Accès aux modes de garde",
        "Crèches, assistantes maternelles, haltes-garderies : places, coûts, démarches.",
        (
            ("Manque de places", ""),
            ("Démarches mal connues", "Le parent ne sait pas où ni comment demander."),
            ("Coût", ""),
        ),
    ),
    (
        "Usage de l'espace public",
        "Squares, rues, pieds d'immeubles : où les familles vont, où elles ne vont pas.",
        (
            ("Squares et aires de jeux", ""),
            ("Sentiment d'insécurité", ""),
        ),
    ),
    (
        "Langue et interprétariat",
        "La langue comme frein ou comme ressource dans le lien aux institutions.",
        (
            ("Barrière de la langue", ""),
            ("Interprétariat par les enfants", "L'enfant traduit pour ses parents."),
        ),
    ),
)

# (area index, days ago, method, title, counts, transcript, [(excerpt, [codes])])
RECORDS = (
    (
        0,
        140,
        "interview",
        "Entretien avec une mère de deux enfants",
        {"parents": 1},
        "Nous sommes arrivés il y a un an, après l'hôtel.\n"
        "Ma famille est restée à Bamako, ici je ne connais que la voisine.\n"
        "Pour la crèche, on m'a dit qu'il n'y avait pas de place avant la rentrée.\n"
        "Je ne savais pas qu'il fallait s'inscrire à la mairie pendant la grossesse.\n"
        "Le square, j'y vais le matin, l'après-midi il y a trop de monde.",
        (
            (
                "Nous sommes arrivés il y a un an, après l'hôtel.",
                ["Arrivée récente dans le quartier"],
            ),
            (
                "Ma famille est restée à Bamako, ici je ne connais que la voisine.",
                ["Absence de réseau familial", "Solitude au quotidien"],
            ),
            ("on m'a dit qu'il n'y avait pas de place avant la rentrée.", ["Manque de places"]),
            (
                "Je ne savais pas qu'il fallait s'inscrire à la mairie pendant la grossesse.",
                ["Démarches mal connues"],
            ),
            (
                "Le square, j'y vais le matin, l'après-midi il y a trop de monde.",
                ["Squares et aires de jeux"],
            ),
        ),
    ),
    (
        1,
        120,
        "interview",
        "Entretien avec la directrice de l'école maternelle",
        {"professionals": 1},
        "Les parents restent au portail, ils n'entrent pas dans l'école.\n"
        "Certains enfants traduisent pour leurs parents aux réunions, ce n'est pas leur place.\n"
        "Depuis le café des parents, des mères se parlent entre elles.",
        (
            (
                "Les parents restent au portail, ils n'entrent pas dans l'école.",
                ["Solitude au quotidien"],
            ),
            (
                "Certains enfants traduisent pour leurs parents aux réunions",
                ["Interprétariat par les enfants"],
            ),
        ),
    ),
    (
        1,
        95,
        "observation",
        "Observation au kiosque, mercredi après-midi",
        {"residents": 6, "associations": 2},
        "Six habitantes passent au kiosque entre 14 h et 16 h ; deux bénévoles de "
        "l'association de quartier tiennent la table.\n"
        "Une mère demande en arabe où faire garder son fils le jeudi : une bénévole traduit.\n"
        "les parents disent qu'il est mal fréquenté le soir.",
        (
            (
                "Une mère demande en arabe où faire garder son fils le jeudi",
                ["Barrière de la langue", "Démarches mal connues"],
            ),
            (
                "les parents disent qu'il est mal fréquenté le soir.",
                ["Sentiment d'insécurité"],
            ),
        ),
    ),
    (
        2,
        80,
        "focus_group",
        "Focus group au centre social, parents et professionnels",
        {"parents": 5, "professionals": 3},
        "Une mère : « On a demandé une place en crèche, trois refus. »\n"
        "Un père : « La halte-garderie coûte trop cher pour nous, même au quotient. »\n"
        "Une assistante sociale : « Les familles ne viennent qu'en urgence, elles ne "
        "connaissent pas les lieux de la PMI. »\n"
        "Une mère : « Au rendez-vous, c'est ma fille de dix ans qui parle pour moi. »\n"
        "Un éducateur : « Les squares sont occupés le soir, les familles rentrent tôt. »",
        (
            ("« On a demandé une place en crèche, trois refus. »", ["Manque de places"]),
            ("« La halte-garderie coûte trop cher pour nous, même au quotient. »", ["Coût"]),
            (
                "elles ne connaissent pas les lieux de la PMI. »",
                ["Démarches mal connues", "Isolement des parents"],
            ),
            (
                "« Au rendez-vous, c'est ma fille de dix ans qui parle pour moi. »",
                ["Interprétariat par les enfants", "Barrière de la langue"],
            ),
            (
                "« Les squares sont occupés le soir, les familles rentrent tôt. »",
                ["Sentiment d'insécurité", "Squares et aires de jeux"],
            ),
        ),
    ),
    (
        3,
        60,
        "interview",
        "Entretien avec un père, habitant depuis six mois",
        {"parents": 1, "residents": 1},
        "Je travaille de nuit, ma femme est seule avec les trois petits toute la journée.\n"
        "On ne connaît personne, on n'ose pas frapper chez les voisins.\n"
        "Pour les papiers, on demande au fils aîné de lire les courriers.",
        (
            (
                "ma femme est seule avec les trois petits toute la journée.",
                ["Solitude au quotidien"],
            ),
            (
                "On ne connaît personne, on n'ose pas frapper chez les voisins.",
                ["Absence de réseau familial", "Arrivée récente dans le quartier"],
            ),
            ("on demande au fils aîné de lire les courriers.", ["Interprétariat par les enfants"]),
        ),
    ),
)

SECTIONS = (
    (
        "method",
        1,
        "Constituer le groupe d'ingénierie",
        (
            "Le groupe d'ingénierie pilote la démarche dans chaque micro-quartier : la "
            "coordinatrice sociale de territoire, le chef de projet politique de la ville, la "
            "coordination des politiques familiales.\n\n"
            "Il se réunit tous les deux mois, choisit le périmètre et valide chaque étape."
        ),
    ),
    (
        "method",
        2,
        "Établir le diagnostic quantitatif",
        (
            "Rassembler à l'échelle de l'IRIS les données socio-démographiques : enfants de "
            "moins de 6 ans, familles monoparentales, ménages sous le seuil de pauvreté, en "
            "regard de l'arrondissement et de Paris."
        ),
    ),
    (
        "method",
        3,
        "Mener les entretiens, les focus groups et les observations",
        (
            "Une dizaine d'entretiens individuels par quartier, avec des parents, des habitants "
            "et des professionnels ; un focus group mêlant parents et professionnels ; des "
            "observations des lieux (kiosque, squares, sorties d'école).\n\n"
            "Aucun nom n'est noté sans l'accord de la personne."
        ),
    ),
    (
        "method",
        4,
        "Coder et restituer",
        (
            "Chaque passage est codé avec la grille commune, puis la synthèse par quartier est "
            "restituée au groupe-ressource, qui choisit les actions."
        ),
    ),
    (
        "tools",
        1,
        "Guide d'entretien individuel",
        (
            "1. Depuis quand habitez-vous le quartier ? Comment y êtes-vous arrivée ?\n"
            "2. Sur qui pouvez-vous compter quand vous avez besoin d'aide avec les enfants ?\n"
            "3. Où faites-vous garder vos enfants ? Comment l'avez-vous trouvé ?\n"
            "4. Quels lieux du quartier fréquentez-vous avec eux ? Lesquels évitez-vous ?\n"
            "5. Qu'est-ce qui vous aiderait ?"
        ),
    ),
    (
        "tools",
        2,
        "Guide du focus group",
        (
            "Deux heures, huit à dix participants, un animateur et un observateur. Tour de "
            "table, puis trois questions ouvertes : ce qui manque aux familles, ce qui marche, "
            "ce que l'on pourrait faire ensemble. Interprète si besoin."
        ),
    ),
    (
        "roles",
        1,
        "Le groupe-ressource",
        (
            "Professionnels et habitants du quartier : il identifie les besoins et les pistes "
            "d'actions, et les met en œuvre."
        ),
    ),
    (
        "roles",
        2,
        "Les habitants-relais",
        (
            "Des habitantes et habitants font le lien entre les institutions et les familles "
            "qu'elles ne rencontrent pas."
        ),
    ),
    (
        "lessons",
        1,
        "L'école, point d'ancrage du quartier",
        (
            "L'ouverture de l'école à des temps de rencontre (café des parents, kermesse) a été "
            "le premier levier : les parents y viennent chaque jour."
        ),
    ),
)

LATER_LESSON = (
    "lessons",
    2,
    "La durée de la démarche",
    "La pérennité dépend des moyens humains dédiés : prévoir au moins deux ans et une "
    "coordinatrice identifiée par quartier.",
)


def load_inquiry(*, today: datetime.date | None = None, result=None) -> None:
    today = today or timezone.localdate()
    organisation = Organisation.objects.get(name=PARIS)
    created = not Code.objects.filter(organisation=organisation).exists()
    if created:
        _load(organisation, today)
    if result is not None:
        from petitspas.diagnosis.models import BookletEdition, InquiryRecord  # noqa: PLC0415

        records = InquiryRecord.objects.filter(organisation=organisation).count()
        editions = BookletEdition.objects.filter(organisation=organisation).count()
        result.counts["Entretiens, focus groups et observations"] = [
            records,
            records if created else 0,
        ]
        result.counts["Éditions du livret méthodologique"] = [editions, editions if created else 0]


def _load(organisation, today: datetime.date) -> None:
    coordinator = User.objects.get(email=COORDINATOR)
    professional = User.objects.get(email=PROFESSIONAL)
    areas = [
        Area.objects.get_or_create(
            organisation=organisation, name=name, defaults={"commune": commune}
        )[0]
        for name, commune in AREAS
    ]
    codes = {}
    for theme_name, description, children in CODEBOOK:
        theme = services.code_create(
            by=coordinator, organisation=organisation, name=theme_name, description=description
        )
        codes[theme_name] = theme
        for name, definition in children:
            codes[name] = services.code_create(
                by=coordinator,
                organisation=organisation,
                parent=theme,
                name=name,
                description=definition,
            )
    for area_index, days_ago, method, title, counts, transcript, passages in RECORDS:
        record = services.record_create(
            by=professional,
            organisation=organisation,
            area=areas[area_index],
            held_on=today - datetime.timedelta(days=days_ago),
            method=method,
            title=title,
            transcript=transcript,
            **counts,
        )
        for excerpt, names in passages:
            services.passage_code(
                by=coordinator,
                record=record,
                excerpt=excerpt,
                codes=[codes[name] for name in names],
            )
    for part, position, title, body in SECTIONS:
        services.section_save(
            by=coordinator,
            organisation=organisation,
            part=part,
            position=position,
            title=title,
            body=body,
        )
    services.booklet_publish(
        by=coordinator,
        organisation=organisation,
        changes_note="Première édition, partagée avec les coordinatrices des autres territoires.",
        published_on=today - datetime.timedelta(days=45),
    )
    part, position, title, body = LATER_LESSON
    services.section_save(
        by=coordinator,
        organisation=organisation,
        part=part,
        position=position,
        title=title,
        body=body,
    )
    services.booklet_publish(
        by=coordinator,
        organisation=organisation,
        changes_note="Un enseignement ajouté après la restitution au groupe-ressource du 19e.",
        published_on=today - datetime.timedelta(days=5),
    )
