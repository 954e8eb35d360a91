from django.urls import path

from petitspas.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
]
