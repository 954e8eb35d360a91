from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.validators import RegexValidator
from dsfr.forms import DsfrBaseForm

from petitspas.core.forms import ServiceFormMixin
from petitspas.organisations import services
from petitspas.organisations.models import Organisation, Programme, Role

# What each role may do, written once for the invitation and the member forms.
ROLE_DESCRIPTIONS = {
    Role.ADMIN: "membres et programmes de l'organisation, et tout ce que fait un coordinateur",
    Role.COORDINATOR: "familles, activités, séances et rapports des programmes",
    Role.PROFESSIONAL: "présences et observations des séances qu'il anime, familles rencontrées",
    Role.PRESCRIBER: "oriente des familles (France Travail, PLIE, APIJE…) ; ne voit aucune "
    "famille de l'organisation ni aucun nom",
    Role.PARTNER: "service partenaire (bibliothèque, PMI, CCAS…) ; ne voit aucune famille "
    "ni aucun nom",
    Role.FUNDER: "lieux et indicateurs agrégés seulement, jamais une personne",
}
ROLE_HELP = " ".join(
    f"{label} : {ROLE_DESCRIPTIONS[Role(value)]}." for value, label in Role.choices
)


class OrganisationForm(ServiceFormMixin, DsfrBaseForm, forms.ModelForm):
    departement = forms.CharField(
        label="Département",
        required=False,
        max_length=3,
        help_text="Son code, par exemple 93, 2A ou 974. Il fixe la zone des vacances scolaires.",
        validators=[
            RegexValidator(
                r"^(\d{2}|2[AaBb]|97\d)$",
                "Indiquez un code de département : 2 chiffres, 2A, 2B ou 97x en outre-mer.",
            )
        ],
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "departement"]
        error_messages = {
            "name": {
                "required": "Donnez le nom de l'organisation.",
                "unique": services.ORGANISATION_NAME_TAKEN,
            },
            "kind": {"required": "Choisissez le type d'organisation."},
        }


class OrganisationContactForm(ServiceFormMixin, DsfrBaseForm, forms.ModelForm):
    """What the public agenda shows under a session on registration."""

    contact_phone = forms.CharField(
        label="Téléphone de contact",
        required=False,
        max_length=30,
        help_text="Le numéro que les familles appellent pour s'inscrire (01 48 12 34 56).",
        validators=[
            RegexValidator(
                r"^\+?[\d .()-]{9,30}$",
                "Ce numéro de téléphone n'est pas valide : par exemple 01 48 12 34 56.",
            )
        ],
    )

    class Meta:
        model = Organisation
        fields = ["contact_email", "contact_phone"]
        help_texts = {
            "contact_email": "Les familles y écrivent pour s'inscrire ; publiée dans l'agenda.",
        }
        error_messages = {
            "contact_email": {"invalid": "Cette adresse électronique n'est pas valide."},
        }


class MemberInviteForm(ServiceFormMixin, DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="La personne recevra à cette adresse un lien pour choisir son mot de passe.",
        # The accounts' column holds 254 characters (RFC 5321): longer is refused here.
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Indiquez l'adresse électronique de la personne.",
            "invalid": "Cette adresse électronique n'est pas valide.",
            "max_length": "Une adresse électronique compte 254 caractères au plus.",
        },
    )
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages={"required": "Indiquez le prénom de la personne."},
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages={"required": "Indiquez le nom de la personne."},
    )
    role = forms.ChoiceField(
        label="Rôle",
        # No role preselected: giving the admin role must be a choice, not the first option.
        choices=[("", "Choisir un rôle")] + Role.choices,
        help_text=ROLE_HELP,
        error_messages={"required": "Choisissez le rôle de la personne."},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MembershipForm(ServiceFormMixin, DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle",
        choices=Role.choices,
        help_text=ROLE_HELP,
        error_messages={"required": "Choisissez le rôle de la personne."},
    )
    is_active = forms.BooleanField(
        label="Membre actif",
        required=False,
        help_text="Décochez pour retirer à la personne l'accès à l'organisation. "
        "Son historique est conservé et vous pourrez la réactiver.",
    )


class ProgrammeForm(ServiceFormMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "summary", "public", "started_on", "is_active"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "public": "Par exemple : familles hébergées à l'hôtel, enfants de 0 à 3 ans et "
            "leurs parents.",
            "is_active": "Décochez quand le programme s'arrête : son historique reste dans "
            "les rapports.",
        }
        error_messages = {
            "name": {"required": "Donnez un nom au programme."},
            "started_on": {"invalid": "Indiquez une date valide, par exemple 01/09/2024."},
        }


class InvitationPasswordForm(DsfrBaseForm, SetPasswordForm):
    """The invited person's first password; saving goes through the service (logged)."""

    def __init__(self, user, *args, membership, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.membership = membership

    def save(self, commit=True):
        return services.invitation_accept(
            membership=self.membership, password=self.cleaned_data["new_password1"]
        )
