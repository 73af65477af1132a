"""Identical posts at the same moment, on PostgreSQL with real transactions in threads.

A respondent double-clicks, or a phone resends a post on a bad connection: the requests
arrive together. None may fail, and each answer is stored once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey.answers import questionnaire_finish
from mentorwijs.web.survey.plan import wave_plan
from mentorwijs.web.survey.testing import respondent_link
from survey_helpers import page_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def _together(work: Callable[[], object]) -> list[object]:
    """Run ``work`` in THREADS threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            out: object = work()
        except Exception as exc:
            out = exc
        finally:
            connection.close()
        with lock:
            results.append(out)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_identical_posts_at_the_same_moment_store_each_answer_once():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    data = page_data(plan.pages[0], plan)
    results = _together(lambda: Client().post(f"/v/{token}/1/", data).status_code)
    assert results == [302] * THREADS
    rows = Response.objects.filter(invitation=link.invitation)
    assert rows.count() == 8
    assert set(rows.values_list("value", flat=True)) == {3.0}


def test_different_answers_at_the_same_moment_leave_one_of_them_whole():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    counter = iter(range(THREADS))
    lock = threading.Lock()

    def post() -> int:
        with lock:
            value = str(next(counter) % 5 + 1)
        data = page_data(plan.pages[0], plan, **{it.code: value for it in plan.pages[0].items})
        return Client().post(f"/v/{token}/1/", data).status_code

    assert _together(post) == [302] * THREADS
    values = list(
        Response.objects.filter(invitation=link.invitation).values_list("value", flat=True)
    )
    assert len(values) == 8
    # The rows of a page are written in one transaction in key order: one post wins whole.
    assert len(set(values)) == 1


def test_finishing_at_the_same_moment_sets_completed_once():
    link, _ = respondent_link(consent=True)
    results = _together(lambda: questionnaire_finish(invitation_id=link.invitation_id))
    assert sorted(results, key=str) == [False] * (THREADS - 1) + [True]
    assert Invitation.objects.get(pk=link.invitation_id).completed_at is not None
