"""Test helpers of the study pages: a few answers for the registry's test world."""

from __future__ import annotations

from datetime import UTC, datetime

from mentorwijs.web.study import models as m

INVITED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ANSWERED = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)


def _invitation(*, role: str, person: dict[str, str], wave: str) -> m.Invitation:
    """The person's invitation to ``wave``, made when the world has none yet."""
    invitation, _ = m.Invitation.objects.get_or_create(
        wave=wave, **person, defaults={"role": role, "invited_at": INVITED}
    )
    return invitation


def answers_add() -> None:
    """Study metadata and answers of S-ANNA (T0, and an unanswered T1) and E-EVA (T0) for
    :func:`~mentorwijs.web.registry.testing.world_build`'s world."""
    m.StudyMeta.objects.create(
        meta={"extract_start": "2026-01", "extract_end": "2026-12", "protocol_version": "2026.1"}
    )
    anna = _invitation(role="supervisor", person={"supervisor_id": "S-ANNA"}, wave="T0")
    anna.completed_at = ANSWERED
    anna.save()
    _invitation(role="supervisor", person={"supervisor_id": "S-ANNA"}, wave="T1")
    eva = _invitation(role="employee", person={"employee_id": "E-EVA"}, wave="T0")
    eva.completed_at = ANSWERED
    eva.save()
    for invitation, instrument, item, value in (
        (anna, "sv_outcomes", "kn1", 4.0),
        (anna, "sv_outcomes", "se6", 2.0),
        (eva, "em_questionnaire", "work_ability", 7.0),
    ):
        m.Response.objects.create(
            invitation=invitation, instrument=instrument, item=item, value=value,
            submitted_at=ANSWERED,
        )  # fmt: skip
