"""Plain-language messages of the validator, in Dutch and English."""

from __future__ import annotations

from mentorwijs.studydata.errors import Problem

MESSAGES: dict[str, tuple[str, str]] = {
    "no_descriptor": (
        "De map bevat geen datapackage.json. Is dit wel een studiedatapakket?",
        "The folder has no datapackage.json. Is this a study data package?",
    ),
    "bad_descriptor": (
        "datapackage.json is geen geldige JSON: {detail}.",
        "datapackage.json is not valid JSON: {detail}.",
    ),
    "bad_meta": (
        "datapackage.json mist '{key}' onder 'mentorwijs' of de waarde is geen maand (JJJJ-MM).",
        "datapackage.json lacks '{key}' under 'mentorwijs', or its value is not a month (YYYY-MM).",
    ),
    "missing_table": (
        "De tabel ontbreekt: het bestand {path} bestaat niet.",
        "The table is missing: the file {path} does not exist.",
    ),
    "unknown_table": (
        "Onbekende tabel '{name}': deze hoort niet bij een studiedatapakket.",
        "Unknown table '{name}': it is not part of a study data package.",
    ),
    "unreadable_table": (
        "Het bestand kan niet gelezen worden: {detail}.",
        "The file cannot be read: {detail}.",
    ),
    "missing_column": (
        "De kolom ontbreekt.",
        "The column is missing.",
    ),
    "unknown_column": (
        "Onbekende kolom: deze staat niet in het schema van de tabel.",
        "Unknown column: it is not in the table's schema.",
    ),
    "wrong_type": (
        "'{value}' is geen {type_nl}.",
        "'{value}' is not {type_en}.",
    ),
    "wrong_column_type": (
        "De kolom heeft type {found}, maar moet {type_nl} bevatten.",
        "The column has type {found}, but must hold {type_en}.",
    ),
    "required": (
        "Hier moet een waarde staan.",
        "A value is required here.",
    ),
    "enum": (
        "'{value}' is geen toegestane waarde; kies uit: {allowed}.",
        "'{value}' is not an allowed value; choose from: {allowed}.",
    ),
    "minimum": (
        "{value} is kleiner dan het minimum {limit}.",
        "{value} is below the minimum {limit}.",
    ),
    "maximum": (
        "{value} is groter dan het maximum {limit}.",
        "{value} is above the maximum {limit}.",
    ),
    "pattern": (
        "'{value}' heeft niet de juiste vorm ({pattern}).",
        "'{value}' does not have the right form ({pattern}).",
    ),
    "duplicate_key": (
        "Dubbele sleutel {key}: deze combinatie staat ook in rij {first}.",
        "Duplicate key {key}: the same combination is in row {first}.",
    ),
    "foreign_key": (
        "{key} verwijst naar niets: het staat niet in tabel {resource}.",
        "{key} points nowhere: it is not in table {resource}.",
    ),
    "unknown_respondent": (
        "Respondent '{value}' staat niet in tabel {resource}.",
        "Respondent '{value}' is not in table {resource}.",
    ),
    "unknown_wave": (
        "Onbekende meting '{value}' voor rol {role}; het protocol kent: {allowed}.",
        "Unknown wave '{value}' for role {role}; the protocol knows: {allowed}.",
    ),
    "unknown_instrument": (
        "Onbekende vragenlijst '{value}' voor rol {role} bij meting {wave}; toegestaan: {allowed}.",
        "Unknown instrument '{value}' for role {role} at wave {wave}; allowed: {allowed}.",
    ),
    "unknown_item": (
        "Vragenlijst {instrument} heeft geen vraag '{value}'.",
        "Instrument {instrument} has no item '{value}'.",
    ),
    "value_out_of_range": (
        "Antwoord {value} op vraag {item} valt buiten {low}–{high}.",
        "Answer {value} to item {item} is outside {low}–{high}.",
    ),
    "month_outside_extract": (
        "Maand {value} valt buiten het extract ({start} t/m {end}).",
        "Month {value} is outside the extract ({start} to {end}).",
    ),
    "treated_without_start": (
        "Deze persoon is behandeld (treated = true) maar heeft geen startmaand.",
        "This person is treated (treated = true) but has no start month.",
    ),
    "more_rows": (
        "… en nog {count} rijen met hetzelfde probleem.",
        "… and {count} more rows with the same problem.",
    ),
}

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("tekst", "text"),
    "integer": ("geheel getal", "a whole number"),
    "number": ("getal", "a number"),
    "boolean": ("ja/nee-waarde (true/false)", "a true/false value"),
    "date": ("datum (JJJJ-MM-DD)", "a date (YYYY-MM-DD)"),
    "datetime": ("tijdstip (JJJJ-MM-DDTuu:mm:ssZ)", "a date-time (YYYY-MM-DDThh:mm:ssZ)"),
    "yearmonth": ("maand (JJJJ-MM)", "a month (YYYY-MM)"),
}


def problem(
    code: str, table: str, *, row: int | None = None, column: str | None = None, **kw: object
) -> Problem:
    """Build a :class:`Problem` with its message in both languages."""
    nl, en = MESSAGES[code]
    return Problem(
        table=table,
        row=row,
        column=column,
        code=code,
        message_nl=nl.format(**kw),
        message_en=en.format(**kw),
    )
