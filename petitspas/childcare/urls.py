from django.urls import path

from petitspas.childcare import views, views_bookings, views_presence, views_staffing

app_name = "childcare"
urlpatterns = [
    path("mes-orientations/", views.my_referrals_page, name="my-referrals"),
    path("orientations/nouvelle/", views.referral_create, name="referral-create"),
    path("orientations/", views.referral_inbox_page, name="referral-inbox"),
    path("orientations/<int:referral_pk>/", views.referral_detail, name="referral-detail"),
    path(
        "orientations/<int:referral_pk>/etude/",
        views.referral_decide,
        {"action": "review"},
        name="referral-review",
    ),
    path(
        "orientations/<int:referral_pk>/accepter/",
        views.referral_decide,
        {"action": "accept"},
        name="referral-accept",
    ),
    path(
        "orientations/<int:referral_pk>/liste-attente/",
        views.referral_decide,
        {"action": "wait"},
        name="referral-wait",
    ),
    path(
        "orientations/<int:referral_pk>/refuser/",
        views.referral_decide,
        {"action": "refuse"},
        name="referral-refuse",
    ),
    path(
        "orientations/<int:referral_pk>/terminer/",
        views.referral_decide,
        {"action": "end"},
        name="referral-end",
    ),
    path(
        "programmes/<int:programme_pk>/prescripteurs/", views.prescribers_page, name="prescribers"
    ),
    path("lien/<str:token>/", views.referral_link, name="referral-link"),
    path("garde/", views_bookings.follow_up_page, name="follow-up"),
    path("garde/lieux/<int:site_pk>/", views_bookings.site_week_page, name="site-week"),
    path("garde/lieux/<int:site_pk>/demi-journee/", views_bookings.half_day_page, name="half-day"),
    path(
        "garde/reservations/<int:booking_pk>/annuler/",
        views_bookings.booking_cancel,
        name="booking-cancel",
    ),
    path(
        "garde/inscriptions/<int:enrolment_pk>/",
        views_bookings.enrolment_bookings_page,
        name="enrolment-bookings",
    ),
    path("garde/programmes/<int:programme_pk>/equipe/", views_staffing.staff_page, name="staff"),
    path("garde/equipe/<int:staff_pk>/", views_staffing.staff_update, name="staff-update"),
    path(
        "garde/lieux/<int:site_pk>/equipe/",
        views_staffing.half_day_staff,
        name="half-day-staff",
    ),
    path(
        "garde/lieux/<int:site_pk>/equipe/recopier/",
        views_staffing.copy_week,
        name="staff-copy-week",
    ),
    path(
        "garde/presences-equipe/<int:assignment_pk>/retirer/",
        views_staffing.assignment_delete,
        name="assignment-delete",
    ),
    path("garde/encadrement/", views_staffing.flagged_page, name="staff-flagged"),
    path("aujourdhui/", views_presence.today_page, name="presence-today"),
    path(
        "garde/reservations/<int:booking_pk>/arrivee/",
        views_presence.presence_record,
        {"action": "check_in"},
        name="presence-check-in",
    ),
    path(
        "garde/reservations/<int:booking_pk>/depart/",
        views_presence.presence_record,
        {"action": "check_out"},
        name="presence-check-out",
    ),
    path(
        "garde/reservations/<int:booking_pk>/absence/",
        views_presence.presence_record,
        {"action": "absence"},
        name="presence-absence",
    ),
    path(
        "garde/reservations/<int:booking_pk>/annuler-pointage/",
        views_presence.presence_record,
        {"action": "undo"},
        name="presence-undo",
    ),
]
