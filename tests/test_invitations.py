"""Invitations and reminders over a real SMTP server (aiosmtpd on a loopback port).

The registry is ``registry.testing.world_build`` with group G-RIV-1 (region R10) and G-FV-1
(R11) meeting weekly from Monday 2 March 2026, so meeting 1 is on 2 March and meeting 5 on
30 March. From the shipped protocol: T0 is due 7 days before meeting 1 (23 February), T1 one
day after meeting 5 (31 March), T2 and T3 three and six months after meeting 5 (30 June,
30 September); employees answer at T0 and T2. Every wave closes to new invitations 42 days
after its date, and a link works until the start of the 42nd day after its invitation.
Anna (supervisor, G-RIV-1) and her employee Eva have e-mail addresses; Carla (supervisor,
G-FV-1) and her employee Dirk have none, so they get a printed letter. Bram is in no group
and is never invited.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.utils import timezone

from mentorwijs.cli import main
from mentorwijs.web.invitations import services
from mentorwijs.web.invitations.bounces import failed_message_ids
from mentorwijs.web.invitations.letters import OUTBOX
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.schedule import Rules, add_months, respondents_due
from mentorwijs.web.invitations.testing import (
    Inbox,
    html_of,
    smtp_server,
    text_of,
    token_in,
)
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.testing import ANNA, EVA, World, world_build
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.consent import record_consent
from mentorwijs.web.survey.links import LinkState, link_for_token, link_state

START = date(2026, 3, 2)
SITE = "https://mentorwijs.test"
CARLA_ADDRESS = "Dorpsstraat 12\n6711 AB Ede"


def at(text: str) -> datetime:
    """A moment in the site's time zone."""
    return timezone.make_aware(datetime.fromisoformat(text))


T0_DAY = at("2026-02-23T09:00")


@pytest.fixture
def world(db: Any) -> World:
    world = world_build(start=START)
    r.SupervisorIdentity.objects.filter(supervisor=world.carla).update(postal_address=CARLA_ADDRESS)
    return world


