"""Identities encrypted at rest with a key outside the database; every read and export audited.

The registry of ``world_build`` holds names, e-mail addresses, phone numbers and postal
addresses (``IDENTITY_SECRETS``); these tests look for them in every text column of every
table of the database, read the key file's permissions, rotate the key, run the data
migration on clear rows, and check the audit trail after pages and exports.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.errors import IdentityKeyError
from mentorwijs.web.registry import crypto
from mentorwijs.web.registry.models import SupervisorIdentity
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, World, world_build

SRC = Path(__file__).resolve().parent.parent / "src" / "mentorwijs"


@pytest.fixture
def world(db) -> World:
    return world_build()


def every_text_value() -> str:
    """All text of every column of every table, as one string (a database-wide scan)."""
    chunks = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            q = connection.ops.quote_name(table)
            cur.execute(f"SELECT * FROM {q}")
            for row in cur.fetchall():
                chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks)


@pytest.mark.django_db
def test_no_identity_value_is_stored_in_clear_anywhere_in_the_database(world: World) -> None:
    verified_login(Client(), world.users["coordinator_own"]).post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries", "email": "anna@nieuw.example", "phone": "06-11122233",
         "postal_address": "Molenstraat 1, 4001 AA Tiel", "organisation": "O-KORENAAR",
         "sex": "f", "age": "44", "years_experience": "12", "employees_guided": "2"},
    )  # fmt: skip
    text = every_text_value()
    leaked = [v for v in (*IDENTITY_SECRETS, "anna@nieuw.example", "Dirk de Boer") if v in text]
    assert not leaked  # not in the identity tables, the audit trail nor the import rows
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, email FROM registry_supervisoridentity WHERE supervisor_id = 'S-ANNA'"
        )
        name, email = cur.fetchone()
    assert name.startswith("gAAAA")
    assert email.startswith("gAAAA")
    assert crypto.decrypt(name) == "Anna de Vries"
    assert SupervisorIdentity.objects.get(pk="S-ANNA").email == "anna@nieuw.example"


@pytest.mark.django_db
def test_an_identity_is_found_by_exact_name_or_address_through_its_digest(world: World) -> None:
    assert SupervisorIdentity.objects.by_name("  anna DE vries ").get().pk == "S-ANNA"
    assert SupervisorIdentity.objects.by_email("ANNA.DEVRIES@korenaar.example").get().pk == "S-ANNA"
    assert not SupervisorIdentity.objects.by_name("Anna").exists()
    assert not SupervisorIdentity.objects.by_email("").exists()
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="encrypted"):
        SupervisorIdentity.objects.filter(name__icontains="Anna").count()


@pytest.fixture
def own_key_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh key file location; the cached keys are re-read before and after."""
    path = tmp_path / "keys" / "identity.key"
    settings.MENTORWIJS_IDENTITY_KEY_FILE = path
    monkeypatch.delenv(crypto.ENV, raising=False)
    crypto.identity_keys.cache_clear()
    yield path
    crypto.identity_keys.cache_clear()


def test_the_key_file_is_made_on_first_use_readable_by_the_owner_only(own_key_file: Path) -> None:
    assert not own_key_file.exists()
    token = crypto.encrypt("Anna de Vries")
    assert stat.S_IMODE(own_key_file.stat().st_mode) == 0o600
    Fernet(own_key_file.read_text().strip().encode())  # a real Fernet key
    assert crypto.decrypt(token) == "Anna de Vries"


def test_a_key_file_others_can_read_is_refused_with_a_clear_message(own_key_file: Path) -> None:
    crypto.encrypt("x")
    os.chmod(own_key_file, 0o644)
    crypto.identity_keys.cache_clear()
    with pytest.raises(IdentityKeyError) as info:
        crypto.encrypt("x")
    assert "chmod 600" in str(info.value)
    assert "chmod 600" in info.value.message_nl


def test_a_wrong_key_does_not_open_the_values(
    own_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = crypto.encrypt("Anna de Vries")
    monkeypatch.setenv(crypto.ENV, Fernet.generate_key().decode())
    crypto.identity_keys.cache_clear()
    with pytest.raises(IdentityKeyError) as info:
        crypto.decrypt(token)
    assert str(info.value).startswith("identity key (MENTORWIJS_IDENTITY_KEY): it does not open")
    assert "opent een opgeslagen waarde niet" in info.value.message_nl


def test_the_key_from_the_environment_wins_and_must_be_a_fernet_key(
    own_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.ENV, "geen-sleutel")
    with pytest.raises(IdentityKeyError, match="not a Fernet key"):
        crypto.encrypt("x")
    assert not own_key_file.exists()


# --- every read and every export in the audit trail -------------------------------------


def reads(model: Any, pk: str) -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk=pk,
            action=LogEntry.Action.ACCESS,
        )
    )


