"""Property tests (hypothesis) of the answer parser: whatever a form sends, reading it never
raises, keeps only valid values, and a page with a value that cannot be stored stores
nothing of that page. Runs on SQLite and, in the second run of ``make test``, PostgreSQL
(which cannot store a NUL character: the parser must refuse it, not the database).
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentorwijs.web.study.models import Response
from mentorwijs.web.survey.answers import answers_load, condition_answers
from mentorwijs.web.survey.models import Link
from mentorwijs.web.survey.pages import Posted, read_page
from mentorwijs.web.survey.plan import Plan, wave_plan
from mentorwijs.web.survey.testing import respondent_link
from mentorwijs.web.survey.validation import MAX_TEXT
from survey_helpers import ALL_TYPES

pytestmark = pytest.mark.django_db
CODES = ("intro", "happy", "helpers", "coach_hours", "count", "since", "mail", "postcode",
         "remarks", "more")  # fmt: skip
TRICKY = (
    "", " ", "0", "1", "2", "3", "5", "-1", "3,5", "2.5", "1e400", "nan", "inf", "-0", "²", "٣",
    "1_0", "99999999999999999999", "2026-02-30", "31-12-2025", "2026-01-31", "0000-01-01",
    "a@b.nl", "1234 ab", "\x00", "x\x00y", "'; DROP TABLE study_response; --",
    "<script>alert(1)</script>", "ja", "é" * 600,
)  # fmt: skip
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
values = st.lists(st.one_of(st.sampled_from(TRICKY), text), max_size=3)
posts = st.dictionaries(st.one_of(st.sampled_from((*CODES, "action")), text), values, max_size=12)
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def plan(settings) -> Plan:
    settings.MENTORWIJS_PROTOCOL_FILE = str(ALL_TYPES)
    return wave_plan(role="supervisor", wave="T0", easy=False)


def _query(data: dict[str, list[str]]) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, vals in data.items():
        q.setlist(key, vals)
    return q


def _check_valid(plan: Plan, instrument: str, code: str, posted: Posted) -> None:
    """The stored form of one item's answer is one its item accepts."""
    item = plan.protocol.instruments[instrument].item(code)
    answer = posted.answers[code]
    raw = posted.cleaned[code].raw
    if answer is None:  # left empty (an open item reads its first value only)
        first = raw[0].strip() if raw else ""
        assert first == "" if item.answer_scale is None else all(r == "" for r in raw)
        return
    if item.answer_scale is not None:
        allowed = {float(v) for v in plan.protocol.answer_scales[item.answer_scale].values}
        if item.multiple:
            chosen = [float(v) for v in (answer.text or "").split(";")]
            assert chosen == sorted(set(chosen))
            assert set(chosen) <= allowed
        else:
            assert answer.value in allowed
    elif item.type in ("integer", "number"):
        assert answer.value is not None
        assert math.isfinite(answer.value)
        assert item.minimum is None or answer.value >= item.minimum
        assert item.maximum is None or answer.value <= item.maximum
        assert item.type == "number" or answer.value == int(answer.value)
    elif item.type == "date":
        date.fromisoformat(answer.text or "")
    else:
        assert answer.text is not None
        assert "\x00" not in answer.text
        assert 0 < len(answer.text) <= MAX_TEXT.get(item.type or "text", 500)


@PROPERTY
@given(data=posts, page_no=st.sampled_from((1, 2)))
def test_reading_any_posted_page_never_raises_and_keeps_only_valid_answers(plan, data, page_no):
    page = plan.page(page_no)
    posted = read_page(plan, page, {}, _query(data))
    for code, cleaned in posted.cleaned.items():
        if cleaned.error is None:
            _check_valid(plan, page.instrument, code, posted)
        else:
            assert code not in posted.answers
            assert isinstance(cleaned.error, str)
            assert cleaned.error
    # Only the page's own answerable, shown items are read; other keys are ignored.
    shown = {it.code for it in page.items if it.has_answer and it.show_if is None}
    assert shown <= set(posted.cleaned) <= {it.code for it in page.items}


@pytest.fixture
def respondent(plan) -> tuple[Link, str]:
    """One link per test (not per example): the examples add up on the same answers."""
    return respondent_link(pseudonym="S-PROP", consent=True)


@PROPERTY
@given(data=posts, page_no=st.sampled_from((1, 2)))
@example(data={"remarks": ["x\x00y"]}, page_no=2)  # PostgreSQL cannot store a NUL
@example(data={"remarks": ["goed"], "count": ["1e400"]}, page_no=2)  # valid and invalid
@example(data={"helpers": ["2"], "happy": ["4"]}, page_no=1)  # shows coach_hours
@example(data={"helpers": ["1"]}, page_no=1)  # hides it again: its answer is cleared
def test_a_posted_page_is_stored_whole_or_not_at_all(plan, respondent, data, page_no):
    cache.clear()
    link, token = respondent
    before = answers_load(invitation_id=link.invitation_id)
    page = plan.page(page_no)
    expected = read_page(plan, page, before, _query(data))
    response = Client().post(f"/v/{token}/{page_no}/", data)
    assert response.status_code in (200, 302)
    after = answers_load(invitation_id=link.invitation_id)
    if expected.invalid:
        assert response.status_code == 200
        assert after == before  # nothing of the page, not even its valid answers
        return
    for code, answer in expected.answers.items():
        if answer is None:
            assert (page.instrument, code) not in after
        elif (page.instrument, code) in after:
            assert after[(page.instrument, code)] == answer
        else:  # only an item that the page's own answers now hide is cleared
            assert code in {c for _, c in plan.hidden_items(condition_answers(after))}
    for key, answer in before.items():
        if key[1] not in expected.cleaned:
            assert after.get(key, answer) == answer
    assert Response.objects.filter(invitation=link.invitation).count() == len(after)


FORM_FIELDS = st.dictionaries(
    st.sampled_from(("here", "language", "easy", "consent", "purpose", "erase", "action",
                     "register", "sharing")),
    st.lists(st.one_of(st.sampled_from(("page:²", "page:٣", "page:99999", "page:-1", "en", "nl",
                                        "1", "0", "yes", "no", "questionnaire", "back",
                                        "pause", "finish", "mine")), text), max_size=2),
    max_size=6,
)  # fmt: skip


@PROPERTY
@given(
    data=posts,
    fields=FORM_FIELDS,
    where=st.sampled_from(("", "1/", "2/", "einde/", "instellingen/", "mijn-gegevens/", "pauze/")),
)
def test_no_form_of_a_link_fails_on_any_post(plan, respondent, data, fields, where):
    cache.clear()
    _, token = respondent
    response = Client().post(f"/v/{token}/{where}", {**data, **fields})
    assert response.status_code in (200, 302, 405)