@pytest.fixture
def inbox(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "Onderzoek Mentorwijs <onderzoek@mentorwijs.test>"
        settings.MENTORWIJS_SITE_URL = SITE
        yield box


def run(now: datetime) -> services.RunReport:
    return services.invitations_run(now=now)


def deliveries(**filters: Any) -> list[Delivery]:
    return list(Delivery.objects.filter(**filters).select_related("link__invitation"))


# --- the schedule ------------------------------------------------------------------------


def test_it_moves_by_calendar_months() -> None:
    assert add_months(date(2026, 3, 30), 3) == date(2026, 6, 30)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


@pytest.mark.django_db
def test_waves_become_due_on_their_date_and_close_after_42_days(world: World) -> None:
    def due(moment: str) -> set[tuple[str, str]]:
        return {(d.respondent_id, d.wave) for d in respondents_due(now=at(moment))}

    assert due("2026-02-22T23:59") == set()
    t0 = {("S-ANNA", "T0"), ("E-EVA", "T0"), ("S-CARLA", "T0"), ("E-DIRK", "T0")}
    assert due("2026-02-23T00:00") == t0
    # T1 on 31 March (meeting 5 + 1 day), while T0 is still open until 6 April.
    assert due("2026-03-31T08:00") == t0 | {("S-ANNA", "T1"), ("S-CARLA", "T1")}
    assert due("2026-04-06T00:00") == {("S-ANNA", "T1"), ("S-CARLA", "T1")}
    # T2 = meeting 5 + 3 months = 30 June; T1 closed on 12 May.
    t2 = {("S-ANNA", "T2"), ("S-CARLA", "T2"), ("E-EVA", "T2"), ("E-DIRK", "T2")}
    assert due("2026-06-30T12:00") == t2
    assert due("2026-09-30T12:00") == {("S-ANNA", "T3"), ("S-CARLA", "T3")}
    first = next(d for d in respondents_due(now=T0_DAY) if d.respondent_id == "S-ANNA")
    assert first.due_on == date(2026, 2, 23)
    assert first.region_id == "R10"
    assert timezone.localtime(first.expires_at) == at("2026-04-06T00:00")


@pytest.mark.django_db
def test_someone_invited_late_gets_the_full_42_days(world: World, inbox: Inbox) -> None:
    run(at("2026-03-10T10:00"))  # T0 (due 23 February) is still open
    link = Delivery.objects.get(link__invitation__supervisor_id="S-ANNA").link
    assert timezone.localtime(link.expires_at) == at("2026-04-21T00:00")
    assert "werkt tot en met 20 april 2026" in text_of(inbox.to(ANNA["email"])[0])


@pytest.mark.django_db
def test_only_employees_who_may_be_asked_and_nobody_withdrawn_is_scheduled(
    world: World,
) -> None:
    m.Employee.objects.filter(pk="E-DIRK").update(consent_questionnaire=False)
    record_consent(
        role="supervisor", respondent_id="S-CARLA", purpose="questionnaire", given=False,
        version="1",
    )  # fmt: skip
    assert {d.respondent_id for d in respondents_due(now=T0_DAY)} == {"S-ANNA", "E-EVA"}


@pytest.mark.django_db
def test_a_group_without_planned_meetings_is_not_scheduled(world: World) -> None:
    world.other_group.meetings.all().delete()
    assert {d.respondent_id for d in respondents_due(now=T0_DAY)} == {"S-ANNA", "E-EVA"}


# --- sending -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invitations_arrive_over_smtp_with_a_working_link(world: World, inbox: Inbox) -> None:
    report = run(T0_DAY)
    assert inbox.recipients() == [ANNA["email"], EVA["email"]]
    assert report.sent["email"] == 2
    assert report.sent["letter"] == 2
    anna = inbox.to(ANNA["email"])[0]
    assert anna["Subject"] == ("Uitnodiging: de vragenlijst van Mentorwijs (Start van de training)")
    assert anna["From"] == "Onderzoek Mentorwijs <onderzoek@mentorwijs.test>"
    body = text_of(anna)
    assert body.startswith("Beste Anna de Vries,")
    assert "werkt tot en met 5 april 2026" in body
    token = token_in(anna)
    assert f"{SITE}/v/{token}/" in html_of(anna)
    link = link_for_token(token)
    assert link is not None
    assert link.invitation.supervisor_id == "S-ANNA"
    assert link.invitation.wave == "T0"
    assert link_state(link, now=T0_DAY) == LinkState.OPEN
    # The recorded Message-ID is the one the server received (for matching bounces).
    delivery = Delivery.objects.get(link=link)
    assert delivery.message_id == anna["Message-ID"]
    assert (delivery.status, delivery.kind, delivery.number) == ("sent", "invitation", 0)
    assert delivery.sent_at == T0_DAY
    # Employees' pages open in easy-read mode.
    eva = link_for_token(token_in(inbox.to(EVA["email"])[0]))
    assert eva is not None
    assert eva.easy_read
    assert eva.invitation.employee_id == "E-EVA"
    assert not link.easy_read


@pytest.mark.django_db
def test_an_english_link_gets_an_english_mail(world: World, inbox: Inbox) -> None:
    for d in respondents_due(now=T0_DAY):
        services.invitation_create(due=d, now=T0_DAY)
    from mentorwijs.web.survey.models import Link

    Link.objects.filter(invitation__supervisor_id="S-ANNA").update(language="en")
    run(T0_DAY)
    anna = inbox.to(ANNA["email"])[0]
    assert anna["Subject"] == "Invitation: the Mentorwijs questionnaire (Start of the training)"
    assert text_of(anna).startswith("Dear Anna de Vries,")
    assert "It works until 5 April 2026." in text_of(anna)
    assert anna["Content-Language"] == "en"


def _letter(delivery: Delivery, tmp: Path) -> Path:
    """The delivery's letter typeset now, as staff download it, in a file to read back."""
    path = tmp / f"letter-{delivery.pk}.pdf"
    path.write_bytes(services.letters_typeset(deliveries=[delivery]))
    return path


def _ready() -> list[str]:
    """Names of the letters on the list to print."""
    return sorted(Delivery.objects.exclude(letter_name="").values_list("letter_name", flat=True))


def _files_in_data_dir() -> list[Path]:
    return sorted(p for p in Path(os.environ["MENTORWIJS_DATA_DIR"]).rglob("*") if p.is_file())


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _qr_codes(path: Path, tmp: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp / "page")], check=True)
    found = []
    for png in sorted(tmp.glob("page*.png")):
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True
        )
        found += out.stdout.split()
    return found


