"""The factsheet's sections: key figures with their uncertainty in words, who took part, what
the supervisors learned, the effect on work, costs and returns, and how to read the figures.

Every builder takes ``(result, lang, region)`` and reads the figures of its scope
(:mod:`mentorwijs.reports.scope`): the whole study, or one region's own figures from the
per-region tables of the same national result. Where a region has too few persons for a
figure, the factsheet says so in words and, for the effect on work, gives the whole study's
figure under that name.
"""

from __future__ import annotations

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Figure, Section, Table
from mentorwijs.reports.figures import change_figure, event_study_figure
from mentorwijs.reports.scope import Scope, national_scope, scope_of
from mentorwijs.reports.sections.employment import HEADLINE_MONTHS, employment_sentences
from mentorwijs.reports.sections.supervisors import _scale_labels
from mentorwijs.reports.texts import (
    change_sentence,
    fmt_ci,
    fmt_ci_pp,
    fmt_eur,
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pp,
    summary_sentences,
    t,
    verdict,
)


def _words(est: float | None, low: float | None, high: float | None, lang: str) -> str:
    if est is None or low is None or high is None:
        return t("too_few", lang)
    return verdict(est, low, high, lang)


def _last_change(s: Scope) -> dict[str, dict]:
    """Per factsheet scale, its change at the last wave (rows are in wave order)."""
    return {r["scale"]: r for r in s.change}


def _in(s: Scope, lang: str) -> str:
    """ " in Rivierenland (R10)" for a region, "" for the whole study."""
    return "" if s.region is None else t("fs_in", lang).format(r=s.label)


