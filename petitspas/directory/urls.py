from django.urls import path

from petitspas.directory import views

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
]
