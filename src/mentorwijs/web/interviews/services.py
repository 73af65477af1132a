"""Services that write interviews, codings and the codebook. Keyword-only, one transaction each."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from mentorwijs.protocol.codebook import (
    Code as BookCode,
)
from mentorwijs.protocol.codebook import (
    Codebook,
    codebook_from_codes,
    key_from_name,
    load_codebook,
    new_guid,
)
from mentorwijs.protocol.models import load_protocol
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.errors import (
    CodeInUseError,
    CodeNotCodableError,
    NoInterviewConsentError,
    NoTranscriptError,
    SentenceRangeError,
    UnknownRespondentError,
)
from mentorwijs.web.interviews.transcripts import ContactHint, contact_hints, sentences
from mentorwijs.web.study import models as m

#: Version recorded with a consent entered by staff when a protocol has no interview
#: consent text (the shipped one has: ``Protocol.consent["interview"]``).
FALLBACK_CONSENT_VERSION = "interview-2026.1"
CONSENT_SOURCES = ("paper", "spoken")


def interview_consent_version() -> str:
    """Version of the protocol's interview consent text, else the documented constant."""
    text = load_protocol().consent.get("interview")
    return text.version if text is not None else FALLBACK_CONSENT_VERSION


# --- the codebook --------------------------------------------------------------------------


def _from_book(code: BookCode) -> dict[str, Any]:
    return {
        "guid": code.guid,
        "name_nl": code.name_nl,
        "name_en": code.name_en,
        "definition_nl": code.definition_nl,
        "definition_en": code.definition_en,
        "codable": code.codable,
        "color": code.color or "",
        "origin": code.origin,
        "item": code.item or "",
    }


def codebook_ensure() -> int:
    """Load the shipped MIDI codebook on first use; returns how many codes were added.

    Codes are matched by key: shipped codes already present (perhaps edited by a
    researcher) stay as they are.
    """
    if i.Code.objects.filter(origin="deductive").exists():
        return 0
    added = 0
    with transaction.atomic():
        position = i.Code.objects.aggregate(p=Max("position"))["p"] or 0
        for code in load_codebook().codes:
            if i.Code.objects.filter(key=code.key).exists():
                continue
            position += 1
            parent = i.Code.objects.get(key=code.parent) if code.parent else None
            i.Code.objects.create(
                key=code.key, parent=parent, position=position, **_from_book(code)
            )
            added += 1
    return added


def codebook_current() -> Codebook:
    """The codebook in the database as a checked :class:`Codebook` (pre-order)."""
    rows = i.Code.objects.select_related("parent").order_by("position", "pk")
    return codebook_from_codes(
        BookCode(
            key=c.key,
            guid=c.guid,
            name_nl=c.name_nl,
            name_en=c.name_en,
            definition_nl=c.definition_nl,
            definition_en=c.definition_en,
            parent=c.parent.key if c.parent else None,
            codable=c.codable,
            color=c.color or None,
            origin=c.origin,  # type: ignore[arg-type]
            item=c.item or None,
        )
        for c in rows
    )


@dataclass(frozen=True)
class CodeData:
    """What a researcher fills in for a code."""

    name_nl: str
    name_en: str = ""
    definition_nl: str = ""
    definition_en: str = ""
    parent: i.Code | None = None
    codable: bool = True


def _checked(candidate: BookCode) -> None:
    """Raise CodebookError when the codebook with ``candidate`` would not be valid."""
    codes = [c for c in codebook_current().codes if c.key != candidate.key]
    codebook_from_codes([*codes, candidate])


def code_create(*, data: CodeData) -> i.Code:
    """Add an inductive code (key made from its Dutch name)."""
    with transaction.atomic():
        key = key_from_name(data.name_nl, i.Code.objects.values_list("key", flat=True))
        candidate = BookCode(
            key=key, guid=new_guid(), name_nl=data.name_nl.strip(), name_en=data.name_en.strip(),
            definition_nl=data.definition_nl.strip(), definition_en=data.definition_en.strip(),
            parent=data.parent.key if data.parent else None, codable=data.codable,
        )  # fmt: skip
        _checked(candidate)
        position = (i.Code.objects.aggregate(p=Max("position"))["p"] or 0) + 1
        return i.Code.objects.create(
            key=key, parent=data.parent, position=position, **_from_book(candidate)
        )


