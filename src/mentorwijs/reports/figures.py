"""Figures as SVG text, drawn with matplotlib in a colour-blind-safe palette (Okabe–Ito)."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from mentorwijs.reports.texts import fmt_int, fmt_pct, t

BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#595959"
plt.rcParams.update({"svg.hashsalt": "mentorwijs", "font.family": "DejaVu Sans", "font.size": 10})


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def flow_figure(flow: list[dict[str, Any]], lang: str) -> str:
    """A CONSORT-style participant flow: invited, then completed per wave, with retention."""
    n = len(flow)
    fig, ax = plt.subplots(figsize=(6.2, 1.1 + 1.0 * (n + 1)))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-(n + 0.6), 0.8)

    def box(y: float, text: str, colour: str) -> None:
        ax.add_patch(
            FancyBboxPatch(
                (2.2, y - 0.32),
                5.6,
                0.64,
                boxstyle="round,pad=0.02",
                facecolor="white",
                edgecolor=colour,
                linewidth=2,
            )
        )
        ax.text(5, y, text, ha="center", va="center", color="#1b1b1b")

    invited = fmt_int(flow[0]["invited"], lang) if flow else "0"
    box(0, f"{t('invited_box', lang)}: n = {invited}", GREY)
    for i, row in enumerate(flow, start=1):
        ax.annotate(
            "",
            xy=(5, -i + 0.34),
            xytext=(5, -i + 1 - 0.34),
            arrowprops={"arrowstyle": "-|>", "color": GREY, "lw": 1.5},
        )
        done = fmt_int(row["completed"], lang)
        label = f"{row['wave']} {t('completed', lang).lower()}: n = {done}"
        box(-i, label, BLUE if i == 1 else ORANGE)
        ax.text(
            8.0,
            -i,
            fmt_pct(row["retention"], lang) if i > 1 else "",
            va="center",
            color=GREY,
            fontsize=9,
        )
    return _svg(fig)


#: Okabe–Ito colours with distinct markers, so series stay apart in grey print too.
SERIES = [("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"), ("#56B4E9", "v")]


def change_figure(
    rows: list[dict[str, Any]], labels: dict[str, str], waves: list[str], axis_label: str
) -> str:
    """Change from the baseline per scale and wave with 95% intervals (baseline drawn at 0)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    scales = list(dict.fromkeys(r["scale"] for r in rows))
    width = 0.12
    for i, scale in enumerate(scales):
        colour, marker = SERIES[i % len(SERIES)]
        offset = (i - (len(scales) - 1) / 2) * width
        by_wave = {r["wave"]: r for r in rows if r["scale"] == scale}
        xs, ys, lo, hi = [0.0 + offset], [0.0], [0.0], [0.0]
        for j, wave in enumerate(waves[1:], start=1):
            r = by_wave.get(wave)
            if r is None or r["estimate"] is None:
                continue
            xs.append(j + offset)
            ys.append(r["estimate"])
            lo.append(r["estimate"] - r["ci_low"])
            hi.append(r["ci_high"] - r["estimate"])
        ax.errorbar(
            xs,
            ys,
            yerr=[lo, hi],
            color=colour,
            marker=marker,
            capsize=3,
            lw=1.5,
            label=labels.get(scale, scale),
        )
    ax.axhline(0, color=GREY, lw=0.8, ls="--")
    ax.set_xticks(range(len(waves)), waves)
    ax.set_ylabel(axis_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(fig)


def _euro_axis(ax: Any, lang: str, axis: str = "x") -> None:
    def fmt(v: float, _pos: int) -> str:
        s = f"€{v / 1000:,.0f}k" if abs(v) >= 1000 else f"€{v:,.0f}"
        return s.replace(",", ".") if lang == "nl" else s

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(plt.FuncFormatter(fmt))


def tornado_figure(
    rows: list[dict[str, Any]], labels: dict[str, str], lang: str, axis_label: str, top: int = 10
) -> str:
    """One-way sensitivity: the NPV at each parameter's low and high value, widest first."""
    rows = sorted(rows, key=lambda r: -abs(r["swing"]))[:top][::-1]
    base = rows[0]["npv_base"] if rows else 0.0
    fig, ax = plt.subplots(figsize=(6.4, 0.38 * len(rows) + 1.2))
    for i, r in enumerate(rows):
        for value, colour, hatch in ((r["npv_low"], BLUE, ""), (r["npv_high"], ORANGE, "//")):
            ax.barh(
                i, value - base, left=base, color=colour, hatch=hatch, edgecolor="white", height=0.7
            )
    ax.axvline(base, color=GREY, lw=1)
    ax.set_yticks(range(len(rows)), [labels.get(r["parameter"], r["parameter"]) for r in rows])
    ax.set_xlabel(axis_label)
    _euro_axis(ax, lang)
    low, high = ("laag", "hoog") if lang == "nl" else ("low", "high")
    ax.legend(
        [
            plt.Rectangle((0, 0), 1, 1, color=BLUE),
            plt.Rectangle((0, 0), 1, 1, color=ORANGE, hatch="//"),
        ],
        [low, high],
        frameon=False,
        fontsize=8,
        loc="lower right",
    )
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def acceptability_figure(
    rows: list[dict[str, Any]], views: dict[str, str], lang: str, x_label: str, y_label: str
) -> str:
    """Probability of a positive return against the willingness to pay per extra month."""
    fig, ax = plt.subplots(figsize=(6.2, 3.2))
    for i, (view, name) in enumerate(views.items()):
        pts = sorted((r["wtp_per_month"], r["p_positive"]) for r in rows if r["view"] == view)
        if not pts:
            continue
        colour, marker = SERIES[i % len(SERIES)]
        ax.plot(*zip(*pts, strict=True), color=colour, marker=marker, markevery=4, label=name)
    ax.set_ylim(0, 1)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    _euro_axis(ax, lang)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def break_even_figure(rows: list[dict[str, Any]], x_label: str, y_label: str) -> str:
    """Distribution of the break-even month over the probabilistic draws."""
    pts = sorted(
        (r["break_even_month"], r["share"]) for r in rows if r["break_even_month"] is not None
    )
    fig, ax = plt.subplots(figsize=(6.2, 2.8))
    if pts:
        ax.bar(*zip(*pts, strict=True), color=BLUE, width=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def event_study_figure(rows: list[dict[str, Any]], x_label: str, y_label: str) -> str:
    """Effect by month since the start with 95% intervals; the start month marked."""
    pts = [r for r in rows if r["estimate"] is not None]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    xs = [r["event_month"] for r in pts]
    ax.fill_between(
        xs, [r["ci_low"] for r in pts], [r["ci_high"] for r in pts], color=BLUE, alpha=0.18, lw=0
    )
    ax.plot(xs, [r["estimate"] for r in pts], color=BLUE, marker="o", ms=3)
    ax.axhline(0, color=GREY, lw=0.8, ls="--")
    ax.axvline(-0.5, color=GREY, lw=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def trajectory_figure(
    rows: list[dict[str, Any]], names: dict[str, str], x_label: str, y_label: str
) -> str:
    """Share employed by month since the start: treated and their matched controls."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for i, (group, name) in enumerate(names.items()):
        pts = sorted(
            (r["event_month"], r["share"])
            for r in rows
            if r["group"] == group and r["share"] is not None
        )
        if pts:
            colour, marker = SERIES[i % len(SERIES)]
            ax.plot(*zip(*pts, strict=True), color=colour, marker=marker, ms=3, label=name)
    ax.axvline(-0.5, color=GREY, lw=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def love_plot(
    rows: list[dict[str, Any]], labels: dict[str, str], x_label: str, names: tuple[str, str]
) -> str:
    """Standardised mean differences before and after matching, per covariate term."""
    rows = sorted(rows, key=lambda r: abs(r["smd_before"] or 0))
    fig, ax = plt.subplots(figsize=(6.2, 0.24 * len(rows) + 1.2))
    ys = range(len(rows))
    ax.scatter(
        [abs(r["smd_before"] or 0) for r in rows], ys, color=ORANGE, marker="s", label=names[0]
    )
    ax.scatter([abs(r["smd_after"] or 0) for r in rows], ys, color=BLUE, marker="o", label=names[1])
    ax.axvline(0.1, color=GREY, lw=0.8, ls="--")
    ax.set_yticks(list(ys), [labels.get(r["term"], r["term"]) for r in rows], fontsize=8)
    ax.set_xlabel(x_label)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
