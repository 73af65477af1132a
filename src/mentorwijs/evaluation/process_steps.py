"""The process evaluation's steps of the pipeline (listed in :data:`steps.STEPS`).

Each step returns its tables; a step whose data the package lacks raises
:class:`~mentorwijs.evaluation.errors.NoProcessDataError`, so the pipeline leaves it out
with the reason. A measure that cannot be computed inside a step that can is left out with
a warning (kept in the result's diagnostics).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mentorwijs.evaluation.errors import NoDoubleCodingError, NoProcessDataError
from mentorwijs.evaluation.process import delivery, dose_received, reach, supervisor_units
from mentorwijs.evaluation.process_answers import (
    extra_guidance,
    satisfaction,
    workplace_determinants,
)
from mentorwijs.evaluation.process_effect import (
    change_moderation,
    employee_moderators,
    employment_moderation,
    supervisor_moderators,
)
from mentorwijs.evaluation.process_findings import practice_factors
from mentorwijs.evaluation.qualitative import (
    code_cooccurrence,
    code_frequencies,
    effect_subgroups,
    main_coding,
    passages,
    respondent_modifiers,
    with_regions,
)
from mentorwijs.evaluation.qualitative_agreement import coder_agreement
from mentorwijs.evaluation.scales import score_scales
from mentorwijs.studydata import StudyPackage

Tables = Mapping[str, pd.DataFrame]


def _each(measures: Mapping[str, Callable[[], pd.DataFrame]], what: str) -> dict[str, pd.DataFrame]:
    """Run each measure; one without data is left out with a warning, none at all skips."""
    out, reasons = {}, {}
    for name, measure in measures.items():
        try:
            out[name] = measure()
        except NoProcessDataError as exc:
            reasons[name] = str(exc)
    if not out:
        raise NoProcessDataError(f"no {what} could be computed: " + "; ".join(reasons.values()))
    for name, reason in reasons.items():
        warnings.warn(f"{name} left out: {reason}", UserWarning, stacklevel=2)
    return out


def process_delivery(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """Reach, dose delivered, fidelity and dose received from the registry."""
    sup, groups = package["supervisors"], package["training_groups"]
    if groups.empty:
        raise NoProcessDataError("the package has no training groups: nothing was delivered yet")
    return _each(
        {
            "process_reach": lambda: reach(
                sup,
                groups,
                package["attendance"],
                package["employees"],
                package["organisations"],
                trained_min=settings["trained_min_meetings"],
            ),
            "process_delivery": lambda: delivery(package["meetings"], groups),
            "process_dose_received": lambda: dose_received(sup, groups, package["attendance"]),
        },
        "registry process measure",
    )


def process_answers(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """Satisfaction, extra guidance time and workplace determinants from the questionnaire."""
    units = supervisor_units(
        package["supervisors"], package["training_groups"], package["organisations"]
    )
    responses = package["responses"]
    return _each(
        {
            "process_satisfaction": lambda: satisfaction(responses, units),
            "process_extra_time": lambda: extra_guidance(responses, units),
            "process_determinants": lambda: workplace_determinants(
                responses, units, barrier_max=settings["barrier_max"]
            ),
        },
        "questionnaire process measure",
    )


def moderators_of(package: StudyPackage, settings: Mapping[str, Any]) -> pd.DataFrame:
    """:func:`process_effect.supervisor_moderators` of a package."""
    return supervisor_moderators(
        package["supervisors"],
        package["training_groups"],
        package["meetings"],
        package["attendance"],
        package["responses"],
        barrier_max=settings["barrier_max"],
    )


def process_moderation(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """Whether dose, mode and workplace determinants moderate the supervisors' change."""
    responses = package["responses"]
    if not (responses["instrument"] == "sv_outcomes").any():
        raise NoProcessDataError("no supervisor answered sv_outcomes: no change to moderate")
    if package["training_groups"].empty:
        raise NoProcessDataError("the package has no training groups: no process moderators")
    scores = score_scales(responses, instrument="sv_outcomes")
    return {
        "process_effect_supervisors": change_moderation(scores, moderators_of(package, settings))
    }


