"""The propensity score: a logistic regression of treatment on the matching covariates.

Fitted by Newton-Raphson (iteratively reweighted least squares) in NumPy, so that 505,000
persons x 40 columns take about a second; statsmodels' ``Logit`` gives the same coefficients
(``tests/test_matching.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from mentorwijs.evaluation.errors import InvalidMatchingInputError, PropensityModelError

#: The matching covariates of :func:`mentorwijs.evaluation.register.matching_covariates`
#: (region is left out: the study's controls come from other regions, so region would
#: predict treatment perfectly; match on it with ``exact`` when controls share regions).
DEFAULT_COLUMNS = (
    "sex",
    "age",
    "education",
    "migration_background",
    "months_worked_12m",
    "years_in_job",
    "benefit_sa_ue_12m",
    "benefit_sick_dis_12m",
    "temporary_contract",
    "sector",
    "employer_size",
    "sheltered",
    "hourly_wage",
    "earnings_12m",
    "months_worked_24_13m",
)


def _is_categorical(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s.dtype):
        return bool(s.isna().any())  # a boolean with gaps gets a "missing" level
    return not pd.api.types.is_numeric_dtype(s.dtype)


@dataclass(frozen=True)
class _Column:
    """One covariate: float values, or integer codes into sorted levels."""

    name: str
    values: np.ndarray
    levels: list[Any] | None  # None for a numeric column


def _read_columns(df: pd.DataFrame, columns: Sequence[str]) -> list[_Column]:
    """Numeric and complete boolean columns as floats; others as codes of sorted levels.

    A missing value of a categorical column is the level ``"missing"``; a missing number is
    an error.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidMatchingInputError(f"columns {missing} are not in the covariates")
    out = []
    for col in columns:
        s = df[col]
        if _is_categorical(s):
            text = s.astype(object).where(s.notna(), "missing").astype(str)
            codes, levels = pd.factorize(text, sort=True)
            out.append(_Column(col, codes, list(levels)))
            continue
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(x).any():
            raise PropensityModelError(
                f"column {col!r} has {int(np.isnan(x).sum())} missing values: impute them, "
                "drop those persons, or leave the column out of columns"
            )
        out.append(_Column(col, x, None))
    return out


def _design(
    cols: list[_Column], terms: list[tuple[int, int | None]], rows: np.ndarray | None
) -> np.ndarray:
    """Matrix of the (column, level) terms on the selected rows, in one allocation."""
    n = len(cols[0].values) if rows is None else len(rows)
    x = np.empty((n, len(terms)), dtype=np.float64, order="F")  # filled by column
    for j, (c, level) in enumerate(terms):
        v = cols[c].values if rows is None else cols[c].values[rows]
        x[:, j] = v if level is None else v == level
    return x


def _expand(
    df: pd.DataFrame, columns: Sequence[str]
) -> tuple[np.ndarray, list[str], list[str], list[Any]]:
    """All terms (every level of a category) with their term, variable and level names."""
    cols = _read_columns(df, columns)
    terms = [
        (c, lv)
        for c, col in enumerate(cols)
        for lv in ([None] if col.levels is None else range(len(col.levels)))
    ]
    names = [_term_name(cols, t) for t in terms]
    levels = [None if lv is None else cols[c].levels[lv] for c, lv in terms]  # type: ignore[index]
    return _design(cols, terms, None), names, [cols[c].name for c, _ in terms], levels


def _term_name(cols: list[_Column], term: tuple[int, int | None]) -> str:
    c, lv = term
    col = cols[c]
    return col.name if lv is None or col.levels is None else f"{col.name}[{col.levels[lv]}]"


