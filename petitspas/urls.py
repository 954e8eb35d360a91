from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from petitspas.api.urls import api
from petitspas.families import urls as families_urls
from petitspas.privacy import urls as privacy_urls
from petitspas.web import views as web_views

urlpatterns = [
    path("", include("petitspas.web.urls")),
    path("compte/", include("petitspas.accounts.urls")),
    path("organisations/", include("petitspas.organisations.urls")),
    path("lieux/", include("petitspas.places.urls")),
    path("activites/", include("petitspas.activities.urls")),
    # The rights pages hang off the family file (same prefix, same namespace).
    path(
        "familles/",
        include((families_urls.urlpatterns + privacy_urls.urlpatterns, families_urls.app_name)),
    ),
    path("terrain/", include("petitspas.attendance.urls")),
    path("accueil-enfants/", include("petitspas.childcare.urls")),
    path("agenda/", include("petitspas.agenda.urls")),
    path("indicateurs/", include("petitspas.reporting.urls")),
    path("annuaire/", include("petitspas.directory.urls")),
    path("diagnostic/", include("petitspas.diagnosis.urls")),
    path("services-familles/", include("petitspas.directory.urls_public")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", web_views.healthz, name="healthz"),
    # One sign-in for everyone: ours has the rate limits and the second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
]

# Error pages in DSFR and in the visitor's language (petitspas.web.errors).
handler400 = "petitspas.web.errors.bad_request"
handler403 = "petitspas.web.errors.permission_denied"
handler404 = "petitspas.web.errors.page_not_found"
handler500 = "petitspas.web.errors.server_error"
