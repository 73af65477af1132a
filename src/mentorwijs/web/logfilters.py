"""Logging filters: keep respondents' link tokens out of log files.

Django logs the path of every request that ends in 4xx or 5xx ("Not Found: /v/<token>/").
A token in a log file would open that person's questionnaire, so the filter replaces every
token in a ``/v/<token>/`` path with ``[link]`` before the record is written.
"""

from __future__ import annotations

import logging
import re

_LINK = re.compile(r"/v/[^/\s?#]+")


def redact(text: str) -> str:
    """``text`` with every ``/v/<token>`` replaced by ``/v/[link]``."""
    return _LINK.sub("/v/[link]", text)


class RedactLinkTokens(logging.Filter):
    """Replace respondents' link tokens in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
