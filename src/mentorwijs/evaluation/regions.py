"""Per-region tables: every labour-market region's figures from one national evaluation.

The regional factsheets of :mod:`mentorwijs.reports` are built from these tables, so all 35
factsheets and the national final report rest on one result, one data fingerprint and one
set of settings. Per region with training groups:

- ``region_summary``: training groups, treated employees in the register, and whether the
  region has enough of them for its own employment effect;
- ``region_flow``: the participant flow of supervisors and employees per wave
  (:func:`~mentorwijs.evaluation.flow.participant_flow` on the region's invitations);
- ``region_change``: the supervisors' change from T0 in the factsheet's scales (the mixed
  model of :func:`~mentorwijs.evaluation.supervisors.wave_changes` on the region's scores);
- ``region_event_study``: the effect on "employed >= 1 hour" on the region's own matched
  sets (:func:`region_event_studies`, called by the employment step);
- ``region_costs`` and ``region_cost_benefit``: what the training cost in the region and
  what it returns for the public budget, with the national employment effect applied to
  the region's own groups, employees and costs.

Every table goes through disclosure control: counts of 1–9 persons and the statistics
computed from them are blanked, and a ``suppressed`` column says where.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.costbenefit import cost_benefit
from mentorwijs.evaluation.costs_model import cost_lines, cost_summary
from mentorwijs.evaluation.costs_registry import cost_quantities
from mentorwijs.evaluation.did import estimate_stacked
from mentorwijs.evaluation.did_result import EventStudyResult
from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import EvaluationError
from mentorwijs.evaluation.flow import participant_flow
from mentorwijs.evaluation.supervisors import wave_changes
from mentorwijs.protocol import load_cost_parameters

#: The supervisor scales a regional factsheet speaks of (the training's first aims).
REGION_SCALES = ("knowledge", "self_efficacy")
#: Treated employees a region needs for its own employment effect (see docs/evaluation.md).
REGION_MIN_TREATED = 30
ES_STATS = ["estimate", "se", "ci_low", "ci_high", "p_val"]


def group_regions(training_groups: pd.DataFrame) -> pd.Series:
    """``training_group_id`` → ``region_id`` of every group."""
    tg = training_groups.dropna(subset=["region_id"])
    return pd.Series(
        tg["region_id"].astype(str).to_numpy(),
        index=tg["training_group_id"].astype(str).to_numpy(),
    )


def respondent_regions(
    supervisors: pd.DataFrame, employees: pd.DataFrame | None, training_groups: pd.DataFrame
) -> pd.Series:
    """``respondent_id`` → ``region_id``: a supervisor's region is their training group's; an
    employee's that of their supervisor. Supervisors without a group have no region."""
    group_region = group_regions(training_groups)
    sup = supervisors.dropna(subset=["training_group_id"])
    out = pd.Series(
        sup["training_group_id"].astype(str).map(group_region).to_numpy(),
        index=sup["supervisor_id"].astype(str).to_numpy(),
    )
    if employees is not None and not employees.empty:
        emp = employees.dropna(subset=["supervisor_id"])
        out = pd.concat(
            [
                out,
                pd.Series(
                    emp["supervisor_id"].astype(str).map(out).to_numpy(),
                    index=emp["employee_id"].astype(str).to_numpy(),
                ),
            ]
        )
    return out.dropna()


