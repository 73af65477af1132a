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
