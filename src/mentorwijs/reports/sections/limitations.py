"""Limitations, generated from the result: each rule reads one table and, when its condition
holds, says so in a sentence with the result's own numbers.

The rules and their thresholds (the constants below) are listed in ``docs/reports.md``. A
rule whose table is missing stays silent; the design's own limits (no randomisation,
controls from other regions, self-report) are always said, without numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Bullets, Section, records
from mentorwijs.reports.sections.supervisors import _scale_labels
from mentorwijs.reports.texts import (
    LABELS,
    fmt_ci_pp,
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_pct,
    t,
    term_label,
)

#: Fewer treated employees than this: the effect's intervals are wide.
SMALL_TREATED = 100
#: Fewer supervisors completing the first questionnaire than this.
SMALL_SUPERVISORS = 100
#: A lower share of the T0 respondents answering the last wave.
LOW_RETENTION = 0.8
#: A design test (pre-trends, placebo) with a smaller p-value (small-sample F) fails.
TEST_ALPHA = 0.05
#: Cronbach's alpha below this is low reliability.
LOW_ALPHA = 0.7
#: At least this share of T0 scores at the highest value is a ceiling.
CEILING_SHARE = 0.15
#: A matched-on characteristic with a larger absolute SMD after matching is out of balance.
BALANCE_SMD = 0.1
#: Attrition: a baseline difference with a smaller p-value.
ATTRITION_ALPHA = 0.05

Rule = Callable[[EvaluationResult, str], str | None]


def _rows(result: EvaluationResult, name: str) -> list[dict]:
    return records(result.tables[name]) if name in result.tables else []


def _label(key: str, lang: str) -> str:
    return t(key, lang) if key in LABELS else key


def small_employment_sample(result: EvaluationResult, lang: str) -> str | None:
    """The effect on work rests on few treated employees (or too few to show)."""
    post = [
        r
        for r in _rows(result, "event_study")
        if r["outcome"] == "employed_1h" and r["event_month"] >= 0
    ]
    if not post:
        return None
    if any(r["estimate"] is None for r in post):
        return t("lim_employment_suppressed", lang)
    n = post[0]["n_treated"]
    if n >= SMALL_TREATED:
        return None
    last = post[-1]
    return t("lim_small_treated", lang).format(
        n=fmt_int(n, lang),
        m=last["event_month"],
        ci=fmt_ci_pp(last["ci_low"], last["ci_high"], lang),
    )


def small_supervisor_sample(result: EvaluationResult, lang: str) -> str | None:
    """Few supervisors completed the first questionnaire."""
    flow = _rows(result, "flow_supervisors")
    if not flow or flow[0]["completed"] is None or flow[0]["completed"] >= SMALL_SUPERVISORS:
        return None
    return t("lim_small_supervisors", lang).format(
        c=fmt_int(flow[0]["completed"], lang), w=flow[0]["wave"]
    )


def attrition(result: EvaluationResult, lang: str) -> str | None:
    """Many supervisors dropped out after T0; and whether those who did differed."""
    flow = _rows(result, "flow_supervisors")
    if len(flow) < 2 or flow[-1]["retention"] is None or flow[-1]["retention"] >= LOW_RETENTION:
        return None
    text = t("lim_attrition", lang).format(
        ret=fmt_pct(flow[-1]["retention"], lang), w0=flow[0]["wave"], w=flow[-1]["wave"]
    )
    labels = _scale_labels(lang)
    differ = [
        f"{labels.get(r['variable']) or _label(r['variable'], lang)} "
        f"(p = {fmt_p(r['p_val'], lang)})"
        for r in _rows(result, "attrition")
        if r["p_val"] is not None and r["p_val"] < ATTRITION_ALPHA
    ]
    key = "lim_attrition_differ" if differ else "lim_attrition_alike"
    more = t(key, lang).format(names=", ".join(differ), w0=flow[0]["wave"])
    return f"{text} {more}"


def design_tests(result: EvaluationResult, lang: str) -> str | None:
    """A pre-trend or placebo test that fails, per outcome."""
    names = {"pre-trends": t("lim_pretrends", lang), "placebo 6 months": t("lim_placebo", lang)}
    failed = [
        f"{names.get(r['test'], r['test'])}, {_label(r['outcome'], lang)} "
        f"(p = {fmt_p(r['p_val_f'], lang)})"
        for r in _rows(result, "did_tests")
        if r["p_val_f"] is not None and r["p_val_f"] < TEST_ALPHA
    ]
    if not failed:
        return None
    return t("lim_tests", lang).format(names="; ".join(failed))


def reliability(result: EvaluationResult, lang: str) -> str | None:
    """Scales with a low Cronbach's alpha at some wave."""
    labels = _scale_labels(lang)
    low = [
        f"{labels.get(r['scale'], r['scale'])} ({r['wave']}, α = {fmt_num(r['alpha'], lang)})"
        for r in _rows(result, "reliability")
        if r["alpha"] is not None and r["alpha"] < LOW_ALPHA
    ]
    if not low:
        return None
    return t("lim_reliability", lang).format(names="; ".join(low), a=fmt_num(LOW_ALPHA, lang))


