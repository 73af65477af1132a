"""Event-study difference-in-differences on matched sets: the stacked design.

Each matched set (one treated employee and the controls matched to them) is its own small
experiment around its own start month; stacking the sets and comparing within them gives an
estimator that stays unbiased when starts are staggered and effects differ by start cohort,
where the naive two-way fixed-effects event study does not (:mod:`did_twfe`).

Use :func:`event_study` for the effects by event month with person-clustered inference, the
pre-trend test and the placebo test (:meth:`EventStudyResult.placebo`, :func:`placebo_test`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from mentorwijs.evaluation.did_inference import (
    SSC,
    bootstrap_draws,
    cluster_sums,
    cr1_factor,
    linear_influence,
    stacked_df_k,
    stacked_estimate,
    stacked_influence,
)
from mentorwijs.evaluation.did_panel import (
    StackedPanel,
    check_window,
    stack_panel,
)
from mentorwijs.evaluation.did_result import EventStudyResult, PlaceboResult
from mentorwijs.evaluation.errors import (
    EmptyWindowError,
    InvalidWindowError,
    NoPrePeriodError,
)

__all__ = [
    "EventStudyResult",
    "PlaceboResult",
    "StackedPanel",
    "estimate_stacked",
    "event_study",
    "placebo_test",
    "stack_panel",
]

Variance = Literal["linear", "regression"]


def cohorts(panel: StackedPanel) -> tuple[np.ndarray, int]:
    """Each row's start cohort (sets with the same start month) as codes ``0..C-1``."""
    starts, group = np.unique(panel.start[panel.set_index], return_inverse=True)
    return group.astype(np.int64), len(starts)


def clustered_vcov(
    psi: np.ndarray, clusters: np.ndarray, *, n_obs: int, n_params: int
) -> tuple[np.ndarray, int]:
    """CR1 covariance ``c * sum_g s_g s_g'`` of ``(R, q)`` row terms, and the cluster count."""
    n_clusters = int(clusters.max()) + 1
    meat = cluster_sums(psi, clusters, n_clusters)
    factor = cr1_factor(n_obs=n_obs, n_params=n_params, n_clusters=n_clusters)
    return factor * np.einsum("gi,gj->ij", meat, meat), n_clusters


def estimate_stacked(
    panel: StackedPanel,
    *,
    reference: int = -1,
    cluster: str = "person",
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int | None = None,
    ssc: SSC = "nested",
    variance: Variance = "linear",
) -> EventStudyResult:
    """The stacked event study on a panel from :func:`stack_panel` (see :func:`event_study`)."""
    if reference not in panel.events:
        raise InvalidWindowError(
            f"reference month {reference} is not in the window "
            f"{int(panel.events[0])}..{int(panel.events[-1])}: choose one inside it"
        )
    if cluster not in ("person", "set") or variance not in ("linear", "regression"):
        raise InvalidWindowError(
            f"cluster={cluster!r}, variance={variance!r}: choose cluster 'person' or 'set' "
            "and variance 'linear' or 'regression'"
        )
    if len(panel.events) < 2:
        raise InvalidWindowError("the window holds only the reference month: widen it")
    full, info = panel.complete()
    if full.n_sets == 0:
        raise EmptyWindowError(
            f"no matched set has {panel.outcome} for every month of the window "
            f"{int(panel.events[0])}..{int(panel.events[-1])}: narrow the window or extend "
            "the register extract"
        )
    notes = []
    if info["rows_incomplete"]:
        notes.append(
            f"{info['rows_incomplete']} set-person rows lack months in the window and were "
            f"left out; {info['sets_dropped']} sets lost their treated person or all controls"
        )
    ref = int(np.flatnonzero(panel.events == reference)[0])
    keep = np.arange(len(full.events)) != ref
    u = full.y - full.y[:, [ref]]
    n_rows, n_ev = u.shape
    fit = stacked_estimate(u, full.set_index, full.n_sets, full.treated, full.weight)
    beta = fit["beta"]
    clusters = full.person_index if cluster == "person" else full.set_index
    cohort, n_cohorts = cohorts(full)
    q = int(keep.sum())
    draws = None
    if bootstrap > 0:
        n_clusters = int(clusters.max()) + 1
        draws = bootstrap_draws(
            u,
            full.set_index,
            full.n_sets,
            full.treated,
            full.weight,
            clusters,
            n_clusters,
            reps=bootstrap,
            rng=np.random.default_rng(seed),
        )[:, keep]
        vcov = np.atleast_2d(np.cov(draws, rowvar=False))
        inference = f"pairs cluster bootstrap by {cluster} ({bootstrap} draws, seed {seed})"
    elif variance == "linear":
        psi = linear_influence(
            u,
            full.set_index,
            cohort,
            n_cohorts,
            full.treated,
            full.weight,
            fit,
            beta,
            fit["h"].sum(),
        )
        k = q if ssc == "none" else q * (1 + n_cohorts)
        vcov, n_clusters = clustered_vcov(psi[:, keep], clusters, n_obs=u.size, n_params=k)
        inference = f"CR1 clustered by {cluster} ({n_clusters} clusters; linear, K={k})"
    else:
        psi = stacked_influence(
            u, full.set_index, full.treated, full.weight, fit, beta, fit["h"].sum()
        )
        k = stacked_df_k(
            n_effects=q,
            n_groups=full.n_sets,
            n_rows=n_rows,
            n_events=n_ev,
            cluster=cluster,
            ssc=ssc,
        )
        vcov, n_clusters = clustered_vcov(psi[:, keep], clusters, n_obs=u.size, n_params=k)
        inference = f"CR1 clustered by {cluster} ({n_clusters} clusters; regression, ssc={ssc})"
    return EventStudyResult(
        outcome=panel.outcome,
        design="stacked",
        event_months=full.events[keep],
        estimate=beta[keep],
        vcov=vcov,
        reference=reference,
        level=level,
        df=n_clusters - 1,
        n_sets=full.n_sets,
        n_treated=int(full.treated.sum()),
        n_units=len(full.person_ids),
        n_obs=u.size,
        inference=inference,
        variance=variance,
        ssc=ssc,
        cluster=cluster,
        notes=tuple(notes),
        panel=full,
        draws=draws,
        bootstrap=bootstrap,
        seed=seed,
    )


