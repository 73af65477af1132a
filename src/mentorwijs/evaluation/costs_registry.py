"""What was delivered, read from the registry tables of a study data package.

Counts per training group (meetings held, attendance, meals, supervisors trained,
employees reached), the priced lines of the ``costs`` table, and the supervisors' extra
guidance from the ``sv_process`` questionnaire. :mod:`costs_model` prices them.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mentorwijs.evaluation.disclosure import MIN_COUNT
from mentorwijs.evaluation.errors import MissingColumnsError, NoEmployeesReachedError
from mentorwijs.protocol.costs import CostParameters, with_parameter

#: Who bears a cost line of the ``costs`` table, by its ``payer``.
PAYER_ACTOR = {
    "municipality": "municipality",
    "employer": "employer",
    "provider": "society",
    "other": "society",
}
#: Cost categories of the ``costs`` table (``other`` never replaces a parameter price).
CATEGORIES = (
    "trainer",
    "venue",
    "meals",
    "materials",
    "licence",
    "coordination",
    "supervisor_time",
    "other",
)
#: Counts per group, the quantities of the price formulas.
QUANTITIES = (
    "groups",
    "trainers",
    "meetings_held",
    "meetings_in_person",
    "trainer_hours_logged",
    "trainer_meetings_unlogged",
    "trainer_meetings",
    "trainer_meetings_in_person",
    "enrolled",
    "meal_persons",
    "supervisor_hours_logged",
    "supervisor_meetings_unlogged",
    "trained",
    "employees_reached",
)
COST_COLUMNS = ["training_group_id", "region_id", "category", "item", "actor", "source", "amount"]


def _require(df: pd.DataFrame, cols: list[str], table: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise MissingColumnsError(f"table {table} lacks columns {missing}: add them")


@dataclass(frozen=True, eq=False)
class CostQuantities:
    """What was delivered, per training group, and the observed cost lines.

    Attributes
    ----------
    groups
        One row per group (index ``training_group_id``): ``region_id``, ``mode`` and the
        columns of :data:`QUANTITIES` (e.g. ``trained`` = supervisors who attended at least
        one meeting, ``employees_reached`` = employees of trained supervisors).
    overridden
        Boolean, index ``training_group_id``, one column per cost category: True where the
        ``costs`` table prices that category for that group.
    observed
        The ``costs`` lines used, priced (``quantity × unit_cost``), in :data:`COST_COLUMNS`.
    trained_ids
        The supervisors who attended at least one meeting.
    """

    groups: pd.DataFrame
    overridden: pd.DataFrame
    observed: pd.DataFrame
    trained_ids: tuple[str, ...] = ()

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    @property
    def trained(self) -> int:
        return int(self.groups["trained"].sum())

    @property
    def employees_reached(self) -> int:
        return int(self.groups["employees_reached"].sum())

    def totals(self, category: str) -> dict[str, float]:
        """Quantities summed over the groups whose ``category`` has no ``costs`` entry."""
        return self._totals[category]

    @cached_property
    def _totals(self) -> dict[str, dict[str, float]]:
        values = self.groups[list(QUANTITIES)].to_numpy(dtype=float)
        out = {}
        for category in self.overridden.columns:
            keep = ~self.overridden[category].to_numpy(dtype=bool)
            out[category] = dict(zip(QUANTITIES, values[keep].sum(axis=0).tolist(), strict=True))
        return out

    @cached_property
    def observed_totals(self) -> dict[tuple[str, str], float]:
        """Observed cost by ``(item, actor)``."""
        if self.observed.empty:
            return {}
        sums = self.observed.groupby(["item", "actor"])["amount"].sum()
        return {(str(i), str(a)): float(v) for (i, a), v in sums.items()}


def cost_quantities(
    tables: Mapping[str, pd.DataFrame], *, region_id: str | None = None
) -> CostQuantities:
    """Count what was delivered per training group, from the registry tables.

    Parameters
    ----------
    tables
        Tables of a study data package: ``training_groups``, ``supervisors``,
        ``attendance`` and ``employees`` are needed; ``meetings`` (which meetings were held,
        their mode and duration) and ``costs`` are used where present. Without
        ``meetings`` every group is taken to have held five meetings of unknown length.
    region_id
        Only the groups (and cost lines) of this region; ``None`` for all.

    Returns
    -------
    CostQuantities

    Raises
    ------
    MissingColumnsError
        A table lacks a column the count needs.
    NoEmployeesReachedError
        No training group (in the region), or no supervisor attended a meeting.
    """
    for name, cols in {
        "training_groups": ["training_group_id", "region_id", "mode"],
        "supervisors": ["supervisor_id", "training_group_id"],
        "attendance": ["training_group_id", "meeting_no", "supervisor_id", "present"],
        "employees": ["employee_id", "supervisor_id"],
    }.items():
        if name not in tables:
            raise MissingColumnsError(f"table {name} is missing: the cost model needs it")
        _require(tables[name], cols, name)
    tg = tables["training_groups"]
    if region_id is not None:
        tg = tg[tg["region_id"] == region_id]
    if tg.empty:
        where = f" in region {region_id}" if region_id is not None else ""
        raise NoEmployeesReachedError(f"no training group{where}: check region_id")
    gid = tg["training_group_id"].astype(str).to_numpy()
    groups = pd.DataFrame(
        {
            "region_id": tg["region_id"].astype(str).to_numpy(),
            "mode": tg["mode"].astype(str).to_numpy(),
            "groups": 1.0,
            "trainers": (
                1.0 + tg["trainer_2_id"].notna().to_numpy(dtype=float)
                if "trainer_2_id" in tg.columns
                else 2.0
            ),
        },
        index=pd.Index(gid, name="training_group_id"),
    )

    meetings = _held_meetings(tables, groups)
    meetings = meetings.assign(trainers=groups["trainers"].reindex(meetings["gid"]).to_numpy())
    by_meeting = meetings.groupby("gid")
    groups["meetings_held"] = by_meeting.size().reindex(gid, fill_value=0).astype(float)
    groups["meetings_in_person"] = (
        by_meeting["in_person"].sum().reindex(gid, fill_value=0).astype(float)
    )
    logged = meetings["hours"].notna()
    groups["trainer_hours_logged"] = (
        (meetings["hours"].fillna(0.0) * meetings["trainers"])
        .groupby(meetings["gid"])
        .sum()
        .reindex(gid, fill_value=0.0)
    )
    groups["trainer_meetings_unlogged"] = (
        (~logged * meetings["trainers"]).groupby(meetings["gid"]).sum().reindex(gid, fill_value=0)
    )
    groups["trainer_meetings"] = groups["meetings_held"] * groups["trainers"]
    groups["trainer_meetings_in_person"] = groups["meetings_in_person"] * groups["trainers"]

    sup = tables["supervisors"]
    groups["enrolled"] = (
        sup["training_group_id"].astype("string").value_counts().reindex(gid, fill_value=0)
    ).astype(float)

    att = tables["attendance"]
    present = att[att["present"].fillna(False).astype(bool)]
    present = pd.DataFrame(
        {
            "gid": present["training_group_id"].astype(str).to_numpy(),
            "meeting_no": present["meeting_no"].astype(int).to_numpy(),
            "supervisor_id": present["supervisor_id"].astype(str).to_numpy(),
        }
    )
    present = present.merge(meetings[["gid", "meeting_no", "hours", "in_person"]], how="inner")
    groups["supervisor_hours_logged"] = (
        present.groupby("gid")["hours"].sum().reindex(gid, fill_value=0.0).astype(float)
    )
    groups["supervisor_meetings_unlogged"] = (
        present["hours"].isna().groupby(present["gid"]).sum().reindex(gid, fill_value=0)
    ).astype(float)
    persons = (
        present[present["in_person"]]
        .groupby(["gid", "meeting_no"])
        .size()
        .rename("n")
        .reset_index()
    )
    in_person = meetings[meetings["in_person"]].merge(persons, how="left")
    in_person["n"] = in_person["n"].fillna(0) + in_person["trainers"]
    groups["meal_persons"] = in_person.groupby("gid")["n"].sum().reindex(gid, fill_value=0.0)
    trained = present.drop_duplicates("supervisor_id")[["supervisor_id", "gid"]]
    groups["trained"] = trained.groupby("gid").size().reindex(gid, fill_value=0).astype(float)
    emp = tables["employees"]
    reached = trained.merge(
        pd.DataFrame({"supervisor_id": emp["supervisor_id"].astype(str).to_numpy()}),
        on="supervisor_id",
    )
    groups["employees_reached"] = (
        reached.groupby("gid").size().reindex(gid, fill_value=0).astype(float)
    )
    if groups["trained"].sum() == 0:
        raise NoEmployeesReachedError(
            "no supervisor attended a meeting: check the attendance table (present = true)"
        )
    observed, overridden = _observed_costs(tables, groups, region_id)
    return CostQuantities(
        groups=groups,
        overridden=overridden,
        observed=observed,
        trained_ids=tuple(sorted(trained["supervisor_id"])),
    )


def _held_meetings(tables: Mapping[str, pd.DataFrame], groups: pd.DataFrame) -> pd.DataFrame:
    """Held meetings: ``gid``, ``meeting_no``, ``in_person``, ``hours`` (NaN if not logged)."""
    gid = groups.index.to_numpy()
    if "meetings" in tables:
        m = tables["meetings"]
        _require(m, ["training_group_id", "meeting_no", "held"], "meetings")
        m = m[m["training_group_id"].isin(gid) & m["held"].fillna(False).astype(bool)]
        g = m["training_group_id"].astype(str).to_numpy()
        mode = (
            m["mode"].astype(str).to_numpy()
            if "mode" in m.columns
            else groups["mode"].reindex(g).to_numpy()
        )
        minutes = (
            m["duration_minutes"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            if "duration_minutes" in m.columns
            else np.full(len(m), np.nan)
        )
        return pd.DataFrame(
            {
                "gid": g,
                "meeting_no": m["meeting_no"].astype(int).to_numpy(),
                "in_person": mode == "in_person",
                "hours": minutes / 60.0,
            }
        )
    return pd.DataFrame(
        {
            "gid": np.repeat(gid, 5),
            "meeting_no": np.tile(np.arange(1, 6), len(gid)),
            "in_person": np.repeat(groups["mode"].to_numpy() == "in_person", 5),
            "hours": np.nan,
        }
    )


def _observed_costs(
    tables: Mapping[str, pd.DataFrame], groups: pd.DataFrame, region_id: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    overridden = pd.DataFrame(False, index=groups.index, columns=list(CATEGORIES))
    costs = tables.get("costs")
    if costs is None or costs.empty:
        return pd.DataFrame(columns=COST_COLUMNS), overridden
    _require(
        costs,
        ["training_group_id", "region_id", "item", "category", "payer", "quantity", "unit_cost"],
        "costs",
    )
    c = costs
    if region_id is not None:
        c = c[c["region_id"] == region_id]
    in_groups = c["training_group_id"].isin(groups.index)
    c = c[in_groups | c["training_group_id"].isna()]
    source = (
        c["source"].astype("string").fillna("") if "source" in c.columns else pd.Series("", c.index)
    )
    observed = pd.DataFrame(
        {
            "training_group_id": c["training_group_id"].astype(object).to_numpy(),
            "region_id": c["region_id"].astype(str).to_numpy(),
            "category": c["category"].astype(str).to_numpy(),
            "item": c["item"].astype(str).to_numpy(),
            "actor": c["payer"].astype(str).map(PAYER_ACTOR).fillna("society").to_numpy(),
            "source": ("costs table: " + source).str.rstrip(": ").to_numpy(dtype=object),
            "amount": (
                c["quantity"].to_numpy(dtype=float, na_value=np.nan)
                * c["unit_cost"].to_numpy(dtype=float, na_value=np.nan)
            ),
        }
    )
    observed["training_group_id"] = observed["training_group_id"].where(
        pd.notna(observed["training_group_id"]), None
    )
    for g, cat in observed[["training_group_id", "category"]].dropna().itertuples(index=False):
        if cat in overridden.columns:
            overridden.loc[g, cat] = True
    return observed.reset_index(drop=True), overridden


def guidance_from_responses(
    responses: pd.DataFrame,
    params: CostParameters,
    *,
    supervisor_ids: Any = None,
    min_count: int = MIN_COUNT,
) -> CostParameters:
    """Take the extra guidance share and hours from the ``sv_process`` questionnaire.

    Parameters
    ----------
    responses
        The ``responses`` table (long form).
    params
        The parameters to update; not changed.
    supervisor_ids
        Only these supervisors' answers (e.g. the trained supervisors of a region).
    min_count
        Fewest answers needed to replace a default (10, the disclosure rule).

    Returns
    -------
    CostParameters
        A copy in which ``extra_guidance_share`` is the share answering yes to
        ``extra_time`` (range: the Wilson 95 % interval) and ``extra_guidance_hours_per_week``
        the mean of ``extra_hours`` among them (range: the t 95 % interval), each with the
        number of answers in its source. Defaults stay, with a warning, where fewer than
        ``min_count`` supervisors answered.

    References
    ----------
    .. [1] Wilson EB (1927). Probable inference, the law of succession, and statistical
       inference. JASA 22:209-212.
    """
    _require(responses, ["respondent_id", "role", "instrument", "item", "value"], "responses")
    r = responses[(responses["instrument"] == "sv_process") & (responses["role"] == "supervisor")]
    if supervisor_ids is not None:
        r = r[r["respondent_id"].isin(list(supervisor_ids))]
    when = dt.date.today()
    if "submitted_at" in r.columns and r["submitted_at"].notna().any():
        when = pd.Timestamp(r["submitted_at"].max()).date()
    out = params
    yes = r.loc[r["item"] == "extra_time", "value"].dropna().to_numpy(dtype=float)
    n = len(yes)
    if n < min_count:
        warnings.warn(
            f"only {n} supervisors answered extra_time: the default extra guidance share stays",
            UserWarning,
            stacklevel=2,
        )
    else:
        share = float(np.mean(yes == 1))
        z = float(stats.norm.ppf(0.975))
        centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z / (1 + z**2 / n) * math.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
        lo, hi = max(centre - half, 0.0), min(centre + half, 1.0)
        fam = "beta" if 0 < lo < share < hi < 1 else "fixed"
        if fam == "fixed":
            lo = hi = share
        out = with_parameter(
            out,
            "extra_guidance_share",
            value=share,
            low=lo,
            high=hi,
            distribution=fam,
            source=f"questionnaires: sv_process.extra_time, {n} supervisors (Wilson 95 % interval)",
            date=when,
        )
    hours = r.loc[r["item"] == "extra_hours", "value"].dropna().to_numpy(dtype=float)
    hours = hours[hours > 0]
    m = len(hours)
    if m < min_count:
        warnings.warn(
            f"only {m} supervisors gave extra_hours: the default extra guidance hours stay",
            UserWarning,
            stacklevel=2,
        )
    else:
        mean = float(hours.mean())
        half = float(stats.t.ppf(0.975, m - 1) * hours.std(ddof=1) / math.sqrt(m))
        lo, hi = max(mean - half, 0.1 * mean), mean + half
        fam = "gamma" if lo < mean < hi else "fixed"
        if fam == "fixed":
            lo = hi = mean
        out = with_parameter(
            out,
            "extra_guidance_hours_per_week",
            value=mean,
            low=lo,
            high=hi,
            distribution=fam,
            source=f"questionnaires: sv_process.extra_hours, {m} supervisors (t 95 % interval)",
            date=when,
        )
    return out
