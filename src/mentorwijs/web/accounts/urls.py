"""Routes of the two-factor step, under /account/."""

from django.urls import path

from mentorwijs.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("code/", views.verify, name="verify"),
    path("tweestaps/", views.enrol, name="enrol"),
]
