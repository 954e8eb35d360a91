from django.urls import path

from petitspas.diagnosis import views_areas

urlpatterns = [
    path("", views_areas.area_list, name="areas"),
    path("quartiers/nouveau/", views_areas.area_create, name="area-create"),
    path("quartiers/<int:area_pk>/", views_areas.area_detail, name="area"),
    path("quartiers/<int:area_pk>/modifier/", views_areas.area_edit, name="area-edit"),
    path("quartiers/<int:area_pk>/impact/", views_areas.area_impact, name="area-impact"),
    path("contours/importer/", views_areas.boundaries_import_view, name="boundaries-import"),
    path("indicateurs/importer/", views_areas.indicators_import_view, name="indicators-import"),
]
