"""Selectors that read study data: the package export and the figures pages show."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from mentorwijs.studydata import TABLE_NAMES, coerce_table, table_specs, write_package
from mentorwijs.web.study import models as m
from mentorwijs.web.study.tables import DIRECT


def study_meta() -> dict[str, Any] | None:
    """The metadata of the loaded study, or None when no study is loaded."""
    row = m.StudyMeta.objects.first()
    return dict(row.meta) if row else None


def _frame(name: str) -> pd.DataFrame:
    cols = table_specs()[name].columns
    if name in DIRECT:
        model = DIRECT[name]
        qs = model.objects.order_by("pk").values_list(*cols)
    elif name == "attendance":
        qs = m.Attendance.objects.order_by("pk").values_list(
            "meeting__training_group_id", "meeting__meeting_no", "supervisor_id", "present"
        )
    elif name == "invitations":
        qs = (
            m.Invitation.objects.order_by("pk")
            .annotate(respondent_id=Coalesce("supervisor_id", "employee_id"))
            .values_list("respondent_id", *cols[1:])
        )
    elif name == "responses":
        qs = (
            m.Response.objects.order_by("pk")
            .annotate(
                respondent_id=Coalesce("invitation__supervisor_id", "invitation__employee_id"),
                role=F("invitation__role"),
                wave=F("invitation__wave"),
            )
            .values_list(*cols)
        )
    elif name == "interview_segments":
        from mentorwijs.web.interviews.package import interview_segments_rows

        qs = interview_segments_rows()
    else:  # pragma: no cover - every table is mapped above
        raise KeyError(name)
    return coerce_table(name, pd.DataFrame(list(qs), columns=cols))


def _without_withdrawn(responses: pd.DataFrame) -> pd.DataFrame:
    """Drop the answers of everyone who withdrew their questionnaire consent."""
    from mentorwijs.web.survey.consent import withdrawn_respondents

    gone = withdrawn_respondents("questionnaire")
    if not gone or responses.empty:
        return responses
    keys = pd.Series(list(zip(responses["role"], responses["respondent_id"], strict=True)))
    return responses.loc[~keys.isin(gone).to_numpy()].reset_index(drop=True)


def package_tables(*, names: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of the package export, read from the database (``names``: only these).

    Answers of people who withdrew their questionnaire consent are left out. The package
    export writes these tables; the answers export (``mentorwijs.web.study.answers``) reads
    its two from here without writing a package.
    """
    tables = {n: _frame(n) for n in TABLE_NAMES if names is None or n in names}
    if "responses" in tables:
        tables["responses"] = _without_withdrawn(tables["responses"])
    return tables


def package_export(*, out: Path) -> Path:
    """Write the study data in the database as a study data package (pseudonyms only).

    The package metadata stored at load time is written back; tables come out in load order.
    Answers of people who withdrew their questionnaire consent are left out, and so are the
    interview segments of people who withdrew their interview consent.
    """
    meta = study_meta() or {}
    tables = package_tables()
    written = write_package(out, tables, meta=meta)
    from mentorwijs.web.exports import export_log

    export_log(
        what="study data package",
        path=written,
        rows=sum(len(t) for t in tables.values()),
    )
    return written


def study_overview() -> dict[str, Any]:
    """Counts for the home page: regions, groups, people, and response per wave."""
    waves = (
        m.Invitation.objects.values("role", "wave")
        .annotate(invited=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("role", "wave")
    )
    return {
        "regions": list(
            m.Region.objects.filter(traininggroup__isnull=False)
            .distinct()
            .order_by("region_id")
            .values_list("name", flat=True)
        ),
        "training_groups": m.TrainingGroup.objects.count(),
        "supervisors": m.Supervisor.objects.count(),
        "employees": m.Employee.objects.count(),
        "waves": [
            {
                **w,
                "rate": (w["completed"] / w["invited"]) if w["invited"] else None,
            }
            for w in waves
        ],
    }
