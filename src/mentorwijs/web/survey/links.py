"""Personal links: making them, finding them from a token, and what state they are in.

The token is ``HMAC-SHA256(SECRET_KEY, salt)`` in URL-safe base64 (256 bits, 43
characters). Only ``sha256(token)`` is stored, so the token can be made again for a
reminder but not read from the database. Rotating the secret key invalidates every link.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import re
from datetime import datetime

from django.utils import timezone
from django.utils.crypto import salted_hmac

from mentorwijs.web.study.models import Invitation
from mentorwijs.web.survey.consent import has_withdrawn
from mentorwijs.web.survey.models import Link

_KEY_SALT = "mentorwijs.survey.link"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class LinkState(enum.StrEnum):
    """What a respondent who opens a link can do."""

    OPEN = "open"
    EXPIRED = "expired"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"


def token_for(link: Link) -> str:
    """The token of ``link`` (made again from its salt and the secret key)."""
    digest = salted_hmac(_KEY_SALT, link.salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 in hex."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def create_link(
    *,
    invitation: Invitation,
    expires_at: datetime,
    channel: str = "email",
    language: str = "nl",
    easy_read: bool = False,
) -> tuple[Link, str]:
    """Make the link of an invitation and return it with its token.

    Parameters
    ----------
    invitation
        The respondent's invitation to one wave (one link per invitation).
    expires_at
        After this moment the link shows a friendly "closed" page.
    channel, language, easy_read
        How the respondent is reached and which mode the pages open in.

    Returns
    -------
    tuple
        The saved link and its token (the token is not stored).
    """
    link = Link(
        invitation=invitation,
        expires_at=expires_at,
        channel=channel,
        language=language,
        easy_read=easy_read,
    )
    token = token_for(link)
    link.token_hash = hash_token(token)
    link.save()
    return link, token


def valid_token(token: str) -> bool:
    """Whether ``token`` has the form of a token (43 URL-safe base64 characters)."""
    return bool(_TOKEN.match(token))


def link_for_token(token: str) -> Link | None:
    """The link a token opens, or None for a malformed or unknown token."""
    if not valid_token(token):
        return None
    return Link.objects.select_related("invitation").filter(token_hash=hash_token(token)).first()


def respondent_of(link: Link) -> tuple[str, str]:
    """(role, pseudonym) of the person a link belongs to."""
    inv = link.invitation
    return inv.role, (inv.supervisor_id or inv.employee_id or "")


def link_state(link: Link, *, now: datetime | None = None) -> LinkState:
    """Whether the link can be answered, or why not.

    Withdrawal comes first (a withdrawn person is never asked again), then a finished
    questionnaire, then expiry.
    """
    role, respondent = respondent_of(link)
    withdrawn = has_withdrawn(role=role, respondent_id=respondent, purpose="questionnaire")
    return link_state_given(link, withdrawn=withdrawn, now=now)


def link_state_given(link: Link, *, withdrawn: bool, now: datetime | None = None) -> LinkState:
    """:func:`link_state` when the caller already knows whether the person has withdrawn
    (the answering pages read the consent row anyway, so this saves a query)."""
    if withdrawn:
        return LinkState.WITHDRAWN
    if link.invitation.completed_at is not None:
        return LinkState.FINISHED
    if (now or timezone.now()) >= link.expires_at:
        return LinkState.EXPIRED
    return LinkState.OPEN
