"""The employees' version of the key findings: easy words, short sentences, one pictogram per
point (shipped SVG drawings, ``reports/pictograms/``).

Which sentence appears follows the same rules as the other products (an interval above zero
is "more"; otherwise "not clearly"); every number comes from the result.
"""

from __future__ import annotations

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Pictogram, Section, records
from mentorwijs.reports.scope import national_scope
from mentorwijs.reports.sections.employment import HEADLINE_MONTHS
from mentorwijs.reports.sections.process import factor_label, factors
from mentorwijs.reports.texts import LABELS, fmt_int, fmt_out_of_10, fmt_per_100, t


def easy_factor(r: dict, lang: str) -> str:
    """A barrier or facilitator in easy words, or the codebook's name in lower case."""
    key = f"er_{r['kind']}_{r['determinant']}"
    return t(key, lang) if key in LABELS else factor_label(r, lang).lower()


def _picto(name: str, text: str, lang: str) -> Pictogram:
    return Pictogram(name, text, t(f"pic_{name}", lang))


def about(result: EvaluationResult, lang: str) -> list[Section]:
    """What the training is, and how many took part."""
    s = national_scope(result)
    blocks = [_picto("training", t("er_training", lang), lang)]
    if s.flow and s.employees:
        blocks.append(
            _picto(
                "group",
                t("er_people", lang).format(
                    s=fmt_int(s.flow[0]["invited"], lang), e=fmt_int(s.employees["invited"], lang)
                ),
                lang,
            )
        )
    return [Section(t("er_about", lang), blocks)]


def learned(result: EvaluationResult, lang: str) -> list[Section]:
    """Did the supervisors learn? Knowledge and confidence at the last measurement."""
    blocks = []
    s = national_scope(result)
    last = {r["scale"]: r for r in s.change}
    for scale, picto, up, flat in (
        ("knowledge", "knowledge", "er_knowledge_up", "er_knowledge_flat"),
        ("self_efficacy", "confidence", "er_efficacy_up", "er_efficacy_flat"),
    ):
        r = last.get(scale)
        if r is None or r["estimate"] is None:
            continue
        blocks.append(_picto(picto, t(up if r["ci_low"] > 0 else flat, lang), lang))
    return [Section(t("er_learned", lang), blocks)] if blocks else []


def work(result: EvaluationResult, lang: str) -> list[Section]:
    """Did the employees have work more often?"""
    s = national_scope(result)
    by_month = {r["event_month"]: r for r in s.effect}
    months = [m for m in HEADLINE_MONTHS if m in by_month]
    if not months:
        return []
    up = [m for m in months if by_month[m]["ci_low"] > 0]
    if up:
        text = t("er_work_up", lang).format(x=fmt_per_100(by_month[up[-1]]["estimate"], lang))
    else:
        text = t("er_work_flat", lang)
    blocks = [
        _picto("work", text, lang),
        _picto("calendar", t("er_months", lang).format(m=months[-1]), lang),
    ]
    return [Section(t("er_work", lang), blocks)]


def opinion(result: EvaluationResult, lang: str) -> list[Section]:
    """What the supervisors thought of the training, and what helps and hinders most."""
    blocks = []
    general = [
        r
        for r in (
            records(result.tables["process_satisfaction"])
            if "process_satisfaction" in result.tables
            else []
        )
        if r["level"] == "overall" and r["aspect"] == "sat_general"
    ]
    if general and general[0]["share_satisfied"] is not None:
        blocks.append(
            _picto(
                "smile",
                t("er_satisfied", lang).format(
                    k=fmt_out_of_10(general[0]["share_satisfied"], lang)
                ),
                lang,
            )
        )
    helps, hinders = factors(result, "facilitator"), factors(result, "barrier")
    if helps:
        blocks.append(
            _picto("talk", t("er_helps", lang).format(f=easy_factor(helps[0], lang)), lang)
        )
    if hinders:
        blocks.append(
            _picto(
                "hinder",
                t("er_hinders", lang).format(f=easy_factor(hinders[0], lang)),
                lang,
            )
        )
    return [Section(t("er_opinion", lang), blocks)] if blocks else []


def end(result: EvaluationResult, lang: str) -> list[Section]:
    """Thanks, and whom to ask."""
    return [
        Section(
            t("er_end", lang),
            [
                _picto("thanks", t("er_thanks", lang), lang),
                _picto("supervisor", t("er_questions", lang), lang),
            ],
        )
    ]
