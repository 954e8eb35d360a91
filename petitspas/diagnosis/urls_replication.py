from django.urls import path

from petitspas.diagnosis import views_replication as views

urlpatterns = [
    path("reproduire/", views.replication_index, name="replication-index"),
    path(
        "reproduire/programme/<int:programme_id>/",
        views.replication_start,
        name="replication-start",
    ),
    path(
        "reproduire/programme/<int:programme_id>/lieux/",
        views.replication_sites,
        name="replication-sites",
    ),
]
