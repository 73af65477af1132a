"""Per-region costs and returns: the cost model and the public budget's return of each
region, with the national employment effect (see :mod:`regions`)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.costbenefit import cost_benefit
from mentorwijs.evaluation.costs_model import cost_lines, cost_summary
from mentorwijs.evaluation.costs_registry import cost_quantities
from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import EvaluationError
from mentorwijs.evaluation.regions import group_regions
from mentorwijs.protocol import load_cost_parameters


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
