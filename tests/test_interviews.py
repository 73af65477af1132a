"""Interviews in the site: uploading transcripts, consent, coding, the codebook, exchange.

The registry of ``mentorwijs.web.registry.testing`` provides the people: supervisor S-ANNA of
region R10 (Rivierenland), employee E-EVA, trainer TR-1, and the named users. A second
researcher codes the same transcript for the double-coding tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentorwijs.protocol.models import load_protocol
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.interviews.transcripts import contact_hints, sentences
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.survey.consent import record_consent
from mentorwijs.web.survey.models import Consent

pytestmark = pytest.mark.django_db
UPLOAD = "/interviews/nieuw/"
TRANSCRIPT = (
    "I: Hoe ging de begeleiding na de training?\n"
    "R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst.\n"
    "\n"
    "I: En de directie?\n"
    "R: Die steunt het niet echt. Er is geen tijd voor!"
)


@pytest.fixture
def world() -> World:
    return world_build()


@pytest.fixture
def researcher(world: World) -> Client:
    client = Client()
    verified_login(client, world.users["researcher"])
    return client


@pytest.fixture
def second(world: World) -> Any:
    user = get_user_model().objects.create(username="researcher_two")
    role_grant(user=user, role=Role.RESEARCHER)
    return user


def consent(role: str, pid: str, given: bool = True) -> None:
    record_consent(role=role, respondent_id=pid, purpose="interview", given=given, version="t")


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("I: Hoe ging de begeleiding na de training?")
    document.add_paragraph("R: Beter dan eerst. Ik geef nu vaker feedback.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "I:"
    table.cell(0, 1).text = "En de directie?"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(content: str | None = None) -> bytes:
    body = content or (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:h>Interview met een leidinggevende</text:h>"
        '<text:p>I: Hoe ging de begeleiding?<text:s text:c="2"/>Vertel eens.</text:p>'
        "<text:list><text:list-item><text:p>R: <text:span>Goed</text:span>, echt."
        "<text:note><text:note-body><text:p>voetnoot</text:p></text:note-body></text:note>"
        "</text:p></text:list-item></text:list>"
        "</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", body)
    return buffer.getvalue()


def upload(client: Client, name: str, data: bytes, lang: str = "nl", **fields: str) -> Any:
    form = {"role": "supervisor", "respondent_id": "S-ANNA", "wave": "T2", **fields}
    return client.post(
        UPLOAD, {**form, "file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE=lang
    )


def make_interview(world: World, text: str = TRANSCRIPT) -> i.Interview:
    consent("supervisor", "S-ANNA")
    interview, _ = services.interview_create(
        user=world.users["researcher"], role="supervisor", respondent_id="S-ANNA", text=text,
        wave="T2",
    )  # fmt: skip
    return interview


# --- reading transcripts -------------------------------------------------------------------


def test_it_cuts_a_transcript_into_numbered_sentences_at_the_right_places() -> None:
    units = sentences(TRANSCRIPT)
    assert [u.text for u in units] == [
        "I: Hoe ging de begeleiding na de training?",
        "R: Beter dan eerst.",
        "Ik geef nu vaker feedback, bijv. na elke dienst.",
        "I: En de directie?",
        "R: Die steunt het niet echt.",
        "Er is geen tijd voor!",
    ]
    assert [u.paragraph for u in units] == [1, 2, 2, 3, 4, 4]
    assert all(TRANSCRIPT[u.start : u.end] == u.text for u in units)


def test_it_spots_e_mail_addresses_and_phone_numbers() -> None:
    text = "Mail naar jan@bakkerij.nl. Bel 06-12345678. Of +31 6 1234 5678. Kamer 12, 2019."
    assert [(h.kind, h.sentence) for h in contact_hints(text)] == [
        ("email", 1),
        ("phone", 2),
        ("phone", 3),
    ]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("utf8.txt", TRANSCRIPT.encode("utf-8"), "R: Beter dan eerst."),
        ("bom.txt", "\ufeffCafé-eigenaar: prima.".encode(), "Café-eigenaar: prima."),
        ("windows.txt", "Ik vond het € 5 waard, één keer.".encode("cp1252"), "€ 5 waard, één"),
        ("interview.docx", docx_bytes(), "I: En de directie?"),
        ("interview.odt", odt_bytes(), "I: Hoe ging de begeleiding? Vertel eens."),
    ],
)
def test_a_researcher_uploads_each_kind_of_file(
    world: World, researcher: Client, name: str, data: bytes, expected: str
) -> None:
    consent("supervisor", "S-ANNA")
    response = upload(researcher, name, data)
    interview = i.Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/interviews/{interview.interview_id}/"
    assert expected in interview.text
    assert interview.region_id == "R10"  # derived: S-ANNA works for an employer in R10
    assert (interview.role, interview.wave, interview.filename) == ("supervisor", "T2", name)
    assert interview.uploaded_by == world.users["researcher"]
    if name.endswith(".odt"):
        assert "voetnoot" not in interview.text
        assert interview.text.splitlines()[0] == "Interview met een leidinggevende"


@pytest.mark.parametrize(
    ("name", "data", "nl", "en"),
    [
        ("kapot.docx", b"PK\x03\x04 no zip", "beschadigd", "damaged"),
        ("kapot.odt", odt_bytes("<office:document-content"), "beschadigd", "damaged"),
        ("notes.odt", b"not a zip", "beschadigd", "damaged"),
        ("interview.pdf", b"%PDF-1.7", "geen .txt-, .docx- of .odt-bestand", "not a .txt"),
        ("binary.txt", b"abc\x00def", "binaire gegevens", "binary data"),
        ("leeg.txt", b"   \n  ", "bevat geen tekst", "holds no text"),
        ("groot.txt", b"a" * (5 * 1024 * 1024 + 1), "groter dan 5 MB", "larger than 5 MB"),
    ],
)
def test_a_wrong_or_broken_file_is_refused_with_a_clear_message_and_nothing_stored(
    world: World, researcher: Client, name: str, data: bytes, nl: str, en: str
) -> None:
    consent("supervisor", "S-ANNA")
    response = upload(researcher, name, data)
    assert response.status_code == 400
    assert nl in response.content.decode()
    english = upload(researcher, name, data, lang="en")
    assert english.status_code == 400
    assert en in english.content.decode()
    assert not i.Interview.objects.exists()


def test_the_english_page_gives_the_english_message(world: World, researcher: Client) -> None:
    consent("supervisor", "S-ANNA")
    response = researcher.post(
        UPLOAD,
        {"role": "supervisor", "respondent_id": "S-ANNA",
         "file": SimpleUploadedFile("x.docx", b"PK broken")},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert "this .docx file is damaged" in response.content.decode()


# --- consent -------------------------------------------------------------------------------


def test_without_interview_consent_nothing_is_stored(world: World, researcher: Client) -> None:
    record_consent(
        role="supervisor", respondent_id="S-ANNA", purpose="questionnaire", given=True, version="t"
    )
    response = upload(researcher, "a.txt", TRANSCRIPT.encode())
    assert response.status_code == 400
    assert "geen toestemming voor een interview van S-ANNA" in response.content.decode()
    assert not i.Interview.objects.exists()


def test_a_withdrawn_consent_counts_as_none(world: World, researcher: Client) -> None:
    consent("supervisor", "S-ANNA")
    consent("supervisor", "S-ANNA", given=False)
    assert upload(researcher, "a.txt", TRANSCRIPT.encode()).status_code == 400
    assert not i.Interview.objects.exists()


def test_a_consent_given_on_paper_is_recorded_by_the_researcher(
    world: World, researcher: Client
) -> None:
    response = upload(researcher, "a.txt", TRANSCRIPT.encode(), consent_source="paper")
    assert response.status_code == 302
    row = Consent.objects.get(purpose="interview")
    assert (row.role, row.respondent_id, row.given, row.source) == (
        "supervisor",
        "S-ANNA",
        True,
        "paper",
    )
    assert row.recorded_by == world.users["researcher"]
    assert row.version == load_protocol().consent["interview"].version
    assert LogEntry.objects.get_for_object(row).get().actor == world.users["researcher"]


def test_an_unknown_pseudonym_is_refused(world: World, researcher: Client) -> None:
    consent("employee", "E-NOBODY")
    response = upload(researcher, "a.txt", b"Tekst.", role="employee", respondent_id="E-NOBODY")
    assert response.status_code == 400
    assert "geen employee met pseudoniem E-NOBODY" in response.content.decode()


def test_a_coordinators_region_is_chosen_and_an_employees_derived(
    world: World, researcher: Client
) -> None:
    consent("coordinator", "C-01")
    consent("employee", "E-EVA")
    upload(researcher, "c.txt", b"Tekst.", role="coordinator", respondent_id="C-01", region="R11")
    upload(researcher, "e.txt", b"Tekst.", role="employee", respondent_id="E-EVA", region="R11")
    regions = dict(i.Interview.objects.values_list("respondent_id", "region_id"))
    assert regions == {"C-01": "R11", "E-EVA": "R10"}


def test_contact_data_in_the_text_gives_a_warning_but_is_stored(
    world: World, researcher: Client
) -> None:
    consent("supervisor", "S-ANNA")
    text = "I: Hoe bereik ik u?\nR: Via anna@korenaar.nl. Of bel 0344-123456."
    response = upload(researcher, "a.txt", text.encode())
    page = researcher.get(response["Location"]).content.decode()
    assert "een e-mailadres in zin 2" in page
    assert "een telefoonnummer in zin 3" in page
    assert i.Interview.objects.count() == 1


# --- coding --------------------------------------------------------------------------------


def code(key: str) -> i.Code:
    services.codebook_ensure()
    return i.Code.objects.get(key=key)


def test_a_researcher_codes_sentences_with_two_codes_and_a_memo(
    world: World, researcher: Client
) -> None:
    interview = make_interview(world)
    feedback, time = code("midi-performance-feedback"), code("midi-time-available")
    response = researcher.post(
        f"/interviews/{interview.interview_id}/coderen/",
        {"first": "2", "last": "3", "codes": [feedback.pk, time.pk], "memo": "Vaker feedback."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/interviews/{interview.interview_id}/#s3")
    segment = i.Segment.objects.get()
    assert segment.text == "R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst."
    assert TRANSCRIPT[segment.start : segment.end] == segment.text
    assert segment.coder.label == "coder-1"
    assert segment.coder.user == world.users["researcher"]
    assert set(segment.codings.values_list("code__key", flat=True)) == {
        "midi-performance-feedback",
        "midi-time-available",
    }
    page = researcher.get(f"/interviews/{interview.interview_id}/").content.decode()
    coded = set(re.findall(r'id="s(\d+)"[^>]*class="unit[^"]*coded"', page))
    assert coded == {"2", "3"}
    assert "Vaker feedback." in page


@pytest.mark.parametrize(
    ("first", "last", "codes", "message"),
    [
        ("5", "9", ["midi-time-available"], "het transcript heeft zinnen 1 tot en met 6"),
        ("4", "2", ["midi-time-available"], "De laatste zin kan niet voor de eerste komen."),
        ("1", "1", ["midi-organisation"], "is een groep codes"),
        ("1", "1", [], "Kies ten minste één code."),
    ],
)
def test_a_wrong_coding_is_refused_with_a_message(
    world: World, researcher: Client, first: str, last: str, codes: list[str], message: str
) -> None:
    interview = make_interview(world)
    services.codebook_ensure()
    if codes == ["midi-organisation"]:  # a group is not among the choices; the service says so
        with pytest.raises(services.CodeNotCodableError) as caught:
            services.segment_code(interview=interview, user=world.users["researcher"], first=1,
                                  last=1, codes=[code("midi-organisation")])  # fmt: skip
        assert message in caught.value.message_nl
        return
    pks = [code(k).pk for k in codes]
    response = researcher.post(
        f"/interviews/{interview.interview_id}/coderen/",
        {"first": first, "last": last, "codes": pks},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not i.Segment.objects.exists()


def test_two_coders_code_independently_and_cannot_change_each_others_segments(
    world: World, researcher: Client, second: Any
) -> None:
    interview = make_interview(world)
    mine = services.segment_code(interview=interview, user=world.users["researcher"], first=1,
                                 last=1, codes=[code("midi-knowledge")])  # fmt: skip
    theirs = services.segment_code(interview=interview, user=second, first=4, last=6,
                                   codes=[code("midi-formal-ratification")])  # fmt: skip
    assert (mine.coder.label, theirs.coder.label) == ("coder-1", "coder-2")
    assert theirs.segment_no == 2
    page = researcher.get(f"/interviews/{interview.interview_id}/").content.decode()
    assert set(re.findall(r'id="s(\d+)"[^>]*class="unit[^"]*coded"', page)) == {"1"}
    own = page.split('id="segments-h"')[1]
    assert "Kennis" in own
    assert "Formele steun van de directie" not in own
    assert 'id="segment-1"' in own
    assert 'id="segment-2"' not in own
    base = f"/interviews/{interview.interview_id}/fragmenten/2/"
    assert researcher.get(base).status_code == 403
    assert researcher.post(base + "verwijderen/").status_code == 403
    assert i.Segment.objects.count() == 2


def test_a_segment_is_changed_and_deleted_with_an_audit_trail(
    world: World, researcher: Client
) -> None:
    interview = make_interview(world)
    segment = services.segment_code(interview=interview, user=world.users["researcher"],
                                    first=1, last=1, codes=[code("midi-knowledge")])  # fmt: skip
    url = f"/interviews/{interview.interview_id}/fragmenten/{segment.segment_no}/"
    assert researcher.get(url).status_code == 200
    response = researcher.post(
        url, {"first": "5", "last": "6", "codes": [code("midi-time-available").pk], "memo": "m"}
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.text == "R: Die steunt het niet echt. Er is geen tijd voor!"
    assert list(segment.codings.values_list("code__key", flat=True)) == ["midi-time-available"]
    assert researcher.post(url + "verwijderen/").status_code == 302
    assert not i.Segment.objects.exists()
    actions = LogEntry.objects.filter(content_type__app_label="interviews").values_list(
        "content_type__model", "action"
    )
    assert ("segment", LogEntry.Action.DELETE) in actions
    assert ("segmentcode", LogEntry.Action.CREATE) in actions


# --- the codebook --------------------------------------------------------------------------


def test_the_shipped_codebook_is_loaded_once_on_first_use(world: World, researcher: Client) -> None:
    assert researcher.get("/interviews/codeboek/").status_code == 200
    assert i.Code.objects.count() == 36
    assert services.codebook_ensure() == 0
    assert i.Code.objects.get(key="midi-self-efficacy").parent.key == "midi-user"


def test_a_researcher_adds_changes_and_deletes_an_inductive_code_with_an_audit_trail(
    world: World, researcher: Client
) -> None:
    services.codebook_ensure()
    organisation = code("midi-organisation")
    response = researcher.post(
        "/interviews/codeboek/nieuw/",
        {"name_nl": "Steun van HR", "definition_nl": "HR helpt.", "parent": organisation.pk,
         "codable": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    added = i.Code.objects.get(key="steun-van-hr")
    assert (added.origin, added.parent, added.codable) == ("inductive", organisation, True)
    entry = LogEntry.objects.get_for_object(added).get()
    assert entry.actor == world.users["researcher"]

    response = researcher.post(
        "/interviews/codeboek/steun-van-hr/",
        {"name_nl": "Steun van personeelszaken", "name_en": "Support from HR", "codable": "on"},
    )
    added.refresh_from_db()
    assert (added.key, added.name_nl, added.parent) == (
        "steun-van-hr",
        "Steun van personeelszaken",
        None,
    )
    twice = researcher.post("/interviews/codeboek/nieuw/", {"name_nl": "kennis", "codable": "on"})
    assert twice.status_code == 400
    assert "hebben dezelfde naam" in twice.content.decode()
    assert researcher.post("/interviews/codeboek/steun-van-hr/verwijderen/").status_code == 302
    assert not i.Code.objects.filter(key="steun-van-hr").exists()


def test_a_code_in_use_cannot_be_deleted(world: World, researcher: Client) -> None:
    interview = make_interview(world)
    services.segment_code(interview=interview, user=world.users["researcher"], first=1, last=1,
                          codes=[code("midi-knowledge")])  # fmt: skip
    response = researcher.post("/interviews/codeboek/midi-knowledge/verwijderen/", follow=True)
    assert "is aan tekst toegekend" in response.content.decode()
    assert i.Code.objects.filter(key="midi-knowledge").exists()


def test_the_codebook_is_exported_and_imported_as_qdc(world: World, researcher: Client) -> None:
    exported = researcher.get("/interviews/codeboek/export.qdc?lang=nl")
    assert exported["Content-Type"] == "application/xml; charset=utf-8"
    assert b"urn:QDA-XML:codebook:1.0" in exported.content
    again = researcher.post(
        "/interviews/codeboek/import/",
        {"lang": "nl", "file": SimpleUploadedFile("book.qdc", exported.content)},
    )
    assert again.status_code == 302
    assert i.Code.objects.count() == 36  # the same guids: nothing new, nothing changed
    with open("tests/data/refi-qda/other-program.qdc", "rb") as fh:
        other = researcher.post(
            "/interviews/codeboek/import/",
            {"lang": "nl", "file": SimpleUploadedFile("other.qdc", fh.read())},
            follow=True,
        )
    assert "3 codes toegevoegd, 0 gewijzigd" in other.content.decode()
    assert i.Code.objects.get(name_nl="Feedback geven").parent.name_nl == "Begeleiding"


def test_a_broken_qdc_changes_nothing(world: World, researcher: Client) -> None:
    services.codebook_ensure()
    response = researcher.post(
        "/interviews/codeboek/import/",
        {"lang": "nl", "file": SimpleUploadedFile("x.qdc", b"<CodeBook>")},
    )
    assert response.status_code == 400
    assert "geen leesbaar REFI-QDA-codeboek" in response.content.decode()
    assert i.Code.objects.count() == 36


# --- retrieval and CSV -----------------------------------------------------------------------


def test_passages_are_found_per_code_and_filters(world: World, researcher: Client) -> None:
    interview = make_interview(world)
    user = world.users["researcher"]
    services.segment_code(interview=interview, user=user, first=2, last=3,
                          codes=[code("midi-performance-feedback")])  # fmt: skip
    services.segment_code(interview=interview, user=user, first=6, last=6,
                          codes=[code("midi-time-available")])  # fmt: skip
    page = researcher.get("/interviews/fragmenten/?code=midi-time-available").content.decode()
    assert "Er is geen tijd voor!" in page
    assert "vaker feedback" not in page
    group = researcher.get("/interviews/fragmenten/?code=midi-organisation").content.decode()
    assert "Er is geen tijd voor!" in group
    assert "vaker feedback" in group
    other = researcher.get("/interviews/fragmenten/?code=&region=R11").content.decode()
    assert "0 fragmenten" in other


def test_coded_segments_are_exported_as_csv(world: World, researcher: Client) -> None:
    interview = make_interview(world)
    services.segment_code(interview=interview, user=world.users["researcher"], first=2, last=3,
                          codes=[code("midi-performance-feedback"), code("midi-knowledge")],
                          memo="let op")  # fmt: skip
    response = researcher.get("/interviews/fragmenten.csv?role=supervisor")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "interview_id,segment_no,respondent_id,role,wave,region_id,coder,code,code_name,"
        "first_sentence,last_sentence,start,end,text,memo"
    )
    iid = interview.interview_id
    # Characters 43-111: the first line has 42 characters and a line end, the second 68.
    assert lines[1:] == [
        f"{iid},1,S-ANNA,supervisor,T2,R10,coder-1,midi-knowledge,Kennis,2,3,43,111,"
        '"R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst.",let op',
        f"{iid},1,S-ANNA,supervisor,T2,R10,coder-1,midi-performance-feedback,Terugkoppeling,"
        '2,3,43,111,"R: Beter dan eerst. Ik geef nu vaker feedback, bijv. na elke dienst.",let op',
    ]
    assert "S-ANNA" in lines[1]
    assert "Anna de Vries" not in response.content.decode()
