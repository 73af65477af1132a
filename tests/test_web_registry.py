"""The registry as coordinators and trainers use it: groups, enrolment, attendance, logs, costs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.errors import AlreadyEnrolledError, GroupFullError, NotInRegionError
from mentorwijs.web.registry import services
from mentorwijs.web.registry.models import SupervisorIdentity
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.study import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return world_build()


def client_for(world: World, username: str, lang: str = "nl") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    verified_login(client, world.users[username])
    return client


def test_it_creates_a_group_with_five_weekly_meetings(world: World) -> None:
    client = client_for(world, "coordinator_own")
    first = date.today() + timedelta(days=10)
    response = client.post(
        "/registratie/groepen/nieuw/",
        {
            "region": "R10",
            "provider": "P-1",
            "trainer_1": "TR-1",
            "trainer_2": "TR-2",
            "mode": "in_person",
            "capacity": "14",
            "date_1": first.isoformat(),
            "date_3": (first + timedelta(days=21)).isoformat(),
            "start_time": "18:30",
            "place": "Werkplein Tiel",
        },
    )
    assert response.status_code == 302
    group = m.TrainingGroup.objects.exclude(pk__in=["G-RIV-1", "G-FV-1"]).get()
    assert response["Location"] == f"/registratie/groepen/{group.pk}/"
    dates = list(group.meetings.order_by("meeting_no").values_list("date", flat=True))
    # Meeting 3 is a week later than usual; 2, 4 and 5 follow the one before by a week.
    assert dates == [first + timedelta(weeks=w) for w in (0, 1, 3, 4, 5)]
    assert set(group.meetings.values_list("place", flat=True)) == {"Werkplein Tiel"}
    assert not group.meetings.filter(held=True).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity": "25"}, "Zorg ervoor dat deze waarde hoogstens 18 is."),
        ({"trainer_2": "TR-1"}, "Kies twee verschillende trainers."),
        ({"date_2": "2000-01-01"}, "Een bijeenkomst moet na de vorige komen."),
        ({"region": "R11"}, "Selecteer een geldige keuze"),
    ],
)
def test_it_refuses_a_wrong_group_and_says_why_in_dutch(world: World, change, message) -> None:
    data = {
        "region": "R10",
        "provider": "P-1",
        "trainer_1": "TR-1",
        "mode": "online",
        "capacity": "12",
        "date_1": (date.today() + timedelta(days=5)).isoformat(),
    }
    response = client_for(world, "coordinator_own").post(
        "/registratie/groepen/nieuw/", data | change
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert m.TrainingGroup.objects.count() == 2


def test_it_enrols_supervisors_of_the_region_and_shows_their_names(world: World) -> None:
    client = client_for(world, "coordinator_own")
    page = client.get("/registratie/groepen/G-RIV-1/").content.decode()
    assert "Bram Jansen" in page  # available to enrol
    assert "Carla Smit" not in page  # another region's supervisor
    response = client.post(
        "/registratie/groepen/G-RIV-1/inschrijven/", {"supervisors": ["S-BRAM"]}, follow=True
    )
    assert "1 leidinggevende(n) ingeschreven." in response.content.decode()
    world.bram.refresh_from_db()
    assert world.bram.training_group_id == "G-RIV-1"


def test_enrolling_another_regions_supervisor_is_a_404_and_changes_nothing(world: World) -> None:
    client = client_for(world, "coordinator_own")
    response = client.post(
        "/registratie/groepen/G-RIV-1/inschrijven/", {"supervisors": ["S-CARLA"]}
    )
    assert response.status_code == 404
    world.carla.refresh_from_db()
    assert world.carla.training_group_id == "G-FV-1"


def test_the_enrolment_rules_hold_in_the_service(world: World) -> None:
    with pytest.raises(NotInRegionError):
        services.training_group_enrol(training_group=world.own_group, supervisors=[world.carla])
    second = services.training_group_create(
        region=world.own_group.region,
        provider=world.own_group.provider,
        trainer_1=world.own_group.trainer_1,
        trainer_2=None,
        mode="online",
        capacity=8,
        meetings=[services.MeetingPlan(date(2030, 1, 7) + timedelta(weeks=i)) for i in range(5)],
    )
    with pytest.raises(AlreadyEnrolledError):
        services.training_group_enrol(training_group=second, supervisors=[world.anna])
    world.own_group.capacity = 1
    world.own_group.save()
    with pytest.raises(GroupFullError) as caught:
        services.training_group_enrol(training_group=world.own_group, supervisors=[world.bram])
    assert "heeft plaats voor 1" in caught.value.message_nl
    world.bram.refresh_from_db()
    assert world.bram.training_group_id is None


def test_the_trainer_marks_attendance_with_a_plain_form_post(world: World) -> None:
    client = client_for(world, "trainer_own")
    url = "/registratie/groepen/G-RIV-1/bijeenkomsten/2/"
    page = client.get(url).content.decode()
    assert "Anna de Vries" in page
    assert 'aria-pressed="false"' in page
    response = client.post(url + "aanwezigheid/", {"supervisor": "S-ANNA", "present": "1"})
    assert response.status_code == 302
    assert response["Location"] == url + "#s-S-ANNA"
    assert m.Attendance.objects.get(meeting__meeting_no=2, supervisor=world.anna).present
    assert 'aria-pressed="true"' in client.get(url).content.decode()


def test_the_script_saves_a_tap_and_gets_json_back(world: World) -> None:
    client = client_for(world, "trainer_own")
    url = "/registratie/groepen/G-RIV-1/bijeenkomsten/1/aanwezigheid/"
    response = client.post(
        url, {"supervisor": "S-ANNA", "present": "0"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200
    assert json.loads(response.content) == {"supervisor": "S-ANNA", "present": False, "count": 0}


def test_a_supervisor_outside_the_group_cannot_be_marked(world: World) -> None:
    client = client_for(world, "trainer_own")
    url = "/registratie/groepen/G-RIV-1/bijeenkomsten/1/aanwezigheid/"
    assert client.post(url, {"supervisor": "S-BRAM", "present": "1"}).status_code == 404
    assert client.post(url, {"supervisor": "S-ANNA", "present": "maybe"}).status_code == 400


def test_the_rest_is_marked_absent_in_one_go(world: World) -> None:
    services.training_group_enrol(training_group=world.own_group, supervisors=[world.bram])
    client = client_for(world, "trainer_own")
    client.post("/registratie/groepen/G-RIV-1/bijeenkomsten/1/rest-afwezig/")
    marks = dict(
        m.Attendance.objects.filter(meeting__meeting_no=1).values_list("supervisor_id", "present")
    )
    assert marks == {"S-ANNA": True, "S-BRAM": False}


def test_the_trainers_log_records_the_parts_delivered(world: World) -> None:
    client = client_for(world, "trainer_own")
    client.post(
        "/registratie/groepen/G-RIV-1/bijeenkomsten/1/verslag/",
        {"held": "on", "parts": ["1", "2", "4"], "duration_minutes": "135", "remarks": "Laat"},
    )
    meeting = world.own_group.meetings.get(meeting_no=1)
    assert (meeting.held, meeting.parts_delivered, meeting.delivered_parts) == (True, [1, 2, 4], 3)
    assert (meeting.duration_minutes, meeting.remarks) == (135, "Laat")


def test_a_wrong_log_is_shown_again_with_the_error(world: World) -> None:
    response = client_for(world, "trainer_own").post(
        "/registratie/groepen/G-RIV-1/bijeenkomsten/1/verslag/",
        {"held": "on", "duration_minutes": "-5"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_dashboard_shows_meetings_attendance_reach_and_costs(world: World) -> None:
    page = client_for(world, "coordinator_own").get("/registratie/").content.decode()
    assert "Dashboard: Rivierenland" in page
    assert "Buurthuis De Linde" in page  # upcoming meeting
    assert "100%" in page  # one mark, present
    assert "€ 400,00" in page  # 5 × 80
    assert "G-FV-1" not in page


def test_the_dashboard_speaks_english_when_asked(world: World) -> None:
    page = client_for(world, "coordinator_own", lang="en").get("/registratie/").content.decode()
    assert '<html lang="en">' in page
    assert "Upcoming meetings" in page
    assert "Costs so far" in page


def test_it_registers_and_changes_a_supervisor_with_the_identity_apart(world: World) -> None:
    client = client_for(world, "coordinator_own")
    response = client.post(
        "/registratie/leidinggevenden/nieuw/",
        {"name": "Dirk de Boer", "email": "dirk@korenaar.example", "organisation": "O-KORENAAR",
         "sex": "m", "age": "51"},
    )  # fmt: skip
    assert response.status_code == 302
    identity = SupervisorIdentity.objects.by_name("Dirk de Boer").get()
    supervisor = identity.supervisor
    assert supervisor.pk.startswith("S-")
    assert (supervisor.sex, supervisor.age, supervisor.organisation_id) == ("m", 51, "O-KORENAAR")
    client.post(
        f"/registratie/leidinggevenden/{supervisor.pk}/wijzigen/",
        {"name": "Dirk de Boer", "email": "d.deboer@korenaar.example",
         "organisation": "O-KORENAAR", "sex": "m", "age": "52"},
    )  # fmt: skip
    identity.refresh_from_db()
    supervisor.refresh_from_db()
    assert (identity.email, supervisor.age) == ("d.deboer@korenaar.example", 52)


def test_it_records_a_cost_entry_for_a_group_of_the_region(world: World) -> None:
    client = client_for(world, "coordinator_own")
    response = client.post(
        "/registratie/kosten/",
        {"region": "R10", "training_group": "G-RIV-1", "item": "soep en brood", "category": "meals",
         "payer": "municipality", "quantity": "12", "unit": "person", "unit_cost": "7.50"},
    )  # fmt: skip
    assert response.status_code == 302
    cost = m.Cost.objects.get(item="soep en brood")
    assert (cost.training_group_id, float(cost.unit_cost)) == ("G-RIV-1", 7.5)
    refused = client.post(
        "/registratie/kosten/",
        {"region": "R10", "training_group": "G-FV-1", "item": "x", "category": "meals",
         "payer": "municipality", "quantity": "1", "unit": "item", "unit_cost": "1"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert not m.Cost.objects.filter(item="x").exists()


def test_the_employer_contact_sees_own_people_and_figures(world: World) -> None:
    page = client_for(world, "employer_own").get("/", follow=True).content.decode()
    assert "Bakkerij De Korenaar" in page
    assert "Anna de Vries" in page
    assert "Bram Jansen" in page
    assert "Carla Smit" not in page


def test_a_researcher_sees_identities_only_with_a_grant(world: World) -> None:
    from mentorwijs.web.registry.models import Role

    researcher = world.users["researcher"]
    client = client_for(world, "researcher")
    url = "/registratie/leidinggevenden/S-ANNA/"
    assert "Anna de Vries" not in client.get(url).content.decode()
    services.role_grant(user=researcher, role=Role.RESEARCHER, identity_grant=True)
    assert "Anna de Vries" in client.get(url).content.decode()


def test_every_page_sends_a_content_security_policy_without_inline_scripts(world: World) -> None:
    response = client_for(world, "trainer_own").get("/registratie/groepen/G-RIV-1/bijeenkomsten/1/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert "<script>" not in body
    assert "onclick" not in body
    assert 'src="/static/registry/autosave.js"' in body
