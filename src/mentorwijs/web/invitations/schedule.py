"""Who is due which wave, and when: the schedule, read from the registry and the protocol.

A wave's date is its anchor meeting's date (``meeting_1`` or ``meeting_5`` of the
supervisor's training group) plus the wave's ``offset_days`` and ``offset_months``. A wave
becomes due at the start of that day (the site's time zone) and closes
``expires_after_days`` later; nobody is invited to a closed wave. Supervisors are asked when
enrolled in a group with planned meetings; employees of such a supervisor when their
registry entry says they may be asked (``consent_questionnaire``). Anyone whose newest
questionnaire-consent decision is "no" is never asked.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from mentorwijs.protocol import load_protocol
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.consent import withdrawn_respondents


@dataclass(frozen=True)
class Rules:
    """When reminders go out and when a wave closes (the protocol's ``invitations``)."""

    reminder_after_days: int = 7
    reminder_every_days: int = 7
    max_reminders: int = 2
    expires_after_days: int = 42


@dataclass(frozen=True)
class Due:
    """One respondent due one wave."""

    role: str
    respondent_id: str
    wave: str
    training_group_id: str
    region_id: str
    due_on: date
    expires_at: datetime


def rules_of(protocol: Any = None) -> Rules:
    """The invitation rules of the protocol (the shipped one when None); defaults if absent."""
    protocol = protocol or load_protocol()
    given = getattr(protocol, "invitations", None)
    if given is None:
        return Rules()
    return Rules(**{f: getattr(given, f) for f in Rules.__dataclass_fields__ if hasattr(given, f)})


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def wave_date(wave: Any, anchors: dict[str, date]) -> date | None:
    """The date a wave is due for a group with ``anchors`` (None: anchor meeting unplanned)."""
    anchor = anchors.get(wave.anchor)
    if anchor is None:
        return None
    return add_months(anchor, wave.offset_months) + timedelta(days=wave.offset_days)


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def group_anchors(groups: Iterable[str] | None = None) -> dict[str, dict[str, date]]:
    """Dates of meetings 1 and 5 per training group (only groups with planned meetings)."""
    qs = m.Meeting.objects.filter(meeting_no__in=(1, 5))
    if groups is not None:
        qs = qs.filter(training_group_id__in=list(groups))
    out: dict[str, dict[str, date]] = {}
    for group_id, no, day in qs.values_list("training_group_id", "meeting_no", "date"):
        out.setdefault(group_id, {})[f"meeting_{no}"] = day
    return out


def respondents_due(*, now: datetime, protocol: Any = None) -> list[Due]:
    """Everyone due a wave at ``now`` who has no invitation to it yet.

    Parameters
    ----------
    now
        The moment to schedule for (aware).
    protocol
        The study protocol; the shipped one when None.

    Returns
    -------
    list of Due
        Sorted by due date, role and pseudonym; withdrawn persons and closed waves left out.
    """
    protocol = protocol or load_protocol()
    rules = rules_of(protocol)
    anchors = group_anchors()
    regions = dict(m.TrainingGroup.objects.values_list("training_group_id", "region_id"))
    withdrawn = withdrawn_respondents("questionnaire")
    invited = {
        (role, sup or emp, wave)
        for role, sup, emp, wave in m.Invitation.objects.values_list(
            "role", "supervisor_id", "employee_id", "wave"
        )
    }
    people: list[tuple[str, str, str]] = [
        ("supervisor", pk, group)
        for pk, group in m.Supervisor.objects.filter(training_group__isnull=False).values_list(
            "supervisor_id", "training_group_id"
        )
    ]
    people += [
        ("employee", pk, group)
        for pk, group in m.Employee.objects.filter(
            supervisor__training_group__isnull=False, consent_questionnaire=True
        ).values_list("employee_id", "supervisor__training_group_id")
    ]
    out = []
    for role, pk, group in people:
        if (role, pk) in withdrawn or group not in anchors:
            continue
        for code in protocol.waves_for(role):
            if (role, pk, code) in invited:
                continue
            day = wave_date(protocol.waves[code], anchors[group])
            if day is None:
                continue
            closes = start_of(day + timedelta(days=rules.expires_after_days))
            if start_of(day) <= now < closes:
                out.append(Due(role, pk, code, group, regions[group], day, closes))
    return sorted(out, key=lambda d: (d.due_on, d.role, d.respondent_id, d.wave))
