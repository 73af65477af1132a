"""Process and implementation (reach, dose, fidelity, satisfaction, extra guidance time,
workplace conditions, process and effect), and the interviews (themes, agreement, ranked
barriers and facilitators, pseudonymised quotes).

The tables come from the process evaluation (``process_*``, ``interview_*``,
``coder_agreement``, ``practice_factors``); a section whose tables are missing is left out.
Only the whole study's rows (level ``overall``) and the region and mode rows are shown:
trainer and group rows would single out persons.
"""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.protocol.codebook import load_codebook
from mentorwijs.reports.document import Block, Heading, Quote, Section, Table, records
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
#: Direction codes of the interviews (the codebook's ``valence`` group): a determinant coded
#: as barrier or as facilitator. ``practice_factors.direction_code`` names them per row.
DIRECTION = {"barrier": "barrier", "facilitator": "facilitator"}


def direction_codes() -> set[str]:
    """The codes that give a direction rather than a theme."""
    return {c.key for c in load_codebook().codes if c.parent == "valence"} | set(DIRECTION.values())


#: How many barriers and facilitators the tables list, and how many get a quote.
TOP, QUOTED = 5, 3
#: Quotes shorter than this (characters) say too little; longer ones are cut at a sentence.
QUOTE_MIN, QUOTE_MAX = 40, 320


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


# --- interviews ------------------------------------------------------------------------------


def code_names(lang: str) -> dict[str, str]:
    """Codebook key → the code's name in ``lang`` (the shipped MIDI codebook)."""
    return {c.key: c.name(lang) for c in load_codebook().codes}


def factor_label(r: Row, lang: str) -> str:
    """A barrier's or facilitator's name in ``lang`` (from ``practice_factors``)."""
    return str(r.get(f"label_{lang}") or r.get("label_nl") or r["determinant"])


def factors(result: EvaluationResult, kind: str) -> list[Row]:
    """The ranked barriers (``kind="barrier"``) or facilitators, best first."""
    rows = [r for r in _rows(result, "practice_factors") if r["kind"] == kind]
    return sorted(rows, key=lambda r: r["rank"])


def factor_evidence(r: Row, lang: str) -> str:
    """The evidence of a factor in words: the questionnaire share and the interview count."""
    parts = []
    if r.get("share_answers") is not None:
        parts.append(
            t(f"factor_answers_{r['kind']}", lang).format(p=fmt_pct(r["share_answers"], lang))
        )
    if r.get("interviews_kind") is not None and r.get("interviews"):
        parts.append(
            t("factor_interviews", lang).format(
                k=fmt_int(r["interviews_kind"], lang), n=fmt_int(r["interviews"], lang)
            )
        )
    return "; ".join(parts)


def quotes(result: EvaluationResult, kind: str, n: int = QUOTED) -> list[tuple[Row, Row]]:
    """For the top ``n`` factors of ``kind``, one passage coded with the factor and with the
    direction (barrier/facilitator): the shortest of at least :data:`QUOTE_MIN` characters,
    ties by interview and segment. Returns (factor row, passage row) pairs."""
    passages = _rows(result, "interview_passages")
    by_segment: dict[tuple[Any, Any], set[str]] = {}
    for p in passages:
        by_segment.setdefault((p["interview_id"], p["segment_no"]), set()).add(str(p["code"]))
    out = []
    for f in factors(result, kind)[:n]:
        code = str(f["determinant"])
        direction = str(f.get("direction_code") or DIRECTION[kind])
        candidates = [
            p
            for p in passages
            if p["code"] == code
            and direction in by_segment[(p["interview_id"], p["segment_no"])]
            and len(str(p["text"])) >= QUOTE_MIN
        ]
        if candidates:
            best = min(
                candidates,
                key=lambda p: (len(str(p["text"])), str(p["interview_id"]), p["segment_no"]),
            )
            out.append((f, best))
    return out


def quote_text(text: str) -> str:
    """A passage as a quote: whitespace tidied, cut after a sentence if it is long."""
    text = " ".join(str(text).split())
    if len(text) <= QUOTE_MAX:
        return text
    cut = text[:QUOTE_MAX]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return (cut[: end + 1] if end > QUOTE_MIN else cut.rstrip()) + " …"


