"""Every read of an identity is written to the audit trail.

Identity models use :class:`IdentityQuerySet` as their default and base manager, so every
query that brings identities out of the database (``.get``, ``.first``, lists, ``values``,
``values_list``, a related ``supervisor.identity``, the admin) writes one django-auditlog
entry with action *access* per identity read, with the user of the request as actor
(``AuditlogMiddleware``), in one insert per query. The saving and erasing code reads
identities internally inside :func:`unlogged` (it writes its own entries).

Joining identities in through ``select_related`` / ``prefetch_related`` from another model
would bypass this; ``tests/test_security_privacy.py`` checks that no code does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models.query import ModelIterable
from django.db.models.signals import pre_save

_quiet: ContextVar[bool] = ContextVar("mentorwijs_identity_reads_quiet", default=False)


@contextmanager
def unlogged() -> Iterator[None]:
    """Reads inside this block are not logged (internal reads of code that logs itself)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def identity_reads_log(*, model: type[models.Model], pks: Iterable[Any]) -> int:
    """Write one *access* entry per identity read; returns how many were written."""
    if _quiet.get():
        return 0
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    keys = sorted({str(pk) for pk in pks})
    if not keys:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=key,
            object_repr=key,
            action=LogEntry.Action.ACCESS,
            changes_text="",
        )
        for key in keys
    ]
    for entry in entries:
        # What a save would do: django-auditlog's receiver (connected only while a request
        # or ``set_actor`` block runs) fills in the actor; then one insert for all.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None)
    LogEntry.objects.bulk_create(entries)
    return len(keys)


class IdentityQuerySet(models.QuerySet):
    """A queryset that logs which identities it reads."""

    def by_name(self, name: str) -> IdentityQuerySet:
        """Identities with exactly this name (ignoring case and spacing), by its digest."""
        from mentorwijs.web.registry.crypto import lookup_digest

        return self.filter(name_digest=lookup_digest(name) or "-")

    def by_email(self, email: str) -> IdentityQuerySet:
        """Identities with exactly this e-mail address (ignoring case), by its digest."""
        from mentorwijs.web.registry.crypto import lookup_digest

        return self.filter(email_digest=lookup_digest(email) or "-")

    def _read_pks(self) -> list[Any]:
        if self._iterable_class is ModelIterable:
            return [obj.pk for obj in self._result_cache or []]
        plain = models.QuerySet(model=self.model, query=self.query.chain(), using=self._db)
        return list(plain.values_list("pk", flat=True))

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache and not _quiet.get():
            identity_reads_log(model=self.model, pks=self._read_pks())

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        quiet = _quiet.get()
        if not quiet and self._iterable_class is not ModelIterable:
            identity_reads_log(model=self.model, pks=self._read_pks())
        for obj in super().iterator(chunk_size=chunk_size):
            if not quiet and self._iterable_class is ModelIterable:
                identity_reads_log(model=self.model, pks=[obj.pk])
            yield obj


IdentityManager = models.Manager.from_queryset(IdentityQuerySet)
