"""Money flows of the cost–benefit analysis: who gains and who pays per extra month in
work, present values, break-even and the views.

Every flow has a *driver* whose discounted quantity it multiplies:

- ``upfront``: the training's delivery costs, at month 0 (total euros);
- ``guidance``: the supervisors' extra guidance, euros per month while it lasts;
- ``employment``: euros per employee per extra month in work (the effect ``e_t``);
- ``exit``: euros per employee per placement that did not end (``Δe_t = e_t - e_{t-1}``;
  a later fall of the effect is an exit deferred, not avoided, and counts negatively).

Flows are linear in the effect, so parameter draws are arrays and nothing loops over draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from mentorwijs.evaluation.costbenefit_effect import check_horizon
from mentorwijs.evaluation.costs_model import WEEKS_PER_MONTH, guidance_per_month, programme_costs
from mentorwijs.evaluation.costs_registry import CostQuantities
from mentorwijs.evaluation.errors import InvalidCostBenefitOptionError

ACTORS = ("municipality", "central_government", "employer", "employee", "society")
#: view → (actors counted, whether transfers between actors count)
VIEWS: dict[str, tuple[tuple[str, ...], bool]] = {
    "public_budget": (("municipality", "central_government"), True),
    "municipality": (("municipality",), True),
    "mkba": (ACTORS, False),
    "sroi": (ACTORS, False),
}
Driver = Literal["upfront", "guidance", "employment", "exit"]


def discount_factors(n_months: int, annual_rate: Any) -> np.ndarray:
    """Monthly discount factors from an annual real rate.

    Parameters
    ----------
    n_months
        Months 0 … n_months - 1.
    annual_rate
        A rate (e.g. 0.0225) or an array of rates ``(n,)``.

    Returns
    -------
    ndarray
        ``(n_months,)``, or ``(n, n_months)`` for an array of rates.

    Notes
    -----
    :math:`d_t = (1 + r)^{-t/12}`: month 0 (the training) is not discounted, a flow in
    month :math:`t` is discounted over :math:`t/12` years (CPB/PBL 2013).
    """
    r = np.asarray(annual_rate, dtype=float)
    if np.any(r <= -1):
        raise InvalidCostBenefitOptionError(f"discount rate {annual_rate}: give a rate above -1")
    t = np.arange(check_horizon(n_months)) / 12.0
    return (1.0 + r[..., None]) ** (-t)


def present_value(flows: Any, annual_rate: float) -> Any:
    """Present value of monthly flows ``(..., H)``: :math:`\\sum_t d_t x_t`.

    Examples
    --------
    >>> round(float(present_value([100.0] * 12, 0.0)), 2)
    1200.0
    """
    x = np.asarray(flows, dtype=float)
    return (x * discount_factors(x.shape[-1], annual_rate)).sum(axis=-1)


def break_even_month(net_flows: Any, annual_rate: Any) -> Any:
    """First month from which the cumulative discounted net flow stays at or above zero.

    Parameters
    ----------
    net_flows
        ``(..., H)`` monthly net flows (benefits minus costs; the training's cost at 0).
    annual_rate
        Annual real discount rate (scalar, or one per leading row).

    Returns
    -------
    float or ndarray
        The month ``m`` with :math:`\\sum_{t \\le s} d_t x_t \\ge 0` for every
        :math:`s \\ge m` up to the horizon; NaN when the cumulative sum ends below zero
        (no break-even within the horizon).
    """
    x = np.asarray(net_flows, dtype=float)
    return _break_even(x, discount_factors(x.shape[-1], annual_rate))


def _break_even(x: np.ndarray, d: np.ndarray) -> Any:
    cum = np.cumsum(x * d, axis=-1)
    bad = cum < -1e-6  # a millionth of a euro of rounding is not a loss
    h = x.shape[-1]
    last_bad = np.where(bad.any(axis=-1), h - 1 - np.argmax(bad[..., ::-1], axis=-1), -1)
    return np.where(bad[..., -1], np.nan, last_bad + 1.0)


def benefit_cost_ratio(pv_effects: Any, pv_costs: Any) -> Any:
    """:math:`BCR = PV_{effects} / PV_{costs}`; NaN where there are no costs."""
    e, c = np.asarray(pv_effects, dtype=float), np.asarray(pv_costs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c > 0, e / np.where(c > 0, c, 1.0), np.nan)


@dataclass(frozen=True)
class Flow:
    """One money flow for one actor: ``value`` euros per unit of ``driver`` (gain > 0)."""

    item: str
    actor: str
    kind: Literal["programme_cost", "effect"]
    driver: Driver
    transfer: bool
    value: Any


def employment_values(p: Mapping[str, Any]) -> dict[str, Any]:
    """Euros per employee per extra month in work (arrays when ``p`` holds draws).

    Notes
    -----
    With minimum hourly wage :math:`m`, hours a week :math:`h`, employer-cost share
    :math:`c`, productivity :math:`\\pi`, subsidised share :math:`q` and cap :math:`k`:

    - gross wage :math:`w = m h \\cdot 52/12`; wage cost :math:`w(1 + c)`;
    - production :math:`w(1 + c)(q\\pi + 1 - q)` (unsubsidised employees are paid for
      full productivity);
    - wage-cost subsidy :math:`q \\min(w(1 - \\pi), k w)(1 + c)` (Participatiewet art. 10d);
    - social assistance avoided: norm × offset share; job coach: hours × rate;
      tax: tax share × :math:`w`; displacement: displacement share × production.
    """
    w = p["minimum_wage_hourly"] * p["hours_per_week"] * WEEKS_PER_MONTH
    c = p["employer_cost_share"]
    q, prod = p["wage_subsidy_share"], p["productivity_share"]
    production = w * (1 + c) * (q * prod + 1 - q)
    return {
        "wage": w,
        "employer_costs": c * w,
        "production": production,
        "displacement": p["displacement_share"] * production,
        "wage_subsidy": q * np.minimum(w * (1 - prod), p["wage_subsidy_cap_share"] * w) * (1 + c),
        "social_assistance": p["social_assistance_norm"] * p["assistance_offset_share"],
        "job_coach": p["job_coach_hours_per_month"] * p["job_coach_hourly_rate"],
        "income_tax": p["tax_share_of_earnings"] * w,
    }


def flows(quantities: CostQuantities, p: Mapping[str, Any]) -> list[Flow]:
    """Every flow of the analysis, by item and actor; transfers appear once per side."""
    out = [
        Flow(item, actor, "programme_cost", "upfront", False, -amount)
        for (item, actor), amount in programme_costs(quantities, p).items()
    ]
    guidance = guidance_per_month(float(quantities.trained), p)
    out.append(Flow("extra_guidance", "employer", "programme_cost", "guidance", False, -guidance))
    v = employment_values(p)

    def effect(item: str, actor: str, value: Any, transfer: bool = False) -> Flow:
        return Flow(item, actor, "effect", "employment", transfer, value)

    out += [
        effect("production", "employer", v["production"]),
        effect("displacement", "society", -v["displacement"]),
        effect("job_coach", "municipality", -v["job_coach"]),
        effect("wages", "employer", -v["wage"], True),
        effect("wages", "employee", v["wage"], True),
        effect("employer_costs", "employer", -v["employer_costs"], True),
        effect("employer_costs", "central_government", v["employer_costs"], True),
        effect("income_tax", "employee", -v["income_tax"], True),
        effect("income_tax", "central_government", v["income_tax"], True),
        effect("wage_subsidy", "municipality", -v["wage_subsidy"], True),
        effect("wage_subsidy", "employer", v["wage_subsidy"], True),
        effect("social_assistance", "municipality", v["social_assistance"], True),
        effect("social_assistance", "employee", -v["social_assistance"], True),
        Flow(
            "replacements",
            "municipality",
            "effect",
            "exit",
            False,
            p["replacement_share"] * p["replacement_cost"],
        ),
        Flow("turnover", "employer", "effect", "exit", False, p["employer_turnover_cost"]),
    ]
    return out


def in_view(flow: Flow, view: str) -> bool:
    """Whether ``flow`` counts in ``view`` (see :data:`VIEWS`)."""
    actors, transfers = VIEWS[view]
    return flow.actor in actors and (transfers or not flow.transfer)


def coefficients(fl: Sequence[Flow], view: str) -> dict[str, Any]:
    """Sum of the view's flow values per driver."""
    out: dict[str, Any] = dict.fromkeys(("upfront", "guidance", "employment", "exit"), 0.0)
    for f in fl:
        if in_view(f, view):
            out[f.driver] = out[f.driver] + f.value
    return out


@dataclass(frozen=True, eq=False)
class ViewResult:
    """Per draw ``(n,)``: present values of programme costs and effects, NPV, break-even."""

    pv_costs: np.ndarray
    pv_effects: np.ndarray
    break_even: np.ndarray | None

    @property
    def npv(self) -> np.ndarray:
        return self.pv_effects - self.pv_costs


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Results of every view, and the discounted drivers per draw ``(n,)``.

    ``months``, ``exits`` and ``guidance`` are :math:`\\sum_t d_t e_t`,
    :math:`\\sum_t d_t \\Delta e_t` (per employee) and :math:`\\sum_t d_t g_t`.
    """

    views: dict[str, ViewResult]
    months: np.ndarray
    exits: np.ndarray
    guidance: np.ndarray


def _col(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=float))


#: Draws evaluated at once: vectors of this length stay in the processor's cache.
CHUNK = 8192


def evaluate(
    fl: Sequence[Flow],
    views: Sequence[str],
    effect: Any,
    *,
    n_employees: float,
    rate: Any,
    guidance_months: Any,
    sroi: Mapping[str, Any] | None = None,
    with_break_even: bool = True,
) -> Evaluation:
    """Present values and break-even month of each view, vectorised over draws.

    Parameters
    ----------
    fl
        The flows (:func:`flows`); their values are floats or ``(n,)`` draws.
    views
        Keys of :data:`VIEWS`.
    effect
        ``(H,)`` one effect path, or ``(H, n)`` one per draw (time-major).
    n_employees
        :math:`N`, the employees reached.
    rate, guidance_months
        Annual discount rate and months of extra guidance (floats or ``(n,)``).
    sroi
        ``sroi_deadweight``, ``sroi_attribution``, ``sroi_drop_off`` for the SROI view.

    Notes
    -----
    For a view with upfront, guidance, employment and exit coefficients :math:`K, G, a, b`:
    :math:`PV_{costs} = -(K + G \\sum_t d_t g_t)` and
    :math:`PV_{effects} = N \\sum_t d_t f_t (a e_t + b \\Delta e_t)`, with
    :math:`d_t = (1 + r)^{-t/12}`, guidance :math:`g_t = \\min(1, \\max(0, M - t))` (full
    rate for :math:`M` months, a fractional last month), and :math:`f_t = 1` except in
    the SROI view, where :math:`f_t = (1 - \\text{deadweight})(1 - \\text{attribution})
    (1 - \\text{drop-off})^{\\lfloor t/12 \\rfloor}` (Social Value UK 2012). The loop runs
    over months with vectors of at most :data:`CHUNK` draws, so memory stays small.
    """
    e = np.asarray(effect, dtype=float)
    e = e[:, None] if e.ndim == 1 else e
    rate = _col(rate)
    if np.any(rate <= -1):
        raise InvalidCostBenefitOptionError(f"discount rate {rate.min()}: give a rate above -1")
    s = sroi or {"sroi_deadweight": 0.0, "sroi_attribution": 0.0, "sroi_drop_off": 0.0}
    per_draw: dict[str, np.ndarray] = {
        "log_growth": np.log1p(rate) / 12.0,
        "m": _col(guidance_months),
        "keep": _col((1 - s["sroi_deadweight"]) * (1 - s["sroi_attribution"])),
        "drop": _col(s["sroi_drop_off"]),
    }
    for v in views:
        c = {k: _col(x) for k, x in coefficients(fl, v).items()}
        per_draw |= {
            f"{v}.upfront": c["upfront"],
            f"{v}.guidance": c["guidance"],
            f"{v}.na": n_employees * c["employment"],
            f"{v}.nb": n_employees * c["exit"],
        }
    n = max([e.shape[1], *(x.size for x in per_draw.values())])
    parts: list[tuple[int, Evaluation]] = []
    for start in range(0, n, CHUNK):
        sl = slice(start, min(start + CHUNK, n))
        part = {k: x if x.size == 1 else x[sl] for k, x in per_draw.items()}
        ec = e if e.shape[1] == 1 else e[:, sl]
        parts.append((sl.stop - sl.start, _evaluate_chunk(ec, part, views, with_break_even)))
    if len(parts) == 1:
        return parts[0][1]

    def joined(get: Any) -> np.ndarray:
        return np.concatenate([np.broadcast_to(get(ev), (m,)) for m, ev in parts])

    return Evaluation(
        views={
            v: ViewResult(
                pv_costs=joined(lambda ev, v=v: ev.views[v].pv_costs),
                pv_effects=joined(lambda ev, v=v: ev.views[v].pv_effects),
                break_even=(
                    joined(lambda ev, v=v: ev.views[v].break_even) if with_break_even else None
                ),
            )
            for v in views
        },
        months=joined(lambda ev: ev.months),
        exits=joined(lambda ev: ev.exits),
        guidance=joined(lambda ev: ev.guidance),
    )


def _evaluate_chunk(
    e: np.ndarray, c: dict[str, np.ndarray], views: Sequence[str], with_break_even: bool
) -> Evaluation:
    h = e.shape[0]
    n = max(e.shape[1], *(x.size for x in c.values()))

    def stack(key: str) -> np.ndarray:
        if not views:
            return np.zeros((0, n))
        return np.stack([np.broadcast_to(c[f"{v}.{key}"], (n,)) for v in views])

    upfront, guid, na, nb = stack("upfront"), stack("guidance"), stack("na"), stack("nb")
    is_sroi = np.array([v == "sroi" for v in views])[:, None]
    cum = upfront.copy()
    last_bad = np.full(cum.shape, -1.0)
    months = exits = guidance = np.zeros(1)
    prev = np.zeros(e.shape[1])
    # After the last month with an effect (or a change in it) and the end of the guidance,
    # nothing flows any more: stop there and carry the cumulative sums to the horizon.
    moving = np.flatnonzero(np.any(e != 0, axis=1))
    m_end = math.ceil(float(np.max(c["m"]))) if np.isfinite(np.max(c["m"])) else h
    stop = min(h, max(int(moving[-1]) + 2 if moving.size else 0, m_end, 1))
    for t in range(stop):
        d = np.exp(-c["log_growth"] * t)
        et = e[t]
        ed, xd = et * d, (et - prev) * d
        prev = et
        months, exits = months + ed, exits + xd
        step = na * ed + nb * xd
        if is_sroi.any():
            step = step * np.where(is_sroi, c["keep"] * (1 - c["drop"]) ** (t // 12), 1.0)
        if t < m_end:
            gd = np.clip(c["m"] - t, 0.0, 1.0) * d
            guidance = guidance + gd
            step = step + guid * gd
        cum += step
        if with_break_even:
            last_bad = np.where(cum < -1e-6, float(t), last_bad)
    if with_break_even and stop < h:
        last_bad = np.where(cum < -1e-6, float(h - 1), last_bad)
    pv_costs = -(upfront + guid * guidance)
    pv_effects = cum + pv_costs
    be = np.where(last_bad == h - 1, np.nan, last_bad + 1.0) if with_break_even else None
    out = {
        v: ViewResult(
            pv_costs=pv_costs[i],
            pv_effects=pv_effects[i],
            break_even=None if be is None else be[i],
        )
        for i, v in enumerate(views)
    }
    return Evaluation(views=out, months=months, exits=exits, guidance=guidance)
