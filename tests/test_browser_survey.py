"""Answering in a real browser: Debian's Chromium on a phone-sized screen, checked by axe-core.

A supervisor answers in normal mode and an employee in easy-read mode, each in Dutch and in
English: start page and consent, pages of questions, an error state, stopping halfway and
coming back another day (a new browser), finishing, the thank-you page and the own page.
Every respondent page is checked with axe-core: no violation of impact "serious" or
"critical". The stored answers must equal what was clicked. The friendly pages of closed and
unknown links, the staff's instrument list and a preview are checked too.

Set ``MENTORWIJS_SCREENSHOTS=1`` to write the screenshots into ``docs/screenshots/``
(otherwise they go to a temporary folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page

from browser import DESKTOP, DOCS, LOCALES, PHONE, assert_accessible, log_in
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey import ratelimit
from mentorwijs.web.survey.models import Link
from mentorwijs.web.survey.testing import respondent_link

#: Screenshots docs/questionnaires.md shows (Dutch; the question also in English); the other
#: pages are checked and photographed only into the temporary folder.
PICTURED = {("start-easy", "nl"), ("note-easy", "nl"), ("score-easy", "nl"),
            ("question-easy", "nl"), ("question-easy", "en"), ("error-easy", "nl"),
            ("finish-easy", "nl"), ("thanks-easy", "nl"), ("mine-easy", "nl"),
            ("withdrawn-easy", "nl"), ("start", "nl"), ("page", "nl"), ("page-errors", "nl"),
            ("closed-expired", "nl")}  # fmt: skip
TEXT = {
    "nl": {"yes": "Ja, ik doe mee", "next": "Volgende", "back": "Vorige", "send": "Versturen",
           "pause": "Opslaan en later verder", "easy": "Makkelijk lezen", "thanks": "Bedankt",
           "choose": "Kies een antwoord.", "withdraw": "Mijn toestemming intrekken",
           "erase": "Wis ook meteen al mijn antwoorden", "erased": "Uw antwoorden zijn gewist",
           "read": "Voorlezen"},
    "en": {"yes": "Yes, I take part", "next": "Next", "back": "Previous", "send": "Send",
           "pause": "Save and continue later", "easy": "Easy to read", "thanks": "Thank you",
           "choose": "Choose an answer.", "withdraw": "Withdraw my consent",
           "erase": "Also erase all my answers now", "erased": "Your answers have been erased",
           "read": "Read aloud"},
}  # fmt: skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # the unknown-link counter lives in the cache, shared with the live server


def check(page: Page, shots: Path, name: str, lang: str, *, shot: bool = True) -> None:
    """``assert_accessible``; a screenshot ``survey-<name>-<lang>.png`` unless ``shot`` is off,
    into docs/screenshots/ only for the pages docs/questionnaires.md shows."""
    assert_accessible(page, name, lang)
    if shot and (shots != DOCS or (name, lang) in PICTURED):
        page.screenshot(path=str(shots / f"survey-{name}-{lang}.png"), full_page=True)


def _phone(browser: Browser, lang: str, **extra: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale=LOCALES[lang], **PHONE, **extra)
    return context, context.new_page()


def _press(page: Page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def _stored(link: Link) -> dict[str, str]:
    rows = Response.objects.filter(invitation_id=link.invitation_id)
    out = {}
    for r in rows:
        out[r.item] = str(int(r.value)) if r.value is not None else str(r.text)
    return out


def _answer_page(page: Page, choice: int, clicked: dict[str, str]) -> None:
    """Tap the ``choice``-th answer of every question on the page (by its visible label)."""
    for group in page.locator("fieldset.question").all():
        options = group.locator("label.option")
        option = options.nth(min(choice, options.count() - 1))
        option.click()
        radio = option.locator("input")
        clicked[radio.get_attribute("name") or ""] = radio.get_attribute("value") or ""
    for field in page.locator("div.question input, div.question textarea").all():
        name = field.get_attribute("name") or ""
        value = "3" if "inputmode" in (field.evaluate("e => e.outerHTML") or "") else "Goed."
        field.fill(value)
        clicked[name] = value


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_supervisor_answers_on_a_phone_stops_halfway_resumes_and_finishes(
    browser: Browser, live_server: Any, shots: Path, lang: str
) -> None:
    link, token = respondent_link(language=lang)
    base = f"{live_server.url}/v/{token}/"
    t = TEXT[lang]
    context, page = _phone(browser, lang)
    page.goto(base)
    check(page, shots, "start", lang)
    _press(page, t["yes"])
    assert page.url == base + "1/"
    assert page.locator("fieldset.question").count() == 8
    check(page, shots, "page", lang)
    clicked: dict[str, str] = {}
    _answer_page(page, 3, clicked)
    _press(page, t["next"])

    # Page 2 sent half-answered: messages next to the fields and a summary that leads there.
    page.locator("fieldset.question").first.locator("label.option").nth(1).click()
    clicked[page.locator("fieldset.question input").first.get_attribute("name") or ""] = "2"
    _press(page, t["next"])
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert page.locator("p.error").count() == 7
    assert page.locator("p.error").first.inner_text().endswith(t["choose"])
    check(page, shots, "page-errors", lang)
    summary.locator("a").first.click()
    focused = page.evaluate("document.activeElement.id")
    second = page.locator("fieldset.question").nth(1).locator("input").first
    assert focused == second.get_attribute("id")

    # Stop here; the answers given so far are kept.
    _press(page, t["pause"])
    check(page, shots, "paused", lang)
    context.close()
    assert _stored(link) == clicked

    # Another day, another browser: the link opens where the respondent left off.
    context, page = _phone(browser, lang)
    page.goto(base)
    assert page.url == base + "2/"
    assert page.locator("fieldset.question").first.locator("input:checked").count() == 1
    _answer_page(page, 4, clicked)
    _press(page, t["next"])
    _press(page, t["back"])  # back keeps the answers
    assert page.url == base + "2/"
    assert page.locator("input:checked").count() == 8
    _press(page, t["next"])
    _answer_page(page, 0, clicked)
    _press(page, t["next"])
    assert page.url == base + "einde/"
    check(page, shots, "finish", lang)
    _press(page, t["send"])
    assert t["thanks"] in page.locator("h1").inner_text()
    check(page, shots, "thanks", lang)
    context.close()

    assert _stored(link) == clicked
    assert len(clicked) == 20
    assert Invitation.objects.get(pk=link.invitation_id).completed_at is not None


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_employee_answers_in_easy_read_mode_one_question_per_screen(
    browser: Browser, live_server: Any, shots: Path, lang: str
) -> None:
    link, token = respondent_link(language=lang, role="employee", pseudonym="E-EASY")
    base = f"{live_server.url}/v/{token}/"
    t = TEXT[lang]
    context, page = _phone(browser, lang)
    page.goto(base)
    _press(page, t["easy"])  # the choice on the start page
    assert page.locator("body.easy").count() == 1
    read = page.get_by_role("button", name=t["read"], exact=True)
    assert read.is_visible()  # Chromium has speech synthesis
    check(page, shots, "start-easy", lang)
    page.locator("#extra-register").check()
    _press(page, t["yes"])

    clicked: dict[str, str] = {}
    assert page.locator(".note").count() == 1  # the introduction, a screen of its own
    check(page, shots, "note-easy", lang)
    _press(page, t["next"])
    check(page, shots, "score-easy", lang)  # work ability, 0 to 10
    _press(page, t["next"])  # without an answer: a message
    assert page.locator(".error-summary").count() == 1
    check(page, shots, "error-easy", lang)
    _answer_page(page, 7, clicked)
    _press(page, t["next"])

    # A smiley question: five real radio buttons, each with its visible text, pictograms
    # decorative; large targets.
    assert page.locator("fieldset.question").count() == 1
    options = page.locator("label.option")
    assert options.count() == 5
    assert page.locator("label.option img[alt='']").count() == 5
    for i in range(5):
        box = options.nth(i).bounding_box()
        assert box is not None
        assert box["height"] >= 44
        name = page.get_by_role("radio").nth(i).evaluate("e => e.labels[0].innerText").strip()
        assert name
    button = page.get_by_role("button", name=t["next"]).bounding_box()
    assert button is not None
    assert button["height"] >= 44
    check(page, shots, "question-easy", lang)
    _answer_page(page, 4, clicked)
    _press(page, t["next"])
    _answer_page(page, 3, clicked)
    _press(page, t["pause"])
    context.close()

    # Back later, without JavaScript this time: the pages work the same, read-aloud hides.
    context, page = _phone(browser, lang, java_script_enabled=False)
    page.goto(base)
    assert page.url == base + "4/"  # the page where the respondent paused, answer kept
    assert page.locator("input:checked").count() == 1
    assert not page.get_by_role("button", name=t["read"], exact=True).is_visible()
    for _ in range(12):
        if "/einde/" in page.url:
            break
        _answer_page(page, 2, clicked)
        _press(page, t["next"])
        assert page.locator(".error-summary").count() == 0, page.url
    assert page.url == base + "einde/"
    context.close()
    # axe-core needs JavaScript: the last pages are checked in a browser that has it.
    context, page = _phone(browser, lang)
    page.goto(base)
    assert page.url == base + "einde/"
    check(page, shots, "finish-easy", lang)
    _press(page, t["send"])
    check(page, shots, "thanks-easy", lang)
    context.close()
    assert _stored(link) == clicked
    assert len(clicked) == 12


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_own_page_withdraws_and_erases_with_a_clear_confirmation(
    browser: Browser, live_server: Any, shots: Path, lang: str
) -> None:
    link, token = respondent_link(language=lang, consent=True, easy_read=True)
    Response.objects.create(
        invitation=link.invitation, instrument="sv_outcomes", item="kn1", value=4,
        submitted_at=timezone.now(),
    )  # fmt: skip
    t = TEXT[lang]
    context, page = _phone(browser, lang)
    page.goto(f"{live_server.url}/v/{token}/mijn-gegevens/")
    check(page, shots, "mine-easy", lang)
    page.get_by_label(t["erase"]).check()
    _press(page, t["withdraw"])
    assert t["erased"] in page.locator("[role=status]").inner_text()
    check(page, shots, "withdrawn-easy", lang)
    page.goto(f"{live_server.url}/v/{token}/")
    check(page, shots, "closed-withdrawn", lang, shot=False)
    context.close()
    assert not Response.objects.exists()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_closed_and_unknown_links_get_calm_accessible_pages(
    browser: Browser, live_server: Any, shots: Path, lang: str
) -> None:
    _, expired = respondent_link(language=lang, expires_in_days=-1, pseudonym="S-OLD")
    context, page = _phone(browser, lang)
    response = page.goto(f"{live_server.url}/v/{expired}/")
    assert response is not None
    assert response.status == 410
    check(page, shots, "closed-expired", lang)
    response = page.goto(f"{live_server.url}/v/{'A' * 43}/")
    assert response is not None
    assert response.status == 404
    check(page, shots, "closed-unknown", lang)
    for _ in range(ratelimit.MAX_FAILURES):
        page.goto(f"{live_server.url}/v/nonsense/")
    response = page.goto(f"{live_server.url}/v/{expired}/")
    assert response is not None
    assert response.status == 429
    check(page, shots, "closed-limited", lang, shot=False)
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_see_the_instrument_list_and_preview_both_modes(
    browser: Browser, live_server: Any, shots: Path, lang: str, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("onderzoeker", password="een-lang-wachtwoord")
    role_grant(user=user, role=Role.RESEARCHER)
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    log_in(page, live_server.url, "onderzoeker", "een-lang-wachtwoord")
    page.goto(live_server.url + "/vragenlijsten/")  # in the browser's language
    check(page, shots, "instrument-list", lang)
    for mode in ("gewoon", "makkelijk"):
        page.goto(f"{live_server.url}/vragenlijsten/T1/sv_process/{mode}/{lang}/1/")
        check(page, shots, f"preview-{mode}", lang, shot=False)
    assert not Response.objects.exists()
    context.close()
