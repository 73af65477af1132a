"""Named errors of the invitations (no Django imports, so the CLI can catch them)."""

from __future__ import annotations

from mentorwijs.web.errors import WebError


class InvitationError(WebError):
    """An invitation step refused; ``str(exc)`` in English, ``message_nl`` in Dutch."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl


class BadMomentError(InvitationError):
    """``--now`` is not an ISO 8601 date or date and time."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"--now takes an ISO 8601 date or date and time, e.g. 2026-03-01T09:00, not {text!r}",
            f"--now verwacht een ISO 8601-datum of -tijdstip, bijvoorbeeld 2026-03-01T09:00, "
            f"niet {text!r}",
        )


class SiteUrlError(InvitationError):
    """MENTORWIJS_SITE_URL is not an absolute http(s) address."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"MENTORWIJS_SITE_URL must be the site's address, e.g. https://mentorwijs.example.nl, "
            f"not {url!r}",
            f"MENTORWIJS_SITE_URL moet het adres van de site zijn, bijvoorbeeld "
            f"https://mentorwijs.example.nl, niet {url!r}",
        )


class DeliveryNotFoundError(InvitationError):
    """No delivery has the given message-id."""

    def __init__(self, message_id: str) -> None:
        super().__init__(
            f"no delivery has message-id {message_id}",
            f"geen bezorging heeft message-id {message_id}",
        )
