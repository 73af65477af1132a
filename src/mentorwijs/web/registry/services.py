"""Services that write the registry. Keyword-only; each runs in one transaction.

Changes go through ``save()`` and ``delete()`` on single objects, so django-auditlog records
each of them with its author, time and the values before and after.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from mentorwijs.web.errors import (
    AlreadyEnrolledError,
    GroupFullError,
    NotEnrolledError,
    NotInRegionError,
)
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.preferences import DEFAULT, Preferences
from mentorwijs.web.study import models as m

#: Parts of a meeting the handbook plans (the fidelity log checks them off one by one).
PLANNED_PARTS = 6
MEETINGS_PER_GROUP = 5


@dataclass(frozen=True)
class IdentityData:
    """Who a pseudonym is; stored apart from the study data."""

    name: str
    email: str = ""
    phone: str = ""
    postal_address: str = ""


@dataclass(frozen=True)
class MeetingPlan:
    """When and where one meeting takes place."""

    date: date
    start_time: time | None = None
    place: str = ""
    link: str = ""


def pseudonym_new(*, prefix: str, model: type[models.Model]) -> str:
    """A fresh random pseudonym such as ``S-7F3A09C2`` that ``model`` does not hold yet."""
    while True:
        candidate = f"{prefix}-{secrets.token_hex(4).upper()}"
        if not model.objects.filter(pk=candidate).exists():
            return candidate


def _identity_save(
    model: type[r.Identity],
    owner: dict[str, Any],
    data: IdentityData,
    preferences: Preferences | None = None,
) -> None:
    """Create or change an identity (and the person's preferences, unless None: kept)."""
    values: dict[str, Any] = asdict(data)
    if preferences is not None:
        values |= preferences.as_fields()
    identity = model.objects.filter(**owner).first()
    if identity is None:
        model.objects.create(**owner, **values)
        return
    changed = False
    for field, value in values.items():
        if getattr(identity, field) != value:
            setattr(identity, field, value)
            changed = True
    if changed:
        identity.save()


def _update(instance: models.Model, fields: dict[str, Any]) -> None:
    """Set the fields that differ and save once (no save, no audit entry, when none does)."""
    changed = [k for k, v in fields.items() if getattr(instance, k) != v]
    for k in changed:
        setattr(instance, k, fields[k])
    if changed:
        instance.save()


# --- organisations, supervisors, employees ----------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    region: m.Region,
    kind: str,
    identity: IdentityData,
    sector: str | None = None,
    size_class: str | None = None,
    sheltered: bool | None = None,
) -> m.Organisation:
    """Register an organisation of ``region`` with its name kept apart."""
    organisation = m.Organisation.objects.create(
        organisation_id=pseudonym_new(prefix="O", model=m.Organisation),
        kind=kind,
        region=region,
        sector=sector or None,
        size_class=size_class or None,
        sheltered=sheltered,
    )
    r.OrganisationIdentity.objects.create(organisation=organisation, **asdict(identity))
    return organisation


@transaction.atomic
def supervisor_create(
    *,
    organisation: m.Organisation,
    identity: IdentityData,
    preferences: Preferences = DEFAULT,
    sex: str | None = None,
    age: int | None = None,
    years_experience: int | None = None,
    employees_guided: int | None = None,
) -> m.Supervisor:
    """Register a supervisor of an employer; the name and the preferred language and
    reading mode go to the identity table."""
    supervisor = m.Supervisor.objects.create(
        supervisor_id=pseudonym_new(prefix="S", model=m.Supervisor),
        organisation=organisation,
        sex=sex or None,
        age=age,
        years_experience=years_experience,
        employees_guided=employees_guided,
    )
    r.SupervisorIdentity.objects.create(
        supervisor=supervisor, **asdict(identity), **preferences.as_fields()
    )
    return supervisor


