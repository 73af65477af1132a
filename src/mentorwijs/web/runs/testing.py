"""Evaluated studies and finished runs for tests (like ``registry.testing``).

Evaluating a simulated study takes a few seconds, so tests build one per session with
:func:`evaluated_study_build` and give each test its own run whose folder links to it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from mentorwijs.evaluation.pipeline import evaluate_package
from mentorwijs.simulation import simulate_package
from mentorwijs.studydata import read_package
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.runs.paths import run_dir

#: Quick settings for tests: no imputations, a small probabilistic analysis.
QUICK = {"imputations": 0, "cost_benefit_draws": 1000}


def evaluated_study_build(*, out: Path, seed: int = 7) -> Path:
    """Simulate a study-sized package into ``out/package`` and evaluate it into ``out/result``."""
    package = read_package(simulate_package(Path(out) / "package", seed=seed))
    result = evaluate_package(package, created_at="2026-11-25T12:00:00Z", seed=2023, settings=QUICK)
    result.save(Path(out) / "result")
    return Path(out)


def evaluation_run_from(*, source: Path, user: Any = None, pk: int | None = None) -> EvaluationRun:
    """A finished run whose folder (in the current data folder) links to ``source``."""
    doc = json.loads((Path(source) / "result" / "result.json").read_text("utf-8"))
    run = EvaluationRun.objects.create(
        pk=pk,
        created_by=user,
        settings=QUICK,
        status=EvaluationRun.DONE,
        folder=f"test-{secrets.token_hex(4)}",
        data_fingerprint=doc["metadata"]["data_fingerprint"],
    )
    folder = run_dir(run)
    folder.mkdir(parents=True)
    for part in ("package", "result"):
        (folder / part).symlink_to(Path(source).resolve() / part, target_is_directory=True)
    return run
