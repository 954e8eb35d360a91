from django.urls import path

from petitspas.directory import views, views_guide, views_public

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
    # For a town hall's website: the widget's iframe and its script-free HTML list.
    path("integrer/", views_public.widget_code, name="widget-code"),
]

# The printed guide (views_guide): members and partners read, coordinators publish; a
# published edition's HTML and PDF are public.
urlpatterns += [
    path("guide/", views_guide.guide_home, name="guide-home"),
    path("guide/<int:territory_pk>/", views_guide.guide, name="guide"),
    path("guide/<int:territory_pk>/apercu/", views_guide.guide_draft, name="guide-draft"),
    path(
        "guide/<int:territory_pk>/apercu.pdf", views_guide.guide_draft_pdf, name="guide-draft-pdf"
    ),
    path("guide/<int:territory_pk>/publier/", views_guide.guide_publish, name="guide-publish"),
    path("guide/editions/<int:edition_pk>/", views_guide.guide_edition, name="guide-edition"),
    path(
        "guide/editions/<int:edition_pk>/guide/",
        views_guide.guide_edition_html,
        name="guide-edition-html",
    ),
    path(
        "guide/editions/<int:edition_pk>/guide.pdf",
        views_guide.guide_edition_pdf,
        name="guide-edition-pdf",
    ),
]
