"""Reading and saving a respondent's answers (``study.Response``), and finishing.

An answer is keyed by (invitation, instrument, item), the table's unique constraint. Saving
is an *upsert* (``INSERT … ON CONFLICT … DO UPDATE`` on PostgreSQL and SQLite): a double
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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey.plan import Plan
from mentorwijs.web.survey.validation import Stored

Key = tuple[str, str]


def answers_load(*, invitation_id: int) -> dict[Key, Stored]:
    """Every saved answer of an invitation, by (instrument, item)."""
    rows = Response.objects.filter(invitation_id=invitation_id).values_list(
        "instrument", "item", "value", "text"
    )
    return {(ins, item): Stored(value, text) for ins, item, value, text in rows}


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
    before: Mapping[Key, Stored],
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
        The answers saved before this page (from :func:`answers_load`).
    now
        The time stamp of the answers (default: now).

    Returns
    -------
    dict
        The answers saved after this page, by (instrument, item).
    """
    now = now or timezone.now()
    after = dict(before)
    rows = []
    cleared: list[Key] = []
    for code in sorted(answers):
        answer = answers[code]
        key = (instrument, code)
        if answer is None:
            if key in after:
                cleared.append(key)
                del after[key]
            continue
        after[key] = answer
        rows.append(
            Response(
                invitation_id=invitation_id,
                instrument=instrument,
                item=code,
                value=answer.value,
                text=answer.text,
                submitted_at=now,
            )
        )
    hidden = [k for k in plan.hidden_items(condition_answers(after)) if k in after]
    for key in hidden:
        del after[key]
    with transaction.atomic():
        if rows:
            Response.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["invitation", "instrument", "item"],
                update_fields=["value", "text", "submitted_at"],
            )
        _delete(invitation_id, cleared + hidden)
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

    The row is locked while it is read, so two finishing requests at the same moment set
    ``completed_at`` once. The change is audited.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.completed_at is not None:
            return False
        invitation.completed_at = now or timezone.now()
        invitation.save(update_fields=["completed_at"])
    return True
