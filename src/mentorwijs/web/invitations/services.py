"""Invitations and reminders: create what is due, send it, record what became of it.

:func:`invitations_run` is what ``mentorwijs send-invitations`` calls; it is safe to run from
cron every few minutes, twice in a row, or twice at once:

1. **Invite.** Everyone due a wave without an invitation gets an ``Invitation``, its
   ``Link`` and a pending ``Delivery``, in one transaction. The unique constraints on the
   invitation (respondent, wave) and the delivery (link, kind, number) make a second run, or
   a concurrent one, create nothing twice: the loser of the race gets an ``IntegrityError``,
   which is the signal to skip.
2. **Remind.** An unfinished, open invitation whose last delivery went out
   ``reminder_after_days`` (first reminder) or ``reminder_every_days`` (later ones) ago gets
   a pending reminder, up to ``max_reminders``. Nobody whose delivery bounced is reminded.
3. **Send.** Each pending or failed delivery is taken with ``SELECT … FOR UPDATE SKIP
   LOCKED`` plus a conditional update, sent (e-mail) or typeset (letter) while the row is
   held, and marked sent, failed (retried on a later run, at most ``MAX_ATTEMPTS`` times) or
   bounced (the server refused the address) in the same transaction. One failure never stops
   the others. A crash between the server's "accepted" and the commit sends that one message
   again on the next run: at least once, never silently lost. A letter is typeset to check
   that it can be made, then put on the list to print (``letter_name``); its PDF is not
   kept, but typeset again when staff download it (:func:`letter_pdf`, :func:`letters_batch`).
4. **Tidy.** Letters whose link has closed leave the list to print (they would carry a
   dead link); letter files an older version left in ``outbox/`` are removed.

Withdrawn persons (newest questionnaire-consent decision "no") get nothing; a delivery
still pending when someone withdraws, finishes or the link closes is cancelled.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import get_connection
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from mentorwijs.web.invitations import letters, mail
from mentorwijs.web.invitations.errors import BadMomentError, DeliveryNotFoundError
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.people import contact_of
from mentorwijs.web.invitations.schedule import (
    Due,
    Rules,
    respondents_due,
    rules_of,
    start_of,
)
from mentorwijs.web.registry.preferences import preferences_of
from mentorwijs.web.study.models import Invitation
from mentorwijs.web.survey.consent import has_withdrawn, withdrawn_respondents
from mentorwijs.web.survey.links import create_link, respondent_of, token_for

log = logging.getLogger(__name__)

#: A failed delivery is tried again on later runs until it has been tried this often.
MAX_ATTEMPTS = 5
RETRY = (Delivery.PENDING, Delivery.FAILED)


@dataclass
class RunReport:
    """What one run did (or, with ``dry_run``, would do); counts only, never names."""

    invitations: Counter = field(default_factory=Counter)  # (role, wave, channel) → n
    reminders: Counter = field(default_factory=Counter)  # (wave, number) → n
    sent: Counter = field(default_factory=Counter)  # channel → n
    failed: int = 0
    bounced: int = 0
    cancelled: int = 0
    busy: int = 0
    letters_removed: int = 0
    pending: int = 0


def parse_moment(text: str | None) -> datetime:
    """``--now``: an ISO 8601 date or date and time (site time zone when none given)."""
    if not text:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadMomentError(text) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def channel_for(*, role: str, respondent_id: str) -> str:
    """E-mail when the registry holds an address, a printed letter otherwise."""
    return (
        Delivery.EMAIL
        if contact_of(role=role, respondent_id=respondent_id).email
        else (Delivery.LETTER)
    )


def link_expiry(*, invited: datetime, protocol: Any = None) -> datetime:
    """When a link sent at ``invited`` stops working: the start of the day that is
    ``expires_after_days`` after the day of the invitation (the protocol's rule)."""
    days = rules_of(protocol).expires_after_days
    return start_of(timezone.localtime(invited).date() + timedelta(days=days))


def invitation_create(*, due: Due, now: datetime, protocol: Any = None) -> Delivery | None:
    """The invitation, link and pending delivery of one due respondent (None: exists already).

    The link takes the language and reading mode the registry holds for the person
    (Dutch and standard when none is recorded): the e-mail or letter is written in that
    language, and the pages open in it; the respondent can still switch on their pages.
    """
    channel = channel_for(role=due.role, respondent_id=due.respondent_id)
    preferences = preferences_of(role=due.role, respondent_id=due.respondent_id)
    person = {"supervisor_id" if due.role == "supervisor" else "employee_id": due.respondent_id}
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                role=due.role, wave=due.wave, invited_at=now, **person
            )
            link, _token = create_link(
                invitation=invitation,
                expires_at=link_expiry(invited=now, protocol=protocol),
                channel=channel,
                language=preferences.language,
                easy_read=preferences.easy_read,
            )
            return Delivery.objects.create(
                link=link, kind=Delivery.INVITATION, number=0, channel=channel, created_at=now
            )
    except IntegrityError:
        return None  # another run created it first


