"""Render a :class:`~mentorwijs.reports.document.Document` to HTML and to PDF (Typst).

DOCX is in :mod:`mentorwijs.reports.word`; its figures are PNGs that Typst rasterises from
the same SVGs the HTML and the PDF show (:func:`svg_to_png`).
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import matplotlib
import typst
from markupsafe import Markup

from mentorwijs.reports.document import (
    Bullets,
    Document,
    Figure,
    Heading,
    Pictogram,
    Quote,
    Table,
)
from mentorwijs.reports.texts import t

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("mentorwijs.reports", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["id"] = id
_ENV.filters["kind"] = lambda b: type(b).__name__


def _clean_svg(svg: str) -> Markup:
    """An SVG from matplotlib, made inline-safe: no XML prolog or doctype, hidden from AT."""
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(svg)


_ENV.filters["svg"] = _clean_svg


@cache
def pictogram_svg(name: str) -> str:
    """The SVG text of a shipped pictogram (``mentorwijs/reports/pictograms/<name>.svg``)."""
    return resources.files("mentorwijs.reports").joinpath(f"pictograms/{name}.svg").read_text()


def _inline_pictogram(name: str) -> Markup:
    """A pictogram inline in HTML: its sentence carries the meaning, so it is hidden from AT."""
    svg = re.sub(r"<title>.*?</title>", "", pictogram_svg(name))
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


_ENV.filters["pictogram"] = _inline_pictogram


def fonts() -> list[str]:
    """Font folders for Typst besides its own: matplotlib's DejaVu Sans (for the easy-read
    version and the practice guide), so the PDFs embed the figures' own sans-serif."""
    return [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


def _numbers(doc: Document) -> dict[int, int]:
    """Figures and tables are numbered separately, in reading order."""
    out: dict[int, int] = {}
    n_fig = n_tab = 0
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, Figure):
                n_fig += 1
                out[id(b)] = n_fig
            elif isinstance(b, Table):
                n_tab += 1
                out[id(b)] = n_tab
    return out


def render_html(doc: Document) -> str:
    """A self-contained, accessible HTML page (figures inline as SVG)."""
    return _ENV.get_template("report.html.j2").render(
        doc=doc,
        numbers=_numbers(doc),
        contents=t("contents", doc.lang),
        figure_word=t("figure", doc.lang),
        table_word=t("table", doc.lang),
    )


