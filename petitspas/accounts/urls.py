from django.contrib.auth import views as auth_views
from django.urls import path

from petitspas.accounts import views, views_mfa
from petitspas.accounts.forms import LoginForm
from petitspas.accounts.ratelimits import password_step_limited

app_name = "accounts"
urlpatterns = [
    path(
        "connexion/",
        password_step_limited(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=LoginForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("nom/", views.profile_edit, name="profile-edit"),
    # Two-factor authentication (accounts/mfa.py).
    path("double-authentification/code/", views_mfa.mfa_verify, name="mfa-verify"),
    path("double-authentification/activer/", views_mfa.mfa_enrol, name="mfa-enrol"),
    path(
        "double-authentification/codes-de-secours/",
        views_mfa.mfa_recovery_codes,
        name="mfa-recovery-codes",
    ),
    path("double-authentification/desactiver/", views_mfa.mfa_disable_view, name="mfa-disable"),
    path("jetons/<int:token_pk>/revoquer/", views.api_token_revoke_view, name="api-token-revoke"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "mot-de-passe/nouveau/enregistre/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "mot-de-passe/change/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
]
