"""``mentorwijs manage run_evaluations``: compute the queued evaluation runs (cron-safe)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorwijs.web.runs.services import evaluation_runs_process


class Command(BaseCommand):
    help = (
        "Compute every queued evaluation run, oldest first. Safe to run from cron every few "
        "minutes: it does nothing when no run is queued or another process is computing one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="compute at most N runs")

    def handle(self, *args: Any, limit: int | None = None, **options: Any) -> None:
        runs = evaluation_runs_process(limit=limit)
        if runs is None:
            self.stdout.write("another process is computing a run; nothing done")
            return
        for run in runs:
            line = f"run {run.pk}: {run.status}"
            if run.error_en:
                line += f" ({run.error_en})"
            self.stdout.write(line)
        if not runs:
            self.stdout.write("no queued runs")
