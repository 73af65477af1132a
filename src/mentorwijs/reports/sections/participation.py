"""Summary, participant flow, response per group and attendance."""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Figure, Section, Table, records
from mentorwijs.reports.figures import flow_figure
from mentorwijs.reports.texts import (
    change_sentence,
    fmt_eur,
    fmt_int,
    fmt_pct,
    summary_sentences,
    t,
)


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


def summary(result: EvaluationResult, lang: str) -> list[Section]:
    """What the study found, in a few sentences built from the result: participation, the
    supervisors' change at the last wave, the effect on work, and the public budget."""
    from mentorwijs.reports.scope import national_scope
    from mentorwijs.reports.sections.employment import employment_sentences
    from mentorwijs.reports.sections.supervisors import _scale_labels

    flow = records(result.tables["flow_supervisors"])
    blocks: list[Block] = [" ".join(summary_sentences(flow, lang))]
    s = national_scope(result)
    labels = _scale_labels(lang)
    last = {r["scale"]: r for r in s.change}
    if last:
        blocks.append(" ".join(change_sentence(labels.get(k, k), r, lang) for k, r in last.items()))
    post = [r for r in s.effect if r["event_month"] >= 0]
    if post:
        blocks.append(" ".join(employment_sentences(post, lang)))
    if s.public and s.public_psa:
        blocks.append(
            t("summary_money", lang).format(
                npv=fmt_eur(s.public["npv"], lang), p=fmt_pct(s.public_psa["p_npv_positive"], lang)
            )
        )
    return [Section(t("summary", lang), blocks)]


def participation(result: EvaluationResult, lang: str) -> list[Section]:
    """The participant flow per wave (figure and tables)."""
    flow = records(result.tables["flow_supervisors"])
    blocks: list[Block] = [
        Figure(
            t("flow_figure", lang), flow_figure(flow, lang), " ".join(summary_sentences(flow, lang))
        ),
        _flow_table(flow, lang, t("flow_caption", lang)),
    ]
    if "flow_employees" in result.tables:
        blocks.append(
            _flow_table(
                records(result.tables["flow_employees"]), lang, t("employees_caption", lang)
            )
        )
    return [Section(t("flow", lang), blocks)]


#: Above this many training groups the report lists the response per region and mode only.
MAX_GROUP_ROWS = 40


def response_by_group(result: EvaluationResult, lang: str) -> list[Section]:
    """Response per training group, region and mode, with small cells suppressed.

    A national study has over a thousand groups: then the table shows the regions and modes
    and says where the groups' own figures are.
    """
    groups = records(result.tables["response_by_group"])
    n_groups = len({g["unit"] for g in groups if g["level"] == "group"})
    many = n_groups > MAX_GROUP_ROWS
    if many:
        groups = [g for g in groups if g["level"] != "group"]
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
    table = Table(
        t("groups_caption", lang),
        [t("level", lang), t("unit", lang), t("invited", lang), *waves],
        rows,
        [False, False, True, *([True] * len(waves))],
    )
    blocks: list[Block] = [table]
    if many:
        blocks.append(t("groups_many", lang).format(n=fmt_int(n_groups, lang)))
    blocks.append(t("disclosure", lang).format(n=result.metadata.get("disclosure_min_count", 10)))
    return [Section(t("groups", lang), blocks)]


def attendance(result: EvaluationResult, lang: str) -> list[Section]:
    """How many of the five meetings each supervisor attended."""
    att = records(result.tables["attendance"])
    table = Table(
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
    return [Section(t("attendance", lang), [table])]
