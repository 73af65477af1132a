"""The cost model of Mentorwijs: what delivering the training costs, and who pays.

Prices come from the ``costs`` table where a group has entries for a cost category, and
from the parameter file where it has none; quantities come from
:func:`costs_registry.cost_quantities`. Every price formula is linear in the quantities, so
the same functions price one group (scalars) or a hundred thousand parameter draws (arrays)
without loops.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.evaluation.costs_registry import COST_COLUMNS, QUANTITIES, CostQuantities

#: Cost items priced from the parameter file: item → (cost category, actor who pays).
COST_ITEMS: dict[str, tuple[str, str]] = {
    "trainer_hours": ("trainer", "municipality"),
    "trainer_travel": ("trainer", "municipality"),
    "venue": ("venue", "municipality"),
    "meals": ("meals", "municipality"),
    "materials": ("materials", "municipality"),
    "licence": ("licence", "municipality"),
    "train_the_trainer": ("licence", "municipality"),
    "coordination": ("coordination", "municipality"),
    "supervisor_time": ("supervisor_time", "employer"),
}
#: Weeks per month: 52 / 12.
WEEKS_PER_MONTH = 52.0 / 12.0

Values = Mapping[str, Any]  # name → float or ndarray (broadcastable)


def item_cost(item: str, q: Values, p: Values) -> Any:
    """Cost of a parameter-priced item for quantities ``q`` at prices ``p``.

    Parameters
    ----------
    item
        A key of :data:`COST_ITEMS`.
    q
        Quantities (:data:`QUANTITIES`): floats, or arrays of one value per group.
    p
        Parameter values: floats, or arrays of one value per draw.

    Notes
    -----
    With :math:`T` trainers, :math:`M` held meetings (:math:`M_f` in person),
    :math:`H_{\\log}` logged meeting hours and :math:`M_u` meetings without a duration:

    - trainer hours: :math:`r_{tr}\\,(T H_{\\log} + T M_u h_m + T M h_{prep} + T M_f h_{trav})`
    - trainer travel: :math:`c_{trav} T M_f`; venue: :math:`c_{venue} M_f`;
      meals: :math:`c_{meal}` × (present supervisors + trainers) over in-person meetings
    - materials: :math:`c_{mat}` × enrolled; licence: :math:`c_{lic}` per group;
      train-the-trainer: :math:`c_{ttt} T / g_{ttt}`;
      coordination: :math:`h_{coord} r_{coord}` per group
    - supervisors' time: :math:`w_{sup}` × (logged attended hours + unlogged attended
      meetings × :math:`h_m`)
    """
    match item:
        case "trainer_hours":
            hours = (
                q["trainer_hours_logged"]
                + q["trainer_meetings_unlogged"] * p["meeting_hours"]
                + q["trainer_meetings"] * p["preparation_hours_per_meeting"]
                + q["trainer_meetings_in_person"] * p["travel_hours_per_meeting"]
            )
            return p["trainer_hourly_rate"] * hours
        case "trainer_travel":
            return p["travel_cost_per_meeting"] * q["trainer_meetings_in_person"]
        case "venue":
            return p["venue_per_meeting"] * q["meetings_in_person"]
        case "meals":
            return p["meal_per_person"] * q["meal_persons"]
        case "materials":
            return p["materials_per_participant"] * q["enrolled"]
        case "licence":
            return p["licence_per_group"] * q["groups"]
        case "train_the_trainer":
            return p["train_the_trainer_fee"] * q["trainers"] / p["groups_per_trained_trainer"]
        case "coordination":
            return p["coordination_hours_per_group"] * p["coordination_hourly_rate"] * q["groups"]
        case "supervisor_time":
            hours = (
                q["supervisor_hours_logged"]
                + q["supervisor_meetings_unlogged"] * p["meeting_hours"]
            )
            return p["supervisor_hourly_wage_cost"] * hours
    raise KeyError(item)


def guidance_per_month(trained: Any, p: Values) -> Any:
    """Euros a month of the supervisors' extra guidance after the training.

    Notes
    -----
    ``trained × share × hours a week × 52/12 × wage cost per hour``, for
    ``extra_guidance_months`` months from the start.
    """
    return (
        trained
        * p["extra_guidance_share"]
        * p["extra_guidance_hours_per_week"]
        * WEEKS_PER_MONTH
        * p["supervisor_hourly_wage_cost"]
    )


def programme_costs(quantities: CostQuantities, p: Values) -> dict[tuple[str, str], Any]:
    """Upfront cost of delivering the training by ``(item, actor)``, summed over groups.

    Parameter-priced items cover the groups whose category has no ``costs`` entry; the
    ``costs`` lines (fixed amounts) are added under their own item and payer.
    """
    out: dict[tuple[str, str], Any] = {}
    for item, (_, actor) in COST_ITEMS.items():
        out[(item, actor)] = item_cost(item, quantities.totals(COST_ITEMS[item][0]), p)
    for key, amount in quantities.observed_totals.items():
        out[key] = out.get(key, 0.0) + amount
    return out


def cost_lines(quantities: CostQuantities, params: Mapping[str, float]) -> pd.DataFrame:
    """Every cost of the programme per group and item, at the parameters' base values.

    Returns
    -------
    DataFrame
        :data:`COST_COLUMNS`: ``training_group_id`` (missing for programme-wide lines),
        ``region_id``, ``category``, ``item``, ``actor`` (who pays), ``source``
        (``"parameters"`` or ``"costs table: …"``) and ``amount`` in euros, undiscounted.
        The supervisors' extra guidance after the training is the item ``extra_guidance``
        (category ``extra_guidance``, paid by the employer) over ``extra_guidance_months``.
    """
    g = quantities.groups
    q = {k: g[k].to_numpy(dtype=float) for k in QUANTITIES}
    parts = []
    for item, (category, actor) in COST_ITEMS.items():
        keep = ~quantities.overridden[category].to_numpy(dtype=bool)
        amount = np.broadcast_to(item_cost(item, q, params), keep.shape)
        parts.append(
            pd.DataFrame(
                {
                    "training_group_id": g.index[keep],
                    "region_id": g["region_id"].to_numpy()[keep],
                    "category": category,
                    "item": item,
                    "actor": actor,
                    "source": "parameters",
                    "amount": amount[keep],
                }
            )
        )
    guidance = guidance_per_month(q["trained"], params) * params["extra_guidance_months"]
    parts.append(
        pd.DataFrame(
            {
                "training_group_id": g.index,
                "region_id": g["region_id"].to_numpy(),
                "category": "extra_guidance",
                "item": "extra_guidance",
                "actor": "employer",
                "source": "parameters",
                "amount": guidance,
            }
        )
    )
    if not quantities.observed.empty:
        parts.append(quantities.observed)
    out = pd.concat(parts, ignore_index=True)[COST_COLUMNS]
    out["training_group_id"] = out["training_group_id"].astype("string")
    return out.sort_values(["training_group_id", "category", "item"], na_position="last")[
        COST_COLUMNS
    ].reset_index(drop=True)


def cost_summary(lines: pd.DataFrame, quantities: CostQuantities) -> pd.DataFrame:
    """Costs per category, per group and in total, with the unit costs.

    Returns
    -------
    DataFrame
        ``level`` (``category``, ``actor``, ``group`` or ``total``), ``unit`` (the category,
        actor, group or ``all``), ``amount``, ``per_group``, ``per_trained_supervisor``,
        ``per_employee_reached``. For a group row the unit costs use that group's counts;
        otherwise the programme's. Programme-wide lines appear only in the other levels.
    """
    g = quantities.groups
    n_g, n_s, n_e = quantities.n_groups, quantities.trained, quantities.employees_reached
    rows = []
    for level, col in (("category", "category"), ("actor", "actor")):
        for unit, amount in lines.groupby(col)["amount"].sum().items():
            rows.append((level, unit, amount, n_g, n_s, n_e))
    per_group = lines.dropna(subset=["training_group_id"]).groupby("training_group_id")["amount"]
    for unit, amount in per_group.sum().items():
        rows.append(
            ("group", unit, amount, 1, g.at[unit, "trained"], g.at[unit, "employees_reached"])
        )
    rows.append(("total", "all", lines["amount"].sum(), n_g, n_s, n_e))
    out = pd.DataFrame(rows, columns=["level", "unit", "amount", "g", "s", "e"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_group"] = out["amount"] / out["g"]
        out["per_trained_supervisor"] = out["amount"] / out["s"].replace(0, np.nan)
        out["per_employee_reached"] = out["amount"] / out["e"].replace(0, np.nan)
    out["unit"] = out["unit"].astype(str)
    return out.drop(columns=["g", "s", "e"])
