"""The invitation and reminder e-mail: plain text and simple HTML, in the link's language."""

from __future__ import annotations

from datetime import timedelta
from email.utils import make_msgid, parseaddr
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentorwijs.protocol import load_protocol
from mentorwijs.web.invitations.errors import SiteUrlError
from mentorwijs.web.invitations.people import Contact
from mentorwijs.web.survey.models import Link


def site_url() -> str:
    """The site's absolute address (``MENTORWIJS_SITE_URL``), checked."""
    url = str(getattr(settings, "MENTORWIJS_SITE_URL", "")).rstrip("/")
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteUrlError(url)
    return url


def respondent_url(token: str) -> str:
    """The personal link: the absolute address of the respondent's questionnaire."""
    return site_url() + reverse("survey:link_start", kwargs={"token": token})


def sender_address() -> str:
    """The bare e-mail address of ``DEFAULT_FROM_EMAIL`` (for replies and the letter)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def new_message_id() -> str:
    """A fresh Message-ID in the sender's domain, recorded so a bounce can be matched."""
    domain = sender_address().rpartition("@")[2] or "mentorwijs.invalid"
    return make_msgid(domain=domain)


def wave_label(code: str, lang: str) -> str:
    """The wave's name in ``lang`` from the protocol (the code when unknown)."""
    wave = load_protocol().waves.get(code)
    return wave.label.get(lang) if wave is not None else code


def message_context(*, link: Link, url: str, contact: Contact, kind: str, number: int) -> dict:
    """What the e-mail and the letter say: name, wave, link, closing date, sender."""
    lang = link.language
    return {
        "name": contact.name,
        "kind": kind,
        "number": number,
        "reminder": kind == "reminder",
        "role": link.invitation.role,
        "wave": wave_label(link.invitation.wave, lang),
        "url": url,
        # The link closes at the start of a day: it works until the day before.
        "expires_on": (timezone.localtime(link.expires_at) - timedelta(seconds=1)).date(),
        "contact": sender_address(),
        "easy_read": link.easy_read,
    }


def email_build(
    *, link: Link, url: str, contact: Contact, kind: str, number: int, message_id: str
) -> EmailMultiAlternatives:
    """The e-mail to send (not sent here)."""
    context = message_context(link=link, url=url, contact=contact, kind=kind, number=number)
    with translation.override(link.language):
        if kind == "reminder":
            subject = _("Reminder: the Mentorwijs questionnaire (%(wave)s)") % context
        else:
            subject = _("Invitation: the Mentorwijs questionnaire (%(wave)s)") % context
        text = render_to_string("invitations/email/message.txt", context)
        html = render_to_string("invitations/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        headers={"Message-ID": message_id, "Content-Language": link.language},
    )
    message.attach_alternative(html, "text/html")
    return message
