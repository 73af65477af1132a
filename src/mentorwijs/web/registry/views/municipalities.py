"""The municipalities of the coordinator's regions: list, add, view and change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorwijs.web.registry import access, forms, selectors, services
from mentorwijs.web.registry.models import Role
from mentorwijs.web.study import models as m


def _regions(request: HttpRequest) -> QuerySet[m.Region]:
    return m.Region.objects.filter(pk__in=access.coordinator_region_ids(request.user))


@login_required
def municipality_list(request: HttpRequest) -> HttpResponse:
    """The municipalities of the coordinator's regions."""
    access.require_role(request.user, Role.COORDINATOR)
    rows = selectors.municipalities_list(region_ids=access.coordinator_region_ids(request.user))
    return render(request, "registry/municipality_list.html", {"rows": rows})


@login_required
def municipality_create(request: HttpRequest) -> HttpResponse:
    """Add a municipality to one of the coordinator's regions."""
    access.require_role(request.user, Role.COORDINATOR)
    form = forms.MunicipalityForm(request.POST or None, regions=_regions(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        region = access.region_get(user=request.user, region_id=d["region"].pk)
        municipality = services.municipality_create(region=region, code=d["code"], name=d["name"])
        messages.success(request, _("The municipality has been added."))
        return redirect("registry:municipality_detail", code=municipality.pk)
    return render(request, "registry/municipality_form.html", {"form": form, "municipality": None})


@login_required
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A municipality: its code, name and region."""
    municipality = access.municipality_get(user=request.user, code=code)
    return render(request, "registry/municipality_detail.html", {"municipality": municipality})


@login_required
def municipality_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Rename a municipality or move it to another of the coordinator's regions."""
    municipality = access.municipality_get(user=request.user, code=code)
    initial = {"code": municipality.pk, "name": municipality.name, "region": municipality.region}
    form = forms.MunicipalityForm(
        request.POST or None, initial=initial, regions=_regions(request), change=True
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        region = access.region_get(user=request.user, region_id=d["region"].pk)
        services.municipality_update(municipality=municipality, name=d["name"], region=region)
        messages.success(request, _("The changes have been saved."))
        return redirect("registry:municipality_detail", code=municipality.pk)
    context = {"form": form, "municipality": municipality}
    return render(request, "registry/municipality_form.html", context)
