"""Selectors that read interviews: lists, the coding page, retrieval, CSV and tables."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count, Prefetch, QuerySet

from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.package import COLUMNS, interview_segments_rows
from mentorwijs.web.interviews.transcripts import Sentence, sentences

CSV_COLUMNS = (
    "interview_id",
    "segment_no",
    "respondent_id",
    "role",
    "wave",
    "region_id",
    "coder",
    "code",
    "code_name",
    "first_sentence",
    "last_sentence",
    "start",
    "end",
    "text",
    "memo",
)


def interviews_list() -> QuerySet[i.Interview]:
    """Every interview with its number of segments and coders, newest first.

    The transcripts are not read (each is decrypted only where it is shown or cut)."""
    return (
        i.Interview.objects.select_related("region")
        .defer("text")
        .annotate(
            n_segments=Count("segments", distinct=True),
            n_coders=Count("segments__coder", distinct=True),
        )
    )


@dataclass
class CodeNode:
    """A code in the codebook's tree, with its depth and how often it was applied."""

    code: i.Code
    depth: int
    applied: int = 0
    children: list[CodeNode] = field(default_factory=list)


def codebook_tree() -> list[CodeNode]:
    """The codebook in pre-order (parents first), each code with its depth and use."""
    codes = list(i.Code.objects.annotate(applied=Count("codings")).order_by("position", "pk"))
    by_parent: dict[int | None, list[i.Code]] = defaultdict(list)
    for c in codes:
        by_parent[c.parent_id].append(c)
    out: list[CodeNode] = []

    def visit(parent: int | None, depth: int) -> list[CodeNode]:
        nodes = []
        for c in by_parent.get(parent, []):
            node = CodeNode(code=c, depth=depth, applied=c.applied)  # type: ignore[attr-defined]
            out.append(node)
            node.children = visit(c.pk, depth + 1)
            nodes.append(node)
        return nodes

    visit(None, 0)
    return out


def code_groups() -> list[tuple[i.Code | None, list[CodeNode]]]:
    """The codable codes grouped under their top-level code, for the code chooser."""
    groups: list[tuple[i.Code | None, list[CodeNode]]] = []
    loose: list[CodeNode] = []
    for node in codebook_tree():
        if node.depth == 0:
            if node.children:
                inside = _descendants(node)
                groups.append((node.code, [n for n in inside if n.code.codable]))
            elif node.code.codable:
                loose.append(node)
    if loose:
        groups.append((None, loose))
    return groups


def _descendants(node: CodeNode) -> list[CodeNode]:
    out = []
    for child in node.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


def sentence_range(units: list[Sentence], start: int, end: int) -> tuple[int, int]:
    """First and last sentence number that the characters ``start``–``end`` touch."""
    touched = [s.no for s in units if s.start < end and start < s.end]
    if not touched:
        return 0, 0
    return touched[0], touched[-1]


@dataclass
class Line:
    """A sentence of the coding page and the user's segments over it."""

    sentence: Sentence
    new_paragraph: bool
    segments: list[int]


def _segments(qs: QuerySet[i.Segment]) -> QuerySet[i.Segment]:
    """Segments with coder, interview (without its transcript: not decrypted per row) and codes."""
    return (
        qs.select_related("coder", "interview")
        .defer("interview__text")
        .prefetch_related(
            Prefetch("codings", queryset=i.SegmentCode.objects.select_related("code"))
        )
    )


def coding_page(*, interview: i.Interview, coder: i.Coder | None) -> dict[str, Any]:
    """The numbered sentences of a transcript and the coder's own segments over them."""
    units = sentences(interview.text)
    own = list(
        _segments(interview.segments.filter(coder=coder)).order_by("start", "segment_no")
        if coder is not None
        else []
    )
    spans = []
    for seg in own:
        seg.first, seg.last = sentence_range(units, seg.start, seg.end)  # type: ignore[attr-defined]
        spans.append(seg)
    lines = []
    previous = 0
    for s in units:
        covering = [seg.segment_no for seg in spans if seg.start < s.end and s.start < seg.end]
        lines.append(Line(sentence=s, new_paragraph=s.paragraph != previous, segments=covering))
        previous = s.paragraph
    others = (
        interview.segments.exclude(coder=coder).values("coder__label").distinct().count()
        if coder is not None
        else interview.segments.values("coder").distinct().count()
    )
    return {"lines": lines, "segments": own, "sentence_count": len(units), "other_coders": others}