@pytest.mark.django_db
def test_people_without_email_get_a_letter_with_the_link_as_qr_code(
    world: World, inbox: Inbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    run(T0_DAY)
    letter = Delivery.objects.get(link__invitation__supervisor_id="S-CARLA")
    assert (letter.channel, letter.status) == ("letter", "sent")
    assert "Carla" not in letter.letter_name
    pdf = _letter(letter, tmp_path)
    text = _pdf_text(pdf)
    assert "Carla Smit" in text
    assert "Dorpsstraat 12" in text
    assert "6711 AB Ede" in text
    assert "Uitnodiging: de vragenlijst van Mentorwijs" in text
    urls = [u for u in text.split() if u.startswith(SITE)]
    assert len(urls) == 1
    url = urls[0]
    link = link_for_token(url.rstrip("/").rsplit("/", 1)[1])
    assert link is not None
    assert link.invitation.supervisor_id == "S-CARLA"
    assert _qr_codes(pdf, tmp_path) == [url]
    # The name and address appear only on the letter: not in the log or the delivery row.
    row = " ".join(str(v) for v in Delivery.objects.filter(pk=letter.pk).values().get().values())
    for secret in ("Carla Smit", "Dorpsstraat"):
        assert secret not in caplog.text
        assert secret not in row
    dirk = Delivery.objects.get(link__invitation__employee_id="E-DIRK")
    assert dirk.channel == "letter"
    assert "Dirk Visser" in _pdf_text(_letter(dirk, tmp_path))
    # No letter is kept: nothing in the data folder holds the name, the address or a PDF.
    for path in _files_in_data_dir():
        data = path.read_bytes()
        assert b"%PDF" not in data[:8]
        for secret in ("Carla Smit", "Dorpsstraat", "Dirk Visser"):
            assert secret.encode() not in data
            assert secret.encode("utf-16-be") not in data


@pytest.mark.django_db
def test_a_second_run_sends_nothing(world: World, inbox: Inbox) -> None:
    run(T0_DAY)
    letters = _ready()
    log = list(Delivery.objects.order_by("pk").values())
    before = (len(inbox.messages), Delivery.objects.count(), m.Invitation.objects.count())
    report = run(T0_DAY + timedelta(minutes=5))
    assert (len(inbox.messages), Delivery.objects.count(), m.Invitation.objects.count()) == (before)
    assert _ready() == letters
    assert len(letters) == 2
    assert list(Delivery.objects.order_by("pk").values()) == log  # the delivery log unchanged
    assert not report.invitations
    assert not report.sent
    assert before == (2, 4, 4)


@pytest.mark.django_db
def test_letters_leave_the_list_to_print_when_their_link_closes(world: World, inbox: Inbox) -> None:
    run(T0_DAY)
    assert len(_ready()) == 2
    report = run(at("2026-04-05T23:59"))  # the T0 links work until the end of 5 April
    assert report.letters_removed == 0
    # Now also the T0 reminders (Carla, Dirk) and Carla's T1 invitation (due 31 March).
    assert len(_ready()) == 5
    report = run(at("2026-04-06T00:00"))
    assert report.letters_removed == 4
    left = _ready()
    assert len(left) == 1
    assert "-T1-invitation-" in left[0]
    closed = Delivery.objects.filter(channel="letter", link__invitation__wave="T0")
    assert set(closed.values_list("letter_name", flat=True)) == {""}
    assert set(closed.values_list("status", flat=True)) == {"sent"}  # the log keeps them
    assert not [p for p in _files_in_data_dir() if p.suffix == ".pdf"]


@pytest.mark.django_db
def test_a_letter_typeset_again_later_says_the_same_and_old_outbox_files_go(
    world: World, inbox: Inbox, tmp_path: Path
) -> None:
    # What an older version left behind: letters as files in outbox/.
    old = Path(os.environ["MENTORWIJS_DATA_DIR"]) / OUTBOX / "2026-02" / "000001-T0-inv-0.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF-1.7 Carla Smit, Dorpsstraat 12")
    run(T0_DAY)
    assert not old.parent.parent.exists()
    carla = Delivery.objects.get(link__invitation__supervisor_id="S-CARLA")
    first = _pdf_text(_letter(carla, tmp_path))
    run(T0_DAY + timedelta(days=3))  # three days later, as staff download it
    (tmp_path / f"letter-{carla.pk}.pdf").unlink()
    assert _pdf_text(_letter(carla, tmp_path)) == first
    assert "23 februari 2026" in first  # the day it was made ready, not the day it is printed