@transaction.atomic
def supervisor_update(
    *,
    supervisor: m.Supervisor,
    identity: IdentityData,
    preferences: Preferences | None = None,
    **fields: Any,
) -> m.Supervisor:
    """Change a supervisor's characteristics, identity and preferences (None: kept as they
    are); each change is audited."""
    allowed = {"organisation", "sex", "age", "years_experience", "employees_guided"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"supervisor_update() got unexpected fields {sorted(unknown)}")
    if (
        "organisation" in fields
        and fields["organisation"].region_id != supervisor.organisation.region_id
    ):
        raise NotInRegionError(str(fields["organisation"]), supervisor.organisation.region_id)
    _update(supervisor, {k: (v if v != "" else None) for k, v in fields.items()})
    _identity_save(r.SupervisorIdentity, {"supervisor": supervisor}, identity, preferences)
    return supervisor


@transaction.atomic
def employee_create(
    *,
    supervisor: m.Supervisor,
    identity: IdentityData,
    consent_questionnaire: bool,
    consent_register: bool,
    preferences: Preferences = DEFAULT,
    sex: str | None = None,
    age: int | None = None,
    disability: str | None = None,
) -> m.Employee:
    """Register an employee guided by ``supervisor``; the name and the preferred language
    and reading mode go to the identity table."""
    employee = m.Employee.objects.create(
        employee_id=pseudonym_new(prefix="E", model=m.Employee),
        supervisor=supervisor,
        sex=sex or None,
        age=age,
        disability=disability or None,
        consent_questionnaire=consent_questionnaire,
        consent_register=consent_register,
    )
    r.EmployeeIdentity.objects.create(
        employee=employee, **asdict(identity), **preferences.as_fields()
    )
    return employee


# --- training groups, meetings, attendance ---------------------------------------------


@transaction.atomic
def training_group_create(
    *,
    region: m.Region,
    provider: m.Organisation,
    trainer_1: m.Trainer,
    trainer_2: m.Trainer | None,
    mode: str,
    capacity: int,
    meetings: Sequence[MeetingPlan],
) -> m.TrainingGroup:
    """Create a training group with its five meetings (not yet held)."""
    if len(meetings) != MEETINGS_PER_GROUP:
        raise ValueError(f"a group has {MEETINGS_PER_GROUP} meetings, got {len(meetings)}")
    group = m.TrainingGroup.objects.create(
        training_group_id=pseudonym_new(prefix="G", model=m.TrainingGroup),
        region=region,
        provider=provider,
        trainer_1=trainer_1,
        trainer_2=trainer_2,
        mode=mode,
        capacity=capacity,
        start_date=meetings[0].date,
    )
    for no, plan in enumerate(meetings, start=1):
        m.Meeting.objects.create(
            training_group=group,
            meeting_no=no,
            date=plan.date,
            start_time=plan.start_time,
            place=plan.place,
            link=plan.link,
            mode=mode,
            held=False,
            planned_parts=PLANNED_PARTS,
        )
    return group


@transaction.atomic
def training_group_enrol(
    *, training_group: m.TrainingGroup, supervisors: Iterable[m.Supervisor]
) -> int:
    """Enrol supervisors of the group's region; all or none. Returns how many were new."""
    group = m.TrainingGroup.objects.select_for_update().get(pk=training_group.pk)
    new = [s for s in supervisors if s.training_group_id != group.pk]
    for s in new:
        if s.organisation.region_id != group.region_id:
            raise NotInRegionError(s.supervisor_id, group.region_id)
        if s.training_group_id is not None:
            raise AlreadyEnrolledError(s.supervisor_id, s.training_group_id)
    if group.supervisors.count() + len(new) > group.capacity:
        raise GroupFullError(group.pk, group.capacity)
    for s in new:
        s.training_group = group
        s.save(update_fields=["training_group"])
    return len(new)


@transaction.atomic
def training_group_unenrol(*, training_group: m.TrainingGroup, supervisor: m.Supervisor) -> None:
    """Take a supervisor out of a group (attendance already recorded stays)."""
    if supervisor.training_group_id != training_group.pk:
        raise NotEnrolledError(supervisor.supervisor_id, training_group.pk)
    supervisor.training_group = None
    supervisor.save(update_fields=["training_group"])


