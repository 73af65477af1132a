"""Routes of the interviews, under /interviews/ (Dutch paths, like the rest of the site)."""

from django.urls import path

from mentorwijs.web.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="interview_list"),
    path("nieuw/", views.interview_upload, name="interview_upload"),
    path("codeboek/", views.codebook, name="codebook"),
    path("codeboek/nieuw/", views.code_create, name="code_create"),
    path("codeboek/export.qdc", views.codebook_export, name="codebook_export"),
    path("codeboek/import/", views.codebook_import, name="codebook_import"),
    path("codeboek/<slug:key>/", views.code_edit, name="code_edit"),
    path("codeboek/<slug:key>/verwijderen/", views.code_delete, name="code_delete"),
    path("fragmenten/", views.segment_list, name="segment_list"),
    path("fragmenten.csv", views.segments_csv, name="segments_csv"),
    path("<str:interview_id>/", views.interview_detail, name="interview_detail"),
    path("<str:interview_id>/coderen/", views.segment_create, name="segment_create"),
    path("<str:interview_id>/vergelijken/", views.interview_compare, name="interview_compare"),
    path(
        "<str:interview_id>/fragmenten/<int:segment_no>/",
        views.segment_edit,
        name="segment_edit",
    ),
    path(
        "<str:interview_id>/fragmenten/<int:segment_no>/verwijderen/",
        views.segment_delete,
        name="segment_delete",
    ),
]