@pytest.mark.django_db
def test_a_dry_run_changes_nothing(world: World, inbox: Inbox) -> None:
    report = services.invitations_run(now=T0_DAY, dry_run=True)
    assert sum(report.invitations.values()) == 4
    assert report.invitations[("supervisor", "T0", "letter")] == 1
    assert report.invitations[("employee", "T0", "email")] == 1
    assert not inbox.messages
    assert not m.Invitation.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_reminders_reach_only_non_finishers_after_the_configured_days(
    world: World, inbox: Inbox, tmp_path: Path
) -> None:
    run(T0_DAY)
    m.Invitation.objects.filter(supervisor_id="S-ANNA").update(completed_at=T0_DAY)
    run(T0_DAY + timedelta(days=6, hours=23))
    assert len(inbox.messages) == 2  # nobody reminded before 7 days
    run(T0_DAY + timedelta(days=7))
    reminders = inbox.messages[2:]
    assert [str(x["To"]) for x in reminders] == [EVA["email"]]
    assert reminders[0]["Subject"].startswith("Herinnering:")
    # The reminder carries the same personal link as the invitation.
    assert token_in(reminders[0]) == token_in(inbox.to(EVA["email"])[0])
    letters = deliveries(kind="reminder", channel="letter", status="sent")
    assert {d.link.invitation.supervisor_id or d.link.invitation.employee_id for d in letters} == {
        "S-CARLA",
        "E-DIRK",
    }
    assert "Herinnering" in _pdf_text(_letter(letters[0], tmp_path))
    run(T0_DAY + timedelta(days=7, minutes=5))
    run(T0_DAY + timedelta(days=13))
    assert len(inbox.messages) == 3
    run(T0_DAY + timedelta(days=14))
    assert len(inbox.messages) == 4
    run(T0_DAY + timedelta(days=30))
    assert len(inbox.messages) == 4  # at most two reminders
    eva = m.Invitation.objects.get(employee_id="E-EVA")
    assert eva.reminders == 2
    assert eva.reminded_at == T0_DAY + timedelta(days=14)
    # The invitation is audited: each reminder's count is in the audit trail.
    from auditlog.models import LogEntry

    changes = [
        e.changes_dict.get("reminders")
        for e in LogEntry.objects.get_for_object(eva).order_by("timestamp")
        if e.action == LogEntry.Action.UPDATE and "reminders" in e.changes_dict
    ]
    assert changes == [["0", "1"], ["1", "2"]]
    assert m.Invitation.objects.get(supervisor_id="S-ANNA").reminders == 0


