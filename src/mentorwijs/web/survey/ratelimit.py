"""A limit on unknown-link attempts per client address (Django's cache).

A token has 256 bits, so guessing one is hopeless; the limit keeps scanners from filling the
logs and the database with look-ups. After :data:`MAX_FAILURES` unknown tokens from one
address (behind ``MENTORWIJS_PROXY_COUNT`` trusted proxies, as for the login lock-out)
within :data:`WINDOW_SECONDS`, every link from that address gets a calm "try again
later" page (HTTP 429) until the window has passed.

The counter lives in the default cache: files in the data folder (``settings.CACHES``), so
all server processes of one machine count together; a site on several machines configures a
shared cache (e.g. Django's database cache). Reading a counter that does not exist, as for
nearly every request, is one failed ``open``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from mentorwijs.web.middleware import client_ip

MAX_FAILURES = 20
WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    return "mentorwijs.survey.unknown:" + (client_ip(request) or "unknown")


def is_limited(request: HttpRequest) -> bool:
    """Whether this client address has tried too many unknown links lately."""
    return int(cache.get(_key(request), 0)) >= MAX_FAILURES


def record_failure(request: HttpRequest) -> None:
    """Count one unknown link from this client address."""
    key = _key(request)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
