"""Services that write employees and their placements. Keyword-only; one transaction each.

A placement is an employee at an employer under a supervisor, from a start date to an
optional end date. Its employer, its supervisor and the employee belong to one region, and
the supervisor works for the employer. Changes are saved object by object, so
django-auditlog records each one with its values before and after.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from mentorwijs.web.errors import (
    NotInRegionError,
    PlacementDatesError,
    SupervisorNotAtEmployerError,
)
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.preferences import Preferences
from mentorwijs.web.registry.services import IdentityData, _identity_save, _update
from mentorwijs.web.study import models as m

EMPLOYEE_FIELDS = frozenset(
    {"supervisor", "sex", "age", "disability", "consent_questionnaire", "consent_register"}
)


def _region_of(employee: m.Employee) -> str:
    return employee.supervisor.organisation.region_id


@transaction.atomic
def employee_update(
    *,
    employee: m.Employee,
    identity: IdentityData,
    preferences: Preferences | None = None,
    **fields: Any,
) -> m.Employee:
    """Change an employee's characteristics, identity and preferences (None: kept as they
    are); each change is audited.

    A new supervisor must work in the employee's region.
    """
    unknown = set(fields) - EMPLOYEE_FIELDS
    if unknown:
        raise TypeError(f"employee_update() got unexpected fields {sorted(unknown)}")
    supervisor = fields.get("supervisor")
    if supervisor is not None and supervisor.organisation.region_id != _region_of(employee):
        raise NotInRegionError(supervisor.pk, _region_of(employee))
    _update(employee, {k: (None if v == "" else v) for k, v in fields.items()})
    _identity_save(r.EmployeeIdentity, {"employee": employee}, identity, preferences)
    return employee


def _placement_check(
    *,
    employee: m.Employee,
    organisation: m.Organisation,
    supervisor: m.Supervisor,
    start_date: date,
    end_date: date | None,
) -> None:
    if organisation.region_id != _region_of(employee):
        raise NotInRegionError(organisation.pk, _region_of(employee))
    if supervisor.organisation_id != organisation.pk:
        raise SupervisorNotAtEmployerError(supervisor.pk, organisation.pk)
    if end_date is not None and end_date < start_date:
        raise PlacementDatesError()


@transaction.atomic
def placement_create(
    *,
    employee: m.Employee,
    organisation: m.Organisation,
    supervisor: m.Supervisor,
    start_date: date,
    hours_per_week: Decimal,
    contract: str,
    end_date: date | None = None,
    wage_subsidy: bool = False,
    job_coach: bool = False,
) -> r.Placement:
    """Place an employee at an employer of their region under one of its supervisors."""
    _placement_check(
        employee=employee,
        organisation=organisation,
        supervisor=supervisor,
        start_date=start_date,
        end_date=end_date,
    )
    return r.Placement.objects.create(
        employee=employee,
        organisation=organisation,
        supervisor=supervisor,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        contract=contract,
        wage_subsidy=wage_subsidy,
        job_coach=job_coach,
    )


@transaction.atomic
def placement_update(
    *,
    placement: r.Placement,
    organisation: m.Organisation,
    supervisor: m.Supervisor,
    start_date: date,
    hours_per_week: Decimal,
    contract: str,
    end_date: date | None = None,
    wage_subsidy: bool = False,
    job_coach: bool = False,
) -> r.Placement:
    """Change a placement (its employee stays); the same rules as ``placement_create``."""
    _placement_check(
        employee=placement.employee,
        organisation=organisation,
        supervisor=supervisor,
        start_date=start_date,
        end_date=end_date,
    )
    _update(
        placement,
        {
            "organisation": organisation,
            "supervisor": supervisor,
            "start_date": start_date,
            "end_date": end_date,
            "hours_per_week": hours_per_week,
            "contract": contract,
            "wage_subsidy": wage_subsidy,
            "job_coach": job_coach,
        },
    )
    return placement
