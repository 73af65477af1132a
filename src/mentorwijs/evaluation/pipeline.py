"""``evaluate_package``: run every evaluation step on a study data package.

The steps and their settings live in :mod:`mentorwijs.evaluation.steps`; this module runs
them in order, keeps their warnings, and records what was done in the result's metadata.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mentorwijs.evaluation.errors import EvaluationError, UnknownSettingError
from mentorwijs.evaluation.result import EvaluationResult, fingerprint, software_versions
from mentorwijs.evaluation.steps import DEFAULT_SETTINGS, STEPS
from mentorwijs.protocol import load_protocol
from mentorwijs.studydata import StudyPackage


def _check_setting(name: str, value: Any) -> None:
    """A setting must have the type of its default (a number may be None where the default
    is a number that can be switched off, such as the caliper)."""
    default = DEFAULT_SETTINGS[name]
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif isinstance(default, float):
        ok = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    else:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok:
        raise UnknownSettingError(
            f"setting {name}={value!r} is not valid: give a value like the default {default!r}"
        )


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
    for name, value in (settings or {}).items():
        _check_setting(name, value)
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tables: dict[str, pd.DataFrame] = {}
    warned: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    for name, step in STEPS:
        if progress is not None:
            progress(name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                tables.update(step(package, {**settings, "seed": seed}, tables))
            except EvaluationError as exc:
                # Too little data for this analysis (e.g. no follow-up wave yet): the other
                # steps still run, and the result says what was left out and why.
                skipped[name] = str(exc)
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
    return EvaluationResult(
        tables=tables, diagnostics={"warnings": warned, "skipped": skipped}, metadata=metadata
    )
