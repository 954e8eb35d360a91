"""Mounted under the family file's prefix and namespace (``families:household-export``) by
the root URLconf: the pages belong to the file, the code that serves them sits above the
apps whose rows they read."""

from django.urls import path

from petitspas.privacy import views

urlpatterns = [
    path("<int:household_pk>/export/", views.household_export_view, name="household-export"),
    path(
        "<int:household_pk>/anonymiser/",
        views.household_anonymise_view,
        name="household-anonymise",
    ),
]
