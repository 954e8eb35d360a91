"""Family-facing labels of the activities' choices, translated.

The models keep their French labels for the professionals' screens (UI text is written
once, in French); the public agenda speaks the family's language, so it maps each stored
value to a translatable label here. A value missing below falls back to the model's label.
"""

from django.utils.translation import pgettext_lazy

from petitspas.activities.models import ActivityType, Public, RegistrationMode

KIND_LABELS = {
    ActivityType.Kind.FREE_PLAY: pgettext_lazy("activity kind", "Temps de jeu libre et d'écoute"),
    ActivityType.Kind.LAEP: pgettext_lazy("activity kind", "Accueil enfants-parents (LAEP)"),
    ActivityType.Kind.READING: pgettext_lazy("activity kind", "Atelier lecture"),
    ActivityType.Kind.PSYCHOMOTOR: pgettext_lazy("activity kind", "Atelier psychomotricité"),
    ActivityType.Kind.TALK_GROUP: pgettext_lazy("activity kind", "Groupe de parole"),
    ActivityType.Kind.CONFERENCE: pgettext_lazy("activity kind", "Conférence thématique"),
    ActivityType.Kind.THEATRE: pgettext_lazy("activity kind", "Atelier théâtre"),
    ActivityType.Kind.INFO_DESK: pgettext_lazy("activity kind", "Permanence Point Info Famille"),
    ActivityType.Kind.CHILDCARE: pgettext_lazy("activity kind", "Accueil des jeunes enfants"),
    ActivityType.Kind.WORKSHOP: pgettext_lazy("activity kind", "Atelier parents-enfants"),
}

PUBLIC_LABELS = {
    Public.CHILDREN_0_3: pgettext_lazy("public", "Enfants de 0 à 3 ans et leurs parents"),
    Public.CHILDREN_0_6: pgettext_lazy("public", "Enfants de 0 à 6 ans et leurs parents"),
    Public.PREGNANT: pgettext_lazy("public", "Femmes enceintes"),
    Public.PARENTS: pgettext_lazy("public", "Parents"),
}

# The "age of the child" filter, as a family asks it, and the publics that welcome them:
# a two-year-old is welcome at a 0-3 and at a 0-6 activity, a four-year-old only at 0-6.
AGE_CHOICES = {
    "0-3": (
        pgettext_lazy("age filter", "Enfant de moins de 3 ans"),
        (Public.CHILDREN_0_3, Public.CHILDREN_0_6),
    ),
    "3-6": (pgettext_lazy("age filter", "Enfant de 3 à 6 ans"), (Public.CHILDREN_0_6,)),
    "grossesse": (pgettext_lazy("age filter", "J'attends un enfant"), (Public.PREGNANT,)),
    "parents": (pgettext_lazy("age filter", "Pour les parents"), (Public.PARENTS,)),
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or ActivityType.Kind(kind).label


def public_label(public: str) -> str:
    return PUBLIC_LABELS.get(public) or Public(public).label


def is_open(registration_mode: str) -> bool:
    return registration_mode == RegistrationMode.OPEN
