"""Interview transcripts, coded passages and memos encrypted at rest; letters not kept at all.

A transcript of supervisor S-ANNA (``world_build``) names a colleague and holds a sentence
that would identify her workplace (``NAME``, ``SENTENCE``); a researcher codes that sentence
with a memo that repeats the name (``MEMO``). The tests look for them in every column of every
table, the audit trail included; read them back through the site, the CSV export, the study
data package and the evaluation's passages (where the practice guide's quotes come from);
rotate the key and open the columns with the old key alone; run the data migration both
ways on rows stored in clear; and use a wrong or missing key.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from conftest import TINY_META
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.errors import IdentityKeyError
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.registry import crypto
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.survey.consent import record_consent

pytestmark = pytest.mark.django_db

NAME = "Gerrit Hendriks"
SENTENCE = "R: Mijn collega Gerrit Hendriks van Bakkerij De Korenschoof helpt me elke vrijdag."
TRANSCRIPT = f"I: Wie helpt u bij de begeleiding?\n{SENTENCE}\n\nI: En de directie?\nR: Niet echt."
MEMO = "Gerrit Hendriks is de buddy; bakkerij in Tiel."
FILE = "interview Gerrit Hendriks 12 maart.txt"  # file names often name the person
SECRETS = (NAME, "Korenschoof", "buddy; bakkerij")
#: (table, primary key column, encrypted columns)
COLUMNS = (
    ("interviews_interview", "interview_id", ("text", "filename")),
    ("interviews_segment", "id", ("text", "memo")),
)


def every_text_value() -> str:
    """All text of every column of every table, as one string (a database-wide scan)."""
    chunks = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks += [str(v) for row in cur.fetchall() for v in row if v is not None]
    return "\n".join(chunks)


def raw_values() -> list[str]:
    """The stored (encrypted) transcript, passage and memo values, in a fixed order."""
    out = []
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        for table, pk, columns in COLUMNS:
            cur.execute(f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table)} ORDER BY {pk}")
            out += [v for row in cur.fetchall() for v in row]
    return out


def audit_values() -> list[str]:
    """The file name, passage and memo values the audit trail keeps of the interviews."""
    entries = LogEntry.objects.filter(content_type__app_label="interviews")
    return [
        v
        for e in entries.order_by("pk")
        for field in ("text", "memo", "filename")
        for v in (e.changes or {}).get(field, [])
        if e.content_type.model in ("interview", "segment")
    ]


@pytest.fixture
def world() -> World:
    return world_build()


def coded(world: World) -> i.Interview:
    """The transcript uploaded through the site, sentence 2 coded, then its memo changed."""
    record_consent(role="supervisor", respondent_id="S-ANNA", purpose="interview", given=True,
                   version="t")  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_login(Client(), world.users["researcher"])
    response = client.post(
        "/interviews/nieuw/",
        {"role": "supervisor", "respondent_id": "S-ANNA", "wave": "T2",
         "file": SimpleUploadedFile(FILE, TRANSCRIPT.encode())},
    )  # fmt: skip
    assert response.status_code == 302
    interview = i.Interview.objects.get()
    services.codebook_ensure()
    social = i.Code.objects.get(key="midi-social-support")
    client.post(
        f"/interviews/{interview.pk}/coderen/",
        {"first": "2", "last": "2", "codes": [social.pk], "memo": "eerste memo"},
    )
    client.post(
        f"/interviews/{interview.pk}/fragmenten/1/",
        {"first": "2", "last": "2", "codes": [social.pk], "memo": MEMO},
    )
    assert i.Segment.objects.get().memo == MEMO
    return interview


# --- at rest --------------------------------------------------------------------------------


def test_no_transcript_passage_or_memo_is_stored_in_clear_anywhere(world: World) -> None:
    coded(world)
    text = every_text_value()
    assert [s for s in SECRETS if s in text] == []
    assert "vrijdag" not in text  # nor a word of the sentence without a name
    values = raw_values()
    assert all(v.startswith("gAAAA") for v in values)
    assert [crypto.decrypt(v) for v in values] == [TRANSCRIPT, FILE, SENTENCE, MEMO]
    # The audit trail has the file name, the passage and the memos, encrypted like the columns.
    kept = [crypto.audit_unmask(v) for v in audit_values()]
    assert {FILE, SENTENCE, "eerste memo", MEMO} <= set(kept)


# --- read back ------------------------------------------------------------------------------


def test_the_site_exports_package_and_quotes_show_the_clear_text(
    world: World, tmp_path: Path
) -> None:
    from mentorwijs.evaluation.qualitative import main_coding, passages
    from mentorwijs.studydata import read_package
    from mentorwijs.web.study.models import StudyMeta
    from mentorwijs.web.study.selectors import package_export

    interview = coded(world)
    client = verified_login(Client(), world.users["researcher"])
    assert SENTENCE[3:] in client.get(f"/interviews/{interview.pk}/").content.decode()
    assert MEMO in client.get(f"/interviews/{interview.pk}/").content.decode()
    found = client.get("/interviews/fragmenten/?code=midi-social-support").content.decode()
    assert SENTENCE in found
    rows = list(
        csv.DictReader(io.StringIO(client.get("/interviews/fragmenten.csv").content.decode()))
    )
    assert [(r["text"], r["memo"], r["first_sentence"]) for r in rows] == [(SENTENCE, MEMO, "2")]

    StudyMeta.objects.create(meta=TINY_META)
    table = read_package(package_export(out=tmp_path / "pkg")).tables["interview_segments"]
    assert list(table["text"]) == [SENTENCE]
    # The practice guide quotes from the evaluation's passages of that table.
    assert list(passages(main_coding(table))["text"]) == [SENTENCE]


# --- key rotation ---------------------------------------------------------------------------


@pytest.fixture
def own_key_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "identity.key"
    settings.MENTORWIJS_IDENTITY_KEY_FILE = path
    monkeypatch.delenv(crypto.ENV, raising=False)
    monkeypatch.setenv("MENTORWIJS_LANG", "en")
    crypto.identity_keys.cache_clear()
    yield path
    crypto.identity_keys.cache_clear()


def opens(key: bytes, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_rotation_re_encrypts_transcripts_passages_memos_and_their_audit_values(
    own_key_file: Path, world: World
) -> None:
    interview = coded(world)
    old = own_key_file.read_text().strip().encode()
    before = raw_values() + audit_values()
    assert all(opens(old, v) for v in before)
    out = io.StringIO()
    call_command("rotate_identity_key", "--new-key", stdout=out)
    assert "1 interviews, 1 coded segments" in out.getvalue()
    new = own_key_file.read_text().split()[0].encode()
    after = raw_values() + audit_values()
    assert len(after) == len(before) > 3
    assert not any(opens(old, v) for v in after)  # the old key alone opens none of them
    assert all(opens(new, v) for v in after)
    call_command("rotate_identity_key", "--drop-old", stdout=io.StringIO())
    assert own_key_file.read_text().split() == [new.decode()]
    crypto.identity_keys.cache_clear()
    again = i.Interview.objects.get(pk=interview.pk)
    assert again.text == TRANSCRIPT
    assert (again.segments.get().text, again.segments.get().memo) == (SENTENCE, MEMO)
    assert [crypto.audit_unmask(v) for v in audit_values()].count(MEMO) >= 1


# --- a wrong or missing key -----------------------------------------------------------------


def test_a_wrong_key_gives_the_clear_error_in_both_languages_and_loses_nothing(
    own_key_file: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorwijs.web.interviews.package import interview_segments_rows

    coded(world)
    stored = raw_values() + audit_values()
    monkeypatch.setenv(crypto.ENV, Fernet.generate_key().decode())
    crypto.identity_keys.cache_clear()
    with pytest.raises(IdentityKeyError) as info:
        i.Interview.objects.get()
    assert str(info.value) == (
        "identity key (MENTORWIJS_IDENTITY_KEY): it does not open a stored value; "
        "see docs/security.md, 'Key management'"
    )
    assert info.value.message_nl == (
        "identiteitssleutel (MENTORWIJS_IDENTITY_KEY): hij opent een opgeslagen waarde niet; "
        "zie docs/security.md, 'Sleutelbeheer'"
    )
    with pytest.raises(IdentityKeyError):
        interview_segments_rows()  # the package export, the CSV and the analyses stop too
    with pytest.raises(CommandError, match="it does not open a stored value"):
        call_command("rotate_identity_key", stdout=io.StringIO())
    assert raw_values() + audit_values() == stored  # nothing changed, nothing lost

    # A key file that went missing: a fresh key is made, which opens nothing stored.
    monkeypatch.delenv(crypto.ENV)
    kept = own_key_file.read_bytes()
    own_key_file.unlink()
    crypto.identity_keys.cache_clear()
    with pytest.raises(IdentityKeyError, match="does not open a stored value"):
        i.Segment.objects.get()
    assert raw_values() + audit_values() == stored
    own_key_file.write_bytes(kept)  # the key put back: everything reads again
    crypto.identity_keys.cache_clear()
    assert i.Segment.objects.get().memo == MEMO


def test_a_letter_is_not_made_with_a_wrong_key_and_its_download_is_not_recorded(
    own_key_file: Path, world: World, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from django.utils import timezone

    from mentorwijs.web.invitations.testing import deliveries_build

    settings.MENTORWIJS_SITE_URL = "https://mentorwijs.test"
    _, letter = deliveries_build(anna=world.anna, eva=world.eva, now=timezone.now())
    client = verified_login(Client(), world.users["coordinator_own"])
    monkeypatch.setenv(crypto.ENV, Fernet.generate_key().decode())
    crypto.identity_keys.cache_clear()
    for path in (f"/uitnodigingen/brieven/{letter.pk}.pdf", "/uitnodigingen/brieven/nieuw.pdf"):
        response = client.get(path)
        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html")
        assert "hij opent een opgeslagen waarde niet" in response.content.decode()
    english = client.get("/uitnodigingen/brieven/", HTTP_ACCEPT_LANGUAGE="en")
    assert "it does not open a stored value" in english.content.decode()
    letter.refresh_from_db()
    assert (letter.downloaded_at, letter.downloaded_by) == (None, None)
    monkeypatch.delenv(crypto.ENV)
    crypto.identity_keys.cache_clear()
    response = client.get(f"/uitnodigingen/brieven/{letter.pk}.pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.downloaded_by == world.users["coordinator_own"]


# --- the data migration ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_transcripts_stored_in_clear_and_its_reverse_decrypts() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db.migrations.executor import MigrationExecutor

    before = [("interviews", "0002_origin_labels")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    interview = old.get_model("interviews", "Interview").objects.create(
        interview_id="I-1", respondent_id="S-1", role="supervisor", text=TRANSCRIPT, filename=FILE
    )
    coder = old.get_model("interviews", "Coder").objects.create(label="coder-1")
    segment = old.get_model("interviews", "Segment").objects.create(
        interview=interview, segment_no=1, coder=coder, start=35, end=35 + len(SENTENCE),
        text=SENTENCE, memo=MEMO,
    )  # fmt: skip
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(i.Segment), object_pk=str(segment.pk),
        object_repr="I-1 #1", action=LogEntry.Action.CREATE,
        changes={"text": ["None", SENTENCE], "memo": ["None", MEMO], "start": ["None", "35"]},
    )  # fmt: skip
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(i.Interview), object_pk="I-1",
        object_repr="I-1", action=LogEntry.Action.CREATE,
        changes={"filename": ["None", FILE], "role": ["None", "supervisor"]},
    )  # fmt: skip
    assert raw_values() == [TRANSCRIPT, FILE, SENTENCE, MEMO]

    def forward() -> None:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    forward()
    assert [s for s in SECRETS if s in every_text_value()] == []
    assert [crypto.decrypt(v) for v in raw_values()] == [TRANSCRIPT, FILE, SENTENCE, MEMO]
    entry = LogEntry.objects.get(object_repr="I-1 #1")
    assert entry.changes["start"] == ["None", "35"]  # other fields stay as they were
    assert [crypto.audit_unmask(v) for v in entry.changes["memo"]] == ["None", MEMO]
    assert LogEntry.objects.get(object_repr="I-1").changes["role"] == ["None", "supervisor"]
    assert i.Segment.objects.get().text == SENTENCE

    MigrationExecutor(connection).migrate(before)  # the reverse gives the clear text back
    assert raw_values() == [TRANSCRIPT, FILE, SENTENCE, MEMO]
    assert LogEntry.objects.get(object_repr="I-1 #1").changes["text"] == ["None", SENTENCE]
    assert LogEntry.objects.get(object_repr="I-1").changes["filename"] == ["None", FILE]
    forward()
    assert [crypto.decrypt(v) for v in raw_values()] == [TRANSCRIPT, FILE, SENTENCE, MEMO]
