"""The audit trail: every change with its author, time, before and after; researchers read it."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry import services
from mentorwijs.web.registry.audit import REDACTED, audit_changes
from mentorwijs.web.registry.models import Role, SupervisorIdentity
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.study import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return world_build()


def logged_in(world: World, username: str) -> Client:
    client = Client()
    verified_login(client, world.users[username])
    return client


def test_a_change_through_the_site_shows_before_after_and_author(world: World) -> None:
    coordinator = logged_in(world, "coordinator_own")
    coordinator.post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries", "email": "anna@nieuw.example", "phone": "06-11122233",
         "postal_address": "Molenstraat 1, 4001 AA Tiel", "organisation": "O-KORENAAR",
         "sex": "f", "age": "45", "years_experience": "12", "employees_guided": "2"},
    )  # fmt: skip
    supervisor_entry = LogEntry.objects.get_for_object(world.anna).latest("timestamp")
    assert supervisor_entry.actor == world.users["coordinator_own"]
    assert supervisor_entry.action == LogEntry.Action.UPDATE
    assert supervisor_entry.changes_dict == {"age": ["44", "45"]}
    identity = SupervisorIdentity.objects.get(supervisor=world.anna)
    identity_entry = (
        LogEntry.objects.get_for_object(identity)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    # The trail keeps identity values encrypted like the identities themselves ...
    assert set(identity_entry.changes_dict) == {"email"}
    assert "anna" not in str(identity_entry.changes_dict)
    # ... and shows them to who may read identities.
    assert audit_changes(entry=identity_entry, identities=True) == [
        ("email", "anna.devries@korenaar.example", "anna@nieuw.example")
    ]
    assert identity_entry.actor == world.users["coordinator_own"]


def test_attendance_taps_are_logged_with_the_trainer_as_author(world: World) -> None:
    trainer = logged_in(world, "trainer_own")
    url = "/registratie/groepen/G-RIV-1/bijeenkomsten/1/aanwezigheid/"
    trainer.post(url, {"supervisor": "S-ANNA", "present": "0"})
    row = m.Attendance.objects.get(meeting__meeting_no=1, supervisor=world.anna)
    entry = LogEntry.objects.get_for_object(row).latest("timestamp")
    assert (entry.actor.username, entry.changes_dict) == (
        "trainer_own",
        {"present": ["True", "False"]},
    )


def test_creating_and_deleting_are_logged_too(world: World) -> None:
    with set_actor(world.users["coordinator_own"]):
        cost = services.cost_create(
            region=world.own_group.region, item="zaalhuur", category="venue",
            payer="municipality", quantity=1, unit="meeting", unit_cost=90,
        )  # fmt: skip
        pk = cost.pk
        cost.delete()
    actions = list(
        LogEntry.objects.filter(object_pk=pk).order_by("timestamp").values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]


def test_the_researcher_filters_and_exports_the_trail_without_identities(world: World) -> None:
    logged_in(world, "coordinator_own").post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries-Smit", "email": "anna.devries@korenaar.example",
         "organisation": "O-KORENAAR", "sex": "f", "age": "44", "years_experience": "12",
         "employees_guided": "2"},
    )  # fmt: skip
    researcher = logged_in(world, "researcher")
    page = researcher.get("/registratie/logboek/", {"actor": "coordinator_own"}).content.decode()
    assert "coordinator_own" in page
    assert "Anna de Vries" not in page
    assert REDACTED in page
    response = researcher.get("/registratie/logboek.csv", {"actor": "coordinator_own"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows
    assert {r["actor"] for r in rows} == {"coordinator_own"}
    name = next(r for r in rows if r["field"] == "name")
    assert (name["before"], name["after"], name["action"]) == (REDACTED, REDACTED, "update")
    assert "Anna" not in response.content.decode()


def test_a_researcher_with_a_grant_sees_identity_values_in_the_trail(world: World) -> None:
    services.role_grant(user=world.users["researcher"], role=Role.RESEARCHER, identity_grant=True)
    logged_in(world, "coordinator_own").post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries-Smit", "email": "", "organisation": "O-KORENAAR", "age": "44",
         "years_experience": "12", "employees_guided": "2", "sex": "f"},
    )  # fmt: skip
    response = logged_in(world, "researcher").get("/registratie/logboek.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    name = next(r for r in rows if r["field"] == "name" and r["action"] == "update")
    assert (name["before"], name["after"]) == ("Anna de Vries", "Anna de Vries-Smit")


def test_the_trail_filters_on_table_action_and_pseudonym(world: World) -> None:
    from django.contrib.contenttypes.models import ContentType

    trainer = logged_in(world, "trainer_own")
    trainer.post(
        "/registratie/groepen/G-RIV-1/bijeenkomsten/2/aanwezigheid/",
        {"supervisor": "S-ANNA", "present": "1"},
    )
    researcher = logged_in(world, "researcher")
    ct = ContentType.objects.get_for_model(m.Attendance)
    page = researcher.get(
        "/registratie/logboek/", {"content_type": ct.pk, "action": "0", "actor": "trainer_own"}
    ).content.decode()
    assert "1 regel." in page
    none = researcher.get("/registratie/logboek/", {"object_pk": "no-such-key"}).content.decode()
    assert "0 regels." in none