@pytest.mark.django_db
def test_reading_an_identity_on_a_page_is_logged_with_the_reader(world: World) -> None:
    client = verified_login(Client(), world.users["coordinator_own"])
    before = len(reads(SupervisorIdentity, "S-ANNA"))
    assert "Anna de Vries" in client.get("/registratie/leidinggevenden/S-ANNA/").content.decode()
    entries = reads(SupervisorIdentity, "S-ANNA")
    assert len(entries) == before + 1
    assert entries[-1].actor == world.users["coordinator_own"]


@pytest.mark.django_db
def test_a_list_of_names_logs_each_identity_it_shows(world: World) -> None:
    client = verified_login(Client(), world.users["coordinator_own"])
    page = client.get("/registratie/leidinggevenden/").content.decode()
    assert "Anna de Vries" in page
    assert "Bram Jansen" in page
    for pk in ("S-ANNA", "S-BRAM"):
        assert [e.actor.username for e in reads(SupervisorIdentity, pk)][-1:] == ["coordinator_own"]
    assert not reads(SupervisorIdentity, "S-CARLA")  # another region: not read


@pytest.mark.django_db
def test_a_researcher_without_a_grant_reads_no_identity_and_none_is_logged(world: World) -> None:
    client = verified_login(Client(), world.users["researcher"])
    client.get("/registratie/leidinggevenden/S-ANNA/")
    assert not reads(SupervisorIdentity, "S-ANNA")


@pytest.mark.django_db
def test_the_researchers_see_reads_and_exports_in_the_trail(world: World, tmp_path: Path) -> None:
    from conftest import TINY_META
    from mentorwijs.web.study.models import StudyMeta
    from mentorwijs.web.study.selectors import package_export

    StudyMeta.objects.create(meta=TINY_META)
    package_export(out=tmp_path / "pkg")
    verified_login(Client(), world.users["coordinator_own"]).get(
        "/registratie/leidinggevenden/S-ANNA/"
    )
    researcher = verified_login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.users["researcher"])
    researcher.get("/registratie/logboek.csv")
    exports = LogEntry.objects.filter(object_pk="export").order_by("pk")
    assert [e.additional_data["export"] for e in exports] == [
        "study data package",
        "audit trail (CSV)",
    ]
    assert exports[1].actor == world.users["researcher"]
    assert exports[0].additional_data["path"] == str(tmp_path / "pkg")
    page = researcher.get("/registratie/logboek/", {"action": "3"}).content.decode()
    assert "exported" in page
    assert "study data package" in page
    assert "read" in page


def test_no_code_joins_identities_in_past_the_read_log() -> None:
    pattern = re.compile(r"(select|prefetch)_related\([^)]*identity", re.S)
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders


# --- the data migration and key rotation ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_identities_stored_in_clear_before_it() -> None:
    from django.db.migrations.executor import MigrationExecutor

    from mentorwijs.web.study import models as m

    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0001_initial")])
    region = m.Region.objects.create(region_id="R1", name="Regio")
    org = m.Organisation.objects.create(organisation_id="O-1", kind="employer", region=region)
    m.Supervisor.objects.create(supervisor_id="S-1", organisation=org)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO registry_supervisoridentity "
            "(supervisor_id, name, email, phone, postal_address) VALUES (%s, %s, %s, %s, %s)",
            ["S-1", "Els Klaassen", "els@example.org", "", "Dorpsstraat 3"],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cur:
        cur.execute("SELECT name, postal_address FROM registry_supervisoridentity")
        name, address = cur.fetchone()
    assert "Els" not in name
    assert "Dorp" not in address
    identity = SupervisorIdentity.objects.get(pk="S-1")
    assert (identity.name, identity.email, identity.postal_address) == (
        "Els Klaassen", "els@example.org", "Dorpsstraat 3"
    )  # fmt: skip
    assert SupervisorIdentity.objects.by_email("els@example.org").exists()
