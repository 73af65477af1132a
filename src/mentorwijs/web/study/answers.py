"""The answers of the database as exports: the package they come from, and the audit entry.

The answers leave the database by the same route as ``mentorwijs export``
(:func:`~mentorwijs.web.study.selectors.package_export`), so whatever that export leaves
out (identities always; respondents who withdrew consent) is left out here too.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError

from mentorwijs.studydata import StudyPackage, answers_table, answers_zip, read_package
from mentorwijs.web.commands import database_label
from mentorwijs.web.errors import EmptyDatabaseError, NoDatabaseError
from mentorwijs.web.study import models as m
from mentorwijs.web.study.selectors import package_export, study_meta
from mentorwijs.web.survey.consent import withdrawn_respondents


def answers_package() -> tuple[StudyPackage, set[tuple[str, str]]]:
    """The invitations and answers in the database, as a study data package in memory, and
    the respondents to leave out: ``(role, pseudonym)`` of everyone who withdrew their
    questionnaire consent. The package export already drops their answers; passed as
    ``exclude`` to :func:`~mentorwijs.studydata.answers_table`, their invitations (and so
    their pseudonyms and completion times) go too.

    Raises
    ------
    NoDatabaseError
        The SQLite file does not exist (it is not created), or the database cannot be read.
    EmptyDatabaseError
        No study has been loaded into the database.
    """
    db = settings.DATABASES["default"]
    name = str(db["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    if "sqlite" in str(db["ENGINE"]) and not in_memory and not Path(name).is_file():
        raise NoDatabaseError(database_label())
    try:
        meta = study_meta()
    except DatabaseError as exc:
        raise NoDatabaseError(database_label()) from exc
    if meta is None:
        raise EmptyDatabaseError()
    with tempfile.TemporaryDirectory(prefix="mentorwijs-answers-") as tmp:
        folder = package_export(out=Path(tmp) / "package")
        package = read_package(folder, tables=("invitations", "responses"))
    return replace(package, path=None), withdrawn_respondents("questionnaire")


def answers_export_record(
    *, user: Any, fmt: str, shape: str, lang: str, rows: int, via: str
) -> None:
    """Write an export of the answers to the audit trail (who, when, what).

    The entry is an *access* entry on the study's metadata, with one line under
    ``answers_export``: the format, shape, label language, rows and where it was made
    (``site`` or ``command line``).
    """
    from auditlog.models import LogEntry

    meta = m.StudyMeta.objects.order_by("pk").first()
    if meta is None:
        return
    what = f"{fmt}, {shape}, {lang}, {rows} rows, {via}"
    LogEntry.objects.log_create(
        meta,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={"answers_export": [None, what]},
        actor=user if getattr(user, "is_authenticated", False) else None,
    )


def answers_download(*, user: Any, fmt: str, wide: bool, lang: str) -> tuple[str, bytes]:
    """A researcher's download: the export as a ZIP (data file and both codebooks), audited.

    Returns
    -------
    tuple
        File name and the bytes of the ZIP archive.
    """
    package, exclude = answers_package()
    table = answers_table(package, wide=wide, lang=lang, exclude=exclude)
    name, content = answers_zip(table, fmt=fmt)
    answers_export_record(
        user=user, fmt=fmt, shape=table.shape, lang=lang, rows=len(table.data), via="site"
    )
    return name, content
