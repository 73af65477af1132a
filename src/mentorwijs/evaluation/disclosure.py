"""Disclosure control: no cell of fewer than 10 persons leaves the evaluation unmarked.

The statistics office (CBS) releases output from its remote-access environment only when
every cell rests on at least 10 persons. Every table the evaluation produces goes through
:func:`suppress_small_cells`; the rule is on by default and visible in a ``suppressed``
column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

MIN_COUNT = 10


def suppress_small_cells(
    df: pd.DataFrame,
    *,
    count_cols: Sequence[str],
    stat_cols: Sequence[str] = (),
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Blank counts below ``min_count`` and the statistics computed from them.

    Parameters
    ----------
    df
        A tidy table, one row per cell.
    count_cols
        Columns of person counts; a row is suppressed when any of them is below
        ``min_count`` (zero counts are not disclosive and stay).
    stat_cols
        Columns computed from those persons (rates, means), blanked with the counts.
    min_count
        The threshold, 10 by default.

    Returns
    -------
    DataFrame
        A copy with the counts and statistics of small cells set to NaN and a boolean
        column ``suppressed``.
    """
    out = df.copy()
    counts = out[list(count_cols)].to_numpy(dtype=float)
    small = ((counts > 0) & (counts < min_count)).any(axis=1)
    cols = [*count_cols, *stat_cols]
    out[cols] = out[cols].astype(float)
    out.loc[small, cols] = np.nan
    out["suppressed"] = small
    return out
