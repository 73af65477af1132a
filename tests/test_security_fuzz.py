"""Property tests (hypothesis) of the study data package validator and of loading a package.

Starting from the valid tiny package, each example breaks it in one or a few ways: a cell
replaced by arbitrary text, a column dropped or added, a file truncated, emptied or filled
with random bytes, the descriptor mangled. Whatever comes out, the validator returns its
named problems (it never raises), the reader raises only the layer's named errors, and
loading into the site either stores the whole package or nothing at all.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY_META, tiny_tables
from mentorwijs.studydata import (
    InvalidStudyPackageError,
    StudyDataError,
    read_package,
    validate_package,
    write_package,
)

TABLES = sorted(tiny_tables())
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "NA", "-1", "1e309", "2019-13-45", "nan", "True", "\x00", "';--",
                     "9" * 40, "S999", "=cmd|' /C calc'!A0", "\ufeff", "😀", "\r\n"]),
)  # fmt: skip


@st.composite
def breakages(draw: Any) -> list[tuple[str, Any]]:
    """One to three ways to break a package."""
    kinds = st.one_of(
        st.tuples(
            st.just("cell"), st.sampled_from(TABLES), st.integers(0, 20), st.integers(0, 5), texts
        ),
        st.tuples(st.just("drop_column"), st.sampled_from(TABLES), st.integers(0, 20)),
        st.tuples(st.just("add_column"), st.sampled_from(TABLES), texts),
        st.tuples(st.just("truncate"), st.sampled_from(TABLES), st.integers(0, 400)),
        st.tuples(st.just("bytes"), st.sampled_from(TABLES), st.binary(max_size=200)),
        st.tuples(st.just("delete"), st.sampled_from(TABLES)),
        st.tuples(st.just("descriptor"), st.sampled_from(["bytes", "json", "meta", "drop"]),
                  st.binary(max_size=60)),
    )  # fmt: skip
    return draw(st.lists(kinds, min_size=1, max_size=3))


def _csv(folder: Path, table: str) -> Path:
    return folder / f"{table}.csv"


def break_package(folder: Path, steps: list[tuple[str, Any]]) -> None:
    """Apply the breakages to the files of a written package."""
    for step in steps:
        kind = step[0]
        if kind == "descriptor":
            path = folder / "datapackage.json"
            how, junk = step[1], step[2]
            if how == "bytes":
                path.write_bytes(junk)
            elif how == "json":
                path.write_text(json.dumps(junk.decode("latin-1")))
            elif how == "meta":
                data = json.loads(path.read_text())
                data["resources"] = data.get("resources", [])[: len(junk) % 5]
                path.write_text(json.dumps(data))
            else:
                path.unlink(missing_ok=True)
            continue
        path = _csv(folder, step[1])
        if not path.exists():
            continue
        if kind == "delete":
            path.unlink()
        elif kind == "bytes":
            path.write_bytes(step[2])
        elif kind == "truncate":
            path.write_bytes(path.read_bytes()[: step[2]])
        else:
            lines = path.read_bytes().decode("latin-1").split("\n")  # any bytes survive
            rows = [line.split(",") for line in lines]
            if kind == "cell" and len(rows) > 1:
                r = 1 + step[2] % max(1, len(rows) - 1)
                c = step[3] % max(1, len(rows[r]))
                if rows[r] and rows[r] != [""]:
                    rows[r][c] = '"' + step[4].replace('"', '""') + '"'
            elif kind == "drop_column" and rows[0]:
                c = step[2] % len(rows[0])
                rows = [row[:c] + row[c + 1 :] for row in rows]
            elif kind == "add_column":
                rows = [[*row, "x"] if row != [""] else row for row in rows]
                rows[0][-1] = '"' + step[2].replace('"', '""') + '"'
            text = "\n".join(",".join(row) for row in rows)
            path.write_bytes(text.encode("latin-1", errors="replace"))


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_package(tmp_path_factory.mktemp("fuzz") / "tiny", tiny_tables(), meta=TINY_META)


def _copy(valid: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mentorwijs-fuzz-")) / "pkg"
    shutil.copytree(valid, folder)
    return folder


@pytest.mark.slow
@FUZZ
@given(steps=breakages())
def test_the_validator_never_crashes_only_lists_problems(valid: Path, steps: list) -> None:
    folder = _copy(valid)
    try:
        break_package(folder, steps)
        problems = validate_package(folder)
        assert isinstance(problems, list)
        for problem in problems:  # each problem speaks both languages
            assert problem.message("nl")
            assert problem.message("en")
        try:
            read_package(folder)
        except StudyDataError:
            pass
        else:
            assert not problems
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def _study_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_app_config("study").get_models()}


@pytest.mark.slow
@pytest.mark.django_db
@FUZZ
@given(steps=breakages())
def test_loading_a_broken_package_stores_all_or_nothing(valid: Path, steps: list) -> None:
    from mentorwijs.web.errors import StudyDataPresentError
    from mentorwijs.web.study.services import package_load

    folder = _copy(valid)
    try:
        break_package(folder, steps)
        before = _study_counts()
        refused: Exception | None = None
        try:
            counts = package_load(path=folder, replace=True)
        except (StudyDataError, StudyDataPresentError) as exc:
            refused = exc
        if refused is not None:
            assert _study_counts() == before  # nothing of it was stored
            assert not isinstance(refused, InvalidStudyPackageError) or refused.problems
        else:
            stored = _study_counts()
            assert stored["study.Region"] == counts["regions"]
            assert stored["study.Response"] == counts["responses"]
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
