"""Two-way fixed-effects regression with clustered errors, and the naive TWFE event study.

:func:`fe_regression` is a small, general least-squares engine (up to two absorbed fixed
effects, weights, one-way clustering) used for textbook checks and for
:func:`twfe_event_study`, the naive event study on the unstacked panel. The latter is here for
comparison only: with staggered starts and effects that differ by start cohort it is biased
(Sun & Abraham 2021; Goodman-Bacon 2021). Use :func:`mentorwijs.evaluation.did.event_study`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mentorwijs.evaluation.did_inference import SSC, cluster_sums, cr1_factor, t_inference
from mentorwijs.evaluation.did_panel import (
    check_window,
    dense_outcomes,
    parse_months,
)
from mentorwijs.evaluation.did_result import EventStudyResult
from mentorwijs.evaluation.errors import DemeaningError, InvalidWindowError


def _indicator(codes: np.ndarray, n_levels: int) -> sparse.csr_matrix:
    n = len(codes)
    return sparse.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_levels, n))


def demean(
    m: np.ndarray,
    fixed_effects: Sequence[np.ndarray],
    weight: np.ndarray,
    *,
    tol: float = 1e-12,
    max_iter: int = 10_000,
) -> np.ndarray:
    """Weighted within transformation of the columns of ``m`` ``(N, p)``.

    Alternating projections (the method of fixest and reghdfe; Gaure 2013, Comput Stat Data
    Anal 66): subtract each fixed effect's weighted group means in turn until the largest
    change falls below ``tol`` times the data's scale. One fixed effect, or two on a balanced
    panel, converge in one or two sweeps.
    """
    out = np.array(m, dtype=np.float64, copy=True)
    if not fixed_effects:
        return out
    groups = []
    for codes in fixed_effects:
        ind = _indicator(codes, int(codes.max()) + 1)
        groups.append((ind, ind @ weight, codes))
    scale = max(float(np.abs(out).max()), 1.0)
    for _ in range(max_iter):
        change = 0.0
        for ind, total, codes in groups:
            means = np.asarray(ind @ (weight[:, None] * out)) / total[:, None]
            out -= means[codes]
            change = max(change, float(np.abs(means).max()))
        if len(groups) == 1 or change < tol * scale:
            return out
    raise DemeaningError(
        f"absorbing the fixed effects did not converge in {max_iter} sweeps: check for "
        "a badly connected panel"
    )


def _df_k(k: int, levels: list[int], nested: list[bool], n_components: int, ssc: SSC) -> int:
    """``K`` of the CR1 factor for ``k`` regressors and absorbed fixed effects.

    ``"nested"`` follows fixest (pyfixest ``get_ssc(k_fixef="nonnested")``): all levels, less
    one per extra fixed effect, less the levels of fixed effects nested in the clusters, plus
    one per nested fixed effect. ``"rank"``: the rank of the dummy design, ``k`` plus the
    levels less one per connected group of a second fixed effect (Stata ``regress`` with
    dummies). ``"none"``: ``k`` only.
    """
    if ssc == "none" or not levels:
        return k
    if ssc == "rank":
        return k + sum(levels) - (n_components if len(levels) == 2 else 0)
    if ssc == "nested":
        k_fe = sum(levels) - (len(levels) - 1)
        dropped = sum(lv for lv, x in zip(levels, nested, strict=True) if x)
        return k + k_fe - dropped + sum(nested)
    raise ValueError(f"unknown ssc {ssc!r}: choose 'nested', 'rank' or 'none'")


def _nested(codes: np.ndarray, cluster: np.ndarray) -> bool:
    """Whether every level of a fixed effect lies within one cluster."""
    pairs = np.unique(codes.astype(np.int64) * (int(cluster.max()) + 1) + cluster)
    return len(pairs) == len(np.unique(codes))


def _components(f1: np.ndarray, f2: np.ndarray, n1: int, n2: int) -> int:
    """Connected groups of two fixed effects; each makes one level of the second redundant."""
    edges = sparse.csr_matrix((np.ones(len(f1)), (f1, n1 + f2)), shape=(n1 + n2, n1 + n2))
    return int(connected_components(edges, directed=False)[0])


def fe_fit(
    y: np.ndarray,
    x: np.ndarray,
    fixed_effects: Sequence[np.ndarray],
    cluster: np.ndarray,
    *,
    weight: np.ndarray | None = None,
    ssc: SSC = "nested",
) -> dict[str, np.ndarray]:
    """Least squares with absorbed fixed effects and a CR1 clustered covariance (arrays).

    ``y`` ``(N,)``, ``x`` ``(N, k)``; each fixed effect and ``cluster`` are ``(N,)`` integer
    codes ``0..L-1``. Returns ``beta`` ``(k,)``, ``vcov`` ``(k, k)`` and, as 0-d arrays,
    ``n_clusters``, ``n_obs`` and ``df_k``.

    Notes
    -----
    By Frisch-Waugh-Lovell, ``beta = (X~' W X~)^{-1} X~' W y~`` on the within-transformed
    data, and ``V = c (X~'WX~)^{-1} (sum_g s_g s_g') (X~'WX~)^{-1}`` with
    ``s_g = sum_{i in g} w_i x~_i u_i`` and ``c`` the CR1 factor (``cr1_factor``).
    """
    n = len(y)
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
    both = demean(np.column_stack([y, x]), fixed_effects, w)
    yt, xt = both[:, 0].copy(), np.ascontiguousarray(both[:, 1:])
    bread = np.linalg.inv(xt.T @ (w[:, None] * xt))
    beta = bread @ (xt.T @ (w * yt))
    resid = yt - xt @ beta
    n_clusters = int(cluster.max()) + 1
    meat = cluster_sums(xt * (w * resid)[:, None], cluster, n_clusters)
    levels = [int(f.max()) + 1 for f in fixed_effects]
    nested = [_nested(f, cluster) for f in fixed_effects]
    n_comp = (
        _components(fixed_effects[0], fixed_effects[1], levels[0], levels[1])
        if len(levels) == 2
        else 1
    )
    k = _df_k(x.shape[1], levels, nested, n_comp, ssc)
    factor = cr1_factor(n_obs=n, n_params=k, n_clusters=n_clusters)
    return {
        "beta": beta,
        "vcov": factor * bread @ np.einsum("gi,gj->ij", meat, meat) @ bread,
        "n_clusters": np.asarray(n_clusters),
        "n_obs": np.asarray(n),
        "df_k": np.asarray(k),
    }


def fe_regression(
    data: pd.DataFrame,
    *,
    outcome: str,
    regressors: Sequence[str],
    fixed_effects: Sequence[str] = (),
    cluster: str,
    weights: str | None = None,
    ssc: SSC = "nested",
    level: float = 0.95,
) -> pd.DataFrame:
    """Regression of ``outcome`` on ``regressors`` with absorbed fixed effects, clustered.

    Parameters
    ----------
    data
        One row per observation.
    outcome, regressors
        Column names; boolean regressors count as 0/1. Without fixed effects an intercept
        (term ``"Intercept"``) is added.
    fixed_effects
        Up to two columns whose levels are absorbed (e.g. unit and period).
    cluster
        The column of the clusters.
    weights
        Optional column of analytic weights (Stata ``aweight``; any scale).
    ssc
        ``K`` of the CR1 factor ``G/(G-1) (N-1)/(N-K)``: ``"nested"`` (fixest's default),
        ``"rank"`` (Stata ``regress`` with dummies) or ``"none"``.
    level
        Confidence level.

    Returns
    -------
    DataFrame
        ``term, estimate, se, ci_low, ci_high, p_val, n_units, n_obs`` (``n_units``: clusters);
        intervals and p-values from t with clusters - 1 degrees of freedom.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.5], "x": [0, 1, 0, 1], "g": [0, 0, 1, 1]})
    >>> fe_regression(d, outcome="y", regressors=["x"], cluster="g")["estimate"].round(2).tolist()
    [1.75, 1.5]
    """
    if len(fixed_effects) > 2:
        raise InvalidWindowError("fe_regression absorbs at most two fixed effects")
    cols = [outcome, *regressors, *fixed_effects, cluster] + ([weights] if weights else [])
    cols = list(dict.fromkeys(cols))
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise InvalidWindowError(f"the data lack columns {missing}")
    d = data[cols].dropna()
    if len(d) < len(data):
        raise InvalidWindowError(
            f"{len(data) - len(d)} rows have missing values in {cols}: drop or fill them first"
        )
    x = d[list(regressors)].to_numpy(dtype=np.float64)
    names = list(regressors)
    if not fixed_effects:
        x = np.column_stack([np.ones(len(d)), x])
        names = ["Intercept", *names]
    fes = [pd.factorize(d[f])[0] for f in fixed_effects]
    fit = fe_fit(
        d[outcome].to_numpy(dtype=np.float64),
        x,
        fes,
        pd.factorize(d[cluster])[0],
        weight=None if weights is None else d[weights].to_numpy(dtype=np.float64),
        ssc=ssc,
    )
    se = np.sqrt(np.diag(fit["vcov"]))
    df = int(fit["n_clusters"]) - 1
    low, high, p = t_inference(fit["beta"], se, df=df, level=level)
    return pd.DataFrame(
        {
            "term": names,
            "estimate": fit["beta"],
            "se": se,
            "ci_low": low,
            "ci_high": high,
            "p_val": p,
            "n_units": int(fit["n_clusters"]),
            "n_obs": int(fit["n_obs"]),
        }
    )


def twfe_event_study(
    sets: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    outcome: str,
    window: tuple[int, int] = (-24, 12),
    reference: int = -1,
    level: float = 0.95,
    ssc: SSC = "nested",
    controls: bool = True,
) -> EventStudyResult:
    """The naive two-way fixed-effects event study on the unstacked panel (comparison only).

    Parameters
    ----------
    sets
        Matched sets; their treated persons (with their start months) and the distinct
        persons matched as controls who are never treated enter once each, unweighted.
    outcomes, outcome, window, reference, level, ssc
        As in :func:`mentorwijs.evaluation.did.event_study`.
    controls
        ``False`` leaves the controls out: the effects are then identified from the timing
        of the starts alone, as in a roll-out where everybody is treated in the end.

    Returns
    -------
    EventStudyResult
        ``design="twfe"``; clustered by person. It has no ``placebo()``.

    Notes
    -----
    The model is ``y_it = alpha_i + lambda_t + sum_{k != ref} beta_k D_i 1[t - start_i = k]
    + bins`` over every calendar month from the earliest start + ``window[0]`` to the
    latest start + ``window[1]``, with person and calendar-month fixed effects; treated
    months outside the window are binned into two end dummies (not reported). When effects
    differ by start cohort, each ``beta_k`` mixes cohorts with weights set by the regression
    and takes in effects of other event months ("contamination"), because already-treated
    persons serve as controls: it is then not the average effect at ``k`` (Sun & Abraham
    2021, J Econom 225(2); Goodman-Bacon 2021, J Econom 225(2); de Chaisemartin &
    D'Haultfoeuille 2020, AER 110(9)). The bias is largest without never-treated controls
    (``controls=False``); with many never-treated controls and a window that spans the
    whole effect it is small. Memory is ``O(N k)`` for ``N`` person-months and ``k`` event
    months.
    """
    lo, hi = check_window(window, reference)
    need = ["person_id", "treated", "start_month"]
    if any(c not in sets.columns for c in need):
        raise InvalidWindowError(f"the matched sets lack some of the columns {need}")
    tr = sets.loc[sets["treated"].to_numpy(dtype=bool), ["person_id", "start_month"]]
    tr = tr.drop_duplicates("person_id")
    ctrl = pd.Index(sets["person_id"].unique()).difference(pd.Index(tr["person_id"]))
    if not controls:
        ctrl = ctrl[:0]
    labels = np.concatenate([tr["person_id"].to_numpy(dtype=object), ctrl.to_numpy(object)])
    start = parse_months(tr["start_month"], what="start_month")
    dense, first = dense_outcomes(outcomes, labels, outcome)
    m0 = max(int(start.min()) + lo, first)
    m1 = min(int(start.max()) + hi, first + dense.shape[1] - 1)
    months = np.arange(m0, m1 + 1)
    y = dense[:, months - first]
    n_t = len(tr)
    person = np.repeat(np.arange(len(labels)), len(months))
    month = np.tile(np.arange(len(months)), len(labels))
    rel = np.full(y.shape, np.iinfo(np.int64).min // 2, dtype=np.int64)
    rel[:n_t] = months[None, :] - start[:, None]
    ok = np.isfinite(y.ravel())
    rel, y, person, month = rel.ravel()[ok], y.ravel()[ok], person[ok], month[ok]
    treated = person < n_t
    events = np.array([e for e in range(lo, hi + 1) if e != reference])
    cols = [treated & (rel == e) for e in events]
    cols += [c for c in (treated & (rel < lo), treated & (rel > hi)) if c.any()]
    fit = fe_fit(y, np.column_stack(cols).astype(np.float64), [person, month], person, ssc=ssc)
    q = len(events)
    return EventStudyResult(
        outcome=outcome,
        design="twfe",
        event_months=events,
        estimate=fit["beta"][:q],
        vcov=fit["vcov"][:q, :q],
        reference=reference,
        level=level,
        df=int(fit["n_clusters"]) - 1,
        n_sets=n_t,
        n_treated=n_t,
        n_units=len(labels),
        n_obs=int(fit["n_obs"]),
        inference=f"CR1 clustered by person ({int(fit['n_clusters'])} clusters, ssc={ssc})",
        ssc=ssc,
        notes=("naive two-way fixed effects: biased under staggered, heterogeneous effects",),
    )
