"""Backups: a consistent snapshot while the site writes, restored into an empty database.

Every test runs on the database of the run: SQLite in the ordinary run, PostgreSQL in the
PostgreSQL run (``make test`` runs the database tests twice). A restore goes into a new,
empty database (a fresh SQLite file, or a fresh PostgreSQL database made for the test) and
then every table is compared row by row with the source.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.backup import database_backup, database_restore, table_counts
from mentorwijs.web.errors import BackupError
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, world_build

SRC = Path(__file__).resolve().parent.parent / "src"


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_admin() -> Any:
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A new, empty database of the run's kind (its Django settings entry)."""
    if not on_postgres():
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "empty.sqlite3")}
        return
    name = f"mentorwijs_restore_{secrets.token_hex(4)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _columns(table: str) -> list[str]:
    with connection.cursor() as cur:
        return [c.name for c in connection.introspection.get_table_description(cur, table)]


def rows_of(database: Mapping[str, Any] | None) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, each value cast to text in SQL, sorted.

    The columns come from the source's schema; a restore must reproduce the same tables.
    """
    if database is None:
        fetch = connection.cursor()
    elif "sqlite" in database["ENGINE"]:
        fetch = sqlite3.connect(database["NAME"]).cursor()
    else:
        import psycopg

        fetch = psycopg.connect(
            dbname=database["NAME"], host=database["HOST"] or None, port=database["PORT"] or None,
            user=database["USER"] or None, password=database["PASSWORD"] or None,
        ).cursor()  # fmt: skip
    with connection.cursor() as cur:
        tables = sorted(
            t for t in connection.introspection.table_names(cur) if t != "sqlite_sequence"
        )
    out = {}
    for table in tables:
        cols = ", ".join(f'CAST("{c}" AS TEXT)' for c in _columns(table))
        fetch.execute(f'SELECT {cols} FROM "{table}"')
        out[table] = sorted(tuple(str(v) for v in row) for row in fetch.fetchall())
    return out


def make_data() -> None:
    """A registry with identities, changes in the audit trail, a 2FA device and a login."""
    world = world_build()
    client = verified_login(Client(), world.users["coordinator_own"])
    client.post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        {"name": "Anna de Vries", "email": "anna@nieuw.example", "organisation": "O-KORENAAR",
         "sex": "f", "age": "45", "years_experience": "12", "employees_guided": "2"},
    )  # fmt: skip
    client.get("/registratie/leidinggevenden/")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_table_equal(
    tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    make_data()
    out = database_backup(out=tmp_path / "mentorwijs.backup")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    raw = out.read_bytes()
    assert not [v for v in IDENTITY_SECRETS if v.encode() in raw]  # encrypted in the backup
    before = rows_of(None)
    restored = database_restore(source=out, database=empty_database)
    after = rows_of(empty_database)
    assert table_counts(database=empty_database).keys() >= before.keys()
    different = [t for t in before if before[t] != after[t]]
    assert not different
    assert restored.identities_readable
    assert restored.rows == sum(len(rows) for rows in before.values())
    assert len(before["registry_supervisoridentity"]) == 3
    assert any(t.startswith("auditlog") and before[t] for t in before)


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_holds_data_unless_forced(
    tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    make_data()
    out = database_backup(out=tmp_path / "mentorwijs.backup")
    database_restore(source=out, database=empty_database)
    with pytest.raises(BackupError) as info:
        database_restore(source=out, database=empty_database)
    assert "already holds data" in str(info.value)
    assert "--force" in str(info.value)
    assert "bevat al gegevens" in info.value.message_nl
    done = database_restore(source=out, database=empty_database, force=True)
    assert rows_of(empty_database) == rows_of(None)
    assert done.identities_readable


@pytest.mark.django_db
def test_a_file_that_is_no_backup_is_refused_and_changes_nothing(
    tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("geen back-up")
    with pytest.raises(BackupError, match="is not a Mentorwijs backup"):
        database_restore(source=bogus, database=empty_database)
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP" if not on_postgres() else b"SQLite format 3\x00")
    with pytest.raises(BackupError, match="set MENTORWIJS_DATABASE_URL"):
        database_restore(source=other, database=empty_database)
    assert not any(table_counts(database=empty_database).values())


@pytest.mark.django_db(transaction=True)
def test_the_backup_is_one_consistent_snapshot_while_the_site_writes(
    tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    """A writer adds a row to two tables in each transaction while three backups are made."""
    database = empty_database
    if on_postgres():
        import psycopg

        def connect() -> Any:
            return psycopg.connect(
                dbname=database["NAME"], host=database["HOST"] or None,
                port=database["PORT"] or None, user=database["USER"] or None,
                password=database["PASSWORD"] or None, autocommit=True,
            )  # fmt: skip

        mark = "%s"
    else:

        def connect() -> Any:
            return sqlite3.connect(database["NAME"], timeout=30, isolation_level=None)

        mark = "?"
    setup = connect()
    setup.execute("CREATE TABLE snap_a (n integer)")
    setup.execute("CREATE TABLE snap_b (n integer)")
    setup.close()
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        own = connect()
        try:
            while not stop.is_set():
                own.execute("BEGIN")
                own.execute(f"INSERT INTO snap_a VALUES ({mark})", [written[0]])
                own.execute(f"INSERT INTO snap_b VALUES ({mark})", [written[0]])
                own.execute("COMMIT")
                written[0] += 1
        finally:
            own.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            stop.wait(0.01)
        outs = [database_backup(out=tmp_path / f"b{i}.backup", database=database) for i in range(3)]
        during = written[0]
    finally:
        stop.set()
        thread.join()
    for out in outs:
        counts = _snapshot_counts(out)
        assert counts["snap_a"] == counts["snap_b"] > 0
    assert during > 20


def _snapshot_counts(out: Path) -> dict[str, int]:
    if not on_postgres():
        raw = sqlite3.connect(out)
        return {
            t: raw.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("snap_a", "snap_b")
        }
    from mentorwijs.web.backup import _pg_tool

    listing = subprocess.run(
        [_pg_tool("pg_restore"), "--data-only", "--table=snap_a", "--table=snap_b", "-f", "-",
         str(out)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    counts = {}
    for table in ("snap_a", "snap_b"):
        block = listing.split(f"COPY public.{table} ")[1].split("\\.")[0]
        counts[table] = len(block.strip().splitlines()) - 1
    return counts


def test_the_commands_back_up_and_restore_a_sqlite_database(
    tmp_path: Path, tiny_package: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORWIJS_")}
    env |= {"PYTHONPATH": str(SRC), "MENTORWIJS_DATA_DIR": str(tmp_path / "data")}

    def mentorwijs(db: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mentorwijs.cli", "--lang", "en", *args],
            env=env | {"MENTORWIJS_DATABASE_URL": f"sqlite:///{tmp_path / db}"},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    assert mentorwijs("site.sqlite3", "load", str(tiny_package)).returncode == 0
    done = mentorwijs("site.sqlite3", "backup", "--out", str(tmp_path / "site.backup"))
    assert done.returncode == 0, done.stderr
    assert "The identity key is not in it" in done.stdout
    done = mentorwijs("new.sqlite3", "restore", str(tmp_path / "site.backup"))
    assert done.returncode == 0, done.stderr
    assert "Restored into SQLite" in done.stdout
    original = sqlite3.connect(tmp_path / "site.sqlite3")
    restored = sqlite3.connect(tmp_path / "new.sqlite3")
    for table in ("study_region", "study_response", "auditlog_logentry"):
        query = f"SELECT * FROM {table} ORDER BY 1"
        assert original.execute(query).fetchall() == restored.execute(query).fetchall()
    again = mentorwijs("new.sqlite3", "restore", str(tmp_path / "site.backup"))
    assert again.returncode == 1
    assert "error: the database already holds data" in again.stderr
    forced = mentorwijs("new.sqlite3", "restore", "--force", str(tmp_path / "site.backup"))
    assert forced.returncode == 0, forced.stderr
