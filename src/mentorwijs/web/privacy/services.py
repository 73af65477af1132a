"""Privacy services: erase identities after the retention period, rotate the identity key.

Both work on every identity table, the import rows and the identity values kept
(encrypted) in the audit trail, in one transaction each, and write their own audit entries.
Rotation also re-encrypts the interview transcripts and their file names, the coded passages
and memos, and what the audit trail kept of those (erasure leaves them: they are
pseudonymised study data, kept for the study's retention period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.fernet import Fernet
from django.db import connection, transaction

from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.apps import INTERVIEW_SECRET_FIELDS, SEGMENT_SECRET_FIELDS
from mentorwijs.web.registry import crypto
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.reads import unlogged

IDENTITY_MODELS = (
    r.SupervisorIdentity,
    r.EmployeeIdentity,
    r.TrainerIdentity,
    r.OrganisationIdentity,
)
ERASED = "(gewist / erased)"


@dataclass(frozen=True)
class Erasure:
    """What ``identities_erase`` found and did."""

    due: date | None
    erased: int
    import_batches: int
    audit_entries: int
    dry_run: bool

    @property
    def done(self) -> bool:
        return self.due is not None and not self.dry_run and self.erased > 0


def _identity_content_types() -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    return list(ContentType.objects.get_for_models(*IDENTITY_MODELS).values())


def _audit_values(
    entries: Any, change: Any, fields: tuple[str, ...] = r.Identity.VALUE_FIELDS
) -> int:
    """Apply ``change(value) -> value`` to the values of ``fields`` in audit ``entries``."""
    from auditlog.models import LogEntry

    changed = []
    for entry in entries.exclude(changes=None).iterator():
        values = entry.changes if isinstance(entry.changes, dict) else {}
        new = {
            field: [change(v) if field in fields else v for v in pair]
            if isinstance(pair, list)
            else pair
            for field, pair in values.items()
        }
        if new != values:
            entry.changes = new
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["changes"], batch_size=500)
    return len(changed)


def identities_erase(*, today: date, dry_run: bool = False) -> Erasure:
    """Erase every identity once the retention period after the study's end has passed.

    Each erased identity leaves a *delete* entry in the audit trail (reason: retention, no
    values); identity values in earlier entries and the rows of import files are erased too.
    Nothing happens before the due date or when the study's end date is not set.
    """
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import pre_save

    from mentorwijs.web.privacy.record import erase_after, study_end

    due = erase_after()
    if due is None or today < due:
        return Erasure(due, 0, 0, 0, dry_run)
    with unlogged():
        counts = {m: m.objects.count() for m in IDENTITY_MODELS}
    batches = r.ImportBatch.objects.count()
    if dry_run:
        return Erasure(due, sum(counts.values()), batches, 0, True)
    detail = {
        "reason": "retention",
        "study_end": str(study_end()),
        "retention_months": str(_months()),
    }
    with transaction.atomic(), unlogged(), disable_auditlog():
        entries = []
        for model in IDENTITY_MODELS:
            content_type = ContentType.objects.get_for_model(model)
            for pk in model.objects.values_list("pk", flat=True):
                entries.append(
                    LogEntry(
                        content_type=content_type,
                        object_pk=str(pk),
                        object_repr=str(pk),
                        action=LogEntry.Action.DELETE,
                        changes_text="",
                        additional_data=detail,
                    )
                )
            model.objects.all().delete()
        for entry in entries:  # the actor of a request or ``set_actor`` block, if any
            pre_save.send(
                sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None
            )
        LogEntry.objects.bulk_create(entries)
        audited = _audit_values(
            LogEntry.objects.filter(content_type__in=_identity_content_types()),
            lambda value: ERASED,
        )
        r.ImportBatch.objects.update(rows=[])
    return Erasure(due, len(entries), batches, audited, False)


def _months() -> int:
    from django.conf import settings

    return int(settings.MENTORWIJS_RETENTION_MONTHS)


@dataclass(frozen=True)
class Rotation:
    """What ``identity_key_rotate`` re-encrypted (counts of rows and audit entries)."""

    identities: int
    import_batches: int
    audit_entries: int
    source: str
    keys_kept: int
    transcripts: int = 0
    segments: int = 0


#: Encrypted columns of the interviews: model → its encrypted fields.
TRANSCRIPT_MODELS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (i.Interview, INTERVIEW_SECRET_FIELDS),
    (i.Segment, SEGMENT_SECRET_FIELDS),
)


def _rotate_token(value: Any) -> Any:
    return crypto.rotate(value) if str(value).startswith("gAAAA") else value


def _rotate_columns(cur: Any, model: Any, fields: tuple[str, ...]) -> int:
    """Re-encrypt ``fields`` of every row of ``model`` under the newest key (raw SQL)."""
    q = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [model._meta.get_field(f).column for f in fields]
    cur.execute(f"SELECT {q(pk)}, {', '.join(q(c) for c in columns)} FROM {q(table)}")
    rows = cur.fetchall()
    for row_pk, *tokens in rows:
        cur.execute(
            f"UPDATE {q(table)} SET {', '.join(f'{q(c)} = %s' for c in columns)} "
            f"WHERE {q(pk)} = %s",
            [*(crypto.rotate(t) if t else crypto.encrypt("") for t in tokens), row_pk],
        )
    return len(rows)


def identity_key_rotate(*, new_key: bool = False, drop_old: bool = False) -> Rotation:
    """Re-encrypt every identity value under the newest key and recompute the digests.

    Also re-encrypts the interview transcripts and file names, coded passages and memos,
    and their values in the audit trail. All in one transaction: a value that no key in
    force opens stops the rotation with ``IdentityKeyError`` and nothing is changed.

    With ``new_key`` (key file only) a fresh key is put first in the key file before.
    With ``drop_old`` (key file only) the older keys are removed after: backups made before
    then can no longer be opened with this file, so keep the old keys with them.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from mentorwijs.web.errors import IdentityKeyError

    keys = crypto.identity_keys()
    from_file = keys.source != crypto.ENV
    if (new_key or drop_old) and not from_file:
        raise IdentityKeyError(
            crypto.ENV,
            "a key from the environment is changed there: put the new key first, run this "
            "command, then remove the old key",
        )
    if new_key:
        crypto.key_file_write(crypto.key_file(), (Fernet.generate_key(), *keys.keys))
        crypto.identity_keys.cache_clear()
    q = connection.ops.quote_name
    identities = 0
    with transaction.atomic(), connection.cursor() as cur:
        for model in IDENTITY_MODELS:
            table, pk = model._meta.db_table, model._meta.pk.column
            columns = [model._meta.get_field(f).column for f in r.Identity.VALUE_FIELDS]
            cur.execute(f"SELECT {q(pk)}, {', '.join(q(c) for c in columns)} FROM {q(table)}")
            for row_pk, *tokens in cur.fetchall():
                clear = [crypto.decrypt(t) if t else "" for t in tokens]
                sets = [*columns, "name_digest", "email_digest"]
                cur.execute(
                    f"UPDATE {q(table)} SET {', '.join(f'{q(c)} = %s' for c in sets)} "
                    f"WHERE {q(pk)} = %s",
                    [
                        *(crypto.rotate(t) if t else crypto.encrypt("") for t in tokens),
                        crypto.lookup_digest(clear[0]),
                        crypto.lookup_digest(clear[1]),
                        row_pk,
                    ],
                )
                identities += 1
        cur.execute(f"SELECT id, {q('rows')} FROM {q(r.ImportBatch._meta.db_table)}")
        batches = cur.fetchall()
        for row_pk, token in batches:
            if token:
                cur.execute(
                    f"UPDATE {q(r.ImportBatch._meta.db_table)} SET {q('rows')} = %s WHERE id = %s",
                    [crypto.rotate(token), row_pk],
                )
        audited = _audit_values(
            LogEntry.objects.filter(content_type__in=_identity_content_types()), _rotate_token
        )
        transcripts, segments = (_rotate_columns(cur, *m) for m in TRANSCRIPT_MODELS)
        for model, fields in TRANSCRIPT_MODELS:
            audited += _audit_values(
                LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)),
                _rotate_token,
                fields,
            )
    kept = len(crypto.identity_keys().keys)
    if drop_old:
        crypto.key_file_write(crypto.key_file(), crypto.identity_keys().keys[:1])
        crypto.identity_keys.cache_clear()
        kept = 1
    return Rotation(identities, len(batches), audited, keys.source, kept, transcripts, segments)
