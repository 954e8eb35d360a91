"""The participation's pages, under /diagnostic/ (namespace ``diagnosis``)."""

from django.urls import path

from petitspas.diagnosis import views_participation as views

urlpatterns = [
    path("participation/", views.index, name="participation"),
    path("quartiers/<int:area_pk>/lieux/", views.area_places, name="area-places"),
    path("quartiers/<int:area_pk>/lieux/carte.pdf", views.area_places_pdf, name="area-places-pdf"),
    # Public (no account): a resident or a professional proposes a place; rate-limited.
    path("quartiers/<int:area_pk>/proposer-un-lieu/", views.place_propose, name="place-propose"),
    path(
        "lieux-proposes/<int:proposal_pk>/decision/",
        views.proposal_decision,
        name="proposal-decision",
    ),
    path("quartiers/<int:area_pk>/parcours/", views.area_walks, name="area-walks"),
    path("quartiers/<int:area_pk>/parcours/nouveau/", views.walk_new, name="walk-create"),
    path("parcours/<int:walk_pk>/", views.walk_detail, name="walk"),
    path("parcours/<int:walk_pk>/modifier/", views.walk_edit, name="walk-edit"),
    path("parcours/<int:walk_pk>/annuler/", views.walk_cancellation, name="walk-cancel"),
    path("parcours/<int:walk_pk>/presences/", views.walk_presences, name="walk-attendance"),
    path("parcours/<int:walk_pk>/feuille-de-route/", views.walk_sheet, name="walk-sheet"),
    path(
        "parcours/<int:walk_pk>/feuille-de-route.pdf", views.walk_sheet_pdf, name="walk-sheet-pdf"
    ),
    path("parcours/<int:walk_pk>/parcours.ics", views.walk_calendar, name="walk-ics"),
    path("groupes/", views.groups, name="groups"),
    path("groupes/<int:group_pk>/", views.group_detail, name="group"),
    path("lieux/<int:site_pk>/co-animation/", views.site_cohosts_edit, name="site-cohosts"),
]
