"""The maths of the stacked event study: closed form, cluster-robust variance, Wald tests.

Notation (shapes in brackets): ``R`` rows (set-person pairs, sorted by set), ``S`` sets,
``T`` event months, ``G`` clusters. ``u[r, e] = y[r, e] - y[r, ref]`` is each row's change
from the reference month; ``D_r`` marks the treated row(s), ``w_r`` the matching weight.

The regression ``y = alpha_(s,i) + gamma_(s,e) + sum_e beta_e D e`` (weights ``w``) has on a
complete stacked panel the closed form derived in :func:`stacked_estimate`, and its
influence function (:func:`stacked_influence`) gives the cluster-robust covariance without
ever building the ``R T x (R + S T)`` dummy matrix.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
from scipy import sparse, stats

SSC = Literal["nested", "rank", "none"]


def group_sums(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Sums of ``values`` (``(R,)`` or ``(R, T)``) within groups ``0..n_groups-1``."""
    n = len(group)
    indicator = sparse.csr_matrix((np.ones(n), (group, np.arange(n))), shape=(n_groups, n))
    return np.asarray(indicator @ values)


def stacked_estimate(
    u: np.ndarray, group: np.ndarray, n_groups: int, treated: np.ndarray, weight: np.ndarray
) -> dict[str, np.ndarray]:
    """Closed form of the stacked event-study regression.

    Parameters
    ----------
    u
        ``(R, T)`` change of each row's outcome from the reference month (0 there).
    group, n_groups
        ``(R,)`` sub-experiment of each row (``0..n_groups-1``): the matched set, or the
        start cohort (all sets with the same start month).
    treated, weight
        ``(R,)`` treated flag and matching weight.

    Returns
    -------
    dict
        ``beta`` ``(T,)`` (0 at the reference), ``h`` ``(n_groups,)`` weights of the
        sub-experiments, ``a``, ``b`` their treated and control weight totals, ``tmean``,
        ``cmean`` ``(n_groups, T)`` the weighted means of ``u`` on each side.

    Notes
    -----
    In a complete panel where every unit has all ``T`` months and a weight constant over
    time, the two-way within transformation is exact: with ``pi_g = a_g / (a_g + b_g)`` the
    treated side's weight share, regressor ``D 1[e = k]`` becomes
    ``(D - pi_g)(1[e = k] - 1/T)``. The normal equations then give

    .. math::

        \\hat\\beta_e = \\frac{\\sum_g h_g (\\Delta_{g,e} - \\Delta_{g,ref})}{\\sum_g h_g},
        \\quad \\Delta_{g,e} = \\bar y^T_{g,e} - \\bar y^C_{g,e},
        \\quad h_g = \\frac{a_g b_g}{a_g + b_g},

    with ``ybar`` the weighted side means. Matching weights (treated 1, controls ``1/k``)
    give every set ``a_s = b_s = 1``: per set, ``h_s = 1/2`` and the estimate is the plain
    average over sets of the treated person's change minus its controls' weighted mean
    change; per start cohort of ``n_c`` sets, ``h_c = n_c / 2`` and the average is the same.
    """
    d = treated.astype(np.float64)
    wt, wc = weight * d, weight * (1.0 - d)
    a, b = group_sums(wt, group, n_groups), group_sums(wc, group, n_groups)
    tmean = group_sums(wt[:, None] * u, group, n_groups) / a[:, None]
    cmean = group_sums(wc[:, None] * u, group, n_groups) / b[:, None]
    h = a * b / (a + b)
    beta = h @ (tmean - cmean) / h.sum()
    return {"beta": beta, "h": h, "a": a, "b": b, "tmean": tmean, "cmean": cmean}