def key_figures(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """One table of the key figures, each with its interval and what that says in words."""
    s = scope_of(result, region)
    rows: list[list[str]] = [[t("fs_groups", lang), fmt_int(s.groups, lang), "–", ""]]
    if s.flow:
        rows.append([t("fs_supervisors", lang), fmt_int(s.flow[0]["invited"], lang), "–", ""])
    if s.employees:
        rows.append([t("fs_employees", lang), fmt_int(s.employees["invited"], lang), "–", ""])
    labels = _scale_labels(lang)
    for scale, c in _last_change(s).items():
        rows.append(
            [
                t("fs_change_row", lang).format(scale=labels.get(scale, scale), wave=c["wave"]),
                fmt_num(c["estimate"], lang, sign=True),
                fmt_ci(c["ci_low"], c["ci_high"], lang),
                _words(c["estimate"], c["ci_low"], c["ci_high"], lang),
            ]
        )
    by_month = {r["event_month"]: r for r in s.effect}
    for m in HEADLINE_MONTHS:
        if m in by_month:
            e = by_month[m]
            rows.append(
                [
                    t("fs_work_row", lang).format(m=m),
                    fmt_pp(e["estimate"], lang),
                    fmt_ci_pp(e["ci_low"], e["ci_high"], lang),
                    _words(e["estimate"], e["ci_low"], e["ci_high"], lang),
                ]
            )
    if s.region is not None and not s.effect_estimated:
        rows.append([t("fs_work_region_row", lang), "–", "–", t("fs_too_few_region", lang)])
    if s.cost_total:
        for key, column in (
            ("fs_cost_supervisor", "per_trained_supervisor"),
            ("fs_cost_employee", "per_employee_reached"),
        ):
            rows.append(
                [t(key, lang), fmt_eur(s.cost_total[column], lang), "–", t("fs_all_parties", lang)]
            )
    if s.public:
        psa = s.public_psa
        to = " tot " if lang == "nl" else " to "
        words = ""
        if psa and psa.get("p_npv_positive") is not None:
            words = t("fs_chance", lang).format(p=fmt_pct(psa["p_npv_positive"], lang))
        rows.append(
            [
                t("fs_npv_row", lang),
                fmt_eur(s.public["npv"], lang),
                fmt_eur(psa["npv_ci_low"], lang) + to + fmt_eur(psa["npv_ci_high"], lang)
                if psa
                else "–",
                words,
            ]
        )
    caption = t("fs_key_caption", lang)
    if s.region is not None:
        caption = t("fs_key_caption_region", lang).format(r=s.label)
    table = Table(
        caption,
        [t("fs_what", lang), t("fs_value", lang), t("fs_ci", lang), t("fs_words", lang)],
        rows,
        [False, True, True, False],
    )
    return [Section(t("fs_key", lang), [table])]


def who(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """Who took part: groups, supervisors and employees, and how many answered."""
    s = scope_of(result, region)
    text = []
    if s.flow:
        key = "fs_who_text" if s.region is None else "fs_who_region_text"
        text.append(
            t(key, lang).format(
                g=fmt_int(s.groups, lang),
                s=fmt_int(s.flow[0]["invited"], lang),
                e=fmt_int(s.employees["invited"] if s.employees else None, lang),
                r=s.label,
                ip=fmt_int(s.in_person, lang),
                on=fmt_int(s.online, lang),
            )
        )
    text += summary_sentences(s.flow, lang)
    return [Section(t("fs_who", lang), [" ".join(text)])] if text else []


def learn(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """The supervisors' change in knowledge and self-efficacy, in words and one chart."""
    s = scope_of(result, region)
    if not s.change:
        return []
    labels = _scale_labels(lang)
    sentences = " ".join(
        change_sentence(labels.get(k, k), r, lang) for k, r in _last_change(s).items()
    )
    waves = ["T0", *dict.fromkeys(str(r["wave"]) for r in s.change)]
    figure = Figure(
        t("fs_change_figure", lang) + _in(s, lang),
        change_figure(s.change, labels, waves, t("change_axis", lang)),
        sentences,
    )
    return [Section(t("fs_learn", lang), [sentences, figure])]


def _effect_blocks(s: Scope, lang: str, *, whole: bool = False) -> list[Block]:
    """The effect on work of a scope that has one: sentences, failed checks, the chart."""
    post = [r for r in s.effect if r["event_month"] >= 0]
    sentences = employment_sentences(post, lang)
    key = "fs_work_whole" if whole else "fs_work_text"
    blocks: list[Block] = [
        t(key, lang).format(n=fmt_int(s.n_treated, lang)) + " " + " ".join(sentences)
    ]
    pre, plc = s.tests.get("pre-trends"), s.tests.get("placebo 6 months")
    if pre and plc and not (pre["p_val_f"] >= 0.05 and plc["p_val_f"] >= 0.05):
        blocks.append(
            t("tests_warn", lang).format(
                pre=fmt_p(pre["p_val_f"], lang), plc=fmt_p(plc["p_val_f"], lang)
            )
        )
    caption = t("event_figure", lang) + (t("fs_whole_suffix", lang) if whole else _in(s, lang))
    blocks.append(
        Figure(
            caption,
            event_study_figure(s.effect, t("months_since", lang), t("event_axis", lang)),
            " ".join(sentences),
        )
    )
    return blocks


def work(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """The effect on work at months 3, 6 and 12 and the chart; for a region with too few
    persons, that in words and then the whole study's effect under that name."""
    s = scope_of(result, region)
    if s.effect_estimated:
        return [Section(t("fs_work", lang), _effect_blocks(s, lang))]
    if s.region is None:
        return []
    blocks: list[Block] = [
        t("fs_work_few", lang).format(
            r=s.label, n=fmt_int(s.n_treated, lang), m=fmt_int(s.min_treated, lang)
        )
    ]
    whole = national_scope(result)
    if whole.effect_estimated:
        blocks += _effect_blocks(whole, lang, whole=True)
    return [Section(t("fs_work", lang), blocks)]


def money(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """What it costs per supervisor and per employee, and what it returns for the public budget."""
    s = scope_of(result, region)
    total, municipality, base, psa = s.cost_total, s.cost_municipality, s.public, s.public_psa
    if not total and not base:
        return []
    text = []
    if total and municipality:
        text.append(
            t("fs_cost_text", lang).format(
                s=fmt_eur(total["per_trained_supervisor"], lang),
                e=fmt_eur(total["per_employee_reached"], lang),
                sm=fmt_eur(municipality["per_trained_supervisor"], lang),
                em=fmt_eur(municipality["per_employee_reached"], lang),
            )
        )
    if base:
        text.append(
            t("fs_return_text", lang).format(
                c=fmt_eur(base["pv_costs"], lang),
                b=fmt_eur(base["pv_effects"], lang),
                npv=fmt_eur(base["npv"], lang),
            )
        )
    if psa and psa.get("p_npv_positive") is not None:
        text.append(
            t("psa_text", lang).format(
                n=fmt_int(psa["n_draws"], lang),
                p=fmt_pct(psa["p_npv_positive"], lang),
                lo=fmt_eur(psa["npv_ci_low"], lang),
                hi=fmt_eur(psa["npv_ci_high"], lang),
            )
        )
    if base and s.effect_basis == "national":
        text.append(t("fs_national_effect", lang))
    return [Section(t("fs_money", lang), [" ".join(text)])]


def about(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """How to read the intervals, the disclosure rule, and where the figures come from."""
    md = result.metadata
    text = t("fs_about_text", lang).format(
        n=md.get("disclosure_min_count", 10),
        date=str(md.get("created_at", "–"))[:10],
        fp=str(md.get("data_fingerprint", "–"))[:12],
    )
    if region is not None:
        text += " " + t("fs_about_region", lang)
    return [Section(t("fs_about", lang), [text])]
