"""The figures of one product's scope: the whole study, or one labour-market region.

A :class:`Scope` gathers, from one ``EvaluationResult``, the numbers a factsheet (and the
practice guide) speaks of. :func:`scope_of` takes them from the national tables, or from the
per-region tables (``region_*``) of :mod:`mentorwijs.evaluation.regions`; so every regional
factsheet and the national report rest on the same result. Nothing here computes a number:
it only picks rows.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import records
from mentorwijs.reports.errors import UnknownRegionError

#: The supervisor scales the factsheet speaks of: what the training aims to change first.
SCALES = ("knowledge", "self_efficacy")
MAIN_OUTCOME = "employed_1h"

Row = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """The numbers of one scope, as result rows (None or empty where the result has none).

    Attributes
    ----------
    region, name
        The region's code and name; both None for the whole study.
    groups, in_person, online
        Training groups in total and per mode.
    flow
        The supervisors' participant flow, one row per wave.
    employees
        The employees' first flow row (invited, completed).
    change
        The change rows of :data:`SCALES`, in wave order.
    effect
        The event-study rows of "employed >= 1 hour" (every event month); empty when the
        scope has no estimate of its own.
    n_treated
        Treated employees in the register data of the scope (None: suppressed).
    effect_estimated, min_treated
        Whether the scope has its own employment effect, and the minimum it needed.
    tests
        The design tests of the main outcome (``pre-trends``, ``placebo 6 months``), each a
        row with ``p_val_f``; a region's from its own event study.
    cost_total, cost_municipality
        Unit costs (``per_trained_supervisor``, ``per_employee_reached``) for all parties and
        for the municipality.
    public, public_psa
        The public budget's base case (``pv_costs``, ``pv_effects``, ``npv``) and its
        probabilistic summary (``n_draws``, ``p_npv_positive``, ``npv_ci_low``,
        ``npv_ci_high``).
    effect_basis
        ``"own"`` when the return rests on the scope's own effect, ``"national"`` when a
        region's return uses the whole study's effect.
    """

    region: str | None = None
    name: str | None = None
    groups: int | None = None
    in_person: int | None = None
    online: int | None = None
    flow: list[Row] = field(default_factory=list)
    employees: Row | None = None
    change: list[Row] = field(default_factory=list)
    effect: list[Row] = field(default_factory=list)
    n_treated: float | None = None
    effect_estimated: bool = False
    min_treated: int | None = None
    tests: dict[str, Row] = field(default_factory=dict)
    cost_total: Row | None = None
    cost_municipality: Row | None = None
    public: Row | None = None
    public_psa: Row | None = None
    effect_basis: str = "own"

    @property
    def label(self) -> str:
        """The region as people know it: "Rivierenland (R10)", or its code alone."""
        if self.region is None:
            return ""
        return f"{self.name} ({self.region})" if self.name else self.region


def _rows(result: EvaluationResult, name: str, region: str | None = None) -> list[Row]:
    """A table's rows as dicts; with ``region``, only that region's (filtered first, so a
    national table of 35 regions is not converted whole)."""
    if name not in result.tables:
        return []
    df = result.tables[name]
    if region is not None:
        df = df[df["region_id"].astype(str) == region]
    return records(df)


def _base(row: Row) -> bool:
    return row.get("base_rate") in (True, "True")


def regions(result: EvaluationResult) -> dict[str, str | None]:
    """The labour-market regions the result has per-region tables for: code → name."""
    return {str(r["region_id"]): r.get("name") for r in _rows(result, "region_summary")}


def check_region(result: EvaluationResult, region: str) -> None:
    """Raise :class:`UnknownRegionError` unless ``region`` is one of the result's regions."""
    known = regions(result)
    if region in known:
        return
    if not known:
        raise UnknownRegionError(
            "this result has no per-region tables: evaluate the package again with the "
            "setting regions=true (the default)",
            "dit resultaat heeft geen tabellen per regio: evalueer het pakket opnieuw met de "
            "instelling regions=true (de standaard)",
        )
    names = ", ".join(known)
    raise UnknownRegionError(
        f"region {region!r} is not in this result; its regions are: {names}",
        f"regio {region!r} zit niet in dit resultaat; de regio's zijn: {names}",
    )


