"""Supervisors' change over the waves: mixed models on scale scores, and attrition.

The supervisor part of the study is single-arm: every supervisor answers the outcome
questionnaire at T0 (start of the training), T1 (end) and two later follow-ups. The change
from T0 is estimated with a linear mixed model per scale, so that supervisors who missed a
wave still contribute (valid when dropping out is missing at random given the observed
scores); :func:`attrition` shows whether those who dropped out differed at baseline, and
:func:`mentorwijs.evaluation.supervisors_mi.wave_changes_mi` repeats the analysis after
multiple imputation.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from mentorwijs.evaluation.disclosure import suppress_small_cells
from mentorwijs.evaluation.errors import (
    MissingTrainingGroupError,
    NoBaselineError,
    NoRespondentsError,
    ScoresFormatError,
    TooFewSupervisorsError,
)
from mentorwijs.evaluation.reml import random_intercept_reml

SCORE_COLUMNS = ("respondent_id", "wave", "scale", "score")
Engine = Literal["mixedlm", "profile"]
#: Numeric supervisor characteristics used by the attrition table and the imputation model.
COVARIATES = ("age", "years_experience", "employees_guided")
#: lme4's ``isSingular`` tolerance on the relative Cholesky factor of the random effects.
SINGULAR_TOL = 1e-4
#: Optimisers tried in turn until one converges; BFGS first, as statsmodels does.
OPTIMISERS = ("bfgs", "lbfgs", "powell", "nm")
#: Columns blanked with the counts when a cell is suppressed.
STAT_COLUMNS = [
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_val",
    "effect_size",
    "es_ci_low",
    "es_ci_high",
]


class MixedModelWarning(UserWarning):
    """A mixed model did not converge; its row says ``converged=False``."""


@dataclass(frozen=True)
class MixedFit:
    """Fixed effects of a REML fit and how the fit went.

    Attributes
    ----------
    estimate, se
        Fixed-effect estimates and standard errors, indexed by term.
    converged
        The optimiser converged and every standard error is finite.
    singular
        A random-effect standard deviation is (nearly) zero relative to the residual one
        (lme4's ``isSingular``: a diagonal of the relative Cholesky factor below 1e-4).
    messages
        The warnings statsmodels raised during the fit.
    n_units, n_obs
        Groups (e.g. supervisors) and observations in the model.
    """

    estimate: pd.Series
    se: pd.Series
    converged: bool
    singular: bool
    messages: tuple[str, ...]
    n_units: int
    n_obs: int


def _fit_mixed(
    data: pd.DataFrame,
    *,
    formula: str,
    groups: str,
    re_formula: str | None = None,
    vc_formula: Mapping[str, str] | None = None,
) -> MixedFit:
    """Fit a linear mixed model by REML with statsmodels' MixedLM; never raise on failure.

    Optimisers in :data:`OPTIMISERS` are tried in turn until one converges (one that
    raises, e.g. on a singular matrix, counts as failed). Warnings are captured and returned
    in ``messages``; a fit that fails gives NaN estimates and ``converged=False``.
    """
    kw: dict[str, object] = {"groups": groups}
    if re_formula is not None:
        kw["re_formula"] = re_formula
    if vc_formula is not None:
        kw["vc_formula"] = dict(vc_formula)
    model = sm.MixedLM.from_formula(formula, data, **kw)
    names = list(model.exog_names)
    res, failures = None, []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in OPTIMISERS:
            try:
                res = model.fit(reml=True, method=method)
            except (np.linalg.LinAlgError, ValueError) as exc:
                res = None
                failures.append(f"{method} failed: {exc}")
                continue
            if res.converged:
                break
    messages = tuple(dict.fromkeys([*(str(w.message) for w in caught), *failures]))
    n_units = int(pd.Series(model.groups).nunique())
    if res is None:
        nan = pd.Series(np.nan, index=names)
        return MixedFit(nan, nan, False, False, messages, n_units, int(model.nobs))
    estimate = pd.Series(np.asarray(res.fe_params), index=names)
    se = pd.Series(np.asarray(res.bse_fe), index=names)
    rel = [np.asarray(res.cov_re, dtype=float) / res.scale]
    rel += [np.atleast_2d(v / res.scale) for v in np.atleast_1d(res.vcomp)]
    singular = False
    for r in rel:
        if r.size:
            try:
                chol = np.linalg.cholesky(r)
                singular |= bool((np.abs(np.diag(chol)) < SINGULAR_TOL).any())
            except np.linalg.LinAlgError:
                singular = True
    converged = bool(res.converged) and bool(np.isfinite(se).all())
    return MixedFit(estimate, se, converged, singular, messages, n_units, int(model.nobs))


def tidy_scores(scores: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """A checked copy of long scores with plain dtypes and without missing scores.

    Raises :class:`ScoresFormatError` for a missing column or a duplicate score and
    :class:`NoBaselineError` for a scale without scores at ``baseline``.
    """
    missing = [c for c in SCORE_COLUMNS if c not in scores.columns]
    if missing:
        raise ScoresFormatError(
            f"scores lack column(s) {missing}: pass the output of score_scales "
            "(respondent_id, wave, scale, score)"
        )
    out = pd.DataFrame(
        {
            "respondent_id": scores["respondent_id"].astype(str).to_numpy(),
            "wave": scores["wave"].astype(str).to_numpy(),
            "scale": scores["scale"].astype(str).to_numpy(),
            "score": pd.to_numeric(scores["score"]).astype(float).to_numpy(),
        }
    )
    out = out[np.isfinite(out["score"])]
    dup = out.duplicated(["respondent_id", "wave", "scale"])
    if dup.any():
        first = out[dup].iloc[0]
        raise ScoresFormatError(
            f"{int(dup.sum())} duplicate score(s), e.g. {first['respondent_id']} "
            f"{first['scale']} at {first['wave']}: keep one score per supervisor, scale and wave"
        )
    for scale, part in out.groupby("scale", sort=False):
        if not (part["wave"] == baseline).any():
            raise NoBaselineError(
                f"scale {scale!r} has no scores at the baseline wave {baseline!r}: "
                "check the wave codes or pass baseline="
            )
    return out


def supervisor_characteristics(supervisors: pd.DataFrame) -> pd.DataFrame:
    """:data:`COVARIATES` as floats plus ``sex_female`` (1, 0 or NaN), by supervisor_id."""
    sup = supervisors.assign(supervisor_id=supervisors["supervisor_id"].astype(str))
    sup = sup.set_index("supervisor_id")
    sex = sup["sex"].astype(object).where(sup["sex"].notna(), None)
    chars = {c: pd.to_numeric(sup[c], errors="coerce").astype(float) for c in COVARIATES}
    female = np.where(sex.isna(), np.nan, (sex == "f").astype(float))
    return pd.DataFrame(chars, index=sup.index).assign(sex_female=female)


def _with_groups(data: pd.DataFrame, supervisors: pd.DataFrame | None) -> pd.DataFrame:
    if supervisors is None or "training_group_id" not in supervisors.columns:
        raise MissingTrainingGroupError(
            "group_effect=True needs the supervisors table with training_group_id: "
            "pass supervisors= or set group_effect=False"
        )
    group = dict(
        zip(
            supervisors["supervisor_id"].astype(str),
            supervisors["training_group_id"].astype(object),
            strict=True,
        )
    )
    g = data["respondent_id"].map(group)
    lacking = sorted(data.loc[g.isna(), "respondent_id"].unique())
    if lacking:
        raise MissingTrainingGroupError(
            f"{len(lacking)} supervisor(s) with scores have no training group (e.g. "
            f"{lacking[0]}): complete the supervisors table or set group_effect=False"
        )
    return data.assign(training_group_id=g.astype(str))


def _wave_design(part: pd.DataFrame, baseline: str) -> tuple[pd.DataFrame, list[str], str]:
    """Add one indicator per non-baseline wave: ``score ~ C(wave, Treatment(baseline))``."""
    later = sorted(w for w in part["wave"].unique() if w != baseline)
    cols = {f"wave_{i}": (part["wave"] == w).astype(float) for i, w in enumerate(later, 1)}
    formula = "score ~ " + (" + ".join(cols) if cols else "1")
    return part.assign(**cols), later, formula


def _fit_profile(data: pd.DataFrame, formula: str) -> MixedFit:
    """The random-intercept model by :func:`~mentorwijs.evaluation.reml.random_intercept_reml`."""
    terms = ["Intercept", *formula.split("~")[1].replace(" ", "").split("+")]
    terms = [c for c in terms if c != "1"]
    x = np.column_stack([np.ones(len(data)), *(data[c].to_numpy(float) for c in terms[1:])])
    fit = random_intercept_reml(
        data["score"].to_numpy(float), x, data["respondent_id"].astype(str).to_numpy()
    )
    return MixedFit(
        pd.Series(fit.beta, index=terms),
        pd.Series(fit.se, index=terms),
        fit.converged,
        fit.singular,
        (),
        fit.n_units,
        fit.n_obs,
    )


def fit_change_model(
    part: pd.DataFrame, *, baseline: str, group_effect: bool, engine: Engine = "mixedlm"
) -> tuple[list[str], MixedFit]:
    """Fit the change model of :func:`wave_changes` to one scale's long scores.

    Returns the later waves in order and the fit, whose terms ``wave_1``, ``wave_2``, …
    are the changes from ``baseline`` to those waves. ``part`` needs ``training_group_id``
    when ``group_effect``. ``engine="profile"`` fits the random-intercept model (without
    ``group_effect``) by the profiled REML of :mod:`~mentorwijs.evaluation.reml`: the same
    estimates as statsmodels' ``MixedLM`` to the optimisers' tolerance, a hundred times faster.
    """
    data, later, formula = _wave_design(part, baseline)
    if engine == "profile" and not group_effect:
        return later, _fit_profile(data, formula)
    if group_effect:
        fit = _fit_mixed(
            data,
            formula=formula,
            groups="training_group_id",
            re_formula="1",
            vc_formula={"supervisor": "0 + C(respondent_id)"},
        )
        fit = replace(fit, n_units=int(data["respondent_id"].nunique()))
    else:
        fit = _fit_mixed(data, formula=formula, groups="respondent_id")
    return later, fit


def wave_changes(
    scores: pd.DataFrame,
    *,
    supervisors: pd.DataFrame | None = None,
    group_effect: bool = False,
    level: float = 0.95,
    baseline: str = "T0",
    engine: Engine = "mixedlm",
) -> pd.DataFrame:
    r"""Change from the baseline wave in each scale, from a linear mixed model.

    Parameters
    ----------
    scores
        Long scale scores, one row per supervisor, wave and scale: ``respondent_id``,
        ``wave``, ``scale``, ``score`` (as from ``score_scales``). Missing scores are dropped.
    supervisors
        The ``supervisors`` table; needed (for ``training_group_id``) when ``group_effect``.
    group_effect
        Add a random intercept per training group, with supervisors nested in groups.
    level
        Confidence level of the intervals.
    baseline
        The wave changes are measured from.
    engine
        ``"mixedlm"`` (statsmodels) or ``"profile"`` (the fast profiled REML of
        :func:`~mentorwijs.evaluation.reml.random_intercept_reml`; without ``group_effect``).

    Returns
    -------
    DataFrame
        One row per scale and later wave: ``scale``, ``wave``, ``estimate`` (mean change
        from baseline), ``se``, ``ci_low``, ``ci_high``, ``p_val``, ``effect_size``
        (change divided by the SD of the baseline scores), ``es_ci_low``, ``es_ci_high``,
        ``n_units`` (supervisors in the model), ``n_obs`` (scores in the model), ``n_wave``
        (supervisors with a score at this wave), ``converged``, ``singular``,
        ``suppressed``.

    Notes
    -----
    Per scale, fitted by REML (statsmodels ``MixedLM``):

    .. math:: y_{iw} = \beta_0 + \sum_{w \ne 0} \beta_w 1[\text{wave} = w] + u_i + e_{iw},
       \quad u_i \sim N(0, \tau^2),\ e_{iw} \sim N(0, \sigma^2)

    that is ``score ~ C(wave, Treatment("T0")) + (1 | supervisor)``; with ``group_effect``
    a term ``(1 | training_group)`` is added. ``estimate`` is :math:`\hat\beta_w`; the
    interval is :math:`\hat\beta_w \pm z_{1-\alpha/2}\,\mathrm{SE}` and ``p_val`` the
    two-sided Wald *z* test (lme4 gives no p-values; with >100 supervisors the normal
    reference is close to Satterthwaite's *t*). Supervisors who miss a wave still count:
    the estimate is unbiased when missingness depends only on observed scores (MAR).

    ``effect_size`` is the standardised mean change :math:`\hat\beta_w / s_0`, with
    :math:`s_0` the sample SD of the baseline scores in the model (a *d* with the
    baseline SD as standardiser, Morris & DeShon 2002); its interval divides the
    interval bounds by :math:`s_0` and ignores the uncertainty in :math:`s_0`.

    A fit whose optimisers all fail is reported with ``converged=False`` and a
    :class:`MixedModelWarning`; ``singular=True`` means a random-effect variance was
    estimated as zero (common for the training-group term), which is a valid REML
    estimate. Cells with fewer than 10 supervisors are suppressed
    (:func:`~mentorwijs.evaluation.disclosure.suppress_small_cells`).

    References
    ----------
    Bates D, Mächler M, Bolker B, Walker S (2015). Fitting linear mixed-effects models
    using lme4. J Stat Softw 67(1). doi:10.18637/jss.v067.i01

    Morris SB, DeShon RP (2002). Combining effect size estimates in meta-analysis with
    repeated measures and independent-groups designs. Psychol Methods 7(1):105-125.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> person = np.repeat(np.arange(40), 2)
    >>> s = pd.DataFrame({"respondent_id": person, "wave": ["T0", "T1"] * 40,
    ...                   "scale": "knowledge",
    ...                   "score": 3 + 0.5 * (np.arange(80) % 2) + rng.normal(0, .3, 80)})
    >>> round(float(wave_changes(s)["estimate"].iloc[0]), 1)
    0.5
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, not {level}")
    data = tidy_scores(scores, baseline)
    if group_effect:
        data = _with_groups(data, supervisors)
    if not (data["wave"] != baseline).any():
        raise NoRespondentsError(
            f"no supervisor has a scale score at a wave after {baseline} yet: the change from "
            f"{baseline} needs scores at {baseline} and at a later wave"
        )
    z = stats.norm.ppf(0.5 + level / 2)
    rows = []
    for scale, part in data.groupby("scale", sort=False):
        if part["respondent_id"].nunique() < 2:
            raise TooFewSupervisorsError(
                f"scale {scale!r} has scores of fewer than 2 supervisors: nothing to model"
            )
        later, fit = fit_change_model(
            part, baseline=baseline, group_effect=group_effect, engine=engine
        )
        if not fit.converged:
            warnings.warn(
                f"mixed model for {scale!r} did not converge ({'; '.join(fit.messages)}); "
                "its rows have converged=False",
                MixedModelWarning,
                stacklevel=2,
            )
        sd0 = float(part.loc[part["wave"] == baseline, "score"].std(ddof=1))
        for i, wave in enumerate(later, 1):
            est, se = fit.estimate[f"wave_{i}"], fit.se[f"wave_{i}"]
            rows.append(
                {
                    "scale": scale,
                    "wave": wave,
                    "estimate": est,
                    "se": se,
                    "ci_low": est - z * se,
                    "ci_high": est + z * se,
                    "p_val": 2 * stats.norm.sf(abs(est / se)),
                    "effect_size": est / sd0 if sd0 > 0 else np.nan,
                    "es_ci_low": (est - z * se) / sd0 if sd0 > 0 else np.nan,
                    "es_ci_high": (est + z * se) / sd0 if sd0 > 0 else np.nan,
                    "n_units": fit.n_units,
                    "n_obs": fit.n_obs,
                    "n_wave": int((part["wave"] == wave).sum()),
                    "converged": fit.converged,
                    "singular": fit.singular,
                }
            )
    return suppress_small_cells(
        pd.DataFrame(rows), count_cols=["n_units", "n_wave"], stat_cols=STAT_COLUMNS
    )
