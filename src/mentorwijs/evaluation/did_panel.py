"""Stack matched sets into an event-time panel: one small experiment per treated person.

Each matched set (a treated person and its controls, from the matching step) is observed at
event months ``e = month - start`` of the set's own start. Stacking the sets side by side gives
the "stacked" design (Cengiz, Dube, Lindner & Zipperer 2019; Wing, Freedman & Hollingsworth
2024): every comparison is between a treated person and controls at the same calendar time, so
staggered starts never turn earlier-treated persons into controls.

Everything is an array: person ids become integer codes once, the outcome panel becomes a dense
``persons x months`` matrix of the persons in the sets only, and the stacked outcome is one
fancy-indexing step into it. For 5,000 sets of 1 + 10 persons over 37 event months that is a
``55,000 x 37`` float matrix (16 MB).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentorwijs.evaluation.errors import (
    EmptyWindowError,
    EvaluationError,
    InvalidMatchedSetsError,
    InvalidOutcomesError,
    InvalidWindowError,
)

SET_COLUMNS = ("set_id", "person_id", "treated", "weight", "start_month")


@dataclass(frozen=True, eq=False)
class StackedPanel:
    """Outcomes of every matched set's persons at the set's event months.

    Rows are (set, person) pairs sorted by set; a person matched into several sets has one row
    per set. Shapes: ``R`` rows, ``S`` sets, ``T`` event months, ``P`` distinct persons.

    Attributes
    ----------
    outcome
        Name of the outcome column.
    events
        ``(T,)`` int, the event months (month minus the set's start month).
    y
        ``(R, T)`` float64 outcome; NaN where the panel has no value.
    set_index
        ``(R,)`` int, the set of each row (``0..S-1``), non-decreasing.
    set_ids
        ``(S,)`` the ``set_id`` labels.
    start
        ``(S,)`` int, each set's start month index (``year * 12 + month - 1``).
    person_index
        ``(R,)`` int, the person of each row (``0..P-1``).
    person_ids
        ``(P,)`` the ``person_id`` labels.
    treated, weight
        ``(R,)`` bool and float64, from the matched sets.
    """

    outcome: str
    events: np.ndarray
    y: np.ndarray = field(repr=False)
    set_index: np.ndarray = field(repr=False)
    set_ids: np.ndarray = field(repr=False)
    start: np.ndarray = field(repr=False)
    person_index: np.ndarray = field(repr=False)
    person_ids: np.ndarray = field(repr=False)
    treated: np.ndarray = field(repr=False)
    weight: np.ndarray = field(repr=False)

    @property
    def n_sets(self) -> int:
        return len(self.set_ids)

    def subset(self, rows: np.ndarray) -> StackedPanel:
        """The panel restricted to a boolean mask of rows; empty sets and persons are dropped."""
        sets, set_index = np.unique(self.set_index[rows], return_inverse=True)
        persons, person_index = np.unique(self.person_index[rows], return_inverse=True)
        return StackedPanel(
            outcome=self.outcome,
            events=self.events,
            y=self.y[rows],
            set_index=set_index.astype(np.int64),
            set_ids=self.set_ids[sets],
            start=self.start[sets],
            person_index=person_index.astype(np.int64),
            person_ids=self.person_ids[persons],
            treated=self.treated[rows],
            weight=self.weight[rows],
        )

    def columns(self, first: int, last: int, *, shift: int = 0) -> StackedPanel:
        """Event months ``first..last`` only, relabelled as ``e + shift`` (placebo starts)."""
        keep = (self.events >= first) & (self.events <= last)
        return StackedPanel(
            outcome=self.outcome,
            events=self.events[keep] + shift,
            y=self.y[:, keep],
            set_index=self.set_index,
            set_ids=self.set_ids,
            start=self.start - shift,
            person_index=self.person_index,
            person_ids=self.person_ids,
            treated=self.treated,
            weight=self.weight,
        )

    def complete(self) -> tuple[StackedPanel, dict[str, int]]:
        """Rows with the outcome at every event month, in sets that keep both sides.

        Returns the panel and counts of what was dropped: ``rows_incomplete`` and
        ``sets_dropped`` (sets left without their treated person or without any control).
        """
        full = np.isfinite(self.y).all(axis=1)
        n_sets = np.bincount(self.set_index, minlength=self.n_sets)
        a = np.bincount(self.set_index, weights=full & self.treated, minlength=self.n_sets)
        b = np.bincount(self.set_index, weights=full & ~self.treated, minlength=self.n_sets)
        keep_set = (a > 0) & (b > 0)
        rows = full & keep_set[self.set_index]
        info = {
            "rows_incomplete": int((~full).sum()),
            "sets_dropped": int(((n_sets > 0) & ~keep_set).sum()),
        }
        return (self if rows.all() else self.subset(rows)), info

    def to_long(self) -> pd.DataFrame:
        """One row per set, person and event month, for an off-the-shelf regression.

        Columns: ``set_id``, ``person_id``, ``unit`` (integer code of the set-person row),
        ``cluster`` (integer person code), ``treated``, ``weight``, ``event``, the outcome.
        """
        n_rows, n_ev = self.y.shape
        rows = np.repeat(np.arange(n_rows), n_ev)
        return pd.DataFrame(
            {
                "set_id": self.set_ids[self.set_index][rows],
                "person_id": self.person_ids[self.person_index][rows],
                "unit": rows,
                "cluster": self.person_index[rows],
                "treated": self.treated[rows],
                "weight": self.weight[rows],
                "event": np.tile(self.events, n_rows),
                self.outcome: self.y.ravel(),
            }
        )


def check_window(window: tuple[int, int], reference: int | None = None) -> tuple[int, int]:
    """Validate ``(first, last)`` event months and that the reference lies inside."""
    try:
        lo, hi = (int(window[0]), int(window[1]))
    except (TypeError, ValueError, IndexError) as exc:
        raise InvalidWindowError(
            f"window {window!r} is not two event months: pass e.g. window=(-24, 12)"
        ) from exc
    if lo > hi:
        raise InvalidWindowError(f"window {window!r} runs backwards: put the earlier month first")
    if reference is not None and not lo <= reference <= hi:
        raise InvalidWindowError(
            f"reference month {reference} lies outside the window {window!r}: choose a "
            "reference inside it (usually -1, the month before the start)"
        )
    return lo, hi


def parse_months(
    values: pd.Series, *, what: str, error: type[EvaluationError] = InvalidMatchedSetsError
) -> np.ndarray:
    """``YYYY-MM`` texts (or integer month indexes) to ``year * 12 + month - 1``."""
    if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        return values.to_numpy(dtype=np.int64)
    codes, uniques = pd.factorize(values)
    if (codes < 0).any():
        raise error(f"{what} is missing in {int((codes < 0).sum())} rows: fill it in")
    text = pd.Series(np.asarray(uniques, dtype=object)).astype(str)
    ok = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    if not ok.all():
        raise error(
            f"{what} holds {text[~ok].head(3).tolist()}: write months as YYYY-MM, e.g. 2021-03"
        )
    idx = text.str.slice(0, 4).astype(int) * 12 + text.str.slice(5, 7).astype(int) - 1
    return idx.to_numpy(dtype=np.int64)[codes]


def _check_sets(sets: pd.DataFrame) -> dict[str, np.ndarray]:
    missing = [c for c in SET_COLUMNS if c not in sets.columns]
    if missing:
        raise InvalidMatchedSetsError(
            f"the matched sets lack columns {missing}: pass the output of the matching step "
            f"(columns {list(SET_COLUMNS)})"
        )
    if len(sets) == 0:
        raise InvalidMatchedSetsError("the matched sets are empty: run the matching first")
    for col in ("set_id", "person_id", "treated", "weight"):
        if sets[col].isna().any():
            raise InvalidMatchedSetsError(
                f"{int(sets[col].isna().sum())} matched-set rows have no {col}: fill it in"
            )
    weight = sets["weight"].to_numpy(dtype=np.float64)
    if not (np.isfinite(weight) & (weight > 0)).all():
        raise InvalidMatchedSetsError(
            "matching weights must be positive and finite: drop rows with weight 0"
        )
    set_code, set_ids = pd.factorize(sets["set_id"], sort=True)
    person_code, person_ids = pd.factorize(sets["person_id"], sort=True)
    start = parse_months(sets["start_month"], what="start_month")
    s_min = np.full(len(set_ids), np.iinfo(np.int64).max)
    s_max = np.full(len(set_ids), np.iinfo(np.int64).min)
    np.minimum.at(s_min, set_code, start)
    np.maximum.at(s_max, set_code, start)
    if (s_min != s_max).any():
        raise InvalidMatchedSetsError(
            f"{int((s_min != s_max).sum())} sets have more than one start_month: every row "
            "of a set carries the treated person's start month"
        )
    pair = set_code.astype(np.int64) * len(person_ids) + person_code
    if len(np.unique(pair)) < len(pair):
        raise InvalidMatchedSetsError(
            "a person occurs twice in one matched set: add up the weights into one row"
        )
    return {
        "set_code": set_code.astype(np.int64),
        "set_ids": np.asarray(set_ids, dtype=object),
        "person_code": person_code.astype(np.int64),
        "person_ids": np.asarray(person_ids, dtype=object),
        "treated": sets["treated"].to_numpy(dtype=bool),
        "weight": weight,
        "start": s_min,
    }


def person_rows(ids: pd.Series, labels: np.ndarray) -> np.ndarray:
    """For each row of ``ids``, its position in ``labels`` (-1 when absent).

    A categorical column (as :func:`mentorwijs.evaluation.register.employment_outcomes`
    returns) is mapped through its categories, so the rows' strings are never hashed: the
    labels are looked up in the categories (whose hash table pandas caches) and the rows'
    integer codes index the result.
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):
        where = ids.cat.categories.get_indexer(labels)
        found = where >= 0
        lookup = np.full(len(ids.cat.categories) + 1, -1, dtype=np.int64)  # last: code -1
        lookup[where[found]] = np.flatnonzero(found)
        return lookup[np.asarray(ids.cat.codes)]
    return pd.Index(labels).get_indexer(ids)


