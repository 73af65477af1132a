"""The delivery log: every invitation and reminder, by e-mail or as a printed letter.

One :class:`Delivery` row per link, kind and number (the invitation is number 0, reminders
count from 1). The unique constraint on (link, kind, number) is what makes
``mentorwijs send-invitations`` safe to run twice, or twice at once: a second run cannot
create the same delivery, and a delivery is sent only by the run that holds its row lock.
No name, e-mail or postal address is ever stored here: error texts have the recipient's
address taken out. A letter is not stored either: ``letter_name`` only says that a letter
is ready to print (until its link closes); its PDF is typeset when staff download it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.survey.models import Link


class Delivery(models.Model):
    """One invitation or reminder to one respondent, and what became of it."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    KINDS = [(INVITATION, _("invitation")), (REMINDER, _("reminder"))]
    EMAIL = "email"
    LETTER = "letter"
    CHANNELS = [(EMAIL, _("e-mail")), (LETTER, _("letter"))]
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"
    CANCELLED = "cancelled"
    STATUSES = [
        (PENDING, _("pending")),
        (SENT, _("sent")),
        (FAILED, _("failed, will be retried")),
        (BOUNCED, _("bounced")),
        (CANCELLED, _("not sent (finished, withdrawn or closed)")),
    ]

    link = models.ForeignKey(Link, models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    channel = models.CharField(_("channel"), max_length=8, choices=CHANNELS)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    message_id = models.CharField(_("message-id"), max_length=255, blank=True, default="")
    #: Set when a letter was made ready to print, cleared when its link closes; a name such as
    #: ``2026-02/000012-T0-invitation-0.pdf``, never a person's. No file is kept.
    letter_name = models.CharField(_("letter"), max_length=255, blank=True, default="")
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("downloaded by"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["link", "kind", "number"], name="delivery_once"),
            models.CheckConstraint(
                condition=models.Q(kind="invitation", number=0)
                | models.Q(kind="reminder", number__gte=1),
                name="delivery_number_fits_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["message_id"]),
        ]

    def __str__(self) -> str:
        inv = self.link.invitation
        who = inv.supervisor_id or inv.employee_id
        return f"{who} {inv.wave} {self.kind} {self.number}"
