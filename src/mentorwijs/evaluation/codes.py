"""Integer codes for the register panel's text columns: person ids, months and benefits.

Hashing 24 million strings costs about a second per column, so columns take a faster exact
path where they can: categorical columns give their codes for free; a pyarrow-backed panel
sorted by person is cut into runs of equal ids (one vectorised comparison of neighbours), so
only one id per run is hashed; benefits are looked up in the 5-value set. Everything else goes
through ``pandas.factorize``, which also produces the error messages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mentorwijs.evaluation.errors import InvalidMonthError, InvalidPanelError

#: Benefit codes of the package; a benefit's code is its position here.
BENEFITS = ("none", "social_assistance", "unemployment", "sickness", "disability")


def factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values, using categorical codes if any."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes), pd.Index(values.cat.categories)
    codes, uniques = pd.factorize(values)
    return codes, pd.Index(uniques)


def _arrow(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow data of a complete pyarrow-backed string column, else None."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return None
    to_arrow = getattr(values.array, "__arrow_array__", None)
    if to_arrow is None:
        return None
    data = to_arrow()
    if isinstance(data, pa.Array):
        data = pa.chunked_array([data])
    is_text = pa.types.is_string(data.type) or pa.types.is_large_string(data.type)
    return data if is_text and data.null_count == 0 else None


def _parse_months(text: pd.Index) -> np.ndarray:
    """Month index of each distinct ``YYYY-MM`` text (a few hundred at most)."""
    s = pd.Series(np.asarray(text, dtype=object), dtype=object).astype(str)
    ok = s.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    if not ok.all():
        bad = s[~ok].head(3).tolist()
        raise InvalidMonthError(
            f"{int((~ok).sum())} distinct month values are not YYYY-MM (e.g. {bad}): "
            "write months as year-month, e.g. 2021-03"
        )
    year, month = s.str.slice(0, 4).astype(int), s.str.slice(5, 7).astype(int)
    return (year * 12 + month - 1).to_numpy(np.int32)


def month_index(months: pd.Series | Sequence[str]) -> np.ndarray:
    """Integer month index of ``YYYY-MM`` texts: ``year * 12 + month - 1``.

    Parameters
    ----------
    months
        Month texts (any string dtype, or categorical); no missing values.

    Returns
    -------
    ndarray of int32
        One index per value; consecutive calendar months differ by 1.

    Raises
    ------
    InvalidMonthError
        For a missing or malformed month.

    Examples
    --------
    >>> month_index(["2021-01", "2020-12"]).tolist()
    [24252, 24251]
    """
    s = months if isinstance(months, pd.Series) else pd.Series(list(months), dtype=object)
    codes, uniques = factorize(s)
    if (codes < 0).any():
        raise InvalidMonthError(
            f"{int((codes < 0).sum())} months are missing: every row needs a month (YYYY-MM)"
        )
    if len(uniques) == 0:
        return np.empty(0, dtype=np.int32)
    return _parse_months(uniques)[codes]


def month_label(index: np.ndarray | Sequence[int]) -> np.ndarray:
    """``YYYY-MM`` text of month indexes (the inverse of :func:`month_index`).

    Examples
    --------
    >>> month_label([24252]).tolist()
    ['2021-01']
    """
    idx = np.asarray(index, dtype=np.int64)
    uniq, inv = np.unique(idx, return_inverse=True)
    text = np.array([f"{i // 12:04d}-{i % 12 + 1:02d}" for i in uniq], dtype=object)
    return text[inv.reshape(idx.shape)]


def _runs(data: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """Run number of each row and the first row of each run of equal ids, if runs are long."""
    n = len(data)
    if n < 2:
        return None
    differs = pc.not_equal(data.slice(1), data.slice(0, n - 1))
    new = np.ones(n, dtype=bool)
    new[1:] = np.concatenate([c.to_numpy(zero_copy_only=False) for c in differs.chunks])
    starts = np.flatnonzero(new)
    if len(starts) > n // 4:
        return None  # not grouped by person: hashing every row is cheaper
    return np.cumsum(new, dtype=np.int32) - 1, starts


def person_codes(
    ids: pd.Series, person_ids: pd.Series | pd.Index | None
) -> tuple[np.ndarray, pd.Index]:
    """int32 code of each row's person and the categories (``person_ids`` if given)."""
    data = _arrow(ids)
    runs = None if data is None else _runs(data)
    ref = None if person_ids is None else _arrow(pd.Series(person_ids))
    if runs is not None and ref is not None and data is not None:
        value_set = ref.combine_chunks().cast(data.type)
        if pc.count_distinct(value_set).as_py() == len(value_set):
            run, starts = runs
            found = pc.index_in(pc.take(data, starts), value_set=value_set)
            if found.null_count == 0:  # else the general path names the unknown persons
                position = np.concatenate([c.to_numpy() for c in found.chunks])
                return position.astype(np.int32)[run], pd.Index(person_ids)
    if runs is None:
        codes, uniques = factorize(ids)
    else:
        run, starts = runs
        run_codes, uniques = factorize(pd.Series(pc.take(data, starts).to_numpy(False)))
        codes = run_codes[run]
    if (codes < 0).any():
        raise InvalidPanelError(
            f"{int((codes < 0).sum())} register rows have no person_id: fill in or drop them"
        )
    if person_ids is None:
        return codes.astype(np.int32, copy=False), uniques
    categories = pd.Index(person_ids)
    if not categories.is_unique:
        raise InvalidPanelError("person_id occurs twice in register_persons: make ids unique")
    mapping = categories.get_indexer(uniques)
    if (mapping < 0).any():
        unknown = list(uniques[mapping < 0][:3])
        raise InvalidPanelError(
            f"{int((mapping < 0).sum())} persons in register_months are not in "
            f"register_persons (e.g. {unknown}): add them or drop their months"
        )
    return mapping.astype(np.int32)[codes], categories


def benefit_codes(benefit: pd.Series) -> np.ndarray:
    """int8 position of each row's benefit in :data:`BENEFITS`."""
    data = _arrow(benefit)
    if data is not None:
        found = pc.index_in(data, value_set=pa.array(BENEFITS))
        if found.null_count == 0:
            return np.concatenate(
                [c.to_numpy().astype(np.int8) for c in found.chunks] or [np.empty(0, np.int8)]
            )
    codes, uniques = factorize(benefit)
    if (codes < 0).any():
        raise InvalidPanelError(
            f"{int((codes < 0).sum())} register rows have no benefit: use 'none' for no benefit"
        )
    unknown = [u for u in uniques if u not in BENEFITS]
    if unknown:
        raise InvalidPanelError(f"unknown benefit codes {unknown[:3]}: use one of {list(BENEFITS)}")
    lookup = np.array([BENEFITS.index(u) for u in uniques], dtype=np.int8)
    return lookup[codes]
