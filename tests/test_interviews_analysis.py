"""The interview pages that show the evaluation layer's analyses: double-coding and counts.

Kappa itself is checked against a published example in the evaluation's own tests; here the
page must feed it the right segments and show what comes back. The example is worked out by
hand: a transcript of four sentences of ten characters each (one a line), coded per sentence.

======== ============ ============
sentence coder-1      coder-2
======== ============ ============
1        X            X
2        X
3        Y            Y
4                     X
======== ============ ============

Unit "character": the coded text is sentences 1-4, 40 characters. Code X: both 10, only
coder-1 10, only coder-2 10, neither 10: p_o = 0.5, p_e = 0.5·0.5 + 0.5·0.5 = 0.5, kappa 0.
Code Y: both 10, neither 30: kappa 1. All codes pooled: both 20, only one 10 + 10, neither
40 (n = 80): p_o = 0.75, p_e = 0.375² + 0.625² = 0.53125, kappa = 0.21875 / 0.46875 = 0.4667.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import Tables
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews import services
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import role_grant
from mentorwijs.web.registry.testing import World, world_build

pytestmark = pytest.mark.django_db
TEXT = "Aaaa bbbb.\nCccc dddd.\nEeee ffff.\nGggg hhhh."


@pytest.fixture
def world() -> World:
    return world_build()


@pytest.fixture
def two(world: World) -> tuple[Any, Any]:
    second = get_user_model().objects.create(username="researcher_two")
    role_grant(user=second, role=Role.RESEARCHER)
    return world.users["researcher"], second


def interview(world: World) -> i.Interview:
    from mentorwijs.web.survey.consent import record_consent

    record_consent(role="supervisor", respondent_id="S-ANNA", purpose="interview", given=True,
                   version="t")  # fmt: skip
    services.codebook_ensure()
    created, _ = services.interview_create(
        user=world.users["researcher"], role="supervisor", respondent_id="S-ANNA", text=TEXT
    )
    return created


def code(user: Any, iv: i.Interview, sentence: int, key: str) -> None:
    services.segment_code(interview=iv, user=user, first=sentence, last=sentence,
                          codes=[i.Code.objects.get(key=key)])  # fmt: skip


def page(world: World, path: str) -> str:
    client = Client()
    verified_login(client, world.users["researcher"])
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_comparison_page_shows_kappa_per_code_and_overall(
    world: World, two: tuple[Any, Any]
) -> None:
    first, second = two
    iv = interview(world)
    x, y = "midi-knowledge", "midi-time-available"
    for sentence, key in ((1, x), (2, x), (3, y)):
        code(first, iv, sentence, key)
    for sentence, key in ((1, x), (3, y), (4, x)):
        code(second, iv, sentence, key)
    html = page(world, f"/interviews/{iv.interview_id}/vergelijken/")
    parser = Tables()
    parser.feed(html)
    characters = parser.tables[0]
    assert characters[0][:2] == ["Code", "Beide"]
    rows = {r[0]: r[1:] for r in characters[1:]}
    # both, only coder-1, only coder-2, neither, observed agreement, kappa (see the docstring)
    assert rows["Kennis"] == ["10", "10", "10", "10", "50%", "0,00"]
    assert rows["Beschikbare tijd"] == ["10", "0", "0", "30", "100%", "1,00"]
    assert rows["Alle codes"] == ["20", "10", "10", "40", "75%", "0,47"]
    assert "Zin 4</strong>:" in html  # the second coder's codings listed by sentence
    detail = page(world, f"/interviews/{iv.interview_id}/")
    assert f'href="/interviews/{iv.interview_id}/vergelijken/"' in detail


def test_a_transcript_with_one_coder_has_nothing_to_compare(world: World) -> None:
    iv = interview(world)
    code(world.users["researcher"], iv, 1, "midi-knowledge")
    html = page(world, f"/interviews/{iv.interview_id}/vergelijken/")
    assert "nog niet door twee codeurs gecodeerd" in html
    assert "vergelijken/" not in page(world, f"/interviews/{iv.interview_id}/")


def test_the_passages_page_counts_codes_once_per_transcript_and_their_pairs(
    world: World, two: tuple[Any, Any]
) -> None:
    first, second = two
    iv = interview(world)
    both = [i.Code.objects.get(key="midi-time-available"), i.Code.objects.get(key="barrier")]
    services.segment_code(interview=iv, user=first, first=1, last=2, codes=both)
    code(first, iv, 4, "midi-time-available")
    code(second, iv, 3, "midi-knowledge")  # coder-2's double-coding does not count
    html = page(world, "/interviews/fragmenten/?role=supervisor")
    parser = Tables()
    parser.feed(html)
    frequencies, pairs = parser.tables[0], parser.tables[1]
    assert frequencies[1:] == [
        ["Beschikbare tijd", "2", "1", "100%"],
        ["Belemmerend", "1", "1", "100%"],
    ]
    assert pairs[1:] == [["Belemmerend", "Beschikbare tijd", "1", "1"]]


def test_passages_are_filtered_by_the_effect_subgroup_of_the_newest_run(
    world: World, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    from mentorwijs.evaluation.result import EvaluationResult
    from mentorwijs.web.runs.models import EvaluationRun
    from mentorwijs.web.runs.paths import run_dir

    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path))
    iv = interview(world)
    user = world.users["researcher"]
    code(user, iv, 1, "midi-knowledge")
    code(user, iv, 2, "midi-time-available")
    assert "Werkeffect in de subgroep" not in page(world, "/interviews/fragmenten/")
    run = EvaluationRun.objects.create(status=EvaluationRun.DONE, folder="effect-test")
    # The result table the evaluation writes (mentorwijs.evaluation.qualitative.passages).
    passages = pd.DataFrame(
        {
            "code": ["midi-knowledge", "midi-time-available"],
            "interview_id": [iv.interview_id] * 2,
            "segment_no": [1, 2],
            "larger_effect_in": ["temporary_contract=yes", None],
            "smaller_effect_in": [None, "sector=public"],
        }
    )
    EvaluationResult(tables={"interview_passages": passages}).save(run_dir(run) / "result")
    larger = page(world, "/interviews/fragmenten/?effect=larger")
    assert f"Uit evaluatie #{run.pk}" in larger
    assert "Aaaa bbbb." in larger
    assert "Cccc dddd." not in larger
    assert "Groter werkeffect in: temporary_contract=yes" in larger
    smaller = page(world, "/interviews/fragmenten/?effect=smaller")
    assert "Cccc dddd." in smaller
    assert "Aaaa bbbb." not in smaller
