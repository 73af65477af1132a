"""Pages of the interviews: list, upload, coding, codebook, exchange, retrieval, comparison."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorwijs.protocol.errors import CodebookError
from mentorwijs.protocol.refiqda import codebook_from_qdc, codebook_to_qdc
from mentorwijs.web.exports import export_log
from mentorwijs.web.interviews import access, forms, selectors, services
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.errors import InterviewError
from mentorwijs.web.interviews.transcripts import ContactHint
from mentorwijs.web.registry.views.common import error_text


def _error(exc: InterviewError | CodebookError) -> str:
    return exc.message_nl if forms.lang() == "nl" and exc.message_nl else str(exc)


def _hint_message(hints: list[ContactHint]) -> str:
    emails = [str(h.sentence) for h in hints if h.kind == "email"]
    phones = [str(h.sentence) for h in hints if h.kind == "phone"]
    parts = []
    if emails:
        parts.append(_("an e-mail address in sentence %(n)s") % {"n": ", ".join(emails)})
    if phones:
        parts.append(_("a phone number in sentence %(n)s") % {"n": ", ".join(phones)})
    return _(
        "Check the pseudonymisation: the transcript seems to hold %(what)s. It has been stored; "
        "remove personal data from the file and upload it again if needed."
    ) % {"what": _(" and ").join(parts)}


@login_required
@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """Every interview with its person, wave, region and how far it is coded."""
    access.interviews_check(user=request.user)
    services.codebook_ensure()
    return render(
        request, "interviews/interview_list.html", {"interviews": selectors.interviews_list()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_upload(request: HttpRequest) -> HttpResponse:
    """Upload a transcript for a person with consent to the interview."""
    access.interviews_check(user=request.user)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview, hints = services.interview_create(
                user=request.user, role=data["role"], respondent_id=data["respondent_id"],
                text=form.text, filename=data["file"].name, wave=data["wave"],
                region=data["region"], held_on=data["held_on"],
                consent_source=data["consent_source"],
            )  # fmt: skip
        except InterviewError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Interview %(id)s has been stored; you can code it now.")
                % {"id": interview.interview_id},
            )
            if hints:
                messages.warning(request, _hint_message(hints))
            return redirect("interviews:interview_detail", interview_id=interview.interview_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "interviews/interview_upload.html", {"form": form}, status=status)


def _checked(form: forms.SegmentForm) -> set[int]:
    values = form["codes"].value() or []
    return {int(v) for v in values if str(v).isdigit()}


def _coding(
    request: HttpRequest, interview: i.Interview, form: forms.SegmentForm, status: int = 200
) -> HttpResponse:
    coder = i.Coder.objects.filter(user=request.user).first()
    context = {
        "interview": interview,
        "form": form,
        "groups": selectors.code_groups(),
        "coder": coder,
        "checked": _checked(form),
        "lang": forms.lang(),
        **(selectors.coding_page(interview=interview, coder=coder) if interview.text else {}),
    }
    return render(request, "interviews/interview_detail.html", context, status=status)


@login_required
@require_GET
def interview_detail(request: HttpRequest, interview_id: str) -> HttpResponse:
    """The coding page: numbered sentences, the user's segments, the coding form."""
    interview = access.interview_get(user=request.user, interview_id=interview_id)
    services.codebook_ensure()
    return _coding(request, interview, forms.SegmentForm(initial={"first": 1, "last": 1}))


