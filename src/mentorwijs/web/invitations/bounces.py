"""Asynchronous bounces: the Message-IDs a delivery status notification reports as failed.

A mail server that accepted a message may later send back a delivery status notification
(DSN, RFC 3464): a ``multipart/report`` with a ``message/delivery-status`` part (``Action:
failed``) and the original message or its headers. Piping such a bounce into
``mentorwijs manage mark_bounced --stdin`` marks the delivery with that Message-ID bounced.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage, Message


def _headers_of(part: Message) -> Message | None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        payload = part.get_payload()
        return payload[0] if isinstance(payload, list) and payload else None
    if ctype == "text/rfc822-headers":
        raw = part.get_payload(decode=True) or b""
        return message_from_bytes(raw, policy=policy.default)
    return None


def failed_message_ids(raw: bytes) -> list[str]:
    """Message-IDs of the original messages a DSN reports as failed (empty if none).

    Parameters
    ----------
    raw
        The bounce as received (RFC 5322 bytes).

    Returns
    -------
    list of str
        Each Message-ID with its angle brackets, in order of appearance.
    """
    report: EmailMessage = message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    failed = False
    ids: list[str] = []
    for part in report.walk():
        if part.get_content_type() == "message/delivery-status":
            text = "\n".join(str(block) for block in part.get_payload())
            failed = failed or any(
                line.split(":", 1)[1].strip().lower() == "failed"
                for line in text.splitlines()
                if line.lower().startswith("action:")
            )
        headers = _headers_of(part)
        if headers is not None and headers.get("Message-ID"):
            ids.append(str(headers["Message-ID"]).strip())
    return ids if failed else []
