"""Consent per purpose: recording decisions, reading the current one, withdrawing.

Decisions are append-only :class:`~mentorwijs.web.survey.models.Consent` rows; the newest
row per person and purpose counts. Withdrawing questionnaire consent stops invitations
(the sender checks :func:`has_withdrawn`), takes the person's answers out of study data
packages and exports from then on (:func:`withdrawn_respondents`), and, where the person
asks, erases their answers. The erasure is recorded (who, when, how many answers) on the
audited consent row; the erased values themselves are not copied into the audit trail.
"""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from django.db import transaction

from mentorwijs.web.study.models import Employee, Response
from mentorwijs.web.survey.models import Consent

PURPOSES = tuple(code for code, _ in Consent.PURPOSES)
# Employees' consent flags in the study data package follow the consent records.
_EMPLOYEE_FLAGS = {"questionnaire": "consent_questionnaire", "register": "consent_register"}


def current_consent(*, role: str, respondent_id: str, purpose: str) -> Consent | None:
    """The newest decision of a person about a purpose, or None if never asked."""
    return (
        Consent.objects.filter(role=role, respondent_id=respondent_id, purpose=purpose)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def has_consent(*, role: str, respondent_id: str, purpose: str) -> bool:
    """Whether the person's current decision about ``purpose`` is yes."""
    c = current_consent(role=role, respondent_id=respondent_id, purpose=purpose)
    return c is not None and c.given


def has_withdrawn(*, role: str, respondent_id: str, purpose: str) -> bool:
    """Whether the person's current decision about ``purpose`` is no."""
    c = current_consent(role=role, respondent_id=respondent_id, purpose=purpose)
    return c is not None and not c.given


def withdrawn_respondents(purpose: str) -> set[tuple[str, str]]:
    """(role, pseudonym) of everyone whose current decision about ``purpose`` is no."""
    latest: dict[tuple[str, str], bool] = {}
    rows = (
        Consent.objects.filter(purpose=purpose)
        .order_by("recorded_at", "pk")
        .values_list("role", "respondent_id", "given")
    )
    for role, rid, given in rows.iterator(chunk_size=5000):
        latest[(role, rid)] = given
    return {key for key, given in latest.items() if not given}


def _answers_of(role: str, respondent_id: str) -> Any:
    person = {"supervisor": "invitation__supervisor_id", "employee": "invitation__employee_id"}
    if role not in person:
        return Response.objects.none()
    return Response.objects.filter(**{person[role]: respondent_id})


def record_consent(
    *,
    role: str,
    respondent_id: str,
    purpose: str,
    given: bool,
    version: str,
    form: str = "standard",
    source: str = "online",
    user: Any = None,
    erase_answers: bool = False,
) -> Consent:
    """Record one decision, in one transaction.

    Parameters
    ----------
    role, respondent_id
        The person, by role and pseudonym.
    purpose
        questionnaire, register, interview or sharing.
    given
        True to give consent, False to refuse or withdraw.
    version
        Version of the consent text the person saw (from the protocol).
    form
        "standard" or "easy" (the easy-read text).
    source
        "online" (by the person), "paper" or "spoken" (entered by staff).
    user
        The staff member who entered it, if any.
    erase_answers
        With a withdrawal of questionnaire consent: erase the person's answers now.

    Returns
    -------
    Consent
        The new row; ``answers_erased`` says how many answers were erased.

    Raises
    ------
    ValueError
        Unknown purpose, or erasure asked without withdrawing questionnaire consent.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if erase_answers and (given or purpose != "questionnaire"):
        raise ValueError("answers can only be erased when questionnaire consent is withdrawn")
    with transaction.atomic():
        erased = 0
        if erase_answers:
            answers = _answers_of(role, respondent_id)
            with disable_auditlog():
                erased, _ = answers.delete()
        consent = Consent.objects.create(
            role=role,
            respondent_id=respondent_id,
            purpose=purpose,
            given=given,
            version=version,
            form=form,
            source=source,
            recorded_by=user,
            erase_answers=erase_answers,
            answers_erased=erased,
        )
        flag = _EMPLOYEE_FLAGS.get(purpose)
        if role == "employee" and flag:
            employee = Employee.objects.filter(employee_id=respondent_id).first()
            if employee is not None and getattr(employee, flag) != given:
                setattr(employee, flag, given)
                employee.save(update_fields=[flag])
    return consent