def event_study(
    sets: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    outcome: str,
    window: tuple[int, int] = (-24, 12),
    reference: int = -1,
    cluster: str = "person",
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int | None = None,
    ssc: SSC = "nested",
    variance: Variance = "linear",
) -> EventStudyResult:
    """Stacked event-study difference-in-differences on matched sets.

    Parameters
    ----------
    sets
        Matched sets (``set_id``, ``person_id``, ``treated``, ``weight``, ``start_month``).
    outcomes
        Long panel with ``person_id``, ``month`` (``year * 12 + month - 1``) and ``outcome``.
    outcome
        The outcome column, e.g. ``"employed_1h"``.
    window
        First and last event month (month minus the set's start month).
    reference
        The event month every effect is measured against (default: the month before).
    cluster
        ``"person"`` (default: a control in several sets is one cluster) or ``"set"``.
    level
        Confidence level of the intervals.
    bootstrap
        Pairs-cluster bootstrap draws; 0 (default) uses the analytic covariance.
    seed
        Seed of the bootstrap.
    ssc
        ``K`` of the CR1 factor with ``variance="regression"``: ``"nested"`` (fixest's
        default), ``"rank"`` (Stata ``regress``, statsmodels) or ``"none"``
        (``did_inference.stacked_df_k``). With ``variance="linear"``, ``"none"`` sets ``K``
        to the number of effects; otherwise ``K`` also counts the cohort mean changes.
    variance
        ``"linear"`` (default): persons' changes centred at their start cohort's control
        mean, clustered (``did_inference.linear_influence``). ``"regression"``: the sandwich
        of the stacked regression with set x event-month effects, as statsmodels or fixest
        compute it; too small with one treated person per set (see Notes).

    Returns
    -------
    EventStudyResult
        ``.tidy()``, ``.summary()``, ``.pretrend_test()``, ``.placebo()``.

    Notes
    -----
    The estimate is that of the weighted regression on the stacked panel

    .. math:: y_{sie} = \\alpha_{si} + \\gamma_{se} + \\sum_{k \\ne ref} \\beta_k D_{si} 1[e = k]

    with unit (set x person) and set x event-month fixed effects and the matching weights.
    When matching weights give both sides of each set equal weight, its closed form is the
    average over sets of the treated person's change ``y_e - y_ref`` minus the weighted mean
    change of its controls (derivation in ``did_inference.stacked_estimate``). Rows without
    the outcome in every month of the window are left out (complete cases).

    Inference: the estimate is linear in persons' changes, so its person-clustered
    variance is the sum over persons of their squared centred contributions, with the CR1
    factor ``G/(G-1) (N-1)/(N-K)`` of Stata's ``vce(cluster)`` and fixest's ``CRV1``;
    intervals use t with ``G - 1`` degrees of freedom. The regression sandwich
    (``variance="regression"``) centres each row at its own set's weighted mean, which
    takes half of every treated person's deviation away: with one treated person and ``k``
    controls per set its standard errors are about ``sqrt(((1 + 1/k)^2 / 4 + 1/k) /
    (1 + 1/k))`` of the truth (0.6 for ``k = 10``). Matching weights are treated as fixed
    (Abadie & Imbens 2016, Econometrica 84(2)); so does the bootstrap.

    References
    ----------
    Cengiz, Dube, Lindner & Zipperer (2019), QJE 134(3) 1405-1454.
    Wing, Freedman & Hollingsworth (2024), "Stacked difference-in-differences", NBER w32054.
    Cameron & Miller (2015), J Hum Resour 50(2) 317-372.
    Schaap et al. (2023), J Occup Rehabil, doi 10.1007/s10926-023-10118-2.
    """
    check_window(window, reference)
    panel = stack_panel(sets, outcomes, outcome=outcome, window=window)
    return estimate_stacked(
        panel,
        reference=reference,
        cluster=cluster,
        level=level,
        bootstrap=bootstrap,
        seed=seed,
        ssc=ssc,
        variance=variance,
    )


