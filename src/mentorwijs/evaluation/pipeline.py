"""``evaluate_package``: run every evaluation step on a study data package.

Steps are a small registry: a list of ``(name, function)`` pairs, each function taking the
package and the settings and returning tables. Adding an analysis is one line in ``STEPS``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mentorwijs.evaluation.attrition import attrition
from mentorwijs.evaluation.errors import UnknownSettingError
from mentorwijs.evaluation.flow import attendance_distribution, participant_flow, response_by_group
from mentorwijs.evaluation.result import EvaluationResult, fingerprint, software_versions
from mentorwijs.evaluation.scales import item_rest_correlations, scale_reliability, score_scales
from mentorwijs.evaluation.supervisors import wave_changes
from mentorwijs.evaluation.supervisors_mi import wave_changes_mi
from mentorwijs.protocol import load_protocol
from mentorwijs.studydata import StudyPackage

Step = Callable[[StudyPackage, Mapping[str, Any]], dict[str, pd.DataFrame]]


def _flow(package: StudyPackage, settings: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
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


def _reliability(package: StudyPackage, settings: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
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
    package: StudyPackage, settings: Mapping[str, Any]
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


def _attendance(package: StudyPackage, settings: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    return {"attendance": attendance_distribution(package["attendance"])}


STEPS: list[tuple[str, Step]] = [
    ("participant flow and response", _flow),
    ("attendance", _attendance),
    ("scale reliability", _reliability),
    ("supervisor outcomes (mixed models, attrition, multiple imputation)", _supervisor_outcomes),
]

#: Settings of the steps and their defaults; ``evaluate_package(settings=…)`` overrides them.
DEFAULT_SETTINGS: dict[str, Any] = {
    "group_effect": False,  # a random intercept per training group besides the supervisor's
    "imputations": 20,  # m of the multiple-imputation sensitivity analysis; 0 skips it
}


def evaluate_package(
    package: StudyPackage,
    *,
    created_at: str,
    seed: int = 2023,
    settings: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvaluationResult:
    """Evaluate a study data package.

    Parameters
    ----------
    package
        A validated package (:func:`mentorwijs.studydata.read_package`).
    created_at
        ISO 8601 time stamp recorded in the metadata (passed in, so runs are reproducible).
    seed
        Seed for random steps (bootstrap, imputation), recorded in the metadata; the same
        package, settings and seed give the same result.
    settings
        Options of the steps, recorded in the metadata.
    progress
        Called with each step's name before it runs.

    Returns
    -------
    EvaluationResult
    """
    unknown = set(settings or {}) - set(DEFAULT_SETTINGS)
    if unknown:
        raise UnknownSettingError(
            f"unknown setting(s) {sorted(unknown)}: choose from {sorted(DEFAULT_SETTINGS)}"
        )
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tables: dict[str, pd.DataFrame] = {}
    warned: dict[str, list[str]] = {}
    for name, step in STEPS:
        if progress is not None:
            progress(name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tables.update(step(package, {**settings, "seed": seed}))
        messages = list(dict.fromkeys(str(w.message) for w in caught))
        if messages:
            warned[name] = messages
    metadata = {
        "created_at": created_at,
        "seed": seed,
        "settings": settings,
        "package": dict(package.meta),
        "data_fingerprint": fingerprint(package.path),
        "software": software_versions(),
        "protocol_version": load_protocol().version,
        "disclosure_min_count": 10,
    }
    return EvaluationResult(tables=tables, diagnostics={"warnings": warned}, metadata=metadata)
