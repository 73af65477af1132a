"""``mentorwijs backup`` and ``mentorwijs restore``: parse the arguments and delegate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mentorwijs.cli.base import say


@click.command()
@click.option(
    "--out", "out", type=click.Path(path_type=Path), required=True, help="The backup file."
)
def backup(out: Path) -> None:
    """Back up the database while the site runs (SQLite or PostgreSQL), to one file."""
    from mentorwijs.web import commands
    from mentorwijs.web.backup import database_backup

    commands.configure()
    written = database_backup(out=out)
    say(
        "Back-up van {db} geschreven naar {out}. De identiteitssleutel zit er niet in: "
        "bewaar die apart (docs/security.md).",
        "Backup of {db} written to {out}. The identity key is not in it: keep that apart "
        "(docs/security.md).",
        db=commands.database_label(),
        out=written,
    )


@click.command()
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace the data already in the database (it is lost)."
)
def restore(backup_file: Path, force: bool) -> None:
    """Restore a backup into an empty database (all or nothing)."""
    from mentorwijs.web import commands
    from mentorwijs.web.backup import database_restore

    commands.configure()
    done = database_restore(source=backup_file, force=force)
    say(
        "Teruggezet in {db}: {t} tabellen, {r} rijen.",
        "Restored into {db}: {t} tables, {r} rows.",
        db=commands.database_label(),
        t=done.tables,
        r=done.rows,
    )
    if not done.identities_readable:
        say(
            "let op: de identiteitssleutel die nu geldt opent de identiteiten in deze back-up "
            "niet; zet de sleutel van toen in MENTORWIJS_IDENTITY_KEY (docs/security.md).",
            "warning: the identity key in force does not open the identities in this backup; "
            "set the key of that time in MENTORWIJS_IDENTITY_KEY (docs/security.md).",
        )
        sys.exit(1)
