"""The answers download in Chromium, checked with axe-core: the page, the error state, and the
codebook that the download holds (a self-contained HTML file a researcher opens locally)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, PASSWORD, axe_serious, check, log_in
from mentorwijs.web.registry.testing import world_build
from mentorwijs.web.study.testing import answers_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def researcher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world_build(start=date.today() - timedelta(days=1), password=PASSWORD)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_researcher_downloads_the_answers_and_reads_the_codebook(
    browser: Browser, live_server: Any, researcher: None, tmp_path: Path, lang: str
) -> None:
    context = browser.new_context(locale=LOCALES[lang], accept_downloads=True, **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")

    # Without a study the page says so, and a download explains why it cannot be made.
    page.goto(base + "/studie/antwoorden/")
    check(page, tmp_path, "answers-empty", lang)
    page.click("main button[type=submit]")
    assert page.locator("main p.error[role=alert]").count() == 1
    check(page, tmp_path, "answers-error", lang)

    answers_add()
    page.goto(base + "/")
    page.click("a[href='/studie/antwoorden/']")
    check(page, tmp_path, "answers", lang)
    page.select_option("#id_fmt", "sav")
    page.select_option("#id_shape", "wide")
    assert page.locator("#id_lang").input_value() == lang  # the page's language by default
    with page.expect_download() as info:
        page.click("main button[type=submit]")
    download = info.value
    assert download.suggested_filename.endswith(f"-wide-sav-{lang}.zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    codebook = tmp_path / "codebook-wide.html"
    codebook.write_bytes(archive.read("codebook-wide.html"))

    page.goto(codebook.as_uri())
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("table caption").count() == 1
    assert page.locator("tbody th[scope=row]").first.inner_text() == "role"
    problems = axe_serious(page)
    assert not problems, f"codebook [{lang}]: " + "; ".join(problems)
    context.close()
