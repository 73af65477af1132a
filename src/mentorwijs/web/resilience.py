"""A calm retry page instead of an error when the database, the disk or the request fails.

When PostgreSQL is restarting or unreachable (``OperationalError``, ``InterfaceError``), the
disk is full (SQLite's "database or disk is full", or ``OSError`` ENOSPC/EDQUOT on writing a
file) or the request body was cut off (``UnreadablePostError``), a respondent or a staff
member sees a short page in Dutch and English with HTTP 503 and ``Retry-After``: nothing was
lost, please try again. Never a traceback.

Two hooks, because Django turns an exception into a response at every layer:

- :class:`RetryPageMiddleware` (first in ``MIDDLEWARE``) refuses a form whose body arrived
  shorter than announced, and sees what a *view* raises. On the respondent pages under
  ``/v/``, whose writes are idempotent upserts (decision 0005), a database error is tried
  once more on a fresh connection: a connection that died with a PostgreSQL restart is
  replaced without the respondent noticing. Staff requests are never repeated behind the
  user's back.
- :func:`server_error` is the site's ``handler500``: it catches what the other middleware
  raise (the session and login look-ups run there) and everything else; other errors get a
  calm 500 page.

The page is rendered without a request context: the context processors read the database,
which may be the very thing that is down. It shows both languages, because the link's
language is stored in that database too. A respondent's posted answers are put back into a
"try again" form on the page, so they are not lost although the browser does not keep them
(the respondent pages are ``no-store``: Back fetches the page again); sending them twice is
harmless, the answers of a page are upserted in one transaction. Staff forms are not echoed
(they may hold passwords): the browser's Back button returns to the filled-in form.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again (``Retry-After``).
RETRY_AFTER_SECONDS = 30
#: The respondents' pages: token in the address, idempotent writes, safe to try once more.
RESPONDENT_PREFIX = "/v/"
_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def failure_kind(exc: BaseException | None) -> str | None:
    """What kind of passing failure ``exc`` is: "database", "disk", "request", or None.

    The exception and its causes (``raise … from``) are looked at, so a database error that
    another layer wrapped is still recognised. Anything else (a bug) is None.
    """
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UnreadablePostError):
            return "request"
        if isinstance(exc, OperationalError | InterfaceError):
            text = str(exc).lower()
            return "disk" if "disk is full" in text or "disk full" in text else "database"
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
            return "disk"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _replay_fields(request: HttpRequest, kind: str) -> list[tuple[str, str]] | None:
    """The respondent's posted fields to send again, or None (staff pages, unreadable body)."""
    if request.method != "POST" or kind == "request":
        return None
    if not request.path_info.startswith(RESPONDENT_PREFIX):
        return None
    try:
        return [(key, value) for key, values in request.POST.lists() for value in values]
    except Exception:  # a body that cannot be read again: the Back button is the way
        return None


def retry_page(request: HttpRequest, kind: str | None) -> HttpResponse:
    """The calm page: 503 with ``Retry-After`` for a passing failure, else 500.

    Parameters
    ----------
    request
        The request that failed.
    kind
        From :func:`failure_kind`; None for an error that trying again will not cure.

    Returns
    -------
    HttpResponse
        A page in Dutch and English, never cached, without a traceback.
    """
    transient = kind is not None
    context = {
        "transient": transient,
        "is_post": request.method == "POST",
        "action": request.path,
        "again_url": request.get_full_path(),
        "fields": _replay_fields(request, kind) if kind else None,
    }
    try:
        body = render_to_string("resilience/retry.html", context)
    except Exception:  # the disk or the templates themselves: a plain text still helps
        body = (
            "Er gaat even iets mis. Er is niets verloren gegaan; probeer het zo opnieuw.\n"
            "Something is briefly going wrong. Nothing was lost; please try again shortly.\n"
        )
    response = HttpResponse(body, status=503 if transient else 500)
    if transient:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    if request.path_info.startswith(RESPONDENT_PREFIX):
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return response


def _cut_off(request: HttpRequest) -> bool:
    """Whether a posted form arrived shorter than its ``Content-Length`` said.

    A server such as gunicorn hands a body that ended early (the client went away, a proxy
    gave up) to the site as it is, and Django would read the fields that did arrive: half a
    page of answers, the last one cut in the middle. Such a form is refused whole. Only
    ordinary forms (``application/x-www-form-urlencoded``) are read here; file uploads are
    left to Django's multipart parser.
    """
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        expected = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    try:
        return len(request.body) < expected
    except UnreadablePostError:
        return True


def _drop_connections() -> None:
    """Close the database connections (outside transactions) so the next use reconnects."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        try:
            conn.close()
        except Exception:  # a dead connection may fail to close; it is dropped all the same
            conn.connection = None


class RetryPageMiddleware:
    """Show the retry page for a view's passing failure; on respondent pages, first try once
    more on a fresh database connection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _cut_off(request):
            logger.warning("request failure on %s: the body ended early", request.method)
            return retry_page(request, "request")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return failure_response(request, exception)


def failure_response(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The answer to an exception a view raised: None when it is not a passing failure (a
    bug: Django's error handling takes it); else, on a respondent page with a database
    failure, the view once more on a fresh connection, and the retry page if that fails too.

    Used by :class:`RetryPageMiddleware` for the staff pages and by
    ``middleware.respondent_pages``, which calls the respondents' views itself.
    """
    kind = failure_kind(exception)
    if kind is None:
        return None
    logger.warning("%s failure on %s: %s", kind, request.method, type(exception).__name__)
    _drop_connections()
    match = request.resolver_match
    if kind == "database" and match and request.path_info.startswith(RESPONDENT_PREFIX):
        try:
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            return response
        except Exception as again:
            kind = failure_kind(again)
            if kind is None:
                raise
            _drop_connections()
    return retry_page(request, kind)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's ``handler500``: the retry page for a passing failure, else a calm 500."""
    exc = sys.exc_info()[1]
    kind = failure_kind(exc)
    if kind is not None:
        _drop_connections()
    return retry_page(request, kind)
