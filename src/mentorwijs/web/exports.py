"""Every export is written to the audit trail.

An export (a study data package, the audit trail as CSV, a report download) is one
django-auditlog entry with action *access* on the study metadata, the user of the request
as actor, and ``additional_data = {"export": what, ...}`` saying what left the site and
where to. Researchers see these entries in the audit trail as "exported".
"""

from __future__ import annotations

from typing import Any


def export_log(*, what: str, **detail: Any) -> None:
    """Record that ``what`` was exported, with JSON-serialisable ``detail``."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from mentorwijs.web.study.models import StudyMeta

    # Saved one by one: django-auditlog fills in the user of the request (if any) as actor.
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(StudyMeta),
        object_pk="export",
        object_repr=what,
        action=LogEntry.Action.ACCESS,
        changes_text="",
        additional_data={"export": what, **{k: str(v) for k, v in detail.items()}},
    )
