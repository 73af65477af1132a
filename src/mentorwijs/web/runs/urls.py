"""Routes of the evaluation runs, under /evaluaties/ (Dutch paths, like the rest of the site)."""

from django.urls import path

from mentorwijs.web.runs import views

app_name = "runs"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("starten/", views.run_start, name="run_start"),
    path("<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:run_id>/rapport/<str:lang>.<str:fmt>", views.run_report, name="run_report"),
    path("<int:run_id>/kosten-baten/", views.run_cost_benefit, name="run_cost_benefit"),
]
