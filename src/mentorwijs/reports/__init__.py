"""Figures, tables and the products: the final report, the factsheet (national or of a
region), the practice guide and the employees' easy-read version of the findings.

Compute first, render second: the ``build_*`` functions of
:mod:`~mentorwijs.reports.document` turn an ``EvaluationResult`` into a document model; HTML,
PDF and DOCX are rendered from that one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import (
    Document,
    build_easyread,
    build_factsheet,
    build_guide,
    build_report,
)
from mentorwijs.reports.errors import UnknownFormatError, UnknownProductError
from mentorwijs.reports.render import render_html, render_pdf
from mentorwijs.reports.word import render_docx

FILE_NAMES = {"nl": "eindrapportage", "en": "final-report"}
#: File names of the products (without extension) per language; a factsheet adds its region.
PRODUCT_FILES = {
    "report": FILE_NAMES,
    "guide": {"nl": "praktijkgids", "en": "practice-guide"},
    "easyread": {"nl": "uitkomsten-makkelijk-lezen", "en": "findings-easy-read"},
}
#: The formats written when none are named; ``ALL_FORMATS`` are all there are.
FORMATS = ("html", "pdf")
ALL_FORMATS = ("html", "pdf", "docx")
PRODUCTS = ("report", "factsheet", "guide", "easyread")


def file_stem(product: str, lang: str, region: str | None = None) -> str:
    """The file name without extension: ``eindrapportage``, ``factsheet.nl``,
    ``factsheet-R10.en``, ``praktijkgids``, ``findings-easy-read``."""
    if product in PRODUCT_FILES:
        names = PRODUCT_FILES[product]
        return names.get(lang, names["nl"])
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
        ``"report"`` (the final report), ``"factsheet"`` (two A4 pages at most),
        ``"guide"`` (the practice guide for employer services) or ``"easyread"`` (the
        employees' version of the key findings, easy words and pictograms).
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
    if product != "factsheet" and region is not None:
        raise UnknownProductError(
            f"the {product} is national: a region is for the factsheet only",
            f"{'de eindrapportage' if product == 'report' else 'dit product'} is landelijk: "
            "een regio geldt alleen voor de factsheet",
        )
    doc = build_document(result, product, lang, region)
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


def build_document(
    result: EvaluationResult, product: str, lang: str = "nl", region: str | None = None
) -> Document:
    """The document model of ``product`` (see :func:`render_report`)."""
    if product == "report":
        return build_report(result, lang)
    if product == "guide":
        return build_guide(result, lang)
    if product == "easyread":
        return build_easyread(result, lang)
    return build_factsheet(result, lang, region)


__all__ = [
    "ALL_FORMATS",
    "FILE_NAMES",
    "FORMATS",
    "PRODUCTS",
    "PRODUCT_FILES",
    "build_document",
    "file_stem",
    "render_report",
]
