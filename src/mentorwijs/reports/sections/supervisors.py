"""Scales and their reliability; the supervisors' change from T0; attrition; imputation."""

from __future__ import annotations

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.protocol import load_protocol
from mentorwijs.reports.document import Block, Figure, Section, Table, records
from mentorwijs.reports.figures import change_figure
from mentorwijs.reports.texts import change_sentence, fmt_ci, fmt_int, fmt_num, fmt_p, fmt_pct, t


def _scale_labels(lang: str) -> dict[str, str]:
    protocol = load_protocol()
    return {
        sc.code: sc.label.get(lang) for ins in protocol.instruments.values() for sc in ins.scales
    }


def scales(result: EvaluationResult, lang: str) -> list[Section]:
    """Reliability per scale and wave: the study never tested its scales; this one does."""
    if "reliability" not in result.tables:
        return []
    labels = _scale_labels(lang)
    rows = records(result.tables["reliability"])
    table = Table(
        t("scales_caption", lang),
        [
            t("scale", lang),
            t("wave", lang),
            t("n", lang),
            t("alpha", lang),
            t("omega", lang),
            t("floor", lang),
            t("ceiling", lang),
        ],
        [
            [
                labels.get(r["scale"], r["scale"]),
                str(r["wave"]),
                fmt_int(r["n"], lang),
                f"{fmt_num(r['alpha'], lang)} "
                f"({fmt_ci(r['alpha_ci_low'], r['alpha_ci_high'], lang)})",
                fmt_num(r["omega"], lang) if r["omega"] is not None else "–",
                fmt_pct(r["floor_share"], lang),
                fmt_pct(r["ceiling_share"], lang),
            ]
            for r in rows
        ],
        [False, False, True, True, True, True, True],
    )
    blocks: list[Block] = [t("scales_text", lang)]
    low = sorted(
        {
            labels.get(r["scale"], r["scale"])
            for r in rows
            if r["alpha"] is not None and r["alpha"] < 0.7
        }
    )
    if low:
        blocks.append(t("scales_low", lang).format(names=", ".join(low)))
    blocks.append(table)
    return [Section(t("scales", lang), blocks)]


def change(result: EvaluationResult, lang: str) -> list[Section]:
    """Change from T0 per scale and wave, the attrition check and the imputation check."""
    if "supervisor_change" not in result.tables:
        return []
    labels = _scale_labels(lang)
    rows = records(result.tables["supervisor_change"])
    waves = ["T0", *dict.fromkeys(str(r["wave"]) for r in rows)]
    last = waves[-1]
    sentences = [
        change_sentence(labels.get(r["scale"], r["scale"]), r, lang)
        for r in rows
        if r["wave"] in (waves[1], last)
    ]
    blocks: list[Block] = [" ".join(sentences)]
    blocks.append(
        Figure(
            t("change_figure", lang),
            change_figure(rows, labels, waves, t("change_axis", lang)),
            " ".join(sentences),
        )
    )
    blocks.append(
        Table(
            t("change_caption", lang),
            [
                t("scale", lang),
                t("wave", lang),
                t("estimate_ci", lang),
                t("effect_size", lang),
                t("p_value", lang),
                t("n", lang),
            ],
            [
                [
                    labels.get(r["scale"], r["scale"]),
                    str(r["wave"]),
                    f"{fmt_num(r['estimate'], lang, sign=True)} "
                    f"({fmt_ci(r['ci_low'], r['ci_high'], lang)})",
                    fmt_num(r["effect_size"], lang),
                    fmt_p(r["p_val"], lang),
                    fmt_int(r["n_wave"], lang),
                ]
                for r in rows
            ],
            [False, False, True, True, True, True],
        )
    )
    if "attrition" in result.tables:
        att = records(result.tables["attrition"])
        blocks.append(
            Table(
                t("attrition_caption", lang),
                [
                    t("variable", lang),
                    t("stayers", lang),
                    t("leavers", lang),
                    t("smd", lang),
                    t("p_value", lang),
                ],
                [
                    [
                        labels.get(a["variable"]) or t(a["variable"], lang),
                        fmt_num(a["mean_stayers"], lang),
                        fmt_num(a["mean_leavers"], lang),
                        fmt_num(a["smd"], lang),
                        fmt_p(a["p_val"], lang),
                    ]
                    for a in att
                ],
                [False, True, True, True, True],
            )
        )
    if "supervisor_change_mi" in result.tables:
        mi = {(r["scale"], r["wave"]): r for r in records(result.tables["supervisor_change_mi"])}
        diffs = [
            abs(mi[(r["scale"], r["wave"])]["estimate"] - r["estimate"])
            for r in rows
            if (r["scale"], r["wave"]) in mi
            and r["estimate"] is not None
            and mi[(r["scale"], r["wave"])]["estimate"] is not None
        ]
        m = next(iter(mi.values()))["m"] if mi else 0
        if diffs:
            blocks.append(t("mi_text", lang).format(m=m, diff=fmt_num(max(diffs), lang)))
    return [Section(t("change", lang), blocks)]
