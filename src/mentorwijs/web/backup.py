"""Back up the database while the site runs, and restore a backup into an empty database.

SQLite: the online backup API of SQLite (``sqlite3.Connection.backup``) copies the database
page by page into a new file; writes by the site during the copy make it start over, so the
file is one consistent snapshot. PostgreSQL: ``pg_dump --format=custom`` reads everything in
one repeatable-read transaction (a consistent snapshot without blocking the site);
``pg_restore --single-transaction`` restores all or nothing.

The identity key is *not* in a backup (it lives outside the database): keep it apart, with
the backups it opens (docs/security.md). A restore checks that the key in force opens the
restored identities.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentorwijs.web.errors import BackupError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: Tables Django fills by itself on ``migrate``: rows there do not make a database "in use".
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    kind: str
    tables: int
    rows: int
    identities_readable: bool


def _database(database: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if database is not None:
        return database
    from django.conf import settings

    return settings.DATABASES["default"]


def _is_sqlite(database: Mapping[str, Any]) -> bool:
    return "sqlite" in str(database["ENGINE"])


def _pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client tool ``name`` (it must be as new as the server)."""
    folder = os.environ.get("MENTORWIJS_PG_BIN")
    candidates = [Path(folder) / name] if folder else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
        reverse=True,
    )
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)",
            f"{name} is niet geïnstalleerd; installeer de PostgreSQL-clientprogramma's "
            "(Debian: apt-get install postgresql-client)",
        )
    return found


def _pg_env(database: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(database["NAME"])]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str], what_en: str, what_nl: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit code {done.returncode}"
        raise BackupError(f"{what_en} failed: {last}", f"{what_nl} is mislukt: {last}")


# --- what is in a database ---------------------------------------------------------------


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _pg_counts(database: Mapping[str, Any]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**_pg_connect_args(database)) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        names = [row[0] for row in cur.fetchall()]
        counts = {}
        for name in names:
            cur.execute(f'SELECT COUNT(*) FROM "{name}"')
            row = cur.fetchone()
            counts[name] = int(row[0]) if row else 0
        return counts


