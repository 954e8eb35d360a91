"""The partner directory, on the data·inclusion standard (schema v1).

Field names are the standard's (``nom``, ``thematiques``, ``publics``, ``frais``,
``modes_accueil``, ``zone_eligibilite``, ``horaires_accueil``…), so that import, export and
the API are a plain copy. Lists are JSON lists of the standard's codes; ``tags`` repeats
the codes that filters use, framed by ``|``, so that one ``contains`` filters the same way
on SQLite and PostgreSQL. Identity is (``source``, ``source_id``): the standard's ``source``
and ``id``.

Directory entries are public: families and the Point Info Famille desk read them without
an account. Who *edits* them is ``Structure.objects.visible_to``: the members of the
partner organisation that owns the structure, and the coordinators of an organisation
whose ``Territory`` holds the structure's commune.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet, organisation_ids
from petitspas.directory.sphere import chord2_km
from petitspas.organisations.models import Role

LOCAL_SOURCE = "petitspas"
# A service not confirmed (or edited) for this long is "à actualiser".
STALE_AFTER = relativedelta(months=6)
# Who edits the entries of the organisation that owns them.
OWNER_ROLES = frozenset({Role.PARTNER, Role.ADMIN, Role.COORDINATOR})
# Who edits the entries of their organisation's territory.
TERRITORY_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Services confirmed before this day are "à actualiser"."""
    return (today or timezone.localdate()) - STALE_AFTER


