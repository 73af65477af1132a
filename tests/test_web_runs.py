"""Evaluation runs: queue, compute (cron-safe, idempotent), report download, failures,
and the cost–benefit page with its checked prices in Dutch and English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client

from mentorwijs.evaluation.result import fingerprint
from mentorwijs.simulation import simulate_package
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.runs import services
from mentorwijs.web.runs.errors import NoStudyDataError
from mentorwijs.web.runs.models import EvaluationRun
from mentorwijs.web.runs.paths import run_dir
from mentorwijs.web.runs.testing import QUICK, evaluated_study_build, evaluation_run_from
from mentorwijs.web.study.services import package_load


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate_package(tmp_path_factory.mktemp("runs-sim") / "pkg", seed=7)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return evaluated_study_build(out=tmp_path_factory.mktemp("runs-eval"))


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def world(db: Any) -> World:
    return world_build()


def client_of(world: World, name: str) -> Client:
    client = Client()
    verified_login(client, world.users[name])
    return client


# --- services and the command ------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_to_queue_without_study_data() -> None:
    with pytest.raises(NoStudyDataError) as info:
        services.evaluation_run_queue(user=None, settings=QUICK)
    assert "geen studiegegevens" in info.value.message_nl


@pytest.mark.django_db
def test_it_computes_queued_runs_once_and_keeps_earlier_runs_when_one_fails(
    simulated: Path, data: Path
) -> None:
    package_load(path=simulated)
    good = services.evaluation_run_queue(user=None, settings=QUICK, seed=11)
    bad = services.evaluation_run_queue(user=None, settings={**QUICK, "k": "ten"})
    assert good.status == bad.status == EvaluationRun.QUEUED

    done = services.evaluation_runs_process()
    assert [r.pk for r in done] == [good.pk, bad.pk]
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == EvaluationRun.DONE
    assert good.error_en == ""
    folder = run_dir(good)
    assert folder.parent == data / "runs"
    assert good.data_fingerprint == fingerprint(folder / "package")
    meta = json.loads((folder / "result" / "result.json").read_text("utf-8"))["metadata"]
    assert meta["seed"] == 11
    assert meta["settings"]["imputations"] == 0
    assert bad.status == EvaluationRun.FAILED
    assert "k='ten'" in bad.error_en
    assert bad.error_nl.startswith("de evaluatie is gestopt")

    # Idempotent: a second pass (cron, minutes later) finds nothing to do and changes nothing.
    finished = good.finished_at
    assert services.evaluation_runs_process() == []
    good.refresh_from_db()
    assert good.finished_at == finished
    assert good.status == EvaluationRun.DONE
    out = _command()
    assert "no queued runs" in out

    # Every status change is in the audit trail.
    changes = [e.changes_dict.get("status") for e in LogEntry.objects.get_for_object(good)]
    assert ["running", "done"] in changes


def _command() -> str:
    import io

    buf = io.StringIO()
    call_command("run_evaluations", stdout=buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_it_leaves_the_queue_alone_while_another_process_computes(world: World) -> None:
    run = services.evaluation_run_queue(user=None, settings=QUICK)
    with services.runs_lock() as taken:
        assert taken
        assert services.evaluation_runs_process() is None
        assert "another process" in _command()
    run.refresh_from_db()
    assert run.status == EvaluationRun.QUEUED


@pytest.mark.django_db
def test_a_run_left_running_by_a_stopped_process_is_marked_interrupted(world: World) -> None:
    run = services.evaluation_run_queue(user=None, settings=QUICK)
    run.status = EvaluationRun.RUNNING
    run.save()
    services.evaluation_runs_process(limit=0)
    run.refresh_from_db()
    assert run.status == EvaluationRun.FAILED
    assert "onderbroken" in run.error_nl
    assert "interrupted" in run.error_en


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_researcher_queues_a_run_and_a_direct_run_needs_a_small_demo_study(
    world: World,
) -> None:
    client = client_of(world, "researcher")
    form = {"imputations": "0", "k": "10", "caliper": "0,2", "bootstrap": "0",
            "cost_benefit_draws": "1000", "seed": "2023"}  # fmt: skip
    page = client.get("/evaluaties/")
    assert "Wachtrij" in page.content.decode() or "wachtrij" in page.content.decode()
    assert 'value="now"' not in page.content.decode()  # not a demo study
    response = client.post("/evaluaties/starten/", {**form, "action": "queue"})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/evaluaties/{run.pk}/"
    assert run.settings["caliper"] == 0.2
    assert run.created_by == world.users["researcher"]
    page = client.post("/evaluaties/starten/", {**form, "action": "now"}).content.decode()
    assert "kleine demostudie" in page
    page = client.post(
        "/evaluaties/starten/", {**form, "imputations": "20", "action": "now"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()  # fmt: skip
    assert "set imputations and bootstrap draws to 0" in page


@pytest.mark.django_db
def test_the_run_page_shows_the_tables_and_a_failed_run_its_error(
    world: World, evaluated: Path
) -> None:
    run = evaluation_run_from(source=evaluated, user=world.users["researcher"])
    client = client_of(world, "researcher")
    page = client.get(f"/evaluaties/{run.pk}/").content.decode()
    for text in ("Verandering", "Werkeffect per maand", "Voortrends", run.data_fingerprint):
        assert text in page
    failed = EvaluationRun.objects.create(
        status=EvaluationRun.FAILED, folder="x", error_en="it broke", error_nl="het ging mis"
    )
    page = client.get(f"/evaluaties/{failed.pk}/").content.decode()
    assert "het ging mis" in page
    assert "Eerdere runs" in page
    page = client.get(f"/evaluaties/{failed.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "it broke" in page
    listing = client.get("/evaluaties/").content.decode()
    assert f"/evaluaties/{run.pk}/kosten-baten/" in listing  # the earlier run is still there


@pytest.mark.django_db
def test_the_report_is_rendered_once_and_then_served_from_disk(
    world: World, evaluated: Path
) -> None:
    run = evaluation_run_from(source=evaluated)
    client = client_of(world, "researcher")
    response = client.get(f"/evaluaties/{run.pk}/rapport/nl.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert f"eindrapportage-run-{run.pk}.html" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert b'lang="nl"' in body
    path = run_dir(run) / "reports" / "nl" / "eindrapportage.html"
    stamp = path.stat().st_mtime_ns
    again = client.get(f"/evaluaties/{run.pk}/rapport/nl.html")
    assert b"".join(again.streaming_content) == body
    assert path.stat().st_mtime_ns == stamp
    pdf = client.get(f"/evaluaties/{run.pk}/rapport/en.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(f"/evaluaties/{run.pk}/rapport/fr.pdf").status_code == 404
    assert client_of(world, "coordinator_own").get(
        f"/evaluaties/{run.pk}/rapport/nl.html"
    ).status_code == 403  # fmt: skip


# --- cost–benefit --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cost_benefit_page_of_a_coordinators_region(world: World, evaluated: Path) -> None:
    run = evaluation_run_from(source=evaluated)
    own = client_of(world, "coordinator_own")
    page = own.get(f"/evaluaties/{run.pk}/kosten-baten/").content.decode()
    assert "Resultaat voor Rivierenland" in page
    assert "data:image/svg+xml;base64," in page
    assert "<script" not in page.split("<main")[1]
    assert "Alle regio" not in page  # a coordinator cannot choose all regions
    assert "Uurtarief trainer" in page
    assert "Schaap et al. 2023" in page
    url = f"/evaluaties/{run.pk}/kosten-baten/"
    assert own.get(url, {"region": "R11"}).status_code == 404
    assert own.get(url, {"region": ""}).status_code == 404
    assert client_of(world, "coordinator_other").get(url, {"region": "R10"}).status_code == 404
    researcher = client_of(world, "researcher").get(url).content.decode()
    assert "Resultaat voor alle regio" in researcher


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        ("nl", ["Kies een waarde groter dan 70 en kleiner dan 130.", "Voer een getal in.",
                "Kies een waarde van 0 tot 0,03."]),
        ("en", ["Choose a value greater than 70 and less than 130.", "Enter a number.",
                "Choose a value from 0 to 0.03."]),
    ],
)  # fmt: skip
def test_the_cost_benefit_form_checks_every_value(
    world: World, evaluated: Path, lang: str, messages: list[str]
) -> None:
    run = evaluation_run_from(source=evaluated)
    client = client_of(world, "researcher")
    url = f"/evaluaties/{run.pk}/kosten-baten/"
    bad = {"region": "R10", "trainer_hourly_rate": "500", "venue_per_meeting": "veel",
           "discount_rate": "0,05" if lang == "nl" else "0.05"}  # fmt: skip
    response = client.get(url, bad, HTTP_ACCEPT_LANGUAGE=lang)
    page = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in page
    assert 'aria-invalid="true"' in page
    assert "data:image/svg" not in page

    good = {"region": "R10", "trainer_hourly_rate": "120" if lang == "en" else "120,0"}
    page = client.get(url, good, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert (
        "Trainer&#x27;s hourly rate = 120" if lang == "en" else "Uurtarief trainer = 120"
    ) in page
    assert "data:image/svg" in page
