from django.urls import path

from petitspas.reporting import (
    views,
    views_laep,
    views_money,
    views_report,
    views_review,
    views_rows,
)

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

# Money: a programme's budget and funding, per year.
urlpatterns += [
    path("<int:programme_id>/budget/", views_money.budget_current, name="budget-current"),
    path("<int:programme_id>/budget/<int:year>/", views_money.budget, name="budget"),
    path(
        "<int:programme_id>/budget/<int:year>/ligne/",
        views_money.budget_line_add,
        name="budget-line-add",
    ),
    path(
        "<int:programme_id>/budget/<int:year>/financement/",
        views_money.funding_add,
        name="funding-add",
    ),
    path(
        "<int:programme_id>/budget/<int:year>/budget.csv", views_money.budget_csv, name="budget-csv"
    ),
    path(
        "<int:programme_id>/budget/<int:year>/budget.xlsx",
        views_money.budget_xlsx,
        name="budget-xlsx",
    ),
    path(
        "budget/ligne/<int:budget_line_pk>/", views_money.budget_line_edit, name="budget-line-edit"
    ),
    path("budget/financement/<int:funding_pk>/", views_money.funding_edit, name="funding-edit"),
]

# The CAF LAEP activity summary.
urlpatterns += [
    path("<int:programme_id>/laep/", views_laep.laep, name="laep"),
    path("<int:programme_id>/laep/laep.csv", views_laep.laep_csv, name="laep-csv"),
    path("<int:programme_id>/laep/laep.xlsx", views_laep.laep_xlsx, name="laep-xlsx"),
]

# The attendance rows, pseudonymous, for the organisation's own analyses.
urlpatterns += [
    path("<int:programme_id>/presences.csv", views_rows.rows_csv, name="rows-csv"),
    path("<int:programme_id>/presences.xlsx", views_rows.rows_xlsx, name="rows-xlsx"),
]