def _last_sent(deliveries: list[Delivery]) -> datetime | None:
    times = [d.sent_at for d in deliveries if d.status == Delivery.SENT and d.sent_at]
    return max(times) if times else None


def reminders_due(*, now: datetime, rules: Rules) -> list[tuple[Invitation, int]]:
    """Open, unfinished invitations owed a reminder at ``now``, with its number."""
    withdrawn = withdrawn_respondents("questionnaire")
    out = []
    candidates = (
        Invitation.objects.filter(
            completed_at__isnull=True, link__expires_at__gt=now, reminders__lt=rules.max_reminders
        )
        .select_related("link")
        .prefetch_related("link__deliveries")
        .order_by("pk")
    )
    for invitation in candidates:
        if respondent_of(invitation.link) in withdrawn:
            continue
        deliveries = list(invitation.link.deliveries.all())
        if any(d.status == Delivery.BOUNCED for d in deliveries):
            continue
        first = next((d for d in deliveries if d.kind == Delivery.INVITATION), None)
        if first is None or first.status != Delivery.SENT:
            continue
        number = invitation.reminders + 1
        if any(d.kind == Delivery.REMINDER and d.number >= number for d in deliveries):
            continue  # made already, waiting to be sent
        last = _last_sent(deliveries)
        wait = rules.reminder_after_days if number == 1 else rules.reminder_every_days
        if last is not None and now >= last + timedelta(days=wait):
            out.append((invitation, number))
    return out


def reminder_create(*, invitation: Invitation, number: int, now: datetime) -> Delivery | None:
    """A pending reminder (None: another run made it first)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                link=invitation.link,
                kind=Delivery.REMINDER,
                number=number,
                channel=invitation.link.channel,
                created_at=now,
            )
    except IntegrityError:
        return None


def _scrub(text: str, address: str) -> str:
    """An error text without the recipient's address (the delivery log holds no identities)."""
    if address:
        text = re.sub(re.escape(address), "<recipient>", text, flags=re.IGNORECASE)
    return text[:1000]


class Mailer:
    """One SMTP connection for a run, opened lazily and reopened after a broken session."""

    def __init__(self) -> None:
        self.connection: Any = None

    def send(self, message: Any) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        try:
            self.connection.open()
            self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused:
            raise  # the session is still fine (smtplib has reset it)
        except Exception:
            self._drop()
            raise

    def _drop(self) -> None:
        try:
            self.connection.close()
        except Exception:  # a broken session may fail to say goodbye
            log.debug("closing a broken SMTP session failed", exc_info=True)
        self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self._drop()


def _refusal(exc: smtplib.SMTPRecipientsRefused) -> tuple[int, str]:
    code, text = next(iter(exc.recipients.values()), (0, b""))
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return int(code), str(text)


def _letter_name(delivery: Delivery, now: datetime) -> str:
    inv = delivery.link.invitation
    stamp = timezone.localtime(now).strftime("%Y-%m")
    return f"{stamp}/{delivery.pk:06d}-{inv.wave}-{delivery.kind}-{delivery.number}.pdf"


