"""Staff pages: the instrument list and a preview of every instrument of every wave.

Researchers, coordinators and trainers see each instrument as a respondent would, in normal
and easy-read mode, in Dutch and English. A preview needs no link and stores nothing in the
study data: answers typed in a preview live only in the staff member's session, so that
conditions (``show_if``) and messages can be tried out.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from mentorwijs.web.registry.access import require_role
from mentorwijs.web.registry.models import Role
from mentorwijs.web.survey.answers import Key, condition_answers
from mentorwijs.web.survey.pages import next_page, page_fields, position, previous_page, read_page
from mentorwijs.web.survey.plan import Plan, instrument_plan, survey_protocol
from mentorwijs.web.survey.validation import Stored

#: Reading modes in preview addresses.
MODES = {"gewoon": False, "makkelijk": True}
STAFF = (Role.RESEARCHER, Role.COORDINATOR, Role.TRAINER)
_SESSION = "mentorwijs.survey.preview"


def _lang() -> str:
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    """Every wave with its instruments, and preview links in both modes and languages."""
    require_role(request.user, *STAFF)
    protocol = survey_protocol()
    lang = _lang()
    waves = []
    for code, wave in protocol.waves.items():
        rows = []
        for ins_code, ins in protocol.instruments.items():
            if code not in ins.waves:
                continue
            modes = [
                {
                    "code": mode,
                    "links": [
                        {"lang": lg, "url": _url(code, ins_code, mode, lg, 1)}
                        for lg in ("nl", "en")
                    ],
                }
                for mode in MODES
            ]
            asked = sum(1 for it in ins.items if it.has_answer)
            rows.append({"code": ins_code, "ins": ins, "label": ins.label.get(lang),
                         "items": asked, "modes": modes})  # fmt: skip
        waves.append({"code": code, "label": wave.label.get(lang), "instruments": rows})
    return render(
        request,
        "survey/instrument_list.html",
        {"waves": waves, "version": protocol.version},
    )


def _plan(wave: str, instrument: str, mode: str, lang: str) -> Plan:
    protocol = survey_protocol()
    ins = protocol.instruments.get(instrument)
    if mode not in MODES or lang not in ("nl", "en") or ins is None or wave not in ins.waves:
        raise Http404("no such preview")
    return instrument_plan(instrument=instrument, wave=wave, easy=MODES[mode], protocol=protocol)


def _session_key(wave: str, instrument: str) -> str:
    return f"{wave}:{instrument}"


def _stored(request: HttpRequest, wave: str, instrument: str) -> dict[Key, Stored]:
    saved = request.session.get(_SESSION, {}).get(_session_key(wave, instrument), {})
    return {(instrument, code): Stored(v, t) for code, (v, t) in saved.items()}


def _store(request: HttpRequest, wave: str, instrument: str, stored: dict[Key, Stored]) -> None:
    everything = request.session.get(_SESSION, {})
    everything[_session_key(wave, instrument)] = {
        code: [s.value, s.text] for (_ins, code), s in stored.items()
    }
    request.session[_SESSION] = everything


def _url(wave: str, instrument: str, mode: str, lang: str, number: int | None) -> str:
    kwargs: dict[str, Any] = {"wave": wave, "instrument": instrument, "mode": mode, "lang": lang}
    if number is None:
        return reverse("survey:instrument_preview_end", kwargs=kwargs)
    return reverse("survey:instrument_preview", kwargs={**kwargs, "number": number})


def _context(plan: Plan, wave: str, instrument: str, mode: str, lang: str, number: int | None):
    protocol = plan.protocol
    other_mode = "makkelijk" if mode == "gewoon" else "gewoon"
    other_plan = _plan(wave, instrument, other_mode, lang)
    mapped = None
    if number is not None:
        page = plan.page(number)
        if page is not None:
            mapped = other_plan.page_of(page.instrument, page.items[0].code)
    return {
        "preview": True,
        "lang": lang,
        "easy": plan.easy,
        "wave_label": protocol.waves[wave].label.get(lang),
        "instrument_label": protocol.instruments[instrument].label.get(lang),
        "other_lang_url": _url(wave, instrument, mode, "en" if lang == "nl" else "nl", number),
        "other_mode_url": _url(wave, instrument, other_mode, lang, mapped),
        "list_url": reverse("survey:instrument_list"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def instrument_preview(
    request: HttpRequest, wave: str, instrument: str, mode: str, lang: str, number: int
) -> HttpResponse:
    """One page of an instrument as a respondent sees it; nothing is stored in the study."""
    require_role(request.user, *STAFF)
    plan = _plan(wave, instrument, mode, lang)
    page = plan.page(number)
    if page is None:
        raise Http404("no such page")
    stored = _stored(request, wave, instrument)
    cleaned = None
    with translation.override(lang):
        if request.method == "POST":
            action = request.POST.get("action", "next")
            posted = read_page(plan, page, stored, request.POST)
            if action == "back":
                posted = posted.without_required()
            for code, answer in posted.answers.items():
                if answer is None:
                    stored.pop((instrument, code), None)
                else:
                    stored[(instrument, code)] = answer
            for key in plan.hidden_items(condition_answers(stored)):
                stored.pop(key, None)
            _store(request, wave, instrument, stored)
            if not posted.errors:
                if action == "back":
                    target = previous_page(plan, number, stored) or number
                else:
                    target = next_page(plan, number, stored)  # type: ignore[assignment]
                return HttpResponseRedirect(_url(wave, instrument, mode, lang, target))
            cleaned = posted.cleaned
        if not plan.page_visible(page, condition_answers(stored)):
            target = next_page(plan, number, stored)
            return HttpResponseRedirect(_url(wave, instrument, mode, lang, target))
        fields = page_fields(plan, page, stored, lang=lang, cleaned=cleaned)
        n, of = position(plan, number, stored)
        context = {
            **_context(plan, wave, instrument, mode, lang, number),
            "fields": fields,
            "errors": [f for f in fields if f.error],
            "part": n,
            "parts": of,
            "first": previous_page(plan, number, stored) is None,
            "action_url": _url(wave, instrument, mode, lang, number),
        }
        return render(request, "survey/page.html", context)


@login_required
@require_GET
def instrument_preview_end(
    request: HttpRequest, wave: str, instrument: str, mode: str, lang: str
) -> HttpResponse:
    """The end of a preview; the answers typed in it are forgotten."""
    require_role(request.user, *STAFF)
    plan = _plan(wave, instrument, mode, lang)
    everything = request.session.get(_SESSION, {})
    if everything.pop(_session_key(wave, instrument), None) is not None:
        request.session[_SESSION] = everything
    with translation.override(lang):
        context = {
            **_context(plan, wave, instrument, mode, lang, None),
            "restart_url": _url(wave, instrument, mode, lang, 1),
        }
        return render(request, "survey/preview_end.html", context)
