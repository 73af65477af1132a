"""The start page with consent, the respondent's own page with withdrawal and erasure, and
the friendly pages of unknown, expired, finished and withdrawn links (with the rate limit)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from mentorwijs.protocol import load_protocol
from mentorwijs.web.study.models import Employee, Invitation, Response
from mentorwijs.web.survey import ratelimit
from mentorwijs.web.survey.consent import current_consent, has_withdrawn
from mentorwijs.web.survey.models import Consent, Link
from mentorwijs.web.survey.plan import wave_plan
from mentorwijs.web.survey.testing import respondent_link
from survey_helpers import page_data

pytestmark = pytest.mark.django_db
VERSION = load_protocol().consent["questionnaire"].version


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def test_the_start_page_shows_the_current_consent_text_and_the_choices():
    link, token = respondent_link()
    response = Client().get(f"/v/{token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Welkom" in body
    assert "Wat vragen we?" in body  # the protocol's consent text, standard form
    assert f"Versie {VERSION} van deze tekst." in body
    assert "{contact}" not in body
    assert "Ja, ik doe mee" in body
    assert "Nee, ik doe niet mee" in body
    assert 'name="easy" value="1"' in body
    assert 'name="language" value="en"' in body
    assert "registergegevens" not in body  # a supervisor is not asked for register linkage
    link.refresh_from_db()
    assert link.opened_at is not None


def test_consent_is_recorded_with_the_version_and_the_easy_read_form():
    _link, token = respondent_link(easy_read=True)
    body = Client().get(f"/v/{token}/").content.decode()
    easy_text = load_protocol().consent["questionnaire"].easy.nl.split("\n")[0][:40]
    assert easy_text in body
    response = Client().post(f"/v/{token}/", {"consent": "yes"})
    assert response["Location"] == f"/v/{token}/"
    consent = current_consent(role="supervisor", respondent_id="S-TEST", purpose="questionnaire")
    assert consent is not None
    assert (consent.given, consent.version, consent.form, consent.source) == (
        True, VERSION, "easy", "online",
    )  # fmt: skip
    assert Client().get(f"/v/{token}/")["Location"] == f"/v/{token}/1/"


def test_an_employee_may_also_consent_to_register_linkage_and_sharing():
    _link, token = respondent_link(role="employee", pseudonym="E-TEST")
    body = Client().get(f"/v/{token}/").content.decode()
    assert "Ook koppelen aan registergegevens?" in body
    assert "Ook delen met andere onderzoekers?" in body
    Client().post(f"/v/{token}/", {"consent": "yes", "register": "yes"})
    who = {"role": "employee", "respondent_id": "E-TEST"}
    assert current_consent(**who, purpose="register").given  # type: ignore[union-attr]
    assert not current_consent(**who, purpose="sharing").given  # type: ignore[union-attr]
    employee = Employee.objects.get(pk="E-TEST")
    assert employee.consent_questionnaire
    assert employee.consent_register


def test_declining_is_respected_and_recorded():
    _link, token = respondent_link()
    Client().post(f"/v/{token}/", {"consent": "no", "register": "yes"})
    assert has_withdrawn(role="supervisor", respondent_id="S-TEST", purpose="questionnaire")
    assert Consent.objects.count() == 1  # nothing else is recorded for someone who declines
    response = Client().get(f"/v/{token}/")
    assert response.status_code == 200
    assert "U doet niet mee" in response.content.decode()
    # No questions can be reached, and nothing can be saved.
    page = Client().post(f"/v/{token}/1/", {"kn1": "3"})
    assert "U doet niet mee" in page.content.decode()
    assert not Response.objects.exists()


def test_no_choice_on_the_start_page_gets_a_message():
    _link, token = respondent_link()
    body = Client().post(f"/v/{token}/", {}).content.decode()
    assert "Kies of u meedoet." in body
    assert not Consent.objects.exists()


def test_a_new_version_of_the_consent_text_is_asked_again():
    _link, token = respondent_link()
    Consent.objects.create(
        role="supervisor", respondent_id="S-TEST", purpose="questionnaire", given=True,
        version="2020.1",
    )  # fmt: skip
    body = Client().get(f"/v/{token}/").content.decode()
    assert "De informatie hieronder is veranderd" in body


def test_unknown_links_get_a_friendly_404_and_many_of_them_a_calm_429():
    client = Client()
    for i in range(ratelimit.MAX_FAILURES):
        response = client.get(f"/v/{'x' * 42}{i % 10}/")
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
    _link, token = respondent_link()
    limited = client.get(f"/v/{token}/")  # even a good link waits while the limit holds
    assert limited.status_code == 429
    assert "Probeer het over een kwartier opnieuw" in limited.content.decode()
    assert limited["Retry-After"] == str(ratelimit.WINDOW_SECONDS)
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.0.0.7").get(f"/v/{token}/").status_code == 200


def test_the_unknown_link_page_follows_the_browsers_language():
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get("/v/nonsense/").content.decode()
    assert '<html lang="en">' in body
    assert "This link does not work" in body


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_expired_link_gets_a_friendly_410_in_its_language(lang: str):
    _link, token = respondent_link(expires_in_days=-1, language=lang, consent=True)
    response = Client().get(f"/v/{token}/1/")
    assert response.status_code == 410
    expected = {"nl": "Deze vragenlijst is gesloten", "en": "This questionnaire has closed"}
    assert expected[lang] in response.content.decode()
    assert f'<html lang="{lang}">' in response.content.decode()


def test_a_finished_link_thanks_the_respondent_and_still_reaches_the_own_page():
    link, token = respondent_link(consent=True, language="en")
    Invitation.objects.filter(pk=link.invitation_id).update(completed_at=timezone.now())
    response = Client().get(f"/v/{token}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thank you" in body
    assert f'href="/v/{token}/mijn-gegevens/"' in body
    assert Client().get(f"/v/{token}/mijn-gegevens/").status_code == 200


def _answered(token: str) -> None:
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    Client().post(f"/v/{token}/1/", page_data(plan.pages[0], plan))


def test_the_own_page_shows_the_consents_given():
    _link, token = respondent_link(consent=True)
    body = Client().get(f"/v/{token}/mijn-gegevens/").content.decode()
    assert "Mijn gegevens" in body
    assert f"(versie {VERSION} van de tekst)" in body
    assert "Mijn toestemming intrekken" in body
    assert "Wis ook meteen al mijn antwoorden" in body


def test_withdrawing_keeps_the_answers_stored_but_stops_everything_else():
    _link, token = respondent_link(consent=True)
    _answered(token)
    response = Client().post(f"/v/{token}/mijn-gegevens/", {"purpose": "questionnaire"})
    assert response["Location"] == f"/v/{token}/mijn-gegevens/?ingetrokken=questionnaire"
    body = Client().get(response["Location"]).content.decode()
    assert 'role="status"' in body
    assert "U heeft uw toestemming ingetrokken voor: vragenlijsten." in body
    assert "U krijgt geen uitnodigingen meer" in body
    assert "gewist" not in body
    assert has_withdrawn(role="supervisor", respondent_id="S-TEST", purpose="questionnaire")
    assert Response.objects.count() == 8
    assert "U doet niet mee" in Client().get(f"/v/{token}/").content.decode()


def test_withdrawing_with_erasure_deletes_the_answers_and_says_how_many():
    _link, token = respondent_link(consent=True)
    _answered(token)
    url = f"/v/{token}/mijn-gegevens/"
    response = Client().post(url, {"purpose": "questionnaire", "erase": "yes"})
    body = Client().get(response["Location"]).content.decode()
    assert "Uw antwoorden zijn gewist (8 antwoorden)." in body
    assert not Response.objects.exists()
    consent = current_consent(role="supervisor", respondent_id="S-TEST", purpose="questionnaire")
    assert consent is not None
    assert (consent.given, consent.erase_answers, consent.answers_erased) == (False, True, 8)
    # A second post (reload) records nothing new: there is nothing left to withdraw.
    Client().post(url, {"purpose": "questionnaire", "erase": "yes"})
    assert Consent.objects.filter(given=False).count() == 1


def test_erasure_is_only_offered_with_the_questionnaire():
    link, token = respondent_link(role="employee", pseudonym="E-TEST", consent=True)
    Client().post(f"/v/{token}/", {"consent": "yes", "register": "yes", "sharing": "yes"})
    Response.objects.create(
        invitation=link.invitation, instrument="em_questionnaire", item="js1", value=4,
        submitted_at=timezone.now(),
    )  # fmt: skip
    Client().post(f"/v/{token}/mijn-gegevens/", {"purpose": "register", "erase": "yes"})
    who = {"role": "employee", "respondent_id": "E-TEST"}
    assert has_withdrawn(**who, purpose="register")
    assert not has_withdrawn(**who, purpose="questionnaire")
    assert Response.objects.count() == 1
    assert not Employee.objects.get(pk="E-TEST").consent_register


def test_a_withdrawn_link_still_opens_the_own_page_in_english():
    link, token = respondent_link(consent=True, language="en")
    Client().post(f"/v/{token}/mijn-gegevens/", {"purpose": "questionnaire"})
    body = Client().get(f"/v/{token}/mijn-gegevens/").content.decode()
    assert "My data" in body
    assert "No consent (since" in body
    link = Link.objects.get(pk=link.pk)
    assert link.language == "en"


def test_the_server_builds_every_page_plan_before_the_first_respondent():
    """``mentorwijs.web.wsgi`` calls ``warm_up``: supervisors answer at T0–T3 and employees
    at T0 and T2 in the shipped protocol, each in standard and easy-read mode."""
    from mentorwijs.web.survey import plan

    plan._cache.clear()
    assert plan.warm_up() == (4 + 2) * 2
    built = dict(plan._cache)
    for role, waves in (("supervisor", ("T0", "T1", "T2", "T3")), ("employee", ("T0", "T2"))):
        for wave in waves:
            for easy in (False, True):
                assert plan.wave_plan(role=role, wave=wave, easy=easy) in built.values()
    assert plan._cache == built  # nothing was built on demand
