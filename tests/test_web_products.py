"""The products of an evaluation run in the site: a researcher makes them with one button and
downloads every product, language and format; a coordinator downloads the factsheet of their
own region and no other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.runs.paths import run_dir
from mentorwijs.web.runs.testing import evaluated_study_build, evaluation_run_from


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return evaluated_study_build(out=tmp_path_factory.mktemp("products-eval"))


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


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_researcher_makes_every_product_with_one_button(world: World, evaluated: Path) -> None:
    run = evaluation_run_from(source=evaluated)
    researcher = client_of(world, "researcher")
    page = researcher.get(f"/evaluaties/{run.pk}/").content.decode()
    assert "Alle producten maken" in page
    assert "wordt gemaakt bij downloaden" in page  # nothing made yet
    done = researcher.post(f"/evaluaties/{run.pk}/producten/", follow=True)
    assert done.redirect_chain[-1][0] == f"/evaluaties/{run.pk}/"
    assert "De producten zijn klaar: 24 bestanden" in done.content.decode()
    made = sorted(p.name for p in (run_dir(run) / "reports").rglob("*.*"))
    stems = ("eindrapportage", "factsheet.nl", "praktijkgids", "uitkomsten-makkelijk-lezen",
             "final-report", "factsheet.en", "practice-guide", "findings-easy-read")  # fmt: skip
    assert made == sorted(f"{stem}.{fmt}" for stem in stems for fmt in ("html", "pdf", "docx"))
    page = done.content.decode()
    assert "wordt gemaakt bij downloaden" not in page
    assert page.count('class="ready"') == 24
    word = researcher.get(f"/evaluaties/{run.pk}/producten/factsheet/en.docx")
    assert f"factsheet.en-run-{run.pk}.docx" in word["Content-Disposition"]
    path = run_dir(run) / "word.docx"
    path.write_bytes(body(word))
    headings = [p.text for p in docx.Document(path).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Key figures"
    pdf = researcher.get(f"/evaluaties/{run.pk}/producten/rapport/nl.pdf")
    assert body(pdf).startswith(b"%PDF")
    guide = researcher.get(f"/evaluaties/{run.pk}/producten/praktijkgids/nl.html")
    assert f"praktijkgids-run-{run.pk}.html" in guide["Content-Disposition"]
    easy = researcher.get(f"/evaluaties/{run.pk}/producten/makkelijk-lezen/en.pdf")
    assert body(easy).startswith(b"%PDF")
    assert researcher.get(f"/evaluaties/{run.pk}/producten/gids/nl.pdf").status_code == 404
    assert researcher.get(f"/evaluaties/{run.pk}/producten/factsheet/nl.odt").status_code == 404
    # the run page links the regional factsheets
    assert f"/evaluaties/{run.pk}/factsheets/" in page
    assert "De factsheet van elke regio (2 regio" in page


@pytest.mark.django_db
def test_a_coordinator_downloads_the_factsheet_of_their_own_region_only(
    world: World, evaluated: Path
) -> None:
    run = evaluation_run_from(source=evaluated)
    own = client_of(world, "coordinator_own")
    listing = own.get("/evaluaties/").content.decode()
    assert f"/evaluaties/{run.pk}/factsheets/" in listing
    page = own.get(f"/evaluaties/{run.pk}/factsheets/").content.decode()
    assert "Rivierenland (R10)" in page
    assert "FoodValley" not in page
    assert "/R11/" not in page
    response = own.get(f"/evaluaties/{run.pk}/factsheets/R10/nl.pdf")
    assert response.status_code == 200
    assert f"factsheet-R10.nl-run-{run.pk}.pdf" in response["Content-Disposition"]
    assert body(response).startswith(b"%PDF")
    html = body(own.get(f"/evaluaties/{run.pk}/factsheets/R10/en.html")).decode()
    assert "labour-market region Rivierenland (R10)" in html
    assert own.get(f"/evaluaties/{run.pk}/factsheets/R11/nl.pdf").status_code == 404
    assert own.get(f"/evaluaties/{run.pk}/factsheets/R99/nl.pdf").status_code == 404
    assert own.get(f"/evaluaties/{run.pk}/producten/factsheet/nl.pdf").status_code == 403
    other = client_of(world, "coordinator_other")
    assert "Rivierenland" not in other.get(f"/evaluaties/{run.pk}/factsheets/").content.decode()
    assert other.get(f"/evaluaties/{run.pk}/factsheets/R10/nl.pdf").status_code == 404
    everything = client_of(world, "researcher").get(f"/evaluaties/{run.pk}/factsheets/")
    rows = [s.split("</th>")[0] for s in everything.content.decode().split('<th scope="row">')[1:]]
    assert rows == ["Rivierenland (R10)", "FoodValley (R11)"]
    trainer = client_of(world, "trainer_own")
    assert trainer.get(f"/evaluaties/{run.pk}/factsheets/R10/nl.pdf").status_code == 403
