"""Who may see and change what: roles, scopes and one access helper per object type.

Every view reaches an object through the helper of its type. The rule is the same
everywhere: a role that has no business with a kind of page gets 403 (``PermissionDenied``);
an object outside the user's scope gets 404 (``Http404``), so its existence is not revealed.

| role | scope | study data | identities |
|---|---|---|---|
| coordinator | own region(s) | registry of the region | yes, of the region |
| trainer | own groups | attendance and logs of the groups | names of the group's supervisors |
| researcher | everything | all, pseudonymised | only with ``identity_grant`` |
| employer contact | own organisation | own people, aggregate figures | own supervisors |
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorwijs.web.registry.models import ImportBatch, Municipality, Placement, Role
from mentorwijs.web.study import models as m


def user_roles(user: Any) -> list[Role]:
    """The user's roles, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_mentorwijs_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user))
        user._mentorwijs_roles = cached
    return cached


def _has(user: Any, role: str) -> bool:
    return any(x.role == role for x in user_roles(user))


def coordinator_region_ids(user: Any) -> set[str]:
    return {x.region_id for x in user_roles(user) if x.role == Role.COORDINATOR and x.region_id}


def trainer_ids(user: Any) -> set[str]:
    return {x.trainer_id for x in user_roles(user) if x.role == Role.TRAINER and x.trainer_id}


def employer_organisation_ids(user: Any) -> set[str]:
    return {
        x.organisation_id
        for x in user_roles(user)
        if x.role == Role.EMPLOYER_CONTACT and x.organisation_id
    }


def is_researcher(user: Any) -> bool:
    return _has(user, Role.RESEARCHER)


def researcher_reads_identities(user: Any) -> bool:
    """A researcher with an explicit grant to read identities."""
    return any(x.role == Role.RESEARCHER and x.identity_grant for x in user_roles(user))


def require_role(user: Any, *roles: str) -> None:
    """403 unless the user holds one of ``roles``."""
    if not any(_has(user, role) for role in roles):
        raise PermissionDenied


def _not_found() -> Http404:
    return Http404("not found")


# --- querysets: what a user may see of each type ----------------------------------------


def _own_groups(user: Any) -> QuerySet[m.TrainingGroup]:
    """Groups in the user's regions (coordinator) or given by the user (trainer)."""
    trainers = trainer_ids(user)
    return m.TrainingGroup.objects.filter(
        Q(region_id__in=coordinator_region_ids(user))
        | Q(trainer_1_id__in=trainers)
        | Q(trainer_2_id__in=trainers)
    )


def coordinated_groups(*, user: Any) -> QuerySet[m.TrainingGroup]:
    """Groups of the regions the user coordinates (the dashboard's scope)."""
    return m.TrainingGroup.objects.filter(region_id__in=coordinator_region_ids(user))


def trained_groups(*, user: Any) -> QuerySet[m.TrainingGroup]:
    """Groups the user gives as a trainer."""
    trainers = trainer_ids(user)
    return m.TrainingGroup.objects.filter(
        Q(trainer_1_id__in=trainers) | Q(trainer_2_id__in=trainers)
    )


def training_groups_for_user(*, user: Any) -> QuerySet[m.TrainingGroup]:
    """Groups the user may see: own region's, own groups as trainer, all as researcher."""
    if is_researcher(user):
        return m.TrainingGroup.objects.all()
    return _own_groups(user)


def supervisors_for_user(*, user: Any) -> QuerySet[m.Supervisor]:
    """Supervisors the user may see."""
    qs = m.Supervisor.objects.all()
    if is_researcher(user):
        return qs
    trainers = trainer_ids(user)
    return qs.filter(
        Q(organisation__region_id__in=coordinator_region_ids(user))
        | Q(organisation_id__in=employer_organisation_ids(user))
        | Q(training_group__trainer_1_id__in=trainers)
        | Q(training_group__trainer_2_id__in=trainers)
    )


def employees_for_user(*, user: Any) -> QuerySet[m.Employee]:
    """Employees the user may see: all as researcher, the own regions' as coordinator."""
    qs = m.Employee.objects.all()
    if is_researcher(user):
        return qs
    return qs.filter(supervisor__organisation__region_id__in=coordinator_region_ids(user))


def placements_for_user(*, user: Any) -> QuerySet[Placement]:
    """Placements the user may see: all as researcher, at the own regions' employers else."""
    qs = Placement.objects.all()
    if is_researcher(user):
        return qs
    return qs.filter(organisation__region_id__in=coordinator_region_ids(user))


# --- one helper per object type ------------------------------------------------------------


def region_get(*, user: Any, region_id: str) -> m.Region:
    """A region the user coordinates."""
    require_role(user, Role.COORDINATOR)
    if region_id not in coordinator_region_ids(user):
        raise _not_found()
    return m.Region.objects.get(pk=region_id)


def training_group_get(
    *, user: Any, training_group_id: str, change: bool = False
) -> m.TrainingGroup:
    """A group to see (coordinator, trainer, researcher) or change (its region's coordinator)."""
    if change:
        require_role(user, Role.COORDINATOR)
        qs = m.TrainingGroup.objects.filter(region_id__in=coordinator_region_ids(user))
    else:
        require_role(user, Role.COORDINATOR, Role.TRAINER, Role.RESEARCHER)
        qs = training_groups_for_user(user=user)
    group = qs.filter(pk=training_group_id).first()
    if group is None:
        raise _not_found()
    return group


