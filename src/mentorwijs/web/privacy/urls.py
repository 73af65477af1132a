"""Routes of the privacy pages, under /privacy/."""

from django.urls import path

from mentorwijs.web.privacy import views

app_name = "privacy"

urlpatterns = [
    path("verwerkingsregister/", views.record, name="record"),
]
