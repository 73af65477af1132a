"""The HTML products in a real browser (Debian's Chromium through Playwright), checked with
axe-core: no violation of impact serious or critical, in Dutch and English.

Every product of the study-sized result is opened as the self-contained file a reader gets:
the final report, the national factsheet, the factsheets of a region with and without an
employment effect of its own, the practice guide and the easy-read version with pictograms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, axe_serious
from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports import render_report

pytestmark = [pytest.mark.browser]

PRODUCTS = [
    ("report", None),
    ("factsheet", None),
    ("factsheet", "R10"),
    ("factsheet", "R11"),
    ("guide", None),
    ("easyread", None),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_html_product_passes_axe_core(
    browser: Browser, result: EvaluationResult, tmp_path: Path, lang: str
) -> None:
    page = browser.new_context(locale=LOCALES[lang], **DESKTOP).new_page()
    problems = []
    for product, region in PRODUCTS:
        [html] = render_report(
            result, tmp_path, lang=lang, formats=["html"], product=product, region=region
        )
        page.goto(html.as_uri())
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1
        if product in ("report", "factsheet"):
            assert page.locator("figure svg").count() >= 2  # the charts are there, inline
        problems += [f"{html.name}: {p}" for p in axe_serious(page)]
    assert not problems, "; ".join(problems)
