"""Privacy duties: the generated record of processing, erasure after retention, key rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.privacy.record import processing_record_markdown, unclassified_models
from mentorwijs.web.privacy.services import ERASED, IDENTITY_MODELS
from mentorwijs.web.registry import crypto
from mentorwijs.web.registry.audit import audit_changes
from mentorwijs.web.registry.models import ImportBatch, SupervisorIdentity
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, World, world_build
from mentorwijs.web.study import models as m


def test_every_table_of_the_site_is_in_the_record_of_processing() -> None:
    missing = unclassified_models()
    assert not missing, (
        f"add {missing} to an activity in src/mentorwijs/web/privacy/processing.yaml "
        "(which personal data, why, on what basis, how long)"
    )


@pytest.mark.django_db
def test_the_record_lists_the_identity_columns_and_the_erasure_date(settings: Any) -> None:
    settings.MENTORWIJS_STUDY_END = "2027-03-31"
    settings.MENTORWIJS_RETENTION_MONTHS = 11
    nl = processing_record_markdown(lang="nl")
    assert "# Register van verwerkingen: Mentorwijs" in nl
    assert "`registry_employeeidentity`" in nl
    assert "postal address (`postal_address`)" not in nl  # column labels are in Dutch ...
    assert "(`postal_address`)" in nl
    assert "11 maanden na het einde van het onderzoek (2027-03-31): gewist vanaf 2028-02-29" in nl
    en = processing_record_markdown(lang="en")
    assert "erased from 2028-02-29 by `mentorwijs manage erase_identities`" in en
    assert "art. 9(2)(j) GDPR" in en
    assert "`study_employee`" in en


@pytest.mark.django_db
def test_the_record_is_a_page_for_researchers_only(db: Any) -> None:
    world = world_build()
    page = verified_login(Client(), world.users["researcher"]).get("/privacy/verwerkingsregister/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verwerkingsregister" in html
    assert "Bewaartermijn" in html
    assert "registry_supervisoridentity" in html
    coordinator = verified_login(Client(), world.users["coordinator_own"])
    assert coordinator.get("/privacy/verwerkingsregister/").status_code == 403


def test_the_command_prints_the_record(capsys: pytest.CaptureFixture[str], db: Any) -> None:
    call_command("processing_record", "--lang", "en")
    out = capsys.readouterr().out
    assert out.startswith("# Record of processing: Mentorwijs")
    assert "## Failed logins" in out


# --- erasure after the retention period -------------------------------------------------


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    settings.MENTORWIJS_STUDY_END = "2027-06-30"
    settings.MENTORWIJS_RETENTION_MONTHS = 12
    world = world_build()
    verified_login(Client(), world.users["coordinator_own"]).post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries-Smit", "email": "anna@nieuw.example", "organisation": "O-KORENAAR",
         "sex": "f", "age": "44", "years_experience": "12", "employees_guided": "2"},
    )  # fmt: skip
    return world


def erase(today: str, *extra: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("erase_identities", "--today", today, *extra, stdout=out)
    return out.getvalue()


def test_nothing_is_erased_before_the_retention_period_is_over(world: World) -> None:
    assert "De identiteiten worden gewist vanaf 2028-06-30" in erase("2028-06-29")
    assert SupervisorIdentity.objects.count() == 3


def test_a_dry_run_says_what_would_go(world: World) -> None:
    out = erase("2028-06-30", "--dry-run")
    assert "Zou 11 identiteiten en de rijen van 1 importbestanden wissen." in out
    assert SupervisorIdentity.objects.count() == 3


def test_after_the_retention_period_every_identity_is_erased_and_the_erasure_audited(
    world: World,
) -> None:
    out = erase("2028-06-30")
    assert "11 identiteiten gewist" in out
    assert all(model.objects.count() == 0 for model in IDENTITY_MODELS)
    # The pseudonymised study data stay.
    assert set(m.Supervisor.objects.values_list("pk", flat=True)) == {"S-ANNA", "S-BRAM", "S-CARLA"}
    assert ImportBatch.objects.get().rows == []
    deletes = LogEntry.objects.filter(
        action=LogEntry.Action.DELETE, additional_data__reason="retention"
    )
    assert deletes.count() == 11
    assert {e.additional_data["study_end"] for e in deletes} == {"2027-06-30"}
    # The values kept (encrypted) in earlier audit entries are erased as well.
    update = LogEntry.objects.filter(object_pk="S-ANNA", action=LogEntry.Action.UPDATE).filter(
        content_type__model="supervisoridentity"
    )
    assert audit_changes(entry=update.get(), identities=True)[0][1:] == (ERASED, ERASED)
    text = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f'SELECT * FROM "{table}"')
            text += [str(v) for row in cur.fetchall() for v in row]
    opened = [crypto.decrypt(v) for v in text if v.startswith("gAAAA")]
    assert not [s for s in IDENTITY_SECRETS if any(s in o for o in opened)]
    assert "nothing yet" not in erase("2028-07-01")  # running again is harmless


# --- key rotation ------------------------------------------------------------------------


@pytest.fixture
def own_key_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "identity.key"
    settings.MENTORWIJS_IDENTITY_KEY_FILE = path
    monkeypatch.delenv(crypto.ENV, raising=False)
    crypto.identity_keys.cache_clear()
    yield path
    crypto.identity_keys.cache_clear()


def raw_tokens() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT name, email FROM registry_supervisoridentity")
        return [v for row in cur.fetchall() for v in row]


def test_rotating_to_a_new_key_re_encrypts_everything_and_keeps_lookups(
    own_key_file: Path, db: Any
) -> None:
    world_build()
    old_key = own_key_file.read_text().strip().encode()
    call_command("rotate_identity_key", "--new-key", stdout=None)
    keys = own_key_file.read_text().split()
    assert len(keys) == 2
    assert keys[1].encode() == old_key
    new = Fernet(keys[0].encode())
    assert new.decrypt(raw_tokens()[0].encode()).decode() in ("Anna de Vries", "Bram Jansen",
                                                              "Carla Smit")  # fmt: skip
    assert all(new.decrypt(t.encode()) is not None for t in raw_tokens())
    assert SupervisorIdentity.objects.by_name("Anna de Vries").get().email == (
        "anna.devries@korenaar.example"
    )
    call_command("rotate_identity_key", "--drop-old", stdout=None)
    assert own_key_file.read_text().split() == keys[:1]
    crypto.identity_keys.cache_clear()
    assert SupervisorIdentity.objects.get(pk="S-ANNA").name == "Anna de Vries"


def test_a_key_from_the_environment_is_not_changed_by_the_command(
    own_key_file: Path, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management.base import CommandError

    monkeypatch.setenv(crypto.ENV, Fernet.generate_key().decode())
    monkeypatch.setenv("MENTORWIJS_LANG", "en")
    crypto.identity_keys.cache_clear()
    with pytest.raises(CommandError, match="put the new key first"):
        call_command("rotate_identity_key", "--new-key")
