"""The interview analyses of :mod:`mentorwijs.evaluation` on the site's coded segments.

The statistics live in the evaluation layer (``qualitative``: frequencies, co-occurrence,
retrieval; ``qualitative_agreement``: Cohen's kappa); this module only feeds them the
database's ``interview_segments`` table and shapes what the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.selectors import Filters, interview_segments_frame

UNITS = ("character", "passage")


@dataclass(frozen=True)
class Comparison:
    """Two coders of one interview and Cohen's kappa per unit and code."""

    first: str
    second: str
    rows: list[dict[str, Any]]


def interview_coders(*, interview: i.Interview) -> list[str]:
    """Pseudonyms of the coders of an interview, in the order the analysis pairs them."""
    labels = interview.segments.values_list("coder__label", flat=True).distinct()
    return sorted(set(labels))


def interview_comparison(
    *, interview: i.Interview, first: str, second: str, names: dict[str, str]
) -> Comparison:
    """Cohen's kappa between two coders of the interview, per code and over all codes.

    Uses :func:`mentorwijs.evaluation.qualitative_agreement.coder_agreement` on the
    interview's segments of the two coders, with its two kinds of unit (characters of the
    coded text, and passages merged where they overlap). ``names`` maps code keys to the
    names shown.
    """
    from mentorwijs.evaluation.qualitative_agreement import ALL_CODES, coder_agreement

    frame = interview_segments_frame()
    frame = frame[
        (frame["interview_id"] == interview.interview_id) & frame["coder"].isin([first, second])
    ]
    table = coder_agreement(frame.reset_index(drop=True), units=UNITS)
    rows = []
    for r in table.to_dict("records"):
        rows.append(
            {
                **r,
                "name": names.get(str(r["code"]), str(r["code"])),
                "pooled": r["code"] == ALL_CODES,
                "kappa": None if pd.isna(r["kappa"]) else float(r["kappa"]),
            }
        )
    return Comparison(first=first, second=second, rows=rows)


def code_tables(*, filters: Filters, names: dict[str, str]) -> dict[str, Any]:
    """Code frequencies (overall and by role) and co-occurrence of the filtered segments.

    One coding per interview (the main coder's, :func:`mentorwijs.evaluation.qualitative.
    main_coding`), so a double-coded transcript does not count twice.
    """
    from mentorwijs.evaluation.qualitative import code_cooccurrence, code_frequencies, main_coding

    frame = interview_segments_frame(filters=filters)
    if frame.empty:
        return {"frequencies": [], "pairs": []}
    segments = main_coding(frame)
    freq = code_frequencies(segments, min_interviews=1)
    overall = freq[freq["level"] == "overall"].sort_values(
        ["segments", "code"], ascending=[False, True], kind="stable"
    )
    frequencies = [
        {**r, "name": names.get(str(r["code"]), str(r["code"]))}
        for r in overall.to_dict("records")
        if r["segments"] > 0
    ]
    pairs = [
        {
            **r,
            "name_a": names.get(str(r["code_a"]), str(r["code_a"])),
            "name_b": names.get(str(r["code_b"]), str(r["code_b"])),
        }
        for r in code_cooccurrence(segments).head(20).to_dict("records")
    ]
    return {"frequencies": frequencies, "pairs": pairs}


@dataclass(frozen=True)
class EffectSubgroups:
    """The newest finished evaluation run's people in subgroups with a larger/smaller effect.

    ``larger`` and ``smaller`` hold (interview_id, segment_no) of the passages of persons in
    a subgroup with the larger (smaller) employment effect, from the run's result table
    ``interview_passages`` (columns ``larger_effect_in``, ``smaller_effect_in``: see
    :func:`mentorwijs.evaluation.qualitative.passages`); ``labels`` says which subgroups.
    """

    run_id: int
    larger: frozenset[tuple[str, int]]
    smaller: frozenset[tuple[str, int]]
    labels: dict[tuple[str, int], tuple[str, str]]


def effect_subgroups_latest() -> EffectSubgroups | None:
    """From the newest finished run whose result has interview passages; None without one."""
    from mentorwijs.web.runs.models import EvaluationRun
    from mentorwijs.web.runs.selectors import evaluation_run_result

    runs = EvaluationRun.objects.filter(status=EvaluationRun.DONE).order_by("-created_at", "-pk")
    for run in runs[:5]:
        try:
            result = evaluation_run_result(run=run)
        except (OSError, ValueError, KeyError):
            continue
        table = result.tables.get("interview_passages") if result is not None else None
        if table is None or not {"larger_effect_in", "smaller_effect_in"} <= set(table.columns):
            continue
        keys = list(
            zip(table["interview_id"].astype(str), table["segment_no"].astype(int), strict=True)
        )
        larger = table["larger_effect_in"].fillna("").astype(str).tolist()
        smaller = table["smaller_effect_in"].fillna("").astype(str).tolist()
        return EffectSubgroups(
            run_id=run.pk,
            larger=frozenset(k for k, v in zip(keys, larger, strict=True) if v),
            smaller=frozenset(k for k, v in zip(keys, smaller, strict=True) if v),
            labels={k: (a, b) for k, a, b in zip(keys, larger, smaller, strict=True) if a or b},
        )
    return None