def stacked_influence(
    u: np.ndarray,
    group: np.ndarray,
    treated: np.ndarray,
    weight: np.ndarray,
    fit: dict[str, np.ndarray],
    beta: np.ndarray,
    h_total: np.ndarray | float,
) -> np.ndarray:
    """``(R, T)`` influence of each row on ``beta`` (the sandwich's per-row scores).

    Parameters
    ----------
    u, group, treated, weight
        As in :func:`stacked_estimate`.
    fit
        The output of :func:`stacked_estimate`.
    beta
        ``(T,)``, or ``(n_groups, T)`` for effects that differ between groups (subgroups).
    h_total
        ``sum_g h_g`` of the estimate: a scalar, or ``(n_groups,)`` per group.

    Notes
    -----
    The regression's residual, differenced against the reference month, is
    ``r = u - (pi_g ybar^T_g + (1 - pi_g) ybar^C_g) - (D - pi_g) beta``; with
    ``(X'WX)^{-1} = (I + J) / sum h`` on the non-reference months the sandwich's row
    scores reduce to

    .. math:: \\psi_{r,e} = w_r (D_r - \\pi_g)\\, r_{r,e} / \\textstyle\\sum_g h_g,

    and ``beta_hat - beta = sum_r psi_r`` in a linear model.
    """
    a, b = fit["a"], fit["b"]
    pi = (a / (a + b))[group]
    side = treated - pi
    ubar = (a[:, None] * fit["tmean"] + b[:, None] * fit["cmean"]) / (a + b)[:, None]
    b_rows = beta[group] if np.ndim(beta) == 2 else beta[None, :]
    resid = u - ubar[group] - side[:, None] * b_rows
    scale = weight * side
    scale = scale / np.asarray(h_total)[group] if np.ndim(h_total) else scale / float(h_total)
    resid *= scale[:, None]
    return resid


def linear_influence(
    u: np.ndarray,
    set_index: np.ndarray,
    center: np.ndarray,
    n_center: int,
    treated: np.ndarray,
    weight: np.ndarray,
    fit: dict[str, np.ndarray],
    beta: np.ndarray,
    h_total: np.ndarray | float,
) -> np.ndarray:
    """``(R, T)`` per-row terms of the estimator as a linear function of the rows' changes.

    Parameters
    ----------
    u, set_index, treated, weight
        As in :func:`stacked_estimate` (``set_index`` is each row's matched set).
    center, n_center
        ``(R,)`` group whose control rows estimate the row's expected change: the start
        cohort, or cohort x subgroup.
    fit
        :func:`stacked_estimate` by matched set.
    beta, h_total
        ``(T,)`` or ``(S, T)`` effects and ``sum_s h_s`` (scalar or ``(S,)``), as in
        :func:`stacked_influence`.

    Notes
    -----
    The estimate is linear in the changes: ``beta_hat = sum_r c_r u_r`` with
    ``c_r = (h_s / H) w_r / a_s`` for treated and ``-(h_s / H) w_r / b_s`` for control rows;
    ``sum_{r in s} c_r = 0`` in every set. Hence, for any centring ``m_r`` that is constant
    within a set, ``beta_hat - beta = sum_r c_r (u_r - m_r - D_r beta)`` exactly. With
    ``m_r = M_g``, the ``|c|``-weighted mean change of the control rows of the row's group
    ``g`` (its start cohort: same calendar months), each row's term estimates its own
    deviation, and summing the squared per-person totals is the cluster-robust variance of a
    linear estimator with independent persons. Centring each set at its own controls' mean
    instead (as the set x event-month fixed effects of the regression do) splits every
    treated person's deviation with the set's controls, which makes clustered standard
    errors too small when a set holds one treated person (the incidental-parameter problem;
    see ``se="regression"`` in :func:`mentorwijs.evaluation.did.event_study`).
    """
    a, b, h = fit["a"], fit["b"], fit["h"]
    ht = np.asarray(h_total)[set_index] if np.ndim(h_total) else float(h_total)
    coef = h[set_index] * weight / np.where(treated, a[set_index], -b[set_index]) / ht
    ctrl = np.where(treated, 0.0, -coef)
    mean = (
        group_sums(ctrl[:, None] * u, center, n_center)
        / group_sums(ctrl, center, n_center)[:, None]
    )
    b_rows = beta[set_index] if np.ndim(beta) == 2 else beta[None, :]
    out = u - mean[center] - treated[:, None] * b_rows
    out *= coef[:, None]
    return out


def cluster_sums(scores: np.ndarray, clusters: np.ndarray, n_clusters: int) -> np.ndarray:
    """``(G, q)`` sums of ``(R, q)`` scores within clusters (a sparse product, no loop)."""
    n = len(clusters)
    indicator = sparse.csr_matrix((np.ones(n), (clusters, np.arange(n))), shape=(n_clusters, n))
    return np.asarray(indicator @ scores)


