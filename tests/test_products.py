"""The products beside the HTML and PDF report: DOCX, the factsheet and regional factsheets.

Every product is built in both languages from one simulated result; the numbers are parsed
back out of the files and compared with the result.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from mentorwijs.evaluation.pipeline import evaluate_package
from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import render_report
from mentorwijs.simulation import simulate_package
from mentorwijs.studydata import read_package


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> EvaluationResult:
    pkg = simulate_package(tmp_path_factory.mktemp("products") / "pkg", seed=11)
    return evaluate_package(
        read_package(pkg), created_at="2026-11-24T12:00:00Z", seed=11, settings={"imputations": 2}
    )


class Tables(HTMLParser):
    """The text of every table cell of an HTML page, table by table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def docx_tables(path: Path) -> list[list[list[str]]]:
    """The text of every cell of every table of a DOCX, table by table."""
    return [[[c.text for c in row.cells] for row in tb.rows] for tb in docx.Document(path).tables]


def html_tables(path: Path) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_docx_has_word_headings_and_the_html_tables(
    result: EvaluationResult, tmp_path: Path, lang: str
) -> None:
    html, word = render_report(result, tmp_path, lang=lang, formats=["html", "docx"])
    assert word.suffix == ".docx"
    document = docx.Document(word)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Caption"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == ("Samenvatting" if lang == "nl" else "Summary")
    assert docx_tables(word) == html_tables(html)
    first = document.tables[0]
    assert first.style.name == "Table Grid"
    assert first.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    word_fig, word_tab = ("Figuur", "Tabel") if lang == "nl" else ("Figure", "Table")
    assert captions[0].startswith(f"{word_fig} 1. ")
    assert f"{word_tab} 1. " in " ".join(captions)
    assert len(document.inline_shapes) == sum(1 for c in captions if c.startswith(word_fig))
    props = document.core_properties
    assert props.author == "Mentorwijs"
    assert props.language == ("nl-NL" if lang == "nl" else "en-GB")
    assert props.title == (
        "Eindrapportage Mentorwijs" if lang == "nl" else "Mentorwijs final report"
    )
    assert props.created.isoformat().startswith("2026-11-24T12:00:00")


def test_every_figure_of_the_docx_is_a_png_with_alternative_text(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [word] = render_report(result, tmp_path, lang="en", formats=["docx"])
    document = docx.Document(word)
    for shape in document.inline_shapes:
        assert shape._inline.docPr.get("descr")
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        assert document.part.related_parts[blip.embed].blob.startswith(b"\x89PNG")


def test_the_same_result_gives_the_same_docx(result: EvaluationResult, tmp_path: Path) -> None:
    a = render_report(result, tmp_path / "a", formats=["docx"])[0].read_bytes()
    b = render_report(result, tmp_path / "b", formats=["docx"])[0].read_bytes()
    assert a == b
