"""Monitoring of invitations: response per wave, the participant flow, the reminder list with
names and phone numbers for those who may read them, the delivery log and the letters.

The registry is ``registry.testing.world_build`` with two extra supervisors in the own group
(G-RIV-1, region R10), all meeting weekly from five days ago, so T0 was due twelve days ago.
T0 went out then: by e-mail to Anna, Fleur and Gijs (supervisors, R10) and Eva (employee,
R10), by letter to Carla (supervisor, R11) and Dirk (employee, R11). Anna and Fleur answered;
Dirk withdrew. Hand-counted: R10 supervisors 3 invited, 2 answered (67 %); R10 employees 1
invited, 0 answered; R11 supervisors and employees 1 invited each, 0 answered.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.invitations import selectors, services
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.consent import record_consent
from test_invitations import _pdf_text, _qr_codes

pytestmark = pytest.mark.django_db
START = date.today() - timedelta(days=5)
T0 = timezone.make_aware(datetime.combine(START - timedelta(days=7), time(9, 0)))


@pytest.fixture
def world(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path))
    settings.MENTORWIJS_SITE_URL = "https://mentorwijs.test"
    world = world_build(start=START)
    for pk, name, phone in (("S-FLEUR", "Fleur Smit", "06-1"), ("S-GIJS", "Gijs Kok", "06-2")):
        sup = m.Supervisor.objects.create(
            supervisor_id=pk, organisation=world.own_employer, training_group=world.own_group
        )
        r.SupervisorIdentity.objects.create(
            supervisor=sup, name=name, email=f"{pk.lower()}@korenaar.example", phone=phone
        )
    services.invitations_run(now=T0)
    m.Invitation.objects.filter(supervisor_id__in=["S-ANNA", "S-FLEUR"]).update(
        completed_at=T0 + timedelta(days=1)
    )
    record_consent(
        role="employee", respondent_id="E-DIRK", purpose="questionnaire", given=False, version="1"
    )
    return world


def client_of(world: World, username: str, lang: str = "nl") -> Client:
    return verified_login(Client(HTTP_ACCEPT_LANGUAGE=lang), world.users[username])


def test_response_per_wave_training_group_and_region(world: World) -> None:
    assert len(mail.outbox) == 4  # Anna, Fleur, Gijs and Eva by e-mail (Django's test outbox)
    rows = selectors.response_rows(invitations=m.Invitation.objects.all())
    table = [
        (x.region_id, x.training_group_id, x.role, x.wave, x.invited, x.answered) for x in rows
    ]
    assert table == [
        ("R10", "G-RIV-1", "employee", "T0", 1, 0),
        ("R10", "G-RIV-1", "supervisor", "T0", 3, 2),
        ("R10", "", "employee", "T0", 1, 0),
        ("R10", "", "supervisor", "T0", 3, 2),
        ("R11", "G-FV-1", "employee", "T0", 1, 0),
        ("R11", "G-FV-1", "supervisor", "T0", 1, 0),
        ("R11", "", "employee", "T0", 1, 0),
        ("R11", "", "supervisor", "T0", 1, 0),
    ]
    assert rows[1].rate == pytest.approx(200 / 3)
    assert rows[0].rate == 0.0


def test_the_participant_flow_counts_invited_answered_open_and_missed(world: World) -> None:
    own = m.TrainingGroup.objects.filter(region_id="R10")
    invitations = m.Invitation.objects.filter(supervisor__training_group__in=own) | (
        m.Invitation.objects.filter(employee__supervisor__training_group__in=own)
    )
    flows = selectors.participant_flow(
        groups=own, invitations=invitations, now=timezone.now(), lang="nl"
    )
    supervisors, employees = flows
    assert supervisors.eligible == 3
    assert [(s.wave, s.invited, s.answered, s.open, s.missed) for s in supervisors.steps] == [
        ("T0", 3, 2, 1, 0),
        ("T1", 0, 0, 0, 0),
        ("T2", 0, 0, 0, 0),
        ("T3", 0, 0, 0, 0),
    ]
    assert employees.eligible == 1
    assert [(s.wave, s.invited, s.answered) for s in employees.steps] == [
        ("T0", 1, 0),
        ("T2", 0, 0),
    ]
    # Links close 42 days after the invitation: then the open one counts as missed.
    later = selectors.participant_flow(
        groups=own, invitations=invitations, now=T0 + timedelta(days=43), lang="nl"
    )
    assert (later[0].steps[0].open, later[0].steps[0].missed) == (0, 1)


def test_the_coordinator_sees_the_own_region_with_a_flow_diagram_and_its_text(
    world: World,
) -> None:
    page = client_of(world, "coordinator_own").get("/uitnodigingen/").content.decode()
    assert "G-RIV-1" in page
    assert "G-FV-1" not in page
    assert '<svg viewBox="0 0 720' in page
    assert 'role="img"' in page
    assert "3 personen mogen worden gevraagd. T0: 3 uitgenodigd, 2 geantwoord (67%)." in page
    assert "Deelnemersstroom van de leidinggevenden" in page
    assert '<td class="num">67%</td>' in page
    other = client_of(world, "coordinator_other").get("/uitnodigingen/").content.decode()
    assert "G-FV-1" in other
    assert "G-RIV-1" not in other
    english = client_of(world, "researcher", "en").get("/uitnodigingen/").content.decode()
    assert "Participant flow of the supervisors" in english
    assert "G-RIV-1" in english
    assert "G-FV-1" in english
    assert "4 people may be asked." in english  # Anna, Fleur, Gijs and Carla


def test_the_reminder_list_shows_names_and_phones_only_to_who_may_read_them(
    world: World,
) -> None:
    own = client_of(world, "coordinator_own").get("/uitnodigingen/herinneren/")
    page = own.content.decode()
    # Gijs (no answer, invited 12 days ago) and Eva are due; Anna and Fleur answered.
    assert "Gijs Kok" in page
    assert 'href="tel:06-2"' in page
    assert "Eva Bakker" in page
    assert "06-44455566" in page
    assert "Fleur Smit" not in page
    assert "Anna de Vries" not in page
    assert "S-CARLA" not in page  # another region
    researcher = client_of(world, "researcher").get("/uitnodigingen/herinneren/").content.decode()
    assert "S-GIJS" in researcher
    assert "S-CARLA" in researcher
    assert "E-DIRK" not in researcher  # withdrawn
    for secret in ("Gijs Kok", "06-2<", "Eva Bakker", "06-44455566", "Carla Smit"):
        assert secret not in researcher
    rows = selectors.reminder_rows(
        invitations=m.Invitation.objects.filter(supervisor_id="S-GIJS"),
        now=timezone.now(),
        rules=services.rules_of(),
        readable=lambda region: False,
    )
    assert [(x.respondent_id, x.reminders, x.next_reminder, x.name) for x in rows] == [
        ("S-GIJS", 0, T0 + timedelta(days=7), None)
    ]


def test_a_researcher_with_an_identity_grant_sees_names(world: World) -> None:
    role_grant(user=world.users["nobody"], role=Role.RESEARCHER, identity_grant=True)
    page = client_of(world, "nobody").get("/uitnodigingen/herinneren/").content.decode()
    assert "Gijs Kok" in page
    assert "Carla Smit" in page


def test_the_delivery_log_filters_and_marks_a_later_bounce(world: World) -> None:
    client = client_of(world, "coordinator_own")
    page = client.get("/uitnodigingen/bezorging/?channel=email").content.decode()
    assert page.count("Markeer onbestelbaar") == 4
    assert "4 bezorgingen" in page
    assert "S-CARLA" not in page
    letters = client_of(world, "researcher").get("/uitnodigingen/bezorging/?channel=letter")
    assert "2 bezorgingen" in letters.content.decode()
    gijs = Delivery.objects.get(link__invitation__supervisor_id="S-GIJS")
    response = client.post(f"/uitnodigingen/bezorging/{gijs.pk}/onbestelbaar/")
    assert response.status_code == 302
    gijs.refresh_from_db()
    assert gijs.status == "bounced"
    assert "coordinator_own" in gijs.error
    later = services.reminders_due(now=timezone.now(), rules=services.rules_of())
    assert "S-GIJS" not in {inv.supervisor_id for inv, _ in later}
    listed = client.get("/uitnodigingen/herinneren/").content.decode()
    assert "e-mail onbestelbaar: bellen" in listed
    # A bounced or a letter delivery cannot be marked (again).
    assert client.post(f"/uitnodigingen/bezorging/{gijs.pk}/onbestelbaar/").status_code == 404


def test_staff_download_the_letters_of_their_region(world: World) -> None:
    client = client_of(world, "coordinator_other")
    page = client.get("/uitnodigingen/brieven/").content.decode()
    assert "Carla Smit" in page
    assert "Dirk Visser" in page
    carla = Delivery.objects.get(link__invitation__supervisor_id="S-CARLA")
    response = client.get(f"/uitnodigingen/brieven/{carla.pk}.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert "Carla" not in response["Content-Disposition"]
    carla.refresh_from_db()
    assert carla.downloaded_by == world.users["coordinator_other"]
    assert carla.downloaded_at is not None
    own = client_of(world, "coordinator_own")
    assert own.get(f"/uitnodigingen/brieven/{carla.pk}.pdf").status_code == 404
    assert "Carla Smit" not in own.get("/uitnodigingen/brieven/").content.decode()


def test_staff_download_every_new_letter_as_one_pdf_to_print(world: World, tmp_path: Path) -> None:
    client = client_of(world, "coordinator_other")
    assert (
        "Download de 2 nieuwe brieven als één pdf"
        in client.get("/uitnodigingen/brieven/").content.decode()
    )
    response = client.get("/uitnodigingen/brieven/nieuw.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(response.content)
    text = _pdf_text(pdf)
    assert "Carla Smit" in text
    assert "Dirk Visser" in text
    assert text.count("\f") == 2  # one page per letter
    links = set()
    for d in Delivery.objects.filter(channel="letter").select_related("link"):
        links.add(services.mail.respondent_url(services.token_for(d.link)))
        assert d.downloaded_by == world.users["coordinator_other"]
    assert set(_qr_codes(pdf, tmp_path)) == links
    # Nothing new any more: back to the list with a message.
    again = client.get("/uitnodigingen/brieven/nieuw.pdf")
    assert again.status_code == 302
    assert again["Location"] == "/uitnodigingen/brieven/"
