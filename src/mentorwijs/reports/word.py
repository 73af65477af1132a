"""Render a :class:`~mentorwijs.reports.document.Document` to DOCX with python-docx.

Staff edit the products in Word, so the file uses Word's own structure: the built-in styles
Title, Subtitle, Heading 1/2 and Caption, real tables in "Table Grid" whose header row repeats
on every page, captions numbered by SEQ fields ("Figuur 1", "Tabel 1") as Word's own
*Insert Caption* makes them, figures as PNG with their alternative text, the document language
(nl-NL or en-GB) and core properties. The same document gives the same bytes: dates come from
the result's ``created_at`` and the ZIP entries carry that time too.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from mentorwijs.reports.document import (
    Bullets,
    Document,
    Figure,
    Heading,
    Pictogram,
    Quote,
    Table,
)
from mentorwijs.reports.render import pictogram_svg, svg_to_png
from mentorwijs.reports.texts import t

#: The language tag Word uses for spelling and hyphenation.
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
_FIGURE_WIDTH = {"report": Cm(15), "factsheet": Cm(14), "guide": Cm(15), "easyread": Cm(15)}
#: The width of a pictogram and the indent of its sentence.
_PICTO, _PICTO_INDENT = Cm(1.8), Cm(2.4)
_FONT = {"guide": ("DejaVu Sans", 11), "easyread": ("DejaVu Sans", 14)}


def _created(doc: Document) -> datetime:
    """The result's ``created_at`` (UTC), or 1 January 2000 when the result has none."""
    stamp = doc.meta.get("created_at")
    if not stamp:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone(UTC)


def _set_language(word: docx.document.Document, tag: str) -> None:
    """Set the language of the default run properties (spelling, hyphenation)."""
    rpr = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _seq_field(paragraph: Paragraph, name: str, number: int) -> None:
    """A SEQ field (Word's caption numbering) showing ``number`` until Word updates it.

    Written as a complex field (begin, instruction, separate, result, end), so readers that
    do not update fields still show the number as ordinary text.
    """
    for kind, instruction in (
        ("begin", None),
        (None, f" SEQ {name} \\* ARABIC "),
        ("separate", None),
    ):
        run = paragraph.add_run()._r
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run.append(instr)
    paragraph.add_run(str(number))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _caption(word: docx.document.Document, word_label: str, number: int, text: str) -> None:
    p = word.add_paragraph(style="Caption")
    p.add_run(f"{word_label} ")
    _seq_field(p, word_label, number)
    p.add_run(f". {text}")
    p.paragraph_format.keep_with_next = True


def _cell_xml(text: str, *, width: int, bold: bool, right: bool) -> str:
    jc = '<w:jc w:val="right"/>' if right else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:after="0"/>{jc}</w:pPr>{run}</w:p></w:tc>'
    )


