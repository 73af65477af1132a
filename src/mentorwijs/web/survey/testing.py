"""Respondents with personal links, for tests, previews and the load test.

A minimal study (one region, one employer) and, per call, a supervisor or employee with an
invitation to a wave and its link. No identities: only pseudonyms.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mentorwijs.web.study import models as m
from mentorwijs.web.survey.consent import record_consent
from mentorwijs.web.survey.links import create_link
from mentorwijs.web.survey.models import Link
from mentorwijs.web.survey.plan import survey_protocol


def employer_minimal() -> m.Organisation:
    """Region R-TEST and employer O-TEST (made once)."""
    region, _ = m.Region.objects.get_or_create(region_id="R-TEST", defaults={"name": "Testregio"})
    employer, _ = m.Organisation.objects.get_or_create(
        organisation_id="O-TEST", defaults={"kind": "employer", "region": region}
    )
    return employer


def respondent_link(
    *,
    pseudonym: str = "S-TEST",
    role: str = "supervisor",
    wave: str = "T0",
    language: str = "nl",
    easy_read: bool = False,
    expires_in_days: float = 42,
    consent: bool = False,
) -> tuple[Link, str]:
    """A respondent invited to ``wave``, with a link; returns the link and its token.

    With ``consent`` the person has already agreed to the questionnaire (current version).
    """
    employer = employer_minimal()
    now = timezone.now()
    if role == "supervisor":
        person = m.Supervisor.objects.get_or_create(
            supervisor_id=pseudonym, defaults={"organisation": employer}
        )[0]
        invitation = m.Invitation.objects.create(
            supervisor=person, role=role, wave=wave, invited_at=now
        )
    else:
        boss = m.Supervisor.objects.get_or_create(
            supervisor_id="S-BOSS", defaults={"organisation": employer}
        )[0]
        person = m.Employee.objects.get_or_create(
            employee_id=pseudonym,
            defaults={"supervisor": boss, "consent_questionnaire": False,
                      "consent_register": False},
        )[0]  # fmt: skip
        invitation = m.Invitation.objects.create(
            employee=person, role=role, wave=wave, invited_at=now
        )
    link, token = create_link(
        invitation=invitation,
        expires_at=now + timedelta(days=expires_in_days),
        language=language,
        easy_read=easy_read,
    )
    if consent:
        texts = survey_protocol().consent.get("questionnaire")
        record_consent(
            role=role,
            respondent_id=pseudonym,
            purpose="questionnaire",
            given=True,
            version=texts.version if texts else "1",
        )
    return link, token
