"""Security probes on the respondent side: forged forms, script in answers, SQL in every field
and in the token. Django's test client against the real views and database (SQLite, and
PostgreSQL in the second run of ``make test``). Guessing links through gunicorn from several
client addresses is in tests/test_resilience_live.py.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.study.models import Response
from mentorwijs.web.survey.models import Consent, Link
from mentorwijs.web.survey.plan import wave_plan
from mentorwijs.web.survey.testing import respondent_link
from survey_helpers import ALL_TYPES, page_data

pytestmark = pytest.mark.django_db

XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'--></textarea><svg onload=alert(1)>",
)
SQL = (
    "'; DROP TABLE study_response; --",
    "1 OR 1=1",
    '" OR ""="',
    "x'); DELETE FROM survey_consent WHERE ('1'='1",
    "1; UPDATE study_invitation SET completed_at = now()",
)
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://elders.example"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    """The unknown-link counter lives in the cache; other tests' guesses do not count here."""
    cache.clear()


@pytest.fixture
def all_types(settings) -> None:
    settings.MENTORWIJS_PROTOCOL_FILE = str(ALL_TYPES)


def _rows(link: Link) -> dict[str, tuple[float | None, str | None]]:
    return {r.item: (r.value, r.text) for r in Response.objects.filter(invitation=link.invitation)}


# --- forged forms (CSRF) --------------------------------------------------------------------


def test_a_form_posted_from_another_site_is_refused_and_stores_nothing():
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    data = page_data(plan.pages[0], plan)
    response = Client().post(f"/v/{token}/1/", data, **CROSS_SITE)
    assert response.status_code == 403
    assert _rows(link) == {}
    # The same form from the site's own page is taken.
    same = Client().post(f"/v/{token}/1/", data, HTTP_SEC_FETCH_SITE="same-origin")
    assert same.status_code == 302
    assert len(_rows(link)) == 8


def test_a_forged_withdrawal_or_consent_from_another_site_changes_nothing():
    link, token = respondent_link(consent=True)
    before = list(Consent.objects.values_list("pk", flat=True))
    forged = {"purpose": "questionnaire", "erase": "yes"}
    assert Client().post(f"/v/{token}/mijn-gegevens/", forged, **CROSS_SITE).status_code == 403
    assert Client().post(f"/v/{token}/", {"consent": "no"}, **CROSS_SITE).status_code == 403
    assert (
        Client().post(f"/v/{token}/instellingen/", {"easy": "1"}, **CROSS_SITE).status_code == 403
    )
    assert list(Consent.objects.values_list("pk", flat=True)) == before
    link.refresh_from_db()
    assert link.easy_read is False


