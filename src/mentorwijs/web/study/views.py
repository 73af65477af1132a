"""Views: thin, alike, and each behind an access check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from mentorwijs.studydata import AnswersExportError
from mentorwijs.web.errors import WebError
from mentorwijs.web.registry.access import require_role, user_roles
from mentorwijs.web.registry.models import Role
from mentorwijs.web.study.answers import answers_download as download
from mentorwijs.web.study.forms import AnswersExportForm
from mentorwijs.web.study.selectors import study_meta, study_overview

#: Where each role starts; a researcher (or a user with no role) sees the study overview.
START = {
    Role.COORDINATOR: "registry:dashboard",
    Role.TRAINER: "registry:trainer_home",
    Role.EMPLOYER_CONTACT: "registry:my_organisation",
}


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The study at a glance: regions, groups, people and response per wave."""
    roles = {x.role for x in user_roles(request.user)}
    if Role.RESEARCHER not in roles:
        for role, url in START.items():
            if role in roles:
                return redirect(url)
    return render(request, "study/home.html", {"overview": study_overview(), "meta": study_meta()})


def _answers_page(request: HttpRequest, form: AnswersExportForm) -> HttpResponse:
    return render(request, "study/answers_export.html", {"form": form, "meta": study_meta()})


@login_required
@require_GET
def answers_export(request: HttpRequest) -> HttpResponse:
    """The researcher chooses format, shape and language of a download of the answers."""
    require_role(request.user, Role.RESEARCHER)
    return _answers_page(request, AnswersExportForm(initial={"lang": _lang()}))


@login_required
@require_POST
def answers_download(request: HttpRequest) -> HttpResponse:
    """The answers as a ZIP (data file and codebooks); each download is audited."""
    require_role(request.user, Role.RESEARCHER)
    form = AnswersExportForm(request.POST)
    if not form.is_valid():
        return _answers_page(request, form)
    d = form.cleaned_data
    try:
        name, content = download(fmt=d["fmt"], wide=d["shape"] == "wide", lang=d["lang"])
    except (AnswersExportError, WebError) as exc:
        form.add_error(None, str(exc) if _lang() == "en" else exc.message_nl)
        return _answers_page(request, form)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
