"""Uncertainty of the cost–benefit analysis: one-way sensitivity (tornado) and the
probabilistic analysis (joint draws of every parameter and of the effect profile).

Fitting rule: a parameter's ``low``–``high`` range is its central 95 % interval. Beta
(shares), gamma and log-normal (amounts) distributions are fitted so that their 2.5 % and
97.5 % quantiles equal ``low`` and ``high`` exactly; a normal one has mean
``(low + high) / 2`` and SD ``(high - low) / 3.92``; ``fixed`` parameters are not drawn.
The base case uses each ``value``; the draws centre where the range puts them, so for a
skewed range the mean of the draws differs from ``value``.

The effect profile is drawn as :math:`\\hat e_i + s_i(\\sqrt\\rho\\,z_0 + \\sqrt{1-\\rho}\\,
z_i)` at the estimated months (equicorrelation :math:`\\rho`; 1 by default, which gives the
widest interval of the effect summed over months when the months' covariance is not at
hand) and laid over the horizon with the profile's weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from mentorwijs.evaluation.costbenefit_effect import Z95, EffectProfile
from mentorwijs.evaluation.costbenefit_flows import Evaluation, evaluate, flows
from mentorwijs.evaluation.costs_registry import CostQuantities
from mentorwijs.evaluation.errors import (
    InvalidCostBenefitOptionError,
    InvalidCostParametersError,
)
from mentorwijs.protocol.costs import CostParameter, CostParameters

SROI_NAMES = ("sroi_deadweight", "sroi_attribution", "sroi_drop_off")
TORNADO_COLUMNS = [
    "view",
    "parameter",
    "base_value",
    "low_value",
    "high_value",
    "npv_base",
    "npv_low",
    "npv_high",
    "swing",
]
EFFECT_ROW = "employment_effect"


@lru_cache(maxsize=256)
def _fit_gamma(low: float, high: float) -> tuple[float, float]:
    ratio = math.log(high / low)

    def gap(log_k: float) -> float:
        k = math.exp(log_k)
        return math.log(stats.gamma.isf(0.025, k)) - math.log(stats.gamma.ppf(0.025, k)) - ratio

    if gap(-2.0) < 0:
        raise InvalidCostParametersError(
            f"the range {low}-{high} is too wide for a gamma distribution: use lognormal"
        )
    log_k = optimize.brentq(gap, -2.0, 25.0, xtol=1e-12)
    k = math.exp(log_k)
    return k, low / float(stats.gamma.ppf(0.025, k))


@lru_cache(maxsize=256)
def _fit_beta(low: float, high: float) -> tuple[float, float]:
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    nu = max(mean * (1 - mean) / sd**2 - 1, 0.5)
    start = np.log([mean * nu, (1 - mean) * nu])

    def gap(x: np.ndarray) -> np.ndarray:
        a, b = np.exp(x)
        return np.array([stats.beta.ppf(0.025, a, b) - low, stats.beta.ppf(0.975, a, b) - high]) / (
            high - low
        )

    fit = optimize.least_squares(gap, start, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    if np.max(np.abs(fit.fun)) > 1e-6:
        raise InvalidCostParametersError(
            f"no beta distribution has the 95 % interval {low}-{high}: narrow the range"
        )
    a, b = np.exp(fit.x)
    return float(a), float(b)


def fit_distribution(param: CostParameter) -> tuple[str, tuple[float, ...]]:
    """The distribution a parameter is drawn from, fitted to its range (see module notes).

    Returns
    -------
    tuple
        ``("fixed", (value,))``, ``("normal", (mean, sd))``, ``("lognormal", (mu, sigma))``
        of the logarithm, ``("gamma", (shape, scale))`` or ``("beta", (a, b))``.

    Examples
    --------
    >>> from mentorwijs.protocol.costs import load_cost_parameters
    >>> fam, (mu, sigma) = fit_distribution(load_cost_parameters().get("licence_per_group"))
    >>> fam, round(float(np.exp(mu)), 2)
    ('lognormal', 489.9)
    """
    lo, hi = float(param.low), float(param.high)
    match param.distribution:
        case "fixed":
            return "fixed", (float(param.value),)
        case "normal":
            return "normal", ((lo + hi) / 2, (hi - lo) / (2 * Z95))
        case "lognormal":
            return "lognormal", ((math.log(lo) + math.log(hi)) / 2, math.log(hi / lo) / (2 * Z95))
        case "gamma":
            return "gamma", _fit_gamma(lo, hi)
        case "beta":
            return "beta", _fit_beta(lo, hi)
    raise InvalidCostParametersError(f"unknown distribution {param.distribution!r}")


def draw_parameters(params: CostParameters, n: int, rng: np.random.Generator) -> dict[str, Any]:
    """``n`` joint draws of every parameter (independent), in sorted name order.

    Returns
    -------
    dict
        name → ``(n,)`` array, or the value (a float) for a ``fixed`` parameter.
    """
    out: dict[str, Any] = {}
    for name in sorted(params.parameters):
        fam, args = fit_distribution(params.parameters[name])
        match fam:
            case "fixed":
                out[name] = args[0]
            case "normal":
                out[name] = rng.normal(args[0], args[1], n)
            case "lognormal":
                out[name] = rng.lognormal(args[0], args[1], n)
            case "gamma":
                out[name] = _gamma(rng, args[0], n) * args[1]
            case "beta":
                if min(args) < 1:
                    out[name] = rng.beta(args[0], args[1], n)
                else:
                    x, y = _gamma(rng, args[0], n), _gamma(rng, args[1], n)
                    out[name] = x / (x + y)
    return out


def _gamma(rng: np.random.Generator, shape: float, n: int) -> np.ndarray:
    """Standard gamma draws; single precision (twice as fast) when the shape is >= 1, where
    a draw cannot underflow, then widened to double precision."""
    if shape < 1:
        return rng.standard_gamma(shape, n)
    return rng.standard_gamma(shape, n, dtype=np.float32).astype(np.float64)


def draw_effects(
    profile: EffectProfile, n: int, rng: np.random.Generator, *, correlation: float = 1.0
) -> np.ndarray:
    """``(H, n)`` draws of the effect over the horizon, time-major (see module notes)."""
    if not 0.0 <= correlation <= 1.0:
        raise InvalidCostBenefitOptionError(
            f"effect_correlation={correlation}: give a number from 0 to 1"
        )
    w = profile.weights
    common = rng.standard_normal(n)
    if correlation == 1.0:  # one draw per path: an outer product, no matrix product needed
        paths = np.multiply.outer(profile.se @ w, common)
        paths += profile.horizon[:, None]
        return paths
    own = rng.standard_normal((len(profile.months), n))
    z = math.sqrt(correlation) * common[None, :] + math.sqrt(1.0 - correlation) * own
    return w.T @ (profile.estimate[:, None] + profile.se[:, None] * z)


def _sroi(p: dict[str, Any]) -> dict[str, Any]:
    return {k: p[k] for k in SROI_NAMES}


def evaluate_draws(
    quantities: CostQuantities,
    p: dict[str, Any],
    effect: np.ndarray,
    *,
    views: Sequence[str],
    with_break_even: bool = True,
) -> Evaluation:
    """Every view's results for parameter draws ``p`` and effect paths ``(H,)`` or ``(H, n)``."""
    return evaluate(
        flows(quantities, p),
        views,
        effect,
        n_employees=float(quantities.employees_reached),
        rate=p["discount_rate"],
        guidance_months=p["extra_guidance_months"],
        sroi=_sroi(p),
        with_break_even=with_break_even,
    )


