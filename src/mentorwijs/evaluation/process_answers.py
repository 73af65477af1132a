"""Process measures from the supervisors' questionnaires: satisfaction, extra guidance time
and the workplace determinants.

The answers come from the instruments ``sv_process`` (satisfaction on 1–5, meetings
attended, extra time yes/no and extra hours a week) and ``sv_determinants`` (workplace
determinants of the MIDI kind on 1–5) of the protocol. Every table has the ``level`` and
``unit`` columns of :mod:`mentorwijs.evaluation.process` and a ``wave`` column (the
protocol asks these at T1). Cells of fewer than 10 supervisors are blanked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import InvalidProcessSettingError, NoProcessDataError
from mentorwijs.evaluation.process import hide_small, order_units
from mentorwijs.protocol import Protocol, load_protocol

PROCESS = "sv_process"
DETERMINANTS = "sv_determinants"
#: The answer scale of the satisfaction aspects.
SATISFACTION_SCALE = "satisfied5"


def answers(
    responses: pd.DataFrame, units: pd.DataFrame, *, instrument: str, items: Sequence[str]
) -> pd.DataFrame:
    """Supervisors' numeric answers to ``items`` of ``instrument``, joined to their units.

    Parameters
    ----------
    responses
        The ``responses`` table (long form).
    units
        ``supervisor_id``, ``level``, ``unit`` (:func:`process.supervisor_units`).

    Returns
    -------
    DataFrame
        ``level``, ``unit``, ``wave``, ``item``, ``respondent_id``, ``value``; skipped items
        are left out.
    """
    r = responses[
        (responses["instrument"] == instrument)
        & (responses["role"] == "supervisor")
        & responses["item"].isin(list(items))
        & responses["value"].notna()
    ]
    a = pd.DataFrame(
        {
            "respondent_id": r["respondent_id"].astype(str).to_numpy(),
            "wave": r["wave"].astype(str).to_numpy(),
            "item": r["item"].astype(str).to_numpy(),
            "value": r["value"].astype(float).to_numpy(),
        }
    )
    return a.merge(units, left_on="respondent_id", right_on="supervisor_id").drop(
        columns="supervisor_id"
    )


def satisfaction(
    responses: pd.DataFrame,
    units: pd.DataFrame,
    *,
    protocol: Protocol | None = None,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Satisfaction with the training, per aspect, on the 1–5 scale.

    Parameters
    ----------
    responses
        The ``responses`` table.
    units
        :func:`~mentorwijs.evaluation.process.supervisor_units`.
    protocol
        The protocol; its ``sv_process`` items on the ``satisfied5`` scale are the aspects.
    min_count
        Disclosure threshold.

    Returns
    -------
    DataFrame
        One row per ``level``, ``unit``, ``wave`` and ``aspect`` (the item code, e.g.
        ``sat_trainers``): ``n`` (supervisors who answered), ``mean``, ``sd`` (sample SD,
        n − 1), ``n_satisfied`` and ``share_satisfied`` (answers of 4 or 5: satisfied or
        very satisfied), ``suppressed``.
    """
    protocol = protocol or load_protocol()
    ins = protocol.instruments[PROCESS]
    aspects = [it.code for it in ins.items if it.answer_scale == SATISFACTION_SCALE]
    a = answers(responses, units, instrument=PROCESS, items=aspects)
    if a.empty:
        raise NoProcessDataError(
            f"no supervisor answered the satisfaction items of {PROCESS}: nothing to summarise"
        )
    a["satisfied"] = a["value"] >= 4
    g = a.groupby(["level", "unit", "wave", "item"], sort=False)
    table = g.agg(
        n=("value", "size"),
        mean=("value", "mean"),
        sd=("value", "std"),
        n_satisfied=("satisfied", "sum"),
    ).reset_index()
    table["share_satisfied"] = table["n_satisfied"] / table["n"]
    table = table.rename(columns={"item": "aspect"})
    table = _item_order(table, "aspect", aspects)
    table = suppress_small_cells(
        table[
            ["level", "unit", "wave", "aspect", "n", "mean", "sd", "n_satisfied", "share_satisfied"]
        ],
        count_cols=["n"],
        stat_cols=["mean", "sd", "n_satisfied", "share_satisfied"],
        min_count=min_count,
    )
    return hide_small(
        table, count_col="n_satisfied", stat_cols=["share_satisfied"], min_count=min_count
    )


def extra_guidance(
    responses: pd.DataFrame, units: pd.DataFrame, *, min_count: int = MIN_COUNT
) -> pd.DataFrame:
    """Extra time spent on guidance since the training, and the hours a week.

    Returns
    -------
    DataFrame
        One row per ``level``, ``unit`` and ``wave``: ``n`` (answered ``extra_time``),
        ``n_extra`` and ``share_extra`` (answered yes), ``n_hours`` (of those saying yes,
        the ones who gave ``extra_hours`` above 0), ``mean_hours``, ``sd_hours``,
        ``median_hours`` (hours a week among them), ``suppressed``.
    """
    a = answers(responses, units, instrument=PROCESS, items=["extra_time", "extra_hours"])
    said = a[a["item"] == "extra_time"]
    if said.empty:
        raise NoProcessDataError(
            f"no supervisor answered extra_time of {PROCESS}: nothing to summarise"
        )
    keys = ["level", "unit", "wave"]
    yes = said.assign(extra=said["value"] == 1)
    table = (
        yes.groupby(keys, sort=False)
        .agg(n=("extra", "size"), n_extra=("extra", "sum"))
        .reset_index()
    )
    table["share_extra"] = table["n_extra"] / table["n"]
    who = yes.loc[yes["extra"], [*keys, "respondent_id"]]
    hours = a[(a["item"] == "extra_hours") & (a["value"] > 0)].merge(
        who, on=[*keys, "respondent_id"]
    )
    h = (
        hours.groupby(keys, sort=False)["value"]
        .agg(n_hours="size", mean_hours="mean", sd_hours="std", median_hours="median")
        .reset_index()
    )
    table = table.merge(h, on=keys, how="left")
    table["n_hours"] = table["n_hours"].fillna(0)
    table = order_units(table, extra=["wave"])
    table = suppress_small_cells(
        table,
        count_cols=["n"],
        stat_cols=["n_extra", "share_extra", "n_hours", "mean_hours", "sd_hours", "median_hours"],
        min_count=min_count,
    )
    table = hide_small(table, count_col="n_extra", stat_cols=["share_extra"], min_count=min_count)
    return hide_small(
        table,
        count_col="n_hours",
        stat_cols=["mean_hours", "sd_hours", "median_hours"],
        min_count=min_count,
    )


