"""Exports of the answers: CSV, SPSS and Stata read back with pyreadstat keep their labels.

A small protocol written for these tests holds every kind of item (a closed item with a
question too long for Stata and SPSS, a reverse-coded one, a multi-select with a negative
value, a date, numbers, texts, a note, an item code shared by two instruments, a code that
Stata reserves and one too long for a name). Its package is built by hand, so every expected
value below is read off the rows in ``_package``.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner

from conftest import Tables
from mentorwijs.cli import main
from mentorwijs.protocol import Protocol
from mentorwijs.studydata import (
    NoAnswersError,
    StudyPackage,
    UnexportableAnswerError,
    UnknownExportFormatError,
    answers_export,
    answers_table,
    coerce_table,
)
from mentorwijs.studydata.answer_variables import (
    SPSS_RESERVED,
    STATA_RESERVED,
    file_label,
    unique_name,
)

LONG_NL = (
    "Als u terugdenkt aan de afgelopen maanden, in hoeverre bent u het eens met de stelling "
    "dat u als leidinggevende goed weet welke aanpassingen van het werk, de werkplek en de "
    "werktijden mogelijk zijn voor een medewerker met een arbeidsbeperking, en dat u weet bij "
    "welke instanties van de gemeente en het UWV u daarvoor terecht kunt wanneer dat nodig is?"
)
LONG_EN = (
    "Thinking back over the past months, how far do you agree that as a supervisor you know "
    "well which adjustments of the work, the workplace and the working hours are possible for "
    "an employee with a work disability, and which offices of the municipality and the UWV "
    "you can turn to for them when needed?"
)
LONG_CODE = "a_very_long_item_code_that_no_stata_name_can_hold"


def _text(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _options(*options: tuple[int, str, str]) -> dict:
    return {"options": [{"value": v, "label": _text(nl, en)} for v, nl, en in options]}


PROTOCOL = {
    "version": "test.1",
    "waves": {
        "T0": {"label": _text("Start", "Start"), "roles": ["supervisor", "employee"],
               "anchor": "meeting_1"},
        "T1": {"label": _text("Einde", "End"), "roles": ["supervisor"], "anchor": "meeting_5"},
    },
    "answer_scales": {
        "agree3": _options((1, "Oneens", "Disagree"), (2, "Neutraal", "Neutral"),
                           (3, "Eens", "Agree")),
        "aids": _options((-1, "Weet ik niet", "Do not know"), (1, "Jobcoach", "Job coach"),
                         (2, "Aangepaste werkplek", "Adapted workplace"),
                         (3, "Loonkostensubsidie", "Wage subsidy")),
    },
    "instruments": {
        "sv": {
            "label": _text("Leidinggevenden", "Supervisors"),
            "role": "supervisor",
            "waves": ["T0", "T1"],
            "items": [
                {"code": "intro", "type": "note", "text": _text("Welkom.", "Welcome.")},
                {"code": "q1", "answer_scale": "agree3", "text": _text(LONG_NL, LONG_EN),
                 "easy": _text("Weet u hoe u het werk kunt aanpassen?",
                               "Do you know how to adjust the work?")},
                {"code": "q2", "answer_scale": "agree3", "reverse": True,
                 "text": _text("Ik twijfel vaak.", "I often doubt.")},
                {"code": "aids", "answer_scale": "aids", "multiple": True,
                 "text": _text("Welke hulp gebruikt u?", "Which help do you use?")},
                {"code": "start", "type": "date", "required": False,
                 "text": _text("Sinds wanneer?", "Since when?")},
                {"code": "hours", "type": "number", "minimum": 0, "maximum": 40,
                 "show_if": "q2 = 3", "text": _text("Hoeveel uur?", "How many hours?")},
                {"code": "count", "type": "integer", "minimum": 0, "maximum": 9,
                 "text": _text("Hoeveel medewerkers?", "How many employees?")},
                {"code": "remarks", "type": "long_text", "required": False,
                 "text": _text("Opmerkingen", "Remarks")},
                {"code": "in", "answer_scale": "agree3", "text": _text("Binnen?", "Inside?")},
                {"code": LONG_CODE, "answer_scale": "agree3", "text": _text("Lang", "Long")},
            ],
            "scales": [{"code": "know", "label": _text("Kennis", "Knowledge"),
                        "items": ["q1", "q2"], "min_items": 2}],
        },
        "em": {
            "label": _text("Medewerkers", "Employees"),
            "role": "employee",
            "waves": ["T0"],
            "items": [{"code": "q1", "answer_scale": "agree3",
                       "text": _text("Ik werk graag.", "I like working.")}],
        },
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def protocol():
    return Protocol.model_validate(PROTOCOL)


def _t(s: str | None) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC") if s else pd.NaT


def _package(extra: list[tuple] | None = None) -> StudyPackage:
    """S1 answers T0 fully and T1 in part; S2 skips things at T0 and is invited to T1 only;
    E1 answers the employee questionnaire; S3 answers and is excluded in some tests."""
    invitations = [
        ("S1", "supervisor", "T0", "2019-02-26T20:13:05Z"),
        ("S1", "supervisor", "T1", None),
        ("S2", "supervisor", "T0", "2019-02-27T08:00:00Z"),
        ("S2", "supervisor", "T1", None),
        ("E1", "employee", "T0", "2019-02-28T10:00:00Z"),
        ("S3", "supervisor", "T0", "2019-03-01T10:00:00Z"),
    ]
    V, T = "value", "text"  # noqa: N806
    answers = [
        ("S1", "supervisor", "T0", "sv", "q1", V, 3.0),
        ("S1", "supervisor", "T0", "sv", "q2", V, 1.0),
        ("S1", "supervisor", "T0", "sv", "aids", T, "-1;3"),
        ("S1", "supervisor", "T0", "sv", "start", T, "2018-09-01"),
        ("S1", "supervisor", "T0", "sv", "count", V, 4.0),
        ("S1", "supervisor", "T0", "sv", "remarks", T, "Goed, maar te kort: 'meer' graag"),
        ("S1", "supervisor", "T0", "sv", "in", V, 2.0),
        ("S1", "supervisor", "T0", "sv", LONG_CODE, V, 1.0),
        ("S1", "supervisor", "T1", "sv", "q1", V, 2.0),
        ("S2", "supervisor", "T0", "sv", "q2", V, 3.0),
        ("S2", "supervisor", "T0", "sv", "hours", V, 2.5),
        ("S2", "supervisor", "T0", "sv", "aids", T, None),
        ("S2", "supervisor", "T0", "sv", "count", V, 0.0),
        ("E1", "employee", "T0", "em", "q1", V, 1.0),
        ("S3", "supervisor", "T0", "sv", "q1", V, 2.0),
        *(extra or []),
    ]
    inv = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in invitations],
            "role": [r[1] for r in invitations],
            "wave": [r[2] for r in invitations],
            "invited_at": [_t("2019-02-25T09:00:00Z")] * len(invitations),
            "reminders": [0] * len(invitations),
            "reminded_at": [pd.NaT] * len(invitations),
            "completed_at": [_t(r[3]) for r in invitations],
        }
    )
    resp = pd.DataFrame(
        {
            "respondent_id": [a[0] for a in answers],
            "role": [a[1] for a in answers],
            "wave": [a[2] for a in answers],
            "instrument": [a[3] for a in answers],
            "item": [a[4] for a in answers],
            "value": [a[6] if a[5] == "value" else np.nan for a in answers],
            "text": [a[6] if a[5] == "text" else None for a in answers],
            "submitted_at": [_t("2019-02-26T20:13:05Z")] * len(answers),
        }
    )
    return StudyPackage(
        tables={
            "invitations": coerce_table("invitations", inv),
            "responses": coerce_table("responses", resp),
        },
        meta={},
    )


def _export(tmp_path: Path, protocol, fmt: str, *, wide: bool = False, lang: str = "nl"):
    paths = answers_export(
        _package(), tmp_path / "out", fmt=fmt, wide=wide, lang=lang, protocol=protocol
    )
    return paths


def _read(path: Path):
    if path.suffix == ".sav":
        return pyreadstat.read_sav(str(path))
    if path.suffix == ".dta":
        return pyreadstat.read_dta(str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False), None


# --- shapes and values ----------------------------------------------------------------------


def test_long_has_one_row_per_respondent_and_wave_supervisors_first(protocol) -> None:
    table = answers_table(_package(), protocol=protocol)
    keys = list(table.data[["role", "respondent_id", "wave"]].itertuples(index=False, name=None))
    assert keys == [
        ("supervisor", "S1", "T0"),
        ("supervisor", "S1", "T1"),
        ("supervisor", "S2", "T0"),
        ("supervisor", "S2", "T1"),
        ("supervisor", "S3", "T0"),
        ("employee", "E1", "T0"),
    ]
    names = [v.name for v in table.variables]
    assert names[:4] == ["role", "respondent_id", "wave", "completed_at"]
    assert "intro" not in names  # a note has no answer
    # q1 is in both instruments, so each gets its instrument in front.
    assert {"sv_q1", "em_q1", "know_score"} <= set(names)
    assert [n for n in names if n.startswith("aids_")] == ["aids_m1", "aids_1", "aids_2", "aids_3"]


def test_wide_has_one_row_per_respondent_and_item_wave_names(protocol) -> None:
    table = answers_table(_package(), protocol=protocol, wide=True)
    assert list(zip(table.data["role"], table.data["respondent_id"], strict=True)) == [
        ("supervisor", "S1"),
        ("supervisor", "S2"),
        ("supervisor", "S3"),
        ("employee", "E1"),
    ]
    names = [v.name for v in table.variables]
    assert names[:3] == ["role", "respondent_id", "completed_at_T0"]
    assert {"sv_q1_T0", "sv_q1_T1", "em_q1_T0", "aids_m1_T1", "know_score_T1"} <= set(names)
    assert "em_q1_T1" not in names  # the employee questionnaire is given at T0 only
    row = table.data.set_index("respondent_id")
    assert row.loc["S1", "sv_q1_T0"] == 3.0
    assert row.loc["S1", "sv_q1_T1"] == 2.0
    assert row.loc["E1", "em_q1_T0"] == 1.0
    assert np.isnan(row.loc["E1", "sv_q1_T0"])


def test_missing_answers_stay_missing_and_never_become_zero(protocol) -> None:
    data = answers_table(_package(), protocol=protocol).data
    s2 = data[(data["respondent_id"] == "S2") & (data["wave"] == "T0")].iloc[0]
    assert np.isnan(s2["sv_q1"])  # skipped: no row
    assert s2["count"] == 0.0  # a real zero stays zero
    for option in ("aids_m1", "aids_1", "aids_2", "aids_3"):
        assert np.isnan(s2[option])  # the multi-select was not answered
    s2_t1 = data[(data["respondent_id"] == "S2") & (data["wave"] == "T1")].iloc[0]
    assert pd.isna(s2_t1["completed_at"])
    assert s2_t1[["sv_q1", "q2", "count", "hours"]].isna().all()
    assert s2_t1["remarks"] is None


def test_multi_select_becomes_one_0_1_variable_per_option(protocol) -> None:
    data = answers_table(_package(), protocol=protocol).data
    s1 = data[(data["respondent_id"] == "S1") & (data["wave"] == "T0")].iloc[0]
    # S1 chose "-1;3": do not know and wage subsidy.
    assert (s1["aids_m1"], s1["aids_1"], s1["aids_2"], s1["aids_3"]) == (1.0, 0.0, 0.0, 1.0)


def test_scale_score_reverse_codes_and_needs_min_items(protocol) -> None:
    data = answers_table(_package(), protocol=protocol).data.set_index(["respondent_id", "wave"])
    # S1 at T0: q1 = 3, q2 = 1 reversed on 1..3 to 3; mean 3.0.
    assert data.loc[("S1", "T0"), "know_score"] == 3.0
    # S1 at T1 answered only q1 (min_items 2): no score.
    assert np.isnan(data.loc[("S1", "T1"), "know_score"])


def test_dates_times_and_texts_keep_their_kind(protocol) -> None:
    data = answers_table(_package(), protocol=protocol).data.set_index(["respondent_id", "wave"])
    assert data.loc[("S1", "T0"), "start"] == pd.Timestamp("2018-09-01")
    assert data.loc[("S1", "T0"), "completed_at"] == pd.Timestamp("2019-02-26T20:13:05Z")
    assert data.loc[("S1", "T0"), "remarks"] == "Goed, maar te kort: 'meer' graag"
    assert data.loc[("S2", "T0"), "hours"] == 2.5


def test_names_fit_stata_and_spss(protocol) -> None:
    for wide in (False, True):
        names = [v.name for v in answers_table(_package(), protocol=protocol, wide=wide).variables]
        assert all(len(n) <= 28 for n in names)  # 32 for Stata, less 4 for label names
        assert not any(n in STATA_RESERVED or n.lower() in SPSS_RESERVED for n in names)
        assert len({n.lower() for n in names}) == len(names)
    long = [v.name for v in answers_table(_package(), protocol=protocol).variables]
    assert "in" not in long
    assert "in2" in long
    assert LONG_CODE[:28] in long
    wide = [v.name for v in answers_table(_package(), protocol=protocol, wide=True).variables]
    assert LONG_CODE[:25] + "_T0" in wide
    assert "in_T0" in wide


def test_a_name_starts_with_a_letter_and_holds_no_other_characters() -> None:
    taken: set[str] = set()
    assert unique_name("2nd-scale_score", "_T0", taken) == "v2nd_scale_score_T0"
    assert unique_name("By", "", taken) == "By2"  # SPSS reserves BY in any case
    assert unique_name("v2nd_scale_score", "_t0", taken) == "v2nd_scale_score2_t0"


# --- the files, read back -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_spss_file_keeps_variable_and_value_labels(tmp_path: Path, protocol, lang: str) -> None:
    data_path = _export(tmp_path, protocol, "sav", lang=lang)[0]
    df, meta = _read(data_path)
    labels = meta.column_names_to_labels
    expected_q = LONG_EN if lang == "en" else LONG_NL
    assert len(expected_q.encode()) > 256
    assert labels["sv_q1"].endswith("…")
    assert len(labels["sv_q1"].encode()) <= 256
    assert expected_q.startswith(labels["sv_q1"][:-1])
    assert labels["q2"] == ("I often doubt." if lang == "en" else "Ik twijfel vaak.")
    assert labels["aids_3"] == (
        "Which help do you use? [Wage subsidy]"
        if lang == "en"
        else "Welke hulp gebruikt u? [Loonkostensubsidie]"
    )
    scale = (
        {1.0: "Disagree", 2.0: "Neutral", 3.0: "Agree"}
        if lang == "en"
        else {1.0: "Oneens", 2.0: "Neutraal", 3.0: "Eens"}
    )
    assert meta.variable_value_labels["q2"] == scale
    assert meta.variable_value_labels["aids_1"] == (
        {0.0: "not chosen", 1.0: "chosen"}
        if lang == "en"
        else {0.0: "niet gekozen", 1.0: "gekozen"}
    )
    assert meta.original_variable_types["start"] == "DATE11"
    assert meta.original_variable_types["completed_at"] == "DATETIME20"
    s1 = df[(df["respondent_id"] == "S1") & (df["wave"] == "T0")].iloc[0]
    assert s1["completed_at"] == pd.Timestamp("2019-02-26 20:13:05")
    assert str(s1["start"]) == "2018-09-01"
    s2 = df[(df["respondent_id"] == "S2") & (df["wave"] == "T0")].iloc[0]
    assert np.isnan(s2["sv_q1"])
    assert np.isnan(s2["aids_2"])
    assert s2["count"] == 0.0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_stata_file_keeps_labels_within_80_characters(tmp_path: Path, protocol, lang) -> None:
    data_path = _export(tmp_path, protocol, "dta", wide=True, lang=lang)[0]
    df, meta = _read(data_path)
    labels = meta.column_names_to_labels
    assert all(len(text) <= 80 for text in labels.values())
    assert labels["sv_q1_T1"].startswith("T1: ")
    assert labels["sv_q1_T1"].endswith("…")
    long_q = LONG_EN if lang == "en" else LONG_NL
    assert long_q.startswith(labels["sv_q1_T1"][4:-1])
    option = "[Do not know]" if lang == "en" else "[Weet ik niet]"
    assert labels["aids_m1_T0"].startswith("T0: ")
    assert labels["aids_m1_T0"].endswith(option)
    assert meta.variable_value_labels["q2_T0"] == (
        {1: "Disagree", 2: "Neutral", 3: "Agree"}
        if lang == "en"
        else {1: "Oneens", 2: "Neutraal", 3: "Eens"}
    )
    assert meta.original_variable_types["start_T0"] == "%td"
    row = df.set_index("respondent_id")
    assert row.loc["S1", "aids_m1_T0"] == 1.0
    assert row.loc["S1", "aids_1_T0"] == 0.0
    assert np.isnan(row.loc["S2", "aids_m1_T0"])
    assert np.isnan(row.loc["E1", "sv_q1_T0"])  # missing, not 0
    assert row.loc["S1", "remarks_T0"] == "Goed, maar te kort: 'meer' graag"
    assert row.loc["S2", "remarks_T0"] == ""  # Stata has no missing text


def test_csv_holds_codes_and_leaves_missing_empty(tmp_path: Path, protocol) -> None:
    df, _ = _read(_export(tmp_path, protocol, "csv")[0])
    s1 = df[(df["respondent_id"] == "S1") & (df["wave"] == "T0")].iloc[0]
    assert s1["completed_at"] == "2019-02-26T20:13:05Z"
    assert s1["start"] == "2018-09-01"
    assert (s1["sv_q1"], s1["aids_3"], s1["know_score"]) == ("3", "1", "3")
    s2 = df[(df["respondent_id"] == "S2") & (df["wave"] == "T0")].iloc[0]
    assert (s2["sv_q1"], s2["aids_3"], s2["count"], s2["hours"]) == ("", "", "0", "2.5")


# --- the codebook ---------------------------------------------------------------------------


def test_codebook_csv_describes_every_variable_in_both_languages(tmp_path: Path, protocol) -> None:
    paths = _export(tmp_path, protocol, "dta")
    data, _ = _read(paths[0])
    book = pd.read_csv(paths[2], dtype=str, keep_default_na=False).set_index("name")
    assert list(book.index) == list(data.columns)
    q1 = book.loc["sv_q1"]
    assert (q1["question_nl"], q1["question_en"]) == (LONG_NL, LONG_EN)
    assert q1["label"] == file_label(
        next(
            v for v in answers_table(_package(), protocol=protocol).variables if v.name == "sv_q1"
        ),
        "dta",
        "nl",
    )
    assert q1["easy_read_nl"] == "Weet u hoe u het werk kunt aanpassen?"
    assert q1["value_labels_nl"] == "1 = Oneens; 2 = Neutraal; 3 = Eens"
    assert q1["value_labels_en"] == "1 = Disagree; 2 = Neutral; 3 = Agree"
    assert (q1["waves"], q1["instrument"], q1["item"], q1["type"]) == (
        "T0 T1",
        "sv",
        "q1",
        "choice",
    )
    assert (q1["scales"], q1["reverse"]) == ("know", "false")
    assert (book.loc["q2", "scales"], book.loc["q2", "reverse"]) == ("know", "true")
    assert book.loc["hours", "show_if"] == "q2 = 3"
    assert (book.loc["count", "minimum"], book.loc["count", "maximum"]) == ("0", "9")
    assert book.loc["aids_m1", "option"] == "-1"
    assert book.loc["em_q1", "role"] == "employee"
    assert book.loc["em_q1", "waves"] == "T0"
    assert "Mean of q1, q2" in book.loc["know_score", "question_en"]
    assert "reverse-coded: q2" in book.loc["know_score", "question_en"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_codebook_html_is_self_contained_with_table_headers(tmp_path, protocol, lang) -> None:
    paths = _export(tmp_path, protocol, "sav", wide=True, lang=lang)
    html = paths[1].read_text("utf-8")
    assert f'<html lang="{lang}">' in html
    assert "<script" not in html
    assert "http" not in html
    assert "<link" not in html
    parser = Tables()
    parser.feed(html)
    [rows] = parser.tables
    header, body = rows[0], rows[1:]
    assert header[:4] == (
        ["Variable", "Label", "Question (Dutch)", "Question (English)"]
        if lang == "en"
        else ["Variabele", "Label", "Vraag (Nederlands)", "Vraag (Engels)"]
    )
    variables = answers_table(_package(), protocol=protocol, wide=True).variables
    assert [r[0] for r in body] == [v.name for v in variables]
    assert html.count('<th scope="col">') == len(header)
    assert html.count('<th scope="row">') == len(variables)
    assert "<caption" in html
    q1 = next(r for r in body if r[0] == "sv_q1_T0")
    assert LONG_NL in q1[2]
    assert LONG_EN in q1[3]
    assert ("Disagree" if lang == "en" else "Oneens") in q1[5]
    other = "en" if lang == "nl" else "nl"
    assert f'<td lang="{other}">' in html  # the other language's question is marked as such


# --- what is exported and what not ----------------------------------------------------------


def test_excluded_respondents_leave_no_trace_in_any_file(tmp_path: Path, protocol) -> None:
    package = _package()
    for fmt in ("csv", "sav", "dta"):
        for wide in (False, True):
            out = tmp_path / f"{fmt}-{wide}"
            answers_export(
                package, out, fmt=fmt, wide=wide, protocol=protocol,
                exclude={("supervisor", "S3")},
            )  # fmt: skip
            for path in out.iterdir():
                assert b"S3" not in path.read_bytes(), path.name
                assert b"S1" in path.read_bytes() or path.name.startswith("codebook")
    table = answers_table(package, protocol=protocol, exclude={("supervisor", "S3")})
    assert table.excluded == 1
    # An employee with the same pseudonym is another person: excluding it removes nothing.
    assert answers_table(package, protocol=protocol, exclude={("employee", "S3")}).excluded == 0


def test_exports_hold_nothing_but_pseudonyms_codes_numbers_and_text_answers(
    tmp_path: Path, protocol
) -> None:
    """Scan every cell of every file: the only identifier is the pseudonym."""
    package = _package()
    responses = package["responses"]
    allowed = (
        set(package["invitations"]["respondent_id"])
        | {"supervisor", "employee", "T0", "T1", ""}
        | set(responses.loc[responses["item"] == "remarks", "text"].dropna())
    )
    number = re.compile(r"^-?\d+(\.\d+)?$|^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$")
    for fmt in ("sav", "dta", "csv"):
        for wide in (False, True):
            path = answers_export(
                package, tmp_path / f"{fmt}{wide}", fmt=fmt, wide=wide, protocol=protocol
            )[0]
            df, _ = _read(path)
            table = answers_table(package, protocol=protocol, wide=wide)
            assert [v.name for v in table.variables if v.kind == "id"] == (
                ["role", "respondent_id"] if wide else ["role", "respondent_id", "wave"]
            )
            for column in df.columns:
                if df[column].dtype != object:
                    continue  # numbers, dates and times as such
                cells = {str(x) for x in df[column].dropna() if not isinstance(x, date)}
                odd = {c for c in cells if c not in allowed and not number.match(c)}
                assert not odd, f"{path.name}: {column} holds {odd}"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated study (seed 3) at the published study's size."""
    from mentorwijs.simulation import simulate_package

    return simulate_package(tmp_path_factory.mktemp("answers") / "sim", seed=3)


