"""Questionnaire links and consent decisions: tokens, link states, withdrawal, erasure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.utils import timezone

from mentorwijs.studydata import read_package
from mentorwijs.web.study import models as m
from mentorwijs.web.study.selectors import package_export
from mentorwijs.web.study.services import package_load
from mentorwijs.web.survey.consent import (
    current_consent,
    has_consent,
    has_withdrawn,
    record_consent,
    withdrawn_respondents,
)
from mentorwijs.web.survey.links import (
    LinkState,
    create_link,
    hash_token,
    link_for_token,
    link_state,
    token_for,
)
from mentorwijs.web.survey.models import Consent, Link

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tiny_package: Path) -> None:
    package_load(path=tiny_package)


def _invitation(person: str = "S1", wave: str = "T1") -> m.Invitation:
    return m.Invitation.objects.get(supervisor_id=person, wave=wave)


def test_a_token_has_256_bits_and_only_its_hash_is_stored(loaded: None) -> None:
    link, token = create_link(
        invitation=_invitation(), expires_at=timezone.now() + timedelta(days=42)
    )
    assert len(token) == 43  # 32 bytes in URL-safe base64 without padding
    row = Link.objects.values().get(pk=link.pk)
    assert token not in {str(v) for v in row.values()}
    assert row["token_hash"] == hash_token(token)
    assert token_for(Link.objects.get(pk=link.pk)) == token  # made again for a reminder


def test_tokens_differ_between_links_and_open_only_their_own(loaded: None) -> None:
    later = timezone.now() + timedelta(days=42)
    one, t1 = create_link(invitation=_invitation(wave="T0"), expires_at=later)
    two, t2 = create_link(invitation=_invitation(wave="T1"), expires_at=later)
    assert t1 != t2
    assert link_for_token(t1) == one
    assert link_for_token(t2) == two


@pytest.mark.parametrize(
    "token",
    ["", "abc", "x" * 43, "'; DROP TABLE survey_link; --" + "a" * 14, "é" * 43, "a" * 44],
)
def test_a_malformed_or_unknown_token_opens_nothing(loaded: None, token: str) -> None:
    create_link(invitation=_invitation(), expires_at=timezone.now() + timedelta(days=1))
    assert link_for_token(token) is None


def test_rotating_the_secret_key_invalidates_links(loaded: None, settings) -> None:
    link, token = create_link(invitation=_invitation(), expires_at=timezone.now())
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert token_for(link) != token


def test_link_states_in_order_withdrawn_finished_expired_open(loaded: None) -> None:
    now = timezone.now()
    link, _ = create_link(invitation=_invitation(), expires_at=now + timedelta(days=1))
    assert link_state(link, now=now) is LinkState.OPEN
    assert link_state(link, now=now + timedelta(days=2)) is LinkState.EXPIRED
    link.invitation.completed_at = now
    assert link_state(link, now=now) is LinkState.FINISHED
    record_consent(
        role="supervisor", respondent_id="S1", purpose="questionnaire", given=False, version="1"
    )
    assert link_state(link, now=now) is LinkState.WITHDRAWN


def test_the_newest_decision_counts(loaded: None) -> None:
    who = {"role": "supervisor", "respondent_id": "S1", "purpose": "questionnaire"}
    assert current_consent(**who) is None
    assert not has_consent(**who)
    assert not has_withdrawn(**who)
    record_consent(**who, given=True, version="2026.1")
    assert has_consent(**who)
    record_consent(**who, given=False, version="2026.1")
    assert has_withdrawn(**who)
    assert not has_consent(**who)
    assert withdrawn_respondents("questionnaire") == {("supervisor", "S1")}
    record_consent(**who, given=True, version="2026.2", form="easy")
    assert withdrawn_respondents("questionnaire") == set()
    assert current_consent(**who).version == "2026.2"  # type: ignore[union-attr]
    assert Consent.objects.count() == 3  # nothing is overwritten


def test_an_employees_flags_in_the_study_data_follow_consent(loaded: None) -> None:
    record_consent(role="employee", respondent_id="E2", purpose="register", given=True, version="1")
    record_consent(
        role="employee", respondent_id="E1", purpose="questionnaire", given=False, version="1"
    )
    e1, e2 = m.Employee.objects.order_by("employee_id")
    assert e2.consent_register is True
    assert e1.consent_questionnaire is False


def test_withdrawal_takes_the_answers_out_of_the_package_but_keeps_them_stored(
    loaded: None, tmp_path: Path
) -> None:
    record_consent(
        role="supervisor", respondent_id="S1", purpose="questionnaire", given=False, version="1"
    )
    package = read_package(package_export(out=tmp_path / "pkg"))
    assert set(package.tables["responses"]["respondent_id"]) == {"E1"}
    assert m.Response.objects.filter(invitation__supervisor_id="S1").count() == 2


def test_erasure_deletes_the_answers_and_is_audited_without_their_values(
    loaded: None,
) -> None:
    user = get_user_model().objects.create_user("onderzoeker")
    row = record_consent(
        role="supervisor",
        respondent_id="S1",
        purpose="questionnaire",
        given=False,
        version="1",
        erase_answers=True,
        source="paper",
        user=user,
    )
    assert row.answers_erased == 2
    assert not m.Response.objects.filter(invitation__supervisor_id="S1").exists()
    assert m.Response.objects.filter(invitation__employee_id="E1").count() == 1
    entry = LogEntry.objects.get_for_object(row).get()
    assert entry.changes_dict["answers_erased"][1] == "2"
    assert not LogEntry.objects.filter(content_type__model="response", action=2).exists()


def test_erasure_needs_a_withdrawal_of_questionnaire_consent(loaded: None) -> None:
    for given, purpose in [(True, "questionnaire"), (False, "register")]:
        with pytest.raises(ValueError, match="erased"):
            record_consent(
                role="supervisor",
                respondent_id="S1",
                purpose=purpose,
                given=given,
                version="1",
                erase_answers=True,
            )
    assert m.Response.objects.count() == 3
    assert not Consent.objects.exists()
