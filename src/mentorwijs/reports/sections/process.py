"""Process and implementation: reach, dose delivered, fidelity, dose received, satisfaction,
extra guidance time, workplace conditions ranked, and process and effect.

The tables come from the process evaluation (``process_*``); a section whose tables are
missing is left out. The interviews are in :mod:`.interviews`.
Only the whole study's rows (level ``overall``) and the region and mode rows are shown:
trainer and group rows would single out persons.
"""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Heading, Section, Table, records
from mentorwijs.reports.sections.supervisors import _scale_labels
from mentorwijs.reports.texts import (
    LABELS,
    fmt_ci,
    fmt_ci_pp,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pp,
    t,
    verdict,
)

Row = dict[str, Any]


def _rows(result: EvaluationResult, name: str) -> list[Row]:
    return records(result.tables[name]) if name in result.tables else []


def _label(key: str, lang: str) -> str:
    return t(key, lang) if key in LABELS else key


def _overall(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r["level"] == "overall"]


def _unit_name(r: Row, lang: str) -> str:
    if r["level"] == "overall":
        return t("all", lang)
    if r["level"] == "mode":
        return t(str(r["unit"]), lang)
    return str(r["unit"])


def _reach(result: EvaluationResult, lang: str) -> list[Block]:
    reach = _overall(_rows(result, "process_reach"))
    if not reach:
        return []
    r = reach[0]
    return [
        t("process_reach_text", lang).format(
            inv=fmt_int(r["supervisors_invited"], lang),
            enr=fmt_int(r["supervisors_enrolled"], lang),
            tr=fmt_int(r["supervisors_trained"], lang),
            share=fmt_pct(r["share_trained"], lang),
            emp=fmt_int(r["employers_reached"], lang),
            ee=fmt_int(r["employees_reached"], lang),
        )
    ]


def _delivery(result: EvaluationResult, lang: str) -> list[Block]:
    rows = [
        r for r in _rows(result, "process_delivery") if r["level"] in ("overall", "region", "mode")
    ]
    if not rows:
        return []
    o = rows[0]
    text = t("process_delivery_text", lang).format(
        planned=fmt_int(o["meetings_planned"], lang),
        held=fmt_int(o["meetings_held"], lang),
        share=fmt_pct(o["share_meetings_held"], lang),
        fid=fmt_pct(o["fidelity"], lang),
        lo=fmt_pct(o["fidelity_min"], lang),
        hi=fmt_pct(o["fidelity_max"], lang),
    )
    table = Table(
        t("process_delivery_caption", lang),
        [
            t("level", lang),
            t("unit", lang),
            t("groups_col", lang),
            t("meetings_held", lang),
            t("fidelity", lang),
            t("duration", lang),
        ],
        [
            [
                t(str(r["level"]), lang) if r["level"] in LABELS else str(r["level"]),
                _unit_name(r, lang),
                fmt_int(r["groups"], lang),
                f"{fmt_int(r['meetings_held'], lang)} ({fmt_pct(r['share_meetings_held'], lang)})",
                f"{fmt_pct(r['fidelity'], lang)} ({fmt_pct(r['fidelity_min'], lang)}–"
                f"{fmt_pct(r['fidelity_max'], lang)})",
                fmt_int(r["mean_duration_minutes"], lang),
            ]
            for r in rows
        ],
        [False, False, True, True, True, True],
    )
    return [text, table]


def _dose(result: EvaluationResult, lang: str) -> list[Block]:
    rows = sorted(
        _overall(_rows(result, "process_dose_received")), key=lambda r: r["meetings_attended"]
    )
    if not rows:
        return []
    blocks: list[Block] = []
    if len(rows) >= 2:
        blocks.append(
            t("process_dose_text", lang).format(
                all=fmt_pct(rows[-1]["share"], lang),
                m=rows[-1]["meetings_attended"],
                less=fmt_pct(rows[-2]["share"], lang),
                m1=rows[-2]["meetings_attended"],
            )
        )
    blocks.append(
        Table(
            t("process_dose_caption", lang),
            [t("meetings_attended", lang), t("supervisors", lang), t("share", lang)],
            [
                [
                    str(r["meetings_attended"]),
                    fmt_int(r["supervisors"], lang),
                    fmt_pct(r["share"], lang),
                ]
                for r in rows
            ],
            [True, True, True],
        )
    )
    return blocks


def _satisfaction(result: EvaluationResult, lang: str) -> list[Block]:
    rows = [r for r in _overall(_rows(result, "process_satisfaction")) if r["mean"] is not None]
    if not rows:
        return []
    best = max(rows, key=lambda r: r["mean"])
    worst = min(rows, key=lambda r: r["mean"])
    text = t("process_satisfaction_text", lang).format(
        best=_label(best["aspect"], lang),
        bm=fmt_num(best["mean"], lang, 1),
        worst=_label(worst["aspect"], lang),
        wm=fmt_num(worst["mean"], lang, 1),
    )
    table = Table(
        t("process_satisfaction_caption", lang).format(w=rows[0]["wave"]),
        [t("aspect", lang), t("n", lang), t("mean_sd", lang), t("share_satisfied", lang)],
        [
            [
                _label(r["aspect"], lang).capitalize(),
                fmt_int(r["n"], lang),
                f"{fmt_num(r['mean'], lang, 1)} ({fmt_num(r['sd'], lang, 1)})",
                fmt_pct(r["share_satisfied"], lang),
            ]
            for r in rows
        ],
        [False, True, True, True],
    )
    return [text, table]


