"""Costs and benefits per perspective, who pays and who gains, sensitivity and uncertainty."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.protocol import load_cost_parameters
from mentorwijs.reports.document import Block, Figure, Heading, Section, Table, records
from mentorwijs.reports.figures import acceptability_figure, break_even_figure, tornado_figure
from mentorwijs.reports.texts import fmt_eur, fmt_num, fmt_pct, t

VIEWS = ("public_budget", "municipality", "mkba")
ACTORS = ("municipality", "central_government", "employer", "employee", "society")


def _labels(lang: str) -> dict[str, str]:
    params = load_cost_parameters()
    labels = {name: p.label.get(lang) for name, p in params.parameters.items()}
    labels["employment_effect"] = t("employment_effect", lang)
    return labels


def _base(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["view"]: r for r in rows if r.get("base_rate") in (True, "True")}


def figures(tables: Mapping[str, pd.DataFrame], lang: str) -> list[Figure]:
    """The tornado, the break-even distribution and the acceptability curve."""
    out = []
    tornado = [r for r in records(tables["cb_tornado"]) if r["view"] == "public_budget"]
    if tornado:
        out.append(
            Figure(
                t("tornado_figure", lang),
                tornado_figure(tornado, _labels(lang), lang, t("npv_axis", lang)),
                t("tornado_figure", lang),
                wide=True,
            )
        )
    be = [r for r in records(tables["cb_psa_break_even"]) if r["view"] == "public_budget"]
    if be:
        out.append(
            Figure(
                t("break_even_figure", lang),
                break_even_figure(be, t("break_even_axis", lang), t("share_of_draws", lang)),
                t("break_even_figure", lang),
            )
        )
    acc = records(tables["cb_acceptability"])
    if acc:
        views = {v: t(v, lang) for v in dict.fromkeys(r["view"] for r in acc)}
        out.append(
            Figure(
                t("acceptability_figure", lang),
                acceptability_figure(acc, views, lang, t("wtp_axis", lang), t("probability", lang)),
                t("acceptability_figure", lang),
            )
        )
    return out


def write_cost_benefit_figures(
    tables: Mapping[str, pd.DataFrame], out: Path, *, lang: str
) -> list[Path]:
    """Write the cost–benefit figures as SVG files into ``out``; return their paths."""
    names = ("tornado", "break-even", "acceptability")
    written = []
    for name, fig in zip(names, figures(tables, lang), strict=False):
        path = Path(out) / f"cb_{name}.svg"
        path.write_text(fig.svg, encoding="utf-8")
        written.append(path)
    return written


def costbenefit(result: EvaluationResult, lang: str) -> list[Section]:
    """What the training costs, what it returns, to whom, and how sure that is."""
    if "cb_summary" not in result.tables:
        return []
    tables = result.tables
    summary = _base(records(tables["cb_summary"]))
    base = summary.get("public_budget", {})
    rate = base.get("discount_rate", 0.0225)
    horizon = int(tables["cb_profile"]["event_month"].max()) + 1 if "cb_profile" in tables else 60
    blocks: list[Block] = [
        t("cb_text", lang).format(h=horizon, r=fmt_num(100 * rate, lang, 2) + "%")
    ]
    psa = {r["view"]: r for r in records(tables["cb_psa_summary"])}
    p = psa.get("public_budget")
    if p:
        blocks.append(
            t("psa_text", lang).format(
                n=f"{int(p['n_draws']):,}".replace(",", "." if lang == "nl" else ","),
                p=fmt_pct(p["p_npv_positive"], lang),
                lo=fmt_eur(p["npv_ci_low"], lang),
                hi=fmt_eur(p["npv_ci_high"], lang),
            )
        )
    be = [
        r
        for r in records(tables["cb_break_even"])
        if r["view"] == "public_budget"
        and r["months_kept"] == 12
        and r["reachable"] in (True, "True")
    ]
    if be:
        blocks.append(
            t("break_even_text", lang).format(
                x=fmt_num(be[0]["people_per_100"], lang, 0), y=be[0]["months_kept"]
            )
        )
    blocks.append(
        Table(
            t("cb_summary_caption", lang),
            [
                t("view", lang),
                t("costs", lang),
                t("benefits", lang),
                t("npv", lang),
                t("bcr", lang),
                t("p_positive", lang),
            ],
            [
                [
                    t(v, lang),
                    fmt_eur(summary[v]["pv_costs"], lang),
                    fmt_eur(summary[v]["pv_effects"], lang),
                    fmt_eur(summary[v]["npv"], lang),
                    fmt_num(summary[v]["bcr"], lang),
                    fmt_pct(psa[v]["p_npv_positive"], lang) if v in psa else "–",
                ]
                for v in VIEWS
                if v in summary
            ],
            [False, True, True, True, True, True],
        )
    )
    actors = {r["actor"]: r for r in records(tables["cb_actors"])}
    blocks.append(
        Table(
            t("actors_caption", lang),
            [t("actor", lang), t("costs", lang), t("benefits", lang), t("npv", lang)],
            [
                [
                    t(a, lang),
                    fmt_eur(actors[a]["pv_programme_costs"], lang),
                    fmt_eur(actors[a]["pv_effects"], lang),
                    fmt_eur(actors[a]["npv"], lang),
                ]
                for a in ACTORS
                if a in actors
            ],
            [False, True, True, True],
        )
    )
    blocks += [Heading(t("uncertainty_heading", lang)), *figures(tables, lang)]
    return [Section(t("costbenefit", lang), blocks)]
