"""Services that write study data. Keyword-only, one transaction each."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import connection, transaction

from mentorwijs.studydata import TABLE_NAMES, read_package, table_specs
from mentorwijs.web.errors import StudyDataPresentError
from mentorwijs.web.study import models as m
from mentorwijs.web.study.tables import DELETE_ORDER, DIRECT

BATCH = 5_000


def _records(name: str, df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (None for missing, date for dates)."""
    frame = df.copy()
    for f in table_specs()[name].fields:
        if f.type == "date":
            frame[f.name] = frame[f.name].dt.date
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def _insert(model: type[Any], rows: list[dict[str, Any]]) -> int:
    model.objects.bulk_create((model(**r) for r in rows), batch_size=BATCH)
    return len(rows)


def _insert_register_months(df: pd.DataFrame) -> int:
    """The register panel (hundreds of thousands of rows) in plain ``executemany``.

    Model instances cost ~30 µs a row; the panel has only numbers and short text, so its
    rows go to the database as tuples, inside the caller's transaction.
    """
    model = m.RegisterMonth
    cols = ["person_id", "month", "hours", "wage", "benefit", "benefit_amount"]
    db_cols = [model._meta.get_field(c.removesuffix("_id")).column for c in cols]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in db_cols)}) "
        f"VALUES ({', '.join(['%s'] * len(cols))})"
    )
    frame = df[cols].astype(object).where(df[cols].notna(), None)
    rows = list(frame.itertuples(index=False, name=None))
    with connection.cursor() as cur:
        for i in range(0, len(rows), BATCH):
            cur.executemany(sql, rows[i : i + BATCH])
    return len(rows)


def study_data_present() -> bool:
    """Whether the database holds any study data."""
    return m.StudyMeta.objects.exists() or m.Region.objects.exists()


def _delete_all() -> None:
    with connection.cursor() as cur:
        for model in DELETE_ORDER:
            cur.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def package_load(
    *, path: Path, replace: bool = False, extra_meta: Mapping[str, Any] | None = None
) -> dict[str, int]:
    """Import a study data package into the database, all or nothing.

    Parameters
    ----------
    path
        The package folder. It is validated first; an invalid package writes nothing.
    replace
        Delete the study data already in the database (in the same transaction).
    extra_meta
        Extra keys stored with the package metadata (e.g. ``{"demo": True}``).

    Returns
    -------
    dict
        Rows loaded per table.

    Raises
    ------
    InvalidStudyPackageError
        The package is invalid (nothing is written).
    StudyDataPresentError
        The database holds study data and ``replace`` is false.
    """
    from mentorwijs.web.interviews.package import interview_segments_load, transcripts_keep

    package = read_package(path)
    counts: dict[str, int] = {}
    with transaction.atomic():
        kept = {}
        if study_data_present():
            if not replace:
                raise StudyDataPresentError()
            kept = transcripts_keep()
            _delete_all()
        m.StudyMeta.objects.create(meta={**package.meta, **(extra_meta or {})})
        for name in TABLE_NAMES:
            if name == "register_months":
                counts[name] = _insert_register_months(package.tables[name])
                continue
            rows = _records(name, package.tables[name])
            if name == "interview_segments":
                counts[name] = interview_segments_load(rows, kept=kept)
            elif name in DIRECT:
                counts[name] = _insert(DIRECT[name], rows)
            elif name == "attendance":
                counts[name] = _insert(m.Attendance, _attendance(rows))
            elif name == "invitations":
                counts[name] = _insert(m.Invitation, _invitations(rows))
            elif name == "responses":
                counts[name] = _insert(m.Response, _responses(rows))
    return counts


def _attendance(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    meeting = {
        (g, n): pk
        for pk, g, n in m.Meeting.objects.values_list("pk", "training_group_id", "meeting_no")
    }
    return [
        {
            "meeting_id": meeting[(r["training_group_id"], r["meeting_no"])],
            "supervisor_id": r["supervisor_id"],
            "present": r["present"],
        }
        for r in rows
    ]


def _invitations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        rid = r.pop("respondent_id")
        r["supervisor_id" if r["role"] == "supervisor" else "employee_id"] = rid
        out.append(r)
    return out


def _responses(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    key = {}
    for pk, sup, emp, role, wave in m.Invitation.objects.values_list(
        "pk", "supervisor_id", "employee_id", "role", "wave"
    ):
        key[(sup or emp, role, wave)] = pk
    out = []
    for r in rows:
        r["invitation_id"] = key[(r.pop("respondent_id"), r.pop("role"), r.pop("wave"))]
        out.append(r)
    return out