@pytest.mark.django_db
def test_the_reminder_rules_come_from_the_protocol(world: World, inbox: Inbox) -> None:
    run(T0_DAY)
    rules = Rules(reminder_after_days=3, reminder_every_days=2, max_reminders=1)
    assert services.reminders_due(now=T0_DAY + timedelta(days=2), rules=rules) == []
    due = services.reminders_due(now=T0_DAY + timedelta(days=3), rules=rules)
    assert len(due) == 4
    assert {number for _, number in due} == {1}


@pytest.mark.django_db
def test_withdrawn_persons_get_nothing(world: World, inbox: Inbox) -> None:
    record_consent(
        role="employee", respondent_id="E-EVA", purpose="questionnaire", given=False, version="1"
    )
    run(T0_DAY)
    assert inbox.recipients() == [ANNA["email"]]
    assert not m.Invitation.objects.filter(employee_id="E-EVA").exists()
    # Anna withdraws after her invitation: no reminder; a delivery made before she withdrew
    # is cancelled, not sent.
    record_consent(
        role="supervisor", respondent_id="S-ANNA", purpose="questionnaire", given=False,
        version="1",
    )  # fmt: skip
    assert all(
        inv.supervisor_id != "S-ANNA"
        for inv, _ in services.reminders_due(now=T0_DAY + timedelta(days=8), rules=Rules())
    )
    anna = m.Invitation.objects.get(supervisor_id="S-ANNA")
    services.reminder_create(invitation=anna, number=1, now=T0_DAY + timedelta(days=8))
    report = run(T0_DAY + timedelta(days=8))
    assert inbox.recipients() == [ANNA["email"]]
    assert report.cancelled == 1
    assert Delivery.objects.get(link__invitation=anna, kind="reminder").status == "cancelled"