def barrier_cutoffs(protocol: Protocol, item: str, barrier_max: int) -> tuple[float, float]:
    """The highest answer that marks a barrier and the lowest that marks a facilitator.

    A barrier is an answer of at most ``barrier_max`` (2 on 1–5: disagree or strongly
    disagree with a positively worded statement); a facilitator mirrors it at the other end
    of the item's answer scale (``min + max - barrier_max``: 4 on 1–5).

    Raises
    ------
    InvalidProcessSettingError
        When ``barrier_max`` is below the scale or reaches its midpoint.
    """
    low, high = protocol.item_range(DETERMINANTS, item) or (np.nan, np.nan)
    if not low <= barrier_max < (low + high) / 2:
        raise InvalidProcessSettingError(
            f"barrier_max={barrier_max} must lie between {low:g} and below the midpoint "
            f"{(low + high) / 2:g} of item {item}'s answer scale"
        )
    return float(barrier_max), float(low + high - barrier_max)


def workplace_determinants(
    responses: pd.DataFrame,
    units: pd.DataFrame,
    *,
    barrier_max: int = 2,
    protocol: Protocol | None = None,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Workplace determinants: mean, spread and the share scoring each as a barrier, ranked.

    Parameters
    ----------
    responses, units
        As in :func:`satisfaction`.
    barrier_max
        An answer of at most this value marks the determinant as a barrier; an answer of at
        least ``min + max - barrier_max`` as a facilitator (see :func:`barrier_cutoffs`).
    protocol, min_count
        As in :func:`satisfaction`.

    Returns
    -------
    DataFrame
        One row per ``level``, ``unit``, ``wave`` and ``determinant`` (the item code, e.g.
        ``det_feedback``): ``n``, ``mean``, ``sd``, ``n_barrier``, ``share_barrier``,
        ``n_facilitator``, ``share_facilitator``, ``rank`` (1 = the lowest mean in the
        unit and wave, i.e. the strongest barrier; ties go to the larger share scoring it
        as a barrier; empty for a suppressed row), ``suppressed``.
    """
    protocol = protocol or load_protocol()
    items = [it.code for it in protocol.instruments[DETERMINANTS].items]
    cut = {it: barrier_cutoffs(protocol, it, barrier_max) for it in items}
    a = answers(responses, units, instrument=DETERMINANTS, items=items)
    if a.empty:
        raise NoProcessDataError(
            f"no supervisor answered {DETERMINANTS}: the workplace determinants need it"
        )
    a["barrier"] = a["value"] <= a["item"].map({k: v[0] for k, v in cut.items()})
    a["facilitator"] = a["value"] >= a["item"].map({k: v[1] for k, v in cut.items()})
    keys = ["level", "unit", "wave"]
    table = (
        a.groupby([*keys, "item"], sort=False)
        .agg(
            n=("value", "size"),
            mean=("value", "mean"),
            sd=("value", "std"),
            n_barrier=("barrier", "sum"),
            n_facilitator=("facilitator", "sum"),
        )
        .reset_index()
        .rename(columns={"item": "determinant"})
    )
    table["share_barrier"] = table["n_barrier"] / table["n"]
    table["share_facilitator"] = table["n_facilitator"] / table["n"]
    shown = table["n"] >= min_count
    ranked = table[shown].sort_values(["mean", "share_barrier"], ascending=[True, False])
    table["rank"] = np.nan
    table.loc[ranked.index, "rank"] = ranked.groupby(keys, sort=False).cumcount() + 1
    table = _item_order(table, "determinant", items)
    cols = [
        *keys,
        "determinant",
        "n",
        "mean",
        "sd",
        "n_barrier",
        "share_barrier",
        "n_facilitator",
        "share_facilitator",
        "rank",
    ]
    table = suppress_small_cells(
        table[cols],
        count_cols=["n"],
        stat_cols=[
            "mean",
            "sd",
            "n_barrier",
            "share_barrier",
            "n_facilitator",
            "share_facilitator",
            "rank",
        ],
        min_count=min_count,
    )
    table = hide_small(
        table, count_col="n_barrier", stat_cols=["share_barrier"], min_count=min_count
    )
    return hide_small(
        table, count_col="n_facilitator", stat_cols=["share_facilitator"], min_count=min_count
    )


def _item_order(df: pd.DataFrame, col: str, items: Sequence[str]) -> pd.DataFrame:
    position = {it: i for i, it in enumerate(items)}
    df = df.assign(_pos=df[col].map(position))
    return order_units(df, extra=["wave", "_pos"]).drop(columns="_pos")
