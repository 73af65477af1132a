"""The practice guide for employer-services professionals: what the training achieves, what
works and when, what helps and what hinders (ranked), and tips for recruiting employers,
running groups and following up supervisors. Plain Dutch (B1) and English.

Every sentence is chosen by a rule on the result and every number in it comes from the
result. A tip appears only when the finding behind it is in the result (each ``_tip_*``
function below says when).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Bullets, Heading, Quote, Section, records
from mentorwijs.reports.scope import national_scope
from mentorwijs.reports.sections.employment import HEADLINE_MONTHS
from mentorwijs.reports.sections.process import (
    factor_evidence,
    factor_label,
    factors,
    pseudonyms,
    quote_text,
    quotes,
)
from mentorwijs.reports.texts import (
    LABELS,
    fmt_eur,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_per_100,
    t,
)

Row = dict[str, Any]
#: A subgroup difference counts as "larger" in the guide only with p below this.
SUBGROUP_ALPHA = 0.05
#: Tips about a barrier or facilitator appear when it ranks this high or higher.
TOP_RANK = 3
#: The attendance tip appears when fewer than this share attended every meeting.
ATTENDANCE_TARGET = 0.9


def _rows(result: EvaluationResult, name: str) -> list[Row]:
    return records(result.tables[name]) if name in result.tables else []


def _significant(r: Row | None) -> bool:
    return r is not None and r["ci_low"] is not None and (r["ci_low"] > 0 or r["ci_high"] < 0)


def _last_change(result: EvaluationResult, scale: str) -> list[Row]:
    return [r for r in _rows(result, "supervisor_change") if r["scale"] == scale]


def about(result: EvaluationResult, lang: str) -> list[Section]:
    """Who the guide is for, and the size of the evaluation."""
    s = national_scope(result)
    blocks: list[Block] = [t("guide_about_text", lang)]
    if s.flow:
        blocks.append(
            t("guide_scope", lang).format(
                g=fmt_int(s.groups, lang),
                s=fmt_int(s.flow[0]["invited"], lang),
                e=fmt_int(s.employees["invited"] if s.employees else None, lang),
            )
        )
    return [Section(t("guide_about", lang), blocks)]


def results(result: EvaluationResult, lang: str) -> list[Section]:
    """The findings in plain words: knowledge, confidence, work, costs."""
    items = []
    for scale, up, flat in (
        ("knowledge", "guide_knowledge_up", "guide_knowledge_flat"),
        ("self_efficacy", "guide_efficacy_up", "guide_efficacy_flat"),
    ):
        rows = _last_change(result, scale)
        if rows and rows[-1]["estimate"] is not None:
            last = rows[-1]
            items.append(t(up if last["ci_low"] > 0 else flat, lang).format(w=last["wave"]))
    s = national_scope(result)
    by_month = {r["event_month"]: r for r in s.effect}
    month = next((m for m in reversed(HEADLINE_MONTHS) if m in by_month), None)
    significant = [m for m in HEADLINE_MONTHS if m in by_month and by_month[m]["ci_low"] > 0]
    if significant:
        m = significant[-1]
        items.append(
            t("guide_work_up", lang).format(m=m, x=fmt_per_100(by_month[m]["estimate"], lang))
        )
    elif month is not None:
        items.append(t("guide_work_flat", lang).format(m=month))
    if s.cost_total and s.public_psa:
        items.append(
            t("guide_cost", lang).format(
                c=fmt_eur(s.cost_total["per_trained_supervisor"], lang),
                p=fmt_pct(s.public_psa["p_npv_positive"], lang),
            )
        )
    return [Section(t("guide_results", lang), [Bullets(items)])] if items else []


def per_100(x: float, lang: str) -> str:
    """A difference in the share in work in words: "5 meer op de 100 met werk"."""
    key = "fewer_in_100" if round(100 * x) < 0 else "more_in_100"
    return t(key, lang).format(x=fmt_per_100(x, lang))


def _phrase(modifier: str, value: Any, lang: str) -> str:
    key = f"{modifier}={value}"
    if key in LABELS:
        return t(key, lang)
    label = t(modifier, lang) if modifier in LABELS else modifier
    return f"{label}: {t(str(value), lang) if str(value) in LABELS else value}"


def _modifier_name(modifier: str, lang: str) -> str:
    return (t(modifier, lang) if modifier in LABELS else modifier).lower()


def when(result: EvaluationResult, lang: str) -> list[Section]:
    """Under which conditions the effect on work was larger, by the subgroup rule."""
    rows = _rows(result, "interview_subgroups")
    blocks: list[Block] = [t("guide_when_text", lang)]
    by_modifier: dict[str, dict[str, Row]] = {}
    for r in rows:
        by_modifier.setdefault(str(r["modifier"]), {})[str(r["effect"])] = r
    larger, none = [], []
    for modifier, pair in by_modifier.items():
        if "larger" not in pair or "smaller" not in pair:
            continue
        a, b = pair["larger"], pair["smaller"]
        if a["p_equal"] is not None and a["p_equal"] < SUBGROUP_ALPHA:
            larger.append(
                t("guide_when_larger", lang).format(
                    a=_phrase(modifier, a["subgroup"], lang),
                    ea=per_100(a["estimate"], lang),
                    b=_phrase(modifier, b["subgroup"], lang),
                    eb=per_100(b["estimate"], lang),
                )
            )
        else:
            none.append(_modifier_name(modifier, lang))
    items = larger + ([t("guide_when_none", lang).format(names=", ".join(none))] if none else [])
    dose = sorted(
        [r for r in _rows(result, "process_dose_received") if r["level"] == "overall"],
        key=lambda r: r["meetings_attended"],
    )
    if dose and dose[-1]["share"] is not None:
        items.append(
            t("guide_dose", lang).format(
                p=fmt_pct(dose[-1]["share"], lang), m=dose[-1]["meetings_attended"]
            )
        )
    if not rows and len(items) == 0:
        return []
    blocks.append(Bullets(items))
    return [Section(t("guide_when", lang), blocks)]


def helps_and_hinders(result: EvaluationResult, lang: str) -> list[Section]:
    """The ranked barriers and facilitators with their evidence, and a quote for the first."""
    blocks: list[Block] = []
    quoted = {kind: quotes(result, kind, n=1) for kind in ("barrier", "facilitator")}
    names = pseudonyms(quoted["barrier"] + quoted["facilitator"], lang)
    for kind, heading in (("barrier", "guide_hinders"), ("facilitator", "guide_helps")):
        rows = factors(result, kind)[:5]
        if not rows:
            continue
        blocks.append(Heading(t(heading, lang)))
        blocks.append(
            Bullets(
                [f"{factor_label(r, lang)}: {factor_evidence(r, lang)}." for r in rows],
                numbered=True,
            )
        )
        for _, p in quoted[kind]:
            blocks.append(Quote(quote_text(p["text"]), names[str(p["respondent_id"])]))
    if not blocks:
        return []
    return [Section(t("guide_factors", lang), [t("guide_factors_text", lang), *blocks])]


# --- tips: each returns its sentence when its finding is in the result, else None ----------


def _rank(
    result: EvaluationResult, kind: str, item: str | None = None, code: str = ""
) -> int | None:
    for r in factors(result, kind):
        if (item and r.get("item") == item) or (code and str(r["determinant"]) == code):
            return int(r["rank"])
    return None


def _tip_endorsement(result: EvaluationResult, lang: str) -> str | None:
    r = _rank(result, "barrier", item="det_endorsement")
    return t("tip_endorsement", lang).format(r=r) if r and r <= TOP_RANK else None


def _tip_time(result: EvaluationResult, lang: str) -> str | None:
    rows = [r for r in _rows(result, "process_extra_time") if r["level"] == "overall"]
    if not rows or rows[0]["share_extra"] is None or rows[0]["mean_hours"] is None:
        return None
    return t("tip_time", lang).format(
        p=fmt_pct(rows[0]["share_extra"], lang), h=fmt_num(rows[0]["mean_hours"], lang, 1)
    )


def _tip_recruit_results(result: EvaluationResult, lang: str) -> str | None:
    rows = _last_change(result, "knowledge")
    return (
        t("tip_recruit_results", lang)
        if rows and rows[-1]["ci_low"] and rows[-1]["ci_low"] > 0
        else None
    )


def _tip_subgroup(result: EvaluationResult, lang: str) -> str | None:
    for r in _rows(result, "interview_subgroups"):
        if r["effect"] == "larger" and r["p_equal"] is not None and r["p_equal"] < SUBGROUP_ALPHA:
            return t("tip_subgroup", lang).format(
                a=_phrase(str(r["modifier"]), r["subgroup"], lang)
            )
    return None


def _tip_mix(result: EvaluationResult, lang: str) -> str | None:
    r = _rank(result, "facilitator", item="det_colleagues")
    return t("tip_mix", lang).format(r=r) if r and r <= TOP_RANK else None


def _tip_attendance(result: EvaluationResult, lang: str) -> str | None:
    dose = sorted(
        [r for r in _rows(result, "process_dose_received") if r["level"] == "overall"],
        key=lambda r: r["meetings_attended"],
    )
    if not dose or dose[-1]["share"] is None or dose[-1]["share"] >= ATTENDANCE_TARGET:
        return None
    return t("tip_attendance", lang).format(p=fmt_pct(dose[-1]["share"], lang))


def _tip_duration(result: EvaluationResult, lang: str) -> str | None:
    rows = [
        r
        for r in _rows(result, "process_satisfaction")
        if r["level"] == "overall" and r["mean"] is not None
    ]
    if not rows:
        return None
    worst = min(rows, key=lambda r: r["mean"])
    if worst["aspect"] != "sat_duration":
        return None
    return t("tip_duration", lang).format(m=fmt_num(worst["mean"], lang, 1))


def _tip_fidelity(result: EvaluationResult, lang: str) -> str | None:
    rows = [r for r in _rows(result, "process_delivery") if r["level"] == "overall"]
    if not rows or rows[0]["fidelity"] is None:
        return None
    r = rows[0]
    return t("tip_fidelity", lang).format(
        p=fmt_pct(r["fidelity"], lang), lo=fmt_pct(r["fidelity_min"], lang)
    )


def _tip_mode(result: EvaluationResult, lang: str) -> str | None:
    diff = next(
        (
            r
            for r in _rows(result, "process_effect_employment")
            if r["moderator"] == "delivery_mode" and r["term"] == "difference"
        ),
        None,
    )
    if diff is None or diff["estimate"] is None:
        return None
    if diff["ci_high"] < 0 and str(diff["subgroup"]) == "online":
        return t("tip_in_person", lang).format(x=fmt_per_100(diff["estimate"], lang))
    return None if _significant(diff) else t("tip_online", lang)


def _tip_feedback(result: EvaluationResult, lang: str) -> str | None:
    r = _rank(result, "barrier", item="det_feedback")
    return t("tip_feedback", lang).format(r=r) if r and r <= TOP_RANK else None


def _tip_refresh(result: EvaluationResult, lang: str) -> str | None:
    rows = [r for r in _last_change(result, "knowledge") if r["estimate"] is not None]
    if len(rows) < 2 or rows[-1]["estimate"] >= rows[0]["estimate"]:
        return None
    return t("tip_refresh", lang).format(
        w=rows[-1]["wave"],
        a=fmt_num(rows[-1]["estimate"], lang),
        b=fmt_num(rows[0]["estimate"], lang),
    )


def _tip_coach(result: EvaluationResult, lang: str) -> str | None:
    r = _rank(result, "facilitator", code="midi-coordinator")
    return t("tip_coach", lang).format(r=r) if r and r <= TOP_RANK else None


Tip = Callable[[EvaluationResult, str], str | None]
TIPS: list[tuple[str, list[Tip]]] = [
    ("tips_recruit", [_tip_endorsement, _tip_recruit_results, _tip_subgroup, _tip_time]),
    ("tips_groups", [_tip_mix, _tip_attendance, _tip_mode, _tip_duration, _tip_fidelity]),
    ("tips_follow", [_tip_feedback, _tip_refresh, _tip_coach]),
]


def tips(result: EvaluationResult, lang: str) -> list[Section]:
    """Tips for the three tasks of employer services, each from a finding of the result."""
    blocks: list[Block] = [t("guide_tips_text", lang)]
    for heading, rules in TIPS:
        items = [text for rule in rules if (text := rule(result, lang))]
        if items:
            blocks += [Heading(t(heading, lang)), Bullets(items)]
    return [Section(t("guide_tips", lang), blocks)] if len(blocks) > 1 else []


def sources(result: EvaluationResult, lang: str) -> list[Section]:
    """Where the guide's figures come from."""
    md = result.metadata
    text = t("guide_sources", lang).format(
        date=str(md.get("created_at", "–"))[:10], fp=str(md.get("data_fingerprint", "–"))[:12]
    )
    return [Section(t("fs_about", lang), [text])]
