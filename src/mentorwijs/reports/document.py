"""The product as a document model: compute once, render to HTML and PDF from the same blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.figures import flow_figure
from mentorwijs.reports.texts import fmt_int, fmt_pct, summary_sentences, t


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: str
    alt: str


Block = str | Table | Figure


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


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def _flow_table(flow: list[dict[str, Any]], lang: str, caption: str) -> Table:
    cols = ["wave", "invited", "completed", "response_rate", "retention"]
    return Table(
        caption=caption,
        columns=[t(c, lang) for c in cols],
        rows=[
            [
                str(r["wave"]),
                fmt_int(r["invited"], lang),
                fmt_int(r["completed"], lang),
                fmt_pct(r["response_rate"], lang),
                fmt_pct(r["retention"], lang),
            ]
            for r in flow
        ],
        numeric=[False, True, True, True, True],
    )


def build_report(result: EvaluationResult, lang: str = "nl") -> Document:
    """The final report of ``result`` in ``lang`` as a document model."""
    flow = _records(result.tables["flow_supervisors"])
    sections = [Section(t("summary", lang), [" ".join(summary_sentences(flow, lang))])]

    flow_blocks: list[Block] = [
        Figure(
            t("flow_figure", lang), flow_figure(flow, lang), " ".join(summary_sentences(flow, lang))
        ),
        _flow_table(flow, lang, t("flow_caption", lang)),
    ]
    if "flow_employees" in result.tables:
        flow_blocks.append(
            _flow_table(
                _records(result.tables["flow_employees"]), lang, t("employees_caption", lang)
            )
        )
    sections.append(Section(t("flow", lang), flow_blocks))

    groups = _records(result.tables["response_by_group"])
    waves = sorted({str(g["wave"]) for g in groups})
    keyed = {(g["level"], g["unit"], g["wave"]): g for g in groups}
    units = list(dict.fromkeys((g["level"], g["unit"]) for g in groups))
    rows = []
    for level, unit in units:
        name = t(str(unit), lang) if level == "mode" else str(unit)
        cells = []
        for w in waves:
            g = keyed.get((level, unit, w))
            cells.append(fmt_pct(g["response_rate"], lang) if g else "–")
        n = keyed.get((level, unit, waves[0]))
        rows.append([t(str(level), lang), name, fmt_int(n["invited"] if n else None, lang), *cells])
    sections.append(
        Section(
            t("groups", lang),
            [
                Table(
                    t("groups_caption", lang),
                    [t("level", lang), t("unit", lang), t("invited", lang), *waves],
                    rows,
                    [False, False, True, *([True] * len(waves))],
                ),
                t("disclosure", lang).format(n=result.metadata.get("disclosure_min_count", 10)),
            ],
        )
    )

    att = _records(result.tables["attendance"])
    sections.append(
        Section(
            t("attendance", lang),
            [
                Table(
                    t("attendance_caption", lang),
                    [t("meetings_attended", lang), t("supervisors", lang), t("share", lang)],
                    [
                        [
                            str(a["meetings_attended"]),
                            fmt_int(a["supervisors"], lang),
                            fmt_pct(a["share"], lang),
                        ]
                        for a in att
                    ],
                    [True, True, True],
                )
            ],
        )
    )
    sections.append(Section(t("methods", lang), [t("methods_text", lang)]))

    md = result.metadata
    software = ", ".join(f"{k} {v}" for k, v in md.get("software", {}).items())
    package = md.get("package", {})
    sections.append(
        Section(
            t("appendix", lang),
            [
                Table(
                    t("appendix", lang),
                    ["", ""],
                    [
                        [t("fingerprint", lang), str(md.get("data_fingerprint"))],
                        [t("package", lang), ", ".join(f"{k}={v}" for k, v in package.items())],
                        [t("seed", lang), str(md.get("seed"))],
                        [t("created", lang), str(md.get("created_at"))],
                        [t("software", lang), software],
                    ],
                    [False, False],
                )
            ],
            appendix=True,
        )
    )
    return Document(lang, t("title", lang), t("subtitle", lang), sections, dict(md))
