"""Services of the evaluation runs: queue a run, compute it, render its report.

A run is computed synchronously by :func:`evaluation_runs_process` (the management command
``run_evaluations``, safe to run from cron every few minutes) or, for a small demo study, at
once in the request (:func:`evaluation_run_start_now`). Either way the computation holds one
lock file in the data folder, so two computations never overlap on a machine; a run left
``running`` while nobody holds the lock was interrupted and is marked failed.

Every status change is a single-object ``save()``, so django-auditlog records it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from mentorwijs.evaluation.errors import EvaluationError
from mentorwijs.evaluation.pipeline import evaluate_package
from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import ALL_FORMATS, file_stem, render_report
from mentorwijs.studydata import InvalidStudyPackageError, read_package
from mentorwijs.web.runs.errors import (
    DirectRunNotAllowedError,
    NoStudyDataError,
    RunBusyError,
    RunError,
    RunNotDoneError,
)
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.runs.paths import run_dir, runs_dir
from mentorwijs.web.runs.selectors import direct_run_allowed
from mentorwijs.web.study.selectors import package_export
from mentorwijs.web.study.services import study_data_present

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en")
FORMATS = ALL_FORMATS
#: The national products a run offers (the regional factsheets come on request).
PRODUCTS = ("report", "factsheet", "guide", "easyread")


@contextmanager
def runs_lock() -> Iterator[bool]:
    """Hold the computation lock if it is free; yields whether it was taken (never waits)."""
    with open(runs_dir() / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def evaluation_run_queue(
    *, user: Any, settings: Mapping[str, Any], seed: int = 2023
) -> EvaluationRun:
    """Queue a run of the evaluation on the study data now in the database.

    Raises
    ------
    NoStudyDataError
        The database holds no study data.
    """
    if not study_data_present():
        raise NoStudyDataError
    folder = f"{timezone.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    return EvaluationRun.objects.create(
        created_by=user, settings=dict(settings), seed=seed, folder=folder
    )


def evaluation_run_start_now(
    *, user: Any, settings: Mapping[str, Any], seed: int = 2023
) -> EvaluationRun:
    """Queue a run and compute it at once (a small demo study only; see ``direct_run_allowed``).

    Raises
    ------
    DirectRunNotAllowedError
        The study is not a small demo study.
    RunBusyError
        Another run is being computed on this machine.
    """
    if not direct_run_allowed():
        raise DirectRunNotAllowedError
    with runs_lock() as taken:
        if not taken:
            raise RunBusyError
        run = evaluation_run_queue(user=user, settings=settings, seed=seed)
        return evaluation_run_execute(run=run)


def _describe(exc: Exception) -> tuple[str, str]:
    """The failure in English and Dutch, for the run page."""
    if isinstance(exc, RunError):
        return str(exc), exc.message_nl
    if isinstance(exc, InvalidStudyPackageError):
        first = exc.problems[0] if exc.problems else None
        en = f"the exported study data are not a valid package ({len(exc.problems)} problem(s))"
        nl = (
            "de geëxporteerde studiegegevens zijn geen geldig pakket "
            f"({len(exc.problems)} probleem/problemen)"
        )
        if first is not None:
            en += f"; first: {first.where('en')}: {first.message('en')}"
            nl += f"; eerste: {first.where('nl')}: {first.message('nl')}"
        return en, nl
    if isinstance(exc, EvaluationError):
        return (
            f"the evaluation stopped: {exc}",
            f"de evaluatie is gestopt (melding van de statistiek, in het Engels): {exc}",
        )
    name = type(exc).__name__
    return (
        f"unexpected error ({name}): {exc}; see the server log",
        f"onverwachte fout ({name}): {exc}; zie het serverlogboek",
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def evaluation_run_execute(*, run: EvaluationRun) -> EvaluationRun:
    """Compute ``run``: export the database, evaluate, save the result (the caller holds the lock).

    A failure is recorded on the run (status ``failed``, the reason in Dutch and English);
    it never raises for a failing evaluation, so one bad run does not stop the queue.
    """
    run.status = EvaluationRun.RUNNING
    run.started_at = timezone.now()
    run.save()
    folder = run_dir(run)
    try:
        if not study_data_present():
            raise NoStudyDataError
        package_dir = folder / "package"
        if package_dir.exists():  # left by an interrupted attempt
            shutil.rmtree(package_dir)
        package_export(out=package_dir)
        package = read_package(package_dir)
        result = evaluate_package(
            package, created_at=_iso(run.started_at), seed=run.seed, settings=run.settings
        )
        result.save(folder / "result")
    except Exception as exc:  # recorded on the run; one bad run does not stop the queue
        log.exception("evaluation run %s failed", run.pk)
        run.error_en, run.error_nl = _describe(exc)
        run.status = EvaluationRun.FAILED
    else:
        run.data_fingerprint = result.metadata.get("data_fingerprint") or ""
        run.status = EvaluationRun.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


def _interrupted(run: EvaluationRun) -> None:
    run.status = EvaluationRun.FAILED
    run.finished_at = timezone.now()
    run.error_en = "the run was interrupted (the process stopped); start a new run"
    run.error_nl = "de run is onderbroken (het proces stopte); start een nieuwe run"
    run.save()


def evaluation_runs_process(*, limit: int | None = None) -> list[EvaluationRun] | None:
    """Compute every queued run, oldest first; ``None`` when another process holds the lock.

    Idempotent: a run is computed once; done and failed runs are left alone. Runs left
    ``running`` by a stopped process are marked failed first.
    """
    with runs_lock() as taken:
        if not taken:
            return None
        for run in EvaluationRun.objects.filter(status=EvaluationRun.RUNNING):
            _interrupted(run)
        done: list[EvaluationRun] = []
        while limit is None or len(done) < limit:
            run = (
                EvaluationRun.objects.filter(status=EvaluationRun.QUEUED)
                .order_by("created_at", "pk")
                .first()
            )
            if run is None:
                break
            done.append(evaluation_run_execute(run=run))
        return done


def evaluation_run_product(
    *, run: EvaluationRun, product: str, lang: str, fmt: str, region: str | None = None
) -> Path:
    """A product of the run in ``lang`` and ``fmt``: rendered on first request, then reused.

    ``product`` is one of :data:`PRODUCTS`; a factsheet may be a region's. The file
    is rendered into a temporary folder beside the run and moved into place in one step, so
    a second request at the same time never reads a half-written file.

    Raises
    ------
    ValueError
        An unknown product, language or format (the views answer 404 before this).
    RunNotDoneError
        The run has no result.
    mentorwijs.reports.errors.UnknownRegionError
        The region is not one of the result's regions.
    """
    if lang not in LANGUAGES or fmt not in FORMATS or product not in PRODUCTS:
        raise ValueError(f"{product} {lang}.{fmt}: choose from {PRODUCTS}, {LANGUAGES}, {FORMATS}")
    if not run.is_done:
        raise RunNotDoneError(run.pk)
    folder = run_dir(run)
    path = folder / "reports" / lang / f"{file_stem(product, lang, region)}.{fmt}"
    if path.is_file():
        return path
    result = EvaluationResult.load(folder / "result")
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        (written,) = render_report(
            result, Path(tmp), lang=lang, formats=(fmt,), product=product, region=region
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(written, path)
    return path


def evaluation_run_report(*, run: EvaluationRun, lang: str, fmt: str) -> Path:
    """The run's final report in ``lang`` and ``fmt`` (see :func:`evaluation_run_product`)."""
    return evaluation_run_product(run=run, product="report", lang=lang, fmt=fmt)


def evaluation_run_products_generate(*, run: EvaluationRun) -> list[Path]:
    """Render every national product of the run, in Dutch and English and every format.

    Each product and language is built once and written in all formats into a temporary
    folder beside the run, then moved into place file by file; files already there are
    replaced (the same result gives the same files). Regional factsheets are rendered when
    they are first asked for.

    Raises
    ------
    RunNotDoneError
        The run has no result.
    """
    if not run.is_done:
        raise RunNotDoneError(run.pk)
    folder = run_dir(run)
    result = EvaluationResult.load(folder / "result")
    placed = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        for lang in LANGUAGES:
            target = folder / "reports" / lang
            target.mkdir(parents=True, exist_ok=True)
            for product in PRODUCTS:
                for written in render_report(
                    result, Path(tmp) / lang, lang=lang, formats=FORMATS, product=product
                ):
                    os.replace(written, target / written.name)
                    placed.append(target / written.name)
    return placed
