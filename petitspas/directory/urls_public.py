"""The families' directory, without an account and in their language (fr, en, ar):
mounted under ``/services-familles/`` (``TRANSLATED_PATH_PREFIXES``)."""

from django.urls import path

from petitspas.directory import views_public

app_name = "public_directory"
urlpatterns = [
    path("", views_public.search, name="search"),
    path("services/<int:service_pk>/", views_public.service, name="service"),
    # The page a town hall frames on its website (iframe): a theme's or a town's services.
    path("widget/", views_public.widget, name="widget"),
]
