"""End to end: a wave is scheduled, invitations arrive over real SMTP, Chromium answers them.

The registry (``registry.testing.world_build``) has group G-RIV-1 meeting weekly from a week
from today, so T0 is due today. Anna (supervisor) and Fleur (supervisor) and Eva (Anna's
employee) have e-mail; Carla and Dirk (the other region) get letters. ``mentorwijs
send-invitations`` sends the invitations through an aiosmtpd server on a loopback port.
Debian's Chromium opens the link from Anna's received mail, gives consent, answers page 1 and
2 in standard mode, stops ("save and continue later"), comes back in a fresh browser, lands
on the page where she stopped with her answers still chosen, and finishes. Eva's link (an
employee's) opens in easy-read mode on a phone-sized screen: one question at a time with
pictograms; she stops halfway, resumes and finishes. The stored answers equal what was
clicked. A week later the command reminds only Fleur (and writes reminder letters for Carla
and Dirk), and a second run sends nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.utils import timezone
from playwright.sync_api import Browser, Page

from browser import DESKTOP, LOCALES, PHONE
from mentorwijs.cli import main
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.schedule import respondents_due
from mentorwijs.web.invitations.testing import Inbox, smtp_server, text_of, token_in
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.testing import ANNA, EVA, World, world_build
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.links import link_for_token

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
FLEUR = "fleur.smit@korenaar.example"


@pytest.fixture
def inbox(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live_server: Any):
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.DEFAULT_FROM_EMAIL = "Onderzoek Mentorwijs <onderzoek@mentorwijs.test>"
        settings.MENTORWIJS_SITE_URL = live_server.url
        yield box


@pytest.fixture
def world(db: Any) -> World:
    world = world_build(start=date.today() + timedelta(days=7))
    fleur = m.Supervisor.objects.create(
        supervisor_id="S-FLEUR", organisation=world.own_employer, training_group=world.own_group
    )
    r.SupervisorIdentity.objects.create(supervisor=fleur, name="Fleur Smit", email=FLEUR)
    return world


def send(*args: str) -> str:
    result = CliRunner().invoke(main, ["--lang", "en", "send-invitations", *args])
    assert result.exit_code == 0, result.output
    return result.output


def answer_page(page: Page, answers: dict[str, str], turn: int) -> None:
    """Click an answer to every question on the page (a different option per question)."""
    for question in page.locator("fieldset.question").all():
        radios = question.locator("input[type=radio]")
        n = radios.count()
        choice = radios.nth((turn + len(answers)) % n)
        code = choice.get_attribute("name") or ""
        page.locator(f"label[for='{choice.get_attribute('id')}']").click()
        answers[code] = choice.get_attribute("value") or ""
    assert page.locator("input[type=text], textarea").count() == 0  # T0 is all closed items


def go(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def stored(address: str, inbox: Inbox) -> dict[str, str]:
    link = link_for_token(token_in(inbox.to(address)[0]))
    assert link is not None
    return {
        item: f"{value:g}"
        for item, value in m.Response.objects.filter(invitation=link.invitation).values_list(
            "item", "value"
        )
    }


def test_invite_answer_in_both_modes_resume_finish_and_remind_only_the_rest(
    browser: Browser,
    live_server: Any,
    world: World,
    inbox: Inbox,
) -> None:
    # --- the wave is scheduled and the invitations arrive ------------------------------------
    due = {(d.respondent_id, d.wave) for d in respondents_due(now=timezone.now())}
    assert due == {("S-ANNA", "T0"), ("S-FLEUR", "T0"), ("E-EVA", "T0"), ("S-CARLA", "T0"),
                   ("E-DIRK", "T0")}  # fmt: skip
    output = send()
    assert "E-mails sent: 3; letters written: 2" in output
    assert inbox.recipients() == sorted([ANNA["email"], EVA["email"], FLEUR])
    anna_url = text_of(inbox.to(ANNA["email"])[0]).split(live_server.url, 1)[1].split()[0]
    eva_url = text_of(inbox.to(EVA["email"])[0]).split(live_server.url, 1)[1].split()[0]

    # --- Anna: standard mode, stops after page 2, resumes in a fresh browser -------------------
    clicked: dict[str, str] = {}
    page = browser.new_context(locale=LOCALES["nl"], **DESKTOP).new_page()
    page.goto(live_server.url + anna_url)
    assert page.locator("h1").text_content() == "Welkom"
    go(page, "button[name=consent][value=yes]")
    assert page.url.endswith("/1/")
    answer_page(page, clicked, 0)
    go(page, "button[value=next]")
    assert page.url.endswith("/2/")
    answer_page(page, clicked, 1)
    go(page, "button[value=pause]")
    page.context.close()
    assert stored(ANNA["email"], inbox) == clicked
    assert len(clicked) == 16
    page = browser.new_context(locale=LOCALES["nl"], **DESKTOP).new_page()
    page.goto(live_server.url + anna_url)
    assert page.url.endswith("/2/")  # where she left off, her answers still chosen
    for code in ("se4", "be1"):
        assert page.locator(f"input[name={code}]:checked").get_attribute("value") == clicked[code]
    go(page, "button[value=next]")
    assert page.url.endswith("/3/")
    answer_page(page, clicked, 2)
    go(page, "button[value=next]")
    assert page.url.endswith("/einde/")
    go(page, "form.pager button[type=submit]")
    page.context.close()
    assert stored(ANNA["email"], inbox) == clicked
    assert len(clicked) == 20
    assert m.Invitation.objects.get(supervisor_id="S-ANNA").completed_at is not None

    # --- Eva: easy-read on a phone, one question a screen, stops halfway, resumes -------------
    eva: dict[str, str] = {}
    page = browser.new_context(locale=LOCALES["nl"], **PHONE).new_page()
    page.goto(live_server.url + eva_url)
    go(page, "button[name=consent][value=yes]")
    number = 1
    while number <= 6:
        if number > 1:
            assert page.locator("fieldset.question").count() == 1  # one question a screen
            assert page.locator("p.part").text_content().startswith("Vraag ")
        if number > 2:  # the statements have smiley pictograms (work ability is 0-10)
            assert page.locator("fieldset.question img").count() == 5
        answer_page(page, eva, number)
        go(page, "button[value=next]")
        number += 1
    answer_page(page, eva, number)
    go(page, "button[value=pause]")
    page.context.close()
    assert stored(EVA["email"], inbox) == eva
    page = browser.new_context(locale=LOCALES["nl"], **PHONE).new_page()
    page.goto(live_server.url + eva_url)
    assert page.url.endswith(f"/{number}/")
    go(page, "button[value=next]")
    while not page.url.endswith("/einde/"):
        answer_page(page, eva, len(eva))
        go(page, "button[value=next]")
    go(page, "form.pager button[type=submit]")
    page.context.close()
    assert stored(EVA["email"], inbox) == eva
    assert len(eva) == 12  # work ability and eleven statements (the first screen is a note)
    assert m.Invitation.objects.get(employee_id="E-EVA").completed_at is not None

    # --- a week later: a reminder only for who did not finish; a second run sends nothing -----
    before = len(inbox.messages)
    week = (timezone.now() + timedelta(days=7, minutes=1)).isoformat()
    output = send("--now", week)
    assert [str(x["To"]) for x in inbox.messages[before:]] == [FLEUR]
    assert inbox.messages[-1]["Subject"].startswith("Herinnering:")
    assert "E-mails sent: 1; letters written: 2" in output
    reminders = Delivery.objects.filter(kind="reminder")
    assert {
        d.link.invitation.supervisor_id or d.link.invitation.employee_id
        for d in reminders.select_related("link__invitation")
    } == {"S-FLEUR", "S-CARLA", "E-DIRK"}
    letters = sorted(Delivery.objects.exclude(letter_name="").values_list("pk", "letter_name"))
    output = send("--now", week)
    assert "E-mails sent: 0; letters written: 0" in output
    assert len(inbox.messages) == before + 1
    assert sorted(Delivery.objects.exclude(letter_name="").values_list("pk", "letter_name")) == (
        letters
    )
    assert Delivery.objects.count() == 5 + 3
