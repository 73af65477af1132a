"""Middleware: the respondents' short way to their pages, and of the staff site the session
idle time-out and the two-factor step.

The Content-Security-Policy header comes from django-csp (``settings.CONTENT_SECURITY_POLICY``),
login throttling from django-axes; this module holds only what those libraries leave to us.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

#: Paths that never belong to a staff session: the respondents' pages and static files.
RESPONDENT_PREFIX = "/v/"
#: How often (seconds) a staff session's expiry is pushed forward; saves a write per request.
TOUCH_EVERY = 60
SEEN_KEY = "mentorwijs_seen"


def client_ip(request: HttpRequest) -> str:
    """The address of the client, also behind ``MENTORWIJS_PROXY_COUNT`` reverse proxies.

    Each trusted proxy appends the address it saw to ``X-Forwarded-For``; the entry that
    many places from the end is the one the outermost trusted proxy saw. Entries before it
    were written by the client and are not trusted. Used by django-axes (login lock-out).
    """
    count = settings.MENTORWIJS_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def respondent_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Take requests for the respondents' pages (``/v/…``) straight to their views.

    Respondents have no account, session, messages or login to throttle, and each page is in
    its link's language; so the middleware of the staff site after this one (sessions,
    language, CSRF, users, two factors, the audit actor, messages, django-axes) has nothing
    to do for them, and skipping it is the largest saving on the answering path
    (``benchmarks/answering.py``), the way WhiteNoise serves static files early. What that
    middleware adds and respondents need is added here: the same Content-Security-Policy
    (built once by django-csp from ``settings.CONTENT_SECURITY_POLICY``), ``X-Frame-Options``
    and ``Content-Length``; a failure is answered as ``resilience.RetryPageMiddleware``
    answers it for the other views (tried once more on a fresh database connection). Placed
    after ``SecurityMiddleware`` (HTTPS, HSTS) and the retry page's check of cut-off forms,
    which still apply; an unknown address under ``/v/`` is Django's 404 as before.
    """
    from csp.utils import build_policy

    from mentorwijs.web.resilience import failure_response

    policy = build_policy()
    frame = settings.X_FRAME_OPTIONS

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(RESPONDENT_PREFIX):
            return get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Exception as exc:  # a passing failure: tried again, or the calm retry page
            response = failure_response(request, exc)
            if response is None:
                raise
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Frame-Options", frame)
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
        return response

    return middleware


#: Views a user who still owes the second factor may reach.
OPEN_VIEWS = {"login", "logout", "set_language", "accounts:verify", "accounts:enrol"}


def _exempt(path: str) -> bool:
    if path.startswith(RESPONDENT_PREFIX) or path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        name = resolve(path).view_name
    except Resolver404:
        return False
    return name in OPEN_VIEWS


def staff_session(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Send users who need two-factor authentication to it; end idle staff sessions.

    A user who must use two factors (``accounts.policy.two_factor_required``) and has not
    passed the code step in this session is sent to the code page (or to set up the
    authenticator app first) from every page but logging in and out. A logged-in session
    ends ``MENTORWIJS_STAFF_IDLE_SECONDS`` after its last request: the expiry is stored with
    the session on the server (Django's session store refuses an expired one), pushed
    forward at most once a minute.
    """
    from mentorwijs.web.accounts.policy import has_device, two_factor_required

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor_required(user)
            and not user.is_verified()
            and not _exempt(request.path_info)
        ):
            target = "accounts:verify" if has_device(user) else "accounts:enrol"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(target)}?{query}")
        response = get_response(request)
        user = getattr(request, "user", None)  # logging in or out replaces it
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(RESPONDENT_PREFIX)
        ):
            now = int(time.time())
            if now - int(request.session.get(SEEN_KEY, 0)) >= TOUCH_EVERY:
                request.session[SEEN_KEY] = now
                request.session.set_expiry(settings.MENTORWIJS_STAFF_IDLE_SECONDS)
        return response

    return middleware
