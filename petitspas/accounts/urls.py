from django.contrib.auth import views as auth_views
from django.urls import path

from petitspas.accounts import views
from petitspas.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("jetons/<int:token_pk>/revoquer/", views.api_token_revoke_view, name="api-token-revoke"),
]
