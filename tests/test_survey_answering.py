"""Answering a questionnaire through its link: pages, saving, validation, conditions, resume,
back, finish. Django's test client against the real views and database."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.test import Client

from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey.answers import answers_save
from mentorwijs.web.survey.models import Link
from mentorwijs.web.survey.plan import wave_plan
from mentorwijs.web.survey.testing import respondent_link
from mentorwijs.web.survey.validation import Stored
from survey_helpers import ALL_TYPES, answer_everything, page_data

pytestmark = pytest.mark.django_db


def _stored(link: Link) -> dict[tuple[str, str], tuple[float | None, str | None]]:
    rows = Response.objects.filter(invitation=link.invitation)
    return {(r.instrument, r.item): (r.value, r.text) for r in rows}


@pytest.fixture
def all_types(settings) -> None:
    settings.MENTORWIJS_PROTOCOL_FILE = str(ALL_TYPES)


def test_it_shows_a_block_of_questions_as_fieldsets_with_legends_and_a_neutral_part_count():
    _link, token = respondent_link(consent=True)
    body = Client().get(f"/v/{token}/1/").content.decode()
    assert body.count("<fieldset") == 8
    assert body.count("<legend") == 8
    assert body.count('type="radio"') == 8 * 5
    assert "Deel 1 van 3" in body
    assert "progress" not in body  # no progress bar
    # Every radio has its own visible label.
    for input_id in re.findall(r'<input type="radio" name="\w+" id="([\w-]+)"', body):
        assert f'<label class="option" for="{input_id}">' in body


def test_it_saves_a_page_and_moves_on_and_remembers_where_to_resume():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    response = Client().post(f"/v/{token}/1/", page_data(plan.pages[0], plan))
    assert response.status_code == 302
    assert response["Location"] == f"/v/{token}/2/"
    stored = _stored(link)
    assert len(stored) == 8
    assert stored[("sv_outcomes", "kn1")] == (3.0, None)
    link.refresh_from_db()
    assert link.resume_page == 2
    # Opening the link again goes straight to where the respondent left off.
    assert Client().get(f"/v/{token}/")["Location"] == f"/v/{token}/2/"


def test_a_double_submit_or_a_reload_never_duplicates_or_loses_an_answer():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    data = page_data(plan.pages[0], plan)
    client = Client()
    for _ in range(3):
        assert client.post(f"/v/{token}/1/", data).status_code == 302
    assert Response.objects.filter(invitation=link.invitation).count() == 8
    # A changed answer on a reload replaces the old one.
    client.post(f"/v/{token}/1/", {**data, "kn1": "5"})
    assert Response.objects.filter(invitation=link.invitation).count() == 8
    assert _stored(link)[("sv_outcomes", "kn1")] == (5.0, None)
    # Answers given online are not copied into the audit trail (decision 0005).
    assert not LogEntry.objects.filter(content_type__model="response").exists()


def test_missing_answers_get_a_message_next_to_the_field_and_a_summary_linked_to_it():
    link, token = respondent_link(consent=True)
    response = Client().post(f"/v/{token}/1/", {"kn1": "4", "kn2": "2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert body.count("Kies een antwoord.") == 2 * 6  # next to the field and in the summary
    assert 'href="#q-kn3-0"' in body  # the summary links to the first option of the item
    assert 'aria-describedby="q-kn3-0-error"' in body
    assert 'id="q-kn3-0-error"' in body
    # The valid answers are kept, and shown again.
    assert _stored(link) == {
        ("sv_outcomes", "kn1"): (4.0, None),
        ("sv_outcomes", "kn2"): (2.0, None),
    }
    assert 'id="q-kn1-3" value="4" checked' in body


def test_messages_are_in_english_for_an_english_link():
    _link, token = respondent_link(consent=True, language="en")
    body = Client().post(f"/v/{token}/1/", {"kn1": "4"}).content.decode()
    assert '<html lang="en">' in body
    assert "Choose an answer." in body
    assert "Please check your answers" in body
    assert "I know which disabilities are common" in body


def test_a_tampered_answer_is_refused_and_nothing_is_stored():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    body = Client().post(f"/v/{token}/1/", page_data(plan.pages[0], plan, kn1="9")).content
    assert "Kies een van de antwoorden hieronder." in body.decode()
    assert ("sv_outcomes", "kn1") not in _stored(link)


def test_back_keeps_the_answers_given_and_does_not_insist_on_the_missing_ones():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    client = Client()
    client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan))
    response = client.post(f"/v/{token}/2/", {"se5": "1", "action": "back"})
    assert response["Location"] == f"/v/{token}/1/"
    assert _stored(link)[("sv_outcomes", "se5")] == (1.0, None)
    page1 = client.get(f"/v/{token}/1/").content.decode()
    assert 'id="q-kn1-2" value="3" checked' in page1
    page2 = client.get(f"/v/{token}/2/").content.decode()
    assert 'id="q-se5-0" value="1" checked' in page2
    assert "Vorige" in page2
    assert "Vorige" not in page1  # no way back before the first page


def test_stop_halfway_and_resume_later_where_the_respondent_left_off():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    client = Client()
    client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan))
    response = client.post(f"/v/{token}/2/", {"se5": "4", "action": "pause"})
    assert response["Location"] == f"/v/{token}/pauze/"
    assert "Uw antwoorden zijn bewaard" in client.get(response["Location"]).content.decode()
    link.refresh_from_db()
    assert link.resume_page == 2
    later = Client()  # another day, another browser: no session, no cookie
    assert later.get(f"/v/{token}/")["Location"] == f"/v/{token}/2/"
    assert 'id="q-se5-3" value="4" checked' in later.get(f"/v/{token}/2/").content.decode()


def test_a_condition_skips_a_question_and_clears_its_stale_answer():
    link, token = respondent_link(consent=True, wave="T1")
    plan = wave_plan(role="supervisor", wave="T1", easy=False)
    client = Client()
    extra_time = plan.page_of("sv_process", "extra_time")
    hours = plan.page_of("sv_process", "extra_hours")
    assert hours == extra_time + 1  # a conditional item starts a new page
    client.post(f"/v/{token}/{extra_time}/", {"extra_time": "1"})
    body = client.get(f"/v/{token}/{hours}/").content.decode()
    assert "Hoeveel uur per week extra?" in body
    assert client.post(f"/v/{token}/{hours}/", {"extra_hours": "4,5"}).status_code == 302
    assert _stored(link)[("sv_process", "extra_hours")] == (4.5, None)
    # Changing the earlier answer hides the question and clears its answer.
    client.post(f"/v/{token}/{extra_time}/", {"extra_time": "0"})
    assert ("sv_process", "extra_hours") not in _stored(link)
    assert ("sv_process", "extra_time") in _stored(link)
    body = client.get(f"/v/{token}/{hours}/").content.decode()
    assert "Hoeveel uur per week extra?" not in body
    assert "Wilt u nog iets kwijt over de training?" in body  # the rest of the page stays


def test_a_page_whose_every_question_is_hidden_is_skipped(all_types: None):
    link, token = respondent_link(consent=True, easy_read=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=True)
    helpers = plan.page_of("everything", "helpers")
    coach = plan.page_of("everything", "coach_hours")
    client = Client()
    response = client.post(f"/v/{token}/{helpers}/", {"helpers": ["1", "3"]})
    assert response["Location"] == f"/v/{token}/{coach + 1}/"
    assert client.get(f"/v/{token}/{coach}/")["Location"] == f"/v/{token}/{coach + 1}/"
    assert _stored(link)[("everything", "helpers")] == (None, "1;3")
    response = client.post(f"/v/{token}/{helpers}/", {"helpers": ["3", "2"]})
    assert response["Location"] == f"/v/{token}/{coach}/"
    assert _stored(link)[("everything", "helpers")] == (None, "2;3")


@pytest.mark.parametrize(
    ("code", "typed", "message", "stored"),
    [
        ("count", "drie", "Vul een heel getal in, zoals 3.", None),
        ("count", "2.5", "Vul een heel getal in, zoals 3.", None),
        ("count", "6", "Vul een getal in van 0 tot en met 5.", None),
        ("count", " 4 ", None, (4.0, None)),
        ("since", "31-02-2026", "Vul een datum in als dag-maand-jaar, zoals 31-12-2025.", None),
        ("since", "7-3-2026", None, (None, "2026-03-07")),
        ("since", "2026-03-07", None, (None, "2026-03-07")),
        ("mail", "geen adres", "Vul een e-mailadres in, zoals naam@voorbeeld.nl.", None),
        ("mail", "a@b.nl", None, (None, "a@b.nl")),
        ("postcode", "123 AB", "Vul een postcode in, zoals 1234 AB.", None),
        ("postcode", "4001aa", None, (None, "4001 AA")),
        ("remarks", "x" * 5001, "Uw antwoord is te lang: gebruik hoogstens 5000 tekens.", None),
        ("helpers", "", "Kies minstens één antwoord.", None),
    ],
)
def test_open_answers_are_checked_with_a_plain_message(
    all_types: None, code: str, typed: str, message: str | None, stored: tuple | None
):
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    number = plan.page_of("everything", code)
    page = plan.page(number)
    assert page is not None
    data = page_data(page, plan, **{code: typed})
    response = Client().post(f"/v/{token}/{number}/", data)
    body = response.content.decode()
    if message is None:
        assert response.status_code == 302
        assert _stored(link)[("everything", code)] == stored
    else:
        assert response.status_code == 200
        assert message in body
        assert ("everything", code) not in _stored(link)
        assert 'aria-invalid="true"' in body or code == "helpers"
        if code != "helpers":
            assert f'value="{typed.strip()}"' in body or len(typed) > 100  # typed text kept


def test_an_optional_answer_can_be_taken_back(all_types: None):
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    number = plan.page_of("everything", "remarks")
    page = plan.page(number)
    assert page is not None
    client = Client()
    client.post(f"/v/{token}/{number}/", page_data(page, plan, remarks="Iets"))
    assert _stored(link)[("everything", "remarks")] == (None, "Iets")
    client.post(f"/v/{token}/{number}/", page_data(page, plan, remarks="  "))
    assert ("everything", "remarks") not in _stored(link)


def test_finishing_lists_the_unanswered_required_questions_then_sets_completed_once():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    client = Client()
    client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan))
    response = client.post(f"/v/{token}/einde/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sommige vragen hebben nog geen antwoord" in body
    assert f'href="/v/{token}/2/"' in body
    assert Invitation.objects.get(pk=link.invitation_id).completed_at is None

    answer_everything(client, token, plan)
    assert "U heeft alle vragen beantwoord." in client.get(f"/v/{token}/einde/").content.decode()
    assert client.post(f"/v/{token}/einde/")["Location"] == f"/v/{token}/"
    first = Invitation.objects.get(pk=link.invitation_id).completed_at
    assert first is not None
    # A second send (double click, reload) changes nothing and shows the thank-you page.
    again = client.post(f"/v/{token}/einde/")
    assert again.status_code == 200
    assert "Bedankt" in again.content.decode()
    assert Invitation.objects.get(pk=link.invitation_id).completed_at == first
    # Finishing is audited once, with the entry a save of the invitation would write.
    entries = LogEntry.objects.get_for_object(link.invitation).filter(action=LogEntry.Action.UPDATE)
    assert [list(e.changes_dict) for e in entries] == [["completed_at"]]
    other, _ = respondent_link(pseudonym="S-SAVED")
    other.invitation.completed_at = first
    other.invitation.save(update_fields=["completed_at"])
    saved = LogEntry.objects.get_for_object(other.invitation).get(action=LogEntry.Action.UPDATE)
    finished = entries.get()
    assert (finished.changes, finished.object_repr.split("(")[0], finished.content_type) == (
        saved.changes,
        saved.object_repr.split("(")[0],
        saved.content_type,
    )
    # After finishing, a page of questions cannot change the answers any more.
    before = _stored(link)
    client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan, kn1="1"))
    assert _stored(link) == before
    assert len(before) == 20


def test_the_whole_questionnaire_in_easy_read_mode_one_question_per_screen():
    link, token = respondent_link(consent=True, easy_read=True, role="employee", pseudonym="E-T")
    plan = wave_plan(role="employee", wave="T0", easy=True)
    client = Client()
    body = client.get(f"/v/{token}/2/").content.decode()
    assert body.count("<fieldset") == 1
    assert "Hoe goed kunt u nu werken? Kies een cijfer." in body  # the easy-read wording
    assert 'class="read-aloud secondary" data-read-aloud aria-pressed="false" hidden' in body
    assert "read-aloud.js" in body
    smileys = client.get(f"/v/{token}/3/").content.decode()
    assert smileys.count('alt=""') == 5  # decorative pictograms
    assert "smiley_5.svg" in smileys
    assert "Helemaal waar" in smileys  # the option's easy label is the radio's text label
    assert "Vraag 3 van 13" in smileys
    posted = answer_everything(client, token, plan)
    assert posted == 13  # 12 questions, and the note is a screen of its own
    assert client.post(f"/v/{token}/einde/").status_code == 302
    assert Invitation.objects.get(pk=link.invitation_id).completed_at is not None
    assert Response.objects.filter(invitation=link.invitation).count() == 12


def test_switching_to_easy_read_keeps_the_place_and_the_answers():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    client = Client()
    client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan))
    response = client.post(f"/v/{token}/instellingen/", {"easy": "1", "here": "page:2"})
    easy = wave_plan(role="supervisor", wave="T0", easy=True)
    first_of_page_2 = plan.pages[1].items[0].code
    assert response["Location"] == f"/v/{token}/{easy.page_of('sv_outcomes', first_of_page_2)}/"
    link.refresh_from_db()
    assert link.easy_read
    assert link.resume_page == 9
    response = client.post(f"/v/{token}/instellingen/", {"language": "en", "here": "page:9"})
    assert response["Location"] == f"/v/{token}/9/"
    body = client.get(f"/v/{token}/9/").content.decode()
    assert '<html lang="en">' in body
    assert "Question 9 of 20" in body
    assert len(_stored(link)) == 8


def test_pages_skip_the_staff_middleware_but_keep_its_security_headers():
    """The respondents' short way (``middleware.respondent_pages``) adds what the skipped
    middleware would: the staff site's own CSP, X-Frame-Options, Content-Length."""
    _link, token = respondent_link(consent=True)
    staff = Client().get("/inloggen/")
    client = Client()
    client.cookies["sessionid"] = "a-staff-session-that-does-not-exist"
    page = client.get(f"/v/{token}/1/")
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == staff["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == staff["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware runs before
    assert int(page["Content-Length"]) == len(page.content)
    assert not page.cookies  # the session was not looked at, nor its cookie renewed
    assert "Cookie" not in page.get("Vary", "")
    assert not hasattr(page.wsgi_request, "user")  # no user for people without an account
    assert page.wsgi_request.resolver_match.view_name == "survey:link_page"


def test_pages_need_no_cookie_no_csrf_token_and_say_not_to_cache_them():
    _link, token = respondent_link()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/v/{token}/", {"consent": "yes"})
    assert response.status_code == 302
    page = client.get(f"/v/{token}/1/")
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "no-referrer"
    assert not page.cookies
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    assert client.post(f"/v/{token}/1/", page_data(plan.pages[0], plan)).status_code == 302


@pytest.mark.parametrize("easy", [False, True])
def test_no_inline_script_or_style_in_any_respondent_page(easy: bool):
    _link, token = respondent_link(easy_read=easy)
    client = Client()
    pages = [client.get(f"/v/{token}/")]
    client.post(f"/v/{token}/", {"consent": "yes"})
    pages += [client.get(f"/v/{token}/1/"), client.post(f"/v/{token}/1/", {})]
    pages += [client.get(f"/v/{token}/{u}/") for u in ("einde", "pauze", "mijn-gegevens")]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert " style=" not in body
        assert "<style" not in body
        assert not re.search(r"<script(?![^>]*\bsrc=)", body)
        assert not re.search(r"\son[a-z]+=", body)  # no inline event handlers


def test_saving_without_the_earlier_answers_still_clears_an_emptied_one():
    # Pages of a plan without conditions are saved without reading the earlier answers
    # first (the answering path's fast way); an answer taken back is cleared all the same.
    link, _ = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    assert not plan.conditional
    first = {"kn1": Stored(4.0, None), "kn2": Stored(2.0, None)}
    answers_save(
        invitation_id=link.invitation_id, instrument="sv_outcomes", answers=first,
        plan=plan, before=None,
    )  # fmt: skip
    answers_save(
        invitation_id=link.invitation_id, instrument="sv_outcomes",
        answers={"kn1": None, "kn2": Stored(3.0, None)}, plan=plan, before=None,
    )  # fmt: skip
    assert _stored(link) == {("sv_outcomes", "kn2"): (3.0, None)}
