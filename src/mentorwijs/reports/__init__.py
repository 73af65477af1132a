"""Figures, tables and the products (final report; factsheet and practice guide to come).

Compute first, render second: :func:`~mentorwijs.reports.document.build_report` turns an
``EvaluationResult`` into a document model; HTML, PDF and DOCX are rendered from that one
model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import build_report
from mentorwijs.reports.errors import UnknownFormatError
from mentorwijs.reports.render import render_html, render_pdf
from mentorwijs.reports.word import render_docx

FILE_NAMES = {"nl": "eindrapportage", "en": "final-report"}
#: The formats written when none are named; ``ALL_FORMATS`` are all there are.
FORMATS = ("html", "pdf")
ALL_FORMATS = ("html", "pdf", "docx")


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
        Any of ``"html"``, ``"pdf"`` and ``"docx"`` (default: HTML and PDF).

    Returns
    -------
    list of Path
        The files written, e.g. ``eindrapportage.html`` and ``eindrapportage.pdf``.

    Raises
    ------
    UnknownFormatError
        For a format other than html, pdf or docx (a ``ValueError``).
    """
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise UnknownFormatError(
            f"unknown format(s) {names}: choose from {', '.join(ALL_FORMATS)}",
            f"onbekend formaat {names}: kies uit {', '.join(ALL_FORMATS)}",
        )
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
    if "docx" in formats:
        written.append(render_docx(doc, out_dir / f"{stem}.docx"))
    return written


__all__ = ["ALL_FORMATS", "FILE_NAMES", "FORMATS", "render_report"]