def tornado(
    params: CostParameters,
    quantities: CostQuantities,
    profile: EffectProfile,
    *,
    views: Sequence[str] = ("public_budget", "mkba"),
) -> pd.DataFrame:
    """One-way sensitivity: the NPV with each parameter at its low and at its high value.

    Every other parameter stays at its base value. The row ``employment_effect`` sets the
    estimated effects to their 95 % bounds (:math:`\\hat e \\pm 1.96\\,s`) at once; its
    ``low_value`` and ``high_value`` are the months of work gained per employee over the
    horizon (undiscounted).

    Returns
    -------
    DataFrame
        :data:`TORNADO_COLUMNS`, one row per view and parameter, sorted by view and by
        ``swing`` = ``|npv_high - npv_low|`` (largest first).
    """
    names = sorted(params.parameters)
    base = params.values()
    k = len(names)
    rows = 1 + 2 * k + 2
    p: dict[str, Any] = {}
    for j, name in enumerate(names):
        col = np.full(rows, base[name], dtype=float)
        col[1 + 2 * j] = params.parameters[name].low
        col[2 + 2 * j] = params.parameters[name].high
        p[name] = col
    effect = np.tile(profile.horizon[:, None], (1, rows))
    effect[:, -2] = (profile.estimate - Z95 * profile.se) @ profile.weights
    effect[:, -1] = (profile.estimate + Z95 * profile.se) @ profile.weights
    res = evaluate_draws(quantities, p, effect, views=views, with_break_even=False).views
    labels = [*names, EFFECT_ROW]
    low_v = [params.parameters[n].low for n in names] + [float(effect[:, -2].sum())]
    high_v = [params.parameters[n].high for n in names] + [float(effect[:, -1].sum())]
    base_v = [base[n] for n in names] + [float(profile.horizon.sum())]
    parts = []
    for view in views:
        npv = res[view].npv
        lo_idx = [*(1 + 2 * j for j in range(k)), rows - 2]
        hi_idx = [*(2 + 2 * j for j in range(k)), rows - 1]
        part = pd.DataFrame(
            {
                "view": view,
                "parameter": labels,
                "base_value": base_v,
                "low_value": low_v,
                "high_value": high_v,
                "npv_base": float(npv[0]),
                "npv_low": npv[lo_idx],
                "npv_high": npv[hi_idx],
            }
        )
        part["swing"] = (part["npv_high"] - part["npv_low"]).abs()
        parts.append(part.sort_values("swing", ascending=False, kind="stable"))
    return pd.concat(parts, ignore_index=True)[TORNADO_COLUMNS]


