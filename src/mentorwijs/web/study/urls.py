"""Routes of the study pages, under /studie/ (Dutch paths, like the rest of the site)."""

from django.urls import path

from mentorwijs.web.study import views

app_name = "study"

urlpatterns = [
    path("antwoorden/", views.answers_export, name="answers_export"),
    path("antwoorden/downloaden/", views.answers_download, name="answers_download"),
]
