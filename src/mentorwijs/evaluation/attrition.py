"""Attrition: did the supervisors who dropped out differ at baseline from those who stayed?"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.disclosure import suppress_small_cells
from mentorwijs.evaluation.errors import TooFewSupervisorsError
from mentorwijs.evaluation.supervisors import (
    supervisor_characteristics,
    tidy_scores,
)


def _completers(invitations: pd.DataFrame, wave: str) -> set[str]:
    inv = invitations[(invitations["role"] == "supervisor") & (invitations["wave"] == wave)]
    return set(inv.loc[inv["completed_at"].notna(), "respondent_id"].astype(str))


def _compare(variable: str, stay: np.ndarray, leave: np.ndarray, binary: bool) -> dict:
    stay, leave = stay[~np.isnan(stay)], leave[~np.isnan(leave)]
    m1 = float(stay.mean()) if len(stay) else np.nan
    m0 = float(leave.mean()) if len(leave) else np.nan
    p_val, smd = np.nan, np.nan
    if binary:
        test = "chi2"
        k1, k0 = stay.sum(), leave.sum()
        table = np.array([[k1, len(stay) - k1], [k0, len(leave) - k0]])
        if (table.sum(axis=0) > 0).all() and (table.sum(axis=1) > 0).all():
            p_val = float(stats.chi2_contingency(table, correction=False).pvalue)
            pooled = (m1 * (1 - m1) + m0 * (1 - m0)) / 2
            smd = (m1 - m0) / np.sqrt(pooled) if pooled > 0 else np.nan
    else:
        test = "welch_t"
        if len(stay) >= 2 and len(leave) >= 2:
            s1, s0 = stay.var(ddof=1), leave.var(ddof=1)
            if s1 + s0 > 0:
                p_val = float(stats.ttest_ind(stay, leave, equal_var=False).pvalue)
                smd = (m1 - m0) / np.sqrt((s1 + s0) / 2)
    if np.isnan(p_val) and len(stay) and len(leave):
        warnings.warn(
            f"attrition: no test possible for {variable!r} (too few values or no variation); "
            "p_val and smd are NaN",
            RuntimeWarning,
            stacklevel=3,
        )
    return {
        "variable": variable,
        "mean_stayers": m1,
        "mean_leavers": m0,
        "difference": m1 - m0,
        "smd": smd,
        "p_val": p_val,
        "test": test,
        "n_stayers": len(stay),
        "n_leavers": len(leave),
    }


def attrition(
    scores: pd.DataFrame,
    invitations: pd.DataFrame,
    supervisors: pd.DataFrame,
    *,
    baseline: str = "T0",
    last: str = "T3",
) -> pd.DataFrame:
    r"""Compare, at baseline, supervisors who completed the last wave with those who did not.

    Parameters
    ----------
    scores
        Long scale scores (``respondent_id``, ``wave``, ``scale``, ``score``).
    invitations
        The ``invitations`` table: a supervisor completed a wave when ``completed_at`` is set.
    supervisors
        The ``supervisors`` table (``supervisor_id``, ``sex``, ``age``, ``years_experience``,
        ``employees_guided``).
    baseline, last
        The baseline wave and the wave that defines staying.

    Returns
    -------
    DataFrame
        One row per variable: each scale's baseline score (``variable`` = the scale code),
        ``age``, ``years_experience``, ``employees_guided`` and ``sex_female`` (the share of
        women among those whose sex is known). Columns ``variable``, ``mean_stayers``,
        ``mean_leavers``, ``difference`` (stayers − leavers), ``smd``, ``p_val``, ``test``
        (``welch_t`` or ``chi2``), ``n_stayers``, ``n_leavers`` (supervisors with a value),
        ``suppressed``. Stayers completed ``baseline`` and ``last``; leavers completed
        ``baseline`` but not ``last``.

    Notes
    -----
    The standardised mean difference uses the average of the two groups' variances
    (Austin 2009): :math:`d = (\bar x_1 - \bar x_0) / \sqrt{(s_1^2 + s_0^2)/2}`, with
    :math:`s^2 = p(1-p)` for the share of women. Continuous variables get Welch's *t*
    test (R ``t.test(x, y)``), the share of women Pearson's :math:`\chi^2` test on the 2×2
    table without continuity correction (R ``chisq.test(tab, correct = FALSE)``).
    Rows resting on fewer than 10 stayers or leavers are suppressed
    (:func:`~mentorwijs.evaluation.disclosure.suppress_small_cells`).

    References
    ----------
    Austin PC (2009). Balance diagnostics for comparing the distribution of baseline
    covariates between treatment groups in propensity-score matched samples. Stat Med
    28(25):3083-3107.
    """
    base = _completers(invitations, baseline)
    stayed = base & _completers(invitations, last)
    left = base - stayed
    if not stayed or not left:
        raise TooFewSupervisorsError(
            f"{len(stayed)} supervisor(s) stayed and {len(left)} left between {baseline} "
            f"and {last}: attrition needs both; check the invitations' completed_at"
        )
    data = tidy_scores(scores, baseline)
    data = data[(data["wave"] == baseline) & data["respondent_id"].isin(base)]
    wide = data.pivot(index="respondent_id", columns="scale", values="score")
    wide = wide.reindex(columns=list(dict.fromkeys(data["scale"])))
    chars = supervisor_characteristics(supervisors)
    table = wide.join(chars, how="outer").reindex(sorted(base))
    is_stay = table.index.isin(stayed)
    rows = [
        _compare(
            str(col),
            table.loc[is_stay, col].to_numpy(dtype=float),
            table.loc[~is_stay, col].to_numpy(dtype=float),
            binary=col == "sex_female",
        )
        for col in table.columns
    ]
    return suppress_small_cells(
        pd.DataFrame(rows),
        count_cols=["n_stayers", "n_leavers"],
        stat_cols=["mean_stayers", "mean_leavers", "difference", "smd", "p_val"],
    )