def _extra_time(result: EvaluationResult, lang: str) -> list[Block]:
    rows = _overall(_rows(result, "process_extra_time"))
    if not rows or rows[0]["share_extra"] is None:
        return []
    r = rows[0]
    return [
        t("process_extra_text", lang).format(
            share=fmt_pct(r["share_extra"], lang),
            mean=fmt_num(r["mean_hours"], lang, 1),
            median=fmt_num(r["median_hours"], lang, 1),
        )
    ]


def _determinants(result: EvaluationResult, lang: str) -> list[Block]:
    rows = sorted(
        [r for r in _overall(_rows(result, "process_determinants")) if r["rank"] is not None],
        key=lambda r: r["rank"],
    )
    if not rows:
        return []
    blocks: list[Block] = []
    if len(rows) >= 2:
        blocks.append(
            t("process_determinants_text", lang).format(
                first=_label(rows[0]["determinant"], lang),
                second=_label(rows[1]["determinant"], lang),
            )
        )
    blocks.append(
        Table(
            t("process_determinants_caption", lang).format(w=rows[0]["wave"]),
            [
                t("rank", lang),
                t("determinant", lang),
                t("n", lang),
                t("mean_sd", lang),
                t("share_barrier", lang),
                t("share_facilitator", lang),
            ],
            [
                [
                    fmt_int(r["rank"], lang),
                    _label(r["determinant"], lang).capitalize(),
                    fmt_int(r["n"], lang),
                    f"{fmt_num(r['mean'], lang, 1)} ({fmt_num(r['sd'], lang, 1)})",
                    fmt_pct(r["share_barrier"], lang),
                    fmt_pct(r["share_facilitator"], lang),
                ]
                for r in rows
            ],
            [True, False, True, True, True, True],
        )
    )
    return blocks


def _subgroup(value: Any, lang: str) -> str:
    return _label(str(value), lang)


def _process_effect(result: EvaluationResult, lang: str) -> list[Block]:
    employment = [
        r for r in _rows(result, "process_effect_employment") if r["term"] == "difference"
    ]
    supervisors = [
        r for r in _rows(result, "process_effect_supervisors") if r["term"] == "difference"
    ]
    if not employment and not supervisors:
        return []
    last_wave = max((str(r["wave"]) for r in supervisors), default="")
    supervisors = [
        r
        for r in supervisors
        if str(r["wave"]) == last_wave and r["scale"] in ("knowledge", "self_efficacy")
    ]
    labels = _scale_labels(lang)
    rows, shown = [], []
    for r in employment + supervisors:
        if r["estimate"] is None:
            continue
        shown.append(r)
        if "scale" in r:
            outcome = labels.get(r["scale"], r["scale"])
            est, ci = (
                fmt_num(r["estimate"], lang, sign=True),
                fmt_ci(r["ci_low"], r["ci_high"], lang),
            )
        else:
            outcome = t("employed_1h", lang)
            est, ci = fmt_pp(r["estimate"], lang), fmt_ci_pp(r["ci_low"], r["ci_high"], lang)
        value = f"{est} ({ci})"
        rows.append(
            [
                outcome,
                _label(str(r["moderator"]), lang),
                t("versus", lang).format(
                    a=_subgroup(r["subgroup"], lang), b=_subgroup(r["reference"], lang)
                ),
                value,
                verdict(r["estimate"], r["ci_low"], r["ci_high"], lang),
            ]
        )
    if not rows:
        return []
    differ = sum(1 for r in shown if r["ci_low"] > 0 or r["ci_high"] < 0)
    return [
        Heading(t("process_effect_heading", lang)),
        t("process_effect_text", lang).format(n=fmt_int(len(shown), lang), k=fmt_int(differ, lang)),
        Table(
            t("process_effect_caption", lang).format(w=last_wave),
            [
                t("outcome", lang),
                t("moderator", lang),
                t("comparison", lang),
                t("difference_ci", lang),
                t("fs_words", lang),
            ],
            rows,
            [False, False, False, True, False],
        ),
    ]


def process(result: EvaluationResult, lang: str) -> list[Section]:
    """How the training was delivered and received, and whether that relates to its effect."""
    blocks: list[Block] = []
    for part in (
        _reach,
        _delivery,
        _dose,
        _satisfaction,
        _extra_time,
        _determinants,
        _process_effect,
    ):
        blocks += part(result, lang)
    return [Section(t("process", lang), blocks)] if blocks else []
