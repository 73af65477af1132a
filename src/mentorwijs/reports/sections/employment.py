"""The employees' work: the matched event study, its tests, subgroups, balance and retention."""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Block, Figure, Heading, Section, Table, records
from mentorwijs.reports.figures import event_study_figure, love_plot, trajectory_figure
from mentorwijs.reports.texts import (
    LABELS,
    fmt_ci,
    fmt_ci_pp,
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_pp,
    t,
    term_label,
    verdict,
)

#: The months the text speaks of: a short, a medium and the last estimated month.
HEADLINE_MONTHS = (3, 6, 12)


_pp, _ci_pp = fmt_pp, fmt_ci_pp


def employment_sentences(rows: list[dict[str, Any]], lang: str) -> list[str]:
    """What the event study says at the headline months, by the interval rule."""
    by_month = {r["event_month"]: r for r in rows}
    out = []
    for m in HEADLINE_MONTHS:
        r = by_month.get(m)
        if r is None:
            continue
        if r["estimate"] is None:
            return [t("employment_suppressed", lang)]
        words = verdict(r["estimate"], r["ci_low"], r["ci_high"], lang)
        key = "employment_flat" if words.startswith(("geen", "no ")) else "employment_sentence"
        out.append(
            t(key, lang).format(
                m=m,
                words=words,
                est=_pp(r["estimate"], lang),
                ci=_ci_pp(r["ci_low"], r["ci_high"], lang),
            )
        )
    return out


def employment(result: EvaluationResult, lang: str) -> list[Section]:
    """The effect on work, how it was found, and whether the checks hold."""
    if "event_study" not in result.tables:
        return []
    es = records(result.tables["event_study"])
    main = [r for r in es if r["outcome"] == "employed_1h"]
    k = result.metadata.get("settings", {}).get("k", 10)
    sentences = employment_sentences([r for r in main if r["event_month"] >= 0], lang)
    blocks: list[Block] = [t("employment_text", lang).format(k=k), " ".join(sentences)]
    tests = {
        r["test"]: r for r in records(result.tables["did_tests"]) if r["outcome"] == "employed_1h"
    }
    pre, plc = tests.get("pre-trends"), tests.get("placebo 6 months")
    if pre and plc:
        ok = pre["p_val_f"] >= 0.05 and plc["p_val_f"] >= 0.05
        blocks.append(
            t("tests_ok" if ok else "tests_warn", lang).format(
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
    if "trajectory" in result.tables:
        names = {"treated": t("treated", lang), "control": t("control", lang)}
        blocks.append(
            Figure(
                t("trajectory_figure", lang),
                trajectory_figure(
                    records(result.tables["trajectory"]),
                    names,
                    t("months_since", lang),
                    t("share_in_work", lang),
                ),
                t("trajectory_figure", lang),
            )
        )
    outcomes = _outcomes_table(result, lang)
    if outcomes is not None:
        blocks += [outcomes, t("effect_units", lang)]
    sections = [Section(t("employment", lang), blocks)]
    extra: list[Block] = []
    if "balance" in result.tables:
        bal = [
            r
            for r in records(result.tables["balance"])
            if r["matched_on"] and not r.get("suppressed")
        ]
        extra.append(Heading(t("balance_heading", lang)))
        extra.append(
            Figure(
                t("love_figure", lang),
                love_plot(
                    bal,
                    {r["term"]: term_label(r["term"], lang) for r in bal},
                    "|SMD|",
                    (t("before", lang), t("after", lang)),
                ),
                t("love_figure", lang),
                wide=True,
            )
        )
    if "effect_modification" in result.tables:
        extra.append(Heading(t("subgroups_heading", lang)))
        extra.append(_subgroups_table(records(result.tables["effect_modification"]), lang))
    if "retention_cox" in result.tables:
        cox = [
            r
            for r in records(result.tables["retention_cox"])
            if r.get("outcome", "employed") == "employed"
        ]
        if cox and cox[0]["hazard_ratio"] is not None:
            c = cox[0]
            extra.append(Heading(t("retention_heading", lang)))
            extra.append(
                t("retention_text", lang).format(
                    words=_retention_words(c["ci_low"], c["ci_high"], lang),
                    hr=fmt_num(c["hazard_ratio"], lang),
                    ci=fmt_ci(c["ci_low"], c["ci_high"], lang),
                )
            )
    sections[0].blocks.extend(extra)
    return sections


def _retention_words(low: float, high: float, lang: str) -> str:
    """A hazard ratio's interval in words: below 1 is "less often"."""
    if high < 1:
        return "significant minder vaak" if lang == "nl" else "significantly less often"
    if low > 1:
        return "significant vaker" if lang == "nl" else "significantly more often"
    return "niet aantoonbaar anders" if lang == "nl" else "not detectably differently"


def _outcomes_table(result: EvaluationResult, lang: str) -> Table | None:
    """Each outcome's mean effect over months 0–12, with its interval (``event_study_average``)."""
    if "event_study_average" not in result.tables:
        return None
    rows = []
    averages = records(result.tables["event_study_average"])
    if not averages:
        return None
    for r in averages:
        if r["estimate"] is None:
            rows.append([t(r["outcome"], lang), t("suppressed", lang), fmt_int(None, lang)])
            continue
        if r["outcome"] == "earnings":
            shown = (
                f"{fmt_num(r['estimate'], lang, 0, sign=True)} "
                f"({fmt_ci(r['ci_low'], r['ci_high'], lang, 0)})"
            )
        else:
            shown = f"{_pp(r['estimate'], lang)} ({_ci_pp(r['ci_low'], r['ci_high'], lang)})"
        rows.append([t(r["outcome"], lang), shown, fmt_int(r["n_treated"], lang)])
    first = averages[0]
    return Table(
        t("outcomes_caption", lang).format(a=first["first_month"], b=first["last_month"]),
        [t("outcome", lang), t("effect_ci", lang), t("n", lang)],
        rows,
        [False, True, True],
    )


def _label(key: str, lang: str) -> str:
    """A modifier or subgroup in words, or the code itself when it has no label."""
    return t(key, lang) if key in LABELS else key


def _subgroups_table(rows: list[dict[str, Any]], lang: str) -> Table:
    return Table(
        t("subgroups_caption", lang),
        [t("modifier", lang), t("subgroup", lang), t("estimate_ci", lang), t("n", lang)],
        [
            [
                _label(str(r["modifier"]), lang),
                _label(str(r["subgroup"]), lang),
                (
                    f"{_pp(r['estimate'], lang)} ({_ci_pp(r['ci_low'], r['ci_high'], lang)})"
                    if r["estimate"] is not None
                    else t("suppressed", lang)
                ),
                fmt_int(r["n_treated"], lang),
            ]
            for r in rows
        ],
        [False, False, True, True],
    )