@transaction.atomic
def attendance_mark(*, meeting: m.Meeting, supervisor: m.Supervisor, present: bool) -> m.Attendance:
    """Record whether a supervisor attended a meeting (again: the last mark counts)."""
    if supervisor.training_group_id != meeting.training_group_id:
        raise NotEnrolledError(supervisor.supervisor_id, meeting.training_group_id)
    row = m.Attendance.objects.filter(meeting=meeting, supervisor=supervisor).first()
    if row is None:
        return m.Attendance.objects.create(meeting=meeting, supervisor=supervisor, present=present)
    if row.present != present:
        row.present = present
        row.save(update_fields=["present"])
    return row


@transaction.atomic
def attendance_rest_absent(*, meeting: m.Meeting) -> int:
    """Mark every enrolled supervisor without a mark as absent; returns how many."""
    marked = m.Attendance.objects.filter(meeting=meeting).values_list("supervisor_id", flat=True)
    rest = meeting.training_group.supervisors.exclude(pk__in=list(marked))
    count = 0
    for supervisor in rest:
        m.Attendance.objects.create(meeting=meeting, supervisor=supervisor, present=False)
        count += 1
    return count


@transaction.atomic
def meeting_log_save(
    *,
    meeting: m.Meeting,
    held: bool,
    parts_delivered: Sequence[int],
    duration_minutes: int | None,
    remarks: str = "",
) -> m.Meeting:
    """The trainer's log of a meeting: held, which planned parts, how long, remarks."""
    parts = sorted({int(p) for p in parts_delivered if 1 <= int(p) <= meeting.planned_parts})
    _update(
        meeting,
        {
            "held": held,
            "parts_delivered": parts,
            "delivered_parts": len(parts) if held else None,
            "duration_minutes": duration_minutes if held else None,
            "remarks": remarks,
        },
    )
    return meeting


# --- costs, municipalities and roles --------------------------------------------------------------


@transaction.atomic
def cost_create(
    *,
    region: m.Region,
    item: str,
    category: str,
    payer: str,
    quantity: float,
    unit: str,
    unit_cost: Decimal,
    training_group: m.TrainingGroup | None = None,
    source: str = "",
) -> m.Cost:
    """Record what was paid for, how much, and who paid."""
    if training_group is not None and training_group.region_id != region.pk:
        raise NotInRegionError(training_group.pk, region.pk)
    return m.Cost.objects.create(
        cost_id=pseudonym_new(prefix="C", model=m.Cost),
        region=region,
        training_group=training_group,
        item=item,
        category=category,
        payer=payer,
        quantity=quantity,
        unit=unit,
        unit_cost=unit_cost,
        source=source or None,
    )


@transaction.atomic
def municipality_create(*, region: m.Region, code: str, name: str) -> r.Municipality:
    """Add a municipality (CBS code such as ``GM0281``) to a region."""
    return r.Municipality.objects.create(code=code, name=name, region=region)


@transaction.atomic
def municipality_update(
    *, municipality: r.Municipality, name: str, region: m.Region
) -> r.Municipality:
    """Rename a municipality or move it to another region (its code stays)."""
    _update(municipality, {"name": name, "region": region})
    return municipality


@transaction.atomic
def role_grant(
    *,
    user: Any,
    role: str,
    region: m.Region | None = None,
    trainer: m.Trainer | None = None,
    organisation: m.Organisation | None = None,
    identity_grant: bool = False,
) -> r.Role:
    """Give a user a role with its scope (idempotent)."""
    obj, _ = r.Role.objects.get_or_create(
        user=user,
        role=role,
        region=region,
        trainer=trainer,
        organisation=organisation,
        defaults={"identity_grant": identity_grant},
    )
    if obj.identity_grant != identity_grant:
        obj.identity_grant = identity_grant
        obj.save(update_fields=["identity_grant"])
    user.__dict__.pop("_mentorwijs_roles", None)
    return obj
