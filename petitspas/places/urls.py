from django.urls import path

from petitspas.places import views

app_name = "places"
urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("nouveau/", views.site_create, name="site-create"),
    path("communes/", views.commune_options, name="commune-options"),
    path("<int:site_pk>/", views.site_detail, name="site-detail"),
    path("<int:site_pk>/modifier/", views.site_edit, name="site-edit"),
    path("<int:site_pk>/fermetures/", views.site_closures, name="site-closures"),
    path(
        "<int:site_pk>/fermetures/<int:closure_pk>/supprimer/",
        views.site_closure_remove,
        name="site-closure-delete",
    ),
    path(
        "<int:site_pk>/demenagements/<int:relocation_pk>/supprimer/",
        views.site_relocation_remove,
        name="site-relocation-delete",
    ),
]
