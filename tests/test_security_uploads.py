"""Uploads are checked for type by their content, not their name, and for size.

Each bad file goes through the real import page as a coordinator would upload it; the page
says what is wrong in Dutch (and English for an English browser) and nothing is stored.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.registry.models import ImportBatch
from mentorwijs.web.registry.testing import World, world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return world_build()


def upload(world: World, name: str, content: bytes, lang: str = "nl") -> str:
    client = verified_login(Client(HTTP_ACCEPT_LANGUAGE=lang), world.users["coordinator_own"])
    response = client.post(
        "/registratie/import/",
        {"region": "R10", "kind": "supervisors", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200  # the form again, with the message
    assert not ImportBatch.objects.filter(filename=name).exists()
    return response.content.decode()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lijst.csv", b"%PDF-1.7\n...", "het bestand heet .csv maar is een pdf"),
        ("lijst.csv", b"\x89PNG\r\n\x1a\n....", "het bestand heet .csv maar is een afbeelding"),
        ("lijst.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
         "het bestand heet .xlsx maar is een oud Excel-bestand (.xls)"),
        ("lijst.csv", b"MZ\x90\x00\x03", "het bestand heet .csv maar is een programma"),
        ("lijst.csv", zip_bytes({"a.txt": b"x"}), "het bestand heet .csv maar is een zip-bestand"),
        ("lijst.xlsx", zip_bytes({"a.txt": b"x"}), "een zip-bestand zonder werkmap"),
        ("lijst.xlsx", b"naam;e-mail\nAnna;a@b.nl\n", "het bestand heet .xlsx maar is geen Excel"),
        ("lijst.csv", b"naam;e-mail\x00\x00\nAnna;a\x00", "bevat geen tekst"),
    ],
)  # fmt: skip
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    world: World, name: str, content: bytes, message: str
) -> None:
    assert message in upload(world, name, content)


def test_the_refusal_is_in_english_for_an_english_browser(world: World) -> None:
    page = upload(world, "lijst.csv", b"%PDF-1.7", lang="en")
    assert "the file is named .csv but is a PDF" in page


def test_a_file_over_five_megabytes_is_refused_before_it_is_read(world: World) -> None:
    big = b"naam;e-mail\n" + b"Anna;anna@example.org\n" * 260_000
    assert len(big) > 5 * 1024 * 1024
    assert "Het bestand is groter dan 5 MB" in upload(world, "groot.csv", big)
    assert "The file is larger than 5 MB" in upload(world, "groot.csv", big, lang="en")


def test_a_workbook_that_unpacks_to_a_huge_size_is_refused(world: World) -> None:
    bomb = zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
         "xl/worksheets/sheet1.xml": b"\x00" * (70 * 1024 * 1024)}
    )  # fmt: skip
    assert len(bomb) < 1024 * 1024  # small on the wire ...
    assert "pakt uit tot meer dan 60 MB" in upload(world, "bom.xlsx", bomb)  # ... refused
