"""The study data package: writing, reading and every kind of validation problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from conftest import TINY_META, tiny_tables
from mentorwijs.studydata import (
    TABLE_NAMES,
    InvalidStudyPackageError,
    read_package,
    validate_package,
    write_package,
)


def edit_csv(pkg: Path, table: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Rewrite one CSV of the package as text, the way a person with a spreadsheet would."""
    path = pkg / f"{table}.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(raw).to_csv(path, index=False, lineterminator="\n")


def codes(problems: list) -> set[str]:
    return {p.code for p in problems}


def test_it_round_trips_every_table(tiny_package: Path) -> None:
    package = read_package(tiny_package)
    for name, expected in tiny_tables().items():
        pdt.assert_frame_equal(package.tables[name], expected)
    assert package.meta == TINY_META
    assert set(package.tables) == set(TABLE_NAMES)


def test_it_round_trips_parquet_tables(tmp_path: Path) -> None:
    out = write_package(tmp_path, tiny_tables(), meta=TINY_META, parquet=["register_months"])
    assert (out / "register_months.parquet").is_file()
    pdt.assert_frame_equal(
        read_package(out).tables["register_months"], tiny_tables()["register_months"]
    )


def test_it_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    a = write_package(tmp_path / "a", tiny_tables(), meta=TINY_META, parquet=["register_months"])
    b = write_package(tmp_path / "b", tiny_tables(), meta=TINY_META, parquet=["register_months"])
    for file in a.iterdir():
        assert file.read_bytes() == (b / file.name).read_bytes(), file.name


