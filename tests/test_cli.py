"""The command line: exit codes and messages for people, never a traceback for bad data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from mentorwijs.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_says_valid_and_exits_0(tiny_package: Path) -> None:
    code, out = run("validate", str(tiny_package))
    assert code == 0
    assert out.strip().endswith("geldig.")


def test_validate_lists_problems_in_dutch_and_exits_2(tiny_package: Path) -> None:
    path = tiny_package / "supervisors.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.assign(age=["veertig", "38"]).to_csv(path, index=False)
    code, out = run("validate", str(tiny_package))
    assert code == 2
    assert "1 probleem gevonden" in out
    assert "supervisors, rij 1, kolom age: 'veertig' is geen geheel getal." in out
    assert "Traceback" not in out


def test_validate_speaks_english_when_asked(tmp_path: Path) -> None:
    code, out = run("--lang", "en", "validate", str(tmp_path))
    assert code == 2
    assert "The folder has no datapackage.json" in out


def test_evaluate_refuses_an_invalid_package_with_exit_2(
    tiny_package: Path, tmp_path: Path
) -> None:
    (tiny_package / "meetings.csv").unlink()
    code, out = run("evaluate", str(tiny_package), "--out", str(tmp_path / "result"))
    assert code == 2
    assert "meetings" in out
    assert "Traceback" not in out
    assert not (tmp_path / "result").exists()
