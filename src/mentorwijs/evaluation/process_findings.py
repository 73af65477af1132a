"""Practice-ready findings: a ranked list of facilitators and barriers.

The list covers the determinants of the codebook (:mod:`mentorwijs.protocol.codebook`: the
MIDI determinants, the codable codes under its four groups) and combines two sources:

- the *questionnaire*: the share of supervisors who score a workplace determinant as a
  barrier (at most ``barrier_max`` on 1–5) or as a facilitator (at least
  ``min + max - barrier_max``), for the determinants linked to an ``sv_determinants`` item;
- the *interviews*: the share of interviews (one coding per interview) with a segment that
  carries the determinant's code *and* the shipped direction code ``barrier``
  (*Belemmerend*) for a barrier, ``facilitator`` (*Bevorderend*) for a facilitator (group
  ``valence`` of the codebook). The MIDI codes say what a passage is about, not which way
  it points; coders give a direction code beside them. Without any direction codes the
  interviews count only as mentions (``share_mentioned``), not as evidence of a direction.

Rule: a determinant's ``score`` as a barrier is the mean of the two shares it has (one
share when only one source speaks to it); determinants are ranked on that score, highest
first (rank 1 = the strongest barrier), ties by the questionnaire mean (lower first for
barriers, higher first for facilitators), then by code. Facilitators are ranked the same
way on their own shares. Both shares are "the part of the people asked who name it so", so
they share a scale; the ``evidence`` column says which sources back each row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import MIN_COUNT
from mentorwijs.evaluation.errors import NoProcessDataError
from mentorwijs.evaluation.process_answers import DETERMINANTS, barrier_cutoffs
from mentorwijs.evaluation.qualitative import VALENCE_CODES, VALENCE_GROUP, tidy_segments
from mentorwijs.protocol import Protocol, load_protocol
from mentorwijs.protocol.codebook import Codebook, load_codebook

KINDS = ("barrier", "facilitator")
COLUMNS = [
    "kind",
    "rank",
    "determinant",
    "group",
    "label_nl",
    "label_en",
    "item",
    "direction_code",
    "n_answers",
    "mean",
    "n_kind",
    "share_answers",
    "interviews",
    "interviews_kind",
    "share_interviews",
    "interviews_mentioned",
    "share_mentioned",
    "passages",
    "score",
    "evidence",
    "suppressed",
]


def determinants(codebook: Codebook) -> list[str]:
    """The determinant codes: codable codes directly under a top-level group other than
    the direction group ``valence``."""
    return [
        c.key
        for c in codebook.codes
        if c.codable
        and c.parent is not None
        and c.parent != VALENCE_GROUP
        and codebook[c.parent].parent is None
    ]


def segment_directions(segments: pd.DataFrame) -> pd.DataFrame:
    """The direction of each segment from the direction codes coded on it.

    Returns
    -------
    DataFrame
        ``interview_id``, ``segment_no``, ``barrier`` and ``facilitator`` (bool: the
        segment carries that direction code; both may hold).
    """
    seg = tidy_segments(segments)
    keys = seg[["interview_id", "segment_no"]].drop_duplicates().reset_index(drop=True)
    for kind in KINDS:
        marked = seg.loc[seg["code"] == VALENCE_CODES[kind], ["interview_id", "segment_no"]]
        hit = set(map(tuple, marked.to_numpy()))
        keys[kind] = [(i, n) in hit for i, n in keys[["interview_id", "segment_no"]].to_numpy()]
    return keys


def practice_factors(
    responses: pd.DataFrame,
    segments: pd.DataFrame | None,
    *,
    barrier_max: int = 2,
    codebook: Codebook | None = None,
    protocol: Protocol | None = None,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Rank the determinants as facilitators and as barriers (see the module notes).

    Parameters
    ----------
    responses
        The ``responses`` table; the supervisors' answers to ``sv_determinants`` at its
        first wave count.
    segments
        One coding per interview (:func:`~mentorwijs.evaluation.qualitative.main_coding`),
        or ``None`` / empty for the questionnaire alone.
    barrier_max
        Cut-off of a barrier answer (see
        :func:`~mentorwijs.evaluation.process_answers.barrier_cutoffs`).
    codebook, protocol
        Default: the shipped ones.
    min_count
        A questionnaire count of 1–9 supervisors (scoring it so, or answering at all) is
        blanked, with the score that holds it; the ranking still uses it, so the order
        stays right.

    Returns
    -------
    DataFrame
        One row per ``kind`` (``barrier``, ``facilitator``) and ``determinant`` with
        evidence of that kind, in rank order: ``rank``, ``determinant`` (code key),
        ``group`` (its MIDI group), ``label_nl``, ``label_en``, ``item`` (questionnaire
        item or empty), ``direction_code`` (the code to fetch its passages with, together
        with the determinant), ``n_answers``, ``mean``, ``n_kind`` and ``share_answers``
        (supervisors scoring it as this kind), ``interviews``, ``interviews_kind`` and
        ``share_interviews`` (interviews coding it with this direction),
        ``interviews_mentioned`` and ``share_mentioned`` (interviews coding it at all),
        ``passages`` (segments coded with it and this direction), ``score``, ``evidence``
        (``questionnaire and interviews``, ``questionnaire`` or ``interviews``),
        ``suppressed``.
    """
    codebook = codebook or load_codebook()
    protocol = protocol or load_protocol()
    items = {it.code for it in protocol.instruments[DETERMINANTS].items}
    first_wave = protocol.instruments[DETERMINANTS].waves[0]
    r = responses[
        (responses["instrument"] == DETERMINANTS)
        & (responses["role"] == "supervisor")
        & (responses["wave"] == first_wave)
        & responses["value"].notna()
    ]
    answers = pd.DataFrame(
        {"item": r["item"].astype(str).to_numpy(), "value": r["value"].astype(float).to_numpy()}
    )
    seg = tidy_segments(segments) if segments is not None and len(segments) else None
    n_interviews = seg["interview_id"].nunique() if seg is not None else 0
    if answers.empty and not n_interviews:
        raise NoProcessDataError(
            "neither workplace-determinant answers nor coded interviews: no facilitators or "
            "barriers to rank"
        )
    directed = None
    if seg is not None:
        directed = seg.merge(segment_directions(seg), on=["interview_id", "segment_no"])
        if not directed[list(KINDS)].to_numpy().any():
            warnings.warn(
                "no interview segment carries a direction code (barrier / facilitator): "
                "the interviews count as mentions only, not as barriers or facilitators",
                UserWarning,
                stacklevel=2,
            )
            directed = None
    rows = []
    for det in determinants(codebook):
        code = codebook[det]
        item = code.item if code.item in items else None
        a = answers.loc[answers["item"] == item, "value"] if item else pd.Series(dtype=float)
        mentioned = seg.loc[seg["code"] == det, "interview_id"].nunique() if seg is not None else 0
        for kind in KINDS:
            row: dict[str, object] = {
                "kind": kind,
                "determinant": det,
                "group": code.parent,
                "label_nl": code.name_nl,
                "label_en": code.name_en or code.name_nl,
                "item": item,
                "direction_code": VALENCE_CODES[kind],
                "n_answers": float(len(a)),
                "mean": float(a.mean()) if len(a) else np.nan,
                "n_kind": np.nan,
                "share_answers": np.nan,
                "interviews": float(n_interviews) if n_interviews else np.nan,
                "interviews_kind": np.nan,
                "share_interviews": np.nan,
                "interviews_mentioned": float(mentioned) if n_interviews else np.nan,
                "share_mentioned": mentioned / n_interviews if n_interviews else np.nan,
                "passages": np.nan,
            }
            if len(a):
                low, high = barrier_cutoffs(protocol, str(item), barrier_max)
                hit = int((a <= low).sum() if kind == "barrier" else (a >= high).sum())
                row.update(n_kind=float(hit), share_answers=hit / len(a))
            if directed is not None:
                coded = directed[(directed["code"] == det) & directed[kind]]
                k = coded["interview_id"].nunique()
                row.update(
                    interviews_kind=float(k),
                    share_interviews=k / n_interviews,
                    passages=float(len(coded)),
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    table = table[
        table["share_answers"].notna() | (table["share_interviews"].fillna(0) > 0)
    ].reset_index(drop=True)
    has_q = table["share_answers"].notna().to_numpy()
    has_i = (table["share_interviews"].fillna(0) > 0).to_numpy()
    shares = np.column_stack([table["share_answers"], table["share_interviews"].where(has_i)])
    table["score"] = np.nanmean(shares, axis=1)
    table["evidence"] = np.select(
        [has_q & has_i, has_q], ["questionnaire and interviews", "questionnaire"], "interviews"
    )
    parts = []
    for kind in KINDS:
        part = table[table["kind"] == kind].copy()
        tie = part["mean"] if kind == "barrier" else -part["mean"]
        part = part.assign(_tie=tie.fillna(np.inf)).sort_values(
            ["score", "_tie", "determinant"], ascending=[False, True, True], kind="stable"
        )
        part["rank"] = np.arange(1, len(part) + 1)
        parts.append(part.drop(columns="_tie"))
    table = pd.concat(parts, ignore_index=True)
    small_n = (table["n_answers"] > 0) & (table["n_answers"] < min_count)
    table.loc[small_n, ["n_answers", "mean", "n_kind", "share_answers"]] = np.nan
    small_k = (table["n_kind"] > 0) & (table["n_kind"] < min_count)
    table.loc[small_k, ["n_kind", "share_answers"]] = np.nan
    # The score holds the questionnaire share, so it is blanked with it.
    table.loc[small_n | small_k, "score"] = np.nan
    table["suppressed"] = (small_n | small_k).to_numpy()
    return table[COLUMNS]
