"""Selectors that read the registry: the dashboard's figures and the lists pages show.

Each takes the rows the caller may see (a queryset from ``access``) or a scope, never a
user's role: deciding what a user may see is ``access``'s job, counting is this module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from mentorwijs.web.registry import models as r
from mentorwijs.web.study import models as m


@dataclass(frozen=True)
class Person:
    """A row of a people list: the pseudonym always, the name only when readable."""

    pk: str
    name: str | None

    @property
    def label(self) -> str:
        return self.name or self.pk


def supervisor_names(*, supervisor_ids: Iterable[str]) -> dict[str, str]:
    """Names of the given supervisors (call only after an access check)."""
    return dict(
        r.SupervisorIdentity.objects.filter(supervisor_id__in=list(supervisor_ids)).values_list(
            "supervisor_id", "name"
        )
    )


def people(*, supervisors: Iterable[m.Supervisor], names: bool) -> list[Person]:
    """Supervisors as ``Person`` rows, sorted by what is shown."""
    rows = list(supervisors)
    known = supervisor_names(supervisor_ids=[s.pk for s in rows]) if names else {}
    return sorted((Person(s.pk, known.get(s.pk)) for s in rows), key=lambda p: p.label.lower())


def meetings_upcoming(
    *, groups: QuerySet[m.TrainingGroup], today: date, limit: int = 10
) -> list[m.Meeting]:
    """The next meetings of the groups, soonest first."""
    return list(
        m.Meeting.objects.filter(training_group__in=groups, date__gte=today)
        .select_related("training_group")
        .order_by("date", "start_time", "training_group_id")[:limit]
    )


def attendance_per_group(*, groups: QuerySet[m.TrainingGroup]) -> list[dict[str, Any]]:
    """Per group: enrolled supervisors, meetings held, marks recorded and attendance rate.

    The rate is present marks over all marks of held meetings; None before any mark.
    """
    rows = (
        groups.annotate(
            enrolled=Count("supervisors", distinct=True),
            held=Count("meetings", filter=Q(meetings__held=True), distinct=True),
        )
        .order_by("start_date", "training_group_id")
        .values("training_group_id", "start_date", "mode", "capacity", "enrolled", "held")
    )
    marks = {
        row["meeting__training_group_id"]: row
        for row in m.Attendance.objects.filter(meeting__training_group__in=groups)
        .values("meeting__training_group_id")
        .annotate(marked=Count("pk"), present=Count("pk", filter=Q(present=True)))
    }
    out = []
    for row in rows:
        mark = marks.get(row["training_group_id"], {"marked": 0, "present": 0})
        rate = mark["present"] / mark["marked"] if mark["marked"] else None
        out.append({**row, "marked": mark["marked"], "present": mark["present"], "rate": rate})
    return out


def reach(*, groups: QuerySet[m.TrainingGroup]) -> dict[str, int]:
    """Employers reached, supervisors enrolled and trained, employees under trained ones.

    A supervisor counts as trained after attending at least one meeting.
    """
    enrolled = m.Supervisor.objects.filter(training_group__in=groups)
    trained = enrolled.filter(attendance__present=True).distinct()
    return {
        "employers": enrolled.values("organisation_id").distinct().count(),
        "supervisors_enrolled": enrolled.count(),
        "supervisors_trained": trained.count(),
        "employees": m.Employee.objects.filter(supervisor__in=trained).count(),
    }


def costs_so_far(*, region_ids: Iterable[str]) -> dict[str, Any]:
    """Costs of the regions: the total and per category, in euros."""
    amount = ExpressionWrapper(
        F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    qs = m.Cost.objects.filter(region_id__in=list(region_ids))
    per = qs.values("category").annotate(amount=Sum(amount)).order_by("category")
    categories = [{"category": c["category"], "amount": Decimal(c["amount"] or 0)} for c in per]
    return {"total": sum((c["amount"] for c in categories), Decimal(0)), "categories": categories}


def costs_list(*, region_ids: Iterable[str]) -> list[m.Cost]:
    return list(
        m.Cost.objects.filter(region_id__in=list(region_ids)).order_by("region_id", "cost_id")
    )


def supervisors_available(*, region: m.Region) -> QuerySet[m.Supervisor]:
    """Supervisors of the region's employers who are not in a group yet."""
    return m.Supervisor.objects.filter(
        organisation__region=region, training_group__isnull=True
    ).select_related("organisation")


def group_meetings(*, group: m.TrainingGroup) -> list[dict[str, Any]]:
    """The group's meetings with how many supervisors were marked present."""
    return list(
        group.meetings.annotate(
            present=Count("attendance", filter=Q(attendance__present=True)),
            marked=Count("attendance"),
        ).order_by("meeting_no")
    )


def attendance_marks(*, meeting: m.Meeting) -> dict[str, bool]:
    """supervisor_id → present for one meeting."""
    return dict(
        m.Attendance.objects.filter(meeting=meeting).values_list("supervisor_id", "present")
    )


