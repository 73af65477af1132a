"""Agreement between two coders of the same transcript: Cohen's kappa per code and overall.

Coding a passage is not rating a fixed list of units, so the units must be chosen. Two
choices are reported side by side (``unit`` column), both per code as presence or absence
of the code on each unit:

- ``character``: every character of the *coded text* of the interview, i.e. inside a
  passage either coder coded with any code. Boundary differences count in proportion to
  their length. Text that neither coder coded is left out: counting it (as some QDA
  software does) inflates agreement on "absent" in a mostly uncoded transcript.
- ``passage``: the passages of both coders, merged where they overlap into one stretch of
  text; a coder gave a code to the stretch when any of their passages with that code lies
  in it. Small boundary differences do not count.

The overall kappa pools the 2 × 2 tables of all codes (each unit × code is one decision).
Units of one transcript are not independent, so no standard error or interval is given;
report kappa with the numbers of interviews and units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentorwijs.evaluation.errors import InvalidAgreementTableError, NoDoubleCodingError
from mentorwijs.evaluation.qualitative import tidy_segments

UNITS = ("character", "passage")
ALL_CODES = "all codes"


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa of one agreement table: observed and chance agreement and kappa."""

    p_observed: float
    p_expected: float
    kappa: float
    n: float


def cohen_kappa(table: np.ndarray | Sequence[Sequence[float]]) -> Kappa:
    r"""Cohen's (1960) kappa from a square table of counts (or proportions).

    Parameters
    ----------
    table
        ``(k, k)``: rows the first coder's category, columns the second's.

    Returns
    -------
    Kappa
        ``p_observed`` :math:`p_o = \sum_i p_{ii}`, ``p_expected``
        :math:`p_e = \sum_i p_{i\cdot} p_{\cdot i}`, ``kappa``
        :math:`(p_o - p_e) / (1 - p_e)` (NaN when :math:`p_e = 1`: both coders used one
        category only, so agreement beyond chance is undefined), ``n`` (the table's total).

    References
    ----------
    Cohen J (1960). A coefficient of agreement for nominal scales. Educ Psychol Meas
    20:37-46.

    Examples
    --------
    >>> round(cohen_kappa([[50, 10], [10, 20]]).kappa, 4)
    0.5
    """
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] < 2:
        raise InvalidAgreementTableError(
            f"an agreement table must be square with at least 2 categories, not {t.shape}"
        )
    if (t < 0).any() or not np.isfinite(t).all():
        raise InvalidAgreementTableError("an agreement table holds counts: none negative")
    n = float(t.sum())
    if n <= 0:
        raise InvalidAgreementTableError("the agreement table holds no units")
    p = t / n
    p_o = float(np.trace(p))
    p_e = float(p.sum(axis=1) @ p.sum(axis=0))
    kappa = (p_o - p_e) / (1 - p_e) if p_e < 1 else np.nan
    return Kappa(p_o, p_e, float(kappa), n)


def _pair(seg: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """The two coders of each double-coded interview: (first, second) by most interviews."""
    per_coder = seg.groupby("coder")["interview_id"].nunique()
    out = {}
    for iid, part in seg.groupby("interview_id", sort=True):
        coders = sorted(part["coder"].unique(), key=lambda c: (-int(per_coder[c]), c))
        if len(coders) >= 2:
            out[str(iid)] = (coders[0], coders[1])
    return out


def _tables(a: pd.DataFrame, b: pd.DataFrame, codes: list[str], unit: str) -> np.ndarray:
    """``(len(codes), 4)`` counts: both, first only, second only, neither."""
    spans = pd.concat([a, b])[["start", "end"]].to_numpy()
    length = int(spans[:, 1].max()) if len(spans) else 0
    out = np.zeros((len(codes), 4))
    if unit == "character":
        coded = np.zeros(length, dtype=bool)
        for s, e in spans:
            coded[s:e] = True
        for k, code in enumerate(codes):
            has = []
            for side in (a, b):
                x = np.zeros(length, dtype=bool)
                for s, e in side.loc[side["code"] == code, ["start", "end"]].to_numpy():
                    x[s:e] = True
                has.append(x[coded])
            out[k] = _count(has[0], has[1])
        return out
    # passage: merge overlapping passages of both coders into stretches
    order = spans[np.lexsort((spans[:, 1], spans[:, 0]))]
    stretches: list[list[int]] = []
    for s, e in order:
        if stretches and s < stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], e)
        else:
            stretches.append([int(s), int(e)])
    bounds = np.array(stretches)
    for k, code in enumerate(codes):
        has = []
        for side in (a, b):
            x = np.zeros(len(bounds), dtype=bool)
            for s, e in side.loc[side["code"] == code, ["start", "end"]].to_numpy():
                x[(bounds[:, 0] < max(e, s + 1)) & (s < bounds[:, 1])] = True
            has.append(x)
        out[k] = _count(has[0], has[1])
    return out


def _count(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.array([np.sum(x & y), np.sum(x & ~y), np.sum(~x & y), np.sum(~x & ~y)], dtype=float)


def coder_agreement(
    segments: pd.DataFrame, *, units: Sequence[str] = UNITS, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """Cohen's kappa between two coders per code and over all codes, for each kind of unit.

    Parameters
    ----------
    segments
        Interview segments with a ``coder`` column; interviews coded by two or more coders
        count (with more than two, the two who coded the most interviews).
    units
        ``"character"`` and/or ``"passage"`` (see the module notes).
    codes
        The codes to compare; default every code either coder used in a double-coded
        interview.

    Returns
    -------
    DataFrame
        One row per ``unit`` and ``code`` (and ``code = "all codes"``, the pooled table):
        ``interviews`` (double-coded interviews), ``n_units``, ``both``, ``first_only``,
        ``second_only``, ``neither`` (units with the code from both coders, the first
        only, …), ``p_observed``, ``p_expected``, ``kappa``.

    Raises
    ------
    NoDoubleCodingError
        When no interview was coded by two coders.
    """
    seg = tidy_segments(segments)
    pairs = _pair(seg)
    if not pairs:
        raise NoDoubleCodingError(
            "no interview was coded by two coders (column coder): double-code a sample of "
            "transcripts to measure agreement"
        )
    bad = [u for u in units if u not in UNITS]
    if bad:
        raise InvalidAgreementTableError(f"unknown unit(s) {bad}: choose from {list(UNITS)}")
    double = seg[seg["interview_id"].isin(list(pairs))]
    code_list = list(codes) if codes is not None else sorted(double["code"].unique())
    rows = []
    for unit in units:
        total = np.zeros((len(code_list), 4))
        for iid, (first, second) in pairs.items():
            part = double[double["interview_id"] == iid]
            total += _tables(
                part[part["coder"] == first], part[part["coder"] == second], code_list, unit
            )
        for code, counts in [*zip(code_list, total, strict=True), (ALL_CODES, total.sum(axis=0))]:
            both, first_only, second_only, neither = counts
            n = counts.sum()
            k = (
                cohen_kappa([[both, first_only], [second_only, neither]])
                if n > 0
                else Kappa(np.nan, np.nan, np.nan, 0.0)
            )
            rows.append(
                {
                    "unit": unit,
                    "code": code,
                    "interviews": len(pairs),
                    "n_units": n,
                    "both": both,
                    "first_only": first_only,
                    "second_only": second_only,
                    "neither": neither,
                    "p_observed": k.p_observed,
                    "p_expected": k.p_expected,
                    "kappa": k.kappa,
                }
            )
    return pd.DataFrame(rows)