@pytest.mark.django_db
def test_one_failure_does_not_stop_the_others_and_is_retried_later(
    world: World, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    inbox.refuse[ANNA["email"]] = "451 4.3.0 Mailbox temporarily unavailable"
    report = run(T0_DAY)
    assert inbox.recipients() == [EVA["email"]]
    assert report.failed == 1
    anna = Delivery.objects.get(link__invitation__supervisor_id="S-ANNA")
    assert (anna.status, anna.attempts) == ("failed", 1)
    assert anna.error.startswith("451")
    assert ANNA["email"] not in caplog.text
    del inbox.refuse[ANNA["email"]]
    report = run(T0_DAY + timedelta(minutes=5))
    assert inbox.recipients() == [ANNA["email"], EVA["email"]]
    anna.refresh_from_db()
    assert (anna.status, anna.attempts, anna.error) == ("sent", 2, "")
    assert report.sent["email"] == 1


@pytest.mark.django_db
def test_a_refused_address_is_recorded_as_bounced_and_never_retried(
    world: World, inbox: Inbox
) -> None:
    inbox.refuse[ANNA["email"]] = (
        f"550 5.1.1 <{ANNA['email']}>: Recipient address rejected: User unknown"
    )
    report = run(T0_DAY)
    assert report.bounced == 1
    anna = Delivery.objects.get(link__invitation__supervisor_id="S-ANNA")
    assert anna.status == "bounced"
    assert anna.bounced_at == T0_DAY
    assert anna.error.startswith("550 5.1.1")
    assert ANNA["email"] not in anna.error
    del inbox.refuse[ANNA["email"]]
    run(T0_DAY + timedelta(days=8))
    assert inbox.to(ANNA["email"]) == []  # no retry, and no reminder to a bounced address


@pytest.mark.django_db
def test_a_mail_server_that_is_down_fails_every_mail_and_the_next_run_sends_them(
    world: World, inbox: Inbox, settings: Any
) -> None:
    from mentorwijs.web.invitations.testing import free_port

    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    report = run(T0_DAY)
    assert report.failed == 2
    assert report.sent["letter"] == 2  # letters do not need the mail server
    assert all("Connection" in d.error for d in deliveries(channel="email"))
    settings.EMAIL_PORT = real_port
    run(T0_DAY + timedelta(minutes=5))
    assert inbox.recipients() == [ANNA["email"], EVA["email"]]


@pytest.mark.django_db
def test_a_delivery_is_tried_at_most_five_times(world: World, inbox: Inbox) -> None:
    inbox.refuse[ANNA["email"]] = "421 4.7.0 Try again later"
    for minutes in range(0, 35, 5):
        run(T0_DAY + timedelta(minutes=minutes))
    anna = Delivery.objects.get(link__invitation__supervisor_id="S-ANNA")
    assert (anna.status, anna.attempts) == ("failed", services.MAX_ATTEMPTS)


# --- bounces reported later -----------------------------------------------------------------

DSN = """\
From: MAILER-DAEMON@mx.example
To: onderzoek@mentorwijs.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example

Final-Recipient: rfc822; someone@example.org
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

From: onderzoek@mentorwijs.test
Message-ID: {message_id}
Subject: Uitnodiging

--B--
"""


@pytest.mark.django_db
def test_a_bounce_reported_later_marks_the_delivery_bounced(world: World, inbox: Inbox) -> None:
    run(T0_DAY)
    anna = Delivery.objects.get(link__invitation__supervisor_id="S-ANNA")
    raw = DSN.format(message_id=anna.message_id).replace("\n", "\r\n").encode()
    assert failed_message_ids(raw) == [anna.message_id]
    assert failed_message_ids(raw.replace(b"Action: failed", b"Action: delayed")) == []
    from django.core.management import call_command

    call_command("mark_bounced", anna.message_id.strip("<>"))
    anna.refresh_from_db()
    assert anna.status == "bounced"
    run(T0_DAY + timedelta(days=8))
    assert len(inbox.to(ANNA["email"])) == 1  # no reminder after a bounce


# --- the command ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_sends_and_reports_counts_without_names(world: World, inbox: Inbox) -> None:
    result = CliRunner().invoke(main, ["send-invitations", "--now", "2026-02-23T09:00"])
    assert result.exit_code == 0, result.output
    assert "uitgenodigd: 1 × leidinggevende T0 (e-mail)" in result.output
    assert "E-mails verstuurd: 2; brieven klaargezet: 2" in result.output
    assert "Anna" not in result.output
    assert len(inbox.messages) == 2
    again = CliRunner().invoke(main, ["send-invitations", "--now", "2026-02-23T09:05"])
    assert "E-mails verstuurd: 0; brieven klaargezet: 0" in again.output
    assert len(inbox.messages) == 2


@pytest.mark.django_db
def test_the_command_dry_run_and_a_bad_moment(world: World, inbox: Inbox) -> None:
    dry = CliRunner().invoke(main, ["--lang", "en", "send-invitations", "--now", "2026-02-23",
                                    "--dry-run"])  # fmt: skip
    assert dry.exit_code == 0, dry.output
    assert "would invite: 1 × employee T0 (letter)" in dry.output
    assert "Dry run: nothing made or sent" in dry.output
    assert not m.Invitation.objects.exists()
    bad = CliRunner().invoke(main, ["send-invitations", "--now", "gisteren"])
    assert bad.exit_code == 1
    assert "--now verwacht een ISO 8601-datum" in bad.output


@pytest.mark.django_db
def test_a_site_address_that_is_not_one_stops_the_run_before_anything_is_made(
    world: World, inbox: Inbox, settings: Any
) -> None:
    settings.MENTORWIJS_SITE_URL = "mentorwijs.example.nl"
    result = CliRunner().invoke(main, ["send-invitations", "--now", "2026-02-23T09:00"])
    assert result.exit_code == 1
    assert "MENTORWIJS_SITE_URL moet het adres van de site zijn" in result.output
    assert not m.Invitation.objects.exists()
    assert not inbox.messages