def code_update(*, code: i.Code, data: CodeData) -> i.Code:
    """Change a code's names, definitions, parent and whether it is codable (key stays)."""
    with transaction.atomic():
        current = codebook_current()[code.key]
        candidate = BookCode(
            key=code.key, guid=code.guid, name_nl=data.name_nl.strip(),
            name_en=data.name_en.strip(), definition_nl=data.definition_nl.strip(),
            definition_en=data.definition_en.strip(),
            parent=data.parent.key if data.parent else None, codable=data.codable,
            color=current.color, origin=current.origin, item=current.item,
        )  # fmt: skip
        _checked(candidate)
        for field, value in _from_book(candidate).items():
            setattr(code, field, value)
        code.parent = data.parent
        code.save()
        return code


def code_delete(*, code: i.Code) -> None:
    """Delete a code that is not applied to any text and has no codes under it."""
    if code.codings.exists() or code.children.exists():
        raise CodeInUseError(code.key)
    code.delete()


def codebook_import(*, imported: Codebook) -> dict[str, int]:
    """Merge a codebook read from a .qdc file: same guid updates, a new guid adds.

    The whole result is checked first (names stay unique, the hierarchy has no cycle); a
    problem raises CodebookError and changes nothing.

    Returns
    -------
    dict
        ``{"added": n, "updated": n}``.
    """
    with transaction.atomic():
        current = codebook_current()
        merged = {c.key: c for c in current.codes}
        merged.update({c.key: c for c in imported.codes})
        codebook_from_codes(merged.values())
        known = {c.key for c in current.codes}
        position = i.Code.objects.aggregate(p=Max("position"))["p"] or 0
        rows: dict[str, i.Code] = {c.key: c for c in i.Code.objects.all()}
        added = updated = 0
        for code in imported.codes:  # pre-order: parents come first
            values = _from_book(code)
            if code.key in known:
                row = rows[code.key]
                changed = any(getattr(row, f) != v for f, v in values.items())
                changed |= (row.parent.key if row.parent else None) != code.parent
                if changed:
                    for field, value in values.items():
                        setattr(row, field, value)
                    row.parent = rows[code.parent] if code.parent else None
                    row.save()
                    updated += 1
            else:
                position += 1
                rows[code.key] = i.Code.objects.create(
                    key=code.key,
                    parent=rows[code.parent] if code.parent else None,
                    position=position,
                    **values,
                )
                added += 1
    return {"added": added, "updated": updated}


# --- interviews ----------------------------------------------------------------------------


def respondent_region(*, role: str, respondent_id: str) -> m.Region | None:
    """The region of a study participant; raises UnknownRespondentError for an unknown one.

    A supervisor's is their employer's, an employee's their supervisor's employer's, a
    trainer's their training provider's. Coordinators are not in the study tables: None.
    """
    if role == "supervisor":
        s = m.Supervisor.objects.select_related("organisation__region").filter(pk=respondent_id)
        found = s.first()
        if found is None:
            raise UnknownRespondentError(role, respondent_id)
        return found.organisation.region
    if role == "employee":
        e = m.Employee.objects.select_related("supervisor__organisation__region")
        emp = e.filter(pk=respondent_id).first()
        if emp is None:
            raise UnknownRespondentError(role, respondent_id)
        return emp.supervisor.organisation.region
    if role == "trainer":
        t = m.Trainer.objects.select_related("provider__region").filter(pk=respondent_id).first()
        if t is None:
            raise UnknownRespondentError(role, respondent_id)
        return t.provider.region
    return None


def _interview_id() -> str:
    while True:
        candidate = f"I-{secrets.token_hex(4).upper()}"
        if not i.Interview.objects.filter(pk=candidate).exists():
            return candidate


