"""Views: thin, alike, and each behind an access check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mentorwijs.web.study.selectors import study_meta, study_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The study at a glance: regions, groups, people and response per wave."""
    return render(request, "study/home.html", {"overview": study_overview(), "meta": study_meta()})
