"""Shared fixtures: a tiny, hand-made, valid study data package; Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.studydata import coerce_table, write_package

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_configure(config: pytest.Config) -> None:
    """Count unknown links in this test process's memory, not in the machine's shared cache
    files (other test runs on the machine would count along); ``test_resilience_live.py``
    tests the file cache itself with gunicorn."""
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


TINY_META = {
    "extract_start": "2019-01",
    "extract_end": "2019-06",
    "protocol_version": "2026.1",
    "scale": "tiny",
}


def tiny_tables() -> dict[str, pd.DataFrame]:
    """A complete, valid study in a few rows; each test breaks one thing in a copy."""
    t = {
        "regions": pd.DataFrame(
            {"region_id": ["R10", "R11"], "name": ["Rivierenland", "FoodValley"]}
        ),
        "organisations": pd.DataFrame(
            {
                "organisation_id": ["O1", "O2", "P1"],
                "kind": ["municipality", "employer", "provider"],
                "region_id": ["R10", "R10", "R10"],
                "sector": [None, "retail", None],
                "size_class": [None, "small", "small"],
                "sheltered": [None, False, None],
            }
        ),
        "trainers": pd.DataFrame({"trainer_id": ["TR1", "TR2"], "provider_id": ["P1", "P1"]}),
        "training_groups": pd.DataFrame(
            {
                "training_group_id": ["G1"],
                "region_id": ["R10"],
                "provider_id": ["P1"],
                "trainer_1_id": ["TR1"],
                "trainer_2_id": ["TR2"],
                "mode": ["in_person"],
                "capacity": [12],
                "start_date": [pd.Timestamp("2019-03-04")],
            }
        ),
        "meetings": pd.DataFrame(
            {
                "training_group_id": ["G1"] * 5,
                "meeting_no": [1, 2, 3, 4, 5],
                "date": pd.date_range("2019-03-04", periods=5, freq="7D"),
                "mode": ["in_person"] * 5,
                "held": [True] * 5,
                "planned_parts": [6] * 5,
                "delivered_parts": [6, 5, 6, 6, 4],
                "duration_minutes": [150, 140, 150, 155, 120],
            }
        ),
        "supervisors": pd.DataFrame(
            {
                "supervisor_id": ["S1", "S2"],
                "organisation_id": ["O2", "O2"],
                "training_group_id": ["G1", None],
                "sex": ["f", "m"],
                "age": [45, 38],
                "years_experience": [10, 3],
                "employees_guided": [2, 1],
            }
        ),
        "attendance": pd.DataFrame(
            {
                "training_group_id": ["G1"] * 5,
                "meeting_no": [1, 2, 3, 4, 5],
                "supervisor_id": ["S1"] * 5,
                "present": [True, True, False, True, True],
            }
        ),
        "register_persons": pd.DataFrame(
            {
                "person_id": ["P001", "P002"],
                "treated": [True, False],
                "start_month": ["2019-03", None],
                "region_id": ["R10", "R11"],
                "sex": ["f", "m"],
                "birth_year": [1990, 1985],
                "education": ["low", "middle"],
                "migration_background": [False, True],
                "sector": ["retail", "care"],
                "employer_size": ["small", "large"],
                "sheltered": [False, False],
                "temporary_contract": [True, False],
                "years_in_job": [1.5, 4.0],
                "hourly_wage": [12.4, 14.1],
            }
        ),
        "employees": pd.DataFrame(
            {
                "employee_id": ["E1", "E2"],
                "supervisor_id": ["S1", "S1"],
                "sex": ["f", "m"],
                "age": [33, 24],
                "disability": ["intellectual", "psychological"],
                "consent_questionnaire": [True, True],
                "consent_register": [True, False],
                "register_person_id": ["P001", None],
            }
        ),
        "invitations": pd.DataFrame(
            {
                "respondent_id": ["S1", "S1", "E1"],
                "role": ["supervisor", "supervisor", "employee"],
                "wave": ["T0", "T1", "T0"],
                "invited_at": pd.to_datetime(
                    ["2019-02-25T09:00:00Z", "2019-04-02T09:00:00Z", "2019-02-25T09:00:00Z"]
                ),
                "reminders": [0, 1, 0],
                "reminded_at": pd.to_datetime([None, "2019-04-09T09:00:00Z", None], utc=True),
                "completed_at": pd.to_datetime(
                    ["2019-02-26T20:13:05Z", None, "2019-02-27T10:00:00Z"], utc=True
                ),
            }
        ),
        "responses": pd.DataFrame(
            {
                "respondent_id": ["S1", "S1", "E1"],
                "role": ["supervisor", "supervisor", "employee"],
                "wave": ["T0", "T0", "T0"],
                "instrument": ["sv_outcomes", "sv_outcomes", "em_questionnaire"],
                "item": ["kn1", "se6", "work_ability"],
                "value": [4.0, 2.0, 7.0],
                "text": [None, None, None],
                "submitted_at": pd.to_datetime(["2019-02-26T20:13:05Z"] * 3),
            }
        ),
        "register_months": pd.DataFrame(
            {
                "person_id": ["P001"] * 6 + ["P002"] * 6,
                "month": [f"2019-0{m}" for m in range(1, 7)] * 2,
                "hours": [0.0, 0.0, 40.0, 60.0, 64.5, 70.0] + [80.0] * 6,
                "wage": [0.0, 0.0, 500.0, 740.0, 800.0, 870.0] + [1100.0] * 6,
                "benefit": ["social_assistance"] * 3 + ["none"] * 3 + ["none"] * 6,
                "benefit_amount": [1200.0, 1200.0, 700.0, 0.0, 0.0, 0.0] + [0.0] * 6,
            }
        ),
        "costs": pd.DataFrame(
            {
                "cost_id": ["C1", "C2"],
                "training_group_id": ["G1", None],
                "region_id": ["R10", "R10"],
                "item": ["trainer_meetings", "coordination"],
                "category": ["trainer", "coordination"],
                "payer": ["municipality", "municipality"],
                "quantity": [25.0, 10.0],
                "unit": ["hour", "hour"],
                "unit_cost": [95.0, 62.5],
                "source": ["invoice", "registry"],
            }
        ),
    }
    return {name: coerce_table(name, df) for name, df in t.items()}


@pytest.fixture
def tiny_package(tmp_path: Path) -> Path:
    """A valid hand-made package written to a temporary folder."""
    return write_package(tmp_path / "tiny", tiny_tables(), meta=TINY_META)


# --- Products: one evaluated study and a reader of HTML tables. ------------------------------


@pytest.fixture(scope="session")
def result(tmp_path_factory: pytest.TempPathFactory) -> EvaluationResult:
    """A simulated study's evaluation (seed 11), shared by the report and product tests."""
    from mentorwijs.evaluation.pipeline import evaluate_package
    from mentorwijs.simulation import simulate_package
    from mentorwijs.studydata import read_package

    pkg = simulate_package(tmp_path_factory.mktemp("rep") / "pkg", seed=11)
    return evaluate_package(
        read_package(pkg), created_at="2026-11-24T12:00:00Z", seed=11, settings={"imputations": 2}
    )


