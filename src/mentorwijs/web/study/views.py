"""Views: thin, alike, and each behind an access check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorwijs.web.registry.access import user_roles
from mentorwijs.web.registry.models import Role
from mentorwijs.web.study.selectors import study_meta, study_overview

#: Where each role starts; a researcher (or a user with no role) sees the study overview.
START = {
    Role.COORDINATOR: "registry:dashboard",
    Role.TRAINER: "registry:trainer_home",
    Role.EMPLOYER_CONTACT: "registry:my_organisation",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The study at a glance: regions, groups, people and response per wave."""
    roles = {x.role for x in user_roles(request.user)}
    if Role.RESEARCHER not in roles:
        for role, url in START.items():
            if role in roles:
                return redirect(url)
    return render(request, "study/home.html", {"overview": study_overview(), "meta": study_meta()})
