from django.urls import path

from petitspas.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("ma-semaine/", views.my_week, name="my-week"),
    # Activity types and partner facilitators
    path(
        "programme/<int:programme_pk>/activites/",
        views.activity_type_list,
        name="activity-type-list",
    ),
    path(
        "programme/<int:programme_pk>/activites/nouvelle/",
        views.activity_type_create,
        name="activity-type-create",
    ),
    path(
        "activite/<int:activity_type_pk>/modifier/",
        views.activity_type_edit,
        name="activity-type-edit",
    ),
    path(
        "organisation/<int:organisation_pk>/intervenants/",
        views.facilitator_list,
        name="facilitator-list",
    ),
    path(
        "intervenant/<int:facilitator_pk>/modifier/",
        views.facilitator_edit,
        name="facilitator-edit",
    ),
    # Series and sessions
    path(
        "programme/<int:programme_pk>/series/nouvelle/",
        views.series_create_page,
        name="series-create",
    ),
    path("serie/<int:series_pk>/", views.series_detail, name="series-detail"),
    path(
        "programme/<int:programme_pk>/seances/nouvelle/",
        views.session_create_page,
        name="session-create",
    ),
    path("seance/<int:session_pk>/", views.session_detail, name="session-detail"),
    path("seance/<int:session_pk>/modifier/", views.session_edit, name="session-edit"),
    path("seance/<int:session_pk>/annuler/", views.session_cancel_page, name="session-cancel"),
    path("seance/<int:session_pk>/deplacer/", views.session_move_page, name="session-move"),
    # Sessions the calendar hits (closures, weekly rules, temporary moves)
    path(
        "programme/<int:programme_pk>/seances-lieu-ferme/",
        views.calendar_conflicts,
        name="calendar-conflicts",
    ),
    path(
        "lieu/<int:site_pk>/demenagement/<int:relocation_pk>/seances/",
        views.relocation_sessions,
        name="relocation-sessions",
    ),
    # Month calendars
    path("programme/<int:programme_pk>/mois/", views.programme_month, name="programme-month"),
    path(
        "programme/<int:programme_pk>/mois/<int:year>/<int:month>/",
        views.programme_month,
        name="programme-month",
    ),
    path("lieu/<int:site_pk>/mois/", views.site_month, name="site-month"),
    path(
        "lieu/<int:site_pk>/mois/<int:year>/<int:month>/",
        views.site_month,
        name="site-month",
    ),
]
