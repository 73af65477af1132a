"""Employment outcomes and matching covariates from the monthly register panel.

The panel (``register_months``) has one row per person and calendar month. At national scale
that is 24 million rows, so every step here is vectorised: person ids become integer codes and
``YYYY-MM`` months become integer month indexes once (``year * 12 + month - 1``); flags are
NumPy booleans; per-person sums are ``np.bincount`` over the codes. No loop visits persons.

Text columns are coded by :mod:`mentorwijs.evaluation.codes` (categorical columns through
their codes, pyarrow strings from their buffers), never by hashing every row if avoidable.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.codes import (
    BENEFITS,
    benefit_codes,
    factorize,
    month_index,
    month_label,
    person_codes,
)
from mentorwijs.evaluation.errors import InvalidMonthError, InvalidPanelError, NoPrePeriodError

__all__ = [
    "BENEFITS",
    "HOURS_1H",
    "HOURS_12H",
    "InvalidMonthError",
    "InvalidPanelError",
    "NoPrePeriodError",
    "employment_outcomes",
    "matching_covariates",
    "month_index",
    "month_label",
]

#: Hours in a month that make "employed >= 1 hour".
HOURS_1H = 1.0
#: Hours in a month that make "employed >= 12 hours a week": 12 h x 52 weeks / 12 months = 52.
HOURS_12H = 12.0 * 52.0 / 12.0
#: Person columns of ``register_persons`` carried into the covariates unchanged.
PERSON_COLUMNS = (
    "sex",
    "region_id",
    "education",
    "migration_background",
    "sector",
    "employer_size",
    "sheltered",
    "temporary_contract",
    "years_in_job",
    "hourly_wage",
)


def _numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    x = df[col].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(x).any():
        raise InvalidPanelError(
            f"{int(np.isnan(x).sum())} register rows have no {col}: fill in 0 or drop the rows"
        )
    return x


def _panel_arrays(
    register_months: pd.DataFrame, person_ids: pd.Series | pd.Index | None
) -> dict[str, Any]:
    """Codes and flags of the raw panel, in its row order."""
    person, categories = person_codes(register_months["person_id"], person_ids)
    return {
        "person": person,
        "categories": categories,
        "month": month_index(register_months["month"]),
        "hours": _numbers(register_months, "hours"),
        "wage": _numbers(register_months, "wage"),
        "benefit": benefit_codes(register_months["benefit"]),
    }


def employment_outcomes(
    register_months: pd.DataFrame, *, person_ids: pd.Series | pd.Index | None = None
) -> pd.DataFrame:
    """Monthly employment outcomes per person, memory-lean and sorted by person and month.

    Parameters
    ----------
    register_months
        The ``register_months`` table (``person_id``, ``month``, ``hours``, ``wage``,
        ``benefit``, ``benefit_amount``); string or categorical id and month columns.
    person_ids
        The categories of the returned ``person_id`` column, usually
        ``register_persons["person_id"]``, so that its codes are row numbers of
        ``register_persons``. Default: the persons of the panel, in order of appearance.

    Returns
    -------
    DataFrame
        One row per person and month, sorted by person code and month:

        ``person_id``
            Categorical; ``.cat.codes`` is the integer person code.
        ``month``
            int32 month index (``year * 12 + month - 1``; :func:`month_label` inverts it).
        ``employed_1h``
            bool, ``hours >= 1`` in the month.
        ``employed_12h``
            bool, at least 12 hours a week: ``hours >= 12 * 52 / 12 = 52`` in the month.
        ``employed_3m``
            bool, employed >= 1 hour in this month and in both calendar months before it
            (three consecutive months; false when a month before is absent from the panel).
        ``on_benefit``
            bool, ``benefit != "none"``.
        ``benefit``
            Categorical with the categories :data:`BENEFITS` (int8 codes).
        ``earnings``
            float64, the gross wage of the month in euros.

    Raises
    ------
    InvalidPanelError
        Duplicate person-months, missing values, unknown persons or benefit codes.
    InvalidMonthError
        A month that is not ``YYYY-MM``.

    Notes
    -----
    The weekly threshold converts with the average month of 52 / 12 = 4.33 weeks, so
    12 hours a week is 52 hours in a month, the same for every calendar month. The three-month
    rule follows the published evaluation's "at least three consecutive months employed"
    (Schaap et al. 2023), evaluated at each month as the end of a run.

    A panel already sorted by person and month (as the package writer stores it) is used in
    place; otherwise it is sorted once (``argsort`` of ``code * span + month``).
    """
    a = _panel_arrays(register_months, person_ids)
    person, month = a["person"], a["month"]
    n = len(person)
    lo = int(month.min()) if n else 0
    span = (int(month.max()) - lo + 3) if n else 3  # >= 3 apart across persons
    wide = np.int64 if (int(person.max()) + 1) * span >= 2**31 else np.int32
    key = person.astype(wide) * wide(span) + (month - lo).astype(wide)
    step = np.diff(key)
    order = None
    if (step <= 0).any():
        order = np.argsort(key, kind="stable")
        key = key[order]
        step = np.diff(key)
        if (step == 0).any():
            dup = int((step == 0).sum())
            raise InvalidPanelError(
                f"{dup} person-months occur twice in register_months: keep one row per "
                "person and month"
            )

    def take(x: np.ndarray) -> np.ndarray:
        return x if order is None else x[order]

    hours = take(a["hours"])
    employed = hours >= HOURS_1H
    three = employed.copy()
    three[:2] = False
    three[1:] &= employed[:-1] & (step == 1)
    three[2:] &= employed[:-2] & (key[2:] - key[:-2] == 2)
    benefit = take(a["benefit"])
    return pd.DataFrame(
        {
            "person_id": pd.Categorical.from_codes(take(person), categories=a["categories"]),
            "month": take(month),
            "employed_1h": employed,
            "employed_12h": hours >= HOURS_12H,
            "employed_3m": three,
            "on_benefit": benefit != 0,
            "benefit": pd.Categorical.from_codes(benefit, categories=list(BENEFITS)),
            "earnings": take(a["wage"]),
        },
        copy=False,
    )


def _reference_months(
    persons: pd.DataFrame, treated: np.ndarray, reference: str, pseudo_start: Any
) -> np.ndarray:
    n = len(persons)
    if reference != "start":
        return np.full(n, month_index([reference])[0], dtype=np.int32)
    start = persons["start_month"]
    lacking = treated & start.isna().to_numpy()
    if lacking.any():
        raise InvalidMonthError(
            f"{int(lacking.sum())} treated persons have no start_month: fill it in (YYYY-MM)"
        )
    ref = np.zeros(n, dtype=np.int32)
    if treated.any():
        ref[treated] = month_index(start[treated])
    ctrl = ~treated
    if pseudo_start is None:
        if not treated.any():
            raise InvalidMonthError(
                "no treated person, so no median start month: pass pseudo_start='YYYY-MM'"
            )
        starts = np.sort(ref[treated])
        ref[ctrl] = starts[(len(starts) - 1) // 2]  # the lower median: a real start month
    elif isinstance(pseudo_start, str):
        ref[ctrl] = month_index([pseudo_start])[0]
    else:
        given = pd.Series(pseudo_start).reindex(persons["person_id"][ctrl].to_numpy())
        if given.isna().any():
            raise InvalidMonthError(
                f"pseudo_start lacks {int(given.isna().sum())} controls: give a month for "
                "every control person_id"
            )
        ref[ctrl] = month_index(given.astype(str))
    return ref


def _panel_for_covariates(
    register_months: pd.DataFrame, person_ids: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(person code into register_persons rows, month, employed_1h, earnings, benefit code)."""
    if "employed_1h" in register_months.columns:  # the panel of employment_outcomes
        pid = register_months["person_id"]
        codes, cats = factorize(pid)
        mapping = pd.Index(person_ids).get_indexer(cats)
        if (mapping < 0).any() and (np.bincount(codes, minlength=len(cats))[mapping < 0] > 0).any():
            raise InvalidPanelError(
                "the outcome panel holds persons that are not in register_persons: build it "
                "with employment_outcomes(..., person_ids=register_persons['person_id'])"
            )
        person = codes if np.array_equal(mapping, np.arange(len(cats))) else mapping[codes]
        return (
            person,
            register_months["month"].to_numpy(),
            register_months["employed_1h"].to_numpy(),
            register_months["earnings"].to_numpy(),
            benefit_codes(register_months["benefit"]),
        )
    a = _panel_arrays(register_months, person_ids)
    return a["person"], a["month"], a["hours"] >= HOURS_1H, a["wage"], a["benefit"]


