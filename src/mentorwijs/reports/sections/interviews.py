"""The interviews: themes (codes per interview), coder agreement, the ranked barriers and
facilitators of ``practice_factors``, and quotes under a role and a letter.

The helpers (:func:`factors`, :func:`factor_evidence`, :func:`quotes`, :func:`pseudonyms`)
are shared with the practice guide and the easy-read version.
"""

from __future__ import annotations

from typing import Any

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.protocol.codebook import load_codebook
from mentorwijs.reports.document import Block, Heading, Quote, Section, Table, records
from mentorwijs.reports.texts import LABELS, fmt_int, fmt_num, fmt_pct, t

Row = dict[str, Any]
#: Direction codes of the interviews (the codebook's ``valence`` group): a determinant coded
#: as barrier or as facilitator. ``practice_factors.direction_code`` names them per row.
DIRECTION = {"barrier": "barrier", "facilitator": "facilitator"}
#: How many barriers and facilitators the tables list, and how many get a quote.
TOP, QUOTED = 5, 3
#: Quotes shorter than this (characters) say too little; longer ones are cut at a sentence.
QUOTE_MIN, QUOTE_MAX = 40, 320


def _rows(result: EvaluationResult, name: str) -> list[Row]:
    return records(result.tables[name]) if name in result.tables else []


def _label(key: str, lang: str) -> str:
    return t(key, lang) if key in LABELS else key


def direction_codes() -> set[str]:
    """The codes that give a direction rather than a theme."""
    return {c.key for c in load_codebook().codes if c.parent == "valence"} | set(DIRECTION.values())


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
