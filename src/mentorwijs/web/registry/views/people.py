"""Supervisors, the employer contact's organisation page, and cost entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorwijs.web.errors import RegistryError
from mentorwijs.web.registry import access, forms, selectors, services
from mentorwijs.web.registry.models import Role, SupervisorIdentity
from mentorwijs.web.registry.preferences import DEFAULT, preferences_of
from mentorwijs.web.registry.views.common import error_text
from mentorwijs.web.study import models as m


@login_required
def supervisor_list(request: HttpRequest) -> HttpResponse:
    """The supervisors of the coordinator's regions."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = access.coordinator_region_ids(request.user)
    supervisors = m.Supervisor.objects.filter(organisation__region_id__in=regions)
    rows = selectors.people(supervisors=supervisors, names=True)
    groups = dict(supervisors.values_list("pk", "training_group_id"))
    return render(
        request,
        "registry/supervisor_list.html",
        {"rows": [(p, groups.get(p.pk)) for p in rows]},
    )


def _organisations(request: HttpRequest) -> list[tuple[str, str]]:
    regions = access.coordinator_region_ids(request.user)
    return selectors.organisation_choices(region_ids=regions, kind="employer")


@login_required
def supervisor_create(request: HttpRequest) -> HttpResponse:
    """Register a supervisor: identity and characteristics."""
    access.require_role(request.user, Role.COORDINATOR)
    form = forms.SupervisorForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        organisation = access.organisation_get(
            user=request.user, organisation_id=form.cleaned_data["organisation"]
        )
        supervisor = services.supervisor_create(
            organisation=organisation,
            identity=form.identity(),
            preferences=form.preferences() or DEFAULT,
            **form.characteristics(),
        )
        messages.success(request, _("The supervisor has been registered."))
        return redirect("registry:supervisor_detail", supervisor_id=supervisor.pk)
    return render(request, "registry/supervisor_form.html", {"form": form, "supervisor": None})


@login_required
def supervisor_detail(request: HttpRequest, supervisor_id: str) -> HttpResponse:
    """A supervisor: characteristics, group, attendance, language and reading mode; the
    identity only for who may read it."""
    supervisor = access.supervisor_get(user=request.user, supervisor_id=supervisor_id)
    identity = None
    if access.identity_readable(user=request.user, supervisor=supervisor):
        identity = SupervisorIdentity.objects.filter(supervisor=supervisor).first()
    attendance = m.Attendance.objects.filter(supervisor=supervisor).select_related("meeting")
    context = {
        "supervisor": supervisor,
        "identity": identity,
        "preferences": preferences_of(role="supervisor", respondent_id=supervisor.pk),
        "attendance": attendance.order_by("meeting__meeting_no"),
        "may_change": supervisor.organisation.region_id
        in access.coordinator_region_ids(request.user),
    }
    return render(request, "registry/supervisor_detail.html", context)


@login_required
def supervisor_edit(request: HttpRequest, supervisor_id: str) -> HttpResponse:
    """Change a supervisor's identity and characteristics (each change is audited)."""
    supervisor = access.supervisor_get(user=request.user, supervisor_id=supervisor_id, change=True)
    identity = SupervisorIdentity.objects.filter(supervisor=supervisor).first()
    initial = {
        "organisation": supervisor.organisation_id,
        "sex": supervisor.sex or "",
        "age": supervisor.age,
        "years_experience": supervisor.years_experience,
        "employees_guided": supervisor.employees_guided,
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
    form = forms.SupervisorForm(
        request.POST or None, initial=initial, organisations=_organisations(request)
    )
    if request.method == "POST" and form.is_valid():
        organisation = access.organisation_get(
            user=request.user, organisation_id=form.cleaned_data["organisation"]
        )
        try:
            services.supervisor_update(
                supervisor=supervisor,
                identity=form.identity(),
                preferences=form.preferences(),
                organisation=organisation,
                **form.characteristics(),
            )
        except RegistryError as exc:
            form.add_error("organisation", error_text(exc))
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("registry:supervisor_detail", supervisor_id=supervisor.pk)
    return render(
        request, "registry/supervisor_form.html", {"form": form, "supervisor": supervisor}
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: str) -> HttpResponse:
    """An employer's own people and aggregate figures."""
    organisation = access.organisation_get(user=request.user, organisation_id=organisation_id)
    supervisors = m.Supervisor.objects.filter(organisation=organisation)
    context = {
        "organisation": organisation,
        "name": selectors.organisation_name(organisation=organisation),
        "people": selectors.people(supervisors=supervisors, names=True),
        "figures": selectors.organisation_figures(organisation=organisation),
    }
    return render(request, "registry/organisation_detail.html", context)


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    """The employer contact's start page: their (first) organisation."""
    access.require_role(request.user, Role.EMPLOYER_CONTACT)
    first = sorted(access.employer_organisation_ids(request.user))[0]
    return redirect("registry:organisation_detail", organisation_id=first)


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    """Cost entries of the coordinator's regions, and a form to add one."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = access.coordinator_region_ids(request.user)
    groups = access.coordinated_groups(user=request.user).order_by("pk")
    form = forms.CostForm(
        request.POST or None,
        regions=m.Region.objects.filter(pk__in=regions),
        groups=[(g.pk, g.pk) for g in groups],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        group = None
        if d["training_group"]:
            group = access.training_group_get(
                user=request.user, training_group_id=d["training_group"], change=True
            )
        try:
            services.cost_create(
                region=d["region"],
                training_group=group,
                item=d["item"],
                category=d["category"],
                payer=d["payer"],
                quantity=d["quantity"],
                unit=d["unit"],
                unit_cost=d["unit_cost"],
                source=d["source"],
            )
        except RegistryError as exc:
            form.add_error("training_group", error_text(exc))
        else:
            messages.success(request, _("The cost entry has been saved."))
            return redirect("registry:costs")
    context = {
        "form": form,
        "rows": selectors.costs_list(region_ids=regions),
        "totals": selectors.costs_so_far(region_ids=regions),
        "categories": dict(forms.COST_CATEGORIES),
        "payers": dict(forms.PAYERS),
        "units": dict(forms.UNITS),
    }
    return render(request, "registry/costs.html", context)
