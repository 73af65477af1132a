"""Read an uploaded CSV or Excel (.xlsx) file into a header and rows of text."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from mentorwijs.web.errors import ImportFileError

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
#: An .xlsx is a zip: what it may unpack to, against zip bombs.
MAX_UNPACKED = 60 * 1024 * 1024
#: The first bytes of files that are often uploaded by mistake (or on purpose) under another name.
SIGNATURES = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel file (.xls)",
        "een oud Excel-bestand (.xls)",
    ),
    (b"%PDF", "a PDF", "een pdf"),
    (b"\x89PNG", "an image", "een afbeelding"),
    (b"\xff\xd8\xff", "an image", "een afbeelding"),
    (b"GIF8", "an image", "een afbeelding"),
    (b"MZ", "a program", "een programma"),
    (b"\x7fELF", "a program", "een programma"),
    (b"PK\x03\x04", "a zip file", "een zip-bestand"),
    (b"{\\rtf", "a Word document", "een Word-document"),
)


def _sniff(suffix: str, content: bytes) -> None:
    """Refuse a file whose content is not what its name says (.csv text, .xlsx workbook)."""
    if suffix == ".xlsx" and content.startswith(b"PK\x03\x04"):
        _check_workbook_zip(content)
        return
    for magic, what_en, what_nl in SIGNATURES:
        if content.startswith(magic):
            raise ImportFileError(
                f"the file is named {suffix} but is {what_en}; save the sheet as .csv or "
                ".xlsx and upload that",
                f"het bestand heet {suffix} maar is {what_nl}; sla het blad op als .csv of "
                ".xlsx en lees dat in",
            )
    if suffix == ".xlsx":
        raise ImportFileError(
            "the file is named .xlsx but is not an Excel workbook; save it again as .xlsx",
            "het bestand heet .xlsx maar is geen Excel-werkmap; sla het opnieuw op als .xlsx",
        )
    if b"\x00" in content[:65536]:
        raise ImportFileError(
            "the file is named .csv but does not hold text; save the sheet as .csv (text)",
            "het bestand heet .csv maar bevat geen tekst; sla het blad op als .csv (tekst)",
        )


def _check_workbook_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(
            "the file cannot be read as an Excel workbook (.xlsx)",
            "het bestand is geen leesbaar Excel-bestand (.xlsx)",
        ) from exc
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            "the file is named .xlsx but is a zip file without a workbook; save the sheet as .xlsx",
            "het bestand heet .xlsx maar is een zip-bestand zonder werkmap; sla het blad op als "
            ".xlsx",
        )
    if unpacked > MAX_UNPACKED:
        raise ImportFileError(
            "the workbook unpacks to more than 60 MB; split it into smaller files",
            "de werkmap pakt uit tot meer dan 60 MB; splits hem in kleinere bestanden",
        )


def _cell(value: Any) -> str:
    """An Excel cell as the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            "the file cannot be read as an Excel workbook (.xlsx)",
            "het bestand is geen leesbaar Excel-bestand (.xlsx)",
        ) from exc
    sheet = book.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError("the file is not text", "het bestand is geen tekst")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)  # Dutch Excel writes ';'
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def table_read(*, filename: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a .csv or .xlsx file, every cell as text.

    Raises
    ------
    ImportFileError
        Another kind of file (by name or by content), unreadable, too big, no header,
        duplicate or empty column names, no data rows, or more than ``MAX_ROWS`` rows.
    """
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            "the file is larger than 5 MB; split it into smaller files",
            "het bestand is groter dan 5 MB; splits het in kleinere bestanden",
        )
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            "only .csv and .xlsx files can be imported; save the sheet as one of these",
            "alleen .csv- en .xlsx-bestanden kunnen worden ingelezen; sla het blad op als een "
            "van die twee",
        )
    _sniff(suffix, content)
    rows = _read_csv(content) if suffix == ".csv" else _read_xlsx(content)
    while rows and not any(rows[-1]):
        rows.pop()  # trailing empty rows; empty rows in between keep the row numbers right
    if not rows:
        raise ImportFileError("the file is empty", "het bestand is leeg")
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    if not header or "" in header:
        raise ImportFileError(
            "every column needs a name in the first row",
            "elke kolom moet in de eerste rij een naam hebben",
        )
    if len(set(header)) != len(header):
        raise ImportFileError(
            "two columns have the same name in the first row",
            "twee kolommen hebben in de eerste rij dezelfde naam",
        )
    data = [(row + [""] * len(header))[: len(header)] for row in rows[1:]]
    if not any(any(row) for row in data):
        raise ImportFileError(
            "the file has a header but no rows", "het bestand heeft kopjes maar geen rijen"
        )
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            f"the file has more than {MAX_ROWS} rows; split it",
            f"het bestand heeft meer dan {MAX_ROWS} rijen; splits het",
        )
    return header, data
