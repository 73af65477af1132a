"""Effect modification: the average post-period effect by subgroup, and whether it differs.

The published evaluation reports effect modification in direction only (more effect with
temporary contracts, social assistance, supervisors guiding fewer than 10 such employees;
less in the public sector, sheltered work, larger organisations, with a disability benefit;
Schaap et al. 2023). Here each subgroup gets its estimate, interval and size, and each
modifier a Wald test of equal effects that uses the person-clustered covariance across
subgroups (a control matched to persons in two subgroups links them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentorwijs.evaluation.did import cohorts
from mentorwijs.evaluation.did_inference import (
    cluster_sums,
    cr1_factor,
    linear_influence,
    stacked_estimate,
    t_inference,
)
from mentorwijs.evaluation.did_panel import (
    StackedPanel,
    check_window,
    stack_panel,
)
from mentorwijs.evaluation.did_result import wald_table
from mentorwijs.evaluation.errors import InvalidMatchedSetsError, InvalidWindowError

MIN_TREATED = 10
MAX_LEVELS = 12


@dataclass(frozen=True, eq=False)
class EffectModificationResult:
    """Subgroup effects (``tidy()``) and the tests of equal effects (``tests()``)."""

    table: pd.DataFrame
    test_table: pd.DataFrame
    post: tuple[int, int]

    def tidy(self) -> pd.DataFrame:
        """One row per modifier and subgroup: ``modifier``, ``subgroup``, ``term``,
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_val``, ``n_units``, ``n_obs``,
        ``n_treated``, ``warning`` (plain text; empty when none)."""
        return self.table.copy()

    def tests(self) -> pd.DataFrame:
        """One row per modifier: ``modifier`` and the Wald test columns of ``wald_table``."""
        return self.test_table.copy()

    def summary(self) -> str:
        lines = [f"Average effect over event months {self.post[0]}..{self.post[1]} by subgroup"]
        lines.append(self.table.drop(columns=["n_obs"]).to_string(index=False))
        lines.append(self.test_table.to_string(index=False))
        return "\n".join(lines)


def _modifier_codes(modifiers: pd.DataFrame, set_ids: np.ndarray) -> tuple[pd.DataFrame, str]:
    key = "set_id" if "set_id" in modifiers.columns else "person_id"
    if key not in modifiers.columns:
        raise InvalidMatchedSetsError(
            "the modifiers lack a person_id (or set_id) column naming the treated person"
        )
    if modifiers[key].duplicated().any():
        raise InvalidMatchedSetsError(
            f"a {key} occurs twice in the modifiers: give one row per treated person"
        )
    values = modifiers.set_index(key).reindex(pd.Index(set_ids, dtype=object))
    return values, key


def _one_modifier(
    full: StackedPanel,
    u: np.ndarray,
    values: pd.Series,
    *,
    post_cols: np.ndarray,
    level: float,
    min_treated: int,
) -> tuple[list[dict[str, object]], pd.DataFrame]:
    name = str(values.name)
    code, levels = pd.factorize(values, sort=True)
    if len(levels) > MAX_LEVELS:
        raise InvalidWindowError(
            f"modifier {name!r} has {len(levels)} values: group it into at most "
            f"{MAX_LEVELS} subgroups (e.g. bin a number) first"
        )
    rows = code[full.set_index] >= 0
    sub = full.subset(rows) if not rows.all() else full
    u = u[rows]
    group = code[code >= 0] if not rows.all() else code
    n_lv = len(levels)
    fit = stacked_estimate(u, sub.set_index, sub.n_sets, sub.treated, sub.weight)
    delta = fit["tmean"] - fit["cmean"]
    h_g = np.bincount(group, weights=fit["h"], minlength=n_lv)
    beta_g = np.stack([fit["h"][group == g] @ delta[group == g] for g in range(n_lv)])
    beta_g = beta_g / h_g[:, None]
    cohort, _ = cohorts(sub)
    center = cohort * n_lv + group[sub.set_index]
    center_codes, center = np.unique(center, return_inverse=True)
    psi = linear_influence(
        u,
        sub.set_index,
        center,
        len(center_codes),
        sub.treated,
        sub.weight,
        fit,
        beta_g[group],
        h_g[group],
    )
    phi = psi[:, post_cols].mean(axis=1)
    row_group = group[sub.set_index]
    scores = np.zeros((len(phi), n_lv))
    scores[np.arange(len(phi)), row_group] = phi
    n_clusters = len(sub.person_ids)
    meat = cluster_sums(scores, sub.person_index, n_clusters)
    k = (n_lv + len(center_codes)) * (u.shape[1] - 1)
    vcov = cr1_factor(n_obs=u.size, n_params=k, n_clusters=n_clusters) * np.einsum(
        "gi,gj->ij", meat, meat
    )
    theta = beta_g[:, post_cols].mean(axis=1)
    se = np.sqrt(np.diag(vcov))
    low, high, p = t_inference(theta, se, df=n_clusters - 1, level=level)
    out = []
    for g, lv in enumerate(levels):
        mask = row_group == g
        n_treated = int(sub.treated[mask].sum())
        out.append(
            {
                "modifier": name,
                "subgroup": str(lv),
                "estimate": theta[g],
                "se": se[g],
                "ci_low": low[g],
                "ci_high": high[g],
                "p_val": p[g],
                "n_units": len(np.unique(sub.person_index[mask])),
                "n_obs": int(mask.sum()) * u.shape[1],
                "n_treated": n_treated,
                "warning": (
                    f"fewer than {min_treated} treated persons: unstable, and not releasable "
                    "under the statistics office's rule of 10"
                    if n_treated < min_treated
                    else ""
                ),
            }
        )
    if n_lv < 2:
        test = pd.DataFrame(
            [[f"equal effects across {name}", np.nan, 0, np.nan, np.nan, 0, n_clusters, u.size]],
            columns=wald_table("", np.zeros(1), np.eye(1), n_eff=2, n_units=0, n_obs=0).columns,
        )
    else:
        contrast = np.eye(n_lv)[:-1] - np.eye(n_lv)[-1]
        test = wald_table(
            f"equal effects across {name}",
            contrast @ theta,
            contrast @ vcov @ contrast.T,
            n_eff=int(sub.treated.sum()),
            n_units=n_clusters,
            n_obs=u.size,
        )
    test.insert(0, "modifier", name)
    return out, test


def effect_modification(
    sets: pd.DataFrame,
    outcomes: pd.DataFrame,
    modifiers: pd.DataFrame,
    *,
    outcome: str,
    post: tuple[int, int] = (0, 12),
    window: tuple[int, int] = (-24, 12),
    reference: int = -1,
    level: float = 0.95,
    min_treated: int = MIN_TREATED,
) -> EffectModificationResult:
    """Average post-period effect by subgroup of each modifier, and the test of equal effects.

    Parameters
    ----------
    sets, outcomes, outcome, window, reference, level
        As in :func:`mentorwijs.evaluation.did.event_study`.
    modifiers
        One row per treated person: ``person_id`` (or ``set_id``) and one column per
        modifier with a few values each (e.g. ``temporary_contract``, ``benefit``,
        ``public_sector``, ``sheltered``, ``employer_size``, ``caseload_under_10``). Sets
        whose treated person lacks a value are left out of that modifier only.
    post
        First and last event month of the period averaged.
    min_treated
        Subgroups with fewer treated persons get a plain warning in ``warning``.

    Returns
    -------
    EffectModificationResult
        ``tidy()``: one row per subgroup, term ``"post 0..12"``; ``tests()``: one row per
        modifier with the Wald test that all its subgroup effects are equal.

    Notes
    -----
    Per subgroup ``g`` the event-month effects are the stacked estimator on its sets,
    ``beta_{g,e} = sum_{s in g} h_s Delta_{s,e} / sum_{s in g} h_s``, and the reported effect
    is their mean over ``post``: ``theta_g = mean_{e in post} beta_{g,e}``. This equals the
    stacked regression with subgroup-specific effects. The joint covariance of the
    ``theta_g`` clusters persons' contributions (``did_inference.linear_influence``, centred
    within start cohort and subgroup) with the CR1 factor. The test of equal effects is
    ``W = (C theta)' (C V C')^{-1} (C theta) ~ chi2(L - 1)`` with ``C`` the contrasts of
    each subgroup against the last (an interaction test), and its small-sample F version.
    Subgroup tests are many: read them as exploratory (the published study gave directions
    only).
    """
    lo, hi = check_window(window, reference)
    p0, p1 = int(post[0]), int(post[1])
    if not lo <= p0 <= p1 <= hi:
        raise InvalidWindowError(f"post={post!r} must lie inside the window {window!r}")
    panel = stack_panel(sets, outcomes, outcome=outcome, window=window)
    full, _ = panel.complete()
    if full.n_sets == 0:
        raise InvalidWindowError(
            f"no matched set has {outcome} for every month of the window: narrow it"
        )
    ref = int(np.flatnonzero(full.events == reference)[0])
    u = full.y - full.y[:, [ref]]
    post_cols = np.flatnonzero(
        (full.events >= p0) & (full.events <= p1) & (full.events != reference)
    )
    values, key = _modifier_codes(modifiers, full.set_ids)
    rows: list[dict[str, object]] = []
    tests = []
    for col in [c for c in values.columns if c != key]:
        out, test = _one_modifier(
            full, u, values[col], post_cols=post_cols, level=level, min_treated=min_treated
        )
        rows += out
        tests.append(test)
    if not rows:
        raise InvalidMatchedSetsError("the modifiers hold no modifier column besides the key")
    table = pd.DataFrame(rows)
    table.insert(2, "term", f"post {p0}..{p1}")
    return EffectModificationResult(
        table=table, test_table=pd.concat(tests, ignore_index=True), post=(p0, p1)
    )
