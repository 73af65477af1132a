"""Who opened a link: the link, the person, their consent and what they may do now.

One database round trip for the link with its invitation, one for the current
questionnaire-consent decision; everything else the answering pages need (the protocol and
the page plan) is cached per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorwijs.protocol import Protocol
from mentorwijs.web.survey.consent import current_consent
from mentorwijs.web.survey.links import LinkState, link_state_given, respondent_of
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
    consent: Consent | None
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
        if self.consent is None or not self.consent.given:
            return False
        texts = self.protocol.consent.get("questionnaire")
        return texts is None or texts.version == self.consent.version

    @property
    def plan(self) -> Plan:
        inv = self.link.invitation
        return wave_plan(role=self.role, wave=inv.wave, easy=self.link.easy_read)

    def plan_in(self, easy: bool) -> Plan:
        return wave_plan(role=self.role, wave=self.link.invitation.wave, easy=easy)


def respondent_get(*, link: Link, token: str, now: datetime | None = None) -> Respondent:
    """Everything about the person behind ``link`` that decides what a page shows."""
    role, pseudonym = respondent_of(link)
    consent = current_consent(role=role, respondent_id=pseudonym, purpose="questionnaire")
    withdrawn = consent is not None and not consent.given
    state = link_state_given(link, withdrawn=withdrawn, now=now or timezone.now())
    return Respondent(
        link=link, token=token, role=role, pseudonym=pseudonym, consent=consent, state=state
    )
