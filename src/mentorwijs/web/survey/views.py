"""The respondent's pages, under ``/v/<token>/`` (see docs/questionnaires.md for the map).

Respondents have no account, no session and no time-out: the token in the address is their
key, and each page is in the link's language. The pages are exempt from Django's CSRF check
on purpose: a forged cross-site form would need the token, and whoever has the token can
post directly; the check would only turn away respondents whose browser blocks cookies.
A form posted from another site's page (the browser says ``Sec-Fetch-Site: cross-site``) is
refused all the same, with Django's CSRF page, before anything is looked up or stored.
Every page answers with ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``, so
the token stays out of caches and other sites' logs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mentorwijs.web.survey import ratelimit
from mentorwijs.web.survey.answers import (
    answers_load,
    answers_save,
    condition_answers,
    missing_required,
    questionnaire_finish,
)
from mentorwijs.web.survey.consent import PURPOSES, current_consent, record_consent
from mentorwijs.web.survey.links import LinkState
from mentorwijs.web.survey.models import Link
from mentorwijs.web.survey.pages import (
    next_page,
    page_fields,
    position,
    previous_page,
    read_page,
)
from mentorwijs.web.survey.plan import Page, Plan
from mentorwijs.web.survey.respondent import (
    EXTRA_PURPOSES,
    Respondent,
    consent_text,
    respondent_for_token,
)

#: HTTP status of the page a closed link shows.
CLOSED_STATUS = {
    LinkState.EXPIRED: 410,
    LinkState.FINISHED: 200,
    LinkState.WITHDRAWN: 200,
}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _request_lang(request: HttpRequest) -> str:
    """The browser's language, for pages without a link (the link's language otherwise)."""
    return "en" if translation.get_language_from_request(request).startswith("en") else "nl"


def _plain(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    """A friendly page without a link: unknown token, too many attempts."""
    lang = _request_lang(request)
    with translation.override(lang):
        response = render(
            request, "survey/closed.html", {"reason": reason, "lang": lang}, status=status
        )
    if status == 429:
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return _private(response)


View = Callable[..., HttpResponse]


def respondent_view(view: View) -> View:
    """Find the link of the token (rate-limited), then call ``view(request, respondent, …)``
    in the link's language; unknown links get a friendly 404."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and request.headers.get("Sec-Fetch-Site") == "cross-site":
            return csrf_failure(request, reason="a form of another site")
        if ratelimit.is_limited(request):
            return _plain(request, "limited", 429)
        respondent = respondent_for_token(token)
        if respondent is None:
            ratelimit.record_failure(request)
            return _plain(request, "unknown", 404)
        with translation.override(respondent.lang):
            return _private(view(request, respondent, **kwargs))

    return wrapper


_MARK, _NUMBER = "TOKEN", 987654321


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, numbered: bool) -> str:
    kwargs: dict[str, Any] = {"token": _MARK} | ({"number": _NUMBER} if numbered else {})
    return reverse(f"survey:{name}", kwargs=kwargs)


def _url(name: str, r: Respondent, number: int | None = None) -> str:
    """The address of a respondent page (``reverse`` once per page name, then filled in)."""
    path = _pattern(name, get_script_prefix(), number is not None)
    if number is not None:
        path = path.replace(str(_NUMBER), str(number))
    return path.replace(_MARK, r.token)


def _context(r: Respondent, **extra: Any) -> dict[str, Any]:
    inv = r.link.invitation
    wave = r.protocol.waves.get(inv.wave)
    return {
        "r": r,
        "lang": r.lang,
        "easy": r.link.easy_read,
        "wave_label": wave.label.get(r.lang) if wave else inv.wave,
        "mine_url": _url("link_mine", r),
        "settings_url": _url("link_settings", r),
        **extra,
    }


def _closed(request: HttpRequest, r: Respondent) -> HttpResponse:
    return render(
        request,
        "survey/closed.html",
        _context(r, reason=r.state.value),
        status=CLOSED_STATUS[r.state],
    )


def _resume_url(r: Respondent, plan: Plan, stored: Any) -> str:
    """Where the respondent left off: the saved page, or the next visible one."""
    n = r.link.resume_page
    if n > len(plan.pages):
        return _url("link_finish", r)
    page = plan.page(n) if n >= 1 else None
    if page is not None and plan.page_visible(page, condition_answers(stored)):
        return _url("link_page", r, number=n)
    nxt = next_page(plan, max(n, 1) - 1, stored)
    return _url("link_page", r, number=nxt) if nxt else _url("link_finish", r)


_RESUME = f"UPDATE {Link._meta.db_table} SET resume_page = %s WHERE id = %s"


def _set_resume(link: Link, number: int) -> None:
    """Remember where the respondent goes on (navigation state, not audited)."""
    if link.resume_page != number:
        with connection.cursor() as cursor:
            cursor.execute(_RESUME, [number, link.pk])
        link.resume_page = number


