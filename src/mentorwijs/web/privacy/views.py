"""The record of processing as a page for researchers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mentorwijs.web.privacy.record import processing_record
from mentorwijs.web.registry.access import require_role
from mentorwijs.web.registry.models import Role


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """Which data, why, on what basis, how long: generated from the tables and settings."""
    require_role(request.user, Role.RESEARCHER)
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    controller, activities = processing_record(lang=lang)
    return render(
        request, "privacy/record.html", {"controller": controller, "activities": activities}
    )