def _pg_connect_args(database: Mapping[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {"dbname": database["NAME"]}
    for key, name in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if database.get(key):
            args[name] = database[key]
    return args


def _sqlite_connect(database: Mapping[str, Any]) -> sqlite3.Connection:
    """A connection to the configured SQLite database (Django's own for an in-memory one)."""
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        from django.db import connection

        connection.ensure_connection()
        return connection.connection  # type: ignore[no-any-return]
    return sqlite3.connect(name)


def table_counts(*, database: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Rows per table of the database (every table, bookkeeping included)."""
    db = _database(database)
    if _is_sqlite(db):
        conn = _sqlite_connect(db)
        return _sqlite_counts(conn)
    return _pg_counts(db)


def _in_use(counts: Mapping[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if n and t not in BOOKKEEPING}


# --- backup ------------------------------------------------------------------------------


def _log_backup(out: Path) -> None:
    """Write the backup to the audit trail (an export of everything), if the schema is there."""
    from django.db import connection

    if "auditlog_logentry" in connection.introspection.table_names():
        from mentorwijs.web.exports import export_log

        export_log(what="database backup", path=out.resolve())


def database_backup(*, out: Path, database: Mapping[str, Any] | None = None) -> Path:
    """Write a consistent backup of the database to ``out`` (written atomically).

    Raises
    ------
    BackupError
        The backup could not be written (no space, no pg_dump, no connection, ...).
    """
    db = _database(database)
    out = Path(out)
    if database is None:
        _log_backup(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if _is_sqlite(db):
            source = _sqlite_connect(db)
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
            finally:
                target.close()
        else:
            args, env = _pg_env(db)
            cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            _run([*cmd, "--file", str(tmp), *args], env, "pg_dump", "pg_dump")
        os.chmod(tmp, 0o600)  # a backup holds everything: readable by its owner only
        os.replace(tmp, out)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"the backup could not be written to {out}: {exc}",
            f"de back-up kon niet naar {out} worden geschreven: {exc}",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return out


# --- restore -----------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgres``, read from the file's first bytes."""
    try:
        head = Path(path).read_bytes()[:16]
    except OSError as exc:
        raise BackupError(
            f"the backup {path} cannot be read: {exc.strerror}",
            f"de back-up {path} is niet te lezen: {exc.strerror}",
        ) from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgres"
    raise BackupError(
        f"{path} is not a Mentorwijs backup (neither SQLite nor pg_dump's custom format)",
        f"{path} is geen back-up van Mentorwijs (geen SQLite en geen pg_dump-bestand)",
    )


def _refuse_if_in_use(counts: Mapping[str, int], force: bool) -> None:
    used = _in_use(counts)
    if used and not force:
        example = ", ".join(sorted(used)[:3])
        rows = sum(used.values())
        raise BackupError(
            f"the database already holds data ({rows} rows in {len(used)} tables, e.g. "
            f"{example}); restoring would replace all of it. Restore into an empty database, "
            "or add --force to replace what is there",
            f"de database bevat al gegevens ({rows} rijen in {len(used)} tabellen, bijv. "
            f"{example}); terugzetten vervangt die allemaal. Zet terug in een lege database, "
            "of voeg --force toe om te vervangen wat er staat",
        )


def _identities_readable(database: Mapping[str, Any]) -> bool:
    """Whether the key in force opens an identity of the restored database (True if none)."""
    from mentorwijs.web.errors import IdentityKeyError
    from mentorwijs.web.registry import crypto

    tables = (
        "registry_supervisoridentity",
        "registry_employeeidentity",
        "registry_traineridentity",
        "registry_organisationidentity",
    )
    if _is_sqlite(database):
        conn = _sqlite_connect(database)
        rows = []
        for table in tables:
            try:
                rows += conn.execute(f'SELECT name FROM "{table}" LIMIT 1').fetchall()
            except sqlite3.Error:
                continue
    else:
        import psycopg

        rows = []
        with psycopg.connect(**_pg_connect_args(database)) as pg, pg.cursor() as cur:
            for table in tables:
                try:
                    cur.execute(f'SELECT name FROM "{table}" LIMIT 1')
                    rows += cur.fetchall()
                except psycopg.Error:
                    pg.rollback()
    try:
        for (token,) in rows:
            crypto.decrypt(token)
    except IdentityKeyError:
        return False
    return True


def database_restore(
    *, source: Path, database: Mapping[str, Any] | None = None, force: bool = False
) -> Restored:
    """Restore the backup ``source`` into the database, all or nothing.

    The database must hold no data (only what ``migrate`` puts there) unless ``force``.

    Raises
    ------
    BackupError
        Not a backup, a backup of the other database kind, the database holds data and
        ``force`` is false, or the restore tool failed (the database is then unchanged).
    """
    db = _database(database)
    kind = backup_kind(source)
    target_kind = "sqlite" if _is_sqlite(db) else "postgres"
    if kind != target_kind:
        names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
        raise BackupError(
            f"{source} is a {names[kind]} backup and the configured database is "
            f"{names[target_kind]}; set MENTORWIJS_DATABASE_URL to a {names[kind]} database",
            f"{source} is een back-up van {names[kind]} en de ingestelde database is "
            f"{names[target_kind]}; zet MENTORWIJS_DATABASE_URL op een {names[kind]}-database",
        )
    _refuse_if_in_use(table_counts(database=db), force)
    if kind == "sqlite":
        backup = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            check = backup.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(
                    f"{source} is damaged (SQLite integrity check: {check})",
                    f"{source} is beschadigd (SQLite-integriteitscontrole: {check})",
                )
            target = _sqlite_connect(db)
            backup.backup(target)  # replaces the whole target database in one step
        finally:
            backup.close()
    else:
        args, env = _pg_env(db)
        cmd = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        _run([*cmd, *args, str(source)], env, "pg_restore", "pg_restore")
    counts = table_counts(database=db)
    return Restored(
        kind=kind,
        tables=len(counts),
        rows=sum(counts.values()),
        identities_readable=_identities_readable(db),
    )
