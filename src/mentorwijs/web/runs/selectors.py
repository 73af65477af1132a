"""Reads of the evaluation runs: the list, whether a direct run is allowed, a run's tables.

Labels and number formats come from :mod:`mentorwijs.reports.texts`, so the site says what
the report says, in the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.db.models import QuerySet

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.protocol import load_protocol
from mentorwijs.reports import file_stem
from mentorwijs.reports.document import records
from mentorwijs.reports.texts import fmt_ci, fmt_int, fmt_num, fmt_p, t
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.runs.paths import run_dir
from mentorwijs.web.study import models as m
from mentorwijs.web.study.selectors import study_meta

#: A run starts directly (in the request) only on a demo study of at most this many persons
#: in the register extract; the study-sized demo has about 6,000.
DIRECT_MAX_PERSONS = 10_000
#: Months of the employment effect shown on the run page (the report shows all of them).
FIRST_MONTH_SHOWN = -6
_OUTCOMES = ("employed_1h", "employed_12h", "employed_3m", "on_benefit", "earnings")
TEST_LABELS = {
    "pre-trends": ("Voortrends (gezamenlijke Wald-toets)", "Pre-trends (joint Wald test)"),
    "placebo 6 months": ("Placebo (start 6 maanden eerder)", "Placebo (start 6 months earlier)"),
}


def evaluation_runs_list() -> QuerySet[EvaluationRun]:
    """All runs, newest first."""
    return EvaluationRun.objects.select_related("created_by").order_by("-created_at", "-pk")


def direct_run_allowed() -> bool:
    """Whether a run may be computed in the request: a demo study of a small register."""
    meta = study_meta() or {}
    if not meta.get("demo"):
        return False
    return m.RegisterPerson.objects.count() <= DIRECT_MAX_PERSONS


def evaluation_run_result(*, run: EvaluationRun) -> EvaluationResult | None:
    """The saved result of a finished run (``None`` while it has none)."""
    if not run.is_done:
        return None
    return EvaluationResult.load(run_dir(run) / "result")


def evaluation_run_regions(*, run: EvaluationRun) -> dict[str, str]:
    """The regions the run's result has factsheets for: region_id → name (or the id)."""
    if not run.is_done:
        return {}
    path = run_dir(run) / "result" / "region_summary.csv"
    if not path.is_file():
        return {}
    table = pd.read_csv(path, usecols=["region_id", "name"], keep_default_na=False, dtype=str)
    return {r: (n or r) for r, n in zip(table["region_id"], table["name"], strict=True)}


def evaluation_run_products_ready(
    *, run: EvaluationRun, products: Sequence[str], languages: Sequence[str], formats: Sequence[str]
) -> dict[tuple[str, str, str], bool]:
    """Which national products of a run are on disk: (product, lang, fmt) → bool."""
    folder = run_dir(run) / "reports"
    return {
        (product, lang, fmt): (folder / lang / f"{file_stem(product, lang)}.{fmt}").is_file()
        for product in products
        for lang in languages
        for fmt in formats
    }


def _scale_labels(lang: str) -> dict[str, str]:
    protocol = load_protocol()
    return {
        sc.code: sc.label.get(lang) for ins in protocol.instruments.values() for sc in ins.scales
    }


def _supervisor_change(result: EvaluationResult, lang: str) -> list[dict[str, str]]:
    labels = _scale_labels(lang)
    rows = []
    for r in records(result.tables.get("supervisor_change", _empty())):
        rows.append(
            {
                "scale": labels.get(r["scale"], r["scale"]),
                "wave": r["wave"],
                "estimate": fmt_num(r["estimate"], lang, 2, sign=True),
                "ci": fmt_ci(r["ci_low"], r["ci_high"], lang),
                "p": fmt_p(r["p_val"], lang),
                "effect_size": fmt_num(r["effect_size"], lang, 2, sign=True),
                "n": fmt_int(r["n_wave"], lang),
            }
        )
    return rows


def _pp(x: Any, lang: str) -> str:
    return fmt_num(None if x is None else 100 * x, lang, 1, sign=True)


def _employment(result: EvaluationResult, lang: str) -> list[dict[str, str]]:
    rows = []
    for r in records(result.tables.get("event_study", _empty())):
        if r["outcome"] != "employed_1h" or r["event_month"] < FIRST_MONTH_SHOWN:
            continue
        rows.append(
            {
                "month": str(r["event_month"]),
                "estimate": _pp(r["estimate"], lang),
                "ci": f"{_pp(r['ci_low'], lang)} {'to' if lang == 'en' else 'tot'} "
                f"{_pp(r['ci_high'], lang)}",
                "p": fmt_p(r["p_val"], lang),
                "n_treated": fmt_int(r["n_treated"], lang),
            }
        )
    return rows


def _tests(result: EvaluationResult, lang: str) -> list[dict[str, str]]:
    rows = []
    for r in records(result.tables.get("did_tests", _empty())):
        nl, en = TEST_LABELS.get(r["test"], (r["test"], r["test"]))
        rows.append(
            {
                "outcome": t(r["outcome"], lang) if r["outcome"] in _OUTCOMES else r["outcome"],
                "test": en if lang == "en" else nl,
                "statistic": fmt_num(r["statistic"], lang, 2),
                "df": fmt_int(r["df"], lang),
                "p": fmt_p(r["p_val"], lang),
            }
        )
    return rows


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


def evaluation_run_tables(*, run: EvaluationRun, lang: str) -> dict[str, Any] | None:
    """The run page's tables and metadata, formatted in ``lang`` (``None`` without a result)."""
    result = evaluation_run_result(run=run)
    if result is None:
        return None
    meta = result.metadata
    return {
        "supervisor_change": _supervisor_change(result, lang),
        "employment": _employment(result, lang),
        "tests": _tests(result, lang),
        "warnings": [
            (step, message)
            for step, messages in (result.diagnostics.get("warnings") or {}).items()
            for message in messages
        ],
        "meta": {
            "created_at": meta.get("created_at"),
            "seed": meta.get("seed"),
            "settings": meta.get("settings") or {},
            "software": meta.get("software") or {},
            "protocol_version": meta.get("protocol_version"),
            "package": meta.get("package") or {},
            "disclosure_min_count": meta.get("disclosure_min_count"),
        },
        "has_cost_benefit": "cb_summary" in result.tables,
    }