def ceiling(result: EvaluationResult, lang: str) -> str | None:
    """Supervisor scales with many baseline scores at the highest value."""
    labels = _scale_labels(lang)
    rows = [
        r
        for r in _rows(result, "reliability")
        if r.get("instrument", "sv_outcomes") == "sv_outcomes"
        and r["wave"] == "T0"
        and r["ceiling_share"] is not None
        and r["ceiling_share"] >= CEILING_SHARE
    ]
    if not rows:
        return None
    names = "; ".join(
        f"{labels.get(r['scale'], r['scale'])} ({fmt_pct(r['ceiling_share'], lang)})" for r in rows
    )
    return t("lim_ceiling", lang).format(names=names)


def balance(result: EvaluationResult, lang: str) -> str | None:
    """Matched-on characteristics still out of balance after matching."""
    rows = [
        r
        for r in _rows(result, "balance")
        if r["matched_on"] in (True, "True")
        and not r.get("suppressed")
        and r["smd_after"] is not None
        and abs(r["smd_after"]) > BALANCE_SMD
    ]
    if not rows:
        return None
    names = "; ".join(
        f"{term_label(r['term'], lang)} ({fmt_num(r['smd_after'], lang)})" for r in rows
    )
    key = "lim_balance_one" if len(rows) == 1 else "lim_balance"
    return t(key, lang).format(
        n=fmt_int(len(rows), lang), names=names, d=fmt_num(BALANCE_SMD, lang, 1)
    )


def convergence(result: EvaluationResult, lang: str) -> str | None:
    """Mixed models that did not converge."""
    labels = _scale_labels(lang)
    bad = sorted(
        {
            labels.get(r["scale"], r["scale"])
            for r in _rows(result, "supervisor_change")
            if r.get("converged") in (False, "False")
        }
    )
    if not bad:
        return None
    return t("lim_convergence", lang).format(names=", ".join(bad))


def skipped(result: EvaluationResult, lang: str) -> str | None:
    """Analyses the evaluation had to leave out."""
    left_out = list(result.diagnostics.get("skipped", {}))
    if not left_out:
        return None
    return t("lim_skipped", lang).format(names="; ".join(left_out))


def design(result: EvaluationResult, lang: str) -> str | None:
    """The limits of the design itself; always said."""
    return t("lim_design", lang)


RULES: list[Rule] = [
    small_employment_sample,
    small_supervisor_sample,
    attrition,
    design_tests,
    reliability,
    ceiling,
    balance,
    convergence,
    skipped,
    design,
]


def limitations(result: EvaluationResult, lang: str) -> list[Section]:
    """The limitations section: one sentence per rule whose condition holds."""
    items = [text for rule in RULES if (text := rule(result, lang))]
    return [Section(t("limitations", lang), [t("lim_intro", lang), Bullets(items)])]