def _check_placebo_window(first: int, shift: int) -> None:
    if shift < 1:
        raise InvalidWindowError(f"shift={shift}: move the fake start at least 1 month early")
    if first > -shift - 1:
        raise NoPrePeriodError(
            f"a fake start {shift} months early needs event months from {-shift - 1} on "
            f"(its reference month), but the window starts at {first}: widen the window "
            "to the left"
        )


def placebo_on_panel(
    panel: StackedPanel,
    *,
    shift: int = 6,
    cluster: str = "person",
    level: float = 0.95,
    ssc: SSC = "nested",
    variance: Variance = "linear",
    bootstrap: int = 0,
    seed: int | None = None,
) -> PlaceboResult:
    """The placebo test on a stacked panel (see :func:`placebo_test`)."""
    first = int(panel.events.min())
    _check_placebo_window(first, shift)
    fake = panel.columns(first, -1, shift=shift)
    res = estimate_stacked(
        fake,
        reference=-1,
        cluster=cluster,
        level=level,
        bootstrap=bootstrap,
        seed=seed,
        ssc=ssc,
        variance=variance,
    )
    return PlaceboResult(shift=shift, result=res)


def placebo_test(
    sets: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    outcome: str,
    shift: int = 6,
    window: tuple[int, int] = (-24, 12),
    cluster: str = "person",
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int | None = None,
    ssc: SSC = "nested",
    variance: Variance = "linear",
) -> PlaceboResult:
    """Placebo test: pretend each set started ``shift`` months earlier, on pre-start data.

    Parameters
    ----------
    shift
        Months the fake start lies before the real one (6, as Schaap et al. 2023).
    window
        The main analysis' window; only its months before the real start (``e <= -1``) are
        used, re-counted from the fake start, with the fake ``e = -1`` as reference.
    sets, outcomes, outcome, cluster, level, bootstrap, seed, ssc, variance
        As in :func:`event_study`.

    Returns
    -------
    PlaceboResult
        ``.tidy()``: the effects at fake event months ``0 .. shift - 1`` (true event months
        ``-shift .. -1``), which should be zero; ``.test()``: their joint Wald test,
        chi-square with ``shift`` degrees of freedom (and its small-sample F version).
    """
    lo, _ = check_window(window)
    _check_placebo_window(lo, shift)
    panel = stack_panel(sets, outcomes, outcome=outcome, window=(lo, -1))
    return placebo_on_panel(
        panel,
        shift=shift,
        cluster=cluster,
        level=level,
        ssc=ssc,
        variance=variance,
        bootstrap=bootstrap,
        seed=seed,
    )