def acceptability(npv: np.ndarray, months: np.ndarray, wtp: Any) -> np.ndarray:
    """:math:`P(NPV + \\lambda M > 0)` over draws, for each willingness to pay :math:`\\lambda`.

    Notes
    -----
    A draw with :math:`M > 0` is positive when :math:`\\lambda > -NPV/M`, one with
    :math:`M < 0` when :math:`\\lambda < -NPV/M`, one with :math:`M = 0` when
    :math:`NPV > 0`; sorting the thresholds gives every :math:`\\lambda` in
    :math:`O(n \\log n)`.
    """
    lam = np.asarray(wtp, dtype=float)
    up, down, flat = months > 0, months < 0, months == 0
    t_up = np.sort(-npv[up] / months[up])
    t_down = np.sort(-npv[down] / months[down])
    count = (
        np.searchsorted(t_up, lam, side="left")
        + (len(t_down) - np.searchsorted(t_down, lam, side="right"))
        + np.count_nonzero(npv[flat] > 0)
    )
    return count / len(npv)


@dataclass(frozen=True, eq=False)
class PSAResult:
    """The probabilistic analysis: summary, break-even distribution, acceptability curve.

    Attributes
    ----------
    summary
        Per view: ``view``, ``n_draws``, ``seed``, ``pv_costs_mean``, ``pv_effects_mean``,
        ``npv_mean``, ``npv_sd``, ``npv_ci_low``, ``npv_ci_high`` (2.5 % and 97.5 %
        quantiles), ``p_npv_positive``, ``bcr_median``, ``p_break_even`` (share of draws
        that break even within the horizon), ``break_even_median`` (NaN when most draws
        never break even).
    break_even
        ``view``, ``break_even_month`` (missing = not within the horizon), ``draws``,
        ``share``.
    acceptability
        ``view``, ``wtp_per_month`` (euros the budget holder is willing to pay per extra
        month of work, discounted), ``p_positive`` = P(NPV + wtp × months gained > 0).
    npv
        view → ``(n,)`` NPV of each draw (kept for figures).
    """

    summary: pd.DataFrame
    break_even: pd.DataFrame
    acceptability: pd.DataFrame
    npv: dict[str, np.ndarray]


