"""Who opened a link: the link, the person, their consent and what they may do now.

The answering pages find all of it in one database round trip (:func:`respondent_for_token`:
the link, its invitation and the newest questionnaire-consent decision, by the token's hash);
everything else they need (the protocol and the page plan) is cached per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from mentorwijs.protocol import Protocol
from mentorwijs.web.study.models import Invitation
from mentorwijs.web.survey.links import (
    LinkState,
    hash_token,
    link_state_given,
    respondent_of,
    valid_token,
)
from mentorwijs.web.survey.models import Consent, Link
from mentorwijs.web.survey.plan import Plan, survey_protocol, wave_plan

#: Consent purposes offered on the start page besides the questionnaire, per role.
EXTRA_PURPOSES = {"employee": ("register", "sharing"), "supervisor": ("sharing",)}


def study_contact() -> str:
    """Who respondents contact (the ``{contact}`` of the consent texts).

    The Django setting ``MENTORWIJS_CONTACT`` when set, else a pointer to the invitation.
    """
    contact = getattr(settings, "MENTORWIJS_CONTACT", "")
    return contact or _("the research team (the address is in your invitation)")


@dataclass(frozen=True)
class ConsentText:
    """A consent text as shown: its purpose, version, form and paragraphs."""

    purpose: str
    version: str
    form: str
    text: str


def consent_text(protocol: Protocol, purpose: str, *, lang: str, easy: bool) -> ConsentText | None:
    """The current consent text for ``purpose`` in ``lang``, or None if the protocol has none."""
    texts = protocol.consent.get(purpose)  # type: ignore[call-overload]
    if texts is None:
        return None
    return ConsentText(
        purpose=purpose,
        version=texts.version,
        form="easy" if easy else "standard",
        text=texts.render(lang, contact=study_contact(), easy=easy),
    )


@dataclass
class Respondent:
    """The person behind a link, as the answering pages see them."""

    link: Link
    token: str
    role: str
    pseudonym: str
    consent_given: bool | None  # the newest questionnaire decision; None: never asked
    consent_version: str | None
    state: LinkState

    @property
    def lang(self) -> str:
        return self.link.language if self.link.language in ("nl", "en") else "nl"

    @property
    def protocol(self) -> Protocol:
        return survey_protocol()

    @property
    def consented(self) -> bool:
        """Consent given to the current version of the questionnaire text (asked again when
        the protocol's text has a new version)."""
        if not self.consent_given:
            return False
        texts = self.protocol.consent.get("questionnaire")
        return texts is None or texts.version == self.consent_version

    @property
    def plan(self) -> Plan:
        inv = self.link.invitation
        return wave_plan(role=self.role, wave=inv.wave, easy=self.link.easy_read)

    def plan_in(self, easy: bool) -> Plan:
        return wave_plan(role=self.role, wave=self.link.invitation.wave, easy=easy)


_LINK_FIELDS = ("id", "invitation_id", "salt", "token_hash", "created_at", "expires_at",
                "channel", "language", "easy_read", "opened_at", "resume_page")  # fmt: skip
_INVITATION_FIELDS = ("id", "supervisor_id", "employee_id", "role", "wave", "invited_at",
                      "reminders", "reminded_at", "completed_at")  # fmt: skip
_TIMES = {"created_at", "expires_at", "opened_at", "invited_at", "reminded_at", "completed_at"}


def _newest(column: str) -> str:
    return (
        f"(SELECT c.{column} FROM {Consent._meta.db_table} c WHERE c.role = i.role"
        " AND c.respondent_id = COALESCE(i.supervisor_id, i.employee_id)"
        " AND c.purpose = 'questionnaire' ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)"
    )


_SQL = (
    "SELECT "
    + ", ".join(f"l.{f}" for f in _LINK_FIELDS)
    + ", "
    + ", ".join(f"i.{f}" for f in _INVITATION_FIELDS)
    + f", {_newest('given')}, {_newest('version')}"
    + f" FROM {Link._meta.db_table} l JOIN {Invitation._meta.db_table} i"
    " ON i.id = l.invitation_id WHERE l.token_hash = %s"
)


def _value(name: str, value: object) -> object:
    if name in _TIMES and value is not None:
        if isinstance(value, str):
            value = parse_datetime(value)
        if settings.USE_TZ and isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)  # SQLite keeps UTC without a zone
    elif name == "easy_read":
        value = bool(value)
    return value


def respondent_for_token(token: str, *, now: datetime | None = None) -> Respondent | None:
    """The person behind a token, in one query; None for a malformed or unknown token.

    The link with its invitation (as :func:`~mentorwijs.web.survey.links.link_for_token`
    finds it) and the person's newest questionnaire-consent decision, written as one SQL
    statement because every answering request starts here.
    """
    if not valid_token(token):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [hash_token(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(_LINK_FIELDS)
    link_values = [_value(f, v) for f, v in zip(_LINK_FIELDS, row[:n], strict=True)]
    inv_values = [
        _value(f, v)
        for f, v in zip(_INVITATION_FIELDS, row[n : n + len(_INVITATION_FIELDS)], strict=True)
    ]
    link = Link.from_db("default", list(_LINK_FIELDS), link_values)
    link.invitation = Invitation.from_db("default", list(_INVITATION_FIELDS), inv_values)
    given, version = row[-2], row[-1]
    role, pseudonym = respondent_of(link)
    withdrawn = given is not None and not given
    return Respondent(
        link=link,
        token=token,
        role=role,
        pseudonym=pseudonym,
        consent_given=None if given is None else bool(given),
        consent_version=version,
        state=link_state_given(link, withdrawn=withdrawn, now=now or timezone.now()),
    )
