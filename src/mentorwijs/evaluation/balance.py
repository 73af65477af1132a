"""Covariate balance before and after matching: standardised differences, variance ratios."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mentorwijs.evaluation.propensity import DEFAULT_COLUMNS, _bool, _expand

if TYPE_CHECKING:
    from mentorwijs.evaluation.matching import MatchResult


def _wmean_var(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means and unbiased (reliability-weight) variances of the columns of x."""
    sw, sw2 = w.sum(), (w**2).sum()
    mean = (w @ x) / sw
    ss = w @ (x - mean) ** 2
    denom = sw - sw2 / sw
    var = ss / denom if denom > 0 else np.full(x.shape[1], np.nan)
    return mean, var


def balance(
    covariates: pd.DataFrame,
    result: MatchResult,
    *,
    treatment: str = "treated",
    columns: Sequence[str] = DEFAULT_COLUMNS,
) -> pd.DataFrame:
    """Standardised mean differences and variance ratios before and after matching.

    Parameters
    ----------
    covariates
        The covariates that were matched (with ``person_id``).
    result
        From :func:`match`.
    treatment, columns
        Treatment column and covariates; categories get one row per level.

    Returns
    -------
    DataFrame
        One row per term: ``term``, ``variable``, ``level`` (None for numeric columns),
        ``mean_treated_before``, ``mean_control_before``, ``smd_before``,
        ``variance_ratio_before``, ``mean_treated_after``, ``mean_control_after``,
        ``smd_after``, ``variance_ratio_after``, ``n_treated_before``, ``n_control_before``,
        ``n_treated_after``, ``n_control_after`` (distinct matched persons).

    Notes
    -----
    :math:`d = (\\bar x_1 - \\bar x_0) / \\sqrt{(s_1^2 + s_0^2)/2}` with the variances of
    the unmatched sample in the denominator both before and after matching, so that the two
    differences are on one scale (Austin 2009); after matching the controls' mean and
    variance are weighted by the matching weights (unbiased weighted variance
    :math:`\\sum w (x-\\bar x)^2 / (\\sum w - \\sum w^2 / \\sum w)`). The variance ratio is
    :math:`s_1^2 / s_0^2`. |d| < 0.1 is the usual mark of balance.

    References
    ----------
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
    covariates between treatment groups in propensity-score matched samples. Statistics in
    Medicine 28(25), 3083-3107.
    """
    treated = _bool(covariates, treatment)
    x, terms, variables, levels = _expand(covariates, columns)
    w = (
        covariates["person_id"]
        .map(result.weights.set_index("person_id")["weight"])
        .fillna(0.0)
        .to_numpy(dtype=np.float64)
    )
    one = np.ones
    mt, vt = _wmean_var(x[treated], one(treated.sum()))
    mc, vc = _wmean_var(x[~treated], one((~treated).sum()))
    sel_t, sel_c = treated & (w > 0), ~treated & (w > 0)
    mta, vta = _wmean_var(x[sel_t], w[sel_t])
    mca, vca = _wmean_var(x[sel_c], w[sel_c])
    sd = np.sqrt((vt + vc) / 2)
    flat = ~(sd > 0)
    if flat.any():
        warnings.warn(
            f"terms {[t for t, f in zip(terms, flat, strict=True) if f]} do not vary: "
            "their standardised differences are NaN",
            UserWarning,
            stacklevel=2,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.where(flat, np.nan, sd)
        return pd.DataFrame(
            {
                "term": terms,
                "variable": variables,
                "level": levels,
                "mean_treated_before": mt,
                "mean_control_before": mc,
                "smd_before": (mt - mc) / sd,
                "variance_ratio_before": vt / vc,
                "mean_treated_after": mta,
                "mean_control_after": mca,
                "smd_after": (mta - mca) / sd,
                "variance_ratio_after": vta / vca,
                "n_treated_before": int(treated.sum()),
                "n_control_before": int((~treated).sum()),
                "n_treated_after": int(sel_t.sum()),
                "n_control_after": int(sel_c.sum()),
            }
        )
