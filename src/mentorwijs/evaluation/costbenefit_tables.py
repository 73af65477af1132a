"""Tidy tables of the cost–benefit analysis, at the parameters' base values.

Each function returns one table of :class:`costbenefit.CostBenefitResult`; see its
attributes for the columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.costbenefit_effect import EffectProfile
from mentorwijs.evaluation.costbenefit_flows import (
    ACTORS,
    Evaluation,
    Flow,
    benefit_cost_ratio,
    coefficients,
    discount_factors,
    evaluate,
    flows,
)
from mentorwijs.evaluation.costbenefit_uncertainty import evaluate_draws
from mentorwijs.evaluation.costs_model import WEEKS_PER_MONTH
from mentorwijs.evaluation.costs_registry import CostQuantities
from mentorwijs.protocol.costs import CostParameters

BREAK_EVEN_VIEWS = ("public_budget", "municipality", "mkba")
MONTHS_KEPT = (6, 12, 24, 36, 60)


def summary_table(
    params: CostParameters, q: CostQuantities, profile: EffectProfile, views: Sequence[str]
) -> pd.DataFrame:
    """Per view and discount rate (the default and the file's variants): present values,
    NPV, BCR, ROI, break-even month and the effect multiple needed to break even."""
    base = params.values()
    rates = list(dict.fromkeys([base["discount_rate"], *params.discount_rate_variants]))
    rows = []
    for rate in rates:
        res = evaluate_draws(q, {**base, "discount_rate": rate}, profile.horizon, views=views)
        for v in views:
            r = res.views[v]
            costs, eff = float(r.pv_costs[0]), float(r.pv_effects[0])
            be = r.break_even
            rows.append(
                {
                    "view": v,
                    "discount_rate": rate,
                    "base_rate": rate == base["discount_rate"],
                    "pv_costs": costs,
                    "pv_effects": eff,
                    "npv": eff - costs,
                    "bcr": float(benefit_cost_ratio(eff, costs)),
                    "roi": (eff - costs) / costs if costs > 0 else np.nan,
                    "break_even_month": float(be[0]) if be is not None else np.nan,
                    "effect_multiple": costs / eff if eff > 0 else np.nan,
                    "n_groups": q.n_groups,
                    "n_trained": q.trained,
                    "n_employees": q.employees_reached,
                    "npv_per_employee": (eff - costs) / q.employees_reached,
                }
            )
    return pd.DataFrame(rows)


def _flow_pvs(
    base: Mapping[str, Any], q: CostQuantities, profile: EffectProfile
) -> list[tuple[Flow, float]]:
    fl = flows(q, base)
    ev = _discounted(base, q, profile, fl)
    n = float(q.employees_reached)
    per_driver = {
        "upfront": 1.0,
        "guidance": float(ev.guidance[0]),
        "employment": n * float(ev.months[0]),
        "exit": n * float(ev.exits[0]),
    }
    return [(f, float(f.value) * per_driver[f.driver]) for f in fl]


def _discounted(
    base: Mapping[str, Any], q: CostQuantities, profile: EffectProfile, fl: Sequence[Flow]
) -> Evaluation:
    return evaluate(
        fl,
        (),
        profile.horizon,
        n_employees=float(q.employees_reached),
        rate=base["discount_rate"],
        guidance_months=base["extra_guidance_months"],
        with_break_even=False,
    )


def distribution_table(
    params: CostParameters, q: CostQuantities, profile: EffectProfile
) -> pd.DataFrame:
    """Present value per item and actor (transfers once per side), and the PM rows."""
    rows = [
        {
            "item": f.item,
            "kind": f.kind,
            "actor": f.actor,
            "transfer": f.transfer,
            "priced": True,
            "pv": pv,
            "note": "",
        }
        for f, pv in _flow_pvs(params.values(), q, profile)
    ]
    rows += [
        {
            "item": pm.code,
            "kind": "pm",
            "actor": pm.actor,
            "transfer": False,
            "priced": False,
            "pv": np.nan,
            "note": f"PM {pm.sign}",
        }
        for pm in params.unpriced_effects
    ]
    out = pd.DataFrame(rows)
    out["pv_per_employee"] = out["pv"] / q.employees_reached
    return out[["item", "kind", "actor", "transfer", "priced", "pv", "pv_per_employee", "note"]]


def actor_table(params: CostParameters, q: CostQuantities, profile: EffectProfile) -> pd.DataFrame:
    """Programme costs, effects and NPV per actor, transfers included."""
    rows = []
    pvs = _flow_pvs(params.values(), q, profile)
    for actor in ACTORS:
        costs = -sum(pv for f, pv in pvs if f.actor == actor and f.kind == "programme_cost")
        eff = sum(pv for f, pv in pvs if f.actor == actor and f.kind == "effect")
        rows.append(
            {
                "actor": actor,
                "pv_programme_costs": costs,
                "pv_effects": eff,
                "npv": eff - costs,
                "npv_per_employee": (eff - costs) / q.employees_reached,
            }
        )
    return pd.DataFrame(rows)


def benefit_table(
    base: Mapping[str, Any], q: CostQuantities, profile: EffectProfile
) -> pd.DataFrame:
    """Quantities behind the benefits, per employee reached and in total (undiscounted)."""
    e = profile.horizon
    months = float(e.sum())
    exits = float(e[-1])  # sum of Δe over the horizon
    n = q.employees_reached
    guidance_hours = (
        q.trained
        * base["extra_guidance_share"]
        * base["extra_guidance_hours_per_week"]
        * WEEKS_PER_MONTH
        * min(base["extra_guidance_months"], len(e))
    )
    rows = [
        ("employment_months", "month", months),
        ("social_assistance_months_avoided", "month", months * base["assistance_offset_share"]),
        ("wage_subsidy_months", "month", months * base["wage_subsidy_share"]),
        ("job_coach_hours", "hour", months * base["job_coach_hours_per_month"]),
        ("placement_exits_avoided", "person", exits),
        ("replacements_avoided", "person", exits * base["replacement_share"]),
        ("extra_guidance_hours", "hour", guidance_hours / n),
    ]
    out = pd.DataFrame(rows, columns=["item", "unit", "per_employee"])
    out["total"] = out["per_employee"] * n
    return out


def break_even_table(
    base: Mapping[str, Any], q: CostQuantities, profile: EffectProfile
) -> pd.DataFrame:
    """People in 100 who must keep their job ``Y`` more months for NPV = 0.

    Notes
    -----
    With :math:`C` the programme's present cost per employee reached and :math:`a, b` the
    view's value of a month in work and of an avoided exit, keeping :math:`x` in 100 in
    work for :math:`Y` extra months is worth
    :math:`V(Y) = a \\sum_{t<Y} d_t + b (d_0 - d_Y)` per person (the exit is deferred to
    month :math:`Y`; beyond the horizon it is not counted), so
    :math:`x = 100\\,C / V(Y)`; NaN when :math:`V(Y) \\le 0`.
    """
    h = len(profile.horizon)
    fl = flows(q, base)
    guidance = float(_discounted(base, q, profile, fl).guidance[0])
    d = discount_factors(h, base["discount_rate"])
    n = q.employees_reached
    rows = []
    for v in BREAK_EVEN_VIEWS:
        c = coefficients(fl, v)
        cost = -(float(c["upfront"]) + float(c["guidance"]) * guidance)
        for y in (m for m in MONTHS_KEPT if m <= h):
            value = float(c["employment"]) * float(d[:y].sum()) + float(c["exit"]) * (
                d[0] - (d[y] if y < h else 0.0)
            )
            people = 100 * cost / n / value if value > 0 else np.nan
            rows.append(
                {
                    "view": v,
                    "months_kept": y,
                    "people_per_100": people,
                    "reachable": bool(value > 0 and people <= 100),
                    "cost_per_employee": cost / n,
                    "value_per_person_kept": value,
                }
            )
    return pd.DataFrame(rows)


def parameter_table(params: CostParameters) -> pd.DataFrame:
    """The parameters used, with their ranges, distributions, sources and dates."""
    return pd.DataFrame(
        [
            {
                "parameter": name,
                "group": p.group,
                "value": p.value,
                "unit": p.unit,
                "low": p.low,
                "high": p.high,
                "distribution": p.distribution,
                "source": p.source,
                "date": p.date.isoformat(),
            }
            for name, p in params.parameters.items()
        ]
    )
