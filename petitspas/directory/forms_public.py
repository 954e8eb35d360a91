"""The directory's one search form (the families' pages, translated, and the professionals'
``/annuaire/``): words, "près de" an address and a radius, a theme among Suresnes' six
Point Info Famille groups, a public, free, open now.

The thématiques offered are those of the six groups, and the publics are all of the
standard's, with their labels translated here (the data·inclusion package gives them in
French only); ``THEME_LABELS`` and ``PUBLIC_LABELS`` say the same as the package in French
(a test checks it)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from petitspas.core.bounds import SEARCH_MAX_LENGTH
from petitspas.directory.geo import DEFAULT_RADIUS_KM, RADIUS_CHOICES_KM
from petitspas.directory.themes import SURESNES_GROUPS
from petitspas.places.communes import get_commune

GROUP_LABELS = {
    "Prises en charge et soins": _("Prises en charge et soins"),
    "Accompagnement psychosocial": _("Accompagnement psychosocial"),
    "Accès aux aides légales et facultatives": _("Accès aux aides légales et facultatives"),
    "Accès aux loisirs et à la culture": _("Accès aux loisirs et à la culture"),
    "Accès au droit": _("Accès au droit"),
    "Participation citoyenne": _("Participation citoyenne"),
}
THEME_LABELS = {
    "sante--acces-aux-soins": pgettext_lazy("thématique", "Accès aux soins"),
    "sante--sante-mentale": pgettext_lazy("thématique", "Santé mentale"),
    "famille--garde-denfants": pgettext_lazy("thématique", "Garde d’enfants"),
    "famille--prise-en-charge-personne-dependante": pgettext_lazy(
        "thématique", "Prise en charge d’une personne dépendante"
    ),
    "famille--soutien-a-la-parentalite-et-a-leducation": pgettext_lazy(
        "thématique", "Soutien à la parentalité et à l’éducation"
    ),
    "famille--surmonter-conflits-separation-violence": pgettext_lazy(
        "thématique", "Surmonter les conflits liés à la séparation ou à la violence"
    ),
    "remobilisation--bien-etre-confiance-en-soi": pgettext_lazy(
        "thématique", "Bien-être et confiance en soi"
    ),
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives": (
        pgettext_lazy("thématique", "Accompagnement aux démarches administratives")
    ),
    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere": (
        pgettext_lazy("thématique", "Prévenir une dégradation de la situation financière")
    ),
    "equipement-et-alimentation--alimentation": pgettext_lazy("thématique", "Alimentation"),
    "remobilisation--activites-sportives-et-culturelles": pgettext_lazy(
        "thématique", "Activités sportives et culturelles"
    ),
    "remobilisation--lien-social": pgettext_lazy("thématique", "Lien social"),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits": (
        pgettext_lazy("thématique", "Accompagnement pour l’accès aux droits")
    ),
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination": (
        pgettext_lazy("thématique", "Connaître ses droits face à une discrimination")
    ),
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire": (
        pgettext_lazy("thématique", "Prendre en compte une problématique judiciaire")
    ),
    "remobilisation--benevolat-action-citoyenne": pgettext_lazy(
        "thématique", "Bénévolat et action citoyenne"
    ),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete": (
        pgettext_lazy("thématique", "Accompagnement pour l’accès à la citoyenneté")
    ),
}

PUBLIC_LABELS = {
    "tous-publics": pgettext_lazy("public", "Tous publics"),
    "actifs": pgettext_lazy("public", "Actifs"),
    "beneficiaires-des-minimas-sociaux": pgettext_lazy(
        "public", "Bénéficiaires des minimas sociaux"
    ),
    "demandeurs-emploi": pgettext_lazy("public", "Demandeurs d’emploi"),
    "etudiants": pgettext_lazy("public", "Étudiants"),
    "familles": pgettext_lazy("public", "Familles"),
    "femmes": pgettext_lazy("public", "Femmes"),
    "jeunes": pgettext_lazy("public", "Jeunes"),
    "personnes-en-situation-de-handicap": pgettext_lazy(
        "public", "Personnes en situation de handicap"
    ),
    "personnes-en-situation-durgence": pgettext_lazy("public", "Personnes en situation d’urgence"),
    "personnes-en-situation-juridique-specifique": pgettext_lazy(
        "public", "Personnes en situation juridique spécifique"
    ),
    "personnes-exilees": pgettext_lazy("public", "Personnes exilées"),
    "residents-qpv-frr": pgettext_lazy("public", "Résidents en QPV ou FRR"),
    "seniors": pgettext_lazy("public", "Séniors"),
}


def public_choices():
    return [("", _("Tous les publics")), *PUBLIC_LABELS.items()]


def public_label(code: str):
    return PUBLIC_LABELS.get(code)


def theme_choices():
    return [("", _("Tous les thèmes"))] + [
        (GROUP_LABELS[group], [(code, THEME_LABELS[code]) for code in codes])
        for group, codes in SURESNES_GROUPS.items()
    ]


def theme_label(code: str):
    return THEME_LABELS.get(code)


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Que cherchez-vous ?"), required=False, max_length=SEARCH_MAX_LENGTH
    )
    pres_de = forms.CharField(
        label=_("Près de (adresse, commune ou code postal)"), required=False, max_length=120
    )
    rayon = forms.TypedChoiceField(
        label=_("Distance"),
        choices=[(km, format_lazy(_("{km} km"), km=km)) for km in RADIUS_CHOICES_KM],
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )
    thematique = forms.ChoiceField(
        label=_("Thème"),
        choices=theme_choices,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Le thème « %(value)s » n'existe pas : choisissez-en un dans la liste."
            )
        },
    )
    public = forms.ChoiceField(
        label=_("Public"),
        choices=public_choices,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Le public « %(value)s » n'existe pas : choisissez-en un dans la liste."
            )
        },
    )
    gratuit = forms.BooleanField(label=_("Gratuit seulement"), required=False)
    # A town (INSEE code) the widget's "see them all" link carries; an unknown one is ignored.
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)

    def clean_commune(self):
        code = (self.cleaned_data.get("commune") or "").strip()
        return code if get_commune(code) else ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # dir="auto": French words and addresses typed on an Arabic page read the right way.
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"class": "fr-input", "dir": "auto"})
        self.fields["pres_de"].widget.attrs.update(
            {"class": "fr-input", "autocomplete": "street-address", "dir": "auto"}
        )
        for name in ("rayon", "thematique", "public"):
            self.fields[name].widget.attrs["class"] = "fr-select"
