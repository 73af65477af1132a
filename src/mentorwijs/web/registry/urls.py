"""Routes of the registry, under /registratie/ (Dutch paths, like the rest of the site)."""

from django.urls import path

from mentorwijs.web.registry.views import audit, groups, imports, people

app_name = "registry"
MEETING = "groepen/<str:training_group_id>/bijeenkomsten/<int:meeting_no>/"

urlpatterns = [
    path("", groups.dashboard, name="dashboard"),
    path("groepen/nieuw/", groups.group_create, name="group_create"),
    path("groepen/<str:training_group_id>/", groups.group_detail, name="group_detail"),
    path("groepen/<str:training_group_id>/inschrijven/", groups.group_enrol, name="group_enrol"),
    path(MEETING, groups.meeting_detail, name="meeting_detail"),
    path(MEETING + "aanwezigheid/", groups.attendance_mark, name="attendance_mark"),
    path(MEETING + "rest-afwezig/", groups.attendance_rest, name="attendance_rest"),
    path(MEETING + "verslag/", groups.meeting_log, name="meeting_log"),
    path("trainer/", groups.trainer_home, name="trainer_home"),
    path("leidinggevenden/", people.supervisor_list, name="supervisor_list"),
    path("leidinggevenden/nieuw/", people.supervisor_create, name="supervisor_create"),
    path(
        "leidinggevenden/<str:supervisor_id>/", people.supervisor_detail, name="supervisor_detail"
    ),
    path(
        "leidinggevenden/<str:supervisor_id>/wijzigen/",
        people.supervisor_edit,
        name="supervisor_edit",
    ),
    path("organisatie/", people.my_organisation, name="my_organisation"),
    path(
        "organisaties/<str:organisation_id>/",
        people.organisation_detail,
        name="organisation_detail",
    ),
    path("kosten/", people.costs, name="costs"),
    path("import/", imports.import_start, name="import_start"),
    path("import/<int:batch_id>/", imports.import_review, name="import_review"),
    path("logboek/", audit.audit_list, name="audit_list"),
    path("logboek.csv", audit.audit_export, name="audit_export"),
]
