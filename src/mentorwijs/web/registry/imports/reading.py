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
        Another kind of file, unreadable, too big, no header, duplicate or empty column
        names, no data rows, or more than ``MAX_ROWS`` rows.
    """
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            "the file is larger than 5 MB; split it into smaller files",
            "het bestand is groter dan 5 MB; splits het in kleinere bestanden",
        )
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(content)
    elif suffix == ".xlsx":
        rows = _read_xlsx(content)
    else:
        raise ImportFileError(
            "only .csv and .xlsx files can be imported; save the sheet as one of these",
            "alleen .csv- en .xlsx-bestanden kunnen worden ingelezen; sla het blad op als een "
            "van die twee",
        )
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
