"""The audit trail: which models are audited, and the selectors researchers read it with.

django-auditlog records every create, change and delete made through the ORM with the
user (from ``AuditlogMiddleware``, or ``auditlog.context.set_actor`` outside a request),
the time and each changed field's value before and after. Bulk loads of a whole package
(``package_load``) bypass the per-row signals on purpose; the load itself is recorded as
the creation of the study metadata.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.crypto import audit_unmask
from mentorwijs.web.study import models as m

STUDY_MODELS = (
    m.StudyMeta,
    m.Region,
    m.Organisation,
    m.Trainer,
    m.TrainingGroup,
    m.Meeting,
    m.Supervisor,
    m.Attendance,
    m.Employee,
    m.Cost,
    m.Invitation,
    m.Response,
    r.Municipality,
    r.Placement,
    r.Role,
)
IDENTITY_MODELS = (
    r.SupervisorIdentity,
    r.EmployeeIdentity,
    r.TrainerIdentity,
    r.OrganisationIdentity,
)
REDACTED = "•••"
CSV_COLUMNS = (
    "timestamp",
    "actor",
    "action",
    "model",
    "object_pk",
    "object_repr",
    "field",
    "before",
    "after",
)


def register_audited_models() -> None:
    """Register the study and identity models with django-auditlog (idempotent).

    The values of identity fields are stored in the trail encrypted with the identity key
    (``crypto.audit_mask``), like the identities themselves; the digests are left out.
    """
    from auditlog.registry import auditlog

    for model in STUDY_MODELS:
        if not auditlog.contains(model):
            # The reverse one-to-one ``identity`` is not a value of the pseudonymised row;
            # comparing it would read (and log) the identity on every create and delete.
            has_identity = any(f.name == "identity" for f in model._meta.get_fields())
            auditlog.register(model, exclude_fields=["identity"] if has_identity else None)
    for model in IDENTITY_MODELS:
        if not auditlog.contains(model):
            auditlog.register(
                model,
                exclude_fields=["name_digest", "email_digest"],
                mask_fields=list(r.Identity.VALUE_FIELDS),
                mask_callable="mentorwijs.web.registry.crypto.audit_mask",
            )


def audited_content_types() -> list[ContentType]:
    """Content types a researcher can filter on, in a fixed order."""
    types = ContentType.objects.get_for_models(*STUDY_MODELS, *IDENTITY_MODELS)
    return [types[model] for model in (*STUDY_MODELS, *IDENTITY_MODELS)]


@dataclass(frozen=True)
class AuditFilter:
    """What a researcher filters the audit trail on; empty fields do not filter."""

    content_type_id: int | None = None
    action: int | None = None
    actor: str = ""
    object_pk: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries_list(*, audit_filter: AuditFilter) -> QuerySet[Any]:
    """Log entries of audited models, newest first, filtered."""
    from auditlog.models import LogEntry

    qs = LogEntry.objects.filter(content_type__in=audited_content_types()).select_related(
        "actor", "content_type"
    )
    f = audit_filter
    if f.content_type_id:
        qs = qs.filter(content_type_id=f.content_type_id)
    if f.action is not None:
        qs = qs.filter(action=f.action)
    if f.actor:
        qs = qs.filter(actor__username=f.actor)
    if f.object_pk:
        qs = qs.filter(object_pk=f.object_pk)
    if f.date_from:
        qs = qs.filter(timestamp__gte=_start(f.date_from))
    if f.date_to:
        qs = qs.filter(timestamp__lt=_start(f.date_to) + timezone.timedelta(days=1))
    return qs.order_by("-timestamp", "-pk")


def _is_identity(entry: Any) -> bool:
    return entry.content_type.model_class() in IDENTITY_MODELS


def audit_changes(*, entry: Any, identities: bool) -> list[tuple[str, str, str]]:
    """(field, before, after) of one entry; identity values hidden unless ``identities``.

    A person's language and reading mode identify nobody: they are shown to everyone who
    reads the trail.
    """
    changes = entry.changes_dict or {}
    hide = _is_identity(entry) and not identities
    out = []
    for field, values in sorted(changes.items()):
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, None)
        if hide and field not in r.PreferenceFields.PREFERENCE_FIELDS:
            before, after = REDACTED, REDACTED
        elif _is_identity(entry) and field in r.Identity.VALUE_FIELDS:
            before = audit_unmask(str(before)) if before is not None else None
            after = audit_unmask(str(after)) if after is not None else None
        out.append(
            (field, "" if before is None else str(before), "" if after is None else str(after))
        )
    return out


def _action_name(entry: Any) -> str:
    if entry.action == 3:
        return "export" if (entry.additional_data or {}).get("export") else "read"
    return {0: "create", 1: "update", 2: "delete"}.get(entry.action, str(entry.action))


def _csv_rows(entries: QuerySet[Any], *, identities: bool) -> Iterator[list[str]]:
    for entry in entries.iterator(chunk_size=2000):
        head = [
            entry.timestamp.isoformat(),
            entry.actor.username if entry.actor else "",
            _action_name(entry),
            entry.content_type.model,
            entry.object_pk,
            entry.object_repr,
        ]
        for change in audit_changes(entry=entry, identities=identities) or [("", "", "")]:
            yield [*head, *change]


def audit_csv(*, audit_filter: AuditFilter, identities: bool) -> str:
    """The filtered audit trail as CSV text: one row per changed field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(
        _csv_rows(audit_entries_list(audit_filter=audit_filter), identities=identities)
    )
    return buffer.getvalue()