def organisation_figures(*, organisation: m.Organisation) -> dict[str, Any]:
    """An employer's aggregate figures: supervisors enrolled and trained, attendance, employees."""
    supervisors = m.Supervisor.objects.filter(organisation=organisation)
    marks = m.Attendance.objects.filter(supervisor__in=supervisors).aggregate(
        marked=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    return {
        "supervisors": supervisors.count(),
        "enrolled": supervisors.filter(training_group__isnull=False).count(),
        "trained": supervisors.filter(attendance__present=True).distinct().count(),
        "employees": m.Employee.objects.filter(supervisor__in=supervisors).count(),
        "rate": marks["present"] / marks["marked"] if marks["marked"] else None,
    }


def organisation_name(*, organisation: m.Organisation) -> str | None:
    identity = r.OrganisationIdentity.objects.filter(organisation=organisation).first()
    return identity.name if identity else None


def trainer_names(*, trainer_ids: Iterable[str]) -> dict[str, str]:
    return dict(
        r.TrainerIdentity.objects.filter(trainer_id__in=list(trainer_ids)).values_list(
            "trainer_id", "name"
        )
    )


def organisation_choices(*, region_ids: Iterable[str], kind: str) -> list[tuple[str, str]]:
    """(pk, label) of the regions' organisations of one kind, labelled by name when known."""
    qs = m.Organisation.objects.filter(kind=kind)
    if kind != "provider":  # providers work across regions
        qs = qs.filter(region_id__in=list(region_ids))
    names = dict(
        r.OrganisationIdentity.objects.filter(organisation__in=qs).values_list(
            "organisation_id", "name"
        )
    )
    rows = [(o.pk, f"{names[o.pk]} ({o.pk})" if o.pk in names else o.pk) for o in qs]
    return sorted(rows, key=lambda x: x[1].lower())


# --- employees, placements and municipalities ------------------------------------------


def employee_names(*, employee_ids: Iterable[str]) -> dict[str, str]:
    """Names of the given employees (call only after an access check)."""
    return dict(
        r.EmployeeIdentity.objects.filter(employee_id__in=list(employee_ids)).values_list(
            "employee_id", "name"
        )
    )


def organisation_names(*, organisation_ids: Iterable[str]) -> dict[str, str]:
    """Names of the given organisations (call only after an access check)."""
    return dict(
        r.OrganisationIdentity.objects.filter(
            organisation_id__in=list(organisation_ids)
        ).values_list("organisation_id", "name")
    )


def employee_rows(*, employees: QuerySet[m.Employee], names: bool) -> list[dict[str, Any]]:
    """Employees with their supervisor and current placement, sorted by what is shown.

    Each row holds ``person`` and ``supervisor`` (``Person`` rows) and ``employer`` (a
    ``Person`` for the employer of the latest placement without an end date, or None).
    """
    rows = list(employees.select_related("supervisor"))
    known = employee_names(employee_ids=[e.pk for e in rows]) if names else {}
    bosses = supervisor_names(supervisor_ids={e.supervisor_id for e in rows}) if names else {}
    current = dict(
        r.Placement.objects.filter(employee__in=rows, end_date__isnull=True)
        .order_by("employee_id", "start_date")
        .values_list("employee_id", "organisation_id")
    )
    employers = organisation_names(organisation_ids=current.values()) if names else {}
    out = [
        {
            "person": Person(e.pk, known.get(e.pk)),
            "supervisor": Person(e.supervisor_id, bosses.get(e.supervisor_id)),
            "employer": Person(current[e.pk], employers.get(current[e.pk]))
            if e.pk in current
            else None,
        }
        for e in rows
    ]
    return sorted(out, key=lambda row: row["person"].label.lower())


def placement_rows(*, placements: QuerySet[r.Placement], names: bool) -> list[dict[str, Any]]:
    """Placements with the employee, employer and supervisor as ``Person`` rows.

    Sorted by start date, newest first; names only when ``names`` (after an access check).
    """
    rows = list(placements.order_by("-start_date", "pk"))
    employees = employee_names(employee_ids={p.employee_id for p in rows}) if names else {}
    employers = (
        organisation_names(organisation_ids={p.organisation_id for p in rows}) if names else {}
    )
    bosses = supervisor_names(supervisor_ids={p.supervisor_id for p in rows}) if names else {}
    return [
        {
            "placement": p,
            "employee": Person(p.employee_id, employees.get(p.employee_id)),
            "employer": Person(p.organisation_id, employers.get(p.organisation_id)),
            "supervisor": Person(p.supervisor_id, bosses.get(p.supervisor_id)),
        }
        for p in rows
    ]


def municipalities_list(*, region_ids: Iterable[str]) -> list[r.Municipality]:
    """The municipalities of the regions, by region and name."""
    return list(
        r.Municipality.objects.filter(region_id__in=list(region_ids))
        .select_related("region")
        .order_by("region_id", "name")
    )


def employee_choices(*, region_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(pk, "name (pk)") of the regions' employees, for a form's select."""
    qs = m.Employee.objects.filter(supervisor__organisation__region_id__in=list(region_ids))
    names = employee_names(employee_ids=qs.values_list("pk", flat=True))
    rows = [
        (pk, f"{names[pk]} ({pk})" if pk in names else pk) for pk in qs.values_list("pk", flat=True)
    ]
    return sorted(rows, key=lambda x: x[1].lower())


def supervisor_choices(*, region_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(pk, "name (pk) – employer") of the regions' supervisors, for a form's select."""
    qs = m.Supervisor.objects.filter(organisation__region_id__in=list(region_ids))
    pairs = list(qs.values_list("pk", "organisation_id"))
    names = supervisor_names(supervisor_ids=[pk for pk, _ in pairs])
    employers = organisation_names(organisation_ids={o for _, o in pairs})
    rows = [(pk, f"{names.get(pk, pk)} ({pk}) – {employers.get(org, org)}") for pk, org in pairs]
    return sorted(rows, key=lambda x: x[1].lower())


def registry_counts(*, region_ids: Iterable[str]) -> dict[str, int]:
    """How many supervisors, employees, placements and municipalities the regions hold."""
    ids = list(region_ids)
    return {
        "supervisors": m.Supervisor.objects.filter(organisation__region_id__in=ids).count(),
        "employees": m.Employee.objects.filter(supervisor__organisation__region_id__in=ids).count(),
        "placements": r.Placement.objects.filter(organisation__region_id__in=ids).count(),
        "municipalities": r.Municipality.objects.filter(region_id__in=ids).count(),
    }