@require_http_methods(["GET", "POST"])
@respondent_view
def link_start(request: HttpRequest, r: Respondent) -> HttpResponse:
    """Welcome, consent, reading mode and language; or on to where the respondent left off."""
    if r.state is not LinkState.OPEN:
        return _closed(request, r)
    if r.link.opened_at is None:
        Link.objects.filter(pk=r.link.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    if request.method == "GET" and r.consented:
        plan = r.plan  # without conditions every page is shown: no need to read the answers
        stored = answers_load(invitation_id=r.link.invitation_id) if plan.conditional else {}
        return HttpResponseRedirect(_resume_url(r, plan, stored))
    easy = r.link.easy_read
    protocol = r.protocol
    main = consent_text(protocol, "questionnaire", lang=r.lang, easy=easy)
    extras = [
        t
        for p in EXTRA_PURPOSES.get(r.role, ())
        if (t := consent_text(protocol, p, lang=r.lang, easy=easy)) is not None
    ]
    if request.method == "POST":
        choice = request.POST.get("consent")
        if choice in ("yes", "no"):
            version = main.version if main else protocol.version
            form = "easy" if easy else "standard"
            who = {"role": r.role, "respondent_id": r.pseudonym}
            record_consent(
                **who, purpose="questionnaire", given=choice == "yes", version=version, form=form
            )
            if choice == "yes":
                for t in extras:
                    given = request.POST.get(t.purpose) == "yes"
                    record_consent(
                        **who, purpose=t.purpose, given=given, version=t.version, form=form
                    )
            return HttpResponseRedirect(_url("link_start", r))
        error = _("Choose whether you take part.")
    else:
        error = None
    renewed = bool(r.consent_given) and not r.consented
    return render(
        request,
        "survey/start.html",
        _context(r, consent=main, extras=extras, error=error, renewed=renewed, here="start"),
        status=200,
    )


@require_http_methods(["POST"])
@respondent_view
def link_settings(request: HttpRequest, r: Respondent) -> HttpResponse:
    """Change the language or the reading mode, and return to the same place."""
    link = r.link
    changed = []
    language = request.POST.get("language")
    if language in ("nl", "en") and language != link.language:
        link.language = language
        changed.append("language")
    easy = request.POST.get("easy")
    old_plan = r.plan
    if easy in ("0", "1") and (easy == "1") != link.easy_read:
        link.easy_read = easy == "1"
        changed.append("easy_read")
    here = request.POST.get("here", "start")
    target = _url("link_start", r)
    if "easy_read" in changed:
        new_plan = r.plan_in(link.easy_read)
        link.resume_page = _map_page(old_plan, new_plan, link.resume_page)
        changed.append("resume_page")
    if here.startswith("page:") and here[5:].isdecimal():
        number = int(here[5:])
        if "easy_read" in changed:
            number = _map_page(old_plan, r.plan_in(link.easy_read), number)
        target = _url("link_page", r, number=number)
    elif here in ("finish", "mine", "pause"):
        target = _url(
            {"finish": "link_finish", "mine": "link_mine", "pause": "link_pause"}[here], r
        )
    if changed:
        link.save(update_fields=changed)
    return HttpResponseRedirect(target)


def _map_page(old: Plan, new: Plan, number: int) -> int:
    """The page of ``new`` that holds the first item of page ``number`` of ``old``."""
    if number > len(old.pages):
        return len(new.pages) + 1
    page = old.page(number)
    if page is None:
        return number
    return new.page_of(page.instrument, page.items[0].code)


@require_http_methods(["GET", "POST"])
@respondent_view
def link_page(request: HttpRequest, r: Respondent, number: int) -> HttpResponse:
    """One page of questions: a block of items, or one item in easy-read mode."""
    if r.state is not LinkState.OPEN:
        return _closed(request, r)
    if not r.consented:
        return HttpResponseRedirect(_url("link_start", r))
    plan = r.plan
    inv_id = r.link.invitation_id
    # A post to a plan without conditions needs no saved answers: nothing can hide a page.
    load = request.method == "GET" or plan.conditional
    stored = answers_load(invitation_id=inv_id) if load else {}
    page = plan.page(number)
    if page is None:
        return HttpResponseRedirect(_resume_url(r, plan, stored))
    if not plan.page_visible(page, condition_answers(stored)):
        nxt = next_page(plan, number, stored)
        return HttpResponseRedirect(
            _url("link_page", r, number=nxt) if nxt else _url("link_finish", r)
        )
    cleaned = None
    if request.method == "POST":
        action = request.POST.get("action", "next")
        posted = read_page(plan, page, stored, request.POST)
        if action in ("back", "pause"):
            posted = posted.without_required()
        if not posted.invalid:  # a value that cannot be stored: nothing of the page is
            stored = answers_save(
                invitation_id=inv_id,
                instrument=page.instrument,
                answers=posted.answers,
                plan=plan,
                before=stored if load else None,
            )
        if not posted.errors:
            if action == "pause":
                _set_resume(r.link, number)
                return HttpResponseRedirect(_url("link_pause", r))
            if action == "back":
                prev = previous_page(plan, number, stored)
                target = prev or number
                _set_resume(r.link, target)
                return HttpResponseRedirect(_url("link_page", r, number=target))
            nxt = next_page(plan, number, stored)
            _set_resume(r.link, nxt or len(plan.pages) + 1)
            return HttpResponseRedirect(
                _url("link_page", r, number=nxt) if nxt else _url("link_finish", r)
            )
        cleaned = posted.cleaned
    return render(
        request,
        "survey/page.html",
        _page_context(r, plan, page, stored, cleaned),
    )


def _page_context(
    r: Respondent, plan: Plan, page: Page, stored: Any, cleaned: Any
) -> dict[str, Any]:
    number = page.number
    fields = page_fields(plan, page, stored, lang=r.lang, cleaned=cleaned)
    n, of = position(plan, number, stored)
    ins = plan.protocol.instruments[page.instrument]
    return _context(
        r,
        fields=fields,
        errors=[f for f in fields if f.error],
        part=n,
        parts=of,
        first=previous_page(plan, number, stored) is None,
        instrument_label=ins.label.get(r.lang),
        action_url=_url("link_page", r, number=number),
        here=f"page:{number}",
        respondent=True,
    )


@require_http_methods(["GET"])
@respondent_view
def link_pause(request: HttpRequest, r: Respondent) -> HttpResponse:
    """The answers are saved; the same link continues later."""
    if r.state is not LinkState.OPEN:
        return _closed(request, r)
    return render(request, "survey/paused.html", _context(r, here="pause"))


@require_http_methods(["GET", "POST"])
@respondent_view
def link_finish(request: HttpRequest, r: Respondent) -> HttpResponse:
    """The last page: send the answers, or see which required questions are still open."""
    if r.state is not LinkState.OPEN:
        return _closed(request, r)
    if not r.consented:
        return HttpResponseRedirect(_url("link_start", r))
    plan = r.plan
    stored = answers_load(invitation_id=r.link.invitation_id)
    missing = missing_required(plan, stored)
    if request.method == "POST" and not missing:
        questionnaire_finish(invitation_id=r.link.invitation_id)
        return HttpResponseRedirect(_url("link_start", r))
    rows = []
    for number, instrument, code in missing:
        item = plan.protocol.instruments[instrument].item(code)
        text = item.easy_text(r.lang) if plan.easy else item.text.get(r.lang)
        rows.append({"text": text, "url": _url("link_page", r, number=number)})
    last = previous_page(plan, len(plan.pages) + 1, stored)
    return render(
        request,
        "survey/finish.html",
        _context(
            r,
            missing=rows,
            tried=request.method == "POST",
            back_url=_url("link_page", r, number=last) if last else None,
            here="finish",
        ),
    )


@require_http_methods(["GET", "POST"])
@respondent_view
def link_mine(request: HttpRequest, r: Respondent) -> HttpResponse:
    """The respondent's own page: the consents given, and withdrawing any of them."""
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        if purpose in PURPOSES:
            erase = purpose == "questionnaire" and request.POST.get("erase") == "yes"
            texts = r.protocol.consent.get(purpose)  # type: ignore[call-overload]
            now = current_consent(role=r.role, respondent_id=r.pseudonym, purpose=purpose)
            version = texts.version if texts else (now.version if now else r.protocol.version)
            if now is not None and now.given:
                record_consent(
                    role=r.role,
                    respondent_id=r.pseudonym,
                    purpose=purpose,
                    given=False,
                    version=version,
                    form="easy" if r.link.easy_read else "standard",
                    erase_answers=erase,
                )
            return HttpResponseRedirect(_url("link_mine", r) + f"?ingetrokken={purpose}")
    decisions = []
    labels = dict(_purpose_labels())
    for purpose in PURPOSES:
        c = current_consent(role=r.role, respondent_id=r.pseudonym, purpose=purpose)
        if c is None and purpose not in ("questionnaire", *EXTRA_PURPOSES.get(r.role, ())):
            continue
        decisions.append({"purpose": purpose, "label": labels[purpose], "consent": c})
    done = request.GET.get("ingetrokken")
    confirmation = None
    if done in PURPOSES:
        c = current_consent(role=r.role, respondent_id=r.pseudonym, purpose=done)
        if c is not None and not c.given:
            confirmation = {"purpose": done, "label": labels[done], "consent": c}
    return render(
        request,
        "survey/mine.html",
        _context(r, decisions=decisions, confirmation=confirmation, here="mine"),
    )


def _purpose_labels() -> list[tuple[str, str]]:
    return [
        ("questionnaire", _("Questionnaires")),
        ("register", _("Linking to register data")),
        ("interview", _("Interview")),
        ("sharing", _("Sharing pseudonymised data")),
    ]
