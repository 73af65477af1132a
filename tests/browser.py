"""What the browser tests share: Debian's Chromium, screen sizes, logging in, axe-core.

The fixtures that use these live in ``conftest.py``: ``browser`` (Chromium, started once per
test module) and ``shots`` (where screenshots go). Set ``MENTORWIJS_SCREENSHOTS=1`` to write
the screenshots into ``docs/screenshots/`` (otherwise they go to a temporary folder, so a
test run leaves the work tree alone).
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from mentorwijs.web.accounts.testing import totp_device_for, totp_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The password of the users ``world_build`` makes in the tests.
PASSWORD = "een-lang-testwachtwoord"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}  # fmt: skip
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def axe_serious(page: Page) -> list[str]:
    """Violations of impact serious or critical, as readable lines."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, name: str, lang: str) -> None:
    """The page is in ``lang`` and axe-core finds nothing serious or critical on it."""
    assert page.locator("html").get_attribute("lang") == lang
    problems = axe_serious(page)
    assert not problems, f"{name} [{lang}]: " + "; ".join(problems)


def check(page: Page, shots: Path, name: str, lang: str) -> None:
    """``assert_accessible``, then a full-page screenshot ``<name>-<lang>.png`` in ``shots``."""
    assert_accessible(page, name, lang)
    page.screenshot(path=str(shots / f"{name}-{lang}.png"), full_page=True)


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in with the password, then the code of the user's authenticator app."""
    device = totp_device_for(get_user_model().objects.get(username=username))
    page.goto(base + "/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/account/code/" in page.url, page.url
    page.fill("#id_token", totp_token(device))
    with page.expect_navigation():
        page.click("main button[type=submit]")
