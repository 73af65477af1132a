"""Reading and saving a respondent's answers (``study.Response``), and finishing.

An answer is keyed by (invitation, instrument, item), the table's unique constraint. Saving
is an *upsert* (one ``INSERT … ON CONFLICT … DO UPDATE`` on PostgreSQL and SQLite): a double
submit, a reload of a POST or two identical posts at the same moment all end in one row
with the last value, and none raises. The rows of one page are written in key order, so two
concurrent saves take their row locks in the same order and cannot deadlock.

Answers the respondent gives online are not copied into the audit trail (decision 0005):
``submitted_at`` records when, and an erasure must not leave the values behind in the log.
Changes staff make in the admin are audited as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey.plan import Plan
from mentorwijs.web.survey.validation import Stored

Key = tuple[str, str]


_TABLE = Response._meta.db_table
_LOAD = f"SELECT instrument, item, value, text FROM {_TABLE} WHERE invitation_id = %s"
_UPSERT = (
    f"INSERT INTO {_TABLE} (invitation_id, instrument, item, value, text, submitted_at) "
    "VALUES {rows} ON CONFLICT (invitation_id, instrument, item) DO UPDATE SET "
    "value = excluded.value, text = excluded.text, submitted_at = excluded.submitted_at"
)


def answers_load(*, invitation_id: int) -> dict[Key, Stored]:
    """Every saved answer of an invitation, by (instrument, item)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOAD, [invitation_id])
        rows = cursor.fetchall()
    return {(ins, item): Stored(value, text) for ins, item, value, text in rows}


def _upsert(invitation_id: int, instrument: str, rows: list[tuple[str, Stored]], now: datetime):
    """One ``INSERT … ON CONFLICT DO UPDATE`` for the rows of a page, in key order.

    The same statement as ``bulk_create(update_conflicts=True)`` writes, without building
    model instances and compiling the query on every request (the hottest path of the site).
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    params: list[object] = []
    for code, answer in rows:
        params += [invitation_id, instrument, code, answer.value, answer.text, stamp]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows=values), params)


def condition_answers(stored: Mapping[Key, Stored]) -> dict[str, dict[str, object]]:
    """Saved answers as ``show_if`` conditions read them: per instrument, code → value."""
    out: dict[str, dict[str, object]] = {}
    for (ins, item), answer in stored.items():
        out.setdefault(ins, {})[item] = answer.for_conditions()
    return out


def _delete(invitation_id: int, keys: list[Key]) -> int:
    if not keys:
        return 0
    where = Q()
    for ins, item in keys:
        where |= Q(instrument=ins, item=item)
    with disable_auditlog():
        deleted, _ = Response.objects.filter(where, invitation_id=invitation_id).delete()
    return deleted


def answers_save(
    *,
    invitation_id: int,
    instrument: str,
    answers: Mapping[str, Stored | None],
    plan: Plan,
    before: Mapping[Key, Stored] | None,
    now: datetime | None = None,
) -> dict[Key, Stored]:
    """Save the answers of one page, and clear the answers of items no longer asked.

    Parameters
    ----------
    invitation_id
        The respondent's invitation to the wave.
    instrument
        The instrument of the page.
    answers
        Item code → the answer, or None for an item left empty (a stored answer to it is
        removed: the respondent took it back).
    plan
        The plan of the wave, to find the items that ``show_if`` now hides.
    before
        The answers saved before this page (from :func:`answers_load`); None when the
        caller did not load them because no ``show_if`` in the plan can depend on them
        (an emptied answer is then cleared without knowing whether one was stored).
    now
        The time stamp of the answers (default: now).

    Returns
    -------
    dict
        The answers saved after this page, by (instrument, item).
    """
    now = now or timezone.now()
    after = dict(before or {})
    rows: list[tuple[str, Stored]] = []
    cleared: list[Key] = []
    for code in sorted(answers):
        answer = answers[code]
        key = (instrument, code)
        if answer is None:
            if before is None or key in after:
                cleared.append(key)
                after.pop(key, None)
            continue
        after[key] = answer
        rows.append((code, answer))
    hidden = [k for k in plan.hidden_items(condition_answers(after)) if k in after]
    for key in hidden:
        del after[key]
    if cleared or hidden:
        with transaction.atomic():
            if rows:
                _upsert(invitation_id, instrument, rows, now)
            _delete(invitation_id, cleared + hidden)
    elif rows:
        _upsert(invitation_id, instrument, rows, now)  # one statement: atomic by itself
    return after


def missing_required(plan: Plan, stored: Mapping[Key, Stored]) -> list[tuple[int, str, str]]:
    """(page, instrument, item) of every required item that is asked but not answered."""
    answers = condition_answers(stored)
    missing = []
    for page in plan.pages:
        for it in page.items:
            if not (it.required and it.has_answer):
                continue
            if (page.instrument, it.code) in stored:
                continue
            if plan.shown(page.instrument, it, answers):
                missing.append((page.number, page.instrument, it.code))
    return missing


def questionnaire_finish(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Mark the invitation completed, once: True if this call did it, False if it was done.

    One conditional ``UPDATE … WHERE completed_at IS NULL``: of two finishing requests at the
    same moment the database lets one change the row, the other finds it done. The change is
    audited with the entry django-auditlog's save signal would write (the same diff), without
    reading the row twice first.
    """
    now = now or timezone.now()
    with transaction.atomic():
        done = Invitation.objects.filter(pk=invitation_id, completed_at__isnull=True).update(
            completed_at=now
        )
        if done:
            before = Invitation(pk=invitation_id, completed_at=None)
            after = Invitation(pk=invitation_id, completed_at=now)
            LogEntry.objects.log_create(
                after,
                action=LogEntry.Action.UPDATE,
                changes=model_instance_diff(before, after, fields_to_check=["completed_at"]),
            )
    return bool(done)
