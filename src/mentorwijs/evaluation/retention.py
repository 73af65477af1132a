"""Retention of placements: employment spells from the monthly register panel, Kaplan-Meier
curves and Cox models.

lifelines is imported inside the functions that fit, so importing this module stays cheap.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import (
    CovariateError,
    MissingColumnsError,
    NoSpellsError,
    UnknownOutcomeError,
)

Outcome = Literal["employed", "off_benefit"]
#: outcome → (what the event is, the test of a month on the panel's columns)
OUTCOMES = {
    "employed": "left work: the first month with 0 hours",
    "off_benefit": "returned to benefit: the first month with benefit == 'social_assistance'",
}


def _require(df: pd.DataFrame, cols: Sequence[str], table: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise MissingColumnsError(f"table {table} lacks columns {missing}: add them")


def _month_index(months: pd.Series) -> np.ndarray:
    """``YYYY-MM`` → months since year 0 (year × 12 + month − 1)."""
    t = pd.to_datetime(months.astype(str), format="%Y-%m")
    return (t.dt.year * 12 + t.dt.month - 1).to_numpy(dtype=np.int64)


def employment_spells(
    register_months: pd.DataFrame,
    register_persons: pd.DataFrame,
    *,
    outcome: Outcome = "employed",
    extract_end: str | None = None,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Months from the start month to leaving work (or returning to benefit), per person.

    Parameters
    ----------
    register_months
        The monthly register panel (``person_id``, ``month``, ``hours``, ``benefit``).
    register_persons
        Persons with a ``start_month`` (``YYYY-MM``): the treated persons of the package, or
        matched controls with the start month of their match filled in. Persons without a
        start month are left out.
    outcome
        ``"employed"``: the event is leaving work, the first month with 0 hours.
        ``"off_benefit"``: the event is returning to benefit, the first month with
        ``benefit == "social_assistance"``.
    extract_end
        Last month of the extract (``mentorwijs.extract_end`` of the package); months after
        it are ignored. ``None``: the panel's last month.
    keep
        Columns of ``register_persons`` to carry along (e.g. ``["treated"]`` for groups or
        covariates).

    Returns
    -------
    DataFrame
        One row per person at risk at the start: ``person_id``, ``duration`` (months,
        integer), ``event`` (1 = the event, 0 = censored), then the ``keep`` columns.

    Warns
    -----
    UserWarning
        When persons are left out: no panel month at their start month, or the event
        already in the start month (not at risk: not working, or already on social
        assistance). The count is also in ``attrs["not_at_risk"]`` and
        ``attrs["not_observed"]``.

    Notes
    -----
    Month :math:`t = 0` is the start month. With :math:`E_t` the event test of month
    :math:`t` and :math:`T` the last month observed without a gap,

    .. math:: \\text{duration} = \\min\\{t \\ge 1 : E_t\\} \\text{ (event 1), else } T
              \\text{ (event 0, right-censored)}.

    A person whose panel has a gap is censored at the month before the gap; a person
    observed to the end of the extract is censored there. Censoring is assumed
    non-informative, as in every Kaplan-Meier and Cox analysis (Kalbfleisch & Prentice
    2002, ch. 1).

    References
    ----------
    .. [1] Kalbfleisch JD, Prentice RL (2002). The Statistical Analysis of Failure Time
       Data, 2nd ed. Wiley.
    """
    if outcome not in OUTCOMES:
        raise UnknownOutcomeError(f"outcome {outcome!r} is unknown: choose one of {list(OUTCOMES)}")
    _require(register_months, ["person_id", "month", "hours", "benefit"], "register_months")
    _require(register_persons, ["person_id", "start_month", *keep], "register_persons")
    persons = register_persons.loc[
        register_persons["start_month"].notna(), ["person_id", "start_month", *keep]
    ]
    if persons.empty:
        raise NoSpellsError("no person has a start_month: fill it for treated persons")
    panel = register_months[["person_id", "month", "hours", "benefit"]]
    panel = panel[panel["person_id"].isin(persons["person_id"])]
    if extract_end is not None:
        panel = panel[_month_index(panel["month"]) <= _month_index(pd.Series([extract_end]))[0]]
    panel = panel.merge(persons[["person_id", "start_month"]], on="person_id")
    t = _month_index(panel["month"]) - _month_index(panel["start_month"])
    if outcome == "employed":
        hit = panel["hours"].to_numpy(dtype=float) == 0
    else:
        hit = (panel["benefit"] == "social_assistance").to_numpy(dtype=bool, na_value=False)
    p = pd.DataFrame({"person_id": panel["person_id"].to_numpy(), "t": t, "hit": hit})
    p = p[p["t"] >= 0].sort_values(["person_id", "t"], kind="stable")
    p = p[p["t"].to_numpy() == p.groupby("person_id").cumcount().to_numpy()]  # gap-free from 0
    at_start = p[p["t"] == 0].set_index("person_id")["hit"]
    at_risk = at_start.index[~at_start.to_numpy()]
    p = p[p["person_id"].isin(at_risk)]
    first = p[p["hit"]].groupby("person_id")["t"].min()
    last = p.groupby("person_id")["t"].max()
    spells = pd.DataFrame({"person_id": last.index})
    spells["event"] = spells["person_id"].isin(first.index).astype(np.int64)
    spells["duration"] = np.where(
        spells["event"] == 1,
        spells["person_id"].map(first).fillna(-1).to_numpy(),
        last.to_numpy(),
    ).astype(np.int64)
    spells = spells.merge(persons[["person_id", *keep]], on="person_id", how="left")
    spells = spells[["person_id", "duration", "event", *keep]]
    n_not_observed = int(persons["person_id"].nunique() - len(at_start))
    n_not_at_risk = int(at_start.sum())
    if n_not_observed or n_not_at_risk:
        warnings.warn(
            f"{n_not_at_risk} of {len(persons)} persons had the event in their start month "
            f"({OUTCOMES[outcome]}) and {n_not_observed} have no register month at their start "
            "month; they are left out. Report these counts next to the curve.",
            stacklevel=2,
        )
    spells.attrs.update(not_at_risk=n_not_at_risk, not_observed=n_not_observed)
    return spells.reset_index(drop=True)


