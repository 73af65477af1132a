"""The answers of the database as exports: where they come from, and the audit entry.

The answers leave the database by the route of ``mentorwijs export``
(:func:`~mentorwijs.web.study.selectors.package_tables`, which
:func:`~mentorwijs.web.study.selectors.package_export` writes), so whatever that export
leaves out (identities always; the answers of respondents who withdrew consent) is left out
here too.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from mentorwijs.studydata import StudyPackage, answers_table, answers_zip
from mentorwijs.web.commands import database_label
from mentorwijs.web.errors import EmptyDatabaseError, NoDatabaseError
from mentorwijs.web.exports import export_log
from mentorwijs.web.study.selectors import package_tables, study_meta
from mentorwijs.web.survey.consent import withdrawn_respondents


def answers_package() -> tuple[StudyPackage, set[tuple[str, str]]]:
    """The invitations and answers in the database, as a study data package in memory, and
    the respondents to leave out: ``(role, pseudonym)`` of everyone who withdrew their
    questionnaire consent. The package's answers already lack theirs; passed as ``exclude``
    to :func:`~mentorwijs.studydata.answers_table`, their invitations (and so their
    pseudonyms and completion times) go too.

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
    tables = package_tables(names=("invitations", "responses"))
    return StudyPackage(tables=tables, meta=meta), withdrawn_respondents("questionnaire")


def answers_export_record(*, fmt: str, shape: str, lang: str, rows: int, via: str) -> None:
    """Write an export of the answers to the audit trail (see :mod:`mentorwijs.web.exports`):
    an *exported* entry with the format, shape, label language, rows and where it was made
    (``site`` or ``command line``); the actor is the user of the request, if any."""
    export_log(what="answers", format=fmt, shape=shape, lang=lang, rows=rows, via=via)


def answers_download(*, fmt: str, wide: bool, lang: str) -> tuple[str, bytes]:
    """A researcher's download: the export as a ZIP (data file and both codebooks), audited
    with the user of the request as actor.

    Returns
    -------
    tuple
        File name and the bytes of the ZIP archive.
    """
    package, exclude = answers_package()
    table = answers_table(package, wide=wide, lang=lang, exclude=exclude)
    name, content = answers_zip(table, fmt=fmt)
    answers_export_record(fmt=fmt, shape=table.shape, lang=lang, rows=len(table.data), via="site")
    return name, content
