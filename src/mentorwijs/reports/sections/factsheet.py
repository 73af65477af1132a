"""The factsheet's sections: key figures with their uncertainty in words, who took part, what
the supervisors learned, the effect on work, costs and returns, and how to read the figures.

Every builder takes ``(result, lang, region)``. The result holds per-region numbers only for
the supervisors' participation (``response_by_group`` at level ``region``); everything else
is said to be for the whole study. ``docs/reports.md`` lists the tables a regional factsheet
would need.
"""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Figure, Section, Table, records
from mentorwijs.reports.errors import UnknownRegionError
from mentorwijs.reports.figures import change_figure, event_study_figure
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

#: The supervisor scales the factsheet speaks of: what the training aims to change first.
SCALES = ("knowledge", "self_efficacy")
MAIN_OUTCOME = "employed_1h"


def regions(result: EvaluationResult) -> list[str]:
    """The labour-market regions the result has per-region rows for, in table order."""
    if "response_by_group" not in result.tables:
        return []
    rows = records(result.tables["response_by_group"])
    return list(dict.fromkeys(str(r["unit"]) for r in rows if r["level"] == "region"))


def check_region(result: EvaluationResult, region: str) -> None:
    """Raise :class:`UnknownRegionError` unless ``region`` is one of the result's regions."""
    known = regions(result)
    if region not in known:
        names = ", ".join(known) or "–"
        raise UnknownRegionError(
            f"region {region!r} is not in this result; its regions are: {names}",
            f"regio {region!r} zit niet in dit resultaat; de regio's zijn: {names}",
        )


def _first(result: EvaluationResult, name: str) -> dict[str, Any] | None:
    rows = records(result.tables[name]) if name in result.tables else []
    return rows[0] if rows else None


def _groups(result: EvaluationResult) -> int | None:
    if "response_by_group" not in result.tables:
        return None
    rows = records(result.tables["response_by_group"])
    return len({r["unit"] for r in rows if r["level"] == "group"})


def _region_row(result: EvaluationResult, region: str) -> dict[str, Any]:
    rows = records(result.tables["response_by_group"])
    return next(r for r in rows if r["level"] == "region" and str(r["unit"]) == region)


def _last_change(result: EvaluationResult) -> dict[str, dict[str, Any]]:
    """Per factsheet scale, its change at the last wave."""
    if "supervisor_change" not in result.tables:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for r in records(result.tables["supervisor_change"]):
        if r["scale"] in SCALES:
            out[r["scale"]] = r  # rows are in wave order: the last one stays
    return out


def _main_effect(result: EvaluationResult) -> list[dict[str, Any]]:
    if "event_study" not in result.tables:
        return []
    return [r for r in records(result.tables["event_study"]) if r["outcome"] == MAIN_OUTCOME]


def _words(est: Any, low: Any, high: Any, lang: str) -> str:
    if est is None or low is None or high is None:
        return t("too_few", lang)
    return verdict(est, low, high, lang)


def _public(result: EvaluationResult) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The public budget's base-case summary and its probabilistic summary."""
    base = psa = None
    if "cb_summary" in result.tables:
        base = next(
            (
                r
                for r in records(result.tables["cb_summary"])
                if r["view"] == "public_budget" and r.get("base_rate") in (True, "True")
            ),
            None,
        )
    if "cb_psa_summary" in result.tables:
        psa = next(
            (r for r in records(result.tables["cb_psa_summary"]) if r["view"] == "public_budget"),
            None,
        )
    return base, psa


def _costs(result: EvaluationResult) -> dict[tuple[str, str], dict[str, Any]]:
    if "cb_cost_summary" not in result.tables:
        return {}
    return {(r["level"], r["unit"]): r for r in records(result.tables["cb_cost_summary"])}


