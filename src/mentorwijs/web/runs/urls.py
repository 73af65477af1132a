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
    path("<int:run_id>/producten/", views.run_products_generate, name="run_products_generate"),
    path(
        "<int:run_id>/producten/<str:product>/<str:lang>.<str:fmt>",
        views.run_product,
        name="run_product",
    ),
    path("<int:run_id>/factsheets/", views.run_factsheets, name="run_factsheets"),
    path(
        "<int:run_id>/factsheets/<str:region>/<str:lang>.<str:fmt>",
        views.run_region_factsheet,
        name="run_region_factsheet",
    ),
]
