"""For tests: a real SMTP server on a loopback port (aiosmtpd in a thread), and helpers.

The server keeps every message it accepts, and can refuse chosen recipients with a temporary
(4xx) or permanent (5xx) reply, or answer slowly, so tests see what a real mail server does.
aiosmtpd is a development dependency; only tests import this module.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

#: A personal link in a message: the site's address, /v/, a 43-character token.
LINK = re.compile(r"https?://[^\s\"<>]+/v/([A-Za-z0-9_-]{43})/")


@dataclass
class Inbox:
    """What the SMTP server received, and how it should answer."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address → SMTP reply
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow server: widens the window of races
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages received for ``address``."""
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(str(m["To"]) for m in self.messages)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """Run an SMTP server on a free loopback port; yields its inbox and port."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    """The plain-text body."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def html_of(message: EmailMessage) -> str:
    """The HTML body."""
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


def token_in(message: EmailMessage) -> str:
    """The token of the personal link in a message's plain text (AssertionError if none)."""
    found = LINK.search(text_of(message))
    if found is None:
        raise AssertionError("no personal link in the message")
    return found.group(1)


def deliveries_build(*, anna: Any, eva: Any, now: Any) -> tuple[Any, Any]:
    """For the permission matrix: Anna's T0 e-mail and Eva's T0 letter, both sent ten days
    before ``now``, the letter ready to print. Returns (e-mail, letter)."""
    from datetime import timedelta

    from mentorwijs.web.invitations.models import Delivery
    from mentorwijs.web.study.models import Invitation, Supervisor
    from mentorwijs.web.survey.links import create_link

    sent = now - timedelta(days=10)
    out = []
    for person, channel in ((anna, "email"), (eva, "letter")):
        role = "supervisor" if isinstance(person, Supervisor) else "employee"
        invitation = Invitation.objects.create(
            role=role, wave="T0", invited_at=sent, **{role: person}
        )
        link, _token = create_link(
            invitation=invitation, expires_at=now + timedelta(days=30), channel=channel
        )
        delivery = Delivery.objects.create(
            link=link, kind="invitation", number=0, channel=channel, status="sent",
            created_at=sent, sent_at=sent, attempts=1,
            message_id="<matrix@mentorwijs.test>" if channel == "email" else "",
            letter_name="matrix/letter.pdf" if channel == "letter" else "",
        )  # fmt: skip
        out.append(delivery)
    return out[0], out[1]
