"""The products beside the HTML and PDF report: DOCX, the factsheet and regional factsheets.

Every product is built in both languages from one simulated result; the numbers are parsed
back out of the files and compared with the result.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from conftest import Tables
from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import render_report
from mentorwijs.reports.errors import UnknownProductError, UnknownRegionError


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


# --- the factsheet


def _signed(x: float, digits: int) -> str:
    """An English signed number as the reports print it ("+0.39", "−3", "0")."""
    if round(x, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{x:+.{digits}f}".replace("-", "−")


def _plain(x: float, digits: int) -> str:
    """An English unsigned number as the reports print it ("0.39", "−3"; never "−0")."""
    if round(x, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{x:.{digits}f}".replace("-", "−")


def _euro(x: float) -> str:
    return ("−" if x < 0 else "") + f"€{abs(x):,.0f}"


def _key_figures(path: Path) -> dict[str, list[str]]:
    """The factsheet's key-figure table, read back from its HTML or DOCX file."""
    [table, *_] = docx_tables(path) if path.suffix == ".docx" else html_tables(path)
    header, *rows = table
    assert header == ["What", "Value", "95% CI", "In words"]
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("region", [None, "R10"])
def test_the_factsheet_builds_in_every_format_on_two_pages_at_most(
    result: EvaluationResult, tmp_path: Path, lang: str, region: str | None
) -> None:
    paths = render_report(
        result,
        tmp_path,
        lang=lang,
        formats=["html", "pdf", "docx"],
        product="factsheet",
        region=region,
    )
    stem = f"factsheet-{region}.{lang}" if region else f"factsheet.{lang}"
    assert [p.name for p in paths] == [f"{stem}.html", f"{stem}.pdf", f"{stem}.docx"]
    info = subprocess.run(
        ["pdfinfo", str(paths[1])], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert 1 <= pages <= 2
    document = docx.Document(paths[2])
    assert docx_tables(paths[2]) == html_tables(paths[0])
    assert len(document.inline_shapes) == 2
    html = paths[0].read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert 'aria-labelledby="toc"' not in html  # no table of contents on two pages


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_every_key_figure_of_the_factsheet_equals_the_result(
    result: EvaluationResult, tmp_path: Path, fmt: str
) -> None:
    [path] = render_report(result, tmp_path, lang="en", formats=[fmt], product="factsheet")
    rows = _key_figures(path)
    tables = result.tables
    flow = tables["flow_supervisors"].iloc[0]
    groups = tables["response_by_group"].query("level == 'group'")["unit"].nunique()
    assert rows["Training groups"][0] == str(groups)
    assert rows["Supervisors in the training"][0] == f"{int(flow['invited']):,}"
    employees = tables["flow_employees"].iloc[0]
    assert rows["Employees of these supervisors"][0] == f"{int(employees['invited']):,}"
    change = tables["supervisor_change"]
    for scale, label in (("knowledge", "Knowledge"), ("self_efficacy", "Self-efficacy")):
        last = change[change["scale"] == scale].iloc[-1]
        value, ci, words = rows[f"{label}: change T0 → {last['wave']}"]
        assert value == _signed(last["estimate"], 2)
        assert ci == f"{_plain(last['ci_low'], 2)} to {_plain(last['ci_high'], 2)}"
        expected = "significantly higher" if last["ci_low"] > 0 else words
        assert words == expected
    es = tables["event_study"].query("outcome == 'employed_1h'").set_index("event_month")
    for month in (3, 6, 12):
        value, ci, words = rows[f"Work in month {month} (percentage points)"]
        e = es.loc[month]
        assert value == _signed(100 * e["estimate"], 0)
        assert ci == f"{_plain(100 * e['ci_low'], 0)} to {_plain(100 * e['ci_high'], 0)}"
        if e["ci_low"] <= 0 <= e["ci_high"]:
            assert words == "no evidence of a difference"
    costs = tables["cb_cost_summary"].set_index(["level", "unit"])
    total = costs.loc[("total", "all")]
    assert rows["Cost per trained supervisor"][0] == _euro(total["per_trained_supervisor"])
    assert rows["Cost per employee reached"][0] == _euro(total["per_employee_reached"])
    summary = tables["cb_summary"]
    base = summary[summary["base_rate"] & (summary["view"] == "public_budget")].iloc[0]
    psa = tables["cb_psa_summary"].set_index("view").loc["public_budget"]
    value, ci, words = rows["Balance for the public budget"]
    assert value == _euro(base["npv"])
    assert ci == f"{_euro(psa['npv_ci_low'])} to {_euro(psa['npv_ci_high'])}"
    assert words == f"chance of a positive balance: {round(100 * psa['p_npv_positive'])}%"


def test_the_factsheet_text_says_the_costs_and_returns_of_the_result(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html] = render_report(result, tmp_path, lang="en", formats=["html"], product="factsheet")
    text = html.read_text(encoding="utf-8")
    costs = result.tables["cb_cost_summary"].set_index(["level", "unit"])
    total, town = costs.loc[("total", "all")], costs.loc[("actor", "municipality")]
    assert (
        f"The training costs {_euro(total['per_trained_supervisor'])} per trained supervisor and "
        f"{_euro(total['per_employee_reached'])} per employee reached (all parties together; "
        f"the municipality pays {_euro(town['per_trained_supervisor'])} and "
        f"{_euro(town['per_employee_reached'])} of that)."
    ) in text
    summary = result.tables["cb_summary"]
    base = summary[summary["base_rate"] & (summary["view"] == "public_budget")].iloc[0]
    assert (
        f"costs of {_euro(base['pv_costs'])} are set against benefits of "
        f"{_euro(base['pv_effects'])}: a balance of {_euro(base['npv'])}."
    ) in text


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_regional_factsheet_gives_the_regions_own_numbers(
    result: EvaluationResult, tmp_path: Path, fmt: str
) -> None:
    paths = render_report(
        result, tmp_path, lang="en", formats=["html", fmt], product="factsheet", region="R11"
    )
    html, rows = paths[0], _key_figures(paths[-1])
    tables = result.tables
    summary = tables["region_summary"].set_index("region_id").loc["R11"]
    assert bool(summary["effect_estimated"])
    assert rows["Training groups"][0] == str(int(summary["groups"]))
    flow = tables["region_flow"].query("region_id == 'R11'").set_index(["role", "wave"])
    assert rows["Supervisors in the training"][0] == str(
        int(flow.loc[("supervisor", "T0")]["invited"])
    )
    assert rows["Employees of these supervisors"][0] == str(
        int(flow.loc[("employee", "T0")]["invited"])
    )
    change = tables["region_change"].query("region_id == 'R11'")
    for scale, label in (("knowledge", "Knowledge"), ("self_efficacy", "Self-efficacy")):
        last = change[change["scale"] == scale].iloc[-1]
        value, ci, _ = rows[f"{label}: change T0 → {last['wave']}"]
        assert value == _signed(last["estimate"], 2)
        assert ci == f"{_plain(last['ci_low'], 2)} to {_plain(last['ci_high'], 2)}"
    es = tables["region_event_study"].query("region_id == 'R11'").set_index("event_month")
    for month in (3, 6, 12):
        value, ci, _ = rows[f"Work in month {month} (percentage points)"]
        assert value == _signed(100 * es.loc[month, "estimate"], 0)
        assert ci == (
            f"{_plain(100 * es.loc[month, 'ci_low'], 0)} to "
            f"{_plain(100 * es.loc[month, 'ci_high'], 0)}"
        )
    costs = tables["region_costs"].set_index("region_id").loc["R11"]
    assert rows["Cost per trained supervisor"][0] == _euro(costs["per_trained_supervisor"])
    assert rows["Cost per employee reached"][0] == _euro(costs["per_employee_reached"])
    cb = tables["region_cost_benefit"].query("region_id == 'R11' and view == 'public_budget'")
    base = cb.iloc[0]
    value, ci, words = rows["Balance for the public budget"]
    assert value == _euro(base["npv"])
    assert ci == f"{_euro(base['npv_ci_low'])} to {_euro(base['npv_ci_high'])}"
    assert words == f"chance of a positive balance: {round(100 * base['p_npv_positive'])}%"
    # the region's own figures differ from the whole study's, so the test tells them apart
    national = tables["cb_cost_summary"].set_index(["level", "unit"]).loc[("total", "all")]
    assert costs["per_trained_supervisor"] != national["per_trained_supervisor"]
    text = html.read_text(encoding="utf-8")
    assert "labour-market region FoodValley (R11)" in text
    assert "The benefits use the whole study&#39;s effect on work" in text
    assert "(region FoodValley (R11))" in text  # the charts say whose figures they show


def test_a_region_with_too_few_employees_says_so_in_words(
    result: EvaluationResult, tmp_path: Path
) -> None:
    summary = result.tables["region_summary"].set_index("region_id").loc["R10"]
    assert not bool(summary["effect_estimated"])
    assert 10 <= summary["treated"] < summary["min_treated"]
    [html] = render_report(
        result, tmp_path, lang="en", formats=["html"], product="factsheet", region="R10"
    )
    rows = _key_figures(html)
    assert rows["Effect on work"] == [
        "–",
        "–",
        "too few employees in this region for an estimate of its own",
    ]
    assert not any(key.startswith("Work in month") for key in rows)
    text = html.read_text(encoding="utf-8")
    assert (
        f"In Rivierenland (R10), {int(summary['treated'])} employees are linked to the register "
        f"data. That is too few for an estimate of the effect on work of its own: at least "
        f"{int(summary['min_treated'])} are needed."
    ) in text
    assert "In the whole study, compared with similar employees" in text
    assert "(whole study)</figcaption>" in text
    [nl] = render_report(
        result, tmp_path, lang="nl", formats=["html"], product="factsheet", region="R10"
    )
    assert "te weinig medewerkers in deze regio voor een eigen schatting" in nl.read_text("utf-8")


def test_a_suppressed_regional_cell_prints_as_less_than_ten_and_in_words(
    result: EvaluationResult, tmp_path: Path
) -> None:
    tables = {name: df.copy() for name, df in result.tables.items()}
    change = tables["region_change"]
    hidden = change["region_id"] == "R10"
    change.loc[hidden, ["estimate", "ci_low", "ci_high", "n_wave"]] = float("nan")
    change.loc[hidden, "suppressed"] = True
    flow = tables["region_flow"]
    flow.loc[(flow["region_id"] == "R10") & (flow["role"] == "employee"), "invited"] = float("nan")
    small = EvaluationResult(tables=tables, metadata=result.metadata)
    [html] = render_report(
        small, tmp_path, lang="en", formats=["html"], product="factsheet", region="R10"
    )
    rows = _key_figures(html)
    assert rows["Employees of these supervisors"][0] == "<10"
    value, ci, words = rows["Knowledge: change T0 → T3"]
    assert (value, ci, words) == ("<10", "<10 to <10", "too few persons to report")
    assert "Knowledge (T3): too few persons to report." in html.read_text(encoding="utf-8")


def test_an_unknown_region_or_a_regional_final_report_is_refused(
    result: EvaluationResult, tmp_path: Path
) -> None:
    with pytest.raises(UnknownRegionError, match="R10, R11"):
        render_report(result, tmp_path, product="factsheet", region="R99")
    with pytest.raises(UnknownProductError, match="national"):
        render_report(result, tmp_path, product="report", region="R10")
    with pytest.raises(UnknownProductError, match="unknown product"):
        render_report(result, tmp_path, product="brochure")
    with pytest.raises(UnknownProductError, match="national"):
        render_report(result, tmp_path, product="guide", region="R10")


def test_the_same_result_gives_the_same_factsheet_docx(
    result: EvaluationResult, tmp_path: Path
) -> None:
    a, b = (
        render_report(result, tmp_path / d, formats=["docx"], product="factsheet")[0].read_bytes()
        for d in ("a", "b")
    )
    assert a == b


def test_the_report_command_writes_both_products_or_a_regions_factsheet(
    result: EvaluationResult, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from mentorwijs.cli import main

    result.save(tmp_path / "result")
    run = CliRunner().invoke(
        main,
        [
            "--lang",
            "en",
            "report",
            str(tmp_path / "result"),
            "--out",
            str(tmp_path / "out"),
            "--format",
            "html",
        ],
    )
    assert run.exit_code == 0, run.output
    assert run.output.split() == [
        str(tmp_path / "out" / name)
        for name in (
            "final-report.html",
            "factsheet.en.html",
            "practice-guide.html",
            "findings-easy-read.html",
        )
    ]
    run = CliRunner().invoke(
        main,
        [
            "--lang",
            "en",
            "report",
            str(tmp_path / "result"),
            "--out",
            str(tmp_path / "out"),
            "--format",
            "html",
            "--region",
            "R10",
        ],
    )
    assert run.output.split() == [str(tmp_path / "out" / "factsheet-R10.en.html")]


# --- every number printed comes from the result


NUMBER = re.compile(r"(?<![\w.,])[−+-]?\d+(?:[.,]\d+)*(?!\w)")
CAPTION_NUMBER = re.compile(r"\b(Figuur|Figure|Tabel|Table) \d+\b")


class _Text(HTMLParser):
    """The visible text and the text alternatives of an HTML product, SVG drawings skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("svg", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("aria-label", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("svg", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _docx_text(path: Path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for tb in document.tables for row in tb.rows for c in row.cells]
    parts += [s._inline.docPr.get("descr") or "" for s in document.inline_shapes]
    return "\n".join(parts)


def _tokens(text: str) -> set[str]:
    return set(NUMBER.findall(CAPTION_NUMBER.sub(r"\1", text)))


def _renderings(x: float) -> set[str]:
    """Every way the reports print a number of the result, in both languages."""
    from mentorwijs.reports import texts as tx

    out = set()
    for lang in ("nl", "en"):
        for digits in range(4):
            for sign in (False, True):
                out.add(tx.fmt_num(x, lang, digits, sign=sign))
                out.add(tx.fmt_num(100 * x, lang, digits, sign=sign))
        out |= {tx.fmt_int(x, lang), tx.fmt_pct(x, lang), tx.fmt_pp(x, lang), tx.fmt_p(x, lang)}
        out |= {tx.fmt_out_of_10(x, lang), tx.fmt_per_100(x, lang)}
        out.add(tx.fmt_eur(x, lang))
    return {tok for s in out for tok in _tokens(s)}


@pytest.fixture(scope="module")
def allowed(result: EvaluationResult) -> set[str]:
    """Numbers the products may print: renderings of the result's numbers; numbers in its
    text cells and metadata; and the fixed numbers of the wording (labels, protocol)."""
    import json

    from mentorwijs.protocol import load_cost_parameters, load_protocol
    from mentorwijs.protocol.codebook import load_codebook
    from mentorwijs.reports.texts import LABELS

    values: set[float] = set()
    words = [json.dumps(result.metadata, ensure_ascii=False), json.dumps(result.diagnostics)]
    for df in result.tables.values():
        for column in df.columns:
            if df[column].dtype.kind in "iuf":
                values |= set(df[column].dropna().astype(float))
            elif df[column].dtype.kind == "O":
                words += [str(v) for v in df[column].dropna().unique()]
    tokens = {tok for x in values for tok in _renderings(x)}
    words += [text for pair in LABELS.values() for text in pair]
    protocol = load_protocol()
    for ins in protocol.instruments.values():
        words += [sc.label.get(lang) for sc in ins.scales for lang in ("nl", "en")]
    for p in load_cost_parameters().parameters.values():
        words += [p.label.get("nl"), p.label.get("en")]
    words += [c.name(lang) for c in load_codebook().codes for lang in ("nl", "en")]
    return tokens | {tok for w in words for tok in _tokens(w)}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("product", "region"),
    [
        ("report", None),
        ("factsheet", None),
        ("factsheet", "R10"),
        ("factsheet", "R11"),
        ("guide", None),
        ("easyread", None),
    ],
)
def test_every_number_in_the_html_and_docx_comes_from_the_result(
    result: EvaluationResult,
    allowed: set[str],
    tmp_path: Path,
    lang: str,
    product: str,
    region: str | None,
) -> None:
    html, word = render_report(
        result, tmp_path, lang=lang, formats=["html", "docx"], product=product, region=region
    )
    parser = _Text()
    parser.feed(html.read_text(encoding="utf-8"))
    for name, text in (("html", "\n".join(parser.parts)), ("docx", _docx_text(word))):
        printed = _tokens(text)
        assert len(printed) >= (3 if product in ("guide", "easyread") else 20), name
        unknown = sorted(printed - allowed)
        assert not unknown, f"{product} {region or ''} {lang} {name}: {unknown}"


def test_the_number_check_finds_a_number_that_is_not_in_the_result(
    result: EvaluationResult, allowed: set[str]
) -> None:
    from mentorwijs.reports.document import build_factsheet
    from mentorwijs.reports.render import render_html

    doc = build_factsheet(result, "nl")
    doc.sections[0].blocks.append("De training werkt 7.319 keer zo goed.")  # typed, not a result
    parser = _Text()
    parser.feed(render_html(doc))
    assert sorted(_tokens("\n".join(parser.parts)) - allowed) == ["7.319"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_all_products_build_in_both_languages_in_every_format(
    result: EvaluationResult, tmp_path: Path, lang: str
) -> None:
    from mentorwijs.reports import PRODUCTS, file_stem

    for product in PRODUCTS:
        paths = render_report(
            result, tmp_path, lang=lang, formats=["html", "pdf", "docx"], product=product
        )
        stem = file_stem(product, lang)
        assert [p.name for p in paths] == [f"{stem}.{f}" for f in ("html", "pdf", "docx")]
        html, pdf, word = paths
        assert f'<html lang="{lang}">' in html.read_text(encoding="utf-8")
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert all(" yes " in ln for ln in fonts.splitlines()[2:] if ln.strip()), fonts
        document = docx.Document(word)
        assert document.core_properties.language == ("nl-NL" if lang == "nl" else "en-GB")
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert len(headings) >= 3, (product, headings)
        # the same words in the HTML and the Word file
        parser = _Text()
        parser.feed(html.read_text(encoding="utf-8"))
        assert all(h in "".join(parser.parts) for h in headings)


def test_a_regional_factsheet_warns_when_the_regions_own_design_test_fails(
    result: EvaluationResult, tmp_path: Path
) -> None:
    tables = {name: df.copy() for name, df in result.tables.items()}
    es = tables["region_event_study"]
    assert (es.loc[es["region_id"] == "R11", "pretrend_p"] >= 0.05).all()
    [fine] = render_report(
        result, tmp_path, lang="en", formats=["html"], product="factsheet", region="R11"
    )
    assert "Caution: the trends before the start differ" not in fine.read_text("utf-8")
    es.loc[es["region_id"] == "R11", "pretrend_p"] = 0.012
    failing = EvaluationResult(tables=tables, metadata=result.metadata)
    [html] = render_report(
        failing, tmp_path / "f", lang="en", formats=["html"], product="factsheet", region="R11"
    )
    placebo = es.loc[es["region_id"] == "R11", "placebo_p"].iloc[0]
    assert (
        f"Caution: the trends before the start differ (p = 0.012) or the placebo test six "
        f"months before the start finds an effect (p = {placebo:.3f})."
    ) in html.read_text("utf-8")
