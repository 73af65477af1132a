"""Process measures from the registry: reach, dose delivered, fidelity and dose received.

The process evaluation asks how Mentorwijs was delivered and received, the second research
question. Every measure is given for the whole study and per region, delivery mode, trainer
and training group, in the ``level`` and ``unit`` columns that ``response_by_group`` uses
(``level`` is ``overall``, ``region``, ``mode``, ``trainer`` or ``group``). A group counts
for both of its trainers, so trainer rows overlap. The answers to the process questionnaire
(satisfaction, extra guidance time, workplace determinants) are in
:mod:`mentorwijs.evaluation.process_answers`.

Definitions (also in ``docs/evaluation.md``):

- *invited*: a row of the ``supervisors`` table (a supervisor without a group was invited
  but never enrolled); *enrolled*: has a training group; *trained*: attended at least
  ``trained_min`` meetings (1 by default) according to the attendance register.
- *dose delivered*: meetings held out of the meetings planned (the rows of ``meetings``),
  and the planned parts delivered in the meetings held (the trainers' log).
- *fidelity*: the share of the handbook's planned parts that reached the group, over every
  planned meeting: delivered parts of the meetings held divided by the planned parts of all
  meetings, so that a meeting not held counts as none of its parts delivered. A meeting held
  without a log is left out of both sums (and counted in ``meetings_unlogged``).
- *dose received*: the number of meetings a supervisor attended, 0 to 5.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from mentorwijs.evaluation.disclosure import MIN_COUNT, suppress_small_cells
from mentorwijs.evaluation.errors import InvalidProcessSettingError, NoProcessDataError

#: The levels of every process table, in the order reports show them.
LEVELS = ("overall", "region", "mode", "trainer", "group")
#: The ``unit`` of the ``overall`` level.
ALL = "all"
#: Meetings of the programme; dose received runs from 0 to this.
MEETINGS = 5


def group_units(training_groups: pd.DataFrame) -> pd.DataFrame:
    """The units each training group belongs to.

    Parameters
    ----------
    training_groups
        The ``training_groups`` table.

    Returns
    -------
    DataFrame
        ``training_group_id``, ``level``, ``unit``: one row for ``overall``, the group's
        region, its mode, each of its (one or two) trainers and the group itself.
    """
    g = training_groups
    gid = g["training_group_id"].astype(str).to_numpy()
    parts = [
        pd.DataFrame({"training_group_id": gid, "level": "overall", "unit": ALL}),
        pd.DataFrame({"training_group_id": gid, "level": "region", "unit": _text(g["region_id"])}),
        pd.DataFrame({"training_group_id": gid, "level": "mode", "unit": _text(g["mode"])}),
    ]
    for col in ("trainer_1_id", "trainer_2_id"):
        t = _text(g[col])
        keep = pd.notna(t)
        parts.append(
            pd.DataFrame({"training_group_id": gid[keep], "level": "trainer", "unit": t[keep]})
        )
    parts.append(pd.DataFrame({"training_group_id": gid, "level": "group", "unit": gid}))
    out = pd.concat(parts, ignore_index=True)
    return out.drop_duplicates().reset_index(drop=True)


def supervisor_units(
    supervisors: pd.DataFrame,
    training_groups: pd.DataFrame,
    organisations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The units each supervisor belongs to.

    An enrolled supervisor belongs to the units of their group (:func:`group_units`). A
    supervisor who never enrolled belongs to ``overall`` and, when ``organisations`` is
    given, to the region of their employer.

    Returns
    -------
    DataFrame
        ``supervisor_id``, ``level``, ``unit``.
    """
    sup = pd.DataFrame(
        {
            "supervisor_id": supervisors["supervisor_id"].astype(str).to_numpy(),
            "training_group_id": _text(supervisors["training_group_id"]),
            "organisation_id": _text(supervisors["organisation_id"]),
        }
    )
    enrolled = sup[sup["training_group_id"].notna()]
    out = [
        enrolled[["supervisor_id", "training_group_id"]]
        .merge(group_units(training_groups), on="training_group_id")
        .drop(columns="training_group_id")
    ]
    rest = sup[sup["training_group_id"].isna()]
    out.append(
        pd.DataFrame({"supervisor_id": rest["supervisor_id"], "level": "overall", "unit": ALL})
    )
    if organisations is not None and len(rest):
        region = dict(
            zip(
                organisations["organisation_id"].astype(str),
                _text(organisations["region_id"]),
                strict=True,
            )
        )
        r = rest["organisation_id"].map(region)
        keep = r.notna().to_numpy()
        out.append(
            pd.DataFrame(
                {"supervisor_id": rest["supervisor_id"][keep], "level": "region", "unit": r[keep]}
            )
        )
    return pd.concat(out, ignore_index=True)


