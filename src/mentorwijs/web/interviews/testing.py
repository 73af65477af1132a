"""An interview with one coded segment, for tests (on top of the registry's ``world_build``)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.survey.consent import record_consent

INTERVIEW_ID = "I-MATRIX1"
INTERVIEW = f"/interviews/{INTERVIEW_ID}/"
TEXT = "I: Hoe gaat het met de begeleiding?\nR: Goed. Ik weet nu meer over beperkingen."
QDC = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
    b'<Codes><Code guid="0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D" name="Werkdruk" '
    b'isCodable="true"/></Codes></CodeBook>'
)


def interview_build(*, user: Any) -> i.Interview:
    """Interview I-MATRIX1 with supervisor S-ANNA (wave T2), segment 1 coded by ``user``."""
    services.codebook_ensure()
    record_consent(role="supervisor", respondent_id="S-ANNA", purpose="interview", given=True,
                   version="test")  # fmt: skip
    interview = i.Interview.objects.create(
        interview_id=INTERVIEW_ID, respondent_id="S-ANNA", role="supervisor", wave="T2",
        region_id="R10", text=TEXT, uploaded_by=user,
    )  # fmt: skip
    services.segment_code(
        interview=interview, user=user, first=3, last=3,
        codes=[i.Code.objects.get(key="midi-knowledge")], memo="kennis",
    )  # fmt: skip
    return interview


def qdc_upload() -> SimpleUploadedFile:
    """A small valid REFI-QDA codebook file to upload."""
    return SimpleUploadedFile("codebook.qdc", QDC, content_type="application/xml")
