"""The registry in a real browser: Debian's Chromium driven by Playwright, checked by axe-core.

A coordinator logs in, creates a group with five meetings and enrols supervisors; a trainer
marks attendance on a phone-sized screen, with and without JavaScript. Each page is checked
with axe-core in Dutch and in English: no violation of impact "serious" or "critical". So is
every other registry page (supervisors, employees, placements, municipalities, costs, import,
the audit trail, the employer contact's pages), and the forms shown again with errors.

Set ``MENTORWIJS_SCREENSHOTS=1`` to write the screenshots into ``docs/screenshots/``
(otherwise they go to a temporary folder, so a test run leaves the work tree alone).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser import DESKTOP, LOCALES, PASSWORD, PHONE, axe_serious, check, log_in
from mentorwijs.web.registry import services
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.study import models as m

#: Pages of ``check_pages`` whose screenshots docs/web.md shows (the others are only checked).
PICTURED = {"employee-detail", "placement-create", "municipality-list"}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = world_build(start=date.today() - timedelta(days=1), password=PASSWORD)
    employer = world.own_employer
    for name in ("Noor Yilmaz", "Sander Bos", "Ilse Vermeer", "Kevin Mulder"):
        services.supervisor_create(organisation=employer, identity=services.IdentityData(name))
    return world


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_coordinator_creates_a_group_with_five_meetings_and_enrols_supervisors(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    base = live_server.url
    page.goto(base + "/inloggen/")
    check(page, shots, "login", lang)
    log_in(page, base, "coordinator_own")
    page.wait_for_url(base + "/registratie/")
    check(page, shots, "dashboard", lang)

    page.click("a[href='/registratie/groepen/nieuw/']")
    check(page, shots, "group-create-empty", lang)
    first = date.today() + timedelta(days=14)
    page.select_option("#id_provider", "P-1")
    page.select_option("#id_trainer_1", "TR-1")
    page.select_option("#id_trainer_2", "TR-2")
    page.select_option("#id_mode", "in_person")
    page.fill("#id_capacity", "12")
    for no in range(1, 6):
        page.fill(f"#id_date_{no}", (first + timedelta(weeks=no - 1)).isoformat())
    page.fill("#id_start_time", "18:30")
    page.fill("#id_place", "Werkplein Tiel, Teisterbantlaan 1")
    check(page, shots, "group-create", lang)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/registratie/groepen/G-*/")

    group = m.TrainingGroup.objects.exclude(pk__in=["G-RIV-1", "G-FV-1"]).get()
    assert group.meetings.count() == 5
    assert group.meetings.get(meeting_no=5).date == first + timedelta(weeks=4)

    for name in ("Bram Jansen", "Noor Yilmaz", "Sander Bos"):
        page.get_by_label(name).check()
    with page.expect_navigation():
        page.click("form[action$='/inschrijven/'] button[type=submit]")
    enrolled = set(group.supervisors.values_list("identity__name", flat=True))
    assert enrolled == {"Bram Jansen", "Noor Yilmaz", "Sander Bos"}
    assert page.locator(".message.success").count() == 1
    check(page, shots, "group-detail", lang)
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_trainer_marks_attendance_on_a_phone_with_one_tap_each(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    services.training_group_enrol(
        training_group=world.own_group, supervisors=list(m.Supervisor.objects.filter(
            organisation=world.own_employer, training_group__isnull=True))
    )  # fmt: skip
    context = browser.new_context(locale=LOCALES[lang], **PHONE)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "trainer_own")
    page.wait_for_url(base + "/registratie/trainer/")
    check(page, shots, "trainer-home", lang)

    url = base + "/registratie/groepen/G-RIV-1/bijeenkomsten/2/"
    page.goto(url)
    page.evaluate("window.noReload = true")
    for name in ("Anna de Vries", "Noor Yilmaz", "Ilse Vermeer"):
        button = page.locator("button.tap", has_text=name)
        button.tap()
        page.wait_for_function(
            "b => b.getAttribute('aria-pressed') === 'true' && !b.hasAttribute('aria-busy')",
            arg=button.element_handle(),
        )
    again = page.locator("button.tap", has_text="Ilse Vermeer")
    again.tap()  # a second tap: absent
    page.wait_for_function(
        "b => b.dataset.state === 'absent' && !b.hasAttribute('aria-busy')",
        arg=again.element_handle(),
    )
    assert page.evaluate("window.noReload") is True  # saved without reloading the page
    marks = dict(
        m.Attendance.objects.filter(
            meeting__training_group=world.own_group, meeting__meeting_no=2
        ).values_list("supervisor__identity__name", "present")
    )
    assert marks == {"Anna de Vries": True, "Noor Yilmaz": True, "Ilse Vermeer": False}
    assert page.locator("#present-count").inner_text().startswith("2 ")
    for box in page.locator("button.tap").all():
        assert box.bounding_box()["height"] >= 44  # large targets
    check(page, shots, "attendance-phone", lang)

    page.check("#id_held")
    page.check("input[name=parts][value='1']")
    page.check("input[name=parts][value='2']")
    page.fill("#id_duration_minutes", "140")
    with page.expect_navigation():
        page.click("form[action$='/verslag/'] button[type=submit]")
    meeting = world.own_group.meetings.get(meeting_no=2)
    assert (meeting.held, meeting.parts_delivered, meeting.duration_minutes) == (True, [1, 2], 140)
    context.close()


def test_attendance_works_without_javascript(
    browser: Browser, live_server: Any, world: World
) -> None:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, **PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "trainer_own")
    page.goto(live_server.url + "/registratie/groepen/G-RIV-1/bijeenkomsten/3/")
    with page.expect_navigation():
        page.locator("button.tap", has_text="Anna de Vries").tap()
    assert (
        page.locator("button.tap", has_text="Anna de Vries").get_attribute("aria-pressed") == "true"
    )
    assert m.Attendance.objects.get(meeting__meeting_no=3, supervisor=world.anna).present
    context.close()


def check_pages(page: Page, base: str, shots: Path, lang: str, pages: dict[str, str]) -> None:
    """Visit each page and collect every serious or critical axe violation before failing."""
    problems = []
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, (name, response.status)
        assert page.locator("html").get_attribute("lang") == lang
        problems += [f"{name} [{lang}]: {p}" for p in axe_serious(page)]
        if name in PICTURED:
            page.screenshot(path=str(shots / f"{name}-{lang}.png"), full_page=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_coordinator_page_passes_axe(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "coordinator_own")
    page.wait_for_url(base + "/registratie/")
    placement = f"/registratie/plaatsingen/{world.placement.pk}/"
    check_pages(page, base, shots, lang, {
        "supervisor-list": "/registratie/leidinggevenden/",
        "supervisor-create": "/registratie/leidinggevenden/nieuw/",
        "supervisor-detail": "/registratie/leidinggevenden/S-ANNA/",
        "supervisor-edit": "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        "employee-list": "/registratie/medewerkers/",
        "employee-create": "/registratie/medewerkers/nieuw/",
        "employee-detail": "/registratie/medewerkers/E-EVA/",
        "employee-edit": "/registratie/medewerkers/E-EVA/wijzigen/",
        "placement-list": "/registratie/plaatsingen/",
        "placement-create": "/registratie/plaatsingen/nieuw/?employee=E-EVA",
        "placement-detail": placement,
        "placement-edit": placement + "wijzigen/",
        "municipality-list": "/registratie/gemeenten/",
        "municipality-create": "/registratie/gemeenten/nieuw/",
        "municipality-detail": "/registratie/gemeenten/GM0281/",
        "municipality-edit": "/registratie/gemeenten/GM0281/wijzigen/",
        "organisation-detail": "/registratie/organisaties/O-KORENAAR/",
        "costs": "/registratie/kosten/",
        "import-start": "/registratie/import/",
        "import-review": f"/registratie/import/{world.batch.pk}/",
        "meeting-detail": "/registratie/groepen/G-RIV-1/bijeenkomsten/1/",
    })  # fmt: skip

    # Forms shown again with their errors: each message tied to its field.
    for path, button in (
        ("/registratie/medewerkers/nieuw/", "main form button[type=submit]"),
        ("/registratie/plaatsingen/nieuw/", "main form button[type=submit]"),
        ("/registratie/gemeenten/nieuw/", "main form button[type=submit]"),
        ("/registratie/kosten/", "main form button[type=submit]"),
        (f"/registratie/import/{world.batch.pk}/", "button[value=check]"),
    ):
        page.goto(base + path)
        with page.expect_navigation():
            page.click(button)
        problems = axe_serious(page)
        assert not problems, f"{path} with errors [{lang}]: " + "; ".join(problems)
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_researcher_and_employer_contact_pages_pass_axe(
    browser: Browser, live_server: Any, world: World, shots: Path, lang: str
) -> None:
    base = live_server.url
    for username, pages in (
        ("researcher", {
            "audit-list": "/registratie/logboek/",
            "researcher-employee": "/registratie/medewerkers/E-EVA/",
            "researcher-placement": f"/registratie/plaatsingen/{world.placement.pk}/",
            "researcher-supervisor": "/registratie/leidinggevenden/S-ANNA/",
            "researcher-group": "/registratie/groepen/G-RIV-1/",
        }),
        ("employer_own", {
            "employer-organisation": "/registratie/organisaties/O-KORENAAR/",
            "employer-supervisor": "/registratie/leidinggevenden/S-ANNA/",
        }),
    ):  # fmt: skip
        context = browser.new_context(locale=LOCALES[lang], **DESKTOP)
        page = context.new_page()
        log_in(page, base, username)
        page.wait_for_load_state()
        check_pages(page, base, shots, lang, pages)
        context.close()
