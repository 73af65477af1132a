"""The monitoring pages in a real browser (Debian's Chromium through Playwright, axe-core).

A coordinator of region R10 opens the response overview with the participant-flow diagram,
the reminder list with names and phone numbers, the delivery log and the letters, in Dutch
and English; axe-core finds no serious or critical violation on any of them. The study: the
own group started 40 days ago with eleven supervisors and one employee, so T0 (invited 47
days ago) has closed and T1 (11 days ago) is open with its first reminders sent.
``MENTORWIJS_SCREENSHOTS=1`` writes the screenshots into ``docs/screenshots/``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, PASSWORD, PHONE, check, log_in
from mentorwijs.web.invitations import services
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.testing import world_build
from mentorwijs.web.study import models as m

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Noor Yilmaz", "Sander Bos", "Ilse Vermeer", "Kevin Mulder", "Lotte de Wit",
         "Ahmed Benali", "Mirjam Post", "Ruben Claassen"]  # fmt: skip


def moment(day: date, hour: int = 9) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def study(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MENTORWIJS_SITE_URL = "https://mentorwijs.example.nl"
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    start = date.today() - timedelta(days=40)
    world = world_build(start=start, password=PASSWORD)
    for i, name in enumerate(NAMES):
        sup = m.Supervisor.objects.create(
            supervisor_id=f"S-{i + 10}", organisation=world.own_employer,
            training_group=world.own_group,
        )  # fmt: skip
        email = "" if i == 7 else f"{name.split()[0].lower()}@korenaar.example"
        r.SupervisorIdentity.objects.create(
            supervisor=sup, name=name, email=email, phone=f"06-2000{i:04d}",
            postal_address="Stationsweg 3\n4001 CC Tiel" if not email else "",
        )  # fmt: skip
    m.Supervisor.objects.filter(pk="S-BRAM").update(training_group=world.own_group)
    t0, t1 = start - timedelta(days=7), start + timedelta(days=29)
    services.invitations_run(now=moment(t0))
    done = ["S-ANNA", "S-10", "S-11", "S-12", "S-13", "S-14", "S-15", "E-EVA"]
    m.Invitation.objects.filter(wave="T0").filter(
        Q(supervisor_id__in=done) | Q(employee_id__in=done)
    ).update(completed_at=moment(t0 + timedelta(days=2)))
    services.invitations_run(now=moment(t1))
    m.Invitation.objects.filter(wave="T1", supervisor_id__in=done[:4]).update(
        completed_at=moment(t1 + timedelta(days=1))
    )
    services.delivery_mark_bounced(
        delivery=Delivery.objects.get(
            link__invitation__supervisor_id="S-16", kind="invitation", link__invitation__wave="T1"
        ),
        reason="550 5.1.1 <recipient>: user unknown",
    )
    services.invitations_run(now=moment(t1 + timedelta(days=7)))
    return world


PAGES = [
    ("/uitnodigingen/", "invitations-monitoring"),
    ("/uitnodigingen/herinneren/", "invitations-reminders"),
    ("/uitnodigingen/bezorging/", "invitations-deliveries"),
    ("/uitnodigingen/brieven/", "invitations-letters"),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_coordinator_monitors_invitations_in_the_browser(
    browser: Browser,
    live_server: Any,
    study: Any,
    shots: Path,
    lang: str,
) -> None:
    page = browser.new_context(locale=LOCALES[lang], **DESKTOP).new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    base = live_server.url
    log_in(page, base, "coordinator_own")
    page.wait_for_load_state()
    page.click("header nav a[href='/uitnodigingen/']")
    page.wait_for_url(base + "/uitnodigingen/")
    for path, name in PAGES:
        page.goto(base + path)
        check(page, shots, name, lang)
    page.goto(base + "/uitnodigingen/")
    svg = page.locator("figure.flow svg").first
    assert svg.get_attribute("role") == "img"
    label = "T1: 10 uitgenodigd, 4 geantwoord" if lang == "nl" else "T1: 10 invited, 4 answered"
    assert label in page.locator("figure.flow desc").first.text_content()
    page.goto(base + "/uitnodigingen/herinneren/")
    assert page.get_by_role("link", name="06-20000004").count() == 1  # Lotte, T1 unanswered
    page.goto(base + "/uitnodigingen/brieven/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").first.click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    # The diagram and the tables need no inline style or script: the policy blocks nothing.
    assert not [line for line in console if "Content Security Policy" in line], console


def test_the_reminder_list_on_a_phone(
    browser: Browser,
    live_server: Any,
    study: Any,
    shots: Path,
) -> None:
    page = browser.new_context(locale=LOCALES["nl"], **PHONE).new_page()
    log_in(page, live_server.url, "coordinator_own")
    page.wait_for_load_state()
    page.goto(live_server.url + "/uitnodigingen/herinneren/")
    check(page, shots, "invitations-reminders-phone", "nl")
