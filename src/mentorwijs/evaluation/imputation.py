"""Multiple imputation: chained equations to fill in, Rubin's rules to pool.

Both are small pure functions so that any analysis can use them: impute with
:func:`impute_chained`, run the complete-data analysis on each data set, pool the estimates
with :func:`pool_rubin`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentorwijs.evaluation.errors import ImputationError

#: Ridge added to the diagonal of X'X, relative to it, as in R's mice (``ridge = 1e-05``).
RIDGE = 1e-5


@dataclass(frozen=True)
class RubinPooled:
    """Pooled estimates; every field has the shape of one data set's estimates.

    Attributes
    ----------
    estimate
        :math:`\\bar Q`, the mean of the estimates.
    within, between, total
        :math:`\\bar U`, :math:`B` and :math:`T = \\bar U + (1 + 1/m) B`.
    se
        :math:`\\sqrt T`.
    df
        Degrees of freedom for the *t* reference: Barnard–Rubin when the complete-data
        degrees of freedom are known, else Rubin's (1987) classic formula.
    riv
        Relative increase in variance :math:`r = (1 + 1/m) B / \\bar U`.
    lam
        Proportion of the total variance due to missingness :math:`\\lambda = (1+1/m)B/T`.
    fmi
        Fraction of missing information :math:`(r + 2/(\\nu + 3)) / (1 + r)`.
    m
        Number of imputations.
    """

    estimate: np.ndarray
    within: np.ndarray
    between: np.ndarray
    total: np.ndarray
    se: np.ndarray
    df: np.ndarray
    riv: np.ndarray
    lam: np.ndarray
    fmi: np.ndarray
    m: int


def pool_rubin(
    estimates: np.ndarray | list[float],
    variances: np.ndarray | list[float],
    *,
    n_obs: int | None = None,
    n_params: int = 1,
) -> RubinPooled:
    r"""Pool estimates from ``m`` imputed data sets with Rubin's rules.

    Parameters
    ----------
    estimates
        Shape ``(m,)`` or ``(m, k)``: the estimate(s) from each imputed data set.
    variances
        Same shape: their squared standard errors.
    n_obs, n_params
        Observations and parameters of the complete-data model; when given, the
        complete-data degrees of freedom :math:`\nu_{com} = n_{obs} - n_{params}` enter the
        Barnard–Rubin small-sample degrees of freedom.

    Returns
    -------
    RubinPooled
        Fields of shape ``()`` (for ``(m,)`` input) or ``(k,)``.

    Notes
    -----
    With :math:`m` estimates :math:`Q_i` and variances :math:`U_i`:

    .. math::
        \bar Q = \frac1m \sum Q_i,\quad \bar U = \frac1m \sum U_i,\quad
        B = \frac{1}{m-1} \sum (Q_i - \bar Q)^2,\quad T = \bar U + (1 + 1/m) B.

    With :math:`\lambda = (1+1/m)B/T`, Rubin's degrees of freedom are
    :math:`\nu_{old} = (m-1)/\lambda^2`; Barnard and Rubin's are
    :math:`\nu = \nu_{old}\nu_{obs}/(\nu_{old} + \nu_{obs})` with
    :math:`\nu_{obs} = \frac{\nu_{com}+1}{\nu_{com}+3}\nu_{com}(1-\lambda)`. The fraction
    of missing information is :math:`\gamma = (r + 2/(\nu+3))/(1+r)`, as in R's
    ``mice::pool``. When :math:`B = 0` (nothing imputed) :math:`\nu_{old} = \infty`.

    References
    ----------
    Rubin DB (1987). Multiple Imputation for Nonresponse in Surveys. Wiley.

    Barnard J, Rubin DB (1999). Small-sample degrees of freedom with multiple imputation.
    Biometrika 86(4):948-955.

    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed., section 2.3.

    Examples
    --------
    >>> p = pool_rubin([1.0, 1.2, 1.4], [0.09, 0.10, 0.11])
    >>> round(float(p.estimate), 3), round(float(p.total), 4), round(float(p.df), 3)
    (1.2, 0.1533, 16.531)
    """
    q = np.asarray(estimates, dtype=float)
    u = np.asarray(variances, dtype=float)
    if q.shape != u.shape or q.ndim not in (1, 2):
        raise ImputationError(
            f"estimates {q.shape} and variances {u.shape} must have the same shape (m,) or (m, k)"
        )
    m = q.shape[0]
    if m < 2:
        raise ImputationError(f"pooling needs at least 2 imputations, got {m}: raise m")
    if (u < 0).any():
        raise ImputationError("a variance is negative: pass squared standard errors")
    qbar, ubar = q.mean(axis=0), u.mean(axis=0)
    b = q.var(axis=0, ddof=1)
    extra = (1 + 1 / m) * b
    total = ubar + extra
    with np.errstate(divide="ignore", invalid="ignore"):
        riv = extra / ubar
        lam = extra / total
        df = np.where(lam > 0, (m - 1) / lam**2, np.inf)
        if n_obs is not None:
            com = float(n_obs - n_params)
            if com <= 0:
                raise ImputationError(f"n_obs - n_params = {com} must be positive")
            obs = (com + 1) / (com + 3) * com * (1 - lam)
            df = np.where(np.isinf(df), obs, df * obs / (df + obs))
        fmi = (riv + 2 / (df + 3)) / (1 + riv)
    return RubinPooled(qbar, ubar, b, total, np.sqrt(total), df, riv, lam, fmi, m)


def _draw_norm(
    rng: np.random.Generator, x_obs: np.ndarray, y_obs: np.ndarray, x_mis: np.ndarray
) -> np.ndarray:
    """One draw of the missing ``y`` from the Bayesian linear model (mice's ``norm``)."""
    xtx = x_obs.T @ x_obs
    xtx += np.diag(RIDGE * np.diag(xtx))
    v = np.linalg.inv(xtx)
    beta = v @ x_obs.T @ y_obs
    resid = y_obs - x_obs @ beta
    df = len(y_obs) - x_obs.shape[1]
    sigma = np.sqrt(resid @ resid / rng.chisquare(df))
    chol = np.linalg.cholesky((v + v.T) / 2)
    beta_star = beta + sigma * chol @ rng.standard_normal(len(beta))
    return x_mis @ beta_star + sigma * rng.standard_normal(len(x_mis))


def impute_chained(
    data: pd.DataFrame, *, n_imputations: int, seed: int, n_iter: int = 10
) -> list[pd.DataFrame]:
    r"""Multiple imputation by chained equations with Bayesian linear regression.

    Parameters
    ----------
    data
        Numeric columns; NaN marks a missing value. Not modified.
    n_imputations
        Number of completed data sets ``m``.
    seed
        Seed of ``numpy.random.SeedSequence``; each imputation gets its own stream.
    n_iter
        Cycles through the incomplete columns per imputation (R's ``mice`` uses 5).

    Returns
    -------
    list of DataFrame
        ``m`` completed copies of ``data`` (same index and columns).

    Notes
    -----
    Each chain starts from random draws of each column's observed values. In each cycle,
    each incomplete column :math:`y` is regressed on all other columns :math:`X` (with an
    intercept) over the rows where :math:`y` is observed, and its missing values are
    replaced by a draw from the posterior predictive distribution (van Buuren 2018,
    Algorithm 3.1; ``mice.impute.norm``):
    :math:`\hat\beta = (X'X)^{-1}X'y`,
    :math:`\sigma_*^2 = \hat e'\hat e / g` with :math:`g \sim \chi^2_{n_{obs}-p}`,
    :math:`\beta_* \sim N(\hat\beta, \sigma_*^2 (X'X)^{-1})`,
    :math:`y_{mis} = X_{mis}\beta_* + \sigma_* \varepsilon`. Imputed values are not
    rounded or bounded, which keeps the imputation model linear and the means unbiased.

    References
    ----------
    van Buuren S, Groothuis-Oudshoorn K (2011). mice: Multivariate imputation by chained
    equations in R. J Stat Softw 45(3). doi:10.18637/jss.v045.i03

    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.
    """
    x0 = data.to_numpy(dtype=float, copy=True)
    miss = np.isnan(x0)
    empty = [str(c) for c, e in zip(data.columns, miss.all(axis=0), strict=True) if e]
    if empty:
        raise ImputationError(f"column(s) {empty} have no observed value: drop them first")
    todo = [j for j in range(x0.shape[1]) if miss[:, j].any()]
    p = x0.shape[1]  # intercept plus the other p - 1 columns
    for j in todo:
        if (~miss[:, j]).sum() - p < 1:
            raise ImputationError(
                f"column {data.columns[j]!r} has {(~miss[:, j]).sum()} observed values for "
                f"{p} predictors: use fewer columns"
            )
    out = []
    streams = np.random.SeedSequence(seed).spawn(n_imputations)
    for rng in (np.random.default_rng(s) for s in streams):
        x = x0.copy()
        for j in todo:
            x[miss[:, j], j] = rng.choice(x0[~miss[:, j], j], miss[:, j].sum())
        for _ in range(n_iter):
            for j in todo:
                design = np.column_stack([np.ones(len(x)), np.delete(x, j, axis=1)])
                obs = ~miss[:, j]
                x[~obs, j] = _draw_norm(rng, design[obs], x[obs, j], design[~obs])
        out.append(pd.DataFrame(x, index=data.index, columns=data.columns))
    return out
