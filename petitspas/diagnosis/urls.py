from django.urls import include, path

app_name = "diagnosis"

urlpatterns = [
    path("", include("petitspas.diagnosis.urls_areas")),
    path("", include("petitspas.diagnosis.urls_inquiry")),
    path("", include("petitspas.diagnosis.urls_participation")),
    path("", include("petitspas.diagnosis.urls_replication")),
]