@pytest.mark.parametrize("path", ["/v/{bad}/1/", "/v/{bad}/", "/v/{bad}/mijn-gegevens/"])
def test_a_post_without_the_links_secret_is_refused_and_stores_nothing(path):
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    data = {**page_data(plan.pages[0], plan), "consent": "no", "purpose": "questionnaire"}
    for bad in ("", token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = Client().post(path.format(bad=bad), data)
        assert response.status_code == 404
    assert _rows(link) == {}
    assert Consent.objects.count() == 1  # only the consent the test gave


def test_the_staff_preview_form_without_the_csrf_token_is_refused():
    user = get_user_model().objects.create_user("onderzoeker", password="x" * 16)
    role_grant(user=user, role=Role.RESEARCHER)
    client = verified_login(Client(enforce_csrf_checks=True), user)
    url = "/vragenlijsten/T0/sv_outcomes/gewoon/nl/1/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"kn1": "4"}).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"kn1": "4", "csrfmiddlewaretoken": token}).status_code in (200, 302)
    assert Response.objects.count() == 0  # a preview never stores


# --- script in answers (XSS) ----------------------------------------------------------------


def _escaped(payload: str) -> str:
    return (
        payload.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


@pytest.mark.parametrize("payload", XSS)
def test_script_in_free_text_answers_is_stored_verbatim_and_shown_escaped(all_types, payload):
    link, token = respondent_link(consent=True)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    page = _free_text_page(plan)
    url = f"/v/{token}/{page.number}/"
    client = Client()
    assert client.post(url, page_data(page, plan, remarks=[payload])).status_code == 302
    assert _rows(link)["remarks"] == (None, payload)
    # Shown again on the page (normal and easy-read), escaped.
    for body in (
        client.get(url).content.decode(),
        _easy_page_with(client, token, link, "remarks"),
    ):
        assert payload not in body
        assert _escaped(payload) in body
    # Typed into a field that refuses it (an e-mail address), it comes back escaped too.
    bad = client.post(url, page_data(page, plan, mail=[payload]))
    assert bad.status_code == 200
    assert payload not in bad.content.decode()
    assert _escaped(payload) in bad.content.decode()


def _free_text_page(plan):
    """The page of the all-types protocol with the free text (and the e-mail address)."""
    return plan.page(plan.page_of("everything", "remarks"))


def _easy_page_with(client: Client, token: str, link: Link, code: str) -> str:
    client.post(f"/v/{token}/instellingen/", {"easy": "1", "here": "start"})
    plan = wave_plan(role="supervisor", wave="T0", easy=True)
    body = client.get(f"/v/{token}/{plan.page_of('everything', code)}/").content.decode()
    client.post(f"/v/{token}/instellingen/", {"easy": "0", "here": "start"})
    return body


@pytest.mark.parametrize("payload", XSS)
def test_script_in_answers_is_escaped_in_the_staff_preview(all_types, payload):
    user = get_user_model().objects.create_user("onderzoeker", password="x" * 16)
    role_grant(user=user, role=Role.RESEARCHER)
    client = verified_login(Client(), user)
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    page = _free_text_page(plan)
    url = f"/vragenlijsten/T0/everything/gewoon/nl/{page.number}/"
    data = page_data(page, plan, remarks=[payload], mail=[payload])
    body = client.post(url, data).content.decode()  # the e-mail is refused: shown again
    assert payload not in body
    assert _escaped(payload) in body


# --- SQL in every field and in the token ----------------------------------------------------


@pytest.mark.parametrize("sql", SQL)
def test_sql_in_every_field_is_stored_verbatim_or_refused_never_run(all_types, sql):
    link, token = respondent_link(consent=True)
    other, _ = respondent_link(pseudonym="S-OTHER", consent=True)
    Response.objects.create(
        invitation=other.invitation, instrument="everything", item="happy", value=2.0,
        submitted_at=link.created_at,
    )  # fmt: skip
    consents = Consent.objects.count()
    plan = wave_plan(role="supervisor", wave="T0", easy=False)
    page = _free_text_page(plan)
    url = f"/v/{token}/{page.number}/"
    codes = [it.code for it in page.items if it.has_answer and it.show_if is None]
    client = Client()
    # Every field at once holds the string: the closed and number fields refuse it, so the
    # page stores nothing.
    everything = {**dict.fromkeys(codes, sql), "action": sql, sql: sql}
    response = client.post(url, everything)
    assert response.status_code == 200
    assert _rows(link) == {}
    # One field at a time: a free text stores it as typed; any other field refuses it.
    for code in codes:
        before = _rows(link)
        response = client.post(url, page_data(page, plan, **{code: [sql]}))
        if code == "remarks":
            assert response.status_code == 302
            assert _rows(link)["remarks"] == (None, sql)
        else:
            assert response.status_code == 200, code
            assert _rows(link) == before
    # The other forms of the link.
    client.post(f"/v/{token}/instellingen/", {"language": sql, "easy": sql, "here": sql})
    client.post(f"/v/{token}/mijn-gegevens/", {"purpose": sql, "erase": sql})
    # Nothing ran: the other respondent's answer, the consents and the link are as they were.
    assert Response.objects.filter(invitation=other.invitation).count() == 1
    assert Consent.objects.count() == consents
    link.refresh_from_db()
    assert (link.language, link.easy_read, link.invitation.completed_at) == ("nl", False, None)


@pytest.mark.parametrize("sql", SQL)
def test_sql_in_the_token_finds_no_link(sql):
    link, _ = respondent_link(consent=True)
    token = quote(sql, safe="")
    for path in (f"/v/{token}/", f"/v/{token}/1/", f"/v/{token}/mijn-gegevens/"):
        response = Client().get(path)
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
        assert Client().post(path, {"consent": "yes"}).status_code == 404
    assert Link.objects.filter(pk=link.pk).exists()
    assert Consent.objects.count() == 1


def _free_text_pages() -> list[tuple[str, str, bool, int, list[str]]]:
    """(role, wave, easy, page, free-text codes) of every page of the shipped protocol that
    asks a free text without a format check."""
    from mentorwijs.web.survey.plan import survey_protocol

    protocol = survey_protocol()
    out = []
    for wave, w in protocol.waves.items():
        for role in w.roles:
            for easy in (False, True):
                plan = wave_plan(role=role, wave=wave, easy=easy)
                for page in plan.pages:
                    codes = [
                        it.code
                        for it in page.items
                        if it.has_answer and it.answer_scale is None
                        and (it.type or "text") in ("text", "long_text") and not it.validation
                    ]  # fmt: skip
                    if codes:
                        out.append((role, wave, easy, page.number, codes))
    return out


@pytest.mark.slow
def test_script_in_every_free_text_of_the_shipped_protocol_is_shown_escaped():
    pages = _free_text_pages()
    assert pages, "the shipped protocol asks free texts"
    payload = XSS[2]
    for n, (role, wave, easy, number, codes) in enumerate(pages):
        link, token = respondent_link(
            pseudonym=f"{'E' if role == 'employee' else 'S'}-XSS-{n}", role=role, wave=wave,
            easy_read=easy, consent=True,
        )  # fmt: skip
        plan = wave_plan(role=role, wave=wave, easy=easy)
        page = plan.page(number)
        data = page_data(page, plan, **{code: [payload] for code in codes})
        client = Client()
        response = client.post(f"/v/{token}/{number}/", data)
        assert response.status_code == 302, (role, wave, easy, number)
        assert {code: _rows(link)[code] for code in codes} == dict.fromkeys(codes, (None, payload))
        body = client.get(f"/v/{token}/{number}/").content.decode()
        assert payload not in body
        assert body.count(_escaped(payload)) == len(codes)


def test_script_in_answers_stays_out_of_the_html_codebook_and_verbatim_in_the_data(
    tmp_path, settings
):
    import io
    import zipfile

    from mentorwijs.web.study.answers import answers_download
    from mentorwijs.web.study.models import StudyMeta

    StudyMeta.objects.create(meta={"protocol_version": "test"})
    payload = XSS[0]
    role, wave, _easy, number, codes = next(p for p in _free_text_pages() if not p[2])
    _link, token = respondent_link(role=role, wave=wave, consent=True)
    plan = wave_plan(role=role, wave=wave, easy=False)
    data = page_data(plan.page(number), plan, **{code: [payload] for code in codes})
    assert Client().post(f"/v/{token}/{number}/", data).status_code == 302
    _name, content = answers_download(fmt="csv", wide=False, lang="nl")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    html = [text for name, text in files.items() if name.endswith(".html")]
    data_csv = [text for name, text in files.items() if name.endswith(".csv")]
    assert html
    assert all(payload not in text for text in html)
    assert any(payload.replace('"', '""') in text or payload in text for text in data_csv)
