"""The main job from the outside: `mentorwijs demo`, `load` and `export` as a person runs them.

These run the installed command in a subprocess on a fresh SQLite database in a temporary
data folder, so they test exactly what the README's first command does.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
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
    assert groups == 19 + 1  # the simulated study's and the demo's group about to start


def _serve(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    """`mentorwijs serve` on a free loopback port (8000 may be taken on a shared machine)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORWIJS_")}
    env.update(MENTORWIJS_DATA_DIR=str(data_dir))
    server = subprocess.Popen(
        [*COMMAND, "serve", "--addr", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("mentorwijs serve did not start within two minutes")


def test_demo_prints_a_questionnaire_link_that_the_served_site_opens(demo) -> None:
    base, run = demo
    match = re.search(r"^  (http://127\.0\.0\.1:8000)(/v/[A-Za-z0-9_-]{43}/)$", run.stdout, re.M)
    assert match, run.stdout
    assert "4 uitnodigingen voor T0 klaargezet" in run.stdout
    assert "mentorwijs serve" in run.stdout
    db = sqlite3.connect(base / "data" / "mentorwijs.sqlite3")
    # Four T0 links, each in its person's language and reading mode; nothing sent yet.
    links = db.execute(
        "SELECT i.role, l.language, l.easy_read, d.channel, d.status, "
        "COALESCE(s.language, e.language), COALESCE(s.easy_read, e.easy_read) "
        "FROM survey_link l JOIN study_invitation i ON i.id = l.invitation_id "
        "JOIN invitations_delivery d ON d.link_id = l.id "
        "LEFT JOIN registry_supervisoridentity s ON s.supervisor_id = i.supervisor_id "
        "LEFT JOIN registry_employeeidentity e ON e.employee_id = i.employee_id "
        "WHERE i.wave = 'T0' ORDER BY i.role DESC, l.language"
    ).fetchall()
    assert links == [
        ("supervisor", "en", 0, "email", "pending", "en", 0),
        ("supervisor", "nl", 0, "email", "pending", "nl", 0),
        ("employee", "en", 1, "letter", "pending", "en", 1),
        ("employee", "nl", 1, "letter", "pending", "nl", 1),
    ]
    server, port = _serve(base / "data")
    try:
        url = f"http://127.0.0.1:{port}{match.group(2)}"
        with urllib.request.urlopen(url, timeout=60) as response:
            assert response.status == 200
            page = response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert '<html lang="nl">' in page  # the printed link is the Dutch supervisor's
    assert "Ja, ik doe mee" in page
    assert "Sanne de Wit" not in page  # the pages never show who the respondent is


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
    assert groups == 19 + 1  # as the demo left it


def test_load_says_the_same_refusal_in_dutch(demo) -> None:
    base, _ = demo
    run = mentorwijs("load", str(base / "out" / "package"), data_dir=base / "data")
    assert run.returncode == 1
    assert "fout: de database bevat al studiegegevens; gebruik --replace" in run.stderr
