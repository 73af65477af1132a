"""The products as a document model: compute once, render to HTML, PDF and DOCX from the
same blocks.

A document is a list of sections; each section comes from a builder in
:mod:`mentorwijs.reports.sections` that reads the result and returns its sections (none when
the result lacks the tables it needs). Adding a section is one builder and one line there.
The products share the model: the final report (:func:`build_report`), the factsheet
(:func:`build_factsheet`), the practice guide (:func:`build_guide`) and the employees'
easy-read version of the findings (:func:`build_easyread`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.texts import t


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass(frozen=True)
class Figure:
    """A chart: an SVG with its caption and text alternative; ``wide`` for one with long
    labels (set at the full text width in the PDF)."""

    caption: str
    svg: str
    alt: str
    wide: bool = False


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (HTML h3, Typst level 2, Word "Heading 2")."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of sentences: bulleted (HTML ul, Typst list, Word "List Bullet") or, when
    ``numbered``, numbered in order (ol, enum, "List Number")."""

    items: list[str]
    numbered: bool = False


@dataclass(frozen=True)
class Quote:
    """A quotation from an interview with its pseudonymised source ("trainer B")."""

    text: str
    source: str


@dataclass(frozen=True)
class Pictogram:
    """A sentence with a pictogram beside it (the easy-read version).

    ``name`` is a drawing shipped in ``mentorwijs/reports/pictograms/`` (``<name>.svg``);
    ``alt`` says what it shows. The sentence carries the meaning; the drawing supports it.
    """

    name: str
    text: str
    alt: str


Block = str | Table | Figure | Heading | Bullets | Quote | Pictogram


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False


@dataclass(frozen=True)
class Document:
    lang: str
    title: str
    subtitle: str
    sections: list[Section]
    meta: dict[str, Any]
    product: str = "report"


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a result table as dicts, with None for missing values."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def build_report(result: EvaluationResult, lang: str = "nl") -> Document:
    """The final report of ``result`` in ``lang`` as a document model."""
    from mentorwijs.reports.sections import REPORT_SECTIONS

    sections = [s for build in REPORT_SECTIONS for s in build(result, lang)]
    return Document(lang, t("title", lang), t("subtitle", lang), sections, dict(result.metadata))


def build_factsheet(
    result: EvaluationResult, lang: str = "nl", region: str | None = None
) -> Document:
    """The factsheet of ``result`` in ``lang`` as a document model.

    Parameters
    ----------
    result
        An evaluation result (national or of one region).
    lang
        ``"nl"`` or ``"en"``.
    region
        A labour-market region (``region_id``) of the result, or None for the whole study.
        A region's factsheet shows the region's own figures from the result's per-region
        tables (:mod:`mentorwijs.reports.scope`).

    Raises
    ------
    UnknownRegionError
        When ``region`` is not a region of the result.
    """
    from mentorwijs.reports.scope import scope_of
    from mentorwijs.reports.sections import FACTSHEET_SECTIONS

    label = scope_of(result, region).label  # raises UnknownRegionError for another region
    sections = [s for build in FACTSHEET_SECTIONS for s in build(result, lang, region)]
    scope = (
        t("fs_scope_all", lang) if region is None else t("fs_scope_region", lang).format(r=label)
    )
    return Document(
        lang,
        t("fs_title", lang),
        f"{t('fs_subtitle', lang)} · {scope}",
        sections,
        dict(result.metadata),
        product="factsheet",
    )


def build_guide(result: EvaluationResult, lang: str = "nl") -> Document:
    """The practice guide of ``result`` in ``lang`` (plain Dutch at B1 level, or English)."""
    from mentorwijs.reports.sections import GUIDE_SECTIONS

    sections = [s for build in GUIDE_SECTIONS for s in build(result, lang)]
    return Document(
        lang,
        t("guide_title", lang),
        t("guide_subtitle", lang),
        sections,
        dict(result.metadata),
        product="guide",
    )


def build_easyread(result: EvaluationResult, lang: str = "nl") -> Document:
    """The employees' version of the key findings in easy words with pictograms."""
    from mentorwijs.reports.sections import EASYREAD_SECTIONS

    sections = [s for build in EASYREAD_SECTIONS for s in build(result, lang)]
    return Document(
        lang,
        t("er_title", lang),
        t("er_subtitle", lang),
        sections,
        dict(result.metadata),
        product="easyread",
    )
