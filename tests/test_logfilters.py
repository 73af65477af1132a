"""Respondents' link tokens never reach the log."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client

from mentorwijs.web.logfilters import redact

TOKEN = "A" * 20 + "b_-" + "9" * 20


def test_a_token_in_a_path_is_replaced() -> None:
    assert redact(f"Not Found: /v/{TOKEN}/3/") == "Not Found: /v/[link]/3/"
    assert redact(f"GET /v/{TOKEN}/einde/?x=1 HTTP/1.1") == "GET /v/[link]/einde/?x=1 HTTP/1.1"
    assert redact("/registratie/groepen/G1/") == "/registratie/groepen/G1/"


@pytest.mark.django_db
def test_a_request_for_an_unknown_link_logs_no_token() -> None:
    (console,) = logging.getLogger("django").handlers  # settings.LOGGING's handler
    assert isinstance(console, logging.StreamHandler)
    written = io.StringIO()
    before = console.setStream(written)
    try:
        response = Client().get(f"/v/{TOKEN}/")
    finally:
        console.setStream(before)
    assert response.status_code in {404, 410}
    assert "/v/[link]/" in written.getvalue()
    assert TOKEN not in written.getvalue()
