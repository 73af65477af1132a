"""Reliability coefficients of a scale's complete item scores: alpha, its Feldt interval,
a one-factor model and McDonald's omega. Pure NumPy on arrays of shape ``(n, k)``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from mentorwijs.evaluation.errors import TooFewItemsError


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of complete item scores.

    Parameters
    ----------
    items
        Array of shape ``(n, k)``: ``n`` respondents, ``k >= 2`` items, no missing values.

    Returns
    -------
    float
        :math:`\\alpha = \\frac{k}{k-1}\\bigl(1 - \\sum_j s_j^2 / s_T^2\\bigr)`, with
        :math:`s_j^2` the item variances and :math:`s_T^2` the variance of the sum score;
        NaN with a warning when the sum score does not vary or ``n < 2``.

    References
    ----------
    .. [1] Cronbach LJ (1951). Psychometrika 16(3), 297-334.
    """
    x = np.asarray(items, dtype=float)
    n, k = x.shape
    if k < 2:
        raise TooFewItemsError(f"alpha needs at least 2 items, got {k}: add items")
    total_var = x.sum(axis=1).var(ddof=1) if n >= 2 else 0.0
    if total_var == 0:
        warnings.warn("the sum score does not vary: alpha is NaN", stacklevel=2)
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def feldt_ci(alpha: float, *, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's F-based confidence interval of coefficient alpha.

    Parameters
    ----------
    alpha, n, k, level
        The estimate, its respondents and items (both ``>= 2``), the confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)`` with :math:`1 - (1-\\hat\\alpha) F_{1-\\gamma/2}` and
        :math:`1 - (1-\\hat\\alpha) F_{\\gamma/2}`, :math:`F_p` the :math:`p` quantile of
        :math:`F(n-1, (n-1)(k-1))` and :math:`\\gamma = 1 - \\text{level}`.

    Notes
    -----
    Under parallel items :math:`(1-\\alpha)/(1-\\hat\\alpha) \\sim F(n-1, (n-1)(k-1))`
    (Feldt 1965; Feldt, Woodruff & Salih 1987, formulas 6-7).

    References
    ----------
    .. [1] Feldt LS (1965). Psychometrika 30(3), 357-370.
    .. [2] Feldt LS, Woodruff DJ, Salih FA (1987). Applied Psychological Measurement 11(1),
       93-103.
    """
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return float("nan"), float("nan")
    gamma = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.ppf(1 - gamma / 2, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(gamma / 2, df1, df2)
    return float(low), float(high)


def one_factor_fit(
    cov: np.ndarray, *, max_iter: int = 1000, tol: float = 1e-9
) -> tuple[np.ndarray, np.ndarray]:
    """Loadings and unique variances of a one-factor model, by iterated principal axes.

    Parameters
    ----------
    cov
        Covariance (or correlation) matrix, shape ``(k, k)``, ``k >= 3``.

    Returns
    -------
    loadings, uniquenesses
        Arrays of shape ``(k,)``, loadings signed so that their sum is positive. NaN with a
        warning when the iterations do not converge.

    Notes
    -----
    Start from the squared multiple correlations, scaled to the item variances
    (:math:`h_j = s_{jj} - 1/(S^{-1})_{jj}`); then repeat: put :math:`h` on the diagonal
    of :math:`S`, take its largest eigenpair :math:`(e, v)`, set :math:`\\lambda =
    \\sqrt{e}\\, v` and :math:`h = \\lambda^2` (capped at :math:`s_{jj}`: a Heywood case gets
    unique variance 0). The fixed point minimises the off-diagonal residuals
    :math:`\\sum_{i \\ne j} (s_{ij} - \\lambda_i \\lambda_j)^2`: the unweighted least squares
    ("minres") solution (Harman 1976, ch. 8). Unique variances are
    :math:`\\theta_j = s_{jj} - \\lambda_j^2`.

    References
    ----------
    .. [1] Harman HH (1976). Modern Factor Analysis, 3rd ed. University of Chicago Press.
    """
    s = np.asarray(cov, dtype=float)
    d = np.diag(s).copy()
    try:
        h = np.clip(d - 1 / np.diag(np.linalg.inv(s)), 0, d)
    except np.linalg.LinAlgError:  # singular: start from half the variances
        h = 0.5 * d
    for _ in range(max_iter):
        reduced = s.copy()
        np.fill_diagonal(reduced, h)
        values, vectors = np.linalg.eigh(reduced)
        lam = np.sqrt(max(values[-1], 0.0)) * vectors[:, -1]
        h_new = np.minimum(lam**2, d)
        if np.max(np.abs(h_new - h)) < tol:
            break
        h = h_new
    else:
        warnings.warn("the one-factor fit did not converge: omega is NaN", stacklevel=2)
        return np.full(len(d), np.nan), np.full(len(d), np.nan)
    lam = -lam if lam.sum() < 0 else lam
    return lam, d - h_new


def omega_total(items: np.ndarray) -> float:
    """McDonald's omega total of complete item scores, from a one-factor model.

    Parameters
    ----------
    items
        Array of shape ``(n, k)``, ``k >= 3`` items, no missing values.

    Returns
    -------
    float
        :math:`\\omega = (\\sum_j \\lambda_j)^2 / \\bigl((\\sum_j \\lambda_j)^2 + \\sum_j
        \\theta_j\\bigr)`, loadings :math:`\\lambda` and unique variances :math:`\\theta` of
        :func:`one_factor_fit` on the covariance matrix (so omega is the reliability of the
        unweighted sum, or mean, of the raw items); NaN with a warning for ``k < 3``, where
        a one-factor model is not identified.

    References
    ----------
    .. [1] McDonald RP (1999). Test Theory: A Unified Treatment. Erlbaum, ch. 6.
    .. [2] Revelle W, Zinbarg RE (2009). Psychometrika 74(1), 145-154.
    """
    x = np.asarray(items, dtype=float)
    if x.shape[1] < 3 or x.shape[0] < 2:
        warnings.warn(f"omega needs 3 items and 2 respondents, got {x.shape}: NaN", stacklevel=2)
        return float("nan")
    lam, theta = one_factor_fit(np.cov(x, rowvar=False))
    common = lam.sum() ** 2
    return float(common / (common + theta.sum()))
