from django.urls import path

from petitspas.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("<int:programme_id>/", views.dashboard, name="dashboard"),
    path("<int:programme_id>/indicateurs.csv", views.export_csv, name="export-csv"),
    path("<int:programme_id>/indicateurs.xlsx", views.export_xlsx, name="export-xlsx"),
]
