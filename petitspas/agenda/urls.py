from django.urls import path

from petitspas.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.index, name="index"),
    path("seances/<int:session_pk>/", views.session_detail, name="session"),
    path(
        "seances/<int:session_pk>/demande-de-place/",
        views.session_place_request,
        name="session-place-request",
    ),
    path("seances/<int:session_pk>.ics", views.session_ics, name="session-ics"),
    path("programmes/<int:programme_pk>.ics", views.programme_ics, name="programme-ics"),
    path("lieux/<int:site_pk>.ics", views.site_ics, name="site-ics"),
]