def _table(word: docx.document.Document, b: Table) -> None:
    """A real Word table in "Table Grid": numbers right-aligned, the header row bold and
    repeated at the top of every page (``w:tblHeader``); without a header, the first column
    bold (a table of labelled rows).

    The table is written as one piece of WordprocessingML and parsed once: python-docx's cell
    by cell calls take about 2 ms a cell, which is 20 s for the national report's tables.
    """
    has_header = any(b.columns)
    page = word.sections[-1]
    text_width = int((page.page_width - page.left_margin - page.right_margin) / 635)  # twips
    n_cols = len(b.numeric)
    width = text_width // n_cols
    rows = []
    for i, values in enumerate(([b.columns] if has_header else []) + b.rows):
        header = has_header and i == 0
        tr_pr = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
        cells = "".join(
            _cell_xml(
                str(value),
                width=width,
                bold=header or (not has_header and j == 0),
                right=numeric,
            )
            for j, (value, numeric) in enumerate(zip(values, b.numeric, strict=True))
        )
        rows.append(f"<w:tr>{tr_pr}{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(n_cols))
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    word.element.body._insert_tbl(parse_xml(xml))
    word.add_paragraph()


def _list(word: docx.document.Document, b: Bullets) -> None:
    """Word's own list styles; each numbered list restarts at 1 (a numbering of its own)."""
    if not b.numbered:
        for item in b.items:
            word.add_paragraph(item, style="List Bullet")
        return
    style = word.styles["List Number"]
    numbering = word.part.numbering_part.element
    shared = numbering.num_having_numId(style.element.pPr.numPr.numId.val)
    own = numbering.add_num(shared.abstractNumId.val)
    own.add_lvlOverride(ilvl=0).add_startOverride(1)
    for item in b.items:
        p = word.add_paragraph(item, style=style)
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = own.numId


def _quote(word: docx.document.Document, b: Quote) -> None:
    word.add_paragraph(f"\u201c{b.text}\u201d", style="Quote")
    source = word.add_paragraph(f"\u2014 {b.source}", style="Quote")
    source.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _pictogram(word: docx.document.Document, b: Pictogram, png: bytes) -> None:
    """The pictogram inline at the start of its sentence, the text hanging beside it."""
    p = word.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent, fmt.first_line_indent = _PICTO_INDENT, -_PICTO_INDENT
    fmt.tab_stops.add_tab_stop(_PICTO_INDENT)
    fmt.space_after = Pt(10)
    shape = p.add_run().add_picture(io.BytesIO(png), width=_PICTO)
    shape._inline.docPr.set("descr", b.alt)
    p.add_run("\t" + b.text)


def _figure(word: docx.document.Document, b: Figure, png: bytes, width: Cm) -> None:
    p = word.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    shape = p.add_run().add_picture(io.BytesIO(png), width=width)
    shape._inline.docPr.set("descr", b.alt)
    shape._inline.docPr.set("title", b.caption)


def _stable_zip(data: bytes, when: datetime) -> bytes:
    """The same ZIP with every entry dated ``when``, so equal documents give equal bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_docx(doc: Document, path: Path) -> Path:
    """Write ``doc`` as an editable Word document (.docx) to ``path``; return the path.

    Section titles become "Heading 1", sub-headings "Heading 2", tables real Word tables with
    a repeating header row, figures PNGs rasterised from the same SVGs as the HTML and PDF.
    """
    word = docx.Document()
    tag = LANGUAGE_TAGS.get(doc.lang, "nl-NL")
    when = _created(doc)
    _set_language(word, tag)
    props = word.core_properties
    props.title, props.subject, props.author = doc.title, doc.subtitle, "Mentorwijs"
    props.last_modified_by, props.language, props.revision = "Mentorwijs", tag, 1
    props.keywords = doc.product
    props.created = props.modified = props.last_printed = when.replace(tzinfo=None)
    caption = word.styles["Caption"].font
    caption.size, caption.color.rgb, caption.italic = Pt(10), RGBColor(0x1B, 0x1B, 0x1B), False
    page = word.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)
    margin = Cm(2.2) if doc.product == "report" else Cm(1.8)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = margin

    figures = [b for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
    picto_names = list(
        dict.fromkeys(b.name for s in doc.sections for b in s.blocks if isinstance(b, Pictogram))
    )
    rasters = svg_to_png([f.svg for f in figures] + [pictogram_svg(n) for n in picto_names])
    pngs = dict(zip(map(id, figures), rasters[: len(figures)], strict=True))
    picto_pngs = dict(zip(picto_names, rasters[len(figures) :], strict=True))
    if doc.product in _FONT:
        name, size = _FONT[doc.product]
        normal = word.styles["Normal"].font
        normal.name, normal.size = name, Pt(size)
    width = _FIGURE_WIDTH.get(doc.product, Cm(15))
    word.add_paragraph(doc.title, style="Title")
    word.add_paragraph(doc.subtitle, style="Subtitle")
    n_fig = n_tab = 0
    for s in doc.sections:
        if s.appendix:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(s.title, level=1)
        for b in s.blocks:
            if isinstance(b, str):
                word.add_paragraph(b)
            elif isinstance(b, Heading):
                word.add_heading(b.text, level=2)
            elif isinstance(b, Bullets):
                _list(word, b)
            elif isinstance(b, Quote):
                _quote(word, b)
            elif isinstance(b, Pictogram):
                _pictogram(word, b, picto_pngs[b.name])
            elif isinstance(b, Figure):
                n_fig += 1
                _figure(word, b, pngs[id(b)], width)
                _caption(word, t("figure", doc.lang), n_fig, b.caption)
            else:
                n_tab += 1
                _caption(word, t("table", doc.lang), n_tab, b.caption)
                _table(word, b)
    buf = io.BytesIO()
    word.save(buf)
    path = Path(path)
    path.write_bytes(_stable_zip(buf.getvalue(), when))
    return path