def kaplan_meier(
    spells: pd.DataFrame,
    *,
    group_col: str | None = None,
    level: float = 0.95,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Kaplan-Meier retention curve, overall or per group.

    Parameters
    ----------
    spells
        Output of :func:`employment_spells` (``duration``, ``event``, and ``group_col``).
    group_col
        Column to split by (e.g. ``"treated"``; rows with a missing group are left out);
        ``None`` for one curve, group ``"all"``.
    level
        Confidence level of the pointwise interval.
    min_count
        Disclosure threshold on ``at_risk``.

    Returns
    -------
    DataFrame
        One row per group and month 0 and each month with an event or a censoring:
        ``group``, ``month``, ``at_risk`` (in the risk set at the start of the month),
        ``events``, ``censored``, ``survival``, ``ci_low``, ``ci_high``, ``suppressed``
        (fewer than ``min_count`` at risk: counts and estimates blanked).

    Notes
    -----
    :math:`\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / n_i)`, with :math:`d_i` events and
    :math:`n_i` at risk at :math:`t_i` (Kaplan & Meier 1958). The interval is lifelines'
    default: Greenwood's variance on the :math:`\\log(-\\log \\hat S)` scale, back-transformed
    (Kalbfleisch & Prentice 2002, sec. 1.4), so it stays inside [0, 1].

    References
    ----------
    .. [1] Kaplan EL, Meier P (1958). Nonparametric estimation from incomplete observations.
       JASA 53(282), 457-481.
    .. [2] Davidson-Pilon C (2019). lifelines: survival analysis in Python. JOSS 4(40), 1317.
    """
    from lifelines import KaplanMeierFitter

    _require(spells, ["duration", "event", *([group_col] if group_col else [])], "spells")
    groups = spells.groupby(group_col, sort=True, observed=True) if group_col else [("all", spells)]
    parts = []
    for name, part in groups:
        kmf = KaplanMeierFitter(alpha=1 - level).fit(part["duration"], part["event"])
        table = kmf.event_table
        ci = kmf.confidence_interval_survival_function_.loc[table.index]
        parts.append(
            pd.DataFrame(
                {
                    "group": name[0] if isinstance(name, tuple) else name,
                    "month": table.index.to_numpy(dtype=np.int64),
                    "at_risk": table["at_risk"].to_numpy(),
                    "events": table["observed"].to_numpy(),
                    "censored": table["censored"].to_numpy(),
                    "survival": kmf.survival_function_.loc[table.index].iloc[:, 0].to_numpy(),
                    "ci_low": ci.iloc[:, 0].to_numpy(),
                    "ci_high": ci.iloc[:, 1].to_numpy(),
                }
            )
        )
    return suppress_small_cells(
        pd.concat(parts, ignore_index=True),
        count_cols=["at_risk"],
        stat_cols=["events", "censored", "survival", "ci_low", "ci_high"],
        min_count=min_count,
    )


def cox_model(
    spells: pd.DataFrame,
    *,
    covariates: Sequence[str],
    level: float = 0.95,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Cox proportional-hazards model of the spells.

    Parameters
    ----------
    spells
        ``duration``, ``event`` and the covariate columns (numeric or boolean; dummy-code
        categories first, e.g. with ``pandas.get_dummies(..., drop_first=True)``).
    covariates
        Columns to enter the linear predictor.
    level
        Confidence level.
    min_count
        Disclosure threshold on ``n_units`` and ``n_events``.

    Returns
    -------
    DataFrame
        One row per covariate: ``term``, ``estimate`` (log hazard ratio), ``se``,
        ``hazard_ratio``, ``ci_low``, ``ci_high`` (interval of the hazard ratio,
        :math:`\\exp(\\hat\\beta \\pm z\\,\\text{se})`), ``p_val`` (Wald), ``n_units``,
        ``n_events``, ``suppressed``. Rows with a missing covariate are left out, with a
        warning.

    Notes
    -----
    :math:`h(t \\mid x) = h_0(t) \\exp(x^\\top \\beta)`, :math:`\\beta` maximising the
    partial likelihood with Efron's handling of tied event times (lifelines'
    ``CoxPHFitter``; R's ``coxph`` uses the same default), standard errors from the
    observed information. Check proportional hazards before reading the estimates
    (``CoxPHFitter.check_assumptions``, Schoenfeld residuals).

    References
    ----------
    .. [1] Cox DR (1972). Regression models and life-tables. JRSS B 34(2), 187-220.
    .. [2] Efron B (1977). The efficiency of Cox's likelihood function for censored data.
       JASA 72(359), 557-565.
    """
    from lifelines import CoxPHFitter

    covariates = list(covariates)
    if not covariates:
        raise CovariateError("no covariates: name at least one column of the spells")
    _require(spells, ["duration", "event", *covariates], "spells")
    df = spells[["duration", "event", *covariates]].copy()
    for c in covariates:
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])):
            raise CovariateError(
                f"covariate {c!r} is {df[c].dtype}, not numeric: dummy-code it "
                "(pandas.get_dummies(..., drop_first=True)) and pass the dummies"
            )
        df[c] = df[c].astype(float)
    complete = df.notna().all(axis=1)
    if not complete.all():
        warnings.warn(
            f"{int((~complete).sum())} spells with a missing covariate are left out", stacklevel=2
        )
        df = df[complete]
    constant = [c for c in covariates if df[c].nunique() < 2]
    if constant:
        raise CovariateError(f"covariates {constant} do not vary: leave them out")
    cph = CoxPHFitter(alpha=1 - level).fit(df, duration_col="duration", event_col="event")
    s = cph.summary.loc[covariates]
    z = stats.norm.ppf(1 - (1 - level) / 2)
    est, se = s["coef"].to_numpy(), s["se(coef)"].to_numpy()
    table = pd.DataFrame(
        {
            "term": covariates,
            "estimate": est,
            "se": se,
            "hazard_ratio": np.exp(est),
            "ci_low": np.exp(est - z * se),
            "ci_high": np.exp(est + z * se),
            "p_val": s["p"].to_numpy(),
            "n_units": len(df),
            "n_events": int(df["event"].sum()),
        }
    )
    return suppress_small_cells(
        table,
        count_cols=["n_units", "n_events"],
        stat_cols=["estimate", "se", "hazard_ratio", "ci_low", "ci_high", "p_val"],
        min_count=min_count,
    )
