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
