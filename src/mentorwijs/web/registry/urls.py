"""Routes of the registry, under /registratie/ (Dutch paths, like the rest of the site)."""

from django.urls import path

from mentorwijs.web.registry.views import (
    audit,
    employees,
    groups,
    imports,
    municipalities,
    people,
    placements,
)

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
    path("medewerkers/", employees.employee_list, name="employee_list"),
    path("medewerkers/nieuw/", employees.employee_create, name="employee_create"),
    path("medewerkers/<str:employee_id>/", employees.employee_detail, name="employee_detail"),
    path("medewerkers/<str:employee_id>/wijzigen/", employees.employee_edit, name="employee_edit"),
    path("plaatsingen/", placements.placement_list, name="placement_list"),
    path("plaatsingen/nieuw/", placements.placement_create, name="placement_create"),
    path("plaatsingen/<int:placement_id>/", placements.placement_detail, name="placement_detail"),
    path(
        "plaatsingen/<int:placement_id>/wijzigen/",
        placements.placement_edit,
        name="placement_edit",
    ),
    path("gemeenten/", municipalities.municipality_list, name="municipality_list"),
    path("gemeenten/nieuw/", municipalities.municipality_create, name="municipality_create"),
    path("gemeenten/<str:code>/", municipalities.municipality_detail, name="municipality_detail"),
    path(
        "gemeenten/<str:code>/wijzigen/",
        municipalities.municipality_edit,
        name="municipality_edit",
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
