from django.urls import path

from petitspas.attendance import views, views_registrations

app_name = "attendance"
urlpatterns = [
    path("", views.today, name="today"),
    path("a-saisir/", views.to_record, name="to-record"),
    path("hors-ligne/", views.offline_sheets, name="offline-sheets"),
    path("seances/<int:session_pk>/", views.session_record, name="session-record"),
    path("seances/<int:session_pk>/familles/", views.household_search, name="household-search"),
    path(
        "seances/<int:session_pk>/familles/nouvelle/",
        views.household_create,
        name="household-create",
    ),
    path(
        "seances/<int:session_pk>/inscriptions/",
        views_registrations.session_registrations_page,
        name="session-registrations",
    ),
    path(
        "programmes/<int:programme_pk>/demandes-de-place/",
        views_registrations.place_requests_page,
        name="place-requests",
    ),
]