def pseudonyms(pairs: list[tuple[Row, Row]], lang: str) -> dict[str, str]:
    """A report-only name per quoted respondent: their role and a letter ("trainer A"),
    lettered per role in order of first appearance. No identifier of the data is printed."""
    names: dict[str, str] = {}
    count: dict[str, int] = {}
    for _, p in pairs:
        rid = str(p["respondent_id"])
        if rid in names:
            continue
        role = str(p["role"])
        count[role] = count.get(role, 0) + 1
        letter = chr(ord("A") + count[role] - 1)
        names[rid] = f"{_label('role_' + role, lang)} {letter}"
    return names


def interviews(result: EvaluationResult, lang: str) -> list[Section]:
    """The interview themes, coder agreement, ranked factors and quotes."""
    codes = [r for r in _rows(result, "interview_codes") if r["level"] in ("overall", "role")]
    if not codes:
        return []
    directions = direction_codes()
    overall = [r for r in codes if r["level"] == "overall" and r["code"] not in directions]
    n_interviews = next((r["interviews_in_unit"] for r in codes if r["level"] == "overall"), None)
    roles = {}
    for r in codes:
        if r["level"] == "role" and r["interviews_in_unit"] is not None:
            roles[str(r["unit"])] = r["interviews_in_unit"]
    role_text = ", ".join(
        t("roles_count", lang).format(n=fmt_int(k, lang), role=_label("role_" + role, lang))
        for role, k in roles.items()
    )
    blocks: list[Block] = [
        t("interviews_text", lang).format(n=fmt_int(n_interviews, lang), roles=role_text)
    ]
    agreement = {r["unit"]: r for r in _rows(result, "coder_agreement") if r["code"] == "all codes"}
    if "character" in agreement and "passage" in agreement:
        blocks.append(
            t("interviews_kappa", lang).format(
                d=fmt_int(agreement["character"]["interviews"], lang),
                k=fmt_num(agreement["character"]["kappa"], lang),
                kp=fmt_num(agreement["passage"]["kappa"], lang),
            )
        )
    names = code_names(lang)
    top = sorted(overall, key=lambda r: (-(r["interviews"] or 0), str(r["code"])))[:10]
    blocks.append(
        Table(
            t("interviews_codes_caption", lang),
            [t("theme", lang), t("interviews_col", lang), t("share", lang)],
            [
                [
                    names.get(str(r["code"]), str(r["code"])),
                    fmt_int(r["interviews"], lang),
                    fmt_pct(r["share_interviews"], lang),
                ]
                for r in top
            ],
            [False, True, True],
        )
    )
    blocks += _factor_tables(result, lang)
    blocks += _quotes(result, lang)
    return [Section(t("interviews", lang), blocks)]


def _factor_tables(result: EvaluationResult, lang: str) -> list[Block]:
    out: list[Block] = []
    for kind, caption in (("barrier", "barriers_caption"), ("facilitator", "facilitators_caption")):
        rows = factors(result, kind)[:TOP]
        if not rows:
            continue
        if not out:
            out += [Heading(t("factors_heading", lang)), t("factors_text", lang)]
        out.append(
            Table(
                t(caption, lang),
                [
                    t("rank", lang),
                    t("determinant", lang),
                    t("questionnaire_col", lang),
                    t("interviews_col", lang),
                    t("score", lang),
                ],
                [
                    [
                        fmt_int(r["rank"], lang),
                        factor_label(r, lang),
                        fmt_pct(r["share_answers"], lang)
                        if r.get("share_answers") is not None
                        else "–",
                        f"{fmt_int(r['interviews_kind'], lang)} / {fmt_int(r['interviews'], lang)}"
                        if r.get("interviews")
                        else "–",
                        fmt_num(r["score"], lang),
                    ]
                    for r in rows
                ],
                [True, False, True, True, True],
            )
        )
    return out


def _quotes(result: EvaluationResult, lang: str) -> list[Block]:
    pairs = quotes(result, "barrier") + quotes(result, "facilitator")
    if not pairs:
        return []
    names = pseudonyms(pairs, lang)
    out: list[Block] = [Heading(t("quotes_heading", lang)), t("quotes_text", lang)]
    for f, p in pairs:
        key = "quote_barrier" if f["kind"] == "barrier" else "quote_facilitator"
        about = t(key, lang).format(f=factor_label(f, lang).lower())
        out.append(Quote(quote_text(p["text"]), f"{names[str(p['respondent_id'])]} ({about})"))
    return out