def _s(text: str) -> str:
    """A Typst string literal that shows ``text`` as it is."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typst_table(b: Table) -> str:
    align = ", ".join("right" if num else "left" for num in b.numeric)
    cells = []
    if any(b.columns):
        cells.append("table.header(" + ", ".join(f"[*{_s(c)}*]" for c in b.columns) + ")")
    for row in b.rows:
        cells += [f"[{_s(c)}]" for c in row]
    return (
        f"#figure(table(columns: {len(b.numeric)}, align: ({align},), stroke: 0.4pt + luma(180), "
        f"inset: 5pt, {', '.join(cells)}), caption: [{_s(b.caption)}], kind: table)\n"
    )


#: Page layout per product: the final report reads on screen and paper; the factsheet is two
#: A4 pages at most, so it is set tighter and without a table of contents.
_LAYOUT = {
    "report": {"margin": "(x: 2.2cm, y: 2.4cm)", "size": "11pt", "h1": "15pt", "title": "22pt",
               "font": "Libertinus Serif"},
    "factsheet": {"margin": "(x: 1.8cm, y: 1.5cm)", "size": "10pt", "h1": "13pt",
                  "title": "18pt", "font": "Libertinus Serif"},
    "guide": {"margin": "(x: 2.2cm, y: 2.2cm)", "size": "11pt", "h1": "15pt", "title": "22pt",
              "font": "DejaVu Sans"},
    "easyread": {"margin": "(x: 2.2cm, y: 2.2cm)", "size": "14pt", "h1": "18pt",
                 "title": "24pt", "font": "DejaVu Sans"},
}  # fmt: skip
_FIGURE_WIDTH = {"report": "62%", "factsheet": "66%", "guide": "62%", "easyread": "70%"}


def render_typst(doc: Document, folder: Path) -> Path:
    """Write ``report.typ`` and its figures into ``folder``; return the .typ path."""
    lay = _LAYOUT.get(doc.product, _LAYOUT["report"])
    lines = [
        f'#set document(title: "{doc.title}", author: "Mentorwijs")',
        f'#set page(paper: "a4", margin: {lay["margin"]}, numbering: "1")',
        f'#set text(lang: "{doc.lang}", font: "{lay["font"]}", size: {lay["size"]})',
        "#set par(justify: false" + (", leading: 0.9em)" if doc.product == "easyread" else ")"),
        f"#show heading.where(level: 1): set text(size: {lay['h1']})",
        "#show heading.where(level: 2): set text(size: 1.05em)",
        "#show figure.where(kind: table): set figure.caption(position: top)",
        f'#align(center)[#text(size: {lay["title"]}, weight: "bold")[{_s(doc.title)}] \\ '
        f"#text(size: 13pt)[{_s(doc.subtitle)}]]",
    ]
    if doc.product in ("report", "guide"):
        lines.append(f"#outline(title: [{_s(t('contents', doc.lang))}], depth: 1)")
    else:
        lines.append("#set block(spacing: 0.9em)")
    lines.append("")
    width = _FIGURE_WIDTH.get(doc.product, "62%")
    n_fig = 0
    for s in doc.sections:
        if s.appendix:
            lines.append("#pagebreak()")
        lines.append(f"= {_s(s.title)}\n")
        for b in s.blocks:
            if isinstance(b, str):
                lines.append(_s(b) + "\n")
            elif isinstance(b, Heading):
                lines.append(f"== {_s(b.text)}\n")
            elif isinstance(b, Bullets):
                mark = "+" if b.numbered else "-"
                lines.append("\n".join(f"{mark} {_s(item)}" for item in b.items) + "\n")
            elif isinstance(b, Quote):
                quoted = _s(f"\u201c{b.text}\u201d")
                lines.append(f"#quote(block: true, attribution: [{_s(b.source)}])[{quoted}]\n")
            elif isinstance(b, Pictogram):
                name = f"picto-{b.name}.svg"
                (folder / name).write_text(pictogram_svg(b.name), encoding="utf-8")
                alt = b.alt.replace(chr(34), "")
                lines.append(
                    f"#grid(columns: (2.3cm, 1fr), column-gutter: 0.5cm, align: horizon, "
                    f'image("{name}", width: 2cm, alt: "{alt}"), [{_s(b.text)}])\n'
                )
            elif isinstance(b, Figure):
                n_fig += 1
                name = f"figure-{n_fig}.svg"
                (folder / name).write_text(b.svg, encoding="utf-8")
                alt = b.alt.replace(chr(34), "")
                lines.append(
                    f'#figure(image("{name}", width: {"92%" if b.wide else width}, alt: "{alt}"), '
                    f"caption: [{_s(b.caption)}])\n"
                )
            else:
                lines.append(_typst_table(b))
    path = folder / "report.typ"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def render_pdf(doc: Document, out: Path, *, created_at: str | None = None) -> Path:
    """Typeset ``doc`` to a PDF with Typst's embedded fonts, tagged for accessibility."""
    stamp = None
    if created_at:
        stamp = int(datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp())
    with tempfile.TemporaryDirectory() as tmp:
        source = render_typst(doc, Path(tmp))
        typst.compile(
            str(source),
            output=str(out),
            root=tmp,
            font_paths=fonts(),
            ignore_system_fonts=True,
            timestamp=stamp,
        )
    return out


def svg_to_png(svgs: list[str], *, ppi: int = 200) -> list[bytes]:
    """Rasterise SVG figures to PNG with Typst's renderer, all in one compile.

    Each SVG becomes one page of its own size, so the PNG shows exactly the figure that the
    HTML and the PDF show; no SVG library is needed beside the typesetting engine.
    """
    if not svgs:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for i, svg in enumerate(svgs):
            (Path(tmp) / f"f{i}.svg").write_text(svg, encoding="utf-8")
            pages.append(f'#image("f{i}.svg")')
        source = Path(tmp) / "figures.typ"
        source.write_text(
            "#set page(width: auto, height: auto, margin: 0pt, fill: white)\n"
            + "\n#pagebreak()\n".join(pages),
            encoding="utf-8",
        )
        out = typst.compile(
            str(source),
            root=tmp,
            format="png",
            ppi=ppi,
            font_paths=fonts(),
            ignore_system_fonts=True,
        )
    return list(out) if isinstance(out, list) else [out]
