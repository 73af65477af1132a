"""The report: built in both languages from one result, numbers equal to the result."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import Tables
from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import render_report


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_it_writes_html_and_pdf_in_both_languages(
    result: EvaluationResult, tmp_path: Path, lang: str
) -> None:
    paths = render_report(result, tmp_path, lang=lang)
    names = {p.name for p in paths}
    stem = "eindrapportage" if lang == "nl" else "final-report"
    assert names == {f"{stem}.html", f"{stem}.pdf"}
    html = (tmp_path / f"{stem}.html").read_text()
    assert f'<html lang="{lang}">' in html
    assert ("Deelname per meting" if lang == "nl" else "Participation per wave") in html
    assert (tmp_path / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_every_flow_number_in_the_html_equals_the_result(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html_path, _] = render_report(result, tmp_path, lang="en")
    parser = Tables()
    parser.feed(html_path.read_text())
    flow_table = parser.tables[0]
    assert flow_table[0] == ["Wave", "Invited", "Completed", "Response", "Retained from T0"]
    flow = result.tables["flow_supervisors"]
    for row, (_, expected) in zip(flow_table[1:], flow.iterrows(), strict=True):
        assert row[0] == expected["wave"]
        assert row[1] == f"{int(expected['invited']):,}"
        assert row[2] == f"{int(expected['completed']):,}"
        assert row[3] == f"{round(100 * expected['response_rate'])}%"
        assert row[4] == f"{round(100 * expected['retention'])}%"


def test_the_summary_says_the_result_in_words(result: EvaluationResult, tmp_path: Path) -> None:
    [html_path] = render_report(result, tmp_path, lang="nl", formats=["html"])
    html = html_path.read_text()
    flow = result.tables["flow_supervisors"]
    expected = (
        f"Van de {int(flow.loc[0, 'invited'])} uitgenodigde leidinggevenden vulden er "
        f"{int(flow.loc[0, 'completed'])} de eerste vragenlijst in (T0, "
        f"{round(100 * flow.loc[0, 'response_rate'])}%)."
    )
    assert expected in html


def test_suppressed_cells_print_as_less_than_ten(result: EvaluationResult, tmp_path: Path) -> None:
    [html_path] = render_report(result, tmp_path, formats=["html"])
    parser = Tables()
    parser.feed(html_path.read_text())
    groups = parser.tables[2]
    suppressed = result.tables["response_by_group"]
    n_hidden = int(
        suppressed[(suppressed["level"] == "group") & (suppressed["wave"] == "T0")][
            "suppressed"
        ].sum()
    )
    assert sum(1 for row in groups[1:] if row[2] == "<10") == n_hidden
    assert n_hidden > 0


def test_the_pdf_has_the_content_and_embedded_fonts(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [pdf] = render_report(result, tmp_path, lang="nl", formats=["pdf"])
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Eindrapportage Mentorwijs" in text
    assert "Inhoud" in text
    assert re.search(r"Figuur 1", text)
    assert re.search(r"Tabel 1", text)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    lines = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
    assert lines, "no fonts listed"
    assert all(" yes " in ln for ln in lines), fonts  # every font embedded


def test_the_same_result_gives_the_same_pdf(result: EvaluationResult, tmp_path: Path) -> None:
    a = render_report(result, tmp_path / "a", formats=["pdf"])[0].read_bytes()
    b = render_report(result, tmp_path / "b", formats=["pdf"])[0].read_bytes()
    assert a == b


def test_an_unknown_format_is_refused(result: EvaluationResult, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_report(result, tmp_path, formats=["odt"])


def test_a_result_reads_back_identically(result: EvaluationResult, tmp_path: Path) -> None:
    result.save(tmp_path / "r")
    again = EvaluationResult.load(tmp_path / "r")
    assert again.metadata == result.metadata
    for name, table in result.tables.items():
        assert again.tables[name].equals(table), name


class Captions(Tables):
    """Like Tables, but keeps the caption as the first row of each table."""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "caption":
            self.tables[-1].append([])
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        super().handle_endtag(tag)


def test_every_supervisor_change_number_in_the_html_equals_the_result(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html_path] = render_report(result, tmp_path, lang="en", formats=["html"])
    parser = Captions()
    parser.feed(html_path.read_text())
    [table] = [tb for tb in parser.tables if "Change from T0 per scale and wave" in tb[0][0]]
    header, *rows = table[1:]
    assert header == ["Scale", "Wave", "Change (95% CI)", "Effect size", "p", "n"]
    change = result.tables["supervisor_change"]
    assert len(rows) == len(change)
    for row, (_, exp) in zip(rows, change.iterrows(), strict=True):
        assert row[1] == exp["wave"]
        est = f"{exp['estimate']:+.2f}".replace("-", "−")
        if round(exp["estimate"], 2) == 0:
            est = "0.00"
        low = f"{exp['ci_low']:.2f}".replace("-", "−")
        high = f"{exp['ci_high']:.2f}".replace("-", "−")
        assert row[2] == f"{est} ({low} to {high})"
        assert row[5] == str(int(exp["n_wave"]))


def test_the_change_sentences_follow_the_interval_rule() -> None:
    from mentorwijs.reports.texts import change_sentence

    up = {"wave": "T1", "estimate": 0.48, "ci_low": 0.38, "ci_high": 0.57}
    flat = {"wave": "T3", "estimate": -0.02, "ci_low": -0.11, "ci_high": 0.07}
    down = {"wave": "T2", "estimate": -0.14, "ci_low": -0.23, "ci_high": -0.05}
    hidden = {"wave": "T2", "estimate": float("nan"), "ci_low": float("nan"), "ci_high": 0.1}
    assert change_sentence("Kennis", up, "nl") == (
        "Kennis op T1: significant hoger dan op T0 (+0,48; 95%-BI 0,38 tot 0,57)."
    )
    assert change_sentence("Intention", flat, "en") == (
        "Intention at T3: no evidence of a difference from T0 (−0.02; 95% CI −0.11 to 0.07)."
    )
    assert "significantly lower than at T0" in change_sentence("Behaviour", down, "en")
    assert (
        change_sentence("Kennis", hidden, "nl")
        == "Kennis (T2): te weinig personen om te rapporteren."
    )


def _euro_en(x: float) -> str:
    return ("−" if x < 0 else "") + f"€{abs(x):,.0f}"


def test_every_cost_benefit_number_in_the_html_equals_the_result(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html_path] = render_report(result, tmp_path, lang="en", formats=["html"])
    parser = Captions()
    parser.feed(html_path.read_text())
    [table] = [tb for tb in parser.tables if "per perspective (euro)" in tb[0][0]]
    header, *rows = table[1:]
    assert header[:4] == ["Perspective", "Costs", "Benefits", "Net present value"]
    summary = result.tables["cb_summary"]
    base = summary[summary["base_rate"]].set_index("view")
    names = {
        "Public budget": "public_budget",
        "Municipality": "municipality",
        "Society (MKBA)": "mkba",
    }
    assert [r[0] for r in rows] == list(names)
    for row in rows:
        exp = base.loc[names[row[0]]]
        assert row[1] == _euro_en(exp["pv_costs"])
        assert row[2] == _euro_en(exp["pv_effects"])
        assert row[3] == _euro_en(exp["npv"])
        assert row[4] == f"{exp['bcr']:.2f}"


def test_the_employment_text_follows_the_estimates(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html_path] = render_report(result, tmp_path, lang="en", formats=["html"])
    html = html_path.read_text()
    es = result.tables["event_study"]
    row = es[(es["outcome"] == "employed_1h") & (es["event_month"] == 6)].iloc[0]
    est = round(100 * row["estimate"])
    low, high = round(100 * row["ci_low"]), round(100 * row["ci_high"])
    numbers = f"({est:+d} percentage points; 95% CI {low} to {high})".replace("-", "−")
    if est == 0:
        numbers = numbers.replace("+0", "0")
    if row["ci_low"] > 0:
        expected = "In month 6 after the start the share of employees in work was significantly"
    else:
        expected = "In month 6 after the start there is no evidence of a difference"
    assert expected in html
    assert numbers in html


# --- limitations, generated from the result


def _with(result: EvaluationResult, **tables: object) -> EvaluationResult:
    """A copy of ``result`` with some tables replaced (functions of the old table)."""
    new = {name: df.copy() for name, df in result.tables.items()}
    for name, change in tables.items():
        new[name] = change(new[name])  # type: ignore[operator]
    return EvaluationResult(tables=new, diagnostics=result.diagnostics, metadata=result.metadata)


def test_the_limitations_section_says_what_the_result_shows(
    result: EvaluationResult, tmp_path: Path
) -> None:
    [html_path] = render_report(result, tmp_path, lang="en", formats=["html"])
    html = html_path.read_text()
    assert '<h2 id="s' in html
    assert ">Limitations</h2>" in html
    es = result.tables["event_study"].query("outcome == 'employed_1h' and event_month == 12")
    row = es.iloc[0]
    assert row["n_treated"] < 100  # the study-sized simulation is small, as the study was
    low, high = round(100 * row["ci_low"]), round(100 * row["ci_high"])
    expected = (
        f"The effect on work rests on {int(row['n_treated'])} employees. So the intervals are "
        f"wide (in month 12: {low} to {high} percentage points)"
    ).replace("-", "−")
    assert expected in html
    rel = result.tables["reliability"]
    low_alpha = rel[rel["alpha"] < 0.7]
    assert len(low_alpha) > 0
    for r in low_alpha.itertuples():
        assert f"({r.wave}, α = {r.alpha:.2f})" in html
    assert html.count("α = ") == len(low_alpha)
    assert "The design is not randomised" in html


def test_each_limitation_rule_speaks_only_when_its_condition_holds(
    result: EvaluationResult,
) -> None:
    from mentorwijs.reports.sections import limitations as lim

    def retention(value: float):
        def change(df):
            df.loc[df.index[-1], "retention"] = value
            return df

        return change

    def failed_placebo(df):
        df.loc[(df["outcome"] == "on_benefit") & (df["test"] == "placebo 6 months"), "p_val_f"] = (
            0.012
        )
        return df

    def ceiling(df):
        df["ceiling_share"] = 0.05
        df.loc[(df["scale"] == "behaviour") & (df["wave"] == "T0"), "ceiling_share"] = 0.31
        return df

    def no_ceiling(df):
        df["ceiling_share"] = 0.149
        return df

    def balanced(df):
        df["smd_after"] = 0.05
        return df

    def unbalanced(df):
        df = balanced(df)
        first = df.index[df["matched_on"].astype(bool) & ~df["suppressed"].astype(bool)][0]
        df.loc[first, "smd_after"] = -0.23
        return df

    def not_converged(df):
        df.loc[df["scale"] == "intention", "converged"] = False
        return df

    def few(df):
        df.loc[0, "completed"] = 42.0
        return df

    assert lim.attrition(_with(result, flow_supervisors=retention(0.91)), "en") is None
    text = lim.attrition(_with(result, flow_supervisors=retention(0.5)), "en")
    assert text.startswith("Of the supervisors who completed T0, 50% also completed T3.")
    assert lim.design_tests(result, "en") is None
    assert lim.design_tests(_with(result, did_tests=failed_placebo), "nl") == (
        "Een toets van de opzet wijst op een verschil vóór de start: placebotoets, Uitkering "
        "(p = 0,012). De effecten op die uitkomsten kunnen vertekend zijn."
    )
    assert lim.ceiling(_with(result, reliability=no_ceiling), "en") is None
    assert lim.ceiling(_with(result, reliability=ceiling), "en") == (
        "Many scores at the highest value at the start (ceiling), so little room to improve: "
        "Applied behaviour (31%)."
    )
    assert lim.balance(_with(result, balance=balanced), "en") is None
    assert lim.balance(_with(result, balance=unbalanced), "en").startswith(
        "After matching, one characteristic is still out of balance"
    )
    assert lim.balance(_with(result, balance=unbalanced), "en").endswith("(−0.23).")
    assert lim.convergence(result, "en") is None
    assert "Intention" in lim.convergence(_with(result, supervisor_change=not_converged), "en")
    assert lim.small_supervisor_sample(result, "en") is None
    assert lim.small_supervisor_sample(_with(result, flow_supervisors=few), "en").startswith(
        "Only 42 supervisors completed the first questionnaire (T0)"
    )
    assert lim.skipped(result, "en") is None
    skipping = EvaluationResult(
        tables=result.tables,
        diagnostics={"skipped": {"supervisor outcomes": "no follow-up wave yet"}},
        metadata=result.metadata,
    )
    assert lim.skipped(skipping, "en") == (
        "Not run (the reason is given under Methods): supervisor outcomes."
    )


def test_a_national_report_lists_regions_and_modes_instead_of_a_thousand_groups(
    result: EvaluationResult, tmp_path: Path
) -> None:
    import pandas as pd

    def many_groups(df):
        groups = df[df["level"] == "group"]
        copies = [groups.assign(unit=groups["unit"] + f"-{i}") for i in range(3)]
        return pd.concat([df, *copies], ignore_index=True)

    big = _with(result, response_by_group=many_groups)
    [html_path] = render_report(big, tmp_path, lang="en", formats=["html"])
    parser = Tables()
    parser.feed(html_path.read_text())
    levels = {row[0] for row in parser.tables[2][1:]}
    assert levels == {"region", "mode"}
    n = big.tables["response_by_group"].query("level == 'group'")["unit"].nunique()
    assert f"With {n} training groups the response per group is not listed here" in (
        html_path.read_text()
    )