def interview_create(
    *,
    user: Any,
    role: str,
    respondent_id: str,
    text: str,
    filename: str = "",
    wave: str = "",
    region: m.Region | None = None,
    held_on: date | None = None,
    consent_source: str = "",
) -> tuple[i.Interview, list[ContactHint]]:
    """Store an uploaded transcript after checking the person and their interview consent.

    Parameters
    ----------
    user
        The researcher uploading.
    role, respondent_id
        The person interviewed. Supervisors, employees and trainers must exist in the
        study; their region is derived (``region`` is used only for coordinators).
    text
        The transcript, read by :func:`~mentorwijs.web.interviews.transcripts.transcript_read`.
    consent_source
        "paper" or "spoken" records that consent was given that way now (by ``user``,
        audited); empty requires a recorded consent to the interview.

    Returns
    -------
    (Interview, list of ContactHint)
        The interview and the sentences that look like an e-mail address or a phone number.

    Raises
    ------
    UnknownRespondentError, NoInterviewConsentError
    """
    from mentorwijs.web.survey.consent import has_consent, record_consent

    with transaction.atomic():
        derived = respondent_region(role=role, respondent_id=respondent_id)
        if consent_source in CONSENT_SOURCES:
            record_consent(
                role=role, respondent_id=respondent_id, purpose="interview", given=True,
                version=interview_consent_version(), source=consent_source, user=user,
            )  # fmt: skip
        elif not has_consent(role=role, respondent_id=respondent_id, purpose="interview"):
            raise NoInterviewConsentError(role, respondent_id)
        interview = i.Interview.objects.create(
            interview_id=_interview_id(), respondent_id=respondent_id, role=role, wave=wave,
            region=derived if role != "coordinator" else region, held_on=held_on,
            filename=filename[:200], text=text, uploaded_by=user,
        )  # fmt: skip
    return interview, contact_hints(text)


def coder_for(*, user: Any) -> i.Coder:
    """The user's coder pseudonym, made on first use (coder-1, coder-2, …)."""
    coder = i.Coder.objects.filter(user=user).first()
    if coder is not None:
        return coder
    with transaction.atomic():
        taken = {
            int(label.split("-", 1)[1])
            for label in i.Coder.objects.select_for_update().values_list("label", flat=True)
            if label.startswith("coder-") and label[6:].isdigit()
        }
        n = 1
        while n in taken:
            n += 1
        return i.Coder.objects.create(label=f"coder-{n}", user=user)


def _codes_checked(codes: list[i.Code]) -> list[i.Code]:
    if not codes:
        raise CodeNotCodableError()
    groups = [c for c in codes if not c.codable]
    if groups:
        raise CodeNotCodableError(", ".join(c.name_nl for c in groups))
    return codes


def _span(interview: i.Interview, first: int, last: int) -> tuple[int, int, str]:
    if interview.from_package:
        raise NoTranscriptError(interview.interview_id)
    units = sentences(interview.text)
    if not 1 <= first <= last <= len(units):
        raise SentenceRangeError(first, last, len(units))
    start, end = units[first - 1].start, units[last - 1].end
    return start, end, interview.text[start:end]


def segment_code(
    *, interview: i.Interview, user: Any, first: int, last: int, codes: list[i.Code], memo: str = ""
) -> i.Segment:
    """Code sentences ``first``–``last`` of a transcript with ``codes`` and a memo.

    The segment belongs to the user's coder; numbers run per interview over all coders.

    Raises
    ------
    SentenceRangeError, CodeNotCodableError, NoTranscriptError
    """
    codes = _codes_checked(codes)
    start, end, text = _span(interview, first, last)
    coder = coder_for(user=user)
    with transaction.atomic():
        i.Interview.objects.select_for_update().filter(pk=interview.pk).first()
        number = (interview.segments.aggregate(n=Max("segment_no"))["n"] or 0) + 1
        segment = i.Segment.objects.create(
            interview=interview, segment_no=number, coder=coder, start=start, end=end,
            text=text, memo=memo.strip(),
        )  # fmt: skip
        for code in codes:
            i.SegmentCode.objects.create(segment=segment, code=code)
    return segment


def segment_update(
    *, segment: i.Segment, first: int, last: int, codes: list[i.Code], memo: str
) -> i.Segment:
    """Change a segment's sentences, codes and memo."""
    codes = _codes_checked(codes)
    start, end, text = _span(segment.interview, first, last)
    with transaction.atomic():
        if (segment.start, segment.end, segment.memo) != (start, end, memo.strip()):
            segment.start, segment.end, segment.text, segment.memo = start, end, text, memo.strip()
            segment.save()
        wanted = {c.pk: c for c in codes}
        for coding in segment.codings.all():
            if coding.code_id not in wanted:
                coding.delete()
            else:
                wanted.pop(coding.code_id)
        for code in wanted.values():
            i.SegmentCode.objects.create(segment=segment, code=code)
    return segment


def segment_delete(*, segment: i.Segment) -> None:
    """Delete a segment and its codes (audited row by row)."""
    with transaction.atomic():
        for coding in segment.codings.all():
            coding.delete()
        segment.delete()