def _deliver(delivery: Delivery, *, now: datetime, mailer: Mailer) -> str:
    """Send or typeset one claimed delivery; sets its fields and returns its new status."""
    link = delivery.link
    invitation = link.invitation
    role, respondent = respondent_of(link)
    if (
        has_withdrawn(role=role, respondent_id=respondent, purpose="questionnaire")
        or invitation.completed_at is not None
        or now >= link.expires_at
    ):
        delivery.status = Delivery.CANCELLED
        return delivery.status
    contact = contact_of(role=role, respondent_id=respondent)
    url = mail.respondent_url(token_for(link))
    try:
        if delivery.channel == Delivery.EMAIL:
            if not contact.email:
                raise ValueError("the registry holds no e-mail address for this person")
            message_id = mail.new_message_id()
            mailer.send(
                mail.email_build(
                    link=link,
                    url=url,
                    contact=contact,
                    kind=delivery.kind,
                    number=delivery.number,
                    message_id=message_id,
                )
            )
            delivery.message_id = message_id
        else:
            context = mail.message_context(
                link=link, url=url, contact=contact, kind=delivery.kind, number=delivery.number
            )
            context["today"] = timezone.localtime(now).date()
            letters.letters_pdf([(context, contact, link.language)])  # it can be made
            delivery.letter_name = _letter_name(delivery, now)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = _refusal(exc)
        permanent = code >= 500
        delivery.status = Delivery.BOUNCED if permanent else Delivery.FAILED
        delivery.error = _scrub(f"{code} {text}", contact.email)
        if permanent:
            delivery.bounced_at = now
        return delivery.status
    except Exception as exc:
        delivery.status = Delivery.FAILED
        delivery.error = _scrub(f"{type(exc).__name__}: {exc}", contact.email)
        return delivery.status
    delivery.status = Delivery.SENT
    delivery.sent_at = now
    delivery.error = ""
    if delivery.kind == Delivery.REMINDER and invitation.reminders < delivery.number:
        # save(), not update(): the invitation is audited. Only these two fields are written,
        # so a respondent finishing at this moment keeps their completed_at.
        invitation.reminders = delivery.number
        invitation.reminded_at = now
        invitation.save(update_fields=["reminders", "reminded_at"])
    return delivery.status