def dense_outcomes(
    outcomes: pd.DataFrame, labels: np.ndarray, outcome: str
) -> tuple[np.ndarray, int]:
    """``(P, M)`` float matrix of ``outcome`` for the persons ``labels``, and its first month.

    Months absent from the panel are NaN. Raises :class:`InvalidOutcomesError` for missing
    columns or a person-month that occurs twice.
    """
    missing = [c for c in ("person_id", "month", outcome) if c not in outcomes.columns]
    if missing:
        raise InvalidOutcomesError(
            f"the outcome panel lacks columns {missing}: pass one row per person and month "
            "with person_id, month (year * 12 + month - 1) and the outcome"
        )
    row = person_rows(outcomes["person_id"], labels)
    keep = np.flatnonzero(row >= 0)
    if len(keep) == 0:
        raise EmptyWindowError(
            "no person of the matched sets occurs in the outcome panel: check the person_id "
            "values of both tables"
        )
    row = row[keep]
    month = parse_months(outcomes["month"].iloc[keep], what="month", error=InvalidOutcomesError)
    values = outcomes[outcome].iloc[keep].to_numpy(dtype=np.float64, na_value=np.nan)
    first = int(month.min())
    span = int(month.max()) - first + 1
    flat = row * span + (month - first)
    if np.bincount(flat, minlength=len(labels) * span).max() > 1:
        raise InvalidOutcomesError(
            "a person-month occurs twice in the outcome panel: keep one row per person and month"
        )
    dense = np.full((len(labels), span), np.nan)
    dense.ravel()[flat] = values
    return dense, first