def matching_covariates(
    register_persons: pd.DataFrame,
    register_months: pd.DataFrame,
    *,
    reference: str = "start",
    pseudo_start: str | pd.Series | None = None,
) -> pd.DataFrame:
    """One row per person with the matching covariates of the published evaluation.

    Parameters
    ----------
    register_persons
        The ``register_persons`` table.
    register_months
        The ``register_months`` table, or (faster: the panel is then coded only once) the
        panel returned by :func:`employment_outcomes` with
        ``person_ids=register_persons["person_id"]``.
    reference
        ``"start"``: each treated person's ``start_month`` and each control's pseudo-start;
        or one ``"YYYY-MM"`` month for everybody.
    pseudo_start
        The controls' reference month: one ``"YYYY-MM"`` for all, or a Series of months
        indexed by control ``person_id``. Default: the (lower) median of the treated persons'
        start months, so that the controls' history covers the same calendar time as the
        typical treated person's.

    Returns
    -------
    DataFrame
        In the row order of ``register_persons``: ``person_id``, ``treated``,
        ``start_month`` (treated only), ``reference_month`` (``YYYY-MM``), ``age`` (year of
        the reference month minus ``birth_year``), the person columns :data:`PERSON_COLUMNS`,
        and from the panel (window ``r-12 .. r-1`` is "the 12 months before" month ``r``):

        ``months_worked_12m``
            months employed >= 1 hour in ``r-12 .. r-1``.
        ``benefit_sa_ue_12m``
            any month with social assistance or unemployment benefit in ``r-12 .. r-1``.
        ``benefit_sick_dis_12m``
            any month with sickness or disability benefit in ``r-12 .. r-1``.
        ``earnings_12m``
            mean monthly earnings over the observed months of ``r-12 .. r-1``.
        ``months_worked_24_13m``
            months employed >= 1 hour in ``r-24 .. r-13`` (float; NaN without any month).
        ``pre_months_12m``
            months of ``r-12 .. r-1`` present in the panel (12 for a complete history).

    Raises
    ------
    NoPrePeriodError
        When persons have no month in ``r-12 .. r-1``: a panel without pre-period months.

    Warns
    -----
    UserWarning
        When some persons have fewer than 12 (or no) months in a window: their counts cover
        the months observed only, which understates them against complete histories.

    Notes
    -----
    The covariates follow the published evaluation (Schaap et al. 2023, J Occup Rehabil,
    doi 10.1007/s10926-023-10118-2): sex, age, region, education, migration background,
    months worked in the 12 months before, years in the current job, social assistance or
    unemployment benefit and sickness or disability benefit in the prior 12 months,
    temporary contract, sector, employer size, sheltered work and wage level; earnings and
    employment a year earlier are added to capture pre-trends (Heckman, Ichimura & Todd 1997).
    """
    persons = register_persons
    ids = persons["person_id"]
    treated_col = persons["treated"]
    if treated_col.isna().any():
        raise InvalidPanelError("treated is missing for some persons: fill in true or false")
    treated = treated_col.to_numpy(dtype=bool)
    n = len(persons)
    ref = _reference_months(persons, treated, reference, pseudo_start)
    person, month, employed, earnings, benefit = _panel_for_covariates(register_months, ids)

    rel = month - ref[person]
    win12 = np.flatnonzero((rel >= -12) & (rel < 0))
    win24 = np.flatnonzero((rel >= -24) & (rel < -12))
    c12, c24 = person[win12], person[win24]
    n12 = np.bincount(c12, minlength=n)
    if (n12 == 0).any():
        none = ids[n12 == 0].head(3).tolist()
        raise NoPrePeriodError(
            f"{int((n12 == 0).sum())} persons have no register month in the 12 months before "
            f"their reference month (e.g. {none}): a panel without pre-period months. Extend "
            "the register extract back in time, or leave these persons out"
        )
    n24 = np.bincount(c24, minlength=n)
    if (n12 < 12).any() or (n24 < 12).any():
        warnings.warn(
            f"{int((n12 < 12).sum())} persons have fewer than 12 months in the 12 months "
            f"before their reference month and {int((n24 < 12).sum())} in months -24..-13; "
            "their counts cover the observed months only (see pre_months_12m)",
            UserWarning,
            stacklevel=2,
        )
    b12 = benefit[win12]
    sa_ue = np.bincount(c12, weights=(b12 == 1) | (b12 == 2), minlength=n) > 0
    sick = np.bincount(c12, weights=(b12 == 3) | (b12 == 4), minlength=n) > 0
    worked24 = np.bincount(c24, weights=employed[win24], minlength=n)
    birth = persons["birth_year"].to_numpy(dtype=np.float64, na_value=np.nan)
    out = persons[["person_id", "treated", "start_month"]].copy()
    out["treated"] = treated
    out["reference_month"] = month_label(ref)
    out["age"] = ref // 12 - birth
    for col in PERSON_COLUMNS:
        out[col] = persons[col]
    out["months_worked_12m"] = np.bincount(c12, weights=employed[win12], minlength=n).astype(
        np.int16
    )
    out["benefit_sa_ue_12m"] = sa_ue
    out["benefit_sick_dis_12m"] = sick
    out["earnings_12m"] = np.bincount(c12, weights=earnings[win12], minlength=n) / n12
    out["months_worked_24_13m"] = np.where(n24 > 0, worked24, np.nan)
    out["pre_months_12m"] = n12.astype(np.int16)
    return out
