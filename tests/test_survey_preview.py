"""Staff preview: every instrument of every wave, both modes, both languages; nothing stored.

Who may open the list and the previews is part of the permission matrix
(tests/test_web_permissions.py); here the pages themselves.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client

from mentorwijs.protocol import load_protocol
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.study.models import Invitation, Response
from mentorwijs.web.survey.models import Consent, Link

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = get_user_model().objects.create_user("onderzoeker", password="x" * 16)
    role_grant(user=user, role=Role.RESEARCHER)
    return verified_login(Client(), user)


def _study_rows() -> tuple[int, ...]:
    return (
        Response.objects.count(),
        Invitation.objects.count(),
        Link.objects.count(),
        Consent.objects.count(),
        LogEntry.objects.count(),
    )


def test_the_list_links_every_instrument_of_every_wave_in_both_modes_and_languages(staff):
    protocol = load_protocol()
    body = staff.get("/vragenlijsten/").content.decode()
    for wave, w in protocol.waves.items():
        assert w.label.nl in body
        for code, ins in protocol.instruments.items():
            if wave not in ins.waves:
                continue
            for mode in ("gewoon", "makkelijk"):
                for lang in ("nl", "en"):
                    assert f'href="/vragenlijsten/{wave}/{code}/{mode}/{lang}/1/"' in body
    assert body.count('/1/"') == 4 * sum(len(i.waves) for i in protocol.instruments.values())


@pytest.mark.parametrize(
    ("mode", "lang", "expected"),
    [
        ("gewoon", "nl", "Hoe tevreden bent u over de training in het algemeen?"),
        ("gewoon", "en", "How satisfied are you with the training in general?"),
        ("makkelijk", "nl", "Hoe vond u de training?"),
        ("makkelijk", "en", "How did you like the training?"),
    ],
)
def test_a_preview_shows_the_instrument_as_a_respondent_sees_it(staff, mode, lang, expected):
    response = staff.get(f"/vragenlijsten/T1/sv_process/{mode}/{lang}/1/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in body
    assert expected in body
    assert ("Voorbeeld" if lang == "nl" else "Preview") in body
    assert ("smiley_1.svg" in body) == (mode == "makkelijk")


def test_answering_a_preview_creates_nothing_in_the_study(staff):
    before = _study_rows()
    base = "/vragenlijsten/T1/sv_process/makkelijk/nl/"
    protocol = load_protocol()
    items = [it.code for it in protocol.instruments["sv_process"].items]
    extra_time = items.index("extra_time") + 1
    # Errors are shown as to a respondent.
    body = staff.post(f"{base}{extra_time}/", {}).content.decode()
    assert "Kies een antwoord." in body
    # The condition works on the answers kept in the session.
    response = staff.post(f"{base}{extra_time}/", {"extra_time": "1"})
    assert response["Location"] == f"{base}{extra_time + 1}/"
    assert "Hoeveel uur meer per week?" in staff.get(response["Location"]).content.decode()
    response = staff.post(f"{base}{extra_time}/", {"extra_time": "0"})
    assert response["Location"] == f"{base}{extra_time + 2}/"  # the hours are skipped
    last = len(items)
    response = staff.post(f"{base}{last}/", {"remarks": ""})
    assert response["Location"] == f"{base}einde/"
    assert "Einde van het voorbeeld" in staff.get(response["Location"]).content.decode()
    assert _study_rows() == before


def test_a_wave_an_instrument_is_not_in_has_no_preview(staff):
    assert staff.get("/vragenlijsten/T0/sv_process/gewoon/nl/1/").status_code == 404
    assert staff.get("/vragenlijsten/T1/sv_process/anders/nl/1/").status_code == 404
    assert staff.get("/vragenlijsten/T1/sv_process/gewoon/de/1/").status_code == 404
    assert staff.get("/vragenlijsten/T1/sv_process/gewoon/nl/99/").status_code == 404


def test_switching_mode_in_a_preview_keeps_the_question(staff):
    body = staff.get("/vragenlijsten/T0/sv_outcomes/gewoon/nl/2/").content.decode()
    # Page 2 of the standard text starts with the 9th item; in easy-read that is page 9.
    assert 'href="/vragenlijsten/T0/sv_outcomes/makkelijk/nl/9/"' in body
    assert 'href="/vragenlijsten/T0/sv_outcomes/gewoon/en/2/"' in body