def stack_panel(
    sets: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    outcome: str,
    window: tuple[int, int] = (-24, 12),
) -> StackedPanel:
    """Each matched set's outcomes at its own event months ``window[0]..window[1]``.

    Parameters
    ----------
    sets
        Matched sets: ``set_id`` (the treated person's id), ``person_id``, ``treated``,
        ``weight`` (treated 1; each control ``1 / k``), ``start_month`` (``YYYY-MM``, the
        set's start). A control matched into several sets has a row in each.
    outcomes
        Long panel, one row per person and month: ``person_id`` (text or categorical),
        ``month`` (``year * 12 + month - 1``, or ``YYYY-MM``) and the ``outcome`` column.
    outcome
        The outcome column, e.g. ``"employed_1h"`` or ``"earnings"``.
    window
        First and last event month; event month 0 is the start month.

    Returns
    -------
    StackedPanel
        ``y[r, j]`` is the outcome of row ``r``'s person in month ``start + events[j]`` of
        row ``r``'s set (NaN when the panel has no such month).

    Warns
    -----
    UserWarning
        When sets lack a treated person or any control; they are left out.

    Notes
    -----
    The stacked design (Cengiz et al. 2019, QJE 134(3); Wing, Freedman & Hollingsworth 2024,
    NBER w32054) aligns each set on its own start, so event month ``e`` of set ``s`` is
    calendar month ``start_s + e``. Memory is ``O(R T)`` for the stack plus ``O(P M)`` for the
    dense panel of the ``P`` persons in the sets over the panel's ``M`` months.

    Examples
    --------
    >>> sets = pd.DataFrame({"set_id": ["A", "A"], "person_id": ["A", "B"],
    ...     "treated": [True, False], "weight": [1.0, 1.0], "start_month": "2021-02"})
    >>> outcomes = pd.DataFrame({"person_id": ["A", "A", "B", "B"],
    ...     "month": [24252, 24253, 24252, 24253], "y": [0, 1, 1, 1]})
    >>> stack_panel(sets, outcomes, outcome="y", window=(-1, 0)).y.tolist()
    [[0.0, 1.0], [1.0, 1.0]]
    """
    lo, hi = check_window(window)
    s = _check_sets(sets)
    n_sets = len(s["set_ids"])
    a = np.bincount(s["set_code"], weights=s["treated"], minlength=n_sets)
    b = np.bincount(s["set_code"], weights=~s["treated"], minlength=n_sets)
    bad = (a == 0) | (b == 0)
    order = np.argsort(s["set_code"], kind="stable")
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} matched sets lack a treated person or any control and are left out",
            UserWarning,
            stacklevel=2,
        )
        order = order[~bad[s["set_code"][order]]]
        if len(order) == 0:
            raise InvalidMatchedSetsError(
                "no matched set has both a treated person and a control: check the matching"
            )
    set_code = s["set_code"][order]
    person_code = s["person_code"][order]
    used_sets, set_index = np.unique(set_code, return_inverse=True)
    used_persons, person_index = np.unique(person_code, return_inverse=True)
    person_ids = s["person_ids"][used_persons]
    dense, first = dense_outcomes(outcomes, person_ids, outcome)
    events = np.arange(lo, hi + 1)
    start = s["start"][used_sets]
    col = (start - first)[set_index][:, None] + events[None, :]
    inside = (col >= 0) & (col < dense.shape[1])
    flat = person_index[:, None] * dense.shape[1] + np.clip(col, 0, dense.shape[1] - 1)
    y = dense.ravel()[flat]
    y[~inside] = np.nan
    return StackedPanel(
        outcome=outcome,
        events=events,
        y=y,
        set_index=set_index.astype(np.int64),
        set_ids=s["set_ids"][used_sets],
        start=start,
        person_index=person_index.astype(np.int64),
        person_ids=person_ids,
        treated=s["treated"][order],
        weight=s["weight"][order],
    )
