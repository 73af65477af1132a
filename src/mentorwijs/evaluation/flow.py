"""The participant flow: who was invited, who answered, per wave and per training group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import suppress_small_cells
from mentorwijs.evaluation.errors import NoRespondentsError


def participant_flow(invitations: pd.DataFrame, *, role: str, waves: Sequence[str]) -> pd.DataFrame:
    """Invited and completed per wave, with response and retention.

    Parameters
    ----------
    invitations
        The ``invitations`` table of a study data package.
    role
        ``"supervisor"`` or ``"employee"``.
    waves
        Wave codes in order; the first is the baseline for retention.

    Returns
    -------
    DataFrame
        One row per wave: ``wave``, ``invited``, ``completed``, ``response_rate``
        (completed / invited), ``retention`` (completers of this wave who also completed the
        first wave, divided by the first wave's completers), ``suppressed``.
    """
    inv = invitations[invitations["role"] == role]
    if inv.empty:
        raise NoRespondentsError(f"no invitations for role {role!r}: check the invitations table")
    done = inv[inv["completed_at"].notna()]
    base = set(done.loc[done["wave"] == waves[0], "respondent_id"])
    rows = []
    for w in waves:
        invited = int((inv["wave"] == w).sum())
        who = set(done.loc[done["wave"] == w, "respondent_id"])
        rows.append(
            {
                "wave": w,
                "invited": invited,
                "completed": len(who),
                "response_rate": len(who) / invited if invited else np.nan,
                "retention": len(who & base) / len(base) if base else np.nan,
            }
        )
    return suppress_small_cells(
        pd.DataFrame(rows),
        count_cols=["invited", "completed"],
        stat_cols=["response_rate", "retention"],
    )


def response_by_group(
    invitations: pd.DataFrame,
    supervisors: pd.DataFrame,
    training_groups: pd.DataFrame,
    *,
    waves: Sequence[str],
) -> pd.DataFrame:
    """Supervisors' response per training group and wave, and per region and mode.

    Returns
    -------
    DataFrame
        ``level`` (``group``, ``region`` or ``mode``), ``unit`` (the group, region or mode),
        ``wave``, ``invited``, ``completed``, ``response_rate``, ``suppressed``. Groups are
        small: a cell is shown only when at least 10 supervisors were invited, so the region
        and mode rows carry the figures that small groups cannot.
    """
    inv = invitations[invitations["role"] == "supervisor"].merge(
        supervisors[["supervisor_id", "training_group_id"]],
        left_on="respondent_id",
        right_on="supervisor_id",
    )
    inv = inv[inv["wave"].isin(list(waves))]
    inv = inv.merge(
        training_groups[["training_group_id", "region_id", "mode"]], on="training_group_id"
    )
    inv = inv.assign(done=inv["completed_at"].notna())
    parts = []
    for level, col in (("group", "training_group_id"), ("region", "region_id"), ("mode", "mode")):
        part = (
            inv.groupby([col, "wave"], observed=True)
            .agg(invited=("done", "size"), completed=("done", "sum"))
            .reset_index()
            .rename(columns={col: "unit"})
            .assign(level=level)
        )
        part["unit"] = part["unit"].astype(object)
        parts.append(part.sort_values(["unit", "wave"]))
    table = pd.concat(parts, ignore_index=True)
    table["response_rate"] = table["completed"] / table["invited"]
    table = table[["level", "unit", "wave", "invited", "completed", "response_rate"]]
    return suppress_small_cells(
        table, count_cols=["invited"], stat_cols=["completed", "response_rate"]
    )


def attendance_distribution(attendance: pd.DataFrame) -> pd.DataFrame:
    """Share of enrolled supervisors who attended 0, 1, …, 5 meetings.

    Returns
    -------
    DataFrame
        ``meetings_attended`` (0–5), ``supervisors``, ``share``, ``suppressed``.
    """
    per = attendance.groupby("supervisor_id")["present"].sum().astype(int)
    counts = per.value_counts().reindex(range(6), fill_value=0)
    table = pd.DataFrame({"meetings_attended": range(6), "supervisors": counts.to_numpy()})
    table["share"] = table["supervisors"] / table["supervisors"].sum() if len(per) else np.nan
    return suppress_small_cells(table, count_cols=["supervisors"], stat_cols=["share"])
