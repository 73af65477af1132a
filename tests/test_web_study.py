"""The study database: load a package, export it again, and show it to a logged-in user."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import Client

from mentorwijs.simulation import simulate_package
from mentorwijs.studydata import InvalidStudyPackageError, read_package
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.errors import StudyDataPresentError
from mentorwijs.web.study import models as m
from mentorwijs.web.study.selectors import package_export, study_meta
from mentorwijs.web.study.services import package_load


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate_package(tmp_path_factory.mktemp("web") / "pkg", seed=7)


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (m.Region, m.Supervisor, m.Invitation, m.Response, m.RegisterMonth)
    }


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_every_table_of_a_simulated_study(simulated: Path, tmp_path: Path) -> None:
    counts = package_load(path=simulated)
    assert counts["supervisors"] == 164
    out = package_export(out=tmp_path / "export")
    before, after = read_package(simulated), read_package(out)
    for name, table in before.tables.items():
        pdt.assert_frame_equal(after.tables[name], table, obj=name)
    assert after.meta == before.meta


@pytest.mark.django_db(transaction=True)
def test_the_exported_csv_files_are_byte_identical(simulated: Path, tmp_path: Path) -> None:
    package_load(path=simulated)
    out = package_export(out=tmp_path / "export")
    for file in simulated.glob("*.csv"):
        assert (out / file.name).read_bytes() == file.read_bytes(), file.name


@pytest.mark.django_db(transaction=True)
def test_an_invalid_package_writes_nothing(tiny_package: Path) -> None:
    path = tiny_package / "employees.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.assign(supervisor_id=["S1", "S9"]).to_csv(path, index=False)
    with pytest.raises(InvalidStudyPackageError):
        package_load(path=tiny_package)
    assert set(row_counts().values()) == {0}
    assert study_meta() is None


@pytest.mark.django_db(transaction=True)
def test_loading_twice_without_replace_is_refused_and_keeps_the_data(tiny_package: Path) -> None:
    package_load(path=tiny_package)
    before = row_counts()
    with pytest.raises(StudyDataPresentError):
        package_load(path=tiny_package)
    assert row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_failure_halfway_rolls_everything_back(tiny_package: Path) -> None:
    package_load(path=tiny_package)
    before = row_counts()
    # Two employees linked to one register person passes the schema but breaks the
    # database's one-to-one rule while employees are inserted, after regions, supervisors
    # and the old data's deletion: all of it must be rolled back.
    path = tiny_package / "employees.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.assign(register_person_id=["P001", "P001"]).to_csv(path, index=False)
    with pytest.raises(IntegrityError):
        package_load(path=tiny_package, replace=True)
    assert row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_replace_loads_the_same_counts_again(tiny_package: Path) -> None:
    first = package_load(path=tiny_package)
    again = package_load(path=tiny_package, replace=True, extra_meta={"demo": True})
    assert again == first
    assert study_meta() == {**read_package(tiny_package).meta, "demo": True}


@pytest.mark.django_db(transaction=True)
def test_replace_takes_the_old_invitations_links_and_deliveries_along(tiny_package: Path) -> None:
    """Links point at invitations: replacing the study data replaced them too (it raised an
    IntegrityError before). A person's consent decisions are theirs and stay."""
    from mentorwijs.web.invitations.models import Delivery
    from mentorwijs.web.survey.models import Consent, Link
    from mentorwijs.web.survey.testing import respondent_link

    package_load(path=tiny_package)
    link, _token = respondent_link(pseudonym="S-LINKED", consent=True)
    Delivery.objects.create(link=link, kind="invitation", channel="email")
    consents = Consent.objects.count()
    package_load(path=tiny_package, replace=True)
    assert (Link.objects.count(), Delivery.objects.count()) == (0, 0)
    assert Consent.objects.count() == consents > 0


@pytest.mark.django_db
def test_the_overview_needs_a_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


@pytest.mark.django_db
def test_the_overview_shows_the_study_in_dutch_and_english(tiny_package: Path) -> None:
    package_load(path=tiny_package)
    user = get_user_model().objects.create_user("onderzoeker", password="geheim-wachtwoord")
    client = Client()
    verified_login(client, user)
    nl = client.get("/").content.decode()
    assert '<html lang="nl">' in nl
    assert "Rivierenland" in nl
    assert "Respons per meting" in nl
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in en
    assert "Response per wave" in en


@pytest.mark.django_db
def test_the_login_page_is_dutch_by_default() -> None:
    page = Client().get("/inloggen/").content.decode()
    assert "Inloggen" in page
    assert "Gebruikersnaam" in page
