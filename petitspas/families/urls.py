from django.urls import path

from petitspas.families import views

app_name = "families"
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("nouvelle/", views.household_create_view, name="household-create"),
    path("rapide/", views.household_quick_create_view, name="household-quick-create"),
    path("journal/", views.audit_log_page, name="audit-log"),
    path("journal/export.csv", views.audit_log_export, name="audit-log-export"),
    path("<int:household_pk>/", views.household_detail, name="household-detail"),
    path("<int:household_pk>/modifier/", views.household_edit, name="household-edit"),
    path("<int:household_pk>/personnes/ajouter/", views.person_create, name="person-create"),
    path(
        "<int:household_pk>/personnes/<int:person_pk>/modifier/",
        views.person_edit,
        name="person-edit",
    ),
    path(
        "<int:household_pk>/personnes/<int:person_pk>/retirer/",
        views.person_delete,
        name="person-delete",
    ),
]