class Territory(models.Model):
    """The communes (INSEE codes) whose directory entries an organisation's coordinators
    look after: Ville de Suresnes coordinates the partners of Suresnes (92073)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="territory"
    )
    communes = models.JSONField("communes (codes INSEE)", default=list)

    class Meta:
        verbose_name = "territoire de l'annuaire"
        verbose_name_plural = "territoires de l'annuaire"

    def __str__(self):
        return f"{self.organisation} : {', '.join(self.communes)}"


def territory_communes(user) -> list[str]:
    ids = organisation_ids(user, TERRITORY_ROLES)
    codes: list[str] = []
    for communes in Territory.objects.filter(organisation_id__in=ids).values_list(
        "communes", flat=True
    ):
        codes.extend(communes)
    return sorted(set(codes))


class EditableQuerySet(ScopedQuerySet):
    """``visible_to``: the entries ``user`` may edit (their organisation's, their territory's).
    Reading does not need it: the directory is public (``published``)."""

    visible_roles = OWNER_ROLES
    commune_lookup = "code_insee"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        owned = organisation_ids(user, OWNER_ROLES)
        communes = territory_communes(user)
        if not owned and not communes:
            return self.none()
        return self.filter(
            Q(**{f"{self.organisation_lookup}__in": owned})
            | Q(**{f"{self.commune_lookup}__in": communes})
        )


class StructureQuerySet(EditableQuerySet):
    organisation_lookup = "organisation"


class ServiceQuerySet(EditableQuerySet):
    organisation_lookup = "structure__organisation"
    commune_lookup = "structure__code_insee"

    def stale(self, today=None):
        return self.filter(confirmed_on__lt=stale_before(today))


class Entry(models.Model):
    """What structures and services share: identity, address, contact, dates."""

    source = models.CharField(max_length=100, default=LOCAL_SOURCE)
    source_id = models.CharField("identifiant (id)", max_length=200)
    nom = models.CharField("nom", max_length=150)
    description = models.TextField("description", blank=True)
    lien_source = models.URLField("lien source", blank=True, max_length=500)
    commune = models.CharField("commune", max_length=100, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    code_insee = models.CharField("code INSEE", max_length=5, blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=250, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField("courriel", blank=True)
    horaires_accueil = models.CharField(
        "horaires d'accueil",
        max_length=500,
        blank=True,
        help_text="Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:30; PH off ».",
    )
    # The standard's date_maj: last change of the entry.
    date_maj = models.DateField("mis à jour le", default=timezone.localdate)
    # The entry as last imported (schema dict, without date_maj): a re-import compares it
    # with the row as it is now to find local edits, which it never overwrites.
    imported = models.JSONField(null=True, blank=True, editable=False)
    search_index = models.TextField(blank=True, editable=False)
    search_name = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.nom


class Structure(Entry):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_structures",
        verbose_name="organisation partenaire",
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    site_web = models.URLField("site web", blank=True, max_length=500)
    accessibilite_lieu = models.URLField("accessibilité du lieu", blank=True, max_length=500)
    reseaux_porteurs = models.JSONField("réseaux porteurs", default=list, blank=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="structure_identity")
        ]
        indexes = [models.Index(fields=["organisation", "nom"])]

    @property
    def audit_organisation(self):
        return self.organisation


class Service(Entry):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    frais = models.CharField("frais", max_length=20, blank=True)
    frais_precisions = models.TextField("précisions sur les frais", blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    publics_precisions = models.TextField("précisions sur les publics", blank=True)
    conditions_acces = models.TextField("conditions d'accès", blank=True)
    modes_accueil = models.JSONField("modes d'accueil", default=list, blank=True)
    zone_eligibilite = models.JSONField("zone d'éligibilité", default=list, blank=True)
    contact_nom_prenom = models.CharField("contact (nom et prénom)", max_length=150, blank=True)
    lien_mobilisation = models.URLField("lien de mobilisation", blank=True, max_length=500)
    modes_mobilisation = models.JSONField("modes de mobilisation", default=list, blank=True)
    mobilisable_par = models.JSONField("mobilisable par", default=list, blank=True)
    mobilisation_precisions = models.TextField("précisions sur la mobilisation", blank=True)
    volume_horaire_hebdomadaire = models.FloatField(null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(null=True, blank=True)
    # Confirmed "toujours exact" (or edited) on this day; stale six months later.
    confirmed_on = models.DateField("confirmé le", default=timezone.localdate)
    # "|thematique|public|frais|mode|" codes, for portable filters.
    tags = models.TextField(blank=True, editable=False)
    # Where a "près de" search places the service: its own point, else its structure's
    # (``directory.geo``), and that point's unit vector (``directory.sphere``). Written
    # with the search columns (``services.index_service``); empty when it has no point.
    place_latitude = models.FloatField(null=True, editable=False)
    place_longitude = models.FloatField(null=True, editable=False)
    place_x = models.FloatField(null=True, editable=False)
    place_y = models.FloatField(null=True, editable=False)
    place_z = models.FloatField(null=True, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "service"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="service_identity")
        ]
        indexes = [
            models.Index(fields=["confirmed_on"]),
            # The bounding box of a "près de" search.
            models.Index(fields=["place_latitude", "place_longitude"], name="service_place"),
        ]

    @property
    def distance_km(self) -> float | None:
        """How far from the point of a "près de" search (``geo.near`` annotates the
        squared chord); None outside such a search."""
        squared_chord = getattr(self, "place_chord2", None)
        return None if squared_chord is None else chord2_km(squared_chord)

    @property
    def audit_organisation(self):
        return self.structure.organisation

    @property
    def is_stale(self) -> bool:
        return self.confirmed_on < stale_before()


class ServiceTerm(models.Model):
    """One entry of the search's inverted index: a word of a service's search column (a
    stem, ``directory.text``) or one of its filter codes (``tags``, written ``|code``), with
    the service's place. The search reads the services holding every word and code asked
    from here (``directory.search``), within a "près de" search's box from the same index,
    instead of matching every row's text. Written with the search columns
    (``directory.terms.write_terms``)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="search_terms", db_index=False
    )
    term = models.TextField()
    place_latitude = models.FloatField(null=True)
    place_longitude = models.FloatField(null=True)

    class Meta:
        indexes = [
            # A word's services within a box, read from the index alone.
            models.Index(
                fields=["term", "place_latitude", "place_longitude", "service"],
                name="service_term_place",
            ),
            models.Index(fields=["service"], name="service_term_service"),
        ]

    def __str__(self):
        return self.term


class SearchWord(models.Model):
    """Every term of ``ServiceTerm``, once: a query's word is a prefix, and the terms it
    starts are read here first, so that each is then an exact key of the index. A term that
    no service holds any more is deleted when the last service holding it is written
    again (``directory.terms.write_terms``)."""

    term = models.TextField(unique=True)

    def __str__(self):
        return self.term


class Change(models.Model):
    """One dated change of a directory entry, kept for its history ("mis à jour le")."""

    class Kind(models.TextChoices):
        CREATE = "create", "Création"
        UPDATE = "update", "Modification"
        CONFIRM = "confirm", "Confirmée « toujours exacte »"
        IMPORT = "import", "Import"

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="changes")
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # field -> [before, after]
    fields = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "modification de l'annuaire"

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y}"


class GuideEditionQuerySet(ScopedQuerySet):
    """Editions of a territory's printed guide. ``visible_to``: the members of the
    territory's organisation; the partners read them through ``guide_territories``
    (``directory.permissions``), since their structures are in it."""

    organisation_lookup = "territory__organisation"


