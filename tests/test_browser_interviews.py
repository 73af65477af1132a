"""Interviews in a real browser: Debian's Chromium driven by Playwright, checked by axe-core.

A researcher uploads a transcript (recording a consent given on paper), codes passages by
selecting them with the mouse, codes others with the keyboard only, and finds them again on
the page of passages per code. Every interview page is checked with axe-core in Dutch and
English: no violation of impact "serious" or "critical".

``MENTORWIJS_SCREENSHOTS=1`` writes the screenshots into ``docs/screenshots/``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser

from browser import DESKTOP, LOCALES, PASSWORD, check, log_in
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.survey.consent import record_consent

TRANSCRIPT = (
    "I: Hoe ging de begeleiding na de training?\n"
    "R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst.\n"
    "I: Merkt uw medewerker dat?\n"
    "R: Ja. Hij vraagt zelf vaker hoe het gaat.\n"
    "I: En de directie?\n"
    "R: Die steunt het niet echt. Er is geen tijd voor! Ik doe het in mijn pauze.\n"
    "I: Wat zou helpen?\n"
    "R: Een vast uur in de week. En een collega die meedenkt."
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return world_build(start=date.today() - timedelta(days=1), password=PASSWORD)


def interview_for(world: World) -> i.Interview:
    record_consent(role="supervisor", respondent_id="S-ANNA", purpose="interview", given=True,
                   version="test")  # fmt: skip
    interview, _ = services.interview_create(
        user=world.users["researcher"], role="supervisor", respondent_id="S-ANNA",
        text=TRANSCRIPT, wave="T2", held_on=date(2026, 10, 6),
    )  # fmt: skip
    services.codebook_ensure()
    return interview


def coded(interview: i.Interview) -> list[tuple[str, ...]]:
    """(first sentence text, codes…) of each segment, in order."""
    rows = []
    for seg in interview.segments.order_by("segment_no"):
        keys = sorted(seg.codings.values_list("code__key", flat=True))
        rows.append((seg.text, *keys))
    return rows


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_researcher_uploads_a_transcript_with_a_consent_given_on_paper(
    browser: Browser, live_server: Any, world: World, shots: Path, tmp_path: Path, lang: str
) -> None:
    file = tmp_path / "interview-anna.txt"
    file.write_text(TRANSCRIPT + "\nMail: anna@korenaar.nl", encoding="utf-8")
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")
    page.click("header a[href='/interviews/']")
    check(page, shots, "interview-list-empty", lang)
    page.click("main a.button[href='/interviews/nieuw/']")
    check(page, shots, "interview-upload", lang)
    page.set_input_files("#id_file", str(file))
    page.select_option("#id_role", "supervisor")
    page.fill("#id_respondent_id", "S-ANNA")
    page.select_option("#id_wave", "T2")
    page.fill("#id_held_on", "2026-10-06")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    check(page, shots, "interview-upload-no-consent", lang)  # refused: no consent yet
    assert not i.Interview.objects.exists()
    page.set_input_files("#id_file", str(file))
    page.select_option("#id_consent_source", "paper")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    interview = i.Interview.objects.get()
    assert page.url == f"{base}/interviews/{interview.interview_id}/"
    assert interview.region_id == "R10"
    warning = page.locator(".message.warning").inner_text()
    assert ("e-mailadres in zin 14" if lang == "nl" else "e-mail address in sentence 14") in warning
    assert page.locator("#transcript [role=option]").count() == 14
    check(page, shots, "interview-coding-empty", lang)
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_researcher_codes_a_passage_by_selecting_it_with_the_mouse(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    interview = interview_for(world)
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")
    page.goto(f"{base}/interviews/{interview.interview_id}/")
    # Drag from the start of sentence 2 to the middle of sentence 3: both are selected.
    page.locator("#s4").scroll_into_view_if_needed()
    start = page.locator("#s2 .words").bounding_box()
    end = page.locator("#s3 .words").bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()
    assert (page.input_value("#id_first"), page.input_value("#id_last")) == ("2", "3")
    assert page.locator("#s2").get_attribute("aria-selected") == "true"
    assert page.locator("#s4").get_attribute("aria-selected") == "false"
    page.get_by_label("Terugkoppeling" if lang == "nl" else "Performance feedback").check()
    page.get_by_label("Bevorderend" if lang == "nl" else "Facilitator").check()
    page.fill("#id_memo", "Feedback na elke dienst")
    with page.expect_navigation():
        page.click("#coding-form button[type=submit]")
    assert coded(interview) == [
        (
            "R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst.",
            "facilitator",
            "midi-performance-feedback",
        )
    ]
    assert page.locator("#s3.coded").count() == 1
    # A click on one sentence selects it alone; Shift+click extends to another.
    page.click("#s8 .words")
    page.click("#s10 .words", modifiers=["Shift"])
    assert (page.input_value("#id_first"), page.input_value("#id_last")) == ("8", "10")
    page.get_by_label("Beschikbare tijd" if lang == "nl" else "Time available").check()
    page.get_by_label("Belemmerend" if lang == "nl" else "Barrier").check()
    with page.expect_navigation():
        page.click("#coding-form button[type=submit]")
    assert coded(interview)[1][1:] == ("barrier", "midi-time-available")
    check(page, shots, "interview-coding", lang)
    context.close()


def test_a_researcher_codes_with_the_keyboard_only(
    browser: Browser, live_server: Any, world: World
) -> None:
    interview = interview_for(world)
    context = browser.new_context(locale="nl-NL", **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")
    page.goto(f"{base}/interviews/{interview.interview_id}/")
    for _ in range(80):  # Tab through the page to the transcript
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "transcript":
            break
    assert page.evaluate("document.activeElement.id") == "transcript"
    for _ in range(8):  # from sentence 1 to 9, "Er is geen tijd voor!"
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowDown")  # and 10, "Ik doe het in mijn pauze."
    assert page.locator("#transcript").get_attribute("aria-activedescendant") == "s10"
    status = page.locator("#selection-status").inner_text()
    assert status == "Zinnen 9 tot en met 10 zijn geselecteerd."
    page.keyboard.press("c")  # to the code chooser
    assert page.evaluate("document.activeElement.id") == "code-filter"
    page.keyboard.type("tijd")
    assert page.locator(".code-option:visible").count() == 1
    page.keyboard.press("Enter")  # to the first code shown
    page.keyboard.press("Space")
    page.keyboard.press("Escape")  # back to the transcript, the selection is kept
    assert page.evaluate("document.activeElement.id") == "transcript"
    page.keyboard.press("c")
    page.keyboard.press("Control+a")  # the filter still says "tijd": type over it
    page.keyboard.type("belemm")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    for _ in range(10):  # Tab on to the memo field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_memo":
            break
    page.keyboard.type("Geen tijd: pauze")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert coded(interview) == [
        ("Er is geen tijd voor! Ik doe het in mijn pauze.", "barrier", "midi-time-available")
    ]
    assert interview.segments.get().memo == "Geen tijd: pauze"
    # Back on the page the focus is on the transcript at the last sentence coded.
    page.wait_for_function("document.activeElement.id === 'transcript'", timeout=5000)
    assert page.locator("#transcript").get_attribute("aria-activedescendant") == "s10"
    context.close()


def test_without_javascript_the_form_codes_numbered_sentences(
    browser: Browser, live_server: Any, world: World
) -> None:
    interview = interview_for(world)
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")
    page.goto(f"{base}/interviews/{interview.interview_id}/")
    assert page.locator("#code-filter").is_hidden()
    page.fill("#id_first", "15")
    page.fill("#id_last", "16")
    page.get_by_label("Sociale steun").check()
    with page.expect_navigation():
        page.click("#coding-form button[type=submit]")
    assert "het transcript heeft zinnen 1 tot en met 13" in page.locator("main").inner_text()
    page.fill("#id_first", "12")
    page.fill("#id_last", "13")
    with page.expect_navigation():
        page.click("#coding-form button[type=submit]")
    assert coded(interview) == [
        ("R: Een vast uur in de week. En een collega die meedenkt.", "midi-social-support")
    ]
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_passages_are_retrieved_by_code_and_every_page_passes_axe(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    interview = interview_for(world)
    user = world.users["researcher"]
    get = i.Code.objects.get
    feedback = [get(key="midi-performance-feedback"), get(key="facilitator")]
    services.segment_code(interview=interview, user=user, first=2, last=3, memo="Vaker feedback",
                          codes=feedback)  # fmt: skip
    services.segment_code(interview=interview, user=user, first=8, last=10,
                          codes=[get(key="midi-time-available"), get(key="barrier")])  # fmt: skip
    services.segment_code(interview=interview, user=user, first=12, last=13,
                          codes=[get(key="midi-social-support")])  # fmt: skip
    second = get_user_model().objects.create(username="researcher_two")
    role_grant(user=second, role=Role.RESEARCHER)
    services.segment_code(interview=interview, user=second, first=2, last=2,
                          codes=[get(key="midi-performance-feedback")])  # fmt: skip
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "researcher")
    page.goto(base + "/interviews/fragmenten/")
    check(page, shots, "interview-passages-empty", lang)
    page.select_option("#id_code", "midi-user")  # a group: social support is under it
    page.select_option("#id_role", "supervisor")
    with page.expect_navigation():
        page.click("main form.filters button[type=submit]")
    texts = page.locator("blockquote.passage").all_inner_texts()
    assert texts == ["R: Een vast uur in de week. En een collega die meedenkt."]
    page.select_option("#id_code", "facilitator")
    with page.expect_navigation():
        page.click("main form.filters button[type=submit]")
    assert page.locator("blockquote.passage").count() == 1
    assert "Vaker feedback" in page.locator("main").inner_text()
    check(page, shots, "interview-passages", lang)
    with page.expect_download() as download:
        page.click("main a[href^='/interviews/fragmenten.csv']")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv_text.count("\n") == 3  # header and the segment's two codes

    for name, path in (
        ("interview-list", "/interviews/"),
        ("interview-codebook", "/interviews/codeboek/"),
        ("interview-code-edit", "/interviews/codeboek/midi-time-available/"),
        ("interview-segment-edit", f"/interviews/{interview.interview_id}/fragmenten/1/"),
        ("interview-compare", f"/interviews/{interview.interview_id}/vergelijken/"),
    ):
        page.goto(base + path)
        check(page, shots, name, lang)
    page.goto(base + "/interviews/codeboek/")
    page.fill("#id_name_nl", "kennis")  # a name that exists: shown again with the error
    with page.expect_navigation():
        page.click("form[action$='/codeboek/nieuw/'] button[type=submit]")
    check(page, shots, "interview-codebook-error", lang)
    context.close()