def meeting_get(
    *, user: Any, training_group_id: str, meeting_no: int, record: bool = False
) -> m.Meeting:
    """A meeting to see, or to ``record`` attendance and the log of (coordinator or trainer)."""
    if record:
        require_role(user, Role.COORDINATOR, Role.TRAINER)
        groups = _own_groups(user)
    else:
        require_role(user, Role.COORDINATOR, Role.TRAINER, Role.RESEARCHER)
        groups = training_groups_for_user(user=user)
    meeting = (
        m.Meeting.objects.select_related("training_group")
        .filter(training_group__in=groups, training_group_id=training_group_id)
        .filter(meeting_no=meeting_no)
        .first()
    )
    if meeting is None:
        raise _not_found()
    return meeting


def supervisor_get(*, user: Any, supervisor_id: str, change: bool = False) -> m.Supervisor:
    """A supervisor to see (anyone whose scope holds them) or change (the coordinator)."""
    if change:
        require_role(user, Role.COORDINATOR)
        qs = m.Supervisor.objects.filter(organisation__region_id__in=coordinator_region_ids(user))
    else:
        require_role(user, Role.COORDINATOR, Role.TRAINER, Role.RESEARCHER, Role.EMPLOYER_CONTACT)
        qs = supervisors_for_user(user=user)
    supervisor = qs.select_related("organisation").filter(pk=supervisor_id).first()
    if supervisor is None:
        raise _not_found()
    return supervisor


def organisation_get(*, user: Any, organisation_id: str) -> m.Organisation:
    """An organisation: the employer contact's own, or one in the coordinator's region."""
    require_role(user, Role.COORDINATOR, Role.EMPLOYER_CONTACT)
    organisation = (
        m.Organisation.objects.filter(
            Q(region_id__in=coordinator_region_ids(user))
            | Q(pk__in=employer_organisation_ids(user))
        )
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise _not_found()
    return organisation


def employee_get(*, user: Any, employee_id: str, change: bool = False) -> m.Employee:
    """An employee to see (coordinator, researcher) or change (the region's coordinator)."""
    if change:
        require_role(user, Role.COORDINATOR)
        qs = m.Employee.objects.filter(
            supervisor__organisation__region_id__in=coordinator_region_ids(user)
        )
    else:
        require_role(user, Role.COORDINATOR, Role.RESEARCHER)
        qs = employees_for_user(user=user)
    employee = qs.select_related("supervisor__organisation").filter(pk=employee_id).first()
    if employee is None:
        raise _not_found()
    return employee


def placement_get(*, user: Any, placement_id: int, change: bool = False) -> Placement:
    """A placement to see (coordinator, researcher) or change (the employer's coordinator)."""
    if change:
        require_role(user, Role.COORDINATOR)
        qs = Placement.objects.filter(organisation__region_id__in=coordinator_region_ids(user))
    else:
        require_role(user, Role.COORDINATOR, Role.RESEARCHER)
        qs = placements_for_user(user=user)
    placement = (
        qs.select_related("employee", "organisation", "supervisor").filter(pk=placement_id).first()
    )
    if placement is None:
        raise _not_found()
    return placement


def municipality_get(*, user: Any, code: str) -> Municipality:
    """A municipality of a region the user coordinates (to see or to change)."""
    require_role(user, Role.COORDINATOR)
    municipality = (
        Municipality.objects.filter(region_id__in=coordinator_region_ids(user))
        .select_related("region")
        .filter(pk=code)
        .first()
    )
    if municipality is None:
        raise _not_found()
    return municipality


def import_batch_get(*, user: Any, batch_id: int) -> ImportBatch:
    """An import the user started, in a region they still coordinate."""
    require_role(user, Role.COORDINATOR)
    batch = ImportBatch.objects.filter(
        pk=batch_id, created_by=user, region_id__in=coordinator_region_ids(user)
    ).first()
    if batch is None:
        raise _not_found()
    return batch


def identity_readable(*, user: Any, supervisor: m.Supervisor) -> bool:
    """Whether the user may read this supervisor's name and contact details."""
    if supervisor.organisation.region_id in coordinator_region_ids(user):
        return True
    if supervisor.organisation_id in employer_organisation_ids(user):
        return True
    return researcher_reads_identities(user)


def employee_identity_readable(*, user: Any, employee: m.Employee) -> bool:
    """Whether the user may read this employee's name and contact details.

    The region's coordinator may; a researcher only with an identity grant. Trainers and
    employer contacts never reach an employee's page.
    """
    if employee.supervisor.organisation.region_id in coordinator_region_ids(user):
        return True
    return researcher_reads_identities(user)


def names_readable_in_group(*, user: Any, group: m.TrainingGroup) -> bool:
    """Whether the user may read the names of a group's supervisors (to take attendance)."""
    if group.region_id in coordinator_region_ids(user):
        return True
    if {group.trainer_1_id, group.trainer_2_id} & trainer_ids(user):
        return True
    return researcher_reads_identities(user)
