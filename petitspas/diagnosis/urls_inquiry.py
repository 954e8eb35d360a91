"""The qualitative diagnosis, under /diagnostic/enquete/."""

from django.urls import path

from petitspas.diagnosis import views_inquiry as views

urlpatterns = [
    path("enquete/", views.inquiry_home, name="inquiry-home"),
    path("enquete/<int:organisation_pk>/", views.inquiry_index, name="inquiry-index"),
    path(
        "enquete/<int:organisation_pk>/nouvel-enregistrement/",
        views.record_create,
        name="inquiry-record-create",
    ),
    path("enquete/<int:organisation_pk>/grille/", views.codebook, name="inquiry-codebook"),
    path("enquete/grille/<int:code_pk>/", views.code_edit, name="inquiry-code-edit"),
    path("enquete/enregistrements/<int:record_pk>/", views.record_detail, name="inquiry-record"),
    path(
        "enquete/enregistrements/<int:record_pk>/modifier/",
        views.record_edit,
        name="inquiry-record-edit",
    ),
    path(
        "enquete/enregistrements/<int:record_pk>/coder/",
        views.passage_create,
        name="inquiry-passage-create",
    ),
    path(
        "enquete/enregistrements/<int:record_pk>/pieces-jointes/",
        views.attachment_add,
        name="inquiry-attachment-add",
    ),
    path(
        "enquete/passages/<int:passage_pk>/supprimer/",
        views.passage_delete,
        name="inquiry-passage-delete",
    ),
    path(
        "enquete/pieces-jointes/<int:attachment_pk>/",
        views.attachment_download,
        name="inquiry-attachment",
    ),
    path(
        "enquete/pieces-jointes/<int:attachment_pk>/supprimer/",
        views.attachment_delete,
        name="inquiry-attachment-delete",
    ),
    path("enquete/quartiers/<int:area_pk>/synthese/", views.synthesis, name="inquiry-synthesis"),
    path(
        "enquete/quartiers/<int:area_pk>/synthese.csv",
        views.synthesis_csv_view,
        name="inquiry-synthesis-csv",
    ),
    path(
        "enquete/quartiers/<int:area_pk>/synthese.xlsx",
        views.synthesis_xlsx_view,
        name="inquiry-synthesis-xlsx",
    ),
    path("enquete/<int:organisation_pk>/livret/", views.booklet, name="inquiry-booklet"),
    path(
        "enquete/<int:organisation_pk>/livret/nouvelle-section/",
        views.section_create,
        name="inquiry-section-create",
    ),
    path(
        "enquete/<int:organisation_pk>/livret/publier/",
        views.booklet_publish,
        name="inquiry-booklet-publish",
    ),
    path(
        "enquete/<int:organisation_pk>/livret/apercu/",
        views.booklet_draft,
        name="inquiry-booklet-draft",
    ),
    path(
        "enquete/<int:organisation_pk>/livret/apercu.pdf",
        views.booklet_draft_pdf,
        name="inquiry-booklet-draft-pdf",
    ),
    path(
        "enquete/livret/sections/<int:section_pk>/",
        views.section_edit,
        name="inquiry-section-edit",
    ),
    path(
        "enquete/livret/sections/<int:section_pk>/supprimer/",
        views.section_delete,
        name="inquiry-section-delete",
    ),
    path(
        "enquete/livret/editions/<int:booklet_edition_pk>/",
        views.booklet_edition,
        name="inquiry-booklet-edition",
    ),
    path(
        "enquete/livret/editions/<int:booklet_edition_pk>/pdf/",
        views.booklet_edition_pdf,
        name="inquiry-booklet-edition-pdf",
    ),
]
