"""Figures, tables and the products: the final report and the factsheet (practice guide to
come).

Compute first, render second: :func:`~mentorwijs.reports.document.build_report` and
:func:`~mentorwijs.reports.document.build_factsheet` turn an ``EvaluationResult`` into a
document model; HTML, PDF and DOCX are rendered from that one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import build_factsheet, build_report
from mentorwijs.reports.errors import UnknownFormatError, UnknownProductError
from mentorwijs.reports.render import render_html, render_pdf
from mentorwijs.reports.word import render_docx

FILE_NAMES = {"nl": "eindrapportage", "en": "final-report"}
#: The formats written when none are named; ``ALL_FORMATS`` are all there are.
FORMATS = ("html", "pdf")
ALL_FORMATS = ("html", "pdf", "docx")
PRODUCTS = ("report", "factsheet")


def file_stem(product: str, lang: str, region: str | None = None) -> str:
    """The file name without extension: ``eindrapportage``, ``factsheet.nl``,
    ``factsheet-R10.en``."""
    if product == "report":
        return FILE_NAMES.get(lang, FILE_NAMES["nl"])
    return f"factsheet-{region}.{lang}" if region else f"factsheet.{lang}"


def render_report(
    result: EvaluationResult,
    out_dir: Path,
    *,
    lang: str = "nl",
    formats: Sequence[str] = FORMATS,
    product: str = "report",
    region: str | None = None,
) -> list[Path]:
    """Write a product of ``result`` (the final report by default) into ``out_dir``.

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
    product
        ``"report"`` (the final report) or ``"factsheet"`` (two A4 pages at most).
    region
        For the factsheet: one labour-market region of the result (see
        :func:`~mentorwijs.reports.document.build_factsheet`); None for the whole study.

    Returns
    -------
    list of Path
        The files written, e.g. ``eindrapportage.html`` and ``eindrapportage.pdf``, or
        ``factsheet.nl.html``, ``factsheet-R10.nl.pdf``.

    Raises
    ------
    UnknownFormatError, UnknownProductError, UnknownRegionError
        For a format, product or region the result or the reports do not have (each a
        ``ValueError``); the final report is national, so it takes no region.
    """
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise UnknownFormatError(
            f"unknown format(s) {names}: choose from {', '.join(ALL_FORMATS)}",
            f"onbekend formaat {names}: kies uit {', '.join(ALL_FORMATS)}",
        )
    if product not in PRODUCTS:
        raise UnknownProductError(
            f"unknown product {product!r}: choose from {', '.join(PRODUCTS)}",
            f"onbekend product {product!r}: kies uit {', '.join(PRODUCTS)}",
        )
    if product == "report" and region is not None:
        raise UnknownProductError(
            "the final report is national: a region is for the factsheet only",
            "de eindrapportage is landelijk: een regio geldt alleen voor de factsheet",
        )
    if product == "report":
        doc = build_report(result, lang)
    else:
        doc = build_factsheet(result, lang, region)
    stem = file_stem(product, lang, region)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
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


__all__ = ["ALL_FORMATS", "FILE_NAMES", "FORMATS", "PRODUCTS", "file_stem", "render_report"]
