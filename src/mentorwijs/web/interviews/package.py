"""The ``interview_segments`` table of the study data package: export and load.

Export: one row per coded segment and code, with pseudonyms only (the person's, the coder's
``coder-N``), leaving out the people whose current decision about the interview is no.
Load: the rows become interviews marked ``from_package`` (their passages, no transcript),
segments and applied codes; a code key the codebook lacks becomes an inductive code named
after its key, a coder pseudonym a coder without a user. When a database is replaced by a
package (``mentorwijs load --replace``), transcripts of interviews that come back with the
same passages are kept (:func:`transcripts_keep` before the delete, :func:`interview_segments_load`
after it), so a round trip through a package never loses a transcript.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max

from mentorwijs.protocol.codebook import new_guid
from mentorwijs.web.interviews import models as i

COLUMNS = (
    "interview_id",
    "segment_no",
    "respondent_id",
    "role",
    "wave",
    "region_id",
    "coder",
    "code",
    "start",
    "end",
    "text",
)


def interview_segments_rows() -> list[tuple[Any, ...]]:
    """Rows of the package table in the schema's column order (see ``COLUMNS``)."""
    from mentorwijs.web.survey.consent import withdrawn_respondents

    gone = withdrawn_respondents("interview")
    qs = (
        i.SegmentCode.objects.select_related("segment__interview", "segment__coder", "code")
        .order_by("segment__interview_id", "segment__segment_no", "code__key")
        .values_list(
            "segment__interview_id",
            "segment__segment_no",
            "segment__interview__respondent_id",
            "segment__interview__role",
            "segment__interview__wave",
            "segment__interview__region_id",
            "segment__coder__label",
            "code__key",
            "segment__start",
            "segment__end",
            "segment__text",
        )
    )
    return [
        (*row[:4], row[4] or None, *row[5:])
        for row in qs.iterator(chunk_size=2000)
        if (row[3], row[2]) not in gone
    ]


@dataclass(frozen=True)
class KeptTranscript:
    """What a replaced database knew of an interview beyond its passages."""

    text: str
    filename: str
    held_on: date | None
    uploaded_by_id: int | None
    uploaded_at: datetime
    passages: frozenset[tuple[int, int, str]]


def transcripts_keep() -> dict[str, KeptTranscript]:
    """The transcripts in the database, to give back to interviews loaded again."""
    passages: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
    for iid, start, end, text in i.Segment.objects.values_list(
        "interview_id", "start", "end", "text"
    ):
        passages[iid].add((start, end, text))
    return {
        row.interview_id: KeptTranscript(
            row.text,
            row.filename,
            row.held_on,
            row.uploaded_by_id,
            row.uploaded_at,
            frozenset(passages[row.interview_id]),
        )
        for row in i.Interview.objects.filter(from_package=False)
    }


def _codes_for(keys: set[str]) -> dict[str, i.Code]:
    codes = {c.key: c for c in i.Code.objects.filter(key__in=keys)}
    position = i.Code.objects.aggregate(p=Max("position"))["p"] or 0
    for key in sorted(keys - set(codes)):
        position += 1
        codes[key] = i.Code.objects.create(
            key=key, guid=new_guid(), name_nl=key, origin="inductive", position=position
        )
    return codes


def _coders_for(labels: set[str]) -> dict[str, i.Coder]:
    coders = {c.label: c for c in i.Coder.objects.filter(label__in=labels)}
    for label in sorted(labels - set(coders)):
        coders[label] = i.Coder.objects.create(label=label)
    return coders


def interview_segments_load(
    rows: list[dict[str, Any]], *, kept: dict[str, KeptTranscript] | None = None
) -> int:
    """Create interviews, segments and applied codes from the package's rows.

    Parameters
    ----------
    rows
        Records of the table (plain Python values, None for missing).
    kept
        Transcripts from :func:`transcripts_keep`: an interview whose passages in the
        package are exactly those it had gets its transcript back.

    Returns
    -------
    int
        Number of rows loaded (segment × code).
    """
    if not rows:
        return 0
    kept = kept or {}
    codes = _codes_for({r["code"] for r in rows})
    coders = _coders_for({r["coder"] or "coder-1" for r in rows})
    by_interview: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_interview[r["interview_id"]].append(r)
    segments: list[i.Segment] = []
    applied: list[tuple[str, int, str]] = []
    for iid, group in by_interview.items():
        first = group[0]
        passages = frozenset((r["start"], r["end"], r["text"]) for r in group)
        old = kept.get(iid)
        restored = old is not None and old.passages == passages
        i.Interview.objects.create(
            interview_id=iid, respondent_id=first["respondent_id"], role=first["role"],
            wave=first["wave"] or "", region_id=first["region_id"],
            from_package=not restored,
            **({"text": old.text, "filename": old.filename, "held_on": old.held_on,
                "uploaded_by_id": old.uploaded_by_id, "uploaded_at": old.uploaded_at}
               if restored and old is not None else {}),
        )  # fmt: skip
        seen: set[int] = set()
        for r in group:
            if r["segment_no"] not in seen:
                seen.add(r["segment_no"])
                segments.append(
                    i.Segment(
                        interview_id=iid,
                        segment_no=r["segment_no"],
                        coder=coders[r["coder"] or "coder-1"],
                        start=r["start"],
                        end=r["end"],
                        text=r["text"],
                    )
                )
            applied.append((iid, r["segment_no"], r["code"]))
    i.Segment.objects.bulk_create(segments, batch_size=2000)
    ids = {
        (iid, no): pk
        for pk, iid, no in i.Segment.objects.filter(interview_id__in=by_interview).values_list(
            "pk", "interview_id", "segment_no"
        )
    }
    i.SegmentCode.objects.bulk_create(
        (i.SegmentCode(segment_id=ids[(iid, no)], code=codes[key]) for iid, no, key in applied),
        batch_size=2000,
    )
    return len(applied)
