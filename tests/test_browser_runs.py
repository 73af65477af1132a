"""Evaluation runs in a real browser (Debian's Chromium through Playwright, axe-core).

On a small simulated demo study a researcher starts a quick run at once, opens it, makes
all products with one button and downloads the final report; a coordinator downloads the
factsheet of their region and opens its cost–benefit page.
Every page is checked with axe-core in Dutch and English (no serious or critical violation).
``MENTORWIJS_SCREENSHOTS=1`` writes the screenshots into ``docs/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, check, log_in
from mentorwijs.simulation import simulate_package
from mentorwijs.web.commands import ensure_demo_users
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.study.services import package_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_runs_the_evaluation_and_a_coordinator_sees_the_cost_benefit(
    browser: Browser,
    live_server: Any,
    shots: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    package_load(path=simulate_package(tmp_path / "pkg", seed=7), extra_meta={"demo": True})
    logins = dict(ensure_demo_users())
    base = live_server.url

    page = browser.new_context(locale=LOCALES["nl"], **DESKTOP).new_page()
    log_in(page, base, "onderzoeker", logins["onderzoeker"])
    page.goto(base + "/evaluaties/")
    page.fill("#id_imputations", "0")
    page.fill("#id_cost_benefit_draws", "2000")
    check(page, shots, "runs-list", "nl")
    with page.expect_navigation(timeout=120_000):
        page.click("button[value=now]", timeout=120_000)  # the run is in the request
    run = EvaluationRun.objects.get()
    assert run.status == EvaluationRun.DONE, run.error_en
    assert page.url.endswith(f"/evaluaties/{run.pk}/")
    with page.expect_navigation(timeout=120_000):
        page.click("text=Alle producten maken")
    assert page.locator(".messages").inner_text().startswith("De producten zijn klaar")
    check(page, shots, "run-detail", "nl")
    with page.expect_download(timeout=60_000) as info:
        page.click(f"a[href$='/evaluaties/{run.pk}/producten/rapport/nl.pdf']")
    download = info.value
    assert download.suggested_filename == f"eindrapportage-run-{run.pk}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    english = browser.new_context(locale=LOCALES["en"], **DESKTOP).new_page()
    log_in(english, base, "onderzoeker", logins["onderzoeker"])
    english.goto(base + "/evaluaties/")
    check(english, shots, "runs-list", "en")
    english.goto(base + f"/evaluaties/{run.pk}/")
    check(english, shots, "run-detail", "en")

    for lang in ("nl", "en"):
        page = browser.new_context(locale=LOCALES[lang], **DESKTOP).new_page()
        log_in(page, base, "coordinator", logins["coordinator"])
        page.goto(base + "/evaluaties/")
        page.click(f"a[href='/evaluaties/{run.pk}/factsheets/']")
        check(page, shots, "run-factsheets", lang)
        assert page.locator("tbody tr").count() == 1  # the coordinator's own region only
        with page.expect_download(timeout=60_000) as info:
            page.click(f"a[href$='/{lang}.pdf']")
        assert info.value.suggested_filename.startswith("factsheet-R")
        assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
        page.goto(base + "/evaluaties/")
        page.click(f"a[href='/evaluaties/{run.pk}/kosten-baten/']")
        page.wait_for_selector("figure.cb-figure img")
        check(page, shots, "run-cost-benefit", lang)
        page.click("details summary >> nth=0")
        page.fill("#id_trainer_hourly_rate", "500")
        with page.expect_navigation():
            page.click("form.cb-form button[type=submit]")
        assert page.locator("#id_trainer_hourly_rate").get_attribute("aria-invalid") == "true"
        check(page, shots, "run-cost-benefit-error", lang)
