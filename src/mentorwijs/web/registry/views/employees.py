"""Employees: the coordinator's list, registration, change; a page per employee."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorwijs.web.errors import RegistryError
from mentorwijs.web.registry import access, forms, selectors, services, services_employment
from mentorwijs.web.registry.models import EmployeeIdentity, Role
from mentorwijs.web.registry.preferences import DEFAULT, preferences_of
from mentorwijs.web.registry.views.common import error_text
from mentorwijs.web.study import models as m


def _supervisors(request: HttpRequest) -> list[tuple[str, str]]:
    regions = access.coordinator_region_ids(request.user)
    return selectors.supervisor_choices(region_ids=regions)


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    """The employees of the coordinator's regions."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = access.coordinator_region_ids(request.user)
    employees = m.Employee.objects.filter(supervisor__organisation__region_id__in=regions)
    rows = selectors.employee_rows(employees=employees, names=True)
    return render(request, "registry/employee_list.html", {"rows": rows})


@login_required
def employee_create(request: HttpRequest) -> HttpResponse:
    """Register an employee: identity, supervisor, characteristics and consent."""
    access.require_role(request.user, Role.COORDINATOR)
    form = forms.EmployeeForm(request.POST or None, supervisors=_supervisors(request))
    if request.method == "POST" and form.is_valid():
        supervisor = access.supervisor_get(
            user=request.user, supervisor_id=form.cleaned_data["supervisor"], change=True
        )
        employee = services.employee_create(
            supervisor=supervisor,
            identity=form.identity(),
            preferences=form.preferences() or DEFAULT,
            **form.characteristics(),
        )
        messages.success(request, _("The employee has been registered."))
        return redirect("registry:employee_detail", employee_id=employee.pk)
    return render(request, "registry/employee_form.html", {"form": form, "employee": None})


@login_required
def employee_detail(request: HttpRequest, employee_id: str) -> HttpResponse:
    """An employee: characteristics, consent, placements, language and reading mode; the
    identity for who may read it."""
    employee = access.employee_get(user=request.user, employee_id=employee_id)
    readable = access.employee_identity_readable(user=request.user, employee=employee)
    identity = EmployeeIdentity.objects.filter(employee=employee).first() if readable else None
    supervisor = selectors.people(supervisors=[employee.supervisor], names=readable)[0]
    context = {
        "employee": employee,
        "identity": identity,
        "supervisor": supervisor,
        "preferences": preferences_of(role="employee", respondent_id=employee.pk),
        "placements": selectors.placement_rows(
            placements=employee.placements.all(), names=readable
        ),
        "disabilities": dict(forms.DISABILITIES),
        "sexes": dict(forms.SEX_CHOICES),
        "may_change": employee.supervisor.organisation.region_id
        in access.coordinator_region_ids(request.user),
    }
    return render(request, "registry/employee_detail.html", context)


@login_required
def employee_edit(request: HttpRequest, employee_id: str) -> HttpResponse:
    """Change an employee's identity and characteristics (each change is audited)."""
    employee = access.employee_get(user=request.user, employee_id=employee_id, change=True)
    identity = EmployeeIdentity.objects.filter(employee=employee).first()
    initial = {
        "supervisor": employee.supervisor_id,
        "sex": employee.sex or "",
        "age": employee.age,
        "disability": employee.disability or "",
        "consent_questionnaire": employee.consent_questionnaire,
        "consent_register": employee.consent_register,
    }
    if identity:
        initial |= {
            "name": identity.name,
            "email": identity.email,
            "phone": identity.phone,
            "postal_address": identity.postal_address,
            "language": identity.language,
            "easy_read": identity.easy_read,
        }
    form = forms.EmployeeForm(
        request.POST or None, initial=initial, supervisors=_supervisors(request)
    )
    if request.method == "POST" and form.is_valid():
        supervisor = access.supervisor_get(
            user=request.user, supervisor_id=form.cleaned_data["supervisor"], change=True
        )
        try:
            services_employment.employee_update(
                employee=employee,
                identity=form.identity(),
                preferences=form.preferences(),
                supervisor=supervisor,
                **form.characteristics(),
            )
        except RegistryError as exc:
            form.add_error("supervisor", error_text(exc))
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("registry:employee_detail", employee_id=employee.pk)
    return render(request, "registry/employee_form.html", {"form": form, "employee": employee})