def employment_modifiers(
    package: StudyPackage, settings: Mapping[str, Any], modifiers: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """The study's effect modifiers plus the process moderators of each treated person's
    supervisor, and the names of the process moderators added."""
    if package["training_groups"].empty:
        return modifiers, []
    per_person = employee_moderators(package["employees"], moderators_of(package, settings))
    merged = modifiers.merge(per_person, on="person_id", how="left")
    # A moderator with fewer than two values among the treated has nothing to compare.
    names = [c for c in per_person.columns if c != "person_id" and merged[c].nunique() >= 2]
    dropped = [c for c in per_person.columns if c != "person_id" and c not in names]
    return merged.drop(columns=dropped), names


def split_process_moderation(
    tables: dict[str, pd.DataFrame], names: list[str]
) -> dict[str, pd.DataFrame]:
    """Move the process moderators' rows out of ``effect_modification`` and
    ``modification_tests`` into ``process_effect_employment``."""
    if not names or "effect_modification" not in tables:
        return tables
    em, tests = tables["effect_modification"], tables["modification_tests"]
    out = dict(tables)
    try:
        out["process_effect_employment"] = employment_moderation(em, tests, names)
    except NoProcessDataError as exc:
        warnings.warn(f"process_effect_employment left out: {exc}", UserWarning, stacklevel=2)
    out["effect_modification"] = em[~em["modifier"].isin(names)].reset_index(drop=True)
    out["modification_tests"] = tests[~tests["modifier"].isin(names)].reset_index(drop=True)
    out["process_modification_tests"] = tests[tests["modifier"].isin(names)].reset_index(drop=True)
    return out


def _main_segments(package: StudyPackage) -> pd.DataFrame | None:
    seg = package["interview_segments"]
    if seg.empty:
        return None
    return with_regions(
        main_coding(seg),
        supervisors=package["supervisors"],
        employees=package["employees"],
        trainers=package["trainers"],
        organisations=package["organisations"],
    )


def interviews(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """Code frequencies, co-occurrence, passages with their subgroups, coder agreement."""
    main = _main_segments(package)
    if main is None:
        raise NoProcessDataError("the package has no coded interview segments")
    out = {
        "interview_codes": code_frequencies(main, min_interviews=settings["interview_min_count"]),
        "interview_cooccurrence": code_cooccurrence(main),
    }
    subgroups = None
    parts = []
    if "effect_modification" in done:
        parts.append((done["effect_modification"], done["modification_tests"]))
    if "process_effect_employment" in done:
        pe = done["process_effect_employment"]
        diff = pe[pe["term"] == "difference"].rename(columns={"moderator": "modifier"})
        parts.append((pe[pe["term"] == "subgroup"].rename(columns={"moderator": "modifier"}), diff))
    if parts:
        subgroups = effect_subgroups(
            pd.concat([p[0][["modifier", "subgroup", "estimate", "suppressed"]] for p in parts]),
            pd.concat([p[1][["modifier", "p_val"]] for p in parts]),
        )
        out["interview_subgroups"] = subgroups
    modifiers = respondent_modifiers(
        supervisors=package["supervisors"],
        organisations=package["organisations"],
        employees=package["employees"],
        register_persons=package["register_persons"],
        process_moderators=moderators_of(package, settings)
        if not package["training_groups"].empty
        else None,
        respondents=set(main["respondent_id"]),
    )
    out["interview_passages"] = passages(main, modifiers=modifiers, subgroups=subgroups)
    try:
        out["coder_agreement"] = coder_agreement(package["interview_segments"])
    except NoDoubleCodingError as exc:
        warnings.warn(f"coder_agreement left out: {exc}", UserWarning, stacklevel=2)
    return out


def practice(
    package: StudyPackage, settings: Mapping[str, Any], done: Tables
) -> dict[str, pd.DataFrame]:
    """The ranked facilitators and barriers for the practice guide."""
    return {
        "practice_factors": practice_factors(
            package["responses"], _main_segments(package), barrier_max=settings["barrier_max"]
        )
    }
