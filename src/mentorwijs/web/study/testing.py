"""Test helpers of the study pages: a few answers for the registry's test world."""

from __future__ import annotations

from datetime import UTC, datetime

from mentorwijs.web.study import models as m

ANSWERED = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)


def answers_add() -> None:
    """Study metadata and answers of S-ANNA (T0, and an unanswered T1) and E-EVA (T0) for
    :func:`~mentorwijs.web.registry.testing.world_build`'s world."""
    m.StudyMeta.objects.create(
        meta={"extract_start": "2026-01", "extract_end": "2026-12", "protocol_version": "2026.1"}
    )
    invited = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    anna = m.Invitation.objects.create(
        supervisor_id="S-ANNA", role="supervisor", wave="T0", invited_at=invited,
        completed_at=ANSWERED,
    )  # fmt: skip
    m.Invitation.objects.create(
        supervisor_id="S-ANNA", role="supervisor", wave="T1", invited_at=invited
    )
    eva = m.Invitation.objects.create(
        employee_id="E-EVA", role="employee", wave="T0", invited_at=invited, completed_at=ANSWERED
    )
    for invitation, instrument, item, value in (
        (anna, "sv_outcomes", "kn1", 4.0),
        (anna, "sv_outcomes", "se6", 2.0),
        (eva, "em_questionnaire", "work_ability", 7.0),
    ):
        m.Response.objects.create(
            invitation=invitation, instrument=instrument, item=item, value=value,
            submitted_at=ANSWERED,
        )  # fmt: skip