class Tables(HTMLParser):
    """Collects the text of every table cell, table by table."""

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


# --- Browser tests: Debian's Chromium and where screenshots go (settings in browser.py). -----


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium through Playwright, started once for each browser test module."""
    from playwright.sync_api import sync_playwright  # only the browser tests pay for it

    from browser import CHROMIUM, CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe, so Django may allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """``docs/screenshots/`` when ``MENTORWIJS_SCREENSHOTS=1``, otherwise a temporary folder."""
    from browser import DOCS

    if os.environ.get("MENTORWIJS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


# --- PostgreSQL: `make test` runs the database tests a second time on PostgreSQL. ------------

_skipped: list[str] = []


def _on_postgres() -> bool:
    return os.environ.get("MENTORWIJS_DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` need a PostgreSQL server; without one they are skipped."""
    if _on_postgres():
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: run `make test` with MENTORWIJS_TEST_POSTGRES_URL"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In the PostgreSQL run (MENTORWIJS_EXPECT_POSTGRES=1) a skip or a wrong database fails."""
    if not os.environ.get("MENTORWIJS_EXPECT_POSTGRES"):
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    reasons = []
    if "postgresql" not in engine:
        reasons.append(f"the database engine is {engine}, not PostgreSQL")
    if session.testscollected == 0:
        reasons.append("no database test was collected")
    if _skipped:
        reasons.append(f"{len(_skipped)} test(s) skipped: {', '.join(_skipped[:5])}")
    if reasons:
        print("\nPostgreSQL run failed: " + "; ".join(reasons))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
