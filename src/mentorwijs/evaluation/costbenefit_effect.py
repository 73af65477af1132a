"""The employment effect profile over the cost–benefit horizon.

The effect evaluation delivers effects by month since the start (``event_month``,
``estimate``, ``se`` or a 95 % interval); :func:`effect_profile` lays them over the horizon:
linear interpolation between estimated months, and a documented, parameterised rule after
the last one (zero by default: conservative).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.errors import (
    InvalidCostBenefitOptionError,
    InvalidEffectProfileError,
    InvalidHorizonError,
    MissingColumnsError,
)

EXTRAPOLATIONS = ("zero", "constant", "linear")
#: The 97.5 % quantile of the standard normal distribution.
Z95 = 1.959963984540054


def check_horizon(horizon_months: Any) -> int:
    """The horizon as an int; :class:`InvalidHorizonError` unless a whole number >= 1."""
    ok = isinstance(horizon_months, int | np.integer) and not isinstance(horizon_months, bool)
    if not ok or horizon_months < 1:
        raise InvalidHorizonError(
            f"horizon_months={horizon_months!r}: give a whole number of months of at least 1"
        )
    return int(horizon_months)


@dataclass(frozen=True, eq=False)
class EffectProfile:
    """The employment effect over the horizon: ``estimate @ weights``.

    Attributes
    ----------
    months, estimate, se
        ``(q,)`` the estimated event months (>= 0) with their effects and standard errors.
    weights
        ``(q, H)``: month ``t`` of the horizon is ``sum_i estimate_i * weights[i, t]``
        (1 at an estimated month, linear interpolation between them, the extrapolation
        rule after the last).
    extrapolation, decay_months, n_treated
        The rule after the last estimated month, and the treated count if given.
    """

    months: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    weights: np.ndarray
    extrapolation: str
    decay_months: int
    n_treated: int | None = None

    @property
    def horizon(self) -> np.ndarray:
        """``(H,)`` the effect in each month of the horizon."""
        return self.estimate @ self.weights

    def table(self, correlation: float = 1.0) -> pd.DataFrame:
        """``event_month``, ``estimate``, ``se``, ``basis`` (estimated / interpolated /
        extrapolated) over the horizon; ``se`` from the equicorrelation ``correlation``."""
        common = self.se @ self.weights
        own = (self.se**2) @ (self.weights**2)
        se = np.sqrt(correlation * common**2 + (1 - correlation) * own)
        h = self.weights.shape[1]
        t = np.arange(h)
        basis = np.where(t > self.months.max(), "extrapolated", "interpolated")
        basis[np.isin(t, self.months)] = "estimated"
        return pd.DataFrame({"event_month": t, "estimate": self.horizon, "se": se, "basis": basis})


def effect_profile(
    effect: pd.DataFrame,
    *,
    horizon_months: int = 60,
    extrapolation: str = "zero",
    decay_months: int = 12,
) -> EffectProfile:
    """Read an effect table and lay it over the horizon.

    Parameters
    ----------
    effect
        Tidy effects by month since the start: ``event_month``, ``estimate`` and ``se``
        (or ``ci_low`` and ``ci_high`` of a 95 % interval), optionally ``n_treated``.
        Negative event months (pre-periods, placebo) are left out.
    horizon_months
        Months 0 … horizon - 1.
    extrapolation
        After the last estimated month :math:`m`: ``"zero"`` (the default, conservative),
        ``"constant"`` (held at :math:`e_m`), or ``"linear"``
        (:math:`e_t = e_m \\max(0, 1 - (t - m)/D)` with :math:`D` = ``decay_months``).
    decay_months
        :math:`D` of the linear rule.

    Notes
    -----
    Months between estimates are interpolated linearly (with a warning); before the first
    estimated month the effect rises linearly from 0 at month -1, the reference month of
    the event study.
    """
    horizon = check_horizon(horizon_months)
    if extrapolation not in EXTRAPOLATIONS:
        raise InvalidCostBenefitOptionError(
            f"extrapolation {extrapolation!r} is unknown: choose one of {list(EXTRAPOLATIONS)}"
        )
    if not isinstance(decay_months, int | np.integer) or decay_months < 1:
        raise InvalidCostBenefitOptionError(f"decay_months={decay_months!r}: give an int >= 1")
    has_ci = {"ci_low", "ci_high"} <= set(effect.columns)
    missing = [c for c in ("event_month", "estimate") if c not in effect.columns]
    if "se" not in effect.columns and not has_ci:
        missing.append("se (or ci_low and ci_high)")
    if missing:
        raise MissingColumnsError(f"the effect table lacks columns {missing}: add them")
    month = pd.to_numeric(effect["event_month"], errors="coerce").astype(float)
    if month.isna().any():
        raise InvalidEffectProfileError("event_month must be a whole number in every row")
    df = effect[month.to_numpy() >= 0]
    if df.empty:
        raise InvalidEffectProfileError("the effect table has no event month >= 0: add them")
    months_f = df["event_month"].to_numpy(dtype=float)
    if np.any(months_f != np.round(months_f)) or len(set(months_f)) != len(months_f):
        raise InvalidEffectProfileError("event_month must be whole months, each once")
    est = df["estimate"].to_numpy(dtype=float, na_value=np.nan)
    se = (
        df["se"].to_numpy(dtype=float, na_value=np.nan)
        if "se" in df.columns
        else np.full(len(df), np.nan)
    )
    if has_ci:
        from_ci = (
            df["ci_high"].to_numpy(dtype=float, na_value=np.nan)
            - df["ci_low"].to_numpy(dtype=float, na_value=np.nan)
        ) / (2 * Z95)
        se = np.where(np.isnan(se), from_ci, se)
    if not (np.isfinite(est).all() and np.isfinite(se).all() and (se >= 0).all()):
        raise InvalidEffectProfileError(
            "estimate and se must be finite and se >= 0 in every month: fill or drop the rows"
        )
    order = np.argsort(months_f)
    months, est, se = months_f[order].astype(int), est[order], se[order]
    gaps = sorted(set(range(int(months[0]), min(int(months[-1]), horizon - 1) + 1)) - set(months))
    if gaps:
        warnings.warn(
            f"event months {gaps} have no estimate: interpolated linearly",
            UserWarning,
            stacklevel=2,
        )
    weights = np.zeros((len(months), horizon))
    for t in range(horizon):
        i = int(np.searchsorted(months, t))
        if i < len(months) and months[i] == t:
            weights[i, t] = 1.0
        elif i == 0:
            weights[0, t] = (t + 1) / (months[0] + 1)
        elif i < len(months):
            span = months[i] - months[i - 1]
            weights[i - 1, t] = (months[i] - t) / span
            weights[i, t] = (t - months[i - 1]) / span
        elif extrapolation == "constant":
            weights[-1, t] = 1.0
        elif extrapolation == "linear":
            weights[-1, t] = max(0.0, 1.0 - (t - months[-1]) / decay_months)
    n_treated = None
    if "n_treated" in df.columns and df["n_treated"].notna().any():
        n_treated = int(df["n_treated"].max())
    return EffectProfile(months, est, se, weights, extrapolation, int(decay_months), n_treated)
