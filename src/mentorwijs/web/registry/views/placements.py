"""Placements: an employee at an employer under a supervisor, from start to end."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorwijs.web.errors import RegistryError
from mentorwijs.web.registry import access, forms, selectors, services_employment
from mentorwijs.web.registry.models import Placement, Role
from mentorwijs.web.registry.views.common import error_text


def _choices(request: HttpRequest, *, employees: bool) -> dict[str, Any]:
    regions = access.coordinator_region_ids(request.user)
    return {
        "employees": selectors.employee_choices(region_ids=regions) if employees else None,
        "organisations": selectors.organisation_choices(region_ids=regions, kind="employer"),
        "supervisors": selectors.supervisor_choices(region_ids=regions),
    }


def _parties(request: HttpRequest, form: forms.PlacementForm) -> dict[str, Any]:
    """The employer and supervisor the form names, each through its access helper."""
    d = form.cleaned_data
    return {
        "organisation": access.organisation_get(
            user=request.user, organisation_id=d["organisation"]
        ),
        "supervisor": access.supervisor_get(
            user=request.user, supervisor_id=d["supervisor"], change=True
        ),
    }


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    """The placements at the employers of the coordinator's regions."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = access.coordinator_region_ids(request.user)
    placements = Placement.objects.filter(organisation__region_id__in=regions)
    context = {
        "rows": selectors.placement_rows(placements=placements, names=True),
        "contracts": dict(Placement.CONTRACTS),
    }
    return render(request, "registry/placement_list.html", context)


@login_required
def placement_create(request: HttpRequest) -> HttpResponse:
    """Place an employee (``?employee=E-…`` chooses one in advance)."""
    access.require_role(request.user, Role.COORDINATOR)
    form = forms.PlacementForm(
        request.POST or None,
        initial={"employee": request.GET.get("employee", "")},
        **_choices(request, employees=True),
    )
    if request.method == "POST" and form.is_valid():
        employee = access.employee_get(
            user=request.user, employee_id=form.cleaned_data["employee"], change=True
        )
        try:
            placement = services_employment.placement_create(
                employee=employee, **_parties(request, form), **form.placement()
            )
        except RegistryError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The placement has been saved."))
            return redirect("registry:placement_detail", placement_id=placement.pk)
    return render(request, "registry/placement_form.html", {"form": form, "placement": None})


@login_required
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    """A placement; names of the employee, employer and supervisor for who may read them."""
    placement = access.placement_get(user=request.user, placement_id=placement_id)
    employee = access.employee_get(user=request.user, employee_id=placement.employee_id)
    readable = access.employee_identity_readable(user=request.user, employee=employee)
    rows = selectors.placement_rows(
        placements=Placement.objects.filter(pk=placement.pk), names=readable
    )
    context = {
        **rows[0],
        "contracts": dict(Placement.CONTRACTS),
        "may_change": placement.organisation.region_id
        in access.coordinator_region_ids(request.user),
    }
    return render(request, "registry/placement_detail.html", context)


@login_required
def placement_edit(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Change a placement: employer, supervisor, dates, hours, contract and support."""
    placement = access.placement_get(user=request.user, placement_id=placement_id, change=True)
    initial = {
        "organisation": placement.organisation_id,
        "supervisor": placement.supervisor_id,
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        "hours_per_week": placement.hours_per_week,
        "contract": placement.contract,
        "wage_subsidy": placement.wage_subsidy,
        "job_coach": placement.job_coach,
    }
    form = forms.PlacementForm(
        request.POST or None, initial=initial, **_choices(request, employees=False)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_employment.placement_update(
                placement=placement, **_parties(request, form), **form.placement()
            )
        except RegistryError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("registry:placement_detail", placement_id=placement.pk)
    employee = selectors.employee_names(employee_ids=[placement.employee_id])
    context = {
        "form": form,
        "placement": placement,
        "employee_label": employee.get(placement.employee_id, placement.employee_id),
    }
    return render(request, "registry/placement_form.html", context)
