"""Nearest-neighbour matching on the logit of the propensity score.

Matching is 1:k nearest neighbour within exact strata, with a caliper in standard
deviations of the logit of the score (Austin 2011), common support, with or without
replacement. The result is "stacked": one block of rows per treated person (a matched set),
the form the difference-in-differences step consumes. Everything is vectorised except the
greedy pass without replacement, which loops over treated persons only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from mentorwijs.evaluation.balance import balance
from mentorwijs.evaluation.errors import InvalidMatchingInputError, NoCommonSupportError
from mentorwijs.evaluation.propensity import (
    DEFAULT_COLUMNS,
    _bool,
    propensity_model,
    propensity_scores,
)

__all__ = [
    "DEFAULT_COLUMNS",
    "MatchResult",
    "NoCommonSupportError",
    "balance",
    "match",
    "propensity_scores",
]


@dataclass(frozen=True)
class MatchResult:
    """Matched sets in stacked form, with per-person weights and what was dropped.

    Attributes
    ----------
    sets
        One row per member of a matched set: ``set_id`` (the treated person's
        ``person_id``), ``person_id``, ``treated`` (bool), ``weight`` (1.0 for the treated
        person, ``1 / m`` for each of its ``m`` matched controls), ``start_month`` (the
        treated person's ``YYYY-MM``; missing without a ``start_month`` column) and
        ``distance`` (absolute difference in the logit of the score; 0 for the treated).
        Sorted by set, the treated row first, then controls by distance. A control matched
        in several sets appears once per set.
    weights
        ``person_id``, ``treated``, ``weight`` (sum over sets: the ATT matching weight; the
        control weights add up to the number of matched treated), ``n_sets``.
    dropped
        Treated persons not matched: ``person_id``, ``reason`` (``off_support``,
        ``no_control_in_stratum`` or ``no_match_within_caliper``), ``pscore``.
    scores
        ``person_id``, ``treated``, ``pscore``, ``logit`` for every person.
    settings
        The arguments, the caliper width in logit units and the pooled SD of the logit.
    """

    sets: pd.DataFrame
    weights: pd.DataFrame
    dropped: pd.DataFrame
    scores: pd.DataFrame
    settings: dict[str, Any]

    def summary(self) -> pd.DataFrame:
        """Counts and settings as a two-column table ``statistic, value``."""
        t = self.scores["treated"].to_numpy(dtype=bool)
        reasons = self.dropped["reason"].value_counts()
        w = self.weights
        rows = {
            "n_treated": int(t.sum()),
            "n_control_pool": int((~t).sum()),
            "n_treated_matched": int(w["treated"].sum()),
            "n_controls_matched": int((~w["treated"]).sum()),
            "n_dropped_off_support": int(reasons.get("off_support", 0)),
            "n_dropped_no_control_in_stratum": int(reasons.get("no_control_in_stratum", 0)),
            "n_dropped_no_match_within_caliper": int(reasons.get("no_match_within_caliper", 0)),
            "mean_controls_per_set": float(
                (~self.sets["treated"]).sum() / max(1, w["treated"].sum())
            ),
            **{k: v for k, v in self.settings.items() if k != "exact"},
            "exact": ", ".join(self.settings["exact"] or []),
        }
        return pd.DataFrame({"statistic": list(rows), "value": list(rows.values())})


def _strata(df: pd.DataFrame, exact: Sequence[str] | None) -> np.ndarray:
    if not exact:
        return np.zeros(len(df), dtype=np.int64)
    missing = [c for c in exact if c not in df.columns]
    if missing:
        raise InvalidMatchingInputError(f"exact columns {missing} are not in the covariates")
    groups = df.groupby(list(exact), dropna=False, sort=True, observed=True)
    return groups.ngroup().to_numpy(np.int64)


def _nearest_with_replacement(
    cl: np.ndarray, tl: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """k nearest sorted-control positions (n_t, k) and distances (inf where none)."""
    pos = np.empty(len(tl), dtype=np.int64)
    for a, b in set(zip(lo.tolist(), hi.tolist(), strict=True)):  # one search per stratum
        sel = (lo == a) & (hi == b)
        pos[sel] = a + np.searchsorted(cl[a:b], tl[sel])
    cand = pos[:, None] + np.arange(-k, k)[None, :]
    ok = (cand >= lo[:, None]) & (cand < hi[:, None])
    cand = np.where(ok, cand, 0)
    dist = np.where(ok, np.abs(cl[cand] - tl[:, None]), np.inf)
    best = np.argsort(dist, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(cand, best, 1), np.take_along_axis(dist, best, 1)


def _find(parent: np.ndarray, i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:  # path compression
        parent[i], i = root, parent[i]
    return root


def _nearest_without_replacement(
    cl: np.ndarray,
    tl: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    k: int,
    width: float,
    order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy matching in the given order of treated persons; each control used once."""
    n_c = len(cl)
    right = np.arange(n_c + 1)  # next free position >= i (n_c: none)
    left = np.arange(n_c + 1)  # 1 + previous free position < i, shifted (0: none)
    cand = np.zeros((len(tl), k), dtype=np.int64)
    dist = np.full((len(tl), k), np.inf)
    for t in order.tolist():
        a, b, x = int(lo[t]), int(hi[t]), float(tl[t])
        pos = a + int(np.searchsorted(cl[a:b], x))
        for j in range(k):
            r = _find(right, pos)
            le = _find(left, pos) - 1
            dr = abs(cl[r] - x) if r < b else np.inf
            dl = abs(cl[le] - x) if le >= a else np.inf
            c, d = (le, dl) if dl <= dr else (r, dr)
            if not (np.isfinite(d) and d <= width):
                break
            cand[t, j], dist[t, j] = c, d
            right[c] = c + 1
            left[c + 1] = c
    return cand, dist


def match(
    covariates: pd.DataFrame,
    *,
    scores: pd.Series | None = None,
    treatment: str = "treated",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    k: int = 1,
    caliper: float | None = 0.2,
    replace: bool = True,
    exact: Sequence[str] | None = None,
    common_support: bool = True,
    seed: int = 0,
) -> MatchResult:
    """1:k nearest-neighbour matching on the logit of the propensity score.

    Parameters
    ----------
    covariates
        One row per person with ``person_id``, the treatment column, optionally
        ``start_month`` (carried into the sets) and the model's columns.
    scores
        Propensity scores in (0, 1) indexed like ``covariates``; default: estimated with
        :func:`propensity_model` on ``columns``.
    treatment, columns
        As in :func:`propensity_model`.
    k
        Controls per treated person (fewer where the caliper allows fewer).
    caliper
        Maximum distance in standard deviations of the logit of the score (pooled SD of
        treated and controls); ``None`` for no caliper.
    replace
        Whether a control may serve several treated persons. Without replacement, treated
        persons are matched greedily in a random order (``seed``), each taking its k
        nearest still-free controls.
    exact
        Columns to match on exactly (e.g. ``["sex"]``): neighbours are sought within the
        treated person's stratum only.
    common_support
        Drop treated persons whose score lies outside the controls' [min, max].
    seed
        Seed for the greedy order and for breaking ties between equal scores.

    Returns
    -------
    MatchResult

    Raises
    ------
    NoCommonSupportError
        When no treated person is matched.

    Notes
    -----
    Distances are :math:`|\\mathrm{logit}(e_i) - \\mathrm{logit}(e_j)|`, with the caliper
    :math:`0.2\\,\\sqrt{(s_1^2 + s_0^2)/2}` of the logit by default (Austin 2011). With
    replacement the k nearest of the sorted controls are found by binary search
    (``np.searchsorted``) within each stratum. The ATT weights follow Stuart (2010):
    treated 1, each control ``1/m`` per set it belongs to.

    References
    ----------
    Austin, P. C. (2011). Optimal caliper widths for propensity-score matching when
    estimating differences in means and differences in proportions in observational studies.
    Pharmaceutical Statistics 10(2), 150-161.
    Stuart, E. A. (2010). Matching methods for causal inference: a review and a look
    forward. Statistical Science 25(1), 1-21.
    """
    if k < 1 or (caliper is not None and not caliper > 0):
        raise InvalidMatchingInputError("k must be >= 1 and caliper > 0 (or None)")
    if "person_id" not in covariates.columns or covariates["person_id"].duplicated().any():
        raise InvalidMatchingInputError("covariates need a unique person_id per row")
    treated = _bool(covariates, treatment)
    if scores is None:
        eta = propensity_model(covariates, treatment=treatment, columns=columns).linear_predictor
        pscore = expit(eta)
    else:
        pscore = pd.Series(scores).reindex(covariates.index).to_numpy(dtype=np.float64)
        if not ((pscore >= 0) & (pscore <= 1)).all():
            raise InvalidMatchingInputError(
                "scores must be given for every person and lie between 0 and 1"
            )
        with np.errstate(divide="ignore"):
            eta = np.log(pscore) - np.log1p(-pscore)
    if treated.all() or not treated.any():
        raise InvalidMatchingInputError("matching needs treated and control persons")
    finite = np.isfinite(eta)  # scores of exactly 0 or 1 never match (infinite distance)
    lt, lc = eta[treated & finite], eta[~treated & finite]
    sd = (
        float(np.sqrt((lt.var(ddof=1) + lc.var(ddof=1)) / 2))
        if min(len(lt), len(lc)) > 1
        else np.nan
    )
    if caliper is not None and not sd > 0:
        raise InvalidMatchingInputError(
            "a caliper needs the SD of the logit of the score, which is undefined with fewer "
            "than 2 treated or controls or equal scores: pass caliper=None"
        )
    width = np.inf if caliper is None else caliper * sd

    rng = np.random.default_rng(seed)
    stratum = _strata(covariates, exact)
    ci = np.flatnonzero(~treated)
    ci = ci[np.lexsort((rng.permutation(len(ci)), eta[ci], stratum[ci]))]
    cs, cl = stratum[ci], eta[ci]
    ti = np.flatnonzero(treated)
    reason = np.full(len(ti), "", dtype=object)
    if common_support:
        p_c = pscore[~treated]
        off = (pscore[ti] < p_c.min()) | (pscore[ti] > p_c.max())
        reason[off] = "off_support"
    lo = np.searchsorted(cs, stratum[ti], "left")
    hi = np.searchsorted(cs, stratum[ti], "right")
    reason[(reason == "") & (lo == hi)] = "no_control_in_stratum"
    keep = np.flatnonzero(reason == "")
    tl = eta[ti[keep]]
    if replace:
        cand, dist = _nearest_with_replacement(cl, tl, lo[keep], hi[keep], k)
    else:
        order = rng.permutation(len(keep))
        cand, dist = _nearest_without_replacement(cl, tl, lo[keep], hi[keep], k, width, order)
    within = np.isfinite(dist) & (dist <= width)
    m = within.sum(axis=1)
    reason[keep[m == 0]] = "no_match_within_caliper"
    if (m == 0).all():
        raise NoCommonSupportError(
            f"none of the {len(ti)} treated persons has a control within the caliper and "
            f"common support ({int((reason == 'off_support').sum())} off support): widen the "
            "caliper, drop exact strata, or change the propensity model's columns"
        )
    ok = m > 0
    t_rows = ti[keep[ok]]
    within, cand, dist, m = within[ok], cand[ok], dist[ok], m[ok]
    c_rows = ci[cand[within]]
    set_of_c = np.repeat(np.arange(len(t_rows)), m)
    rows = np.concatenate([t_rows, c_rows])
    set_idx = np.concatenate([np.arange(len(t_rows)), set_of_c])
    first = np.concatenate([np.zeros(len(t_rows)), np.ones(len(c_rows))])
    d_all = np.concatenate([np.zeros(len(t_rows)), dist[within]])
    w_all = np.concatenate([np.ones(len(t_rows)), 1.0 / m[set_of_c]])
    srt = np.lexsort((d_all, first, set_idx))
    rows, set_idx, d_all, w_all = rows[srt], set_idx[srt], d_all[srt], w_all[srt]

    ids = covariates["person_id"].reset_index(drop=True)
    start = (
        covariates["start_month"].reset_index(drop=True)
        if "start_month" in covariates.columns
        else pd.Series(pd.NA, index=ids.index, dtype="string")
    )

    def pick(col: pd.Series, idx: np.ndarray) -> pd.Series:
        return col.iloc[idx].reset_index(drop=True)  # keeps the column's dtype

    sets = pd.DataFrame(
        {
            "set_id": pick(ids, t_rows[set_idx]),
            "person_id": pick(ids, rows),
            "treated": treated[rows],
            "weight": w_all,
            "start_month": pick(start, t_rows[set_idx]),
            "distance": d_all,
        }
    )
    tot = np.bincount(rows, weights=w_all, minlength=len(ids))
    cnt = np.bincount(rows, minlength=len(ids))
    used = np.flatnonzero(cnt)
    weights = pd.DataFrame(
        {
            "person_id": pick(ids, used),
            "treated": treated[used],
            "weight": tot[used],
            "n_sets": cnt[used],
        }
    )
    gone = np.flatnonzero(reason != "")
    dropped = pd.DataFrame(
        {
            "person_id": pick(ids, ti[gone]),
            "reason": reason[gone].astype(str),
            "pscore": pscore[ti[gone]],
        }
    )
    scores_df = pd.DataFrame({"person_id": ids, "treated": treated, "pscore": pscore, "logit": eta})
    settings = {
        "k": k,
        "caliper": caliper,
        "caliper_width": width,
        "sd_logit": sd,
        "replace": replace,
        "exact": list(exact) if exact else None,
        "common_support": common_support,
        "seed": seed,
    }
    return MatchResult(sets, weights, dropped, scores_df, settings)
