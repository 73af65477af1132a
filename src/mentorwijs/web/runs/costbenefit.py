"""The cost–benefit analysis of a finished run, for one region or all, with changed prices.

The run's folder holds the exported package and the result: the employment effect comes
from the result's event study (the whole study's estimate), the groups, people and costs
from the package, restricted to the region. Nothing is written; each request computes
afresh (about a second with 20,000 draws, see ``docs/web.md``).
"""

from __future__ import annotations

import base64
import math
import time
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mentorwijs.evaluation.costbenefit import cost_benefit
from mentorwijs.evaluation.errors import NoEmployeesReachedError
from mentorwijs.protocol import load_cost_parameters
from mentorwijs.reports.document import records
from mentorwijs.reports.sections.costbenefit import figures
from mentorwijs.reports.texts import fmt_eur, fmt_num, fmt_pct, t
from mentorwijs.studydata import read_package
from mentorwijs.web.runs.errors import NoEmployeesInRegionError, RunNotDoneError
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.runs.paths import run_dir
from mentorwijs.web.runs.selectors import evaluation_run_result

#: Draws of the probabilistic analysis on the page (the pipeline's default is 10,000).
N_DRAWS = 20_000
CB_TABLES = ("regions", "training_groups", "supervisors", "attendance", "employees",
             "meetings", "costs", "responses")  # fmt: skip
VIEWS = ("public_budget", "municipality", "mkba", "sroi")
ACTORS = ("municipality", "central_government", "employer", "employee", "society")


@dataclass(frozen=True)
class ParameterSpec:
    """One price or share as the form shows it: the range a value must lie in, and why."""

    name: str
    group: str
    label: str
    unit: str
    value: float
    low: float
    high: float
    strict: bool  # the value must lie strictly inside (low, high)
    source: str
    date: str


def parameter_specs(*, lang: str) -> list[ParameterSpec]:
    """Every parameter of the shipped file with the bounds a changed value must respect.

    A parameter with a distribution must lie strictly inside its range (the probabilistic
    analysis keeps the range); a fixed one inside its range, ends included; a legal amount
    with no range (low = high: the social-assistance norm, the minimum wage) between half
    and twice its current value, and a share at most 1.
    """
    out = []
    for name, p in load_cost_parameters().parameters.items():
        low, high, strict = p.low, p.high, p.distribution != "fixed"
        if p.distribution == "fixed" and p.low == p.high:
            low, high = p.value / 2, p.value * 2
            if p.unit.startswith("share"):
                high = min(high, 1.0)
        out.append(
            ParameterSpec(
                name=name,
                group=p.group,
                label=p.label.get(lang),
                unit=p.unit,
                value=p.value,
                low=low,
                high=high,
                strict=strict,
                source=p.source,
                date=p.date.isoformat(),
            )
        )
    return out


def run_regions(*, run: EvaluationRun) -> dict[str, str]:
    """Regions with training groups in the run's package: region_id → name."""
    tables = read_package(
        run_dir(run) / "package", tables=("regions", "training_groups"), validate=False
    ).tables
    with_groups = set(tables["training_groups"]["region_id"].dropna())
    regions = tables["regions"]
    return {
        r["region_id"]: r["name"]
        for r in records(regions.sort_values("region_id"))
        if r["region_id"] in with_groups
    }


@dataclass(frozen=True)
class CostBenefitPage:
    """What the page shows: formatted rows, figures as data URIs, and the time it took."""

    summary: list[dict[str, str]]
    actors: list[dict[str, str]]
    break_even: list[dict[str, str]]
    figures: list[dict[str, str]]
    warnings: list[str]
    n_employees: int
    n_groups: int
    n_draws: int
    seconds: float
    figure_seconds: float


def _effect(run: EvaluationRun) -> pd.DataFrame | None:
    result = evaluation_run_result(run=run)
    if result is None:
        raise RunNotDoneError(run.pk)
    es = result.tables.get("event_study")
    if es is None:
        return None
    effect = es[(es["outcome"] == "employed_1h") & (es["event_month"] >= 0)]
    if effect.empty or effect["estimate"].isna().any():
        return None
    return effect[["event_month", "estimate", "se", "ci_low", "ci_high"]]


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _summary(tables: dict[str, pd.DataFrame], lang: str) -> list[dict[str, str]]:
    psa = {r["view"]: r for r in records(tables["cb_psa_summary"])}
    rows = []
    for r in records(tables["cb_summary"]):
        if r["base_rate"] not in (True, "True"):
            continue
        p = psa.get(r["view"])
        month = r["break_even_month"]
        rows.append(
            {
                "view": t(r["view"], lang),
                "costs": fmt_eur(r["pv_costs"], lang),
                "effects": fmt_eur(r["pv_effects"], lang),
                "npv": fmt_eur(r["npv"], lang),
                "bcr": fmt_num(r["bcr"], lang, 2),
                "break_even": "–" if _nan(month) else str(int(month)),
                "npv_ci": "–" if p is None else (
                    f"{fmt_eur(p['npv_ci_low'], lang)} {'to' if lang == 'en' else 'tot'} "
                    f"{fmt_eur(p['npv_ci_high'], lang)}"
                ),
                "p_positive": "–" if p is None else fmt_pct(p["p_npv_positive"], lang),
            }
        )  # fmt: skip
    return rows


