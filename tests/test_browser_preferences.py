"""A person's language and reading mode in a real browser (Debian's Chromium, axe-core).

A coordinator opens employee Eva's form, chooses English and standard mode, saves, and sees
both on Eva's page; and the same for supervisor Anna in easy-read mode. Forms and pages are
checked with axe-core in Dutch and English (no serious or critical violation).
``MENTORWIJS_SCREENSHOTS=1`` writes the screenshots into ``docs/screenshots/``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, PASSWORD, check, log_in
from mentorwijs.web.registry.preferences import Preferences, preferences_of
from mentorwijs.web.registry.testing import World, world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return world_build(start=date.today() - timedelta(days=1), password=PASSWORD)


LABELS = {
    "nl": ("Leesvorm", "standaard", "makkelijk lezen"),
    "en": ("Reading mode", "standard", "easy-read"),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_coordinator_sets_the_language_and_the_reading_mode(
    browser: Browser,
    live_server: Any,
    world: World,
    shots: Path,
    tmp_path: Path,
    lang: str,
) -> None:
    page = browser.new_context(locale=LOCALES[lang], **DESKTOP).new_page()
    base = live_server.url
    log_in(page, base, "coordinator_own")
    reading, standard, easy = LABELS[lang]

    page.goto(base + "/registratie/medewerkers/E-EVA/wijzigen/")
    assert page.locator("#id_language").input_value() == "nl"
    assert page.locator("#id_easy_read").is_checked()  # Eva reads in easy-read mode
    help_id = page.locator("#id_easy_read").get_attribute("aria-describedby")
    assert page.locator(f"#{help_id}").is_visible()
    check(page, shots, "employee-preferences-form", lang)
    page.select_option("#id_language", "en")
    page.uncheck("#id_easy_read")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/registratie/medewerkers/E-EVA/")
    assert preferences_of(role="employee", respondent_id="E-EVA") == Preferences("en", False)
    facts = page.locator("section[aria-labelledby=pref-h]")
    assert facts.locator("dd[lang=en]").inner_text() == "English"
    assert f"{reading}\n{standard}" in facts.inner_text()
    check(page, shots, "employee-preferences", lang)

    page.goto(base + "/registratie/leidinggevenden/S-ANNA/wijzigen/")
    page.check("#id_easy_read")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert preferences_of(role="supervisor", respondent_id="S-ANNA") == Preferences("nl", True)
    facts = page.locator("section[aria-labelledby=pref-h]")
    assert facts.locator("dd[lang=nl]").inner_text() == "Nederlands"
    assert f"{reading}\n{easy}" in facts.inner_text()
    check(page, tmp_path, "supervisor-detail", lang)  # checked, not pictured in the docs
