"""The employment effect on register data, end to end: outcomes → matching → stacked
event study → tests, subgroups, trajectories and retention, as tidy tables.

This module strings the estimators of :mod:`register`, :mod:`matching`, :mod:`did`,
:mod:`did_modification` and :mod:`retention` together with the study's defaults, and puts
every table through disclosure control. Each piece stays usable on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.did import EventStudyResult, event_study
from mentorwijs.evaluation.did_inference import t_inference
from mentorwijs.evaluation.did_modification import effect_modification
from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import EmptyWindowError, MissingColumnsError
from mentorwijs.evaluation.matching import MatchResult, balance, match
from mentorwijs.evaluation.propensity import DEFAULT_COLUMNS
from mentorwijs.evaluation.regions import REGION_MIN_TREATED, region_event_studies
from mentorwijs.evaluation.register import employment_outcomes, matching_covariates
from mentorwijs.evaluation.retention import cox_model, employment_spells, kaplan_meier

#: The register outcomes, in the order reports show them.
OUTCOMES = ("employed_1h", "employed_12h", "employed_3m", "on_benefit", "earnings")

#: Matching covariates derived from the outcomes before the start (the published study
#: matched on these). Matching on them makes controls whose recent employment was high by
#: chance drift back afterwards, which biases a difference-in-differences (regression to the
#: mean; Daw & Hatfield 2018), so by default only the persons' characteristics are used and
#: the outcome history enters through the differencing. Set ``match_on_history`` to follow
#: the published study and read its pre-trend and placebo tests with care.
HISTORY_COLUMNS = (
    "months_worked_12m",
    "benefit_sa_ue_12m",
    "benefit_sick_dis_12m",
    "earnings_12m",
    "months_worked_24_13m",
)
CHARACTERISTICS = tuple(c for c in DEFAULT_COLUMNS if c not in HISTORY_COLUMNS)


@dataclass(frozen=True)
class EmploymentSettings:
    """Choices of the employment evaluation; every field is recorded in the result.

    Attributes
    ----------
    k, caliper, replace, exact
        Matching: controls per treated person, caliper in SD of the logit score, with or
        without replacement, columns to match exactly (see :func:`matching.match`).
    match_on_history
        Also match on the outcome history before the start (see :data:`HISTORY_COLUMNS`).
    window, reference
        Event months of the stacked panel and the reference month of the event study.
    placebo_shift
        Months the placebo start lies before the real one (6, as in Schaap et al. 2023).
    post
        Event months averaged for the subgroup effects.
    bootstrap
        Cluster bootstrap draws for the event study's intervals (0: analytic).
    """

    k: int = 10
    caliper: float | None = 0.2
    replace: bool = True
    exact: tuple[str, ...] = ()
    match_on_history: bool = False
    window: tuple[int, int] = (-24, 12)
    reference: int = -1
    placebo_shift: int = 6
    post: tuple[int, int] = (0, 12)
    bootstrap: int = 0

    @property
    def columns(self) -> tuple[str, ...]:
        return DEFAULT_COLUMNS if self.match_on_history else CHARACTERISTICS


def employment_effects(
    register_persons: pd.DataFrame,
    register_months: pd.DataFrame,
    *,
    modifiers: pd.DataFrame | None = None,
    settings: EmploymentSettings | None = None,
    outcomes: Sequence[str] = OUTCOMES,
    extract_end: str | None = None,
    seed: int = 2023,
    min_count: int = MIN_COUNT,
    person_regions: pd.Series | None = None,
    region_min_treated: int = REGION_MIN_TREATED,
) -> dict[str, pd.DataFrame]:
    """Match treated persons to controls and estimate the effect on every register outcome.

    Parameters
    ----------
    register_persons, register_months
        The register tables of a study data package.
    modifiers
        One row per treated person (``person_id``) with a column per effect modifier; see
        :func:`did_modification.effect_modification`. Whether the person received social
        assistance or unemployment benefit, and sickness or disability benefit, in the 12
        months before the start is added. ``None`` skips the subgroups.
    settings
        :class:`EmploymentSettings`; the defaults follow the study protocol.
    outcomes
        Outcomes to estimate, from :data:`OUTCOMES`.
    extract_end
        Last month of the extract, for censoring the retention spells.
    seed
        Seed of matching ties and of the bootstrap.
    min_count
        Disclosure threshold: estimates resting on fewer treated persons are suppressed.
    person_regions
        ``person_id`` → ``region_id`` of the treated persons: adds ``region_event_study``,
        the effect on "employed >= 1 hour" on each region's own matched sets
        (:func:`~mentorwijs.evaluation.regions.region_event_studies`); None skips it.
    region_min_treated
        Treated persons a region needs for its own estimate.

    Returns
    -------
    dict of DataFrame
        ``matching`` (statistic, value), ``balance`` (SMD and variance ratio per term
        before and after), ``event_study`` (outcome, event month, estimate, se, ci_low,
        ci_high, p_val, n_treated, …), ``event_study_average`` (the mean effect over the
        ``post`` months per outcome, see :func:`average_effect`), ``did_tests`` (pre-trends
        and placebo per outcome), ``placebo`` (the placebo estimates), ``trajectory`` (share
        employed by event month, treated and weighted matched controls),
        ``effect_modification`` and ``modification_tests`` (when ``modifiers`` is given),
        ``retention_km`` and ``retention_cox`` (time to leaving work and to returning to
        social assistance, treated versus matched controls; column ``outcome``);
        ``region_event_study`` when ``person_regions`` is given.
    """
    s = settings or EmploymentSettings()
    unknown = [o for o in outcomes if o not in OUTCOMES]
    if unknown:
        raise MissingColumnsError(f"unknown outcome(s) {unknown}: choose from {list(OUTCOMES)}")
    panel = employment_outcomes(register_months, person_ids=register_persons["person_id"])
    covariates = matching_covariates(register_persons, panel)
    matched = match(
        covariates,
        columns=s.columns,
        k=s.k,
        caliper=s.caliper,
        replace=s.replace,
        exact=list(s.exact) or None,
        seed=seed,
    )
    n_treated = int(matched.sets["treated"].sum())
    tables: dict[str, pd.DataFrame] = {
        "matching": _matching_summary(matched, min_count),
        "balance": _balance_table(
            balance(covariates, matched, columns=list(DEFAULT_COLUMNS)), s.columns, min_count
        ),
    }
    studies, tests, placebos, averages = [], [], [], []
    for outcome in outcomes:
        res = event_study(
            matched.sets,
            panel,
            outcome=outcome,
            window=s.window,
            reference=s.reference,
            bootstrap=s.bootstrap,
            seed=seed,
        )
        studies.append(res.tidy().assign(outcome=outcome, n_treated=n_treated))
        averages.append(average_effect(res, s.post).assign(outcome=outcome, n_treated=n_treated))
        placebo = res.placebo(shift=s.placebo_shift)
        tests.append(pd.concat([res.pretrend_test(), placebo.test()]).assign(outcome=outcome))
        placebos.append(placebo.tidy().assign(outcome=outcome, n_treated=n_treated))
        if outcome == "employed_1h":
            tables["trajectory"] = _trajectory(res.panel, min_count=min_count)
            if person_regions is not None:
                tables["region_event_study"] = region_event_studies(
                    res,
                    person_regions,
                    min_treated=region_min_treated,
                    min_count=min_count,
                    placebo_shift=s.placebo_shift,
                )
    tables["event_study"] = _suppressed(_outcome_first(pd.concat(studies)), min_count)
    tables["event_study_average"] = _suppressed(
        _outcome_first(pd.concat(averages, ignore_index=True)), min_count
    )
    tables["did_tests"] = _outcome_first(pd.concat(tests, ignore_index=True))
    tables["placebo"] = _suppressed(_outcome_first(pd.concat(placebos)), min_count)
    if modifiers is not None:
        em = effect_modification(
            matched.sets,
            panel,
            _with_benefit_history(modifiers, covariates),
            outcome="employed_1h",
            post=s.post,
            window=s.window,
            reference=s.reference,
        )
        tables["effect_modification"] = suppress_small_cells(
            em.tidy(),
            count_cols=["n_treated"],
            stat_cols=["estimate", "se", "ci_low", "ci_high", "p_val"],
            min_count=min_count,
        )
        tables["modification_tests"] = em.tests()
    tables.update(_retention(register_months, matched, extract_end, min_count))
    return tables


def average_effect(result: EventStudyResult, post: tuple[int, int]) -> pd.DataFrame:
    r"""The mean effect over the event months ``post[0]..post[1]``, with its interval.

    Returns
    -------
    DataFrame
        One row: ``first_month``, ``last_month``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p_val``.

    Notes
    -----
    The mean :math:`\bar\beta = a'\hat\beta` with :math:`a_e = 1/m` for the :math:`m`
    months in the range has variance :math:`a'Va` from the event study's clustered
    covariance; the interval and p-value use its t distribution (``result.df``).
    """
    months = result.event_months
    a = ((months >= post[0]) & (months <= post[1])).astype(float)
    if not a.any():
        raise EmptyWindowError(f"no event month in {post[0]}..{post[1]}: widen the window")
    a /= a.sum()
    est = np.array([a @ result.estimate])
    se = np.array([np.sqrt(a @ result.vcov @ a)])
    low, high, p = t_inference(est, se, df=result.df, level=result.level)
    return pd.DataFrame(
        {
            "first_month": [post[0]],
            "last_month": [post[1]],
            "estimate": est,
            "se": se,
            "ci_low": low,
            "ci_high": high,
            "p_val": p,
        }
    )


def _matching_summary(matched: MatchResult, min_count: int) -> pd.DataFrame:
    """The matching summary with counts of persons below the threshold shown as "<10"."""
    table = matched.summary()

    def shown(stat: str, value: Any) -> Any:
        small = (
            stat.startswith("n_") and isinstance(value, int | np.integer) and 0 < value < min_count
        )
        return f"<{min_count}" if small else value

    return table.assign(
        value=[shown(a, v) for a, v in zip(table["statistic"], table["value"], strict=True)]
    )


def _balance_table(table: pd.DataFrame, matched_on: Sequence[str], min_count: int) -> pd.DataFrame:
    """Balance per term; a category level held by 1–9 treated or control persons is blanked.

    A share of a category is a count in disguise (0.0128 of 78 treated persons is one
    person), so the statistics office's rule applies to the implied counts too.
    """
    out = table.assign(matched_on=table["variable"].isin(list(matched_on)))
    level = out["level"].notna()
    implied = pd.DataFrame(
        {
            f"{side}_{when}": np.where(
                level, (out[f"mean_{side}_{when}"] * out[f"n_{side}_{when}"]).round(), np.nan
            )
            for side in ("treated", "control")
            for when in ("before", "after")
        }
    )
    small = ((implied > 0) & (implied < min_count)).any(axis=1).to_numpy()
    stats = [c for c in out.columns if c.startswith(("mean_", "smd_", "variance_ratio_"))]
    out[stats] = out[stats].astype(float)
    out.loc[small, stats] = np.nan
    out["suppressed"] = small
    return out


def _with_benefit_history(modifiers: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """Add the benefit received in the 12 months before the start as two modifiers."""
    history = covariates.loc[covariates["treated"].astype(bool), ["person_id"]].assign(
        social_assistance_before=covariates["benefit_sa_ue_12m"].astype(float) > 0,
        disability_benefit_before=covariates["benefit_sick_dis_12m"].astype(float) > 0,
    )
    key = modifiers["person_id"].astype(str)
    return modifiers.assign(person_id=key).merge(
        history.assign(person_id=history["person_id"].astype(str)), on="person_id", how="left"
    )


def _outcome_first(df: pd.DataFrame) -> pd.DataFrame:
    return df[["outcome", *[c for c in df.columns if c != "outcome"]]].reset_index(drop=True)


def _suppressed(df: pd.DataFrame, min_count: int) -> pd.DataFrame:
    return suppress_small_cells(
        df,
        count_cols=["n_treated"],
        stat_cols=["estimate", "se", "ci_low", "ci_high", "p_val"],
        min_count=min_count,
    )


def _trajectory(panel: Any, *, min_count: int) -> pd.DataFrame:
    """Share employed (≥ 1 hour) by event month: treated, and matched controls weighted."""
    y = panel.y
    rows = []
    for group, mask in (("treated", panel.treated), ("control", ~panel.treated)):
        w = np.where(np.isnan(y[mask]), 0.0, panel.weight[mask][:, None])
        share = np.nansum(y[mask] * w, axis=0) / w.sum(axis=0)
        n = (~np.isnan(y[mask])).sum(axis=0)
        n_persons = len(np.unique(panel.person_index[mask]))
        rows.append(
            pd.DataFrame(
                {
                    "group": group,
                    "event_month": panel.events.astype(int),
                    "share": share,
                    "n_rows": n,
                    "n_persons": n_persons,
                }
            )
        )
    return suppress_small_cells(
        pd.concat(rows, ignore_index=True),
        count_cols=["n_persons"],
        stat_cols=["share"],
        min_count=min_count,
    )


def _retention(
    register_months: pd.DataFrame, matched: MatchResult, extract_end: str | None, min_count: int
) -> dict[str, pd.DataFrame]:
    """Time from the start to leaving work, and to returning to social assistance, for the
    treated and their matched controls (``outcome`` ``employed`` and ``off_benefit``).

    A control matched into several sets is followed once, from its first set's start.
    """
    people = (
        matched.sets.drop_duplicates("person_id")[["person_id", "treated", "start_month"]]
        .assign(treated=lambda d: d["treated"].astype(int))
        .reset_index(drop=True)
    )
    km, cox = [], []
    for outcome in ("employed", "off_benefit"):
        spells = employment_spells(
            register_months, people, outcome=outcome, extract_end=extract_end, keep=["treated"]
        )
        groups = spells.assign(group=spells["treated"].map({1: "treated", 0: "control"}))
        km.append(
            kaplan_meier(groups, group_col="group", min_count=min_count).assign(outcome=outcome)
        )
        cox.append(
            cox_model(spells, covariates=["treated"], min_count=min_count).assign(outcome=outcome)
        )
    return {
        "retention_km": _outcome_first(pd.concat(km)),
        "retention_cox": _outcome_first(pd.concat(cox)),
    }
