from django.urls import path

from petitspas.directory import views, views_desk, views_guide, views_network, views_public

app_name = "directory"
urlpatterns = [
    # Public (no account): families and the Point Info Famille desk.
    path("", views.index, name="index"),
    path("structures/<int:structure_pk>/", views.structure_detail, name="structure"),
    path("services/<int:service_pk>/", views.service_detail, name="service"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    # Partners and coordinators.
    path("mes-fiches/", views.mine, name="mine"),
    path("fraicheur/", views.freshness, name="freshness"),
    path("structures/<int:structure_pk>/modifier/", views.structure_edit, name="structure-edit"),
    path(
        "structures/<int:structure_pk>/services/nouveau/",
        views.service_create,
        name="service-create",
    ),
    path("services/<int:service_pk>/modifier/", views.service_edit, name="service-edit"),
    path("services/<int:service_pk>/confirmer/", views.service_confirm, name="service-confirm"),
    # For a town hall's website: the widget's iframe and its script-free HTML list.
    path("integrer/", views_public.widget_code, name="widget-code"),
]

# The printed guide (views_guide): members and partners read, coordinators publish; a
# published edition's HTML and PDF are public.
urlpatterns += [
    path("guide/", views_guide.guide_home, name="guide-home"),
    path("guide/<int:territory_pk>/", views_guide.guide, name="guide"),
    path("guide/<int:territory_pk>/apercu/", views_guide.guide_draft, name="guide-draft"),
    path(
        "guide/<int:territory_pk>/apercu.pdf", views_guide.guide_draft_pdf, name="guide-draft-pdf"
    ),
    path("guide/<int:territory_pk>/publier/", views_guide.guide_publish, name="guide-publish"),
    path("guide/editions/<int:edition_pk>/", views_guide.guide_edition, name="guide-edition"),
    path(
        "guide/editions/<int:edition_pk>/guide/",
        views_guide.guide_edition_html,
        name="guide-edition-html",
    ),
    path(
        "guide/editions/<int:edition_pk>/guide.pdf",
        views_guide.guide_edition_pdf,
        name="guide-edition-pdf",
    ),
]

# The Point Info Famille desk (its organisation's staff).
urlpatterns += [
    path("accueil/", views_desk.desk_list, name="desks"),
    path("accueil/<int:desk_pk>/", views_desk.desk, name="desk"),
    path(
        "accueil/<int:desk_pk>/rendez-vous/nouveau/",
        views_desk.appointment_new,
        name="appointment-new",
    ),
    path(
        "accueil/rendez-vous/<int:appointment_pk>/annuler/",
        views_desk.appointment_cancel_view,
        name="appointment-cancel",
    ),
    path("accueil/<int:desk_pk>/passages/", views_desk.visit_log, name="desk-visits"),
    path("orientations/", views_desk.orientations, name="orientations"),
    path("orientations/nouvelle/", views_desk.orientation_new, name="orientation-new"),
    path(
        "orientations/<int:orientation_pk>/suivi/",
        views_desk.orientation_follow,
        name="orientation-follow",
    ),
    path(
        "orientations/<int:orientation_pk>/modifier/",
        views_desk.orientation_edit,
        name="orientation-edit",
    ),
    path(
        "orientations/<int:orientation_pk>/supprimer/",
        views_desk.orientation_delete_view,
        name="orientation-delete",
    ),
    path("accueil/passages/<int:visit_pk>/modifier/", views_desk.visit_edit, name="visit-edit"),
    path(
        "accueil/passages/<int:visit_pk>/supprimer/",
        views_desk.visit_delete_view,
        name="visit-delete",
    ),
]

# The partners' network: the organiser's staff, then a partner's own meetings.
urlpatterns += [
    path("reseau/", views_network.groups, name="groups"),
    path("reseau/<int:group_pk>/", views_network.group, name="group"),
    path("reseau/<int:group_pk>/membres/", views_network.group_members, name="group-members"),
    path("reseau/reunions/<int:meeting_pk>/", views_network.meeting, name="meeting"),
    path(
        "reseau/reunions/<int:meeting_pk>/inviter/",
        views_network.meeting_invite,
        name="meeting-invite",
    ),
    path(
        "reseau/reunions/<int:meeting_pk>/presences/",
        views_network.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "reseau/reunions/<int:meeting_pk>/compte-rendu/",
        views_network.meeting_minutes,
        name="meeting-minutes",
    ),
    path(
        "reseau/reunions/<int:meeting_pk>/mise-a-jour-du-guide/",
        views_network.meeting_campaign,
        name="meeting-campaign",
    ),
    path(
        "reseau/reunions/<int:meeting_pk>/annuler/",
        views_network.meeting_cancel_view,
        name="meeting-cancel",
    ),
    path(
        "reseau/compte-rendu/<int:item_pk>/modifier/",
        views_network.item_edit,
        name="meeting-item-edit",
    ),
    path(
        "reseau/compte-rendu/<int:item_pk>/supprimer/",
        views_network.item_delete_view,
        name="meeting-item-delete",
    ),
    path("mes-reunions/", views_network.my_meetings, name="my-meetings"),
    path("mes-reunions/<int:meeting_pk>/", views_network.my_meeting, name="my-meeting"),
    path(
        "mes-reunions/<int:meeting_pk>/invitation.ics",
        views_network.my_meeting_ics,
        name="my-meeting-ics",
    ),
    path(
        "mes-reunions/inscriptions/<int:participant_pk>/annuler/",
        views_network.registration_cancel_view,
        name="registration-cancel",
    ),
]
