"""Who may see and change interviews: researchers only.

Transcripts are the most personal material of the study, even pseudonymised: how a
supervisor talks about an employee, what an employee says about their work. Coordinators,
trainers and employer contacts often know the people in them, so a pseudonym would not
protect much; they get 403 on every interview page. Researchers code, manage the codebook and
read every interview. A segment can be changed only by the coder who made it (the other coder
of a double-coding works independently): someone else's segment answers 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentorwijs.web.interviews import models as i
from mentorwijs.web.registry.access import require_role
from mentorwijs.web.registry.models import Role


def interviews_check(*, user: Any) -> None:
    """403 unless the user is a researcher."""
    require_role(user, Role.RESEARCHER)


def interview_get(*, user: Any, interview_id: str) -> i.Interview:
    """An interview (researchers), else 403; an unknown one 404."""
    interviews_check(user=user)
    interview = i.Interview.objects.select_related("region").filter(pk=interview_id).first()
    if interview is None:
        raise Http404("not found")
    return interview


def segment_get(*, user: Any, interview: i.Interview, segment_no: int) -> i.Segment:
    """A segment of the interview that the user coded (to change or delete)."""
    interviews_check(user=user)
    segment = (
        i.Segment.objects.select_related("coder", "interview")
        .filter(interview=interview, segment_no=segment_no)
        .first()
    )
    if segment is None:
        raise Http404("not found")
    if segment.coder.user_id != user.pk:
        raise PermissionDenied
    return segment


def code_get(*, user: Any, key: str) -> i.Code:
    """A code of the codebook (researchers)."""
    interviews_check(user=user)
    code = i.Code.objects.select_related("parent").filter(key=key).first()
    if code is None:
        raise Http404("not found")
    return code