class GuideEdition(models.Model):
    """One published edition of the printed "parentalité" guide of a territory: its number,
    its day, and the guide's content frozen as JSON (``directory.guide.snapshot``), so that
    it prints again identically and the next edition can say what changed."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField("numéro")
    published_on = models.DateField("publiée le")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField("contenu figé", editable=False)

    objects = GuideEditionQuerySet.as_manager()

    class Meta:
        verbose_name = "édition du guide"
        verbose_name_plural = "éditions du guide"
        ordering = ["territory", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "number"], name="guide_edition_number")
        ]

    def __str__(self):
        return f"n° {self.number} du {self.published_on:%d/%m/%Y}"

    @property
    def audit_organisation(self):
        return self.territory.organisation


# --- The Point Info Famille desk (issue 17) ------------------------------------------------
# The desk's staff: the members of the organisation that runs it who work with families.
DESK_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PROFESSIONAL})


class DeskQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = DESK_ROLES


class Desk(models.Model):
    """A Point Info Famille desk: held at one site of its organisation, open when the site's
    calendar (``places.calendar``) says so, except on Saturdays: one Saturday morning a month
    (the ``saturday_rank``-th of the month)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "places.Site", on_delete=models.PROTECT, related_name="+", verbose_name="lieu"
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desks",
        verbose_name="fiche de l'annuaire",
    )
    name = models.CharField("nom", max_length=150)
    slot_minutes = models.PositiveSmallIntegerField("durée d'un rendez-vous (minutes)", default=30)
    saturday_rank = models.PositiveSmallIntegerField(
        "samedi du mois ouvert", default=1, help_text="1 : le premier samedi du mois."
    )

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = "accueil Point Info Famille"
        verbose_name_plural = "accueils Point Info Famille"

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.organisation


class DeskRowQuerySet(ScopedQuerySet):
    organisation_lookup = "desk__organisation"
    visible_roles = DESK_ROLES


class Appointment(models.Model):
    """An individual appointment given to a family in one of the desk's slots. One family
    per slot: a second one is refused (``desk_services.appointment_create``)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    household = models.ForeignKey(
        "families.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="famille",
    )
    first_name = models.CharField("prénom de la personne reçue", max_length=80, blank=True)
    note = models.CharField("objet (sans nom)", max_length=300, blank=True)
    cancelled = models.BooleanField("annulé", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DeskRowQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "starts_at"],
                condition=Q(cancelled=False),
                name="appointment_one_per_slot",
                violation_error_message="Ce créneau est déjà pris.",
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"rendez-vous du {local:%d/%m/%Y à %H:%M}"

    @property
    def audit_organisation(self):
        return self.desk.organisation


class Visit(models.Model):
    """One family received at the desk. Anonymous by default: the day, the question's
    themes (Suresnes' six groups), the orientation given, a note without names. Linked to a
    household only when the family agrees (``consent``), which the service enforces."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField("date", default=timezone.localdate)
    themes = models.JSONField("thèmes de la question", default=list)
    orientation_given = models.CharField("orientation donnée", max_length=300, blank=True)
    note = models.TextField("note (sans nom)", blank=True)
    consent = models.BooleanField("la famille accepte d'être nommée", default=False)
    household = models.ForeignKey(
        "families.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="famille",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DeskRowQuerySet.as_manager()

    class Meta:
        verbose_name = "passage au Point Info Famille"
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["desk", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=True) | Q(consent=True),
                name="visit_named_only_with_consent",
                violation_error_message="Une famille n'est nommée qu'avec son accord.",
            )
        ]

    def __str__(self):
        return f"passage du {self.day:%d/%m/%Y}"

    @property
    def audit_organisation(self):
        return self.desk.organisation


class OrientationQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = DESK_ROLES