def coder_segments(*, interview: i.Interview, label: str, units: list[Sentence]) -> list[i.Segment]:
    """One coder's segments of an interview, each with its first and last sentence."""
    out = list(
        _segments(interview.segments.filter(coder__label=label)).order_by("start", "segment_no")
    )
    for seg in out:
        seg.first, seg.last = sentence_range(units, seg.start, seg.end)  # type: ignore[attr-defined]
    return out


@dataclass(frozen=True)
class Filters:
    """What the retrieval page filters on; empty values do not filter."""

    code: str = ""
    role: str = ""
    region_id: str = ""
    wave: str = ""
    #: (interview_id, segment_no) to keep, when filtering on the effect subgroup.
    only: frozenset[tuple[str, int]] | None = None


def _code_and_below(key: str) -> set[int]:
    codes = list(i.Code.objects.values_list("pk", "key", "parent_id"))
    root = next((pk for pk, k, _ in codes if k == key), None)
    if root is None:
        return set()
    wanted, grew = {root}, True
    while grew:
        more = {pk for pk, _, parent in codes if parent in wanted} - wanted
        wanted |= more
        grew = bool(more)
    return wanted


def segments_find(*, filters: Filters) -> list[i.Segment]:
    """Segments matching the filters; a group code finds the passages of the codes under it."""
    qs = i.Segment.objects.all()
    if filters.code:
        qs = qs.filter(codings__code_id__in=_code_and_below(filters.code))
    if filters.role:
        qs = qs.filter(interview__role=filters.role)
    if filters.region_id:
        qs = qs.filter(interview__region_id=filters.region_id)
    if filters.wave:
        qs = qs.filter(interview__wave=filters.wave)
    found = list(_segments(qs.distinct()).order_by("interview_id", "start", "segment_no"))
    if filters.only is not None:
        found = [s for s in found if (s.interview_id, s.segment_no) in filters.only]
    return found


def segments_csv(*, filters: Filters, lang: str) -> str:
    """The matching coded segments as CSV: one row per segment and code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    units: dict[str, list[Sentence]] = {}
    for seg in segments_find(filters=filters):
        interview = seg.interview
        if interview.interview_id not in units:  # each transcript decrypted once
            text = i.Interview.objects.values_list("text", flat=True).get(pk=interview.pk)
            units[interview.interview_id] = sentences(text) if text else []
        first, last = sentence_range(units[interview.interview_id], seg.start, seg.end)
        for coding in sorted(seg.codings.all(), key=lambda c: c.code.key):
            writer.writerow(
                [
                    interview.interview_id, seg.segment_no, interview.respondent_id,
                    interview.role, interview.wave, interview.region_id or "", seg.coder.label,
                    coding.code.key, coding.code.name(lang), first or "", last or "",
                    seg.start, seg.end, seg.text, seg.memo,
                ]
            )  # fmt: skip
    return buffer.getvalue()


def interview_segments_frame(*, filters: Filters | None = None) -> pd.DataFrame:
    """The package's ``interview_segments`` table from the database (for the analyses)."""
    from mentorwijs.studydata import coerce_table

    frame = pd.DataFrame(interview_segments_rows(), columns=list(COLUMNS))
    if filters is not None:
        if filters.role:
            frame = frame[frame["role"] == filters.role]
        if filters.region_id:
            frame = frame[frame["region_id"] == filters.region_id]
        if filters.wave:
            frame = frame[frame["wave"] == filters.wave]
        if filters.only is not None:
            keys = zip(frame["interview_id"], frame["segment_no"], strict=True)
            frame = frame[[(a, int(b)) in filters.only for a, b in keys]]
    return coerce_table("interview_segments", frame.reset_index(drop=True))