def _actors(tables: dict[str, pd.DataFrame], lang: str) -> list[dict[str, str]]:
    return [
        {
            "actor": t(r["actor"], lang) if r["actor"] in ACTORS else r["actor"],
            "costs": fmt_eur(r["pv_programme_costs"], lang),
            "effects": fmt_eur(r["pv_effects"], lang),
            "npv": fmt_eur(r["npv"], lang),
            "per_employee": fmt_eur(r["npv_per_employee"], lang),
        }
        for r in records(tables["cb_actors"])
    ]


def _break_even(tables: dict[str, pd.DataFrame], lang: str) -> list[dict[str, str]]:
    return [
        {
            "view": t(r["view"], lang),
            "months": str(r["months_kept"]),
            "people": fmt_num(r["people_per_100"], lang, 1),
            "reachable": r["reachable"] in (True, "True"),
        }
        for r in records(tables["cb_break_even"])
    ]


def _alt_texts(tables: dict[str, pd.DataFrame], lang: str) -> list[str]:
    """One sentence per figure with what it shows, in the order of ``figures``."""
    params = load_cost_parameters().parameters
    labels = {n: p.label.get(lang) for n, p in params.items()}
    labels["employment_effect"] = t("employment_effect", lang)
    tor = tables["cb_tornado"]
    top = tor[tor["view"] == "public_budget"].sort_values("swing", ascending=False).head(3)
    names = ", ".join(labels.get(n, n) for n in top["parameter"])
    psa = {r["view"]: r for r in records(tables["cb_psa_summary"])}.get("public_budget", {})
    acc = tables["cb_acceptability"]
    first, last = acc["wtp_per_month"].min(), acc["wtp_per_month"].max()
    p0 = acc[acc["wtp_per_month"] == first]["p_positive"].max()
    p1 = acc[acc["wtp_per_month"] == last]["p_positive"].max()
    be = fmt_pct(psa.get("p_break_even"), lang)
    if lang == "en":
        return [
            f"The parameters that move the net present value most: {names}.",
            f"In {be} of the draws the public budget breaks even within the horizon.",
            f"The highest probability of a positive return rises from {fmt_pct(p0, lang)} at "
            f"{fmt_eur(first, lang)} to {fmt_pct(p1, lang)} at {fmt_eur(last, lang)} a month.",
        ]
    return [
        f"De parameters die de netto contante waarde het meest bewegen: {names}.",
        f"In {be} van de trekkingen verdient het overheidsbudget zich binnen de horizon terug.",
        f"De hoogste kans op een positief saldo stijgt van {fmt_pct(p0, lang)} bij "
        f"{fmt_eur(first, lang)} tot {fmt_pct(p1, lang)} bij {fmt_eur(last, lang)} per maand.",
    ]


def _data_uri(svg: str) -> str:
    """A matplotlib SVG as an ``<img>`` source: an image never runs scripts."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def cost_benefit_for_run(
    *,
    run: EvaluationRun,
    region_id: str | None,
    overrides: dict[str, float],
    lang: str,
    n_draws: int = N_DRAWS,
) -> CostBenefitPage | None:
    """The cost–benefit analysis of ``run`` for a region (``None``: all), or ``None`` when
    the employment effect is suppressed (fewer than 10 treated persons).

    Raises
    ------
    RunNotDoneError
        The run has no result.
    NoEmployeesInRegionError
        No employee of a trained supervisor in the region.
    """
    effect = _effect(run)
    if effect is None:
        return None
    tables = read_package(run_dir(run) / "package", tables=CB_TABLES, validate=False).tables
    began = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = cost_benefit(
                tables, effect, overrides=overrides, region_id=region_id, n_draws=n_draws,
                seed=run.seed,
            )  # fmt: skip
        except NoEmployeesReachedError:
            raise NoEmployeesInRegionError(region_id or "") from None
    seconds = time.perf_counter() - began
    cb = result.tables()
    began = time.perf_counter()
    figs = figures(cb, lang)
    alts = _alt_texts(cb, lang)
    figure_seconds = time.perf_counter() - began
    base = result.summary[result.summary["base_rate"]].iloc[0]
    return CostBenefitPage(
        summary=_summary(cb, lang),
        actors=_actors(cb, lang),
        break_even=_break_even(cb, lang),
        figures=[
            {"caption": f.caption, "src": _data_uri(f.svg), "alt": alt}
            for f, alt in zip(figs, alts, strict=False)
        ],
        warnings=list(dict.fromkeys(str(w.message) for w in caught)),
        n_employees=int(base["n_employees"]),
        n_groups=int(base["n_groups"]),
        n_draws=n_draws,
        seconds=seconds,
        figure_seconds=figure_seconds,
    )