def region_flow(
    invitations: pd.DataFrame,
    regions_of: pd.Series,
    *,
    waves: Mapping[str, Sequence[str]],
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """The participant flow per region, role and wave.

    Parameters
    ----------
    invitations
        The ``invitations`` table of a study data package.
    regions_of
        ``respondent_id`` → ``region_id`` (:func:`respondent_regions`).
    waves
        Role → its wave codes in order (the first is the baseline of retention).
    min_count
        Disclosure threshold.

    Returns
    -------
    DataFrame
        ``region_id``, ``role``, then the columns of
        :func:`~mentorwijs.evaluation.flow.participant_flow` (``wave``, ``invited``,
        ``completed``, ``response_rate``, ``retention``, ``suppressed``).
    """
    inv = invitations.assign(region_id=invitations["respondent_id"].astype(str).map(regions_of))
    parts = []
    for (region, role), part in inv.dropna(subset=["region_id"]).groupby(
        ["region_id", "role"], sort=True
    ):
        if role not in waves:
            continue
        flow = participant_flow(part, role=str(role), waves=waves[str(role)])
        if min_count != MIN_COUNT:
            flow = suppress_small_cells(
                flow.drop(columns="suppressed"),
                count_cols=["invited", "completed"],
                stat_cols=["response_rate", "retention"],
                min_count=min_count,
            )
        parts.append(flow.assign(region_id=str(region), role=str(role)))
    if not parts:
        return pd.DataFrame(
            columns=[
                "region_id",
                "role",
                "wave",
                "invited",
                "completed",
                "response_rate",
                "retention",
                "suppressed",
            ]
        )
    out = pd.concat(parts, ignore_index=True)
    return out[["region_id", "role", *[c for c in out.columns if c not in ("region_id", "role")]]]


def region_changes(
    scores: pd.DataFrame,
    regions_of: pd.Series,
    *,
    scales: Sequence[str] = REGION_SCALES,
    baseline: str = "T0",
) -> pd.DataFrame:
    """The supervisors' change from ``baseline`` per region, scale and wave.

    The model of :func:`~mentorwijs.evaluation.supervisors.wave_changes` (a random intercept
    per supervisor) fitted to each region's scores, by the fast profiled REML
    (``engine="profile"``: 70 models at national scale in about a second instead of a
    minute). A region with scores of fewer than two supervisors, or none after the baseline,
    is left out; cells of fewer than 10 supervisors are suppressed by ``wave_changes``.

    Returns
    -------
    DataFrame
        ``region_id`` and the columns of ``wave_changes``.
    """
    data = scores[scores["scale"].isin(list(scales))]
    data = data.assign(region_id=data["respondent_id"].astype(str).map(regions_of))
    parts = []
    for region, part in data.dropna(subset=["region_id"]).groupby("region_id", sort=True):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a region's warnings would repeat the nation's
                change = wave_changes(
                    part.drop(columns="region_id"), baseline=baseline, engine="profile"
                )
        except EvaluationError:
            continue
        parts.append(change.assign(region_id=str(region)))
    if not parts:
        return pd.DataFrame(columns=["region_id", "scale", "wave", "estimate", "suppressed"])
    out = pd.concat(parts, ignore_index=True)
    return out[["region_id", *[c for c in out.columns if c != "region_id"]]]


def region_event_studies(
    result: EventStudyResult,
    person_regions: pd.Series,
    *,
    min_treated: int = REGION_MIN_TREATED,
    min_count: int = MIN_COUNT,
    placebo_shift: int = 6,
) -> pd.DataFrame:
    """The event study re-estimated on each region's own matched sets, with its tests.

    Parameters
    ----------
    result
        The national event study (its complete stacked panel is reused, so every region's
        sets are exactly the national ones: the same controls and weights).
    person_regions
        ``person_id`` → ``region_id`` of the treated persons; a set belongs to its treated
        person's region.
    min_treated
        Regions with fewer treated persons in the panel get no estimate (rows with NaN
        statistics and ``estimated`` False): their intervals would be too wide to say
        anything.
    min_count
        Disclosure threshold (never above ``min_treated`` in effect).
    placebo_shift
        Months the placebo start lies before the real one.

    Returns
    -------
    DataFrame
        ``region_id``, ``event_month``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``p_val``, ``n_treated``, ``n_units``, ``estimated``, ``pretrend_p`` and
        ``placebo_p`` (the small-sample F p-values of the region's pre-trend and placebo
        tests, the same on every row of a region), ``suppressed``. One row per event month
        for each region with treated persons in the panel.

    Notes
    -----
    The estimator is that of :func:`~mentorwijs.evaluation.did.estimate_stacked` with the
    national settings (reference month, level, clustering by person), applied to the rows of
    the sets whose treated person lives in the region.
    """
    panel = result.panel
    if panel is None:
        raise EvaluationError("the event study kept no stacked panel: re-run it with event_study")
    set_region = pd.Series(panel.set_ids.astype(str)).map(person_regions).to_numpy(dtype=object)
    row_region = set_region[panel.set_index]
    events = result.event_months.astype(int)
    parts = []
    for region in sorted({r for r in set_region if isinstance(r, str)}):
        rows = row_region == region
        n_treated = int((rows & panel.treated).sum())
        estimated = n_treated >= max(min_treated, 1)
        table = pd.DataFrame({"event_month": events})
        tests = {"pretrend_p": np.nan, "placebo_p": np.nan}
        if estimated:
            try:
                res = estimate_stacked(
                    panel.subset(rows), reference=result.reference, level=result.level
                )
            except EvaluationError:
                estimated = False
            else:
                tidy = res.tidy()
                table = tidy[["event_month", *ES_STATS, "n_units"]].copy()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        tests["pretrend_p"] = float(res.pretrend_test()["p_val_f"].iloc[0])
                        placebo = res.placebo(shift=placebo_shift).test()
                        tests["placebo_p"] = float(placebo["p_val_f"].iloc[0])
                    except EvaluationError:
                        pass
        if not estimated:
            table = table.assign(**dict.fromkeys(ES_STATS, np.nan), n_units=np.nan)
        parts.append(
            table.assign(region_id=region, n_treated=n_treated, estimated=estimated, **tests)
        )
    columns = ["region_id", "event_month", *ES_STATS, "n_treated", "n_units", "estimated",
               "pretrend_p", "placebo_p"]  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    out = pd.concat(parts, ignore_index=True)[columns]
    return suppress_small_cells(
        out,
        count_cols=["n_treated"],
        stat_cols=[*ES_STATS, "n_units", "pretrend_p", "placebo_p"],
        min_count=min_count,
    )


def region_summary(
    training_groups: pd.DataFrame,
    region_event_study: pd.DataFrame | None,
    *,
    names: Mapping[str, str] | None = None,
    min_treated: int = REGION_MIN_TREATED,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Per region with training groups: its groups, treated persons and whether its own
    employment effect is estimated.

    Parameters
    ----------
    training_groups
        The ``training_groups`` table.
    region_event_study
        The table of :func:`region_event_studies` (None when the employment step did not
        run): the treated persons per region are those in the national stacked panel.
    names
        ``region_id`` → the region's name (the package's ``regions`` table).
    min_treated
        As given to :func:`region_event_studies`.

    Returns
    -------
    DataFrame
        ``region_id``, ``name`` (None when unknown), ``groups`` (training groups, not
        persons: never suppressed),
        ``in_person`` and ``online`` groups, ``treated`` (treated persons of the region in
        the event study; 0 when none), ``effect_estimated``, ``min_treated``, ``suppressed``
        (``treated`` is 1–9).
    """
    tg = training_groups.dropna(subset=["region_id"])
    mode = tg["mode"].astype(str)
    table = (
        tg.assign(
            region_id=tg["region_id"].astype(str),
            in_person=(mode == "in_person").astype(int),
            online=(mode == "online").astype(int),
        )
        .groupby("region_id", sort=True)
        .agg(
            groups=("training_group_id", "size"),
            in_person=("in_person", "sum"),
            online=("online", "sum"),
        )
        .reset_index()
    )
    treated: dict[str, float] = {}
    estimated: dict[str, bool] = {}
    if region_event_study is not None and not region_event_study.empty:
        first = region_event_study.groupby("region_id", sort=False).first()
        treated = first["n_treated"].astype(float).to_dict()
        estimated = first["estimated"].astype(bool).to_dict()
    table.insert(1, "name", [(names or {}).get(r) for r in table["region_id"]])
    table["treated"] = [treated.get(r, 0.0) for r in table["region_id"]]
    table["effect_estimated"] = [estimated.get(r, False) for r in table["region_id"]]
    table["min_treated"] = min_treated
    table["suppressed"] = table["treated"].isna() | (
        (table["treated"] > 0) & (table["treated"] < min_count)
    )
    table.loc[table["suppressed"], "treated"] = np.nan
    return table


def split_by_region(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """The package's registry tables cut per region of the training groups, in one pass.

    A supervisor belongs to their group's region, an employee to their supervisor's, an
    answer to its respondent's; ``costs`` lines by their ``region_id``. The cost model on a
    region's cut with ``region_id`` gives the same numbers as on the whole package, but
    reads a thirty-fifth of the rows.
    """
    groups = group_regions(tables["training_groups"])
    regions = sorted(set(groups))
    sup = tables["supervisors"]
    sup_region = pd.Series(
        sup["training_group_id"].astype(str).map(groups).to_numpy(),
        index=sup["supervisor_id"].astype(str).to_numpy(),
    ).dropna()
    keys: dict[str, tuple[str, pd.Series]] = {
        "supervisors": ("supervisor_id", sup_region),
        "attendance": ("training_group_id", groups),
        "meetings": ("training_group_id", groups),
        "employees": ("supervisor_id", sup_region),
        "responses": ("respondent_id", sup_region),
    }
    out: dict[str, dict[str, pd.DataFrame]] = {r: {} for r in regions}
    for name, df in tables.items():
        if name in ("costs", "training_groups"):
            region = df["region_id"].astype(str)
        elif name in keys:
            column, lookup = keys[name]
            region = df[column].astype(str).map(lookup)
        else:
            for r in regions:
                out[r][name] = df
            continue
        parts = dict(iter(df.groupby(region.to_numpy(), sort=False)))
        for r in regions:
            out[r][name] = parts.get(r, df.iloc[:0])
    return out


def region_cost_benefit(
    tables: Mapping[str, pd.DataFrame],
    effect: pd.DataFrame | None,
    regions: Sequence[str],
    *,
    n_draws: int,
    seed: int,
    min_count: int = MIN_COUNT,
) -> dict[str, pd.DataFrame]:
    """Costs per region and, with the national effect, the public budget's return per region.

    Parameters
    ----------
    tables
        The package's tables (as for :func:`~mentorwijs.evaluation.costbenefit.cost_benefit`).
    effect
        The national effect profile (``event_month``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high`` of "employed >= 1 hour" from month 0), or None: then only the costs.
    regions
        The regions to compute.
    n_draws, seed
        Of the probabilistic analysis.

    Returns
    -------
    dict of DataFrame
        ``region_costs``: ``region_id``, ``groups``, ``trained`` (supervisors who attended a
        meeting), ``employees_reached``, ``amount`` (all parties), ``per_trained_supervisor``,
        ``per_employee_reached``, ``municipality_amount``,
        ``municipality_per_trained_supervisor``, ``municipality_per_employee_reached``,
        ``suppressed``. ``region_cost_benefit`` (when ``effect`` is given): ``region_id``,
        ``view``, ``pv_costs``, ``pv_effects``, ``npv``, ``bcr``, ``p_npv_positive``,
        ``npv_ci_low``, ``npv_ci_high``, ``n_draws``, ``employees_reached``,
        ``effect_basis`` (``"national"``), ``suppressed``.

    Notes
    -----
    A region has a few dozen treated employees at most, so its own employment effect is too
    uncertain to value; the benefits use the national effect per employee reached, times the
    region's own employees reached, against the region's own costs. The factsheet says so.
    """
    params = load_cost_parameters()
    cut = split_by_region(tables)
    cost_rows: list[dict[str, Any]] = []
    cb_rows: list[dict[str, Any]] = []
    for region in regions:
        here = cut.get(region)
        if here is None:
            continue
        cb = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if effect is not None:
                    cb = cost_benefit(
                        here, effect, params=params, region_id=region, n_draws=n_draws, seed=seed
                    )
                    summary, counts = cb.cost_summary, cb.summary.iloc[0]
                    n = (int(counts["n_groups"]), int(counts["n_trained"]))
                    n_emp = int(counts["n_employees"])
                else:
                    quantities = cost_quantities(here, region_id=region)
                    summary = cost_summary(cost_lines(quantities, params.values()), quantities)
                    n = (quantities.n_groups, quantities.trained)
                    n_emp = quantities.employees_reached
            except EvaluationError:
                continue
        keyed = {(r.level, r.unit): r for r in summary.itertuples(index=False)}
        total, town = keyed.get(("total", "all")), keyed.get(("actor", "municipality"))
        nan = np.nan
        cost_rows.append(
            {
                "region_id": region,
                "groups": n[0],
                "trained": n[1],
                "employees_reached": n_emp,
                "amount": total.amount if total else nan,
                "per_trained_supervisor": total.per_trained_supervisor if total else nan,
                "per_employee_reached": total.per_employee_reached if total else nan,
                "municipality_amount": town.amount if town else nan,
                "municipality_per_trained_supervisor": (
                    town.per_trained_supervisor if town else nan
                ),
                "municipality_per_employee_reached": town.per_employee_reached if town else nan,
            }
        )
        if cb is None:
            continue
        psa = cb.psa_summary.set_index("view")
        for r in cb.summary[cb.summary["base_rate"].astype(bool)].itertuples(index=False):
            p = psa.loc[r.view] if r.view in psa.index else None
            cb_rows.append(
                {
                    "region_id": region,
                    "view": r.view,
                    "pv_costs": r.pv_costs,
                    "pv_effects": r.pv_effects,
                    "npv": r.npv,
                    "bcr": r.bcr,
                    "p_npv_positive": nan if p is None else p["p_npv_positive"],
                    "npv_ci_low": nan if p is None else p["npv_ci_low"],
                    "npv_ci_high": nan if p is None else p["npv_ci_high"],
                    "n_draws": n_draws,
                    "employees_reached": n_emp,
                    "effect_basis": "national",
                }
            )
    cost_cols = [
        "per_trained_supervisor",
        "per_employee_reached",
        "municipality_per_trained_supervisor",
        "municipality_per_employee_reached",
    ]
    costs = pd.DataFrame(cost_rows)
    if not costs.empty:
        costs = suppress_small_cells(
            costs,
            count_cols=["trained", "employees_reached"],
            stat_cols=cost_cols,
            min_count=min_count,
        )
    out = {"region_costs": costs}
    if cb_rows:
        out["region_cost_benefit"] = suppress_small_cells(
            pd.DataFrame(cb_rows),
            count_cols=["employees_reached"],
            stat_cols=[
                "pv_costs",
                "pv_effects",
                "npv",
                "bcr",
                "p_npv_positive",
                "npv_ci_low",
                "npv_ci_high",
            ],
            min_count=min_count,
        )
    return out
