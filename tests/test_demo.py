"""The main job from the outside: `mentorwijs demo`, `load` and `export` as a person runs them.

These run the installed command in a subprocess on a fresh SQLite database in a temporary
data folder, so they test exactly what the README's first command does.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from mentorwijs.studydata import read_package

COMMAND = [sys.executable, "-m", "mentorwijs.cli"]


def mentorwijs(*args: str, data_dir: Path, lang: str = "nl") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORWIJS_")}
    env.update(MENTORWIJS_DATA_DIR=str(data_dir), MENTORWIJS_LANG=lang)
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    base = tmp_path_factory.mktemp("demo")
    run = mentorwijs("demo", "--out", str(base / "out"), data_dir=base / "data")
    return base, run


def test_demo_writes_the_products_and_says_where(demo) -> None:
    base, run = demo
    assert run.returncode == 0, run.stderr
    for step in range(1, 7):
        assert f"[{step}/6]" in run.stdout
    printed = [Path(line.strip()) for line in run.stdout.splitlines() if line.startswith("  /")]
    for stem in ("eindrapportage", "factsheet.nl", "praktijkgids", "uitkomsten-makkelijk-lezen"):
        assert base / "out" / f"{stem}.pdf" in printed
        assert base / "out" / f"{stem}.html" in printed
    for path in printed:
        assert path.exists(), path
    assert (base / "out" / "eindrapportage.pdf").read_bytes().startswith(b"%PDF")


def test_demo_prints_a_login_that_works_on_the_site_database(demo) -> None:
    base, run = demo
    match = re.search(r"gebruiker (\S+), wachtwoord (\S+)", run.stdout)
    assert match, run.stdout
    assert "mentorwijs serve" in run.stdout
    db = sqlite3.connect(base / "data" / "mentorwijs.sqlite3")
    [(hashed,)] = db.execute(
        "SELECT password FROM auth_user WHERE username = ?", (match.group(1),)
    ).fetchall()
    # Django's Argon2 hasher writes "argon2" followed by argon2's own encoded hash.
    assert hashed.startswith("argon2$argon2id$")
    assert PasswordHasher().verify(hashed.removeprefix("argon2"), match.group(2))
    [(groups,)] = db.execute("SELECT count(*) FROM study_traininggroup").fetchall()
    assert groups == 19


def test_demo_export_equals_the_simulated_package(demo) -> None:
    base, _ = demo
    simulated = read_package(base / "out" / "package")
    exported = read_package(base / "out" / "export")
    for name, table in simulated.tables.items():
        pd.testing.assert_frame_equal(exported.tables[name], table, obj=name)


def test_load_refuses_a_broken_package_with_exit_2_and_writes_nothing(demo, tmp_path: Path) -> None:
    base, _ = demo
    broken = tmp_path / "broken"
    shutil.copytree(base / "out" / "package", broken)
    (broken / "meetings.csv").write_text("training_group_id,meeting_no\nG9999,7\n")
    data = tmp_path / "data"
    run = mentorwijs("load", str(broken), data_dir=data)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "meetings" in run.stderr
    assert "herstel de genoemde rijen" in run.stderr
    db = sqlite3.connect(data / "mentorwijs.sqlite3")
    [(regions,)] = db.execute("SELECT count(*) FROM study_region").fetchall()
    assert regions == 0


def test_load_refuses_to_overwrite_without_replace_and_keeps_the_data(demo) -> None:
    base, _ = demo
    run = mentorwijs("--lang", "en", "load", str(base / "out" / "package"), data_dir=base / "data")
    assert run.returncode == 1
    assert "already holds study data; use --replace" in run.stderr
    db = sqlite3.connect(base / "data" / "mentorwijs.sqlite3")
    [(groups,)] = db.execute("SELECT count(*) FROM study_traininggroup").fetchall()
    assert groups == 19


def test_load_says_the_same_refusal_in_dutch(demo) -> None:
    base, _ = demo
    run = mentorwijs("load", str(base / "out" / "package"), data_dir=base / "data")
    assert run.returncode == 1
    assert "fout: de database bevat al studiegegevens; gebruik --replace" in run.stderr