class Orientation(models.Model):
    """A family oriented to a directory service, from its file or from a visit, and what
    came of it ("a-t-elle abouti ?")."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "En cours"
        YES = "yes", "Oui"
        NO = "no", "Non"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    desk = models.ForeignKey(
        Desk, on_delete=models.SET_NULL, null=True, blank=True, related_name="orientations"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="orientations"
    )
    household = models.ForeignKey(
        "families.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="famille",
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="orientations", verbose_name="service"
    )
    # The Suresnes group of the service's thématique when oriented: counts stay as they
    # were even if the service's entry changes later.
    theme = models.CharField("thème", max_length=100, blank=True)
    day = models.DateField("date", default=timezone.localdate)
    note = models.CharField("note (sans nom)", max_length=300, blank=True)
    outcome = models.CharField(
        "a-t-elle abouti ?", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_on = models.DateField("suivi le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un partenaire"
        verbose_name_plural = "orientations vers des partenaires"
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["organisation", "day"])]

    def __str__(self):
        return f"orientation vers {self.service.nom} du {self.day:%d/%m/%Y}"

    @property
    def audit_organisation(self):
        return self.organisation


# --- The partners' network: working groups and information sessions ------------------------


class WorkingGroupQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = DESK_ROLES


class WorkingGroup(models.Model):
    """A group of partners (the directory's structures) that meets: Suresnes' « Soutien à la
    parentalité » group of the local mental-health council, or the information sessions for
    professionals (``kind``), open to the members' staff with registrations."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "group", "Groupe de travail"
        INFO_SESSIONS = "info", "Sessions d'information pour les professionnels"
        # The territorial diagnosis' groups (seed 004), whose members are also people:
        # professionals with an account, residents by their first name (``GroupPerson``).
        ENGINEERING = "ingenierie", "Groupe d'ingénierie"
        RESOURCE = "ressource", "Groupe-ressource"
        RELAYS = "relais", "Habitants-relais"
        RESIDENTS = "habitants", "Association d'habitants"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.WORKING_GROUP)
    description = models.TextField("description", blank=True)
    members = models.ManyToManyField(
        Structure, related_name="working_groups", blank=True, verbose_name="membres"
    )

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "groupe de partenaires"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.organisation


DIAGNOSIS_GROUP_KINDS = (
    WorkingGroup.Kind.ENGINEERING,
    WorkingGroup.Kind.RESOURCE,
    WorkingGroup.Kind.RELAYS,
    WorkingGroup.Kind.RESIDENTS,
)


class GroupPerson(models.Model):
    """A person member of a group, beside its member structures: a professional with an
    account (``user``), or a resident known by a first name, whose contact is kept only with
    their consent."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="professionnel (compte)",
    )
    first_name = models.CharField("prénom", max_length=80, blank=True)
    contact = models.CharField("téléphone ou courriel", max_length=150, blank=True)
    consent = models.BooleanField("accord pour garder son contact", default=False)
    role = models.CharField("rôle dans le groupe", max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "membre (personne) d'un groupe"
        ordering = ["first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(first_name=""),
                name="group_person_named",
            ),
            models.CheckConstraint(
                condition=models.Q(contact="") | models.Q(consent=True),
                name="group_person_contact_by_consent",
            ),
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(user__isnull=False),
                name="group_person_user_once",
            ),
        ]

    def __str__(self):
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.first_name


class MeetingQuerySet(ScopedQuerySet):
    organisation_lookup = "group__organisation"
    visible_roles = DESK_ROLES


class Meeting(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField("titre", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=250)
    agenda = models.TextField("ordre du jour", blank=True)
    capacity = models.PositiveIntegerField("places", null=True, blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    campaign_opened_at = models.DateTimeField(
        "campagne de mise à jour du guide", null=True, blank=True, editable=False
    )
    cancelled = models.BooleanField("annulée", default=False)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True, editable=False)
    cancel_reason = models.TextField("motif de l'annulation", blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion de partenaires"
        ordering = ["starts_at"]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.title} ({local:%d/%m/%Y})"

    @property
    def audit_organisation(self):
        return self.group.organisation

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class Participant(models.Model):
    """A member structure at a meeting: invited (working group) or registered (information
    session, one row per person), and whether it came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="participations", null=True, blank=True
    )
    person = models.ForeignKey(
        GroupPerson,
        on_delete=models.CASCADE,
        related_name="participations",
        null=True,
        blank=True,
        verbose_name="personne membre",
    )
    person_name = models.CharField("nom de la personne inscrite", max_length=150, blank=True)
    email = models.EmailField("courriel", blank=True)
    registered = models.BooleanField("inscription", default=False)
    attended = models.BooleanField("présent", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["structure__nom", "person_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "structure", "email"], name="participant_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="participant_person_once",
            ),
            models.CheckConstraint(
                condition=models.Q(structure__isnull=False) | models.Q(person__isnull=False),
                name="participant_structure_or_person",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """Who is expected: the structure (and the person registered), or the member."""
        if self.structure_id:
            name = self.structure.nom
            return f"{name} — {self.person_name}" if self.person_name else name
        return str(self.person)


class MeetingItem(models.Model):
    """A decision or an action of a meeting's minutes; an action has an owner (a member
    structure, or the organiser) and a due date."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Décision"
        ACTION = "action", "Action"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    text = models.CharField("texte", max_length=500)
    owner = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="porteur",
    )
    owner_label = models.CharField("porteur (autre)", max_length=150, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)

    class Meta:
        ordering = ["kind", "due_on", "pk"]

    def __str__(self):
        return self.text

    @property
    def owner_name(self) -> str:
        return self.owner.nom if self.owner_id else self.owner_label
