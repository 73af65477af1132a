"""Practice-ready findings: a ranked list of facilitators and barriers.

The list combines two sources on the determinants of the codebook
(:mod:`mentorwijs.protocol.codebook`, MIDI kind):

- the *questionnaire*: the share of supervisors who score a workplace determinant as a
  barrier (at most ``barrier_max`` on 1–5) or as a facilitator (at least
  ``min + max - barrier_max``), for the determinants linked to an ``sv_determinants`` item;
- the *interviews*: the share of interviews (one coding per interview) in which the
  determinant is coded as a barrier or as a facilitator.

Rule: a determinant's ``score`` as a barrier is the mean of the two shares it has (one
share when only one source speaks of it); determinants are ranked on that score, highest
first (rank 1 = the strongest barrier), ties by the questionnaire mean (lower first for
barriers, higher first for facilitators), then by code. Facilitators are ranked the same
way on their own shares. Both shares are "the part of the people asked who name it", so
they share a scale; the ``evidence`` column says which sources back each row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import MIN_COUNT
from mentorwijs.evaluation.errors import NoProcessDataError
from mentorwijs.evaluation.process_answers import DETERMINANTS, barrier_cutoffs
from mentorwijs.evaluation.qualitative import tidy_segments
from mentorwijs.protocol import Protocol, load_protocol
from mentorwijs.protocol.codebook import VALENCES, Codebook, load_codebook

COLUMNS = [
    "kind",
    "rank",
    "determinant",
    "category",
    "label_nl",
    "label_en",
    "item",
    "codes",
    "n_answers",
    "mean",
    "n_kind",
    "share_answers",
    "interviews",
    "interviews_kind",
    "share_interviews",
    "passages",
    "score",
    "evidence",
    "suppressed",
]


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
        or ``None`` / empty for the questionnaire alone. Codes outside the codebook
        (inductive codes) do not count here.
    barrier_max
        Cut-off of a barrier answer (see
        :func:`~mentorwijs.evaluation.process_answers.barrier_cutoffs`).
    codebook, protocol
        Default: the shipped ones.
    min_count
        A questionnaire count of 1–9 supervisors (scoring it so, or answering at all) is
        blanked; the ranking still uses it, so the order stays right.

    Returns
    -------
    DataFrame
        One row per ``kind`` (``barrier``, ``facilitator``) and ``determinant`` with any
        evidence, in rank order: ``rank``, ``determinant``, ``category`` (MIDI cluster),
        ``label_nl``, ``label_en``, ``item`` (questionnaire item or empty), ``codes`` (the
        interview code of this kind, to retrieve its passages), ``n_answers``, ``mean``,
        ``n_kind`` and ``share_answers`` (supervisors scoring it as this kind),
        ``interviews``, ``interviews_kind`` and ``share_interviews`` (interviews coding it
        as this kind), ``passages`` (passages so coded), ``score``, ``evidence``
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
    rows = []
    for det, (category, spec) in codebook.determinants().items():
        item = spec.item if spec.item in items else None
        a = answers.loc[answers["item"] == item, "value"] if item else pd.Series(dtype=float)
        for kind in VALENCES:
            code = f"{category}.{det}.{kind}"
            row: dict[str, object] = {
                "kind": kind,
                "determinant": det,
                "category": category,
                "label_nl": spec.label.nl,
                "label_en": spec.label.en,
                "item": item,
                "codes": code,
                "n_answers": float(len(a)),
                "mean": float(a.mean()) if len(a) else np.nan,
            }
            if len(a):
                low, high = barrier_cutoffs(protocol, str(item), barrier_max)
                hit = int((a <= low).sum() if kind == "barrier" else (a >= high).sum())
                row.update(n_kind=float(hit), share_answers=hit / len(a))
            else:
                row.update(n_kind=np.nan, share_answers=np.nan)
            if n_interviews and seg is not None:
                coded = seg[seg["code"] == code]
                k = coded["interview_id"].nunique()
                row.update(
                    interviews=float(n_interviews),
                    interviews_kind=float(k),
                    share_interviews=k / n_interviews,
                    passages=float(len(coded)),
                )
            else:
                row.update(
                    interviews=np.nan,
                    interviews_kind=np.nan,
                    share_interviews=np.nan,
                    passages=np.nan,
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
    for kind in ("barrier", "facilitator"):
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