def delivery_send(*, delivery_id: int, now: datetime, mailer: Mailer) -> str | None:
    """Claim one delivery, send it and record the outcome, in one transaction.

    Returns the new status, or None when the delivery was not ours to send (another run
    holds it, or it is no longer pending or failed).
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status__in=RETRY, attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if delivery is None:
            return None
        # On SQLite (no row locks) this conditional update is the claim: it takes the
        # database's write lock, and a second run finds the row changed.
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1, last_attempt_at=now)
        if not claimed:
            return None
        delivery = Delivery.objects.select_related("link__invitation").get(pk=delivery.pk)
        status = _deliver(delivery, now=now, mailer=mailer)
        delivery.save(
            update_fields=[
                "status",
                "sent_at",
                "bounced_at",
                "error",
                "message_id",
                "letter_name",
            ]
        )
    if status in (Delivery.FAILED, Delivery.BOUNCED):
        log.warning("delivery %s %s: %s", delivery.pk, status, delivery.error)
    return status


def letters_tidy(*, now: datetime) -> int:
    """Take the letters of closed links off the list to print; returns how many.

    Also removes the letter files an older version kept in ``outbox/`` (none are made now).
    """
    removed = 0
    for delivery in Delivery.objects.filter(
        channel=Delivery.LETTER, link__expires_at__lte=now
    ).exclude(letter_name=""):
        delivery.letter_name = ""
        delivery.save(update_fields=["letter_name"])  # save(): the delivery log is audited
        removed += 1
    letters.outbox_purge()
    return removed


def invitations_run(
    *, now: datetime | None = None, dry_run: bool = False, protocol: Any = None
) -> RunReport:
    """Invite everyone due, remind those owed a reminder, send what is pending, tidy up.

    Parameters
    ----------
    now
        The moment to act for; the current time when None.
    dry_run
        Count what would be done and change nothing (nothing is created or sent).
    protocol
        The study protocol; the shipped one when None.

    Returns
    -------
    RunReport
        Counts per wave, kind and channel; no names.
    """
    now = now or timezone.now()
    rules = rules_of(protocol)
    report = RunReport()
    mail.site_url()  # a misconfigured site address stops the run before anything is made
    for due in respondents_due(now=now, protocol=protocol):
        if dry_run:
            channel = channel_for(role=due.role, respondent_id=due.respondent_id)
            report.invitations[(due.role, due.wave, channel)] += 1
            continue
        delivery = invitation_create(due=due, now=now, protocol=protocol)
        if delivery is not None:
            report.invitations[(due.role, due.wave, delivery.channel)] += 1
    for invitation, number in reminders_due(now=now, rules=rules):
        if dry_run or reminder_create(invitation=invitation, number=number, now=now):
            report.reminders[(invitation.wave, number)] += 1
    waiting = Delivery.objects.filter(status__in=RETRY, attempts__lt=MAX_ATTEMPTS)
    if dry_run:
        report.pending = waiting.count()
        return report
    mailer = Mailer()
    try:
        for pk in waiting.order_by("pk").values_list("pk", flat=True):
            try:
                status = delivery_send(delivery_id=pk, now=now, mailer=mailer)
            except OperationalError:
                status = None  # SQLite's database lock: left for the next run
            if status is None:
                report.busy += 1
            elif status == Delivery.SENT:
                channel = Delivery.objects.values_list("channel", flat=True).get(pk=pk)
                report.sent[channel] += 1
            elif status == Delivery.FAILED:
                report.failed += 1
            elif status == Delivery.BOUNCED:
                report.bounced += 1
            else:
                report.cancelled += 1
    finally:
        mailer.close()
    report.letters_removed = letters_tidy(now=now)
    return report


def delivery_mark_bounced(*, delivery: Delivery, reason: str = "", now: datetime | None = None):
    """Record that a sent e-mail bounced later (an asynchronous bounce); no more reminders."""
    now = now or timezone.now()
    delivery.status = Delivery.BOUNCED
    delivery.bounced_at = now
    delivery.error = (reason or "bounced (reported later)")[:1000]
    delivery.save(update_fields=["status", "bounced_at", "error"])
    return delivery


def delivery_bounced_by_message_id(*, message_id: str, reason: str = "") -> Delivery:
    """Mark the e-mail with ``message_id`` bounced (angle brackets optional)."""
    wanted = message_id.strip()
    if not wanted.startswith("<"):
        wanted = f"<{wanted}>"
    delivery = Delivery.objects.filter(message_id=wanted, channel=Delivery.EMAIL).first()
    if delivery is None:
        raise DeliveryNotFoundError(wanted)
    return delivery_mark_bounced(delivery=delivery, reason=reason)


def _letter_item(delivery: Delivery) -> tuple[dict, Any, str]:
    """What one letter says: the same link, text and date every time it is typeset."""
    link = delivery.link
    role, respondent = respondent_of(link)
    contact = contact_of(role=role, respondent_id=respondent)
    url = mail.respondent_url(token_for(link))
    context = mail.message_context(
        link=link, url=url, contact=contact, kind=delivery.kind, number=delivery.number
    )
    context["today"] = timezone.localtime(delivery.sent_at or delivery.created_at).date()
    return context, contact, link.language


def letters_typeset(*, deliveries: list[Delivery]) -> bytes:
    """The letters of ``deliveries`` typeset now into one PDF (nothing recorded or kept).

    Each says the same every time: the same link, text and date (the day it was made ready).

    Raises
    ------
    IdentityKeyError
        The identity key does not open a person's name and address.
    """
    return letters.letters_pdf([_letter_item(d) for d in deliveries])


def letter_pdf(*, delivery: Delivery, user: Any) -> bytes:
    """One letter typeset now; it counts as downloaded by ``user`` once it is made."""
    pdf = letters_typeset(deliveries=[delivery])
    letter_downloaded(delivery=delivery, user=user)
    return pdf


def letters_batch(*, deliveries: list[Delivery], user: Any) -> bytes:
    """The given letters in one PDF to print in one go; each counts as downloaded by
    ``user`` once the PDF is made. Each says the same as its single download."""
    pdf = letters_typeset(deliveries=deliveries)
    for delivery in deliveries:
        letter_downloaded(delivery=delivery, user=user)
    return pdf


def letter_downloaded(*, delivery: Delivery, user: Any, now: datetime | None = None) -> None:
    """Record that staff downloaded a letter to print it (first download counts)."""
    if delivery.downloaded_at is None:
        delivery.downloaded_at = now or timezone.now()
        delivery.downloaded_by = user
        delivery.save(update_fields=["downloaded_at", "downloaded_by"])
