"""The calm retry page itself (mentorwijs.web.resilience), in the test's own process.

The faults themselves, with real processes (PostgreSQL stopped, a worker killed, a full disk),
are in tests/test_resilience_live.py; here what the page says and echoes, and the refusal of
a form that arrived shorter than announced.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from mentorwijs.web.resilience import RetryPageMiddleware, failure_kind, server_error


def _never(request: object) -> HttpResponse:
    raise AssertionError("the view must not run")


def test_a_bug_gets_a_calm_500_page_in_both_languages_without_a_traceback():
    request = RequestFactory().get("/registratie/")
    try:
        {}["missing"]  # a real error, raised and handled as Django's handler500 is
    except KeyError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Er ging iets mis" in body
    assert "Something went wrong" in body
    assert "Traceback" not in body
    assert "missing" not in body


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OperationalError("connection to server failed: Connection refused"), "database"),
        (InterfaceError("connection already closed"), "database"),
        (OperationalError("database or disk is full"), "disk"),
        (OSError(28, "No space left on device"), "disk"),
        (OSError(2, "No such file or directory"), None),
        (ValueError("a bug"), None),
    ],
)  # fmt: skip
def test_passing_failures_are_told_from_bugs(error, kind):
    assert failure_kind(error) == kind
    with pytest.raises(RuntimeError) as wrapped:
        raise RuntimeError("wrapped") from error
    assert failure_kind(wrapped.value) == kind  # a wrapped database error is still one


def test_a_respondents_answers_come_back_escaped_in_a_try_again_form():
    payload = '"><script>alert(1)</script>'
    data = {"kn1": "4", "remarks": payload, "action": "next"}
    request = RequestFactory().post("/v/" + "t" * 43 + "/2/", data)
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert f'<form method="post" action="/v/{"t" * 43}/2/">' in body
    assert payload not in body
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body
    assert re.findall(r'type="hidden" name="(\w+)"', body) == ["kn1", "remarks", "action"]


def test_a_staff_form_is_not_echoed_and_the_back_button_is_offered():
    request = RequestFactory().post("/inloggen/", {"username": "a", "password": "Geheim!9"})
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 503
    assert "Geheim!9" not in body
    assert "<form" not in body
    assert "knop ‘Terug’" in body
    assert "Back button" in body


def _wsgi_post(body: bytes, announced: int) -> WSGIRequest:
    environ = RequestFactory().post("/v/" + "t" * 43 + "/1/").environ
    environ.update(
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(announced),
        **{"wsgi.input": io.BytesIO(body)},
    )
    return WSGIRequest(environ)


def test_a_form_shorter_than_announced_is_refused_before_the_view():
    body = urlencode({"kn1": "4", "kn2": "5", "remarks": "Het ging goed"}).encode()
    cut = body[: body.index(b"&remarks") + len("&remarks=Het")]
    response = RetryPageMiddleware(_never)(_wsgi_post(cut, len(body)))
    assert response.status_code == 503
    assert "<form" not in response.content.decode()  # a cut form is not offered again


def test_a_whole_form_goes_through():
    body = urlencode({"kn1": "4"}).encode()
    seen = []

    def view(request: WSGIRequest) -> HttpResponse:
        seen.append(request.POST.dict())
        return HttpResponse("ok")

    assert RetryPageMiddleware(view)(_wsgi_post(body, len(body))).status_code == 200
    assert seen == [{"kn1": "4"}]