@login_required
@require_POST
def segment_create(request: HttpRequest, interview_id: str) -> HttpResponse:
    """Code sentences of the transcript (the form of the coding page)."""
    interview = access.interview_get(user=request.user, interview_id=interview_id)
    form = forms.SegmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            segment = services.segment_code(
                interview=interview, user=request.user, first=data["first"], last=data["last"],
                codes=list(data["codes"]), memo=data["memo"],
            )  # fmt: skip
        except InterviewError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "Sentences %(a)s–%(b)s coded with %(n)s code (segment %(no)s).",
                    "Sentences %(a)s–%(b)s coded with %(n)s codes (segment %(no)s).",
                    len(data["codes"]),
                )
                % {
                    "a": data["first"],
                    "b": data["last"],
                    "n": len(data["codes"]),
                    "no": segment.segment_no,
                },
            )
            url = reverse("interviews:interview_detail", args=[interview.interview_id])
            return redirect(f"{url}#s{data['last']}")
    return _coding(request, interview, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def segment_edit(request: HttpRequest, interview_id: str, segment_no: int) -> HttpResponse:
    """Change the sentences, codes or memo of one's own segment."""
    interview = access.interview_get(user=request.user, interview_id=interview_id)
    segment = access.segment_get(user=request.user, interview=interview, segment_no=segment_no)
    units = selectors.sentences(interview.text)
    first, last = selectors.sentence_range(units, segment.start, segment.end)
    initial = {
        "first": first,
        "last": last,
        "codes": [c.code_id for c in segment.codings.all()],
        "memo": segment.memo,
    }
    form = forms.SegmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.segment_update(
                segment=segment, first=data["first"], last=data["last"],
                codes=list(data["codes"]), memo=data["memo"],
            )  # fmt: skip
        except InterviewError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("Segment %(no)s has been changed.") % {"no": segment_no})
            url = reverse("interviews:interview_detail", args=[interview.interview_id])
            return redirect(f"{url}#s{data['last']}")
    context = {
        "interview": interview,
        "segment": segment,
        "form": form,
        "groups": selectors.code_groups(),
        "checked": _checked(form),
        "lang": forms.lang(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "interviews/segment_edit.html", context, status=status)


@login_required
@require_POST
def segment_delete(request: HttpRequest, interview_id: str, segment_no: int) -> HttpResponse:
    """Delete one's own segment."""
    interview = access.interview_get(user=request.user, interview_id=interview_id)
    segment = access.segment_get(user=request.user, interview=interview, segment_no=segment_no)
    services.segment_delete(segment=segment)
    messages.success(request, _("Segment %(no)s has been deleted.") % {"no": segment_no})
    return redirect("interviews:interview_detail", interview_id=interview.interview_id)


# --- the codebook --------------------------------------------------------------------------


def _codebook(
    request: HttpRequest,
    form: forms.CodeForm | None = None,
    qdc_form: forms.QdcImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "tree": selectors.codebook_tree(),
        "form": form or forms.CodeForm(),
        "qdc_form": qdc_form or forms.QdcImportForm(initial={"lang": forms.lang()}),
        "lang": forms.lang(),
    }
    return render(request, "interviews/codebook.html", context, status=status)


def _code_data(form: forms.CodeForm) -> services.CodeData:
    d = form.cleaned_data
    return services.CodeData(
        name_nl=d["name_nl"], name_en=d["name_en"], definition_nl=d["definition_nl"],
        definition_en=d["definition_en"], parent=d["parent"], codable=d["codable"],
    )  # fmt: skip


@login_required
@require_GET
def codebook(request: HttpRequest) -> HttpResponse:
    """The codebook as a tree with definitions; a form to add an inductive code."""
    access.interviews_check(user=request.user)
    services.codebook_ensure()
    return _codebook(request)


@login_required
@require_POST
def code_create(request: HttpRequest) -> HttpResponse:
    """Add an inductive code."""
    access.interviews_check(user=request.user)
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        try:
            code = services.code_create(data=_code_data(form))
        except CodebookError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("Code %(name)s has been added.") % {"name": code.name_nl})
            return redirect(reverse("interviews:codebook") + f"#code-{code.key}")
    return _codebook(request, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def code_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Change a code's names, definitions, place in the hierarchy; or delete an unused one."""
    code = access.code_get(user=request.user, key=key)
    initial = {
        "name_nl": code.name_nl, "name_en": code.name_en, "definition_nl": code.definition_nl,
        "definition_en": code.definition_en, "parent": code.parent, "codable": code.codable,
    }  # fmt: skip
    form = forms.CodeForm(request.POST or None, initial=initial, exclude=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_update(code=code, data=_code_data(form))
        except CodebookError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("Code %(name)s has been changed.") % {"name": code.name_nl})
            return redirect(reverse("interviews:codebook") + f"#code-{code.key}")
    status = 400 if request.method == "POST" else 200
    context = {"code": code, "form": form, "used": code.codings.count()}
    return render(request, "interviews/code_edit.html", context, status=status)


@login_required
@require_POST
def code_delete(request: HttpRequest, key: str) -> HttpResponse:
    """Delete a code that is not applied and has no codes under it."""
    code = access.code_get(user=request.user, key=key)
    try:
        services.code_delete(code=code)
    except InterviewError as exc:
        messages.error(request, _error(exc))
        return redirect("interviews:code_edit", key=key)
    messages.success(request, _("Code %(name)s has been deleted.") % {"name": code.name_nl})
    return redirect("interviews:codebook")


@login_required
@require_GET
def codebook_export(request: HttpRequest) -> HttpResponse:
    """The codebook as a REFI-QDA .qdc file (names in the page's language, or ?lang=)."""
    access.interviews_check(user=request.user)
    services.codebook_ensure()
    language = request.GET.get("lang") if request.GET.get("lang") in ("nl", "en") else forms.lang()
    body = codebook_to_qdc(services.codebook_current(), lang=language)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentorwijs-codebook-{language}.qdc"'
    return response


@login_required
@require_POST
def codebook_import(request: HttpRequest) -> HttpResponse:
    """Merge a REFI-QDA .qdc codebook into ours; nothing changes when it is not valid."""
    access.interviews_check(user=request.user)
    qdc_form = forms.QdcImportForm(request.POST, request.FILES)
    if qdc_form.is_valid():
        upload = qdc_form.cleaned_data["file"]
        language = qdc_form.cleaned_data["lang"]
        try:
            imported = codebook_from_qdc(
                upload.read(), lang=language, known=services.codebook_current()
            )
            counts = services.codebook_import(imported=imported)
        except CodebookError as exc:
            qdc_form.add_error("file", _error(exc))
        else:
            messages.success(
                request,
                _("The codebook has been read: %(added)s codes added, %(updated)s changed.")
                % counts,
            )
            return redirect("interviews:codebook")
    return _codebook(request, qdc_form=qdc_form, status=400)


# --- retrieval -----------------------------------------------------------------------------


def _retrieval(request: HttpRequest) -> tuple[forms.RetrievalForm, selectors.Filters, Any]:
    """The filters form (with the effect filter when a run has subgroups) and its filters."""
    from mentorwijs.web.interviews.analysis import effect_subgroups_latest

    subgroups = effect_subgroups_latest()
    form = forms.RetrievalForm(
        request.GET or None, effect_run=subgroups.run_id if subgroups else None
    )
    if not form.is_valid():
        return form, selectors.Filters(), subgroups
    d = form.cleaned_data
    effect = d.get("effect") or ""
    only = None
    if subgroups is not None and effect:
        only = subgroups.larger if effect == "larger" else subgroups.smaller
    filters = selectors.Filters(
        code=d["code"], role=d["role"], region_id=d["region"].pk if d["region"] else "",
        wave=d["wave"], only=only,
    )  # fmt: skip
    return form, filters, subgroups


@login_required
@require_GET
def segment_list(request: HttpRequest) -> HttpResponse:
    """Passages per code, filtered by role, region and wave, with frequencies."""
    access.interviews_check(user=request.user)
    services.codebook_ensure()
    form, filters, subgroups = _retrieval(request)
    from dataclasses import replace

    from mentorwijs.web.interviews import analysis

    names = {c.key: c.name(forms.lang()) for c in i.Code.objects.all()}
    context = {
        "form": form,
        "filters": filters,
        "tables": analysis.code_tables(filters=replace(filters, code=""), names=names),
        "segments": selectors.segments_find(filters=filters) if request.GET else [],
        "asked": bool(request.GET),
        "query": request.GET.urlencode(),
        "lang": forms.lang(),
    }
    labels = subgroups.labels if subgroups else {}
    for seg in context["segments"]:  # type: ignore[attr-defined]
        seg.effect_in = labels.get((seg.interview_id, seg.segment_no))
    return render(request, "interviews/segment_list.html", context)


@login_required
@require_GET
def segments_csv(request: HttpRequest) -> HttpResponse:
    """The coded segments matching the filters as CSV (one row per segment and code)."""
    access.interviews_check(user=request.user)
    _form, filters, _subgroups = _retrieval(request)
    body = selectors.segments_csv(filters=filters, lang=forms.lang())
    export_log(what="coded interview segments (CSV)", filters=request.GET.urlencode())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentorwijs-coded-segments.csv"'
    return response


# --- double-coding -------------------------------------------------------------------------


@login_required
@require_GET
def interview_compare(request: HttpRequest, interview_id: str) -> HttpResponse:
    """Two coders of one transcript side by side, with Cohen's kappa per code and overall."""
    from mentorwijs.web.interviews import analysis

    interview = access.interview_get(user=request.user, interview_id=interview_id)
    coders = analysis.interview_coders(interview=interview)
    context: dict[str, object] = {"interview": interview, "coders": coders, "lang": forms.lang()}
    if len(coders) >= 2:
        first = request.GET.get("a") if request.GET.get("a") in coders else coders[0]
        others = [c for c in coders if c != first]
        second = request.GET.get("b") if request.GET.get("b") in others else others[0]
        first, second = sorted((first, second))
        names = {c.key: c.name(forms.lang()) for c in i.Code.objects.all()}
        comparison = analysis.interview_comparison(
            interview=interview, first=first, second=second, names=names
        )
        units = selectors.sentences(interview.text) if interview.text else []
        context |= {
            "comparison": comparison,
            "by_unit": [
                (unit, [r for r in comparison.rows if r["unit"] == unit]) for unit in analysis.UNITS
            ],
            "sides": [
                (label, selectors.coder_segments(interview=interview, label=label, units=units))
                for label in (first, second)
            ],
        }
    return render(request, "interviews/interview_compare.html", context)