def national_scope(result: EvaluationResult) -> Scope:
    """The whole study's figures."""
    flow = _rows(result, "flow_supervisors")
    employees = _rows(result, "flow_employees")
    groups_rows = [r for r in _rows(result, "response_by_group") if r["level"] == "group"]
    effect = [r for r in _rows(result, "event_study") if r["outcome"] == MAIN_OUTCOME]
    post = [r for r in effect if r["event_month"] >= 0]
    costs = {(r["level"], r["unit"]): r for r in _rows(result, "cb_cost_summary")}
    public = next(
        (r for r in _rows(result, "cb_summary") if r["view"] == "public_budget" and _base(r)),
        None,
    )
    psa = next((r for r in _rows(result, "cb_psa_summary") if r["view"] == "public_budget"), None)
    return Scope(
        groups=len({r["unit"] for r in groups_rows}) if groups_rows else None,
        flow=flow,
        employees=employees[0] if employees else None,
        change=[r for r in _rows(result, "supervisor_change") if r["scale"] in SCALES],
        effect=effect if post and all(r["estimate"] is not None for r in post) else [],
        n_treated=post[0]["n_treated"] if post else None,
        effect_estimated=bool(post) and all(r["estimate"] is not None for r in post),
        tests={r["test"]: r for r in _rows(result, "did_tests") if r["outcome"] == MAIN_OUTCOME},
        cost_total=costs.get(("total", "all")),
        cost_municipality=costs.get(("actor", "municipality")),
        public=public,
        public_psa=psa,
    )


def region_scope(result: EvaluationResult, region: str) -> Scope:
    """One region's figures from the per-region tables (see :func:`check_region`)."""
    check_region(result, region)
    summary = _rows(result, "region_summary", region)[0]
    flow = _rows(result, "region_flow", region)
    employees = [r for r in flow if r["role"] == "employee"]
    flow = [r for r in flow if r["role"] == "supervisor"]
    estimated = bool(summary["effect_estimated"] in (True, "True"))
    effect = _rows(result, "region_event_study", region) if estimated else []
    costs = next(iter(_rows(result, "region_costs", region)), None)
    cb = _rows(result, "region_cost_benefit", region)
    public = next((r for r in cb if r["view"] == "public_budget"), None)
    municipality = None
    if costs is not None:
        municipality = {
            "per_trained_supervisor": costs["municipality_per_trained_supervisor"],
            "per_employee_reached": costs["municipality_per_employee_reached"],
        }
    return Scope(
        region=region,
        name=summary.get("name"),
        groups=summary["groups"],
        in_person=summary["in_person"],
        online=summary["online"],
        flow=flow,
        employees=employees[0] if employees else None,
        change=[r for r in _rows(result, "region_change", region) if r["scale"] in SCALES],
        effect=effect,
        n_treated=summary["treated"],
        effect_estimated=estimated,
        tests=_region_tests(effect),
        min_treated=summary["min_treated"],
        cost_total=costs,
        cost_municipality=municipality,
        public=public,
        public_psa=public,
        effect_basis="national",
    )


#: id(result) → (a weak reference to it, its scopes by region); an entry goes with its result.
_CACHE: dict[int, tuple[weakref.ref[EvaluationResult], dict[str | None, Scope]]] = {}


def _region_tests(effect: list[Row]) -> dict[str, Row]:
    """The region's pre-trend and placebo p-values as rows like the national ``did_tests``."""
    if not effect or effect[0].get("pretrend_p") is None or effect[0].get("placebo_p") is None:
        return {}
    return {
        "pre-trends": {"p_val_f": effect[0]["pretrend_p"]},
        "placebo 6 months": {"p_val_f": effect[0]["placebo_p"]},
    }


def scope_of(result: EvaluationResult, region: str | None = None) -> Scope:
    """The scope of a product: the whole study (``region=None``) or one region.

    Every section of a product asks for it, so it is picked once per result and region (a
    result is never changed after it is made).
    """
    key = id(result)
    entry = _CACHE.get(key)
    if entry is None or entry[0]() is not result:
        entry = (weakref.ref(result, lambda _ref: _CACHE.pop(key, None)), {})
        _CACHE[key] = entry
    known = entry[1]
    if region not in known:
        known[region] = national_scope(result) if region is None else region_scope(result, region)
    return known[region]
