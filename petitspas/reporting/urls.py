from django.urls import path

from petitspas.reporting import views, views_report, views_review

app_name = "reporting"
urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("<int:programme_id>/", views.dashboard, name="dashboard"),
    path("<int:programme_id>/indicateurs.csv", views.export_csv, name="export-csv"),
    path("<int:programme_id>/indicateurs.xlsx", views.export_xlsx, name="export-xlsx"),
    # The monthly review, the observations chosen for the report, the annual report.
    path("<int:programme_id>/revues/", views_review.review_list, name="review-list"),
    path(
        "<int:programme_id>/revues/<int:year>/<int:month>/",
        views_review.review_month,
        name="review-month",
    ),
    path(
        "<int:programme_id>/rapport/<int:year>/observations/",
        views_review.report_observations,
        name="report-observations",
    ),
    path(
        "<int:programme_id>/rapport/<int:year>/", views_report.annual_report, name="annual-report"
    ),
    path(
        "<int:programme_id>/rapport/<int:year>/rapport.xlsx",
        views_report.report_xlsx_view,
        name="annual-report-xlsx",
    ),
    path("rapports/<int:report_pk>/etat/", views_report.report_status, name="report-status"),
    path(
        "rapports/<int:report_pk>/telecharger/",
        views_report.report_download,
        name="report-download",
    ),
]
