"""Bulk import from real .csv and .xlsx files: preview, mapping, row errors, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.models import (
    EmployeeIdentity,
    ImportBatch,
    OrganisationIdentity,
    SupervisorIdentity,
)
from mentorwijs.web.registry.testing import World, world_build
from mentorwijs.web.study import models as m

pytestmark = pytest.mark.django_db

SUPERVISORS = [
    ["Naam", "E-mail", "Werkgever", "Geslacht", "Leeftijd", "Jaren ervaring"],
    ["Dirk de Boer", "dirk@korenaar.example", "Bakkerij De Korenaar", "man", "51", "20"],
    ["Fatima El Amrani", "fatima@korenaar.example", "O-KORENAAR", "vrouw", "38", "4"],
]


@pytest.fixture
def world(db) -> World:
    return world_build()


@pytest.fixture
def coordinator(world: World) -> Client:
    client = Client()
    verified_login(client, world.users["coordinator_own"])
    return client


def csv_bytes(rows: list[list[object]], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, name: str, content: bytes, kind: str = "supervisors"):
    file = SimpleUploadedFile(name, content)
    return client.post("/registratie/import/", {"region": "R10", "kind": kind, "file": file})


def review(client: Client, response, action: str, **mapping: str):
    """Post the mapping the page proposes (changed by ``mapping``) with an action."""
    url = response["Location"]
    proposed = client.get(url).context["form"].initial
    data = {k.removeprefix("map_"): v for k, v in proposed.items()} | mapping
    return client.post(url, {f"map_{k}": v for k, v in data.items()} | {"action": action})


def counts() -> tuple[int, ...]:
    return (
        m.Supervisor.objects.count(),
        SupervisorIdentity.objects.count(),
        m.Organisation.objects.count(),
        m.Employee.objects.count(),
        m.TrainingGroup.objects.count(),
    )


def test_it_imports_a_valid_csv_of_supervisors(coordinator: Client) -> None:
    before = counts()
    started = upload(coordinator, "leidinggevenden.csv", csv_bytes(SUPERVISORS))
    assert started.status_code == 302
    preview = coordinator.get(started["Location"]).content.decode()
    assert "Fatima El Amrani" in preview
    checked = review(coordinator, started, "check")
    assert "2 rijen zijn klaar om in te lezen." in checked.content.decode()
    assert counts() == before
    done = review(coordinator, started, "commit")
    assert done.status_code == 302
    dirk = SupervisorIdentity.objects.by_email("dirk@korenaar.example").get().supervisor
    assert (dirk.organisation_id, dirk.sex, dirk.age, dirk.years_experience) == (
        "O-KORENAAR",
        "m",
        51,
        20,
    )
    assert counts()[0] == before[0] + 2


def test_it_imports_a_valid_xlsx_with_real_dates_and_numbers(coordinator: Client) -> None:
    rows = [
        ["Aanbieder", "Trainer 1", "Trainer 2", "Vorm", "Plaatsen", "Startdatum", "Tijd", "Plaats"],
        ["Trainingsbureau Wijs", "Tess Trainer", "TR-2", "fysiek", 12, datetime(2031, 3, 3),
         "18:30", "Werkplein Tiel"],
        ["P-1", "TR-2", "", "online", 8.0, "10-03-2031", "", ""],
    ]  # fmt: skip
    started = upload(coordinator, "groepen.xlsx", xlsx_bytes(rows), kind="training_groups")
    assert started.status_code == 302
    done = review(coordinator, started, "commit")
    assert done.status_code == 302
    first = m.TrainingGroup.objects.get(start_date=date(2031, 3, 3))
    assert (first.trainer_1_id, first.trainer_2_id, first.capacity) == ("TR-1", "TR-2", 12)
    assert first.meetings.count() == 5
    assert first.meetings.get(meeting_no=5).date == date(2031, 3, 31)
    second = m.TrainingGroup.objects.get(start_date=date(2031, 3, 10))
    assert (second.mode, second.trainer_2_id) == ("online", None)


def test_it_imports_organisations_then_employees(coordinator: Client) -> None:
    orgs = [
        ["Naam", "Soort", "Sector", "Grootte", "SW"],
        ["Garage Linge", "werkgever", "zorg", "klein", "nee"],
    ]
    review(coordinator, upload(coordinator, "o.csv", csv_bytes(orgs), "organisations"), "commit")
    garage = OrganisationIdentity.objects.by_name("Garage Linge").get().organisation
    assert (garage.kind, garage.region_id, garage.sector, garage.sheltered) == (
        "employer", "R10", "care", False,
    )  # fmt: skip
    employees = [
        ["Naam", "Leidinggevende", "Toestemming vragenlijst", "Toestemming koppeling", "Beperking"],
        ["Gijs Kok", "anna.devries@korenaar.example", "ja", "nee", "psychisch"],
    ]
    review(coordinator, upload(coordinator, "e.xlsx", xlsx_bytes(employees), "employees"), "commit")
    gijs = EmployeeIdentity.objects.by_name("Gijs Kok").get().employee
    assert (gijs.supervisor_id, gijs.consent_questionnaire, gijs.consent_register) == (
        "S-ANNA", True, False,
    )  # fmt: skip
    assert gijs.disability == "psychological"


# Each kind of error in one row of an otherwise valid file: (row to add, message expected).
BAD_ROWS = {
    "empty required": (["", "x@korenaar.example", "O-KORENAAR", "", "", ""], "Vul “Naam” in."),
    "not a number": (
        ["Piet", "", "O-KORENAAR", "", "veertig", ""],
        "“veertig” is geen heel getal.",
    ),
    "out of range": (["Piet", "", "O-KORENAAR", "", "12", ""], "moet tussen 16 en 80 liggen"),
    "unknown option": (
        ["Piet", "", "O-KORENAAR", "onbekend", "", ""],
        "is geen van de mogelijkheden",
    ),
    "bad e-mail": (["Piet", "piet@", "O-KORENAAR", "", "", ""], "“piet@” is geen e-mailadres."),
    "unknown reference": (
        ["Piet", "", "Zorggroep Vallei", "", "", ""],
        "Er is geen werkgever “Zorggroep Vallei”",
    ),
    "duplicate in file": (
        ["Dirk 2", "DIRK@korenaar.example", "O-KORENAAR", "", "", ""],
        "staat al in rij 2",
    ),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind_of_error", list(BAD_ROWS))
def test_one_bad_row_stores_nothing_and_is_named_with_its_row(
    coordinator: Client, fmt: str, kind_of_error: str
) -> None:
    row, message = BAD_ROWS[kind_of_error]
    rows = [*SUPERVISORS, row]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    before = counts()
    started = upload(coordinator, f"leidinggevenden.{fmt}", content)
    response = review(coordinator, started, "commit")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<td>4</td>" in page  # the spreadsheet row of the bad line (header is row 1)
    assert "er is niets opgeslagen" in page
    assert counts() == before


def test_an_unmapped_required_column_is_reported_and_nothing_is_stored(coordinator: Client) -> None:
    started = upload(coordinator, "l.csv", csv_bytes(SUPERVISORS))
    response = review(coordinator, started, "commit", organisation="")
    assert response.status_code == 400
    assert "Kies de kolom met “Werkgever”: die is verplicht." in response.content.decode()
    assert not SupervisorIdentity.objects.by_name("Dirk de Boer").exists()


def test_one_column_for_two_fields_is_refused(coordinator: Client) -> None:
    started = upload(coordinator, "l.csv", csv_bytes(SUPERVISORS))
    response = review(coordinator, started, "check", phone="E-mail")
    assert "Deze kolom is voor meer dan één veld gekozen." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leidinggevenden.pdf", b"%PDF-1.4", "alleen .csv- en .xlsx-bestanden"),
        ("leeg.csv", b"", "bestand is leeg"),
        ("kapot.xlsx", b"PK\x03\x04 not really a workbook", "geen leesbaar Excel-bestand"),
        ("kop.csv", b"Naam;E-mail\n", "kopjes maar geen rijen"),
        ("dubbel.csv", b"Naam;Naam\nA;B\n", "dezelfde naam"),
    ],
)
def test_an_unreadable_file_is_refused_in_plain_dutch(
    coordinator: Client, name, content, message
) -> None:
    response = upload(coordinator, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.filter(filename=name).exists()


def test_the_errors_are_in_english_for_an_english_browser(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    verified_login(client, world.users["coordinator_own"])
    rows = [*SUPERVISORS, ["Piet", "", "O-KORENAAR", "", "veertig", ""]]
    response = review(client, upload(client, "l.csv", csv_bytes(rows)), "commit")
    page = response.content.decode()
    assert "“veertig” is not a whole number." in page
    assert "nothing was stored" in page


def test_a_file_is_imported_once_only(coordinator: Client) -> None:
    started = upload(coordinator, "l.csv", csv_bytes(SUPERVISORS))
    review(coordinator, started, "commit")
    before = counts()
    again = review(coordinator, started, "commit")
    assert again.status_code == 200
    assert counts() == before
