"""Import a REDCap data dictionary (CSV) as a protocol, and export a protocol as one.

The mapping, and what is not supported, is in docs/protocol.md. Every field that is not taken
over exactly gets a message in the import report; nothing is dropped silently.

A dictionary written by :func:`export_dictionary` carries what REDCap has no column for
(English and easy-read texts, pictograms, reverse coding, scales, waves, role) as JSON after
``@MENTORWIJS=`` in the Field Annotation; REDCap ignores it, and importing the file gives the
same protocol back. The REDCap columns win over that annotation where both say something.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mentorwijs.protocol.branching import UnsupportedLogicError, from_redcap, renamed
from mentorwijs.protocol.errors import InvalidInstrumentFileError
from mentorwijs.protocol.importing import ImportResult, ProtocolBuilder
from mentorwijs.protocol.models import Protocol, Role
from mentorwijs.protocol.redcap_export import COLUMNS, MARKER, export_dictionary
from mentorwijs.protocol.redcap_fields import FieldMapper

__all__ = ["COLUMNS", "export_dictionary", "import_dictionary", "read_dictionary"]

#: Accepted spellings of each column: the header of REDCap's CSV download, and the names of
#: REDCap's API (``field_name`` …). Matching ignores case and surrounding spaces.
_ALIASES: dict[str, tuple[str, ...]] = {
    "field_name": ("variable / field name", "field_name"),
    "form_name": ("form name", "form_name"),
    "section_header": ("section header", "section_header"),
    "field_type": ("field type", "field_type"),
    "field_label": ("field label", "field_label"),
    "choices": ("choices, calculations, or slider labels", "select_choices_or_calculations"),
    "field_note": ("field note", "field_note"),
    "validation": (
        "text validation type or show slider number",
        "text_validation_type_or_show_slider_number",
    ),
    "min": ("text validation min", "text_validation_min"),
    "max": ("text validation max", "text_validation_max"),
    "identifier": ("identifier?", "identifier"),
    "branching": ("branching logic (show field only if...)", "branching logic", "branching_logic"),
    "required": ("required field?", "required_field"),
    "alignment": ("custom alignment", "custom_alignment"),
    "question_number": (
        "question number (surveys only)",
        "question number",
        "question_number",
    ),
    "matrix_group": ("matrix group name", "matrix_group_name"),
    "matrix_ranking": ("matrix ranking?", "matrix_ranking"),
    "annotation": ("field annotation", "field_annotation"),
}
_REQUIRED = ("field_name", "form_name", "field_type", "field_label")


def _decode(raw: bytes, source: str) -> str:
    if not raw.strip():
        raise InvalidInstrumentFileError(source, "the file is empty", "het bestand is leeg")
    if b"\x00" in raw[:4096]:
        raise InvalidInstrumentFileError(
            source,
            "this is not a CSV text file (it holds binary data); export the data dictionary "
            "from REDCap as CSV",
            "dit is geen CSV-tekstbestand (het bevat binaire gegevens); download het "
            "datawoordenboek uit REDCap als CSV",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_dictionary(text: str, *, source: str = "dictionary") -> list[tuple[int, dict[str, str]]]:
    """The rows of a REDCap data dictionary, keyed by column (``field_name``, …).

    Rows are numbered from 1 after the header. Raises :class:`InvalidInstrumentFileError`
    when the header lacks a required column.
    """
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InvalidInstrumentFileError(
            source, f"not a readable CSV file ({exc})", f"geen leesbaar CSV-bestand ({exc})"
        ) from exc
    header = [h.strip().lower() for h in rows[0]]
    where: dict[str, int] = {}
    for key, names in _ALIASES.items():
        for i, h in enumerate(header):
            if h in names:
                where[key] = i
                break
    missing = [_ALIASES[k][0] for k in _REQUIRED if k not in where]
    if missing:
        expected = ", ".join(f'"{n.title()}"' for n in (a[0] for a in _ALIASES.values()))
        raise InvalidInstrumentFileError(
            source,
            f"the columns {', '.join(missing)} are missing: this is not a REDCap data "
            f"dictionary (its header is {expected}; found {', '.join(rows[0][:6])}…)",
            f"de kolommen {', '.join(missing)} ontbreken: dit is geen REDCap-datawoordenboek "
            f"(de kop is {expected}; gevonden {', '.join(rows[0][:6])}…)",
        )
    out = []
    for n, row in enumerate(rows[1:], start=1):
        if not any(c.strip() for c in row):
            continue
        out.append((n, {k: (row[i].strip() if i < len(row) else "") for k, i in where.items()}))
    if not out:
        raise InvalidInstrumentFileError(
            source, "the dictionary has a header but no fields", "het woordenboek heeft geen velden"
        )
    return out


def _annotation(text: str) -> tuple[dict[str, Any], str]:
    """Split a Field Annotation into the Mentorwijs JSON and the rest."""
    at = text.find(MARKER)
    if at < 0:
        return {}, text.strip()
    try:
        data, end = json.JSONDecoder().raw_decode(text, at + len(MARKER))
    except json.JSONDecodeError:
        return {}, text.strip()
    rest = (text[:at] + text[end:]).strip()
    return (data if isinstance(data, dict) else {}), rest


def import_dictionary(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    base: Protocol | None = None,
    role: Role = "supervisor",
    waves: Sequence[str] | None = None,
    version: str | None = None,
) -> ImportResult:
    """Read a REDCap data dictionary and map it to a protocol.

    Parameters
    ----------
    source
        A path, or the file's bytes.
    name
        The file name used in messages (default: the path).
    base
        The protocol whose waves, invitation policy and consent texts are taken over (the
        shipped one by default).
    role, waves
        Who answers the instruments and in which waves, where the dictionary does not say.
    version
        The version of the new protocol.

    Returns
    -------
    ImportResult
        ``.protocol`` (validated) and ``.messages`` (one per field not taken over exactly).

    Raises
    ------
    InvalidInstrumentFileError
        The file cannot be read, is empty, or is not a REDCap data dictionary.
    """
    label = name or (str(source) if not isinstance(source, bytes) else "dictionary")
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise InvalidInstrumentFileError(
                label,
                f"it cannot be read ({exc.strerror})",
                f"het is niet te lezen ({exc.strerror})",
            ) from exc
    rows = read_dictionary(_decode(raw, label), source=label)
    first_row, first = rows[0]
    exported = _annotation(first.get("annotation", ""))[0].get("version")
    builder = ProtocolBuilder(
        source=label, base=base, role=role, waves=waves, version=version or exported
    )
    mapper = FieldMapper(builder)
    builder.note(
        "info",
        first["form_name"],
        first["field_name"],
        first_row,
        "the first field is REDCap's record identifier, not a question; left out",
        "het eerste veld is de recordsleutel van REDCap, geen vraag; weggelaten",
    )
    rows = rows[1:]
    names = [r["field_name"].lower() for _, r in rows]
    checkboxes = {r["field_name"].lower() for _, r in rows if r["field_type"].lower() == "checkbox"}
    mapper.prepare(rows)
    one_language = False
    codes: dict[str, str] = {}  # REDCap name -> item code (they differ after a rename)
    for n, r in rows:
        blob, rest = _annotation(r.get("annotation", ""))
        r = {**r, "annotation": rest}
        item, form = mapper.item(n, r, blob)
        if item is None:
            continue
        codes[r["field_name"].lower()] = item["code"]
        one_language = one_language or not blob
        cond = None
        logic = r.get("branching", "")
        if logic:
            try:
                cond = renamed(
                    from_redcap(logic, known=names, checkboxes=checkboxes, code_of=mapper.code_of),
                    codes,
                )
            except UnsupportedLogicError as exc:
                builder.note(
                    "warning",
                    form,
                    item["code"],
                    n,
                    f"the branching logic {logic!r} is left out: {exc.en}; the item is always "
                    "shown",
                    f"de vertakking {logic!r} is weggelaten: {exc.nl}; het item wordt altijd "
                    "getoond",
                )
        builder.add_item(form, item, row=n, condition=cond)
    if one_language:
        builder.note(
            "info",
            "",
            "",
            None,
            "REDCap labels have one language: the Dutch and English texts are both the "
            "label; translate them in the protocol file",
            "REDCap-labels hebben één taal: de Nederlandse en Engelse tekst zijn allebei het "
            "label; vertaal ze in het protocolbestand",
        )
    return builder.build()
