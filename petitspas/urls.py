from django.contrib import admin
from django.urls import include, path

from petitspas.api.urls import api
from petitspas.web import views as web_views

urlpatterns = [
    path("", include("petitspas.web.urls")),
    path("compte/", include("petitspas.accounts.urls")),
    path("organisations/", include("petitspas.organisations.urls")),
    path("lieux/", include("petitspas.places.urls")),
    path("activites/", include("petitspas.activities.urls")),
    path("familles/", include("petitspas.families.urls")),
    path("terrain/", include("petitspas.attendance.urls")),
    path("agenda/", include("petitspas.agenda.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", web_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
