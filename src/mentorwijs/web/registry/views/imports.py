"""Bulk import: upload, then preview with column mapping, check and commit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorwijs.web.errors import ImportFileError, ImportRowsError
from mentorwijs.web.registry import access, forms
from mentorwijs.web.registry.imports.kinds import KINDS, mapping_guess
from mentorwijs.web.registry.imports.services import (
    import_batch_commit,
    import_batch_create,
    import_rows_check,
)
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.views.common import error_text
from mentorwijs.web.study import models as m

PREVIEW_ROWS = 10


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a .csv or .xlsx file of organisations, supervisors, employees or groups."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = m.Region.objects.filter(pk__in=access.coordinator_region_ids(request.user))
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(
                user=request.user,
                region=form.cleaned_data["region"],
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
            )
        except ImportFileError as exc:
            form.add_error("file", error_text(exc))
        else:
            return redirect("registry:import_review", batch_id=batch.pk)
    return render(request, "registry/import_start.html", {"form": form})


@login_required
def import_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Preview and column mapping; ``check`` lists the problems, ``commit`` stores all or none."""
    batch = access.import_batch_get(user=request.user, batch_id=batch_id)
    fields = KINDS[batch.kind]
    initial = {
        f"map_{k}": v
        for k, v in (batch.mapping or mapping_guess(kind=batch.kind, header=batch.header)).items()
    }
    form = forms.MappingForm(
        request.POST or None, initial=initial, fields=fields, header=batch.header
    )
    problems, ready, status = None, None, 200
    if request.method == "POST" and form.is_valid() and batch.committed_at is None:
        mapping = form.mapping()
        if request.POST.get("action") == "commit":
            try:
                count = import_batch_commit(batch=batch, mapping=mapping)
            except ImportRowsError as exc:
                problems, status = exc.problems, 400
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("%(count)s row(s) imported.") % {"count": count})
                return redirect("registry:import_start")
        else:
            parsed, problems = import_rows_check(batch=batch, mapping=mapping)
            ready = len(parsed) if not problems else None
    context = {
        "batch": batch,
        "form": form,
        "preview": batch.rows[:PREVIEW_ROWS],
        "more": max(0, len(batch.rows) - PREVIEW_ROWS),
        "problems": problems,
        "ready": ready,
    }
    return render(request, "registry/import_review.html", context, status=status)
