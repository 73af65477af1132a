"""The steps of the evaluation, in order, and the settings they take.

Each step reads the package, the settings and the tables of the steps before it, and returns
its own tables. Adding an analysis is one function and one line in :data:`STEPS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mentorwijs.evaluation.attrition import attrition
from mentorwijs.evaluation.costbenefit import CostBenefitResult, cost_benefit
from mentorwijs.evaluation.employment import EmploymentSettings, employment_effects
from mentorwijs.evaluation.flow import attendance_distribution, participant_flow, response_by_group
from mentorwijs.evaluation.process_steps import (
    employment_modifiers,
    interviews,
    practice,
    process_answers,
    process_delivery,
    process_moderation,
    split_process_moderation,
)
from mentorwijs.evaluation.regions import (
    REGION_MIN_TREATED,
    region_changes,
    region_flow,
    region_summary,
    respondent_regions,
)
from mentorwijs.evaluation.regions_costs import region_cost_benefit
from mentorwijs.evaluation.scales import item_rest_correlations, scale_reliability, score_scales
from mentorwijs.evaluation.supervisors import wave_changes
from mentorwijs.evaluation.supervisors_mi import wave_changes_mi
from mentorwijs.protocol import CostParameters, load_protocol
from mentorwijs.studydata import StudyPackage

Tables = Mapping[str, pd.DataFrame]
Step = Callable[[StudyPackage, Mapping[str, Any], Tables], dict[str, pd.DataFrame]]


def _flow(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    protocol = load_protocol()
    inv = package["invitations"]
    out = {
        "flow_supervisors": participant_flow(
            inv, role="supervisor", waves=protocol.waves_for("supervisor")
        )
    }
    if (inv["role"] == "employee").any():
        out["flow_employees"] = participant_flow(
            inv, role="employee", waves=protocol.waves_for("employee")
        )
    out["response_by_group"] = response_by_group(
        inv,
        package["supervisors"],
        package["training_groups"],
        waves=protocol.waves_for("supervisor"),
    )
    return out


def _reliability(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    protocol = load_protocol()
    responses = package["responses"]
    reliability, item_rest = [], []
    for code, instrument in protocol.instruments.items():
        if not instrument.scales or not (responses["instrument"] == code).any():
            continue
        reliability.append(
            scale_reliability(responses, instrument=code, protocol=protocol).assign(instrument=code)
        )
        item_rest.append(
            item_rest_correlations(responses, instrument=code, protocol=protocol).assign(
                instrument=code
            )
        )
    if not reliability:
        return {}
    return {
        "reliability": _instrument_first(pd.concat(reliability, ignore_index=True)),
        "item_rest": _instrument_first(pd.concat(item_rest, ignore_index=True)),
    }


def _instrument_first(df: pd.DataFrame) -> pd.DataFrame:
    return df[["instrument", *[c for c in df.columns if c != "instrument"]]]


def _supervisor_outcomes(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    responses = package["responses"]
    if not (responses["instrument"] == "sv_outcomes").any():
        return {}
    scores = score_scales(responses, instrument="sv_outcomes")
    supervisors = package["supervisors"]
    out = {
        "supervisor_change": wave_changes(
            scores, supervisors=supervisors, group_effect=settings["group_effect"]
        ),
        "attrition": attrition(scores, package["invitations"], supervisors),
    }
    if settings["imputations"]:
        out["supervisor_change_mi"] = wave_changes_mi(
            scores,
            supervisors=supervisors,
            seed=settings["seed"],
            n_imputations=settings["imputations"],
            group_effect=settings["group_effect"],
        )
    return out


def _attendance(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    return {"attendance": attendance_distribution(package["attendance"])}


def _employment(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    persons = package["register_persons"]
    if not persons["treated"].fillna(False).astype(bool).any():
        return {}
    # The process moderators ride along with the study's modifiers; their rows are moved
    # to process_effect_employment afterwards (process_steps.split_process_moderation).
    modifiers, process_names = employment_modifiers(package, settings, effect_modifiers(package))
    tables = employment_effects(
        persons,
        package["register_months"],
        modifiers=modifiers,
        settings=EmploymentSettings(
            k=settings["k"],
            caliper=settings["caliper"],
            replace=settings["replace"],
            exact=tuple(settings["exact"]),
            match_on_history=settings["match_on_history"],
            bootstrap=settings["bootstrap"],
        ),
        extract_end=package.meta.get("extract_end"),
        seed=settings["seed"],
        person_regions=_person_regions(persons) if settings["regions"] else None,
        region_min_treated=settings["region_min_treated"],
    )
    return split_process_moderation(tables, process_names)


def _person_regions(persons: pd.DataFrame) -> pd.Series | None:
    """``person_id`` → ``region_id`` of the treated register persons (None without regions)."""
    if "region_id" not in persons.columns:
        return None
    p = persons[persons["treated"].fillna(False).astype(bool)].dropna(subset=["region_id"])
    return pd.Series(
        p["region_id"].astype(str).to_numpy(), index=p["person_id"].astype(str).to_numpy()
    )


def effect_modifiers(package: StudyPackage) -> pd.DataFrame:
    """The subgroups of the treated persons that the study looks at for effect modification.

    Temporary contract, sheltered work, employer size and public sector come from the register
    persons; whether the supervisor guides fewer than 10 such employees comes from the
    supervisors table through the employees' register link.
    """
    p = package["register_persons"]
    p = p[p["treated"].fillna(False).astype(bool)]
    mods = pd.DataFrame(
        {
            "person_id": p["person_id"].astype(str).to_numpy(),
            "temporary_contract": p["temporary_contract"].to_numpy(),
            "sheltered": p["sheltered"].to_numpy(),
            "employer_size": p["employer_size"].to_numpy(),
            "public_sector": (p["sector"] == "public").to_numpy(),
        }
    )
    link = package["employees"][["register_person_id", "supervisor_id"]].dropna()
    caseload = link.merge(
        package["supervisors"][["supervisor_id", "employees_guided"]], on="supervisor_id"
    )
    under_10 = dict(
        zip(
            caseload["register_person_id"].astype(str),
            caseload["employees_guided"].astype(float) < 10,
            strict=True,
        )
    )
    mods["caseload_under_10"] = mods["person_id"].map(under_10)
    return mods


def _cost_benefit(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    if "event_study" not in done or not settings["cost_benefit_draws"]:
        return {}
    result = cost_benefit_of(
        package, done["event_study"], n_draws=settings["cost_benefit_draws"], seed=settings["seed"]
    )
    return {} if result is None else result.tables()


def cost_benefit_of(
    package: StudyPackage,
    event_study: pd.DataFrame,
    *,
    params: CostParameters | None = None,
    n_draws: int = 10_000,
    seed: int = 2023,
) -> CostBenefitResult | None:
    """The cost–benefit analysis of a package, driven by the estimated employment effect.

    The effect profile is the event study of "employed >= 1 hour" from the start month on.
    When that estimate is suppressed (fewer than 10 treated persons) there is no profile to
    value: a warning is given and ``None`` returned.
    """
    effect = event_study[
        (event_study["outcome"] == "employed_1h") & (event_study["event_month"] >= 0)
    ]
    if effect.empty or effect["estimate"].isna().any():
        warnings.warn(
            "the employment effect rests on fewer than 10 treated persons, so it is suppressed "
            "and the cost-benefit analysis is left out",
            stacklevel=2,
        )
        return None
    return cost_benefit(
        package.tables,
        effect[["event_month", "estimate", "se", "ci_low", "ci_high"]],
        params=params,
        n_draws=n_draws,
        seed=seed,
    )


def _region_names(package: StudyPackage) -> dict[str, str]:
    regions = package.tables.get("regions")
    if regions is None or "name" not in regions.columns:
        return {}
    return dict(zip(regions["region_id"].astype(str), regions["name"].astype(str), strict=True))


def _regions(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """The per-region tables of the regional factsheets (see :mod:`regions`)."""
    if not settings["regions"]:
        return {}
    protocol = load_protocol()
    groups = package["training_groups"]
    employees = package.tables.get("employees")
    regions_of = respondent_regions(package["supervisors"], employees, groups)
    out = {
        "region_summary": region_summary(
            groups,
            done.get("region_event_study"),
            names=_region_names(package),
            min_treated=settings["region_min_treated"],
        ),
        "region_flow": region_flow(
            package["invitations"],
            regions_of,
            waves={role: protocol.waves_for(role) for role in ("supervisor", "employee")},
        ),
    }
    responses = package["responses"]
    if (responses["instrument"] == "sv_outcomes").any():
        scores = score_scales(responses, instrument="sv_outcomes")
        out["region_change"] = region_changes(scores, regions_of)
    effect = None
    if "event_study" in done:
        es = done["event_study"]
        es = es[(es["outcome"] == "employed_1h") & (es["event_month"] >= 0)]
        if not es.empty and not es["estimate"].isna().any():
            effect = es[["event_month", "estimate", "se", "ci_low", "ci_high"]]
    draws = settings["cost_benefit_draws"]
    out.update(
        region_cost_benefit(
            package.tables,
            effect if draws else None,
            list(out["region_summary"]["region_id"]),
            n_draws=max(draws, 1),
            seed=settings["seed"],
        )
    )
    return out


STEPS: list[tuple[str, Step]] = [
    ("participant flow and response", _flow),
    ("attendance", _attendance),
    ("process: reach, dose delivered, fidelity, dose received", process_delivery),
    ("process: satisfaction, extra guidance time, workplace determinants", process_answers),
    ("scale reliability", _reliability),
    ("supervisor outcomes (mixed models, attrition, multiple imputation)", _supervisor_outcomes),
    ("process and effect: dose, mode and determinants as moderators of change", process_moderation),
    ("employment: matching, event study, placebo, subgroups, retention", _employment),
    ("interviews: codes, co-occurrence, passages, coder agreement", interviews),
    ("practice findings: facilitators and barriers", practice),
    ("cost-benefit", _cost_benefit),
    ("per-region tables for the regional factsheets", _regions),
]

#: Settings of the steps and their defaults; ``evaluate_package(settings=…)`` overrides them.
DEFAULT_SETTINGS: dict[str, Any] = {
    "group_effect": False,  # a random intercept per training group besides the supervisor's
    "imputations": 20,  # m of the multiple-imputation sensitivity analysis; 0 skips it
    "k": 10,  # matched controls per treated person
    "caliper": 0.2,  # in SD of the logit of the propensity score (Austin 2011); None: none
    "replace": True,  # a control may serve several treated persons
    "exact": [],  # columns to match exactly, e.g. ["sex"]
    "match_on_history": False,  # also match on employment before the start (see employment.py)
    "bootstrap": 0,  # cluster-bootstrap draws for the event study; 0: analytic intervals
    "cost_benefit_draws": 10_000,  # draws of the probabilistic analysis; 0 skips the CBA
    "regions": True,  # the per-region tables of the regional factsheets
    "region_min_treated": REGION_MIN_TREATED,  # treated persons for a region's own effect
    "trained_min_meetings": 1,  # meetings attended to count as trained (process reach)
    "barrier_max": 2,  # a workplace determinant scored at most this (1-5) is a barrier
    "interview_min_count": 3,  # interviews a role, region or wave needs to be shown
}
