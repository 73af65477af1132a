"""Routes of the questionnaires: the respondent's pages under /v/<token>/ (kept stable: the
invitations link to them) and the staff's instrument list and previews under /vragenlijsten/."""

from django.urls import path

from mentorwijs.web.survey import preview, views

app_name = "survey"

urlpatterns = [
    path("v/<str:token>/", views.link_start, name="link_start"),
    path("v/<str:token>/<int:number>/", views.link_page, name="link_page"),
    path("v/<str:token>/einde/", views.link_finish, name="link_finish"),
    path("v/<str:token>/pauze/", views.link_pause, name="link_pause"),
    path("v/<str:token>/instellingen/", views.link_settings, name="link_settings"),
    path("v/<str:token>/mijn-gegevens/", views.link_mine, name="link_mine"),
    path("vragenlijsten/", preview.instrument_list, name="instrument_list"),
    path(
        "vragenlijsten/<str:wave>/<str:instrument>/<str:mode>/<str:lang>/<int:number>/",
        preview.instrument_preview,
        name="instrument_preview",
    ),
    path(
        "vragenlijsten/<str:wave>/<str:instrument>/<str:mode>/<str:lang>/einde/",
        preview.instrument_preview_end,
        name="instrument_preview_end",
    ),
]
