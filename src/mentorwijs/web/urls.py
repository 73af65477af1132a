"""URL routes of the site."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentorwijs.web.study import views

# A calm page instead of an error; 503 "try again" when the database or the disk fails.
handler500 = "mentorwijs.web.resilience.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("mentorwijs.web.accounts.urls")),
    path("privacy/", include("mentorwijs.web.privacy.urls")),
    path("registratie/", include("mentorwijs.web.registry.urls")),
    path("evaluaties/", include("mentorwijs.web.runs.urls")),
    path("studie/", include("mentorwijs.web.study.urls")),
    path("uitnodigingen/", include("mentorwijs.web.invitations.urls")),
    path("interviews/", include("mentorwijs.web.interviews.urls")),
    path("", include("mentorwijs.web.survey.urls")),
    path("taal/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
