"""Routes of the invitations' monitoring, under /uitnodigingen/ (Dutch paths, like the site)."""

from django.urls import path

from mentorwijs.web.invitations import views

app_name = "invitations"

urlpatterns = [
    path("", views.monitoring, name="monitoring"),
    path("bezorging/", views.delivery_list, name="delivery_list"),
    path(
        "bezorging/<int:delivery_id>/onbestelbaar/",
        views.delivery_bounce,
        name="delivery_bounce",
    ),
    path("herinneren/", views.reminder_list, name="reminder_list"),
    path("brieven/", views.letter_list, name="letter_list"),
    path("brieven/nieuw.pdf", views.letter_batch, name="letter_batch"),
    path("brieven/<int:delivery_id>.pdf", views.letter_download, name="letter_download"),
]
