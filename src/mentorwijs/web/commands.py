"""Plain functions the ``mentorwijs`` command calls; each sets up Django first."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEMO_RESEARCHER = "onderzoeker"


def configure() -> None:
    """Point Django at Mentorwijs' settings and set it up (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorwijs.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Bring the database schema up to date, quietly."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def database_label() -> str:
    """A human description of the configured database (no password)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "sqlite" in str(db["ENGINE"]):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def load(
    path: Path, *, replace: bool = False, extra_meta: Mapping[str, Any] | None = None
) -> dict[str, int]:
    """Load a study data package (see :func:`~mentorwijs.web.study.services.package_load`)."""
    from mentorwijs.web.study.services import package_load

    return package_load(path=Path(path), replace=replace, extra_meta=extra_meta)


def export(out: Path) -> Path:
    """Export the database as a study data package."""
    from mentorwijs.web.study.selectors import package_export

    return package_export(out=Path(out))


def study_meta() -> dict[str, Any] | None:
    """Metadata of the loaded study, None if the database holds none."""
    from mentorwijs.web.study.selectors import study_meta as select

    return select()


def ensure_demo_users() -> list[tuple[str, str]]:
    """Create (or reset) the demo researcher account; return (username, password) pairs."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=DEMO_RESEARCHER)
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.is_staff = True
    user.save()
    return [(DEMO_RESEARCHER, password)]


def serve(addr: str = "127.0.0.1:8000") -> None:
    """Run the site with Django's server (static files included; for local use)."""
    from django.core.management import call_command

    call_command("runserver", addr, use_reloader=False, insecure_serving=True)


def manage(argv: list[str]) -> None:
    """Run any Django management command."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mentorwijs manage", *argv])
