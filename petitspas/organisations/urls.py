from django.urls import path

from petitspas.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("nouvelle/", views.organisation_create, name="organisation-create"),
    path("<int:organisation_pk>/", views.organisation_detail, name="organisation-detail"),
    path(
        "<int:organisation_pk>/contact/",
        views.organisation_contact,
        name="organisation-contact",
    ),
    path(
        "<int:organisation_pk>/membres/inviter/",
        views.member_invite,
        name="member-invite",
    ),
    path(
        "<int:organisation_pk>/membres/<int:membership_pk>/",
        views.member_edit,
        name="member-edit",
    ),
    path(
        "<int:organisation_pk>/membres/<int:membership_pk>/renvoyer-invitation/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "<int:organisation_pk>/membres/<int:membership_pk>/annuler-invitation/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "<int:organisation_pk>/membres/<int:membership_pk>/double-authentification/",
        views.member_mfa_reset,
        name="member-mfa-reset",
    ),
    path(
        "<int:organisation_pk>/programmes/nouveau/",
        views.programme_create,
        name="programme-create",
    ),
    path(
        "<int:organisation_pk>/programmes/<int:programme_pk>/",
        views.programme_edit,
        name="programme-edit",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.invitation_accept,
        name="invitation-accept",
    ),
]
