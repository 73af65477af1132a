"""Interview segments in the study data package: exported with pseudonyms, loaded back.

The hand-made package of ``conftest.py`` (region R10, supervisor S1, employee E1, trainer TR1)
gets an ``interview_segments`` table; a load followed by an export gives the same table and
the same bytes. Coding in the site, exporting and loading with ``replace`` keeps the
transcripts, so coding can go on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import TINY_META, tiny_tables
from mentorwijs.studydata import coerce_table, read_package, write_package
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.study.selectors import package_export
from mentorwijs.web.study.services import package_load
from mentorwijs.web.survey.consent import record_consent

pytestmark = pytest.mark.django_db(transaction=True)

#: In the order the export writes: by interview, segment and code key.
SEGMENTS = pd.DataFrame(
    {
        "interview_id": ["I-00000001"] * 3 + ["I-00000002"],
        "segment_no": [1, 1, 2, 1],
        "respondent_id": ["S1"] * 3 + ["TR1"],
        "role": ["supervisor"] * 3 + ["trainer"],
        "wave": ["T1"] * 3 + [None],
        "region_id": ["R10"] * 4,
        "coder": ["coder-1", "coder-1", "coder-2", "coder-1"],
        "code": ["midi-self-efficacy", "midi-time-available", "eigen-code", "midi-legislation"],
        "start": [0, 0, 40, 10],
        "end": [39, 39, 80, 52],
        "text": [
            "Ik heb er gewoon geen tijd voor gekregen",
            "Ik heb er gewoon geen tijd voor gekregen",
            "De collega's dachten mee, dat hielp echt.",
            "De loonkostensubsidie maakte het mogelijk.",
        ],
    }
)
TRANSCRIPT = (
    "I: Hoe ging het na de training?\n"
    "R: Goed. Ik heb nu meer geduld. Maar tijd krijg ik er niet voor!"
)


@pytest.fixture
def with_segments(tmp_path: Path) -> Path:
    tables = {**tiny_tables(), "interview_segments": coerce_table("interview_segments", SEGMENTS)}
    return write_package(tmp_path / "pkg", tables, meta=TINY_META)


@pytest.fixture
def researcher() -> Any:
    user = get_user_model().objects.create(username="onderzoeker")
    role_grant(user=user, role=Role.RESEARCHER)
    return user


def test_the_package_round_trips_its_interview_segments(
    with_segments: Path, tmp_path: Path
) -> None:
    counts = package_load(path=with_segments)
    assert counts["interview_segments"] == 4
    out = package_export(out=tmp_path / "export")
    pdt.assert_frame_equal(
        read_package(out).tables["interview_segments"],
        read_package(with_segments).tables["interview_segments"],
    )
    name = "interview_segments.csv"
    assert (out / name).read_bytes() == (with_segments / name).read_bytes()


def test_loaded_segments_become_interviews_with_passages_codes_and_coders(
    with_segments: Path, researcher: Any
) -> None:
    package_load(path=with_segments)
    first = i.Interview.objects.get(pk="I-00000001")
    assert (first.respondent_id, first.role, first.wave, first.region_id) == (
        "S1",
        "supervisor",
        "T1",
        "R10",
    )
    assert first.from_package
    assert first.text == ""
    assert i.Segment.objects.count() == 3
    assert set(i.Coder.objects.values_list("label", flat=True)) == {"coder-1", "coder-2"}
    # A key the codebook does not know becomes an inductive code named after it.
    assert i.Code.objects.get(key="eigen-code").origin == "inductive"
    client = Client()
    verified_login(client, researcher)
    page = client.get("/interviews/I-00000001/").content.decode()
    assert "alleen de gecodeerde fragmenten" in page
    found = client.get("/interviews/fragmenten/?code=midi-legislation").content.decode()
    assert "De loonkostensubsidie maakte het mogelijk." in found


def test_coding_in_the_site_survives_an_export_and_a_load_with_replace(
    tiny_package: Path, tmp_path: Path, researcher: Any
) -> None:
    package_load(path=tiny_package)
    record_consent(role="supervisor", respondent_id="S1", purpose="interview", given=True,
                   version="t")  # fmt: skip
    interview, _ = services.interview_create(
        user=researcher, role="supervisor", respondent_id="S1", text=TRANSCRIPT, wave="T2"
    )
    services.codebook_ensure()
    time = i.Code.objects.get(key="midi-time-available")
    patience = i.Code.objects.get(key="midi-self-efficacy")
    services.segment_code(interview=interview, user=researcher, first=3, last=4,
                          codes=[time, patience], memo="memo blijft in de site")  # fmt: skip

    out = package_export(out=tmp_path / "export")
    table = read_package(out).tables["interview_segments"]
    assert list(table["code"]) == ["midi-self-efficacy", "midi-time-available"]
    assert set(table["coder"]) == {"coder-1"}
    assert set(table["region_id"]) == {"R10"}
    assert table["text"][0] == "Ik heb nu meer geduld. Maar tijd krijg ik er niet voor!"
    raw = (out / "interview_segments.csv").read_text()
    assert "onderzoeker" not in raw
    assert "memo blijft" not in raw

    package_load(path=out, replace=True)
    again = i.Interview.objects.get(pk=interview.pk)
    assert not again.from_package
    assert again.text == TRANSCRIPT
    assert again.uploaded_by == researcher
    segment = again.segments.get()
    # 41 = 31 characters of the first line + its line end + "R: Goed. "; 96 = 41 + 55.
    assert (segment.coder.user, segment.start, segment.end) == (researcher, 41, 96)
    # Coding goes on where it stopped.
    services.segment_code(interview=again, user=researcher, first=1, last=1, codes=[time])
    assert again.segments.count() == 2


def test_segments_of_someone_who_withdrew_interview_consent_leave_the_package(
    with_segments: Path, tmp_path: Path
) -> None:
    package_load(path=with_segments)
    record_consent(role="trainer", respondent_id="TR1", purpose="interview", given=False,
                   version="t")  # fmt: skip
    table = read_package(package_export(out=tmp_path / "export")).tables["interview_segments"]
    assert set(table["respondent_id"]) == {"S1"}
    assert len(table) == 3


def test_a_segment_with_an_unknown_region_makes_the_package_invalid(
    with_segments: Path,
) -> None:
    from mentorwijs.studydata import validate_package

    path = with_segments / "interview_segments.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.assign(region_id=["R10", "R10", "R10", "R99"]).to_csv(path, index=False)
    problems = validate_package(with_segments)
    assert [(p.table, p.column) for p in problems] == [("interview_segments", "region_id")]
