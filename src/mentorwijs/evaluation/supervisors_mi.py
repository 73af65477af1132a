"""Supervisors' change over the waves after multiple imputation of missed waves."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.disclosure import suppress_small_cells
from mentorwijs.evaluation.errors import ScoresFormatError
from mentorwijs.evaluation.imputation import impute_chained, pool_rubin
from mentorwijs.evaluation.supervisors import (
    STAT_COLUMNS,
    MixedModelWarning,
    _with_groups,
    fit_change_model,
    supervisor_characteristics,
    tidy_scores,
)

SEP = "|"


def _wide(data: pd.DataFrame, supervisors: pd.DataFrame) -> pd.DataFrame:
    """One row per supervisor with a score: ``scale|wave`` scores plus covariates."""
    wide = data.pivot(index="respondent_id", columns=["scale", "wave"], values="score")
    wide.columns = [f"{s}{SEP}{w}" for s, w in wide.columns]
    chars = supervisor_characteristics(supervisors)
    unknown = sorted(set(wide.index) - set(chars.index))
    if unknown:
        raise ScoresFormatError(
            f"{len(unknown)} respondent(s) with scores are not in the supervisors table "
            f"(e.g. {unknown[0]}): pass the study's supervisors table"
        )
    chars = chars.reindex(wide.index)
    # A covariate without any observed value or without variation carries no information.
    keep = [c for c in chars if chars[c].notna().any() and chars[c].nunique() > 1]
    return wide.join(chars[keep])


def wave_changes_mi(
    scores: pd.DataFrame,
    *,
    supervisors: pd.DataFrame,
    seed: int,
    n_imputations: int = 20,
    n_iter: int = 10,
    group_effect: bool = False,
    level: float = 0.95,
    baseline: str = "T0",
) -> pd.DataFrame:
    r"""Change from baseline per scale, as :func:`wave_changes`, after multiple imputation.

    Parameters
    ----------
    scores
        Long scale scores (``respondent_id``, ``wave``, ``scale``, ``score``).
    supervisors
        The ``supervisors`` table: its ``age``, ``years_experience``, ``employees_guided``
        and ``sex`` (as share of women) join the imputation model, and its
        ``training_group_id`` the analysis when ``group_effect``.
    seed
        Seed of the imputations; the same seed gives the same table.
    n_imputations
        Number of imputed data sets ``m`` (20 is ample for fractions of missing
        information up to about 0.3; von Hippel 2020).
    n_iter
        Cycles of the chained equations per imputation.
    group_effect, level, baseline
        As in :func:`wave_changes`.

    Returns
    -------
    DataFrame
        The columns of :func:`wave_changes` plus ``df`` (Barnard–Rubin), ``fmi`` and
        ``m``. ``n_units`` counts the supervisors imputed (those with at least one score),
        ``n_obs`` and ``n_wave`` count observed (not imputed) scores. ``converged`` is true
        when all ``m`` fits converged, ``singular`` when any fit was singular.

    Notes
    -----
    The imputation model holds every scale's score at every wave plus the supervisor
    covariates, one row per supervisor with any score (:func:`impute_chained`, Bayesian
    linear regression). On each of the ``m`` completed data sets the mixed model of
    :func:`wave_changes` is fitted per scale; estimates are pooled with Rubin's rules
    (:func:`pool_rubin`) and the complete-data degrees of freedom :math:`n - p` (scores
    minus fixed effects, as R's ``mice`` takes for ``lmer`` fits). Intervals and
    p-values use the *t* distribution with the Barnard–Rubin degrees of freedom.
    ``effect_size`` divides the pooled change (and its interval bounds) by the mean over
    the imputations of the baseline SD. Valid when missingness depends only on what the
    imputation model holds (MAR); the runtime grows with ``m`` × scales model fits.

    References
    ----------
    Rubin DB (1987). Multiple Imputation for Nonresponse in Surveys. Wiley.

    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.

    von Hippel PT (2020). How many imputations do you need? A two-stage calculation
    using a quadratic rule. Sociol Methods Res 49(3):699-718.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, not {level}")
    data = tidy_scores(scores, baseline)
    wide = _wide(data, supervisors)
    cells = [c for c in wide.columns if SEP in c]
    completed = impute_chained(wide, n_imputations=n_imputations, seed=seed, n_iter=n_iter)
    long = [
        imp[cells]
        .rename_axis(index="respondent_id", columns="cell")
        .stack()
        .rename("score")
        .reset_index()
        for imp in completed
    ]
    fits: dict[str, list] = {}
    for lg in long:
        lg[["scale", "wave"]] = lg["cell"].str.split(SEP, n=1, expand=True)
        if group_effect:
            lg = _with_groups(lg, supervisors)
        for scale, part in lg.groupby("scale", sort=False):
            later, fit = fit_change_model(part, baseline=baseline, group_effect=group_effect)
            sd0 = float(part.loc[part["wave"] == baseline, "score"].std(ddof=1))
            fits.setdefault(str(scale), []).append((later, fit, sd0, len(part)))
    rows = []
    for scale, per in fits.items():
        later = per[0][0]
        terms = [f"wave_{i}" for i in range(1, len(later) + 1)]
        est = np.array([[f.estimate[t] for t in terms] for _, f, _, _ in per])
        var = np.array([[f.se[t] ** 2 for t in terms] for _, f, _, _ in per])
        converged = all(f.converged for _, f, _, _ in per)
        if not converged:
            warnings.warn(
                f"a mixed model for {scale!r} did not converge in some imputation; its rows "
                "have converged=False",
                MixedModelWarning,
                stacklevel=2,
            )
        pooled = pool_rubin(est, var, n_obs=per[0][3], n_params=len(terms) + 1)
        sd0 = float(np.mean([s for _, _, s, _ in per]))
        observed = data[data["scale"] == scale]
        for i, wave in enumerate(later):
            q, se, df = pooled.estimate[i], pooled.se[i], pooled.df[i]
            t = stats.t.ppf(0.5 + level / 2, df)
            rows.append(
                {
                    "scale": scale,
                    "wave": wave,
                    "estimate": q,
                    "se": se,
                    "ci_low": q - t * se,
                    "ci_high": q + t * se,
                    "p_val": 2 * stats.t.sf(abs(q / se), df),
                    "df": df,
                    "fmi": pooled.fmi[i],
                    "m": pooled.m,
                    "effect_size": q / sd0 if sd0 > 0 else np.nan,
                    "es_ci_low": (q - t * se) / sd0 if sd0 > 0 else np.nan,
                    "es_ci_high": (q + t * se) / sd0 if sd0 > 0 else np.nan,
                    "n_units": len(wide),
                    "n_obs": len(observed),
                    "n_wave": int((observed["wave"] == wave).sum()),
                    "converged": converged,
                    "singular": any(f.singular for _, f, _, _ in per),
                }
            )
    return suppress_small_cells(
        pd.DataFrame(rows),
        count_cols=["n_units", "n_wave"],
        stat_cols=[*STAT_COLUMNS, "df", "fmi"],
    )
