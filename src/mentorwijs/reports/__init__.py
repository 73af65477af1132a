"""Figures, tables and the products (final report; factsheet and practice guide to come).

Compute first, render second: :func:`~mentorwijs.reports.document.build_report` turns an
``EvaluationResult`` into a document model; HTML and PDF are rendered from that one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import build_report
from mentorwijs.reports.render import render_html, render_pdf

FILE_NAMES = {"nl": "eindrapportage", "en": "final-report"}
FORMATS = ("html", "pdf")


def render_report(
    result: EvaluationResult,
    out_dir: Path,
    *,
    lang: str = "nl",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Write the final report of ``result`` into ``out_dir``.

    Parameters
    ----------
    result
        An evaluation result.
    out_dir
        Folder for the files (created if needed).
    lang
        ``"nl"`` (default) or ``"en"``.
    formats
        Any of ``"html"`` and ``"pdf"``.

    Returns
    -------
    list of Path
        The files written, e.g. ``eindrapportage.html`` and ``eindrapportage.pdf``.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}: choose from {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = build_report(result, lang)
    stem = FILE_NAMES.get(lang, FILE_NAMES["nl"])
    written = []
    if "html" in formats:
        path = out_dir / f"{stem}.html"
        path.write_text(render_html(doc), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        written.append(
            render_pdf(doc, out_dir / f"{stem}.pdf", created_at=result.metadata.get("created_at"))
        )
    return written


__all__ = ["render_report"]
