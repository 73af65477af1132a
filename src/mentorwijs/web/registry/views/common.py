"""What every registry view shares: turning a named error into a message, fetch replies."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language

from mentorwijs.web.errors import WebError


def error_text(exc: WebError) -> str:
    """The error's message in the language of the page."""
    language = get_language() or "nl"
    return exc.message_nl if language.startswith("nl") and exc.message_nl else str(exc)


def wants_json(request: HttpRequest) -> bool:
    """A request from the page's own script (``static/registry/autosave.js``)."""
    return request.headers.get("X-Requested-With") == "fetch"
