from django.urls import path

from petitspas.places import views

app_name = "places"
urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("nouveau/", views.site_create, name="site-create"),
]
