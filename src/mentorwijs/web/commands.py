"""Plain functions the ``mentorwijs`` command calls; each sets up Django first."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEMO_RESEARCHER = "onderzoeker"
DEMO_COORDINATOR = "coordinator"
DEMO_TRAINER = "trainer"
DEMO_EMPLOYER = "werkgever"


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


def answers_package() -> tuple[Any, set[tuple[str, str]]]:
    """The database's answers as a study data package, by the route of :func:`export`, and
    the respondents to exclude (see :func:`~mentorwijs.web.study.answers.answers_package`)."""
    from mentorwijs.web.study.answers import answers_package as select

    return select()


def answers_export_record(*, fmt: str, shape: str, lang: str, rows: int) -> None:
    """Write an export of the database's answers made on the command line to the audit trail."""
    from mentorwijs.web.study.answers import answers_export_record as record

    record(fmt=fmt, shape=shape, lang=lang, rows=rows, via="command line")


def study_meta() -> dict[str, Any] | None:
    """Metadata of the loaded study, None if the database holds none."""
    from mentorwijs.web.study.selectors import study_meta as select

    return select()


def ensure_demo_users() -> list[tuple[str, str]]:
    """Create (or reset) the demo accounts; return (username, password) pairs.

    A researcher (staff, all study data pseudonymised) always; when a study is loaded also a
    coordinator of the demo region (the region with the most training groups), a trainer of
    that region's first group and an employer contact of an employer taking part there.
    Each gets a fresh random password on every call.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from mentorwijs.web.registry.models import Role
    from mentorwijs.web.registry.services import role_grant
    from mentorwijs.web.study import models as m

    def account(username: str, *, staff: bool = False) -> tuple[Any, str]:
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.is_staff = staff
        user.save()
        return user, password

    researcher, password = account(DEMO_RESEARCHER, staff=True)
    role_grant(user=researcher, role=Role.RESEARCHER)
    pairs = [(DEMO_RESEARCHER, password)]
    region = (
        m.Region.objects.annotate(groups=Count("traininggroup"))
        .filter(groups__gt=0)
        .order_by("-groups", "region_id")
        .first()
    )
    if region is None:
        return pairs
    group = m.TrainingGroup.objects.filter(region=region).order_by("start_date", "pk").first()
    supervisor = m.Supervisor.objects.filter(training_group=group).order_by("pk").first()
    for username, role, scope in (
        (DEMO_COORDINATOR, Role.COORDINATOR, {"region": region}),
        (DEMO_TRAINER, Role.TRAINER, {"trainer": group.trainer_1 if group else None}),
        (
            DEMO_EMPLOYER,
            Role.EMPLOYER_CONTACT,
            {"organisation": getattr(supervisor, "organisation", None)},
        ),
    ):
        if None in scope.values():
            continue
        user, password = account(username)
        role_grant(user=user, role=role, **scope)
        pairs.append((username, password))
    return pairs


def serve(addr: str = "127.0.0.1:8000") -> None:
    """Run the site with Django's server (static files included; for local use)."""
    from django.core.management import call_command

    call_command("runserver", addr, use_reloader=False, insecure_serving=True)


def manage(argv: list[str]) -> None:
    """Run any Django management command."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mentorwijs manage", *argv])
