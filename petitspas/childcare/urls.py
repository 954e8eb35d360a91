from django.urls import path

from petitspas.childcare import views, views_bookings

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
]