def cr1_factor(*, n_obs: int, n_params: int, n_clusters: int) -> float:
    """The CR1 small-sample factor ``G / (G - 1) * (N - 1) / (N - K)``.

    Notes
    -----
    This is the factor of Stata's ``vce(cluster)`` and of fixest/pyfixest's ``CRV1`` with
    ``ssc(adj=TRUE, cluster.adj=TRUE)``; what differs between programs is ``K`` (see
    :func:`stacked_df_k`). Cameron & Miller (2015), J Hum Resour 50(2), section VI.A.
    """
    if n_clusters < 2:
        return float("nan")
    return n_clusters / (n_clusters - 1) * (n_obs - 1) / (n_obs - n_params)


def stacked_df_k(
    *, n_effects: int, n_groups: int, n_rows: int, n_events: int, cluster: str, ssc: SSC
) -> int:
    """``K`` of the CR1 factor for the stacked regression with unit and group x event effects.

    ``"nested"`` (fixest's default ``fixef.K = "nested"``, pyfixest's ``"nonnested"``): a
    fixed effect nested in the clusters counts as one; with person clusters the unit
    (set x person) effects are nested, so ``K = n_effects + G T`` for ``G`` sub-experiments.
    ``"rank"``: the rank of the full dummy design, ``K = n_effects + R + G (T - 1)``, which
    ``regress`` with dummies (Stata) and statsmodels ``WLS`` on a full-rank design count.
    ``"none"``: ``K = n_effects`` (pyfixest ``k_fixef="none"``).
    """
    if ssc == "nested":
        return n_effects + (n_groups * n_events if cluster == "person" else 1)
    if ssc == "rank":
        return n_effects + n_rows + n_groups * (n_events - 1)
    if ssc == "none":
        return n_effects
    raise ValueError(f"unknown ssc {ssc!r}: choose 'nested', 'rank' or 'none'")


def t_inference(
    estimate: np.ndarray, se: np.ndarray, *, df: int, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ci_low, ci_high, p_val)`` from the t distribution with ``df`` degrees of freedom."""
    crit = stats.t.ppf(0.5 + level / 2, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.t.sf(np.abs(estimate / se), df)
    return estimate - crit * se, estimate + crit * se, p


def wald_test(estimate: np.ndarray, vcov: np.ndarray) -> tuple[float, int, float]:
    """``(W, df, p)`` of the joint null ``estimate = 0`` against chi-square(df).

    ``W = b' V^{-1} b`` with ``V`` the (clustered) covariance. A singular ``V`` (fewer
    clusters than restrictions) uses its pseudo-inverse and rank, with a warning.
    """
    q = len(estimate)
    rank = int(np.linalg.matrix_rank(vcov))
    if rank < q:
        warnings.warn(
            f"the covariance of the {q} tested coefficients has rank {rank}: the Wald test "
            f"uses its pseudo-inverse with {rank} degrees of freedom",
            UserWarning,
            stacklevel=3,
        )
        stat = float(estimate @ np.linalg.pinv(vcov) @ estimate)
    else:
        stat = float(estimate @ np.linalg.solve(vcov, estimate))
    if rank == 0:
        return float("nan"), 0, float("nan")
    return stat, rank, float(stats.chi2.sf(stat, rank))


def bootstrap_draws(
    u: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    treated: np.ndarray,
    weight: np.ndarray,
    clusters: np.ndarray,
    n_clusters: int,
    *,
    reps: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """``(B, T)`` estimates on pairs-cluster bootstrap samples.

    Each draw resamples the ``G`` clusters with replacement (multinomial counts); a row
    enters with its weight times its cluster's count, which is the regression on the
    resampled data. Groups that lose their treated or all control rows in a draw drop out of
    that draw (their ``h`` is 0).
    """
    n = len(group)
    indicator = sparse.csr_matrix((np.ones(n), (group, np.arange(n))), shape=(n_groups, n))
    d = treated.astype(np.float64)
    draws = np.empty((reps, u.shape[1]))
    p = np.full(n_clusters, 1.0 / n_clusters)
    for k in range(reps):
        times = rng.multinomial(n_clusters, p)[clusters].astype(np.float64)
        wt, wc = weight * times * d, weight * times * (1.0 - d)
        a, b = indicator @ wt, indicator @ wc
        ok = (a > 0) & (b > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = (
                np.asarray(indicator @ (wt[:, None] * u)) / a[:, None]
                - np.asarray(indicator @ (wc[:, None] * u)) / b[:, None]
            )
            h = np.where(ok, a * b / (a + b), 0.0)
        draws[k] = h @ np.where(ok[:, None], delta, 0.0) / h.sum()
    return draws
