"""Where the files of the evaluation runs live: ``runs/<folder>/`` in the data folder."""

from __future__ import annotations

from pathlib import Path

from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.settings import data_dir


def runs_dir() -> Path:
    """``runs/`` in the data folder, created on demand."""
    path = data_dir() / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_dir(run: EvaluationRun) -> Path:
    """The run's folder: ``package/`` (the export), ``result/`` and ``reports/<lang>/``."""
    return runs_dir() / run.folder
