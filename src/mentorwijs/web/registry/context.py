"""The navigation a user sees depends on their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mentorwijs.web.registry import access
from mentorwijs.web.registry.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    roles = {x.role for x in access.user_roles(user)}
    return {
        "nav": {
            "coordinator": Role.COORDINATOR in roles,
            "trainer": Role.TRAINER in roles,
            "researcher": Role.RESEARCHER in roles,
            "employer_contact": Role.EMPLOYER_CONTACT in roles,
        }
    }
