"""The audit trail for researchers: filter it on the page, export it as CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.exports import export_log
from mentorwijs.web.registry import access
from mentorwijs.web.registry.audit import (
    AuditFilter,
    audit_changes,
    audit_csv,
    audit_entries_list,
    audited_content_types,
)
from mentorwijs.web.registry.models import Role

PAGE_ROWS = 200
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    content_type = forms.ChoiceField(label=_("Table"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[
            ("", _("all")),
            ("0", _("created")),
            ("1", _("changed")),
            ("2", _("deleted")),
            ("3", _("read or exported")),
        ],
    )
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_pk = forms.CharField(label=_("Pseudonym or key"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["content_type"].choices = [("", _("all")), *(
            (str(ct.pk), str(ct.model_class()._meta.verbose_name)) for ct in audited_content_types()
        )]  # fmt: skip

    def audit_filter(self) -> AuditFilter:
        d = self.cleaned_data
        return AuditFilter(
            content_type_id=int(d["content_type"]) if d["content_type"] else None,
            action=int(d["action"]) if d["action"] else None,
            actor=d["actor"].strip(),
            object_pk=d["object_pk"].strip(),
            date_from=d["date_from"],
            date_to=d["date_to"],
        )


def _filter(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    access.require_role(request.user, Role.RESEARCHER)
    form = AuditFilterForm(request.GET or None)
    return form, form.audit_filter() if form.is_valid() else AuditFilter()


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Who changed what, when, before and after; identity values only with a grant."""
    form, audit_filter = _filter(request)
    identities = access.researcher_reads_identities(request.user)
    entries = audit_entries_list(audit_filter=audit_filter)
    rows = [
        (entry, audit_changes(entry=entry, identities=identities)) for entry in entries[:PAGE_ROWS]
    ]
    context = {"form": form, "rows": rows, "total": entries.count(), "limit": PAGE_ROWS}
    return render(request, "registry/audit_list.html", context)


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered audit trail as CSV, one row per changed field."""
    _form, audit_filter = _filter(request)
    identities = access.researcher_reads_identities(request.user)
    text = audit_csv(audit_filter=audit_filter, identities=identities)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    export_log(what="audit trail (CSV)", filter=audit_filter, identities=identities)
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