def test_it_writes_a_frictionless_descriptor(tiny_package: Path) -> None:
    desc = json.loads((tiny_package / "datapackage.json").read_text())
    res = {r["name"]: r for r in desc["resources"]}
    assert res["attendance"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "meetings"
    assert res["supervisors"]["schema"]["primaryKey"] == ["supervisor_id"]
    assert res["supervisors"]["schema"]["missingValues"] == [""]
    assert desc["mentorwijs"]["extract_start"] == "2019-01"


def test_a_valid_package_has_no_problems(tiny_package: Path) -> None:
    assert validate_package(tiny_package) == []


def test_it_reports_a_folder_without_descriptor(tmp_path: Path) -> None:
    [p] = validate_package(tmp_path)
    assert p.code == "no_descriptor"
    assert "datapackage.json" in p.message_nl


def test_it_reports_a_missing_table(tiny_package: Path) -> None:
    (tiny_package / "supervisors.csv").unlink()
    problems = validate_package(tiny_package)
    [p] = [p for p in problems if p.code == "missing_table"]
    assert p.table == "supervisors"
    assert "supervisors.csv" in p.message_en


def test_an_optional_table_may_be_left_out(tiny_package: Path) -> None:
    (tiny_package / "interview_segments.csv").unlink()
    assert validate_package(tiny_package) == []
    assert read_package(tiny_package).tables["interview_segments"].empty


def test_it_reports_a_missing_and_an_unknown_column(tiny_package: Path) -> None:
    edit_csv(tiny_package, "supervisors", lambda d: d.rename(columns={"age": "leeftijd"}))
    problems = validate_package(tiny_package)
    found = {(p.code, p.table, p.column) for p in problems}
    assert ("missing_column", "supervisors", "age") in found
    assert ("unknown_column", "supervisors", "leeftijd") in found


def test_it_reports_a_wrong_type_with_row_and_column(tiny_package: Path) -> None:
    edit_csv(tiny_package, "supervisors", lambda d: d.assign(age=["veertig", "38"]))
    [p] = validate_package(tiny_package)
    assert (p.code, p.table, p.row, p.column) == ("wrong_type", "supervisors", 1, "age")
    assert p.message_nl == "'veertig' is geen geheel getal."
    assert p.message_en == "'veertig' is not a whole number."


@pytest.mark.parametrize(
    ("table", "column", "value", "kind"),
    [
        ("meetings", "date", "4-3-2019", "date"),
        ("invitations", "invited_at", "gisteren", "datetime"),
        ("register_months", "month", "2019-13", "yearmonth"),
        ("attendance", "present", "misschien", "boolean"),
        ("register_months", "hours", "veel", "number"),
    ],
)
def test_it_reports_each_type_it_cannot_parse(
    tiny_package: Path, table: str, column: str, value: str, kind: str
) -> None:
    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[0, column] = value
        return d

    edit_csv(tiny_package, table, change)
    problems = [p for p in validate_package(tiny_package) if p.code == "wrong_type"]
    assert [(p.table, p.row, p.column) for p in problems] == [(table, 1, column)]
    assert value in problems[0].message_en


def test_it_reports_a_duplicate_key_and_where_it_first_occurs(tiny_package: Path) -> None:
    edit_csv(tiny_package, "supervisors", lambda d: pd.concat([d, d.iloc[[0]]]))
    [p] = [p for p in validate_package(tiny_package) if p.code == "duplicate_key"]
    assert p.row == 3
    assert "supervisor_id=S1" in p.message_en
    assert "row 1" in p.message_en


def test_it_reports_a_foreign_key_that_points_nowhere(tiny_package: Path) -> None:
    edit_csv(tiny_package, "employees", lambda d: d.assign(supervisor_id=["S1", "S9"]))
    [p] = validate_package(tiny_package)
    assert (p.code, p.table, p.row, p.column) == ("foreign_key", "employees", 2, "supervisor_id")
    assert "S9" in p.message_en
    assert "supervisors" in p.message_en


def test_it_reports_a_composite_foreign_key(tiny_package: Path) -> None:
    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[4, "meeting_no"] = "6"
        return d

    edit_csv(tiny_package, "attendance", change)
    found = {(p.code, p.row) for p in validate_package(tiny_package)}
    assert ("maximum", 5) in found
    assert ("foreign_key", 5) in found


def test_it_reports_an_unknown_wave(tiny_package: Path) -> None:
    edit_csv(tiny_package, "invitations", lambda d: d.assign(wave=["T0", "T7", "T0"]))
    problems = validate_package(tiny_package)
    [p] = [p for p in problems if p.code == "unknown_wave"]
    assert (p.table, p.row) == ("invitations", 2)
    assert "T0, T1, T2, T3" in p.message_en


def test_an_employee_wave_must_be_an_employee_wave(tiny_package: Path) -> None:
    edit_csv(tiny_package, "invitations", lambda d: d.assign(wave=["T0", "T1", "T1"]))
    [p] = [p for p in validate_package(tiny_package) if p.code == "unknown_wave"]
    assert p.row == 3


def test_it_reports_an_unknown_instrument(tiny_package: Path) -> None:
    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[2, "instrument"] = "sv_outcomes"
        return d

    edit_csv(tiny_package, "responses", change)
    [p] = [p for p in validate_package(tiny_package) if p.code == "unknown_instrument"]
    assert (p.table, p.row) == ("responses", 3)
    assert "em_questionnaire" in p.message_en


def test_it_reports_an_unknown_item_and_an_answer_out_of_range(tiny_package: Path) -> None:
    edit_csv(
        tiny_package,
        "responses",
        lambda d: d.assign(item=["kn1", "zz9", "work_ability"], value=["7", "2", "7"]),
    )
    found = {(p.code, p.row) for p in validate_package(tiny_package)}
    assert found == {("value_out_of_range", 1), ("unknown_item", 2)}


def test_it_reports_a_month_outside_the_extract(tiny_package: Path) -> None:
    def change(d: pd.DataFrame) -> pd.DataFrame:
        d.loc[11, "month"] = "2020-01"
        return d

    edit_csv(tiny_package, "register_months", change)
    [p] = validate_package(tiny_package)
    assert (p.code, p.row) == ("month_outside_extract", 12)
    assert "2019-01" in p.message_en
    assert "2019-06" in p.message_en


def test_it_reports_a_treated_person_without_start_month(tiny_package: Path) -> None:
    edit_csv(tiny_package, "register_persons", lambda d: d.assign(start_month=["", ""]))
    [p] = validate_package(tiny_package)
    assert (p.code, p.table, p.row) == ("treated_without_start", "register_persons", 1)


def test_it_reports_an_unknown_respondent(tiny_package: Path) -> None:
    edit_csv(tiny_package, "invitations", lambda d: d.assign(respondent_id=["S1", "S1", "E7"]))
    problems = validate_package(tiny_package)
    assert ("unknown_respondent", 3) in {(p.code, p.row) for p in problems}


def test_it_reports_enum_and_required_violations(tiny_package: Path) -> None:
    edit_csv(tiny_package, "training_groups", lambda d: d.assign(mode=["hybride"], capacity=[""]))
    found = {(p.code, p.column) for p in validate_package(tiny_package)}
    assert found == {("enum", "mode"), ("required", "capacity")}


def test_it_caps_the_rows_listed_for_one_problem(tiny_package: Path) -> None:
    edit_csv(tiny_package, "register_months", lambda d: d.assign(hours="x"))
    problems = validate_package(tiny_package)
    assert len(problems) == 11
    assert problems[-1].code == "more_rows"
    assert "2 more rows" in problems[-1].message_en


def test_it_reports_a_file_that_is_not_csv(tiny_package: Path) -> None:
    (tiny_package / "regions.csv").write_bytes(b"\xff\xfe\x00garbage\x00")
    problems = validate_package(tiny_package)
    assert "unreadable_table" in codes(problems)


def test_it_reports_a_parquet_column_of_the_wrong_type(tmp_path: Path) -> None:
    tables = tiny_tables()
    out = write_package(tmp_path, tables, meta=TINY_META, parquet=["register_months"])
    bad = tables["register_months"].assign(hours=["veel"] * 12)
    bad.to_parquet(out / "register_months.parquet", index=False)
    [p] = validate_package(out)
    assert (p.code, p.column) == ("wrong_column_type", "hours")


def test_it_reports_bad_metadata(tiny_package: Path) -> None:
    path = tiny_package / "datapackage.json"
    desc = json.loads(path.read_text())
    desc["mentorwijs"]["extract_end"] = "eind 2019"
    path.write_text(json.dumps(desc))
    [p] = validate_package(tiny_package)
    assert (p.code, p.table) == ("bad_meta", "datapackage.json")


def test_reading_an_invalid_package_raises_with_all_problems(tiny_package: Path) -> None:
    edit_csv(tiny_package, "employees", lambda d: d.assign(supervisor_id=["S8", "S9"]))
    with pytest.raises(InvalidStudyPackageError) as info:
        read_package(tiny_package)
    assert [p.row for p in info.value.problems] == [1, 2]