def key_figures(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """One table of the key figures, each with its interval and what that says in words."""
    rows: list[list[str]] = []
    if region is not None:
        r = _region_row(result, region)
        rows.append(
            [
                t("fs_region_supervisors", lang).format(r=region),
                fmt_int(r["invited"], lang),
                "–",
                "",
            ]
        )
        rows.append(
            [
                t("fs_region_response", lang).format(w=r["wave"], r=region),
                fmt_pct(r["response_rate"], lang),
                "–",
                "",
            ]
        )
    flow, employees = _first(result, "flow_supervisors"), _first(result, "flow_employees")
    rows.append([t("fs_groups", lang), fmt_int(_groups(result), lang), "–", ""])
    if flow:
        rows.append([t("fs_supervisors", lang), fmt_int(flow["invited"], lang), "–", ""])
    if employees:
        rows.append([t("fs_employees", lang), fmt_int(employees["invited"], lang), "–", ""])
    labels = _scale_labels(lang)
    for scale, c in _last_change(result).items():
        rows.append(
            [
                t("fs_change_row", lang).format(scale=labels.get(scale, scale), wave=c["wave"]),
                fmt_num(c["estimate"], lang, sign=True),
                fmt_ci(c["ci_low"], c["ci_high"], lang),
                _words(c["estimate"], c["ci_low"], c["ci_high"], lang),
            ]
        )
    by_month = {r["event_month"]: r for r in _main_effect(result)}
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
    total = _costs(result).get(("total", "all"))
    if total:
        for key, column in (
            ("fs_cost_supervisor", "per_trained_supervisor"),
            ("fs_cost_employee", "per_employee_reached"),
        ):
            rows.append(
                [t(key, lang), fmt_eur(total[column], lang), "–", t("fs_all_parties", lang)]
            )
    base, psa = _public(result)
    if base:
        to = " tot " if lang == "nl" else " to "
        rows.append(
            [
                t("fs_npv_row", lang),
                fmt_eur(base["npv"], lang),
                fmt_eur(psa["npv_ci_low"], lang) + to + fmt_eur(psa["npv_ci_high"], lang)
                if psa
                else "–",
                t("fs_chance", lang).format(p=fmt_pct(psa["p_npv_positive"], lang)) if psa else "",
            ]
        )
    caption = t("fs_key_caption", lang)
    if region is not None:
        caption += t("fs_key_caption_region", lang)
    table = Table(
        caption,
        [t("fs_what", lang), t("fs_value", lang), t("fs_ci", lang), t("fs_words", lang)],
        rows,
        [False, True, True, False],
    )
    return [Section(t("fs_key", lang), [table])]


def who(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """Who took part: groups, supervisors and employees; the region's own numbers if asked."""
    flow = records(result.tables["flow_supervisors"]) if "flow_supervisors" in result.tables else []
    employees = _first(result, "flow_employees")
    whole = []
    if flow:
        whole.append(
            t("fs_who_text", lang).format(
                g=fmt_int(_groups(result), lang),
                s=fmt_int(flow[0]["invited"], lang),
                e=fmt_int(employees["invited"] if employees else None, lang),
            )
        )
    whole += summary_sentences(flow, lang)
    if region is None:
        return [Section(t("fs_who", lang), [" ".join(whole)])]
    r = _region_row(result, region)
    here = t("fs_region_text", lang).format(
        r=region,
        n=fmt_int(r["invited"], lang),
        c=fmt_int(r["completed"], lang),
        p=fmt_pct(r["response_rate"], lang),
    )
    blocks: list[Block] = [f"{here} {t('fs_region_whole', lang)}"]
    if whole:
        blocks.append(t("fs_whole_prefix", lang) + " ".join(whole))
    return [Section(t("fs_who", lang), blocks)]


def learn(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """The supervisors' change in knowledge and self-efficacy, in words and one chart."""
    if "supervisor_change" not in result.tables:
        return []
    labels = _scale_labels(lang)
    last = _last_change(result)
    sentences = " ".join(change_sentence(labels.get(s, s), r, lang) for s, r in last.items())
    rows = [r for r in records(result.tables["supervisor_change"]) if r["scale"] in SCALES]
    waves = ["T0", *dict.fromkeys(str(r["wave"]) for r in rows)]
    figure = Figure(
        t("fs_change_figure", lang),
        change_figure(rows, labels, waves, t("change_axis", lang)),
        sentences,
    )
    return [Section(t("fs_learn", lang), [sentences, figure])]


def work(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """The effect on work at months 3, 6 and 12, the checks if they fail, and the chart."""
    main = _main_effect(result)
    if not main:
        return []
    post = [r for r in main if r["event_month"] >= 0]
    sentences = employment_sentences(post, lang)
    n = post[0]["n_treated"] if post else None
    blocks: list[Block] = [
        t("fs_work_text", lang).format(n=fmt_int(n, lang)) + " " + " ".join(sentences)
    ]
    tests = {
        r["test"]: r
        for r in (records(result.tables["did_tests"]) if "did_tests" in result.tables else [])
        if r["outcome"] == MAIN_OUTCOME
    }
    pre, plc = tests.get("pre-trends"), tests.get("placebo 6 months")
    if pre and plc and not (pre["p_val_f"] >= 0.05 and plc["p_val_f"] >= 0.05):
        blocks.append(
            t("tests_warn", lang).format(
                pre=fmt_p(pre["p_val_f"], lang), plc=fmt_p(plc["p_val_f"], lang)
            )
        )
    blocks.append(
        Figure(
            t("event_figure", lang),
            event_study_figure(main, t("months_since", lang), t("event_axis", lang)),
            " ".join(sentences),
        )
    )
    return [Section(t("fs_work", lang), blocks)]


def money(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """What it costs per supervisor and per employee, and what it returns for the public budget."""
    costs = _costs(result)
    total, municipality = costs.get(("total", "all")), costs.get(("actor", "municipality"))
    base, psa = _public(result)
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
    if psa:
        text.append(
            t("psa_text", lang).format(
                n=fmt_int(psa["n_draws"], lang),
                p=fmt_pct(psa["p_npv_positive"], lang),
                lo=fmt_eur(psa["npv_ci_low"], lang),
                hi=fmt_eur(psa["npv_ci_high"], lang),
            )
        )
    return [Section(t("fs_money", lang), [" ".join(text)])]


def about(result: EvaluationResult, lang: str, region: str | None) -> list[Section]:
    """How to read the intervals, the disclosure rule, and where the figures come from."""
    md = result.metadata
    text = t("fs_about_text", lang).format(
        n=md.get("disclosure_min_count", 10),
        date=str(md.get("created_at", "–"))[:10],
        fp=str(md.get("data_fingerprint", "–"))[:12],
    )
    return [Section(t("fs_about", lang), [text])]
