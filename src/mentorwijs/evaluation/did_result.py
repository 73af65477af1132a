"""Result objects of the event studies: effects by event month, tests, placebo."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.did_inference import t_inference, wald_test
from mentorwijs.evaluation.did_panel import StackedPanel
from mentorwijs.evaluation.errors import InvalidWindowError, NoPrePeriodError

TEST_COLUMNS = ["test", "statistic", "df", "p_val", "p_val_f", "df_denom", "n_units", "n_obs"]


def wald_table(
    name: str, estimate: np.ndarray, vcov: np.ndarray, *, n_eff: int, n_units: int, n_obs: int
) -> pd.DataFrame:
    """One row: Wald chi-square test that ``estimate = 0``, with its small-sample F version.

    ``p_val`` refers ``W = b' V^{-1} b`` to chi-square(q). ``p_val_f`` refers
    ``W (n - q) / (q (n - 1))`` to F(q, n - q) (Hotelling's T-squared scaling), with ``n``
    the effective number of clusters: the treated persons, who carry most of the variance.
    With few treated persons the chi-square test rejects too often; the F version does not.
    """
    stat, q, p = wald_test(estimate, vcov)
    denom = n_eff - q
    p_f = float(stats.f.sf(stat * denom / (q * (n_eff - 1)), q, denom)) if denom > 0 else np.nan
    return pd.DataFrame([[name, stat, q, p, p_f, denom, n_units, n_obs]], columns=TEST_COLUMNS)


@dataclass(frozen=True, eq=False)
class EventStudyResult:
    """Effects by event month with their clustered covariance.

    Attributes
    ----------
    outcome, design
        The outcome column and ``"stacked"`` or ``"twfe"``.
    event_months, estimate
        ``(q,)`` the estimated event months (all but the reference) and their effects.
    vcov
        ``(q, q)`` cluster-robust (or bootstrap) covariance.
    reference, level, df
        Reference event month, confidence level, and degrees of freedom of the t intervals
        (clusters - 1, as Stata and fixest use).
    n_sets, n_treated, n_units, n_obs
        Matched sets, treated persons, distinct persons (the clusters with ``cluster="person"``)
        and stacked person-month observations used.
    inference, variance, ssc, cluster
        How the covariance was computed, its kind, small-sample convention and clusters.
    notes
        What was dropped and why.
    panel
        The complete stacked panel (kept for :meth:`placebo`).
    draws
        ``(B, q)`` bootstrap estimates when ``bootstrap > 0``.
    """

    outcome: str
    design: str
    event_months: np.ndarray
    estimate: np.ndarray
    vcov: np.ndarray = field(repr=False)
    reference: int
    level: float
    df: int
    n_sets: int
    n_treated: int
    n_units: int
    n_obs: int
    inference: str
    variance: str = "linear"
    ssc: str = "nested"
    cluster: str = "person"
    notes: tuple[str, ...] = ()
    panel: StackedPanel | None = field(default=None, repr=False)
    draws: np.ndarray | None = field(default=None, repr=False)
    bootstrap: int = 0
    seed: int | None = None

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.vcov))

    def tidy(self) -> pd.DataFrame:
        """One row per event month: ``term`` (``"e=3"``), ``event_month``, ``estimate``,
        ``se``, ``ci_low``, ``ci_high``, ``p_val``, ``n_units``, ``n_obs``.

        Intervals and p-values use the t distribution with ``df`` degrees of freedom; with
        the bootstrap the interval is the percentile interval of the draws.
        """
        low, high, p = t_inference(self.estimate, self.se, df=self.df, level=self.level)
        if self.draws is not None:
            alpha = (1 - self.level) / 2
            low, high = np.quantile(self.draws, [alpha, 1 - alpha], axis=0)
        return pd.DataFrame(
            {
                "term": [f"e={e}" for e in self.event_months],
                "event_month": self.event_months.astype(int),
                "estimate": self.estimate,
                "se": self.se,
                "ci_low": low,
                "ci_high": high,
                "p_val": p,
                "n_units": self.n_units,
                "n_obs": self.n_obs,
            }
        )

    def wald_test(self, event_months: list[int] | np.ndarray, *, name: str) -> pd.DataFrame:
        """Joint Wald test that the effects at ``event_months`` are all zero.

        Returns one row: ``test``, ``statistic`` (chi-square), ``df``, ``p_val`` (chi-square),
        ``p_val_f`` and ``df_denom`` (small-sample F version, see :func:`wald_table`),
        ``n_units``, ``n_obs``.
        """
        pick = np.isin(self.event_months, event_months)
        return wald_table(
            name,
            self.estimate[pick],
            self.vcov[np.ix_(pick, pick)],
            n_eff=self.n_treated,
            n_units=self.n_units,
            n_obs=self.n_obs,
        )

    def pretrend_test(self) -> pd.DataFrame:
        """Joint Wald test that every pre-period effect (``e < 0``, ``e != reference``) is 0.

        Notes
        -----
        ``W = b' V^{-1} b ~ chi2(q)`` with ``V`` the clustered covariance of the ``q``
        pre-period coefficients. A pass is no proof of parallel trends: pre-tests have low
        power against smooth violations (Roth 2022, AER: Insights 4(3)).
        """
        pre = self.event_months[self.event_months < 0]
        if len(pre) == 0:
            raise NoPrePeriodError(
                "the window has no pre-period month besides the reference: widen the window "
                "to the left, e.g. window=(-24, 12)"
            )
        return self.wald_test(pre, name="pre-trends")

    def placebo(self, shift: int = 6) -> PlaceboResult:
        """The placebo test on this fit's panel: a fake start ``shift`` months early.

        Uses only the months before the real start (see ``did.placebo_test``).
        """
        if self.panel is None:
            raise InvalidWindowError(
                "this result has no stacked panel (a TWFE fit): use placebo_test() instead"
            )
        from mentorwijs.evaluation.did import placebo_on_panel

        return placebo_on_panel(
            self.panel,
            shift=shift,
            cluster=self.cluster,
            level=self.level,
            ssc=self.ssc,  # type: ignore[arg-type]
            variance=self.variance,  # type: ignore[arg-type]
            bootstrap=self.bootstrap,
            seed=self.seed,
        )

    def summary(self) -> str:
        """A plain-text report: design, sample, estimates and the pre-trend test."""
        lines = [
            f"Event study ({self.design}) of {self.outcome}, reference e={self.reference}",
            f"{self.n_sets} matched sets, {self.n_treated} treated, {self.n_units} persons, "
            f"{self.n_obs} person-months; {self.inference}",
            *self.notes,
            self.tidy().drop(columns=["n_units", "n_obs"]).to_string(index=False),
        ]
        if (self.event_months < 0).any():
            t = self.pretrend_test().iloc[0]
            lines.append(
                f"pre-trends: chi2({t['df']}) = {t['statistic']:.2f}, p = {t['p_val']:.3f} "
                f"(F version p = {t['p_val_f']:.3f})"
            )
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class PlaceboResult:
    """The placebo test: effects at a fake start ``shift`` months before the real one.

    ``result`` is the event study around the fake start, on pre-start data only; the effects
    at fake event months ``0 .. shift - 1`` should be zero.
    """

    shift: int
    result: EventStudyResult

    def tidy(self) -> pd.DataFrame:
        """The fake post-period rows (``term`` ``"placebo e=0"``...), with ``true_event_month``."""
        out = self.result.tidy()
        out = out[(out["event_month"] >= 0) & (out["event_month"] < self.shift)].copy()
        out.insert(2, "true_event_month", out["event_month"] - self.shift)
        out["term"] = "placebo " + out["term"]
        return out.reset_index(drop=True)

    def test(self) -> pd.DataFrame:
        """Joint Wald test that all ``shift`` placebo effects are zero (see ``wald_test``)."""
        return self.result.wald_test(np.arange(self.shift), name=f"placebo {self.shift} months")

    def summary(self) -> str:
        t = self.test().iloc[0]
        return (
            f"Placebo start {self.shift} months early ({self.result.inference})\n"
            f"{self.tidy().drop(columns=['n_units', 'n_obs']).to_string(index=False)}\n"
            f"joint: chi2({t['df']}) = {t['statistic']:.2f}, p = {t['p_val']:.3f} "
            f"(F version p = {t['p_val_f']:.3f})"
        )