def probabilistic_analysis(
    params: CostParameters,
    quantities: CostQuantities,
    profile: EffectProfile,
    *,
    n_draws: int = 10_000,
    seed: int = 2023,
    effect_correlation: float = 1.0,
    views: Sequence[str] = ("public_budget", "municipality", "mkba"),
    wtp_per_month: Sequence[float] | None = None,
    acceptability_views: Sequence[str] = ("municipality", "public_budget"),
) -> PSAResult:
    """Joint draws of every parameter and the effect profile, vectorised over draws.

    Parameters
    ----------
    n_draws, seed
        Number of draws and the seed of :func:`numpy.random.default_rng`: the same seed
        gives the same draws. Parameters are drawn first (sorted by name), then effects.
    effect_correlation
        :math:`\\rho` of the effect draws across event months.
    wtp_per_month
        Willingness to pay per extra month of work for the acceptability curve;
        ``None``: 0 to 5,000 euros in steps of 100.

    Notes
    -----
    The acceptability curve is :math:`P(NPV_v + \\lambda M > 0)` with :math:`M` the
    discounted months of work gained by all employees reached (Fenwick et al. 2001).

    References
    ----------
    .. [1] Briggs A, Claxton K, Sculpher M (2006). Decision Modelling for Health Economic
       Evaluation, ch. 4. Oxford University Press.
    .. [2] Fenwick E, Claxton K, Sculpher M (2001). Representing uncertainty: the role of
       cost-effectiveness acceptability curves. Health Economics 10:779-787.
    """
    if not isinstance(n_draws, int | np.integer) or n_draws < 2:
        raise InvalidCostBenefitOptionError(f"n_draws={n_draws!r}: give a whole number >= 2")
    rng = np.random.default_rng(seed)
    p = draw_parameters(params, int(n_draws), rng)
    effect = draw_effects(profile, int(n_draws), rng, correlation=effect_correlation)
    all_views = list(dict.fromkeys([*views, *acceptability_views]))
    ev = evaluate_draws(quantities, p, effect, views=all_views)
    res = ev.views
    h = effect.shape[0]
    rows, be_rows = [], []
    for v in views:
        r = res[v]
        npv = np.broadcast_to(r.npv, (n_draws,))
        be = np.broadcast_to(np.asarray(r.break_even, dtype=float), (n_draws,))
        with np.errstate(divide="ignore", invalid="ignore"):
            bcr = np.where(r.pv_costs > 0, r.pv_effects / r.pv_costs, np.nan)
        med = float(np.median(np.where(np.isnan(be), np.inf, be)))
        lo, hi = np.quantile(npv, [0.025, 0.975])
        rows.append(
            {
                "view": v,
                "n_draws": int(n_draws),
                "seed": seed,
                "pv_costs_mean": float(np.mean(r.pv_costs)),
                "pv_effects_mean": float(np.mean(r.pv_effects)),
                "npv_mean": float(npv.mean()),
                "npv_sd": float(npv.std(ddof=1)),
                "npv_ci_low": float(lo),
                "npv_ci_high": float(hi),
                "p_npv_positive": float(np.mean(npv > 0)),
                "bcr_median": float(np.nanmedian(bcr)) if np.isfinite(bcr).any() else np.nan,
                "p_break_even": float(np.mean(~np.isnan(be))),
                "break_even_median": med if np.isfinite(med) else np.nan,
            }
        )
        counts = np.bincount(np.nan_to_num(be, nan=h).astype(int), minlength=h + 1)
        be_rows.append(
            pd.DataFrame(
                {
                    "view": v,
                    "break_even_month": pd.array([*range(h), None], dtype="Int64"),
                    "draws": counts,
                    "share": counts / n_draws,
                }
            )
        )
    grid = np.arange(0.0, 5001.0, 100.0) if wtp_per_month is None else np.asarray(wtp_per_month)
    months = np.broadcast_to(float(quantities.employees_reached) * ev.months, (n_draws,))
    acc = []
    for v in acceptability_views:
        npv = np.broadcast_to(res[v].npv, (n_draws,))
        acc.append(
            pd.DataFrame(
                {
                    "view": v,
                    "wtp_per_month": grid,
                    "p_positive": acceptability(npv, months, grid),
                }
            )
        )
    return PSAResult(
        summary=pd.DataFrame(rows),
        break_even=pd.concat(be_rows, ignore_index=True),
        acceptability=pd.concat(acc, ignore_index=True),
        npv={v: np.broadcast_to(res[v].npv, (n_draws,)).copy() for v in views},
    )