def test_scale_scores_equal_the_evaluations_own_scores(simulated: Path) -> None:
    """A second, independent implementation: mentorwijs.evaluation.scales.score_scales."""
    from mentorwijs.evaluation.scales import score_scales
    from mentorwijs.studydata import read_package

    package = read_package(simulated)
    data = answers_table(package).data
    for instrument, role in (("sv_outcomes", "supervisor"), ("em_questionnaire", "employee")):
        ref = score_scales(package["responses"], instrument=instrument)
        mine = data[data["role"] == role].melt(
            id_vars=["respondent_id", "wave"],
            value_vars=[f"{s}_score" for s in ref["scale"].unique()],
            var_name="scale",
            value_name="mine",
        )
        mine["scale"] = mine["scale"].str.removesuffix("_score")
        both = ref.merge(mine, on=["respondent_id", "wave", "scale"], how="left")
        assert len(both) == len(ref) > 100
        np.testing.assert_allclose(both["mine"], both["score"], rtol=0, atol=1e-12)


# --- bad input ------------------------------------------------------------------------------


def test_unknown_format_and_language_are_refused(tmp_path: Path, protocol) -> None:
    with pytest.raises(UnknownExportFormatError) as exc:
        answers_export(_package(), tmp_path / "out", fmt="xlsx", protocol=protocol)
    assert exc.value.message_nl == "onbekend formaat 'xlsx': kies uit csv, sav, dta"
    with pytest.raises(UnknownExportFormatError, match="label language 'de'"):
        answers_table(_package(), protocol=protocol, lang="de")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("row", "nl"),
    [
        (("S1", "supervisor", "T1", "sv", "aids", "text", "1;7"), "keuze '7' is geen optie"),
        (("S1", "supervisor", "T1", "sv", "start", "text", "1-9-2018"), "geen datum JJJJ-MM-DD"),
        (("S1", "supervisor", "T1", "sv", "nope", "value", 1.0), "het protocol heeft geen item"),
        (("S1", "supervisor", "T1", "sv", "intro", "value", 1.0), "het protocol heeft geen item"),
    ],
)
def test_an_answer_that_does_not_fit_the_protocol_writes_nothing(tmp_path, protocol, row, nl):
    with pytest.raises(UnexportableAnswerError) as exc:
        answers_export(_package([row]), tmp_path / "out", fmt="sav", protocol=protocol)
    assert nl in exc.value.message_nl
    assert f"supervisor S1, T1, sv.{row[4]}" in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_no_answers_is_an_error(tmp_path: Path, protocol) -> None:
    with pytest.raises(NoAnswersError):
        answers_export(
            _package(), tmp_path / "out", fmt="csv", protocol=protocol,
            exclude={("supervisor", s) for s in ("S1", "S2", "S3")} | {("employee", "E1")},
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_the_folder_as_it_was(
    tmp_path: Path, protocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorwijs.studydata import answers_files

    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    answers_export(_package(), out, fmt="csv", protocol=protocol)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(answers_files, "codebook_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        answers_export(_package(), out, fmt="csv", protocol=protocol, lang="en")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


# --- the command line -----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_exports_the_tiny_package(tiny_package: Path, tmp_path: Path) -> None:
    code, out = _run(
        "answers", "export", "--format", "sav", "--wide", "--package", str(tiny_package),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, out
    assert "2 rijen" in out
    df, meta = pyreadstat.read_sav(str(tmp_path / "out" / "answers-wide.sav"))
    assert list(df["respondent_id"]) == ["S1", "E1"]
    assert df.loc[0, "kn1_T0"] == 4.0
    assert df.loc[1, "work_ability_T0"] == 7.0
    assert meta.variable_value_labels["kn1_T0"][4.0] == "Eens"
    assert (tmp_path / "out" / "codebook-wide.html").is_file()


def test_cli_labels_in_english_and_says_so(tiny_package: Path, tmp_path: Path) -> None:
    code, out = _run(
        "answers", "export", "--format", "dta", "--lang", "en", "--package", str(tiny_package),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, out
    assert "3 rows and" in out
    _, meta = pyreadstat.read_dta(str(tmp_path / "out" / "answers-long.dta"))
    assert meta.variable_value_labels["kn1"][4] == "Agree"


def test_cli_refuses_an_unknown_format_with_exit_2(tiny_package: Path, tmp_path: Path) -> None:
    args = ["answers", "export", "--format", "xls", "--package", str(tiny_package)]
    code, out = _run(*args, "--out", str(tmp_path / "out"))
    assert code == 2
    assert "onbekend formaat 'xls': kies uit csv, sav, dta" in out
    code, out = _run("--lang", "en", *args, "--out", str(tmp_path / "out"))
    assert code == 2
    assert "unknown format 'xls': choose one of csv, sav, dta" in out
    assert "Traceback" not in out
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_folder_that_is_no_package(tmp_path: Path) -> None:
    code, out = _run(
        "answers", "export", "--format", "csv", "--package", str(tmp_path), "--out",
        str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 2
    assert "datapackage.json" in out
    assert not (tmp_path / "out").exists()


def test_cli_on_a_simulated_package_gives_every_invited_respondent(
    simulated: Path, tmp_path: Path
) -> None:
    pkg = simulated
    code, out = _run(
        "answers", "export", "--format", "dta", "--wide", "--package", str(pkg), "--out",
        str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, out
    df, meta = pyreadstat.read_dta(str(tmp_path / "out" / "answers-wide.dta"))
    invitations = pd.read_csv(pkg / "invitations.csv")
    assert len(df) == len(invitations[["role", "respondent_id"]].drop_duplicates())
    responses = pd.read_csv(pkg / "responses.csv")
    t3 = responses[(responses["wave"] == "T3") & (responses["item"] == "kn1")]
    assert df["kn1_T3"].notna().sum() == t3["value"].notna().sum()
    assert df["extra_hours_T1"].notna().sum() < df["extra_time_T1"].notna().sum()  # show_if
    assert meta.column_names_to_labels["sat_trainers_T1"] == (
        "T1: Hoe tevreden bent u over de trainers?"
    )


def test_cli_without_a_database_says_so_and_creates_none(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "MENTORWIJS_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "mentorwijs.cli", "answers", "export", "--format", "csv",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "geen database om uit te lezen" in result.stderr
    assert "--package" in result.stderr
    assert not (tmp_path / "data" / "mentorwijs.sqlite3").exists()
    assert not (tmp_path / "out").exists()


# --- from the site's database -----------------------------------------------------------------


@pytest.mark.django_db
def test_cli_reads_the_database_leaves_out_withdrawn_and_audits(
    tiny_package: Path, tmp_path: Path
) -> None:
    from auditlog.models import LogEntry

    from mentorwijs.web.study.services import package_load
    from mentorwijs.web.survey.consent import record_consent

    code, out = _run("answers", "export", "--format", "csv", "--out", str(tmp_path / "none"))
    assert code == 2
    assert "de database bevat nog geen studie" in out
    package_load(path=tiny_package)
    record_consent(
        role="supervisor", respondent_id="S1", purpose="questionnaire", given=False, version="1"
    )
    code, out = _run("answers", "export", "--format", "sav", "--out", str(tmp_path / "out"))
    assert code == 0, out
    df, _ = pyreadstat.read_sav(str(tmp_path / "out" / "answers-long.sav"))
    assert list(zip(df["role"], df["respondent_id"], strict=True)) == [("employee", "E1")]
    entry = LogEntry.objects.filter(additional_data__export="answers").get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor is None
    assert entry.additional_data == {
        "export": "answers", "format": "sav", "shape": "long", "lang": "nl", "rows": "1",
        "via": "command line",
    }  # fmt: skip


@pytest.fixture
def researcher_with_answers(db):
    from django.test import Client

    from mentorwijs.web.accounts.testing import verified_login
    from mentorwijs.web.registry.testing import world_build
    from mentorwijs.web.study.testing import answers_add

    world = world_build()
    answers_add()
    client = Client()
    verified_login(client, world.users["researcher"])
    return world, client


def test_site_download_is_a_zip_of_the_export_and_audited(
    researcher_with_answers, tmp_path: Path
) -> None:
    from auditlog.models import LogEntry

    from mentorwijs.web.registry.testing import IDENTITY_SECRETS, OWN_SECRETS

    world, client = researcher_with_answers
    page = client.get("/studie/antwoorden/")
    assert page.status_code == 200
    assert b'action="/studie/antwoorden/downloaden/"' in page.content
    assert b"/studie/antwoorden/" in client.get("/").content  # linked from the overview
    response = client.post(
        "/studie/antwoorden/downloaden/", {"fmt": "dta", "shape": "wide", "lang": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "mentorwijs-answers-wide-dta-en.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "answers-wide.dta", "codebook-wide.csv", "codebook-wide.html"
    ]  # fmt: skip
    files = {name: archive.read(name) for name in archive.namelist()}
    # Pseudonyms only: no name, address, e-mail, organisation, group or municipality.
    secrets = {*IDENTITY_SECRETS, *OWN_SECRETS} - {"S-ANNA", "E-EVA"}
    for name, content in files.items():
        leaked = [s for s in secrets if s.encode() in content]
        assert not leaked, f"{name} holds {leaked}"
    path = tmp_path / "answers-wide.dta"
    path.write_bytes(files["answers-wide.dta"])
    df, meta = pyreadstat.read_dta(str(path))
    assert list(df["respondent_id"]) == ["S-ANNA", "E-EVA"]
    assert list(df["kn1_T0"].fillna(-9)) == [4.0, -9]
    assert list(df["work_ability_T0"].fillna(-9)) == [-9, 7.0]
    assert meta.variable_value_labels["kn1_T0"][4] == "Agree"
    entry = LogEntry.objects.filter(additional_data__export="answers").get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == world.users["researcher"]
    assert entry.additional_data == {
        "export": "answers", "format": "dta", "shape": "wide", "lang": "en", "rows": "2",
        "via": "site",
    }  # fmt: skip
    trail = client.get("/registratie/logboek/").content.decode()
    assert "<td>geëxporteerd</td>" in trail  # the researcher sees it in the audit trail
    assert "<td>answers</td>" in trail


def test_site_download_without_answers_explains_why(db) -> None:
    from django.test import Client

    from mentorwijs.web.accounts.testing import verified_login
    from mentorwijs.web.registry.testing import world_build

    world = world_build()
    client = Client()
    verified_login(client, world.users["researcher"])
    response = client.post(
        "/studie/antwoorden/downloaden/", {"fmt": "sav", "shape": "long", "lang": "nl"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "de database bevat nog geen studie" in response.content.decode()


def test_site_download_refuses_an_unknown_format(researcher_with_answers) -> None:
    _, client = researcher_with_answers
    response = client.post(
        "/studie/antwoorden/downloaden/", {"fmt": "xlsx", "shape": "long", "lang": "nl"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'id="id_fmt_error"' in response.content.decode()