def _bool(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns or df[col].isna().any():
        raise InvalidMatchingInputError(f"{col!r} must be a column of true/false without gaps")
    return df[col].to_numpy(dtype=bool)


@dataclass(frozen=True)
class LogitFit:
    """A fitted logistic regression: ``P(y = 1 | x) = 1 / (1 + exp(-x'b))``.

    Attributes: ``terms`` (names, ``Intercept`` first), ``coef`` and ``cov`` (inverse of the
    information matrix), ``linear_predictor`` and ``fitted`` (n,), ``loglik``, ``n_iter``.
    """

    terms: list[str]
    coef: np.ndarray
    cov: np.ndarray
    linear_predictor: np.ndarray = field(repr=False)
    fitted: np.ndarray = field(repr=False)
    loglik: float
    n_iter: int

    def tidy(self) -> pd.DataFrame:
        """``term, estimate, se, z, p_val`` (Wald tests)."""
        se = np.sqrt(np.diag(self.cov))
        z = self.coef / se
        return pd.DataFrame(
            {
                "term": self.terms,
                "estimate": self.coef,
                "se": se,
                "z": z,
                "p_val": 2 * stats.norm.sf(np.abs(z)),
            }
        )


def _information(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``X' diag(w) X`` summed over blocks of rows.

    Blocks of at most ~2**17 / p**2 rows keep each BLAS call below OpenBLAS's threading
    threshold: as fast as one big call here, and immune to the stalls of its busy-waiting
    thread pool on a machine whose cores are taken by other processes (0.03 s became 13 s).
    """
    n, p = x.shape
    step = max(64, 2**17 // max(1, p * p))
    out = np.zeros((p, p))
    for i in range(0, n, step):
        xb = x[i : i + step] * np.sqrt(w[i : i + step])[:, None]
        out += xb.T @ xb
    return out


def fit_logit(
    x: np.ndarray, y: np.ndarray, *, terms: Sequence[str] | None = None, max_iter: int = 100
) -> LogitFit:
    """Maximum-likelihood logistic regression by Newton-Raphson.

    Parameters
    ----------
    x
        Design matrix (n, p) including the intercept column.
    y
        Outcome (n,), 0/1.
    terms
        Names of the p columns.
    max_iter
        Newton steps before giving up.

    Returns
    -------
    LogitFit

    Raises
    ------
    PropensityModelError
        When the columns are collinear, or the likelihood has no maximum because the
        covariates separate the groups completely (or the steps do not settle).

    Notes
    -----
    Each step solves :math:`(X^T W X)\\,\\delta = X^T (y - p)` with
    :math:`W = \\mathrm{diag}(p(1-p))`, on columns scaled to unit standard deviation for a
    well-conditioned system, halving the step while the log-likelihood falls; it stops when
    no scaled coefficient moves more than 1e-10 (McCullagh & Nelder 1989, section 4.4).
    """
    n, p = x.shape
    y = np.asarray(y, dtype=np.float64)
    names = list(terms) if terms is not None else [f"x{j}" for j in range(p)]
    scale_raw = x.std(axis=0)
    scale = scale_raw.copy()
    scale[scale == 0] = np.abs(x[0, scale == 0]) if n else 1.0
    scale[scale == 0] = 1.0
    b = np.zeros(p)
    const = np.flatnonzero((scale_raw == 0) & (x[0] != 0)) if n else np.empty(0, dtype=int)
    if len(const) and 0 < y.mean() < 1:  # start from the overall rate, not from 1/2
        b[const[0]] = np.log(y.mean() / (1 - y.mean())) / x[0, const[0]]

    def loglik(eta: np.ndarray) -> float:
        return float(np.sum(y * eta - np.logaddexp(0.0, eta)))

    eta = x @ b
    ll = loglik(eta)
    it = 0
    for it in range(1, max_iter + 1):
        mu = expit(eta)
        info = _information(x, mu * (1.0 - mu)) / np.outer(scale, scale)
        grad = (x.T @ (y - mu)) / scale
        if it == 1:
            eig = np.linalg.eigvalsh(info)
            if not eig[0] > 1e-10 * eig[-1]:
                raise PropensityModelError(
                    "the propensity model's columns are collinear: leave out a column that "
                    "repeats others (e.g. a dummy for every level of a category)"
                )
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            break  # weights vanished: separation, reported below
        for _ in range(40):
            b_new = b + step / scale
            eta_new = x @ b_new
            ll_new = loglik(eta_new)
            if ll_new >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        b, eta, ll = b_new, eta_new, ll_new
        if np.max(np.abs(step)) < 1e-10:
            break
    else:
        it = max_iter + 1
    separated = bool(np.all(np.abs(y - expit(eta)) < 1e-6))  # every person predicted
    if it > max_iter or separated or not np.isfinite(b).all():
        worst = names[int(np.nanargmax(np.abs(b * scale)))]
        raise PropensityModelError(
            f"the propensity model did not converge in {max_iter} steps: covariates predict "
            f"treatment (nearly) perfectly (largest coefficient: {worst}). Drop or coarsen "
            "that covariate, or match exactly on it with exact=[...]"
        )
    mu = expit(eta)
    info = _information(x, mu * (1.0 - mu)) / np.outer(scale, scale)
    cov = np.linalg.pinv(info) / np.outer(scale, scale)
    return LogitFit(names, b, cov, eta, mu, ll, it)


def propensity_model(
    covariates: pd.DataFrame,
    *,
    treatment: str = "treated",
    columns: Sequence[str] = DEFAULT_COLUMNS,
) -> LogitFit:
    """Logistic regression of treatment on the covariates: the propensity model.

    Parameters
    ----------
    covariates
        One row per person (e.g. from ``matching_covariates``).
    treatment
        Boolean column: treated (true) or control.
    columns
        Covariates. Numeric and complete boolean columns enter linearly; text, categorical
        and incomplete boolean columns enter as dummies (the most common level is the
        reference; a missing value is its own level ``"missing"``).

    Returns
    -------
    LogitFit
        Terms ``Intercept``, then one per numeric column and ``column[level]`` per dummy.

    Warns
    -----
    UserWarning
        When a category holds no treated person (or no control): the likelihood has no
        finite maximum there. Its persons are set aside, get the limit score 0 (or 1) and
        the term the estimate -inf (+inf, standard error NaN); the model is fitted on the
        others.

    References
    ----------
    Rosenbaum, P. R. & Rubin, D. B. (1983). The central role of the propensity score in
    observational studies for causal effects. Biometrika 70(1), 41-55.
    """
    y = _bool(covariates, treatment)
    if y.all() or not y.any():
        raise PropensityModelError("the propensity model needs treated and control persons")
    cols = _read_columns(covariates, columns)
    n = len(y)
    certain = np.zeros(n, dtype=np.int8)  # -1: a level without treated, +1: without controls
    notes: list[tuple[str, float]] = []
    for col in cols:
        if col.levels is None:
            continue
        n_t = np.bincount(col.values[y], minlength=len(col.levels))
        n_c = np.bincount(col.values[~y], minlength=len(col.levels))
        for lv, name in enumerate(col.levels):
            if n_t[lv] == 0 or n_c[lv] == 0:
                sign = -1 if n_t[lv] == 0 else 1
                certain[(col.values == lv) & (certain == 0)] = sign
                notes.append((f"{col.name}[{name}]", sign * np.inf))
    rows = np.flatnonzero(certain == 0)
    yk = y[rows]
    if yk.all() or not yk.any():
        raise PropensityModelError(
            "after setting aside categories with only treated or only controls, one group is "
            "empty: coarsen the categorical columns or leave them out"
        )
    terms: list[tuple[int, int | None]] = []
    for c, col in enumerate(cols):
        if col.levels is None:
            if np.ptp(col.values[rows]) == 0:
                raise PropensityModelError(f"column {col.name!r} has one value only: leave it out")
            terms.append((c, None))
            continue
        count = np.bincount(col.values[rows], minlength=len(col.levels))
        present = np.flatnonzero(count)
        reference = present[np.argmax(count[present])]  # the most common level
        terms += [(c, int(lv)) for lv in present if lv != reference]
    x = _design(
        [_Column("Intercept", np.ones(n), None), *cols],
        [(0, None)] + [(c + 1, lv) for c, lv in terms],
        rows,
    )
    fit = fit_logit(x, yk, terms=["Intercept", *(_term_name(cols, t) for t in terms)])
    if not notes:
        return fit
    warnings.warn(
        f"{len(notes)} categories hold only controls or only treated persons "
        f"({', '.join(t for t, _ in notes)}): their persons get a propensity score of "
        "exactly 0 or 1 and cannot be matched",
        UserWarning,
        stacklevel=2,
    )
    eta = np.where(certain < 0, -np.inf, np.inf)
    eta[rows] = fit.linear_predictor
    p = len(fit.coef) + len(notes)
    cov = np.full((p, p), np.nan)
    cov[: len(fit.coef), : len(fit.coef)] = fit.cov
    return LogitFit(
        [*fit.terms, *(t for t, _ in notes)],
        np.concatenate([fit.coef, [v for _, v in notes]]),
        cov,
        eta,
        expit(eta),
        fit.loglik,
        fit.n_iter,
    )


def propensity_scores(
    covariates: pd.DataFrame,
    *,
    treatment: str = "treated",
    columns: Sequence[str] = DEFAULT_COLUMNS,
) -> pd.Series:
    """Estimated propensity scores ``P(treated | covariates)``, indexed like ``covariates``.

    See :func:`propensity_model` for the model; the Series is named ``pscore``.
    """
    fit = propensity_model(covariates, treatment=treatment, columns=columns)
    return pd.Series(fit.fitted, index=covariates.index, name="pscore")
