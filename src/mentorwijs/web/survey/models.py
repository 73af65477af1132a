"""Personal questionnaire links and consent decisions.

A :class:`Link` gives one respondent access to one wave (one ``study.Invitation``). The
token in the link is never stored: it is derived from the link's random ``salt`` and the
site's secret key (:mod:`mentorwijs.web.survey.links`), and only its SHA-256 hash is kept
for look-up. A copy of the database alone therefore opens no questionnaire.

A :class:`Consent` row is one decision of one person about one purpose; rows are never
changed, and the newest row per person and purpose is the one that counts.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.study.models import Invitation


def new_salt() -> str:
    """128 random bits, hex-encoded."""
    return secrets.token_hex(16)


class Link(models.Model):
    """A respondent's personal link to one wave."""

    CHANNELS = [("email", _("e-mail")), ("letter", _("letter"))]
    LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

    invitation = models.OneToOneField(Invitation, models.CASCADE, related_name="link")
    salt = models.CharField(max_length=32, default=new_salt, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    channel = models.CharField(_("channel"), max_length=8, choices=CHANNELS, default="email")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="nl")
    easy_read = models.BooleanField(_("easy-read mode"), default=False)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    resume_page = models.PositiveSmallIntegerField(_("page to resume at"), default=0)

    class Meta:
        verbose_name = _("questionnaire link")
        verbose_name_plural = _("questionnaire links")

    def __str__(self) -> str:
        inv = self.invitation
        return f"{inv.supervisor_id or inv.employee_id} {inv.wave}"


class Consent(models.Model):
    """One decision of one person about one purpose (append-only)."""

    ROLES = [
        ("supervisor", _("supervisor")),
        ("employee", _("employee")),
        ("trainer", _("trainer")),
        ("coordinator", _("coordinator")),
    ]
    PURPOSES = [
        ("questionnaire", _("questionnaires")),
        ("register", _("register linkage")),
        ("interview", _("interview")),
        ("sharing", _("sharing pseudonymised data")),
    ]
    FORMS = [("standard", _("standard text")), ("easy", _("easy-read text"))]
    SOURCES = [
        ("online", _("online, by the person")),
        ("paper", _("on paper, entered by staff")),
        ("spoken", _("spoken, recorded by staff")),
    ]

    role = models.CharField(_("role"), max_length=16, choices=ROLES)
    respondent_id = models.CharField(_("pseudonym"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=16, choices=PURPOSES)
    version = models.CharField(_("text version"), max_length=32)
    form = models.CharField(_("text shown"), max_length=8, choices=FORMS, default="standard")
    given = models.BooleanField(_("consent given"))
    erase_answers = models.BooleanField(_("answers erased on withdrawal"), default=False)
    answers_erased = models.PositiveIntegerField(_("answers erased"), default=0)
    source = models.CharField(_("recorded"), max_length=8, choices=SOURCES, default="online")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        indexes = [models.Index(fields=["role", "respondent_id", "purpose", "recorded_at"])]

    def __str__(self) -> str:
        state = "+" if self.given else "-"
        return f"{self.role} {self.respondent_id} {self.purpose} {state}"