def meetings_attended(attendance: pd.DataFrame, supervisors: pd.DataFrame) -> pd.Series:
    """Meetings each enrolled supervisor attended, from the attendance register.

    Returns
    -------
    Series
        Indexed by ``supervisor_id`` of the enrolled supervisors: the number of meetings
        marked present, or NaN when the register holds no row for them (not recorded).
    """
    enrolled = supervisors.loc[supervisors["training_group_id"].notna(), "supervisor_id"]
    ids = pd.Index(enrolled.astype(str).to_numpy(), name="supervisor_id")
    att = pd.DataFrame(
        {
            "supervisor_id": attendance["supervisor_id"].astype(str).to_numpy(),
            "present": attendance["present"].fillna(False).astype(bool).to_numpy(),
        }
    )
    per = att.groupby("supervisor_id")["present"].sum().astype(float)
    return per.reindex(ids)


def reach(
    supervisors: pd.DataFrame,
    training_groups: pd.DataFrame,
    attendance: pd.DataFrame,
    employees: pd.DataFrame,
    organisations: pd.DataFrame | None = None,
    *,
    trained_min: int = 1,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Reach: supervisors invited, enrolled and trained; employers and employees reached.

    Parameters
    ----------
    supervisors, training_groups, attendance, employees, organisations
        Tables of a study data package (``organisations`` places supervisors who never
        enrolled in their employer's region).
    trained_min
        Meetings a supervisor must have attended to count as trained (1: at least one).
    min_count
        Disclosure threshold (see :mod:`mentorwijs.evaluation.disclosure`).

    Returns
    -------
    DataFrame
        One row per ``level`` and ``unit``: ``supervisors_invited`` (only at the overall and
        region levels: a supervisor who never enrolled has no group, mode or trainer),
        ``supervisors_enrolled``, ``supervisors_trained``, ``share_enrolled`` (enrolled /
        invited), ``share_trained`` (trained / enrolled), ``employers_reached`` (distinct
        employers of trained supervisors), ``employees_reached`` (employees guided by a
        trained supervisor), ``suppressed`` (a count of persons below ``min_count``: the
        row's figures are blanked). ``tests/test_process.py`` works a package by hand.
    """
    if not 0 <= trained_min <= MEETINGS:
        raise InvalidProcessSettingError(
            f"trained_min_meetings={trained_min} must lie between 0 and {MEETINGS}"
        )
    if supervisors.empty:
        raise NoProcessDataError("the package has no supervisors: nobody was reached")
    units = supervisor_units(supervisors, training_groups, organisations)
    attended = meetings_attended(attendance, supervisors)
    _warn_unrecorded(attended)
    sup = pd.DataFrame(
        {
            "supervisor_id": supervisors["supervisor_id"].astype(str).to_numpy(),
            "organisation_id": _text(supervisors["organisation_id"]),
            "enrolled": supervisors["training_group_id"].notna().to_numpy(),
        }
    )
    sup["trained"] = (sup["supervisor_id"].map(attended) >= trained_min).to_numpy()
    guided = employees["supervisor_id"].astype(str).value_counts()
    sup["employees"] = sup["supervisor_id"].map(guided).fillna(0).astype(int)
    d = units.merge(sup, on="supervisor_id")
    trained = d[d["trained"]]
    grouped = d.groupby(["level", "unit"], sort=False)
    table = pd.DataFrame(
        {
            "supervisors_invited": grouped.size(),
            "supervisors_enrolled": grouped["enrolled"].sum(),
        }
    )
    tg = trained.groupby(["level", "unit"], sort=False)
    table["supervisors_trained"] = tg.size()
    table["employers_reached"] = tg["organisation_id"].nunique()
    table["employees_reached"] = tg["employees"].sum()
    table = table.reset_index()
    table[["supervisors_trained", "employers_reached", "employees_reached"]] = table[
        ["supervisors_trained", "employers_reached", "employees_reached"]
    ].fillna(0)
    invited_known = table["level"].isin(["overall", "region"])
    table["supervisors_invited"] = table["supervisors_invited"].where(invited_known)
    table["share_enrolled"] = table["supervisors_enrolled"] / table["supervisors_invited"]
    enrolled = table["supervisors_enrolled"].where(table["supervisors_enrolled"] > 0)
    table["share_trained"] = table["supervisors_trained"] / enrolled
    cols = [
        "level",
        "unit",
        "supervisors_invited",
        "supervisors_enrolled",
        "supervisors_trained",
        "share_enrolled",
        "share_trained",
        "employers_reached",
        "employees_reached",
    ]
    return suppress_small_cells(
        order_units(table[cols]),
        count_cols=[
            "supervisors_invited",
            "supervisors_enrolled",
            "supervisors_trained",
            "employees_reached",
        ],
        stat_cols=["share_enrolled", "share_trained", "employers_reached"],
        min_count=min_count,
    )


def dose_received(
    supervisors: pd.DataFrame,
    training_groups: pd.DataFrame,
    attendance: pd.DataFrame,
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Dose received: how many of the five meetings the enrolled supervisors attended.

    Returns
    -------
    DataFrame
        One row per ``level``, ``unit`` and ``meetings_attended`` (0–5): ``supervisors``
        (enrolled supervisors who attended that many meetings), ``n_supervisors`` (enrolled
        supervisors in the unit whose attendance is recorded), ``share``
        (supervisors / n_supervisors), ``suppressed`` (a count of 1–9 persons: blanked).
        Supervisors without any attendance row are left out, with a warning.
    """
    attended = meetings_attended(attendance, supervisors)
    _warn_unrecorded(attended)
    known = attended.dropna()
    if known.empty:
        raise NoProcessDataError(
            "no enrolled supervisor has attendance recorded: dose received needs the "
            "attendance register"
        )
    units = supervisor_units(supervisors, training_groups)
    d = units.merge(
        pd.DataFrame({"supervisor_id": known.index, "attended": known.to_numpy().astype(int)}),
        on="supervisor_id",
    )
    counts = d.groupby(["level", "unit", "attended"], sort=False).size()
    rows = []
    for (level, unit), n in d.groupby(["level", "unit"], sort=False).size().items():
        for k in range(MEETINGS + 1):
            c = int(counts.get((level, unit, k), 0))
            rows.append((level, unit, k, c, int(n), c / n))
    table = pd.DataFrame(
        rows,
        columns=["level", "unit", "meetings_attended", "supervisors", "n_supervisors", "share"],
    )
    return suppress_small_cells(
        order_units(table, extra=["meetings_attended"]),
        count_cols=["supervisors", "n_supervisors"],
        stat_cols=["share"],
        min_count=min_count,
    )


def delivery(meetings: pd.DataFrame, training_groups: pd.DataFrame) -> pd.DataFrame:
    """Dose delivered and fidelity, from the trainers' meeting logs.

    Parameters
    ----------
    meetings
        The ``meetings`` table: one row per planned meeting with ``held``,
        ``planned_parts``, ``delivered_parts`` (empty: not logged) and ``duration_minutes``.
    training_groups
        The ``training_groups`` table.

    Returns
    -------
    DataFrame
        One row per ``level`` and ``unit``: ``groups``, ``meetings_planned``,
        ``meetings_held``, ``share_meetings_held``, ``meetings_unlogged`` (held without a
        log of parts), ``parts_planned`` (planned parts of the meetings not held and of the
        logged meetings held), ``parts_delivered``, ``share_parts_delivered`` (delivered /
        planned parts of the logged meetings held), ``fidelity`` (parts_delivered /
        parts_planned), ``fidelity_min`` and ``fidelity_max`` (over the unit's groups),
        ``mean_duration_minutes`` (of the meetings held), ``suppressed`` (always false:
        these count meetings, not persons).

    Notes
    -----
    For group :math:`g` with meetings :math:`m`, held :math:`h_m`, planned parts
    :math:`p_m` and delivered parts :math:`d_m`, over the meetings that are not held or
    are logged:

    .. math:: \\text{fidelity}_g = \\frac{\\sum_m h_m d_m}{\\sum_m p_m}

    A unit pools its groups' meetings (a ratio of sums). Delivered parts above the planned
    parts are counted as the planned parts, with a warning.
    """
    if meetings.empty:
        raise NoProcessDataError("the package has no meetings: dose delivered needs the log")
    m = pd.DataFrame(
        {
            "training_group_id": meetings["training_group_id"].astype(str).to_numpy(),
            "held": meetings["held"].fillna(False).astype(bool).to_numpy(),
            "planned": pd.to_numeric(meetings["planned_parts"]).astype(float).to_numpy(),
            "delivered": pd.to_numeric(meetings["delivered_parts"]).astype(float).to_numpy(),
            "duration": pd.to_numeric(meetings["duration_minutes"]).astype(float).to_numpy(),
        }
    )
    over = m["delivered"] > m["planned"]
    if over.any():
        warnings.warn(
            f"{int(over.sum())} meeting log(s) record more parts delivered than planned: "
            "counted as the planned parts",
            UserWarning,
            stacklevel=2,
        )
        m.loc[over, "delivered"] = m.loc[over, "planned"]
    logged = m["held"] & m["delivered"].notna()
    unlogged = m["held"] & m["delivered"].isna()
    m = m.assign(
        logged=logged,
        unlogged=unlogged,
        in_fidelity=~unlogged,
        parts_planned=np.where(~unlogged, m["planned"], 0.0),
        parts_delivered=np.where(logged, m["delivered"], 0.0),
        parts_planned_held=np.where(logged, m["planned"], 0.0),
        held_duration=np.where(m["held"], m["duration"], np.nan),
    )
    per_group = m.groupby("training_group_id").agg(
        meetings_planned=("held", "size"),
        meetings_held=("held", "sum"),
        meetings_unlogged=("unlogged", "sum"),
        parts_planned=("parts_planned", "sum"),
        parts_delivered=("parts_delivered", "sum"),
        parts_planned_held=("parts_planned_held", "sum"),
    )
    per_group["fidelity"] = per_group["parts_delivered"] / per_group["parts_planned"].where(
        per_group["parts_planned"] > 0
    )
    d = group_units(training_groups).merge(
        m[["training_group_id", "held_duration"]], on="training_group_id", how="left"
    )
    durations = d.groupby(["level", "unit"], sort=False)["held_duration"].mean()
    g = group_units(training_groups).merge(
        per_group.reset_index(), on="training_group_id", how="inner"
    )
    grouped = g.groupby(["level", "unit"], sort=False)
    table = grouped.agg(
        groups=("training_group_id", "nunique"),
        meetings_planned=("meetings_planned", "sum"),
        meetings_held=("meetings_held", "sum"),
        meetings_unlogged=("meetings_unlogged", "sum"),
        parts_planned=("parts_planned", "sum"),
        parts_delivered=("parts_delivered", "sum"),
        parts_planned_held=("parts_planned_held", "sum"),
        fidelity_min=("fidelity", "min"),
        fidelity_max=("fidelity", "max"),
    ).reset_index()
    table["share_meetings_held"] = table["meetings_held"] / table["meetings_planned"]
    table["share_parts_delivered"] = table["parts_delivered"] / table["parts_planned_held"].where(
        table["parts_planned_held"] > 0
    )
    table["fidelity"] = table["parts_delivered"] / table["parts_planned"].where(
        table["parts_planned"] > 0
    )
    table["mean_duration_minutes"] = [
        durations.get((lv, u), np.nan) for lv, u in zip(table["level"], table["unit"], strict=True)
    ]
    table["suppressed"] = False
    cols = [
        "level",
        "unit",
        "groups",
        "meetings_planned",
        "meetings_held",
        "share_meetings_held",
        "meetings_unlogged",
        "parts_planned",
        "parts_delivered",
        "share_parts_delivered",
        "fidelity",
        "fidelity_min",
        "fidelity_max",
        "mean_duration_minutes",
        "suppressed",
    ]
    return order_units(table[cols])


def order_units(df: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    """Sort rows by :data:`LEVELS`, then unit, then ``extra`` columns; a fresh index."""
    rank = df["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    key = pd.DataFrame({"_lv": rank, "_unit": df["unit"].astype(str)}, index=df.index)
    for c in extra:
        key[c] = df[c]
    order = key.sort_values(["_lv", "_unit", *extra], kind="stable").index
    return df.loc[order].reset_index(drop=True)


def hide_small(
    df: pd.DataFrame, *, count_col: str, stat_cols: Sequence[str], min_count: int = MIN_COUNT
) -> pd.DataFrame:
    """Blank a count of 1 to ``min_count - 1`` persons and the statistics resting on it.

    The row-level rule (:func:`~mentorwijs.evaluation.disclosure.suppress_small_cells`)
    looks at the persons in a cell; a share of those persons is a count in disguise, so a
    part-count (e.g. the supervisors who score an item as a barrier) obeys the same rule.
    ``suppressed`` becomes true on the rows where something was blanked.
    """
    out = df.copy()
    c = out[count_col].astype(float)
    small = ((c > 0) & (c < min_count)).to_numpy()
    cols = [count_col, *stat_cols]
    out[cols] = out[cols].astype(float)
    out.loc[small, cols] = np.nan
    out["suppressed"] = out["suppressed"].to_numpy() | small
    return out


def _warn_unrecorded(attended: pd.Series) -> None:
    missing = attended.index[attended.isna()]
    if len(missing):
        warnings.warn(
            f"{len(missing)} enrolled supervisor(s) have no attendance recorded (e.g. "
            f"{missing[0]}): they count as not trained and are left out of dose received",
            UserWarning,
            stacklevel=3,
        )


def _text(values: pd.Series) -> np.ndarray:
    """Text values as an object array with None for missing."""
    s = values.astype(object)
    return np.asarray(s.where(s.notna(), None), dtype=object)
