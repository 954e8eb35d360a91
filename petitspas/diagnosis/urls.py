from django.urls import include, path

app_name = "diagnosis"
urlpatterns = [
    path("", include("petitspas.diagnosis.urls_participation")),
]
